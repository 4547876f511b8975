"""Member search: a whole staff number, a whole phone number, the start of a name or a part of a unit's
name, each looked up through an index of its own (the database's plan is read back), on the members
page and in the API."""

from __future__ import annotations

import pytest

from core.db import db, is_postgres
from core.models import Member
from core.services import member_search
from tests.support import text_of


@pytest.fixture
def people(factory):
    school = factory.school()
    for name, staff_no, phone, unit in (("王建国", "T001", "13800000001", "g1"), ("王芳", "T002", "13800000002", "g2"),
                                        ("李建国", "T003", "13800000003", "g1"), ("欧阳%华", "T004", None, "g2"),
                                        ("张_三", "T005", None, "school")):
        factory.member(school[unit], name=name, staff_no=staff_no, phone=phone)
    return school


def names(text: str) -> list[str]:
    return sorted(m.name for m in member_search.search(Member.select(), text))


@pytest.mark.parametrize("text, expected", [
    ("T003", ["李建国"]), ("T00", []),                       # a staff number is matched whole
    ("13800000002", ["王芳"]), ("1380000000", []),           # so is a phone number
    ("王", ["王建国", "王芳"]), ("王建国", ["王建国"]),         # a name by its start: a surname, a full name
    ("建国", []),                                            # not by its middle
    ("欧阳%", ["欧阳%华"]), ("%", []), ("张_", ["张_三"]), ("_", []),  # wildcards are plain characters
    ("初二", ["欧阳%华", "王芳"]), ("实验中学", ["张_三"]),     # a part of a unit's name: its own members
    ("  王芳 ", ["王芳"]),
])
def test_what_a_search_finds(app, people, text, expected):
    assert names(text) == expected


def test_each_way_is_answered_by_an_index(app, people):
    sql, params = member_search.found_ids("王").sql()
    if is_postgres():
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")  # a table this small is read whole otherwise
            plan = " ".join(row[0] for row in db.execute_sql("EXPLAIN " + sql, params))
    else:
        plan = " ".join(str(row[-1]) for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "member_name_prefix" in plan and "member_staff_no" in plan, plan
    assert "member_unit_id" in plan, plan


def test_the_members_page_and_the_api_search_the_same_way(client, people, factory, login_as):
    from core.services.accounts import issue_token

    admin = factory.account("admin1", roles=["admin"])
    login_as(admin)
    page = text_of(client.get("/members/?q=王"))
    assert "王建国" in page and "王芳" in page and "李建国" not in page
    body = client.get("/api/v1/members?q=13800000003", headers={"Authorization": f"Bearer {issue_token(admin)}"}).json
    assert [m["name"] for m in body["members"]] == ["李建国"] and body["total"] == 1


def test_the_administrator_sees_a_dash_where_a_member_has_no_phone_or_id_number(client, people, factory, login_as):
    login_as(factory.account("admin1", roles=["admin"]))
    page = text_of(client.get("/members/?q=欧阳%"))
    assert "欧阳%华" in page and "None" not in page and "—" in page
