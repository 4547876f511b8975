"""``huodong backup`` and ``huodong restore`` through the command line, on SQLite and PostgreSQL:
what was backed up comes back (members with their encrypted ID numbers, events), what changed
afterwards is gone, and a wrong file or a missing tool is refused with a message."""

import pytest

from core.models import Event, Member
from tests.conftest import USING_PG
from tests.support import id_number, run_cli

ZHANG_ID = id_number("19800315", male=True, seq=11)


def _snapshot():
    members = sorted((m.staff_no, m.name, m.id_number, m.unit_id) for m in Member.select())
    events = sorted((e.title, e.status, e.starts_at) for e in Event.select())
    return members, events


def test_backup_and_restore_round_trip(app, factory, tmp_path):
    school = factory.school()
    zhang = factory.member(school["g1"], name="张三明", staff_no="T001")
    zhang.set_id_number(ZHANG_ID)
    zhang.save()
    factory.member(school["g2"], name="李秀英", gender="F", staff_no="T002")
    factory.event(school["school"], title="教职工趣味运动会")
    before = _snapshot()

    target = tmp_path / ("backup.dump" if USING_PG else "backup.sqlite3")
    result = run_cli(app, "backup", target)
    assert result.exit_code == 0, result.output
    assert target.exists() and f"已备份到 {target}" in result.output

    Member.delete().where(Member.staff_no == "T002").execute()
    factory.member(school["g2"], name="后来的人", staff_no="T003")
    Event.update(title="改过的标题").execute()
    assert _snapshot() != before

    result = run_cli(app, "restore", target, "--yes")
    assert result.exit_code == 0, result.output
    assert "恢复前的数据已另存为" in result.output
    assert _snapshot() == before
    assert Member.get(Member.staff_no == "T001").id_number == ZHANG_ID, "the encrypted ID reads back"

    # The copy taken before the restore holds the changes the restore replaced.
    safety = result.output.split("恢复前的数据已另存为 ")[1].strip()
    run_cli(app, "restore", safety, "--yes")
    assert Member.select().where(Member.staff_no == "T003").exists()


def test_restore_asks_first_and_stops_on_no(app, factory, tmp_path):
    factory.member(factory.school()["g1"], staff_no="T001")
    target = tmp_path / "backup.bin"
    run_cli(app, "backup", target)
    Member.delete().execute()
    result = run_cli(app, "restore", target, input="n\n")
    assert result.exit_code == 1 and "继续吗" in result.output
    assert Member.select().count() == 0


def test_restore_refuses_a_file_that_is_not_a_backup(app, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("这不是备份")
    result = run_cli(app, "restore", junk, "--yes")
    assert result.exit_code == 1
    assert ("不是 PostgreSQL 的备份文件" if USING_PG else "不是 SQLite 的备份文件") in result.output


def test_restore_refuses_the_other_databases_backup(app, tmp_path):
    other = tmp_path / "other"
    if USING_PG:
        import sqlite3

        sqlite3.connect(other).execute("create table member (id integer)").connection.commit()
        expected = "这是 SQLite 的备份"
    else:
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        expected = "这是 PostgreSQL 的备份"
    result = run_cli(app, "restore", other, "--yes")
    assert result.exit_code == 1 and expected in result.output


@pytest.mark.skipif(USING_PG, reason="a SQLite file")
def test_restore_refuses_a_sqlite_file_of_another_application(app, tmp_path):
    import sqlite3

    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("create table notes (id integer)").connection.commit()
    result = run_cli(app, "restore", other, "--yes")
    assert result.exit_code == 1 and "这不是 huodong 的数据库备份" in result.output


@pytest.mark.skipif(not USING_PG, reason="pg_dump and pg_restore serve PostgreSQL only")
def test_missing_postgresql_tools_are_named(app, factory, tmp_path):
    target = tmp_path / "backup.dump"
    assert run_cli(app, "backup", target).exit_code == 0
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_cli(app, "backup", tmp_path / "again.dump", env={"PATH": str(empty)})
    assert result.exit_code == 1 and "找不到 pg_dump" in result.output and "postgresql-client" in result.output
    result = run_cli(app, "restore", target, "--yes", env={"PATH": str(empty)})
    assert result.exit_code == 1 and "找不到 pg_restore" in result.output
