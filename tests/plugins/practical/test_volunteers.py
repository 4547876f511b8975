"""Volunteer activities are core events of type ``volunteer``; hours add up per volunteer and year."""

import sys
from datetime import timedelta

from core import hookimpl
from core.models import Event, Registration
from core.timeutil import to_local, utcnow
from plugins.practical.models import VolunteerActivity, VolunteerTeam
from tests.plugins.practical.conftest import union
from tests.support import Factory, login, text_of


@hookimpl
def huodong_attendance(event, member, checkpoint):
    """This module stands in for a sign-in plugin: 王芳 did not come to activities marked ``absent_wang``."""
    if event.setting("absent_wang") and member.name == "王芳":
        return "absent"
    return "on_time"


def _team_with_activities(app, settings=None):
    factory = Factory(app)
    people = union(factory)
    organizer = login(app.test_client(), "org")
    district = people["district"]
    organizer.post(f"/practical/{district.id}/volunteers", data={"name": "党员志愿者服务队"})
    team = VolunteerTeam.get()
    other = factory.member(people["g2"], name="李强", staff_no="T002")
    for staff_no in ("T001", "T002"):
        organizer.post(f"/practical/teams/{team.id}", data={"action": "member", "staff_no": staff_no})
    start = (utcnow() - timedelta(days=30)).replace(hour=1, minute=0, second=0, microsecond=0)
    year = to_local(start).year
    events = []
    for preset, hours in (("tree_planting", 4), ("blood_donation", 3)):
        response = organizer.post(f"/practical/teams/{team.id}", data={
            "action": "activity", "preset": preset, "title": f"{preset}活动",
            "starts_at": to_local(start).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": to_local(start + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")})
        assert response.status_code == 302
        event = Event.get(Event.title == f"{preset}活动")
        Event.update(status="finished", settings=settings or {}).where(Event.id == event.id).execute()
        events.append(event)
        for member in (people["teacher"], other):
            Registration.create(event=event, member=member, status="active")
    return organizer, team, year, events


def test_hours_count_registrations_when_nobody_answers_attendance(app):
    organizer, team, year, events = _team_with_activities(app)
    assert VolunteerActivity.select().count() == 2
    assert all(e.activity_type == "volunteer" for e in Event.select())
    body = organizer.get(f"/api/v1/practical/teams/{team.id}/hours?year={year}").get_json()
    assert {v["name"]: (v["hours"], v["activities"]) for v in body["volunteers"]} == {
        "王芳": ("7.0", 2), "李强": ("7.0", 2)}
    assert "党员志愿者服务队" in text_of(organizer.get(f"/events/{events[0].id}"))


def test_hours_follow_the_attendance_hook(app_with):
    app = app_with(("attendance", sys.modules[__name__]))
    organizer, team, year, _events = _team_with_activities(app, settings={"absent_wang": True})
    body = organizer.get(f"/api/v1/practical/teams/{team.id}/hours?year={year}").get_json()
    assert {v["name"]: v["hours"] for v in body["volunteers"]} == {"王芳": "0.0", "李强": "7.0"}
    page = text_of(organizer.get(f"/practical/teams/{team.id}?year={year}"))
    assert "李强 2 7.0" in page


def test_volunteer_activity_type_offers_the_seed_presets(app, client, factory):
    kinds = app.extensions["huodong_activity_types"]
    assert {p.key for p in kinds["volunteer"].presets} >= {"tree_planting", "blood_donation", "legal_advice"}
    people = union(factory)
    login(client, "org")
    assert "义务植树" in text_of(client.get("/events/new"))
    organizer = client
    organizer.post(f"/practical/{people['district'].id}/volunteers", data={"name": "服务队"})
    response = organizer.post(f"/practical/{people['district'].id}/volunteers", data={"name": "服务队"},
                              follow_redirects=True)
    assert "已有同名服务队：服务队" in text_of(response)
    team = VolunteerTeam.get()
    response = organizer.post(f"/practical/teams/{team.id}", data={"action": "member", "staff_no": "NOPE"},
                              follow_redirects=True)
    assert "找不到工号为 NOPE 的会员" in text_of(response)
    response = organizer.post(f"/practical/teams/{team.id}", data={
        "action": "activity", "preset": "legal_advice", "title": "法律宣讲", "starts_at": "2026-05-26T14:30",
        "ends_at": "2026-05-26T12:00"}, follow_redirects=True)
    assert "活动信息有误：结束时间不能早于开始时间" in text_of(response) and not Event.select().exists()
