"""Moving an instance to another database (``huodong copy-db``): every table arrives, compared row by row;
sealed values still open with the instance's key; ids keep their numbers and new rows get fresh ones; a
target that holds data, or the current database itself, is refused; the way back works too.

Whichever engine the suite runs on is the source; the target is the other one (a new SQLite file, or a
new PostgreSQL database made for the test), then a second SQLite file for the way back.
"""

from __future__ import annotations

import os
from decimal import Decimal

import peewee
import pytest

from core.copy_db import copy_database, table_digest
from core.db import db, open_database
from core.errors import Invalid
from core.migrate import all_models
from core.models import Event, Member, Registration
from tests.conftest import PG_URL, USING_PG
from tests.support import id_number, run_cli


def _fill(factory):
    school = factory.school()
    member = factory.member(school["g1"], name="林海", staff_no="T9001", id_number=id_number(seq=31),
                            phone="13900001111")
    factory.account("linhai", member=member)
    event = factory.event(school["school"], title="教工运动会", capacity=30)
    Registration.create(event=event, member=member, fee_total=Decimal("12.50"), extra={"size": "L", "items": [1, 2]})
    return member, event


ADMIN_PG = PG_URL or os.environ.get("HUODONG_COPY_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def fresh_postgres():
    """A new, empty PostgreSQL database (dropped afterwards), on the suite's server or the local one."""
    admin = open_database(ADMIN_PG)
    try:
        admin.connect()
    except peewee.OperationalError:
        pytest.skip(f"no PostgreSQL server at {ADMIN_PG} to copy into")
    name = f"huodong_copy_{os.getpid()}"
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    admin.close()
    yield ADMIN_PG.rsplit("/", 1)[0] + "/" + name
    admin = open_database(ADMIN_PG)
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def other_engine(request, tmp_path):
    """An empty database on the engine the suite is not using."""
    if USING_PG:
        return f"sqlite:///{tmp_path / 'target.sqlite3'}"
    return request.getfixturevalue("fresh_postgres")


def _pm(app):
    return app.extensions["huodong_pm"]


def test_an_instance_moves_to_the_other_engine_and_back_with_every_table_equal(app, factory, other_engine, tmp_path):
    member, event = _fill(factory)
    report = copy_database(_pm(app), other_engine)
    assert report.mismatched == [] and report.rows >= 10
    assert {t.table for t in report.tables} >= {"unit", "member", "account", "registration", "event"}

    target = open_database(other_engine)
    source = db.obj
    try:
        with target.bind_ctx([Member, Registration, Event], bind_refs=False, bind_backrefs=False):
            copied = Member.get(Member.staff_no == "T9001")
            assert copied.id == member.id and copied.id_number == member.id_number and copied.phone == "13900001111"
            reg = Registration.get(Registration.member == member.id)
            assert reg.fee_total == Decimal("12.50") and reg.extra == {"size": "L", "items": [1, 2]}
            assert Event.get_by_id(event.id).capacity == 30
            fresh = Member.create(name="新会员", staff_no="T9002", unit=member.unit_id, gender="F")
            assert fresh.id > member.id  # the target's own ids continue after the copied ones
            fresh.delete_instance()
        for model in all_models(_pm(app)):
            assert table_digest(model, target) == table_digest(model, source), model._meta.table_name
    finally:
        target.close()

    # And back, from the copy, through the command as an operator runs it.
    back = f"sqlite:///{tmp_path / 'back.sqlite3'}"
    result = run_cli(app, "copy-db", back, env={"HUODONG_DATABASE_URL": other_engine})
    assert result.exit_code == 0, result.output
    assert "逐表核对一致" in result.output
    returned = open_database(back)
    try:
        for model in all_models(_pm(app)):
            assert table_digest(model, returned) == table_digest(model, source), model._meta.table_name
    finally:
        returned.close()


@pytest.mark.skipif(not USING_PG, reason="PostgreSQL to PostgreSQL needs the suite on PostgreSQL")
def test_a_copy_into_a_new_postgresql_database(app, factory, fresh_postgres):
    _fill(factory)
    assert copy_database(_pm(app), fresh_postgres).mismatched == []


def test_a_target_with_data_or_the_database_itself_is_refused(app, factory, tmp_path):
    _fill(factory)
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    copy_database(_pm(app), target)
    with pytest.raises(Invalid) as refused:
        copy_database(_pm(app), target)
    assert "目标数据库已有数据" in refused.value.message
    result = run_cli(app, "copy-db", target)
    assert result.exit_code != 0 and "只能复制到新建的空数据库" in result.output and "Traceback" not in result.output
    with pytest.raises(Invalid) as itself:
        copy_database(_pm(app), app.config["DATABASE_URL"])
    assert "就是当前数据库" in itself.value.message


def test_an_unreachable_target_is_a_clear_message(app):
    result = run_cli(app, "copy-db", "postgresql://postgres@127.0.0.1:1/nowhere")
    assert result.exit_code != 0 and "连不上目标数据库" in result.output and "Traceback" not in result.output
