"""Migrations in their own folders: the core's first, then each plugin's after those it requires; an
instance migrated when the built-in plugins' migrations sat in the shared ``migrations/`` folder upgrades
without running them again (on SQLite, and on PostgreSQL in a database of its own beside the test one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import peewee
import pytest
from peewee_migrate import Router

from core.db import close_all, db
from core.migrate import (
    LEGACY,
    MIGRATIONS_DIR,
    _Router,
    all_models,
    history_model,
    make_migration,
    migrate,
    pending,
    plugin_migrations,
)
from tests.core.test_migrations import schema_differences
from tests.support import own_database_url, run_cli

HERE = Path(__file__).resolve().parent
# The core's files of the shared folder when the built-in plugins' migrations were still in it.
OLD_CORE = ("001_core", "005_registrations", "006_feeds", "011_feed_stamps", "012_login_sessions")


def old_shared_folder(pm, target: Path) -> Path:
    """The shared ``migrations/`` folder as it was: the core's files and each plugin's under its old name
    (the files are the same but for their first line; the one that was split is kept as it was)."""
    target.mkdir()
    for name in OLD_CORE:
        shutil.copy(MIGRATIONS_DIR / f"{name}.py", target / f"{name}.py")
    folders = {source.plugin: source.directory for source in plugin_migrations(pm)}
    for old, places in LEGACY.items():
        source = (folders[places[0][0]] / f"{places[0][1]}.py") if len(places) == 1 else \
            HERE / "legacy" / "migrations" / f"{old}.py"
        shutil.copy(source, target / f"{old}.py")
    return target


@pytest.fixture
def legacy(make_app, tmp_path):
    """An app on an empty database of its own, and the old shared folder of migrations."""
    app = make_app(DATABASE_URL=own_database_url(tmp_path, "legacy"))
    pm = app.extensions["huodong_pm"]
    folder = old_shared_folder(pm, tmp_path / "old-migrations")
    with app.app_context():
        yield app, pm, folder
    if not db.is_closed():
        db.close()
    close_all()


# The plugins' migrations written after each plugin had a folder of its own: an old instance runs these.
SINCE = ["scoring:002_participation_needs_entry"]


def _old_migrate(folder: Path, upto: str | None = None) -> list[str]:
    """What ``huodong migrate`` did with the shared folder: one router, one history table."""
    with db.connection_context():
        return Router(db.obj, migrate_dir=str(folder), migrate_table="migratehistory", ignore=["basemodel"]).run(upto)


def _history(table: str) -> list[str]:
    model = history_model(table)
    return [name for (name,) in model.select(model.name).order_by(model.id).tuples()]


def test_an_instance_migrated_with_the_shared_folder_upgrades_without_running_anything_again(legacy):
    app, pm, folder = legacy
    assert len(_old_migrate(folder)) == 17
    with db.connection_context():
        peewee.Table("unit", ("name", "kind", "path", "sort", "is_active")).bind(db.obj).insert(
            name="海城实验中学工会", kind="school", path="/", sort=0, is_active=True).execute()

    ran = migrate(pm)

    assert [name for name in ran if ":" in name] == SINCE, "a plugin's migration ran again"
    assert not set(ran) & set(OLD_CORE)
    with db.connection_context():
        assert set(_history("migratehistory")) >= set(OLD_CORE)
        assert not set(_history("migratehistory")) & set(LEGACY)
        assert _history("migratehistory_checkin") == ["001_initial", "002_checkpoint_in_calendar", "003_lean_indexes",
                                                      "004_geofence", "005_trusted_times", "006_requests"]
        assert _history("migratehistory_outing") == ["001_initial", "002_roll_call_into_checkin"]
        assert _history("migratehistory_scoring") == ["001_initial", "002_participation_needs_entry"]
        for plugin in ("warmth", "practical", "sports_day", "skills_contest"):
            assert _history(f"migratehistory_{plugin}") == ["001_initial"]
        assert schema_differences(all_models(pm)) == []
        assert peewee.Table("unit", ("name",)).bind(db.obj).select().count() == 1
    assert pending(pm) == []
    assert migrate(pm) == []


def test_an_instance_stopped_halfway_runs_the_rest_in_the_plugins_folders(legacy):
    """Migrated the old way up to 008: the moved records are carried over; the sign-in plugin's later
    files, the checkpoint column of the split 009 among them, run before the outing's data move."""
    app, pm, folder = legacy
    assert _old_migrate(folder, upto="008_skills_contest")[-1] == "008_skills_contest"

    ran = migrate(pm)

    plugin_ran = [name for name in ran if ":" in name]
    assert plugin_ran == ["checkin:002_checkpoint_in_calendar", "checkin:003_lean_indexes", "checkin:004_geofence",
                          "checkin:005_trusted_times", "checkin:006_requests", "outing:002_roll_call_into_checkin",
                          *SINCE]
    assert {"011_feed_stamps", "012_login_sessions"} <= set(ran)
    with db.connection_context():
        assert schema_differences(all_models(pm)) == []
    assert pending(pm) == []


