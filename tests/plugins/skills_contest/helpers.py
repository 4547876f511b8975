"""Building blocks of the contest tests: a school with grade groups of teachers and a group of senior
teachers who judge, a contest made from the preset, and the organizer's item form filled as the page
fills it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from core.timeutil import to_local, utcnow
from plugins.scoring import public as scoring
from plugins.skills_contest.items import contest_item, contest_items
from tests.support import PASSWORD

CRITERIA = "笔法 30\n字法 30\n章法 20\n特色 20"


def login_client(app, username):
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def contest_world(factory):
    """Teachers T1..T4 (T1, T2 in 初一年级组, T3, T4 in 初二年级组) with logins t1..t4, judges j1..j3 in
    综合学科组, j4 in 初一年级组, the organizer ``org``, and the contest starting tomorrow."""
    school = factory.school()
    seniors = factory.unit("综合学科组", school["school"])
    w = SimpleNamespace(school=school, people={}, accounts={})
    for code, unit, name in (("T1", "g1", "张书法"), ("T2", "g1", "李墨"), ("T3", "g2", "王砚"),
                             ("T4", "g2", "赵纸")):
        member = factory.member(school[unit], name=name)
        w.people[code] = member
        w.accounts[code] = factory.account(code.lower(), member=member)
    for code, unit in (("j1", seniors), ("j2", seniors), ("j3", seniors), ("j4", school["g1"])):
        w.accounts[code] = factory.account(code, member=factory.member(unit, name=f"评委{code[1]}"))
    factory.account("org", roles=[("organizer", school["school"])])
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    w.event = factory.event(school["school"], activity_type="skills_contest", preset="teacher_skills",
                            title="教师基本功大赛", starts_at=start, ends_at=start + timedelta(days=35))
    w.items = {ci.item.name: ci.item for ci in contest_items(w.event)}
    return w


def _local(value, tz):
    return to_local(value, tz).strftime("%Y-%m-%dT%H:%M") if value else ""


def item_form(item, **changes) -> dict:
    """The item form's fields as the edit page fills them, with ``changes`` (Python datetimes in UTC for
    ``starts_at``/``ends_at``)."""
    ci = contest_item(item)
    config = scoring.item_scoring(item)
    tz = item.event.timezone
    data = {"name": item.name, "mode": ci.mode, "requirement": ci.requirement,
            "starts_at": ci.starts_at, "ends_at": ci.ends_at, "room": ci.room, "text_title": ci.text_title,
            "text": ci.text, "allow_file": "file" in ci.kinds, "allow_link": "link" in ci.kinds,
            "extensions": "、".join(ci.extensions), "max_mb": str(ci.max_mb),
            "criteria": "\n".join(f"{c['name']} {c['weight']}" for c in config.criteria),
            "bands": "\n".join(f"{b['name']} {b.get('count', b.get('share'))}" for b in config.bands),
            "encouragement": ci.encouragement} | changes
    data["starts_at"], data["ends_at"] = _local(data["starts_at"], tz), _local(data["ends_at"], tz)
    for key in ("allow_file", "allow_link"):
        if data[key]:
            data[key] = "y"
        else:
            del data[key]
    return data
