"""Shared fixtures: a real database per test (a SQLite file, or the PostgreSQL named by
``HUODONG_TEST_DATABASE_URL``), the app, its test client and a factory for units, people,
accounts and events.

The schema is built once per run by the real migrations; each test then gets a fresh copy
(SQLite: a copy of the migrated file; PostgreSQL: every table truncated).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import HealthCheck, settings

from core.app import create_app
from core.db import close_all, db
from core.migrate import migrate
from tests.support import Factory, login

# Property tests judge the rules, not the machine: a loaded CI runner must not fail them for slowness.
settings.register_profile("huodong", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("huodong")

PG_URL = os.environ.get("HUODONG_TEST_DATABASE_URL", "")
USING_PG = PG_URL.startswith("postgres")
TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    "SECRET_KEY": "test-secret",
    "DATA_KEY": "test-data-key",
    "BASE_URL": "http://huodong.test",
    # Years after those the chinese-calendar package knows: plain weekdays, so that tests run on any
    # date give the same results (a real instance is refused until it is told the year's schedule).
    "EXTRA_WORKDAYS": {year: {} for year in range(max(d.year for d in chinese_calendar.holidays) + 1, 2100)},
}


def pytest_report_header(config):
    return f"huodong database: {'PostgreSQL ' + PG_URL if USING_PG else 'SQLite (a file per test)'}"


def _reset_postgres(app):
    with db.connection_context():
        db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Build the schema once with the real migrations; return the URL (SQLite: the template file)."""
    folder = tmp_path_factory.mktemp("migrated")
    url = PG_URL if USING_PG else f"sqlite:///{folder / 'template.sqlite3'}"
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "INSTANCE_PATH": str(folder)})
    if USING_PG:
        _reset_postgres(app)
    with app.app_context():
        migrate(app.extensions["huodong_pm"])
    if not USING_PG:
        close_all()  # checkpoint the WAL into the file before tests copy it
    return url


def _truncate_postgres():
    with db.connection_context():
        tables = [t for t in db.get_tables() if not t.startswith("migratehistory")]
        if tables:
            db.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


@pytest.fixture
def database_url(migrated_database, tmp_path):
    if USING_PG:
        return migrated_database
    target = tmp_path / "huodong.sqlite3"
    shutil.copyfile(migrated_database[len("sqlite:///"):], target)
    return f"sqlite:///{target}"


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the test database; keyword arguments override settings."""

    def factory(extra_plugins=(), **overrides):
        config = {**TEST_CONFIG, "DATABASE_URL": database_url, "INSTANCE_PATH": str(tmp_path / "instance")}
        config.update(overrides)
        return create_app(config, extra_plugins=extra_plugins)

    return factory


@pytest.fixture
def app(make_app):
    application = make_app()
    if USING_PG:
        _truncate_postgres()
    ctx = application.app_context()
    ctx.push()
    db.connect(reuse_if_open=True)
    yield application
    if not db.is_closed():
        db.close()
    ctx.pop()
    close_all()


EXAMPLE_PLUGIN = Path(__file__).resolve().parent / "example_plugin" / "huodong_example"


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """A site-packages folder holding the example plugin as an installed distribution:
    the package and a ``*.dist-info`` whose ``entry_points.txt`` names it in the ``huodong`` group."""
    site = tmp_path_factory.mktemp("site-packages")
    shutil.copytree(EXAMPLE_PLUGIN, site / "huodong_example", ignore=shutil.ignore_patterns("__pycache__"))
    dist = site / "huodong_example-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: huodong-example\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[huodong]\nexample = huodong_example.plugin\n")
    return site


@pytest.fixture
def example_installed(example_site, monkeypatch):
    """The example plugin installed (its site folder on ``sys.path``) for this test only."""
    monkeypatch.syspath_prepend(str(example_site))
    return example_site


@pytest.fixture
def example_app(example_installed, make_app):
    """An app with the example plugin loaded through its entry point and its migrations run."""
    application = make_app()
    with application.app_context():
        migrate(application.extensions["huodong_pm"])
    if USING_PG:
        _truncate_postgres()
    ctx = application.app_context()
    ctx.push()
    db.connect(reuse_if_open=True)
    yield application
    if not db.is_closed():
        db.close()
    ctx.pop()
    if USING_PG:
        db.obj.close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app):
    return Factory(app)


@pytest.fixture
def login_as(client):
    def do(account_or_name):
        name = getattr(account_or_name, "username", account_or_name)
        return login(client, name)

    return do


@pytest.fixture
def now():
    from core.timeutil import utcnow

    return utcnow().replace(microsecond=0)




# Browser fixtures (live_server, browser, page) for tests marked ``browser``.
from tests.browser_support import browser, live_server, page, phone_for  # noqa: E402,F401