def test_a_fresh_database_runs_the_core_then_each_plugin_after_those_it_requires(legacy):
    app, pm, _folder = legacy
    ran = migrate(pm)
    order = [name.split(":")[0] for name in ran if ":" in name]
    first = {plugin: order.index(plugin) for plugin in reversed(order)}
    assert ran[: len(OLD_CORE)] == list(OLD_CORE)
    assert first["checkin"] < first["outing"]
    assert first["scoring"] < first["sports_day"]
    assert max(first["scoring"], first["checkin"]) < first["skills_contest"]
    assert order == sorted(order, key=lambda p: [s.plugin for s in plugin_migrations(pm)].index(p))
    with db.connection_context():
        assert schema_differences(all_models(pm)) == []


def test_makemigrations_finds_nothing_to_do_for_the_core_and_each_plugin(app):
    pm = app.extensions["huodong_pm"]
    assert make_migration(pm, "nothing") is None
    for source in plugin_migrations(pm):
        assert make_migration(pm, "nothing", plugin=source.plugin) is None, source.plugin


def test_a_new_migration_is_numbered_after_the_highest_file(tmp_path, app):
    for name in ("001_core", "007_checkin", "007_outing", "007_sports_day", "readme"):
        (tmp_path / f"{name}.py").write_text("")
    router = _Router(tmp_path, "migratehistory_numbering")
    assert router.compile("next") == "008_next"
    assert (tmp_path / "008_next.py").exists()


def test_a_missing_folder_holds_no_migrations_and_is_not_created(tmp_path, app):
    router = _Router(tmp_path / "absent", "migratehistory_absent")
    assert router.todo == [] and router.diff == []
    assert not (tmp_path / "absent").exists()


def test_the_migrate_command_says_it_carried_the_records_over(legacy):
    app, _pm, folder = legacy
    _old_migrate(folder)
    result = run_cli(app, "migrate")
    assert result.exit_code == 0, result.output
    assert "12 个迁移已在共用目录中执行过" in result.output
    ran = result.output.split("已执行", 1)[1]
    # only the migrations written after the shared folder's time, never an old one again
    newly = ran.split("：", 1)[-1]
    assert not any(name in newly for name in OLD_CORE), result.output
    assert [name.strip() for name in newly.split(",") if ":" in name] == SINCE, result.output


def test_makemigrations_command_for_a_plugin(app):
    result = run_cli(app, "makemigrations", "nothing", "--plugin", "checkin")
    assert (result.exit_code, result.output.strip()) == (0, "模型没有变化，无需迁移")
    result = run_cli(app, "makemigrations", "nothing", "--plugin", "nope")
    assert result.exit_code == 1 and "插件 nope 未加载或没有迁移目录" in result.output
