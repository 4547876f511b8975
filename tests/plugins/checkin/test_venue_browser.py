"""Self sign-in with the venue code in Chromium on a phone: scan, log in, come back, and the phone's
place (Playwright's geolocation) checked against the checkpoint's geofence; a participant's request for
leave decided by the organizer on his phone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plugins.checkin import checkpoints, selfservice
from plugins.checkin.models import AttendanceRequest, CheckIn
from tests.plugins.checkin.helpers import event_now, setup

pytestmark = pytest.mark.browser

GATE = {"latitude": 22.2712, "longitude": 113.5767}
NEAR = {"latitude": 22.2722, "longitude": 113.5770, "accuracy": 30}  # about 115 m from the gate
FAR = {"latitude": 22.2900, "longitude": 113.5767, "accuracy": 30}  # about 2 km


def _venue_path(event):
    code, _left = selfservice.current_code(checkpoints.info(event.id))
    return f"/checkin/v/{code}"


def test_a_member_on_site_signs_himself_in_and_one_far_away_is_refused(app, factory, phone_for):
    s = setup(factory)
    checkpoints.save(s.event, {**GATE, "radius_m": 300}, checkpoints.ensure_main(s.event))
    factory.account("teacher1", member=s.members[0])
    factory.account("teacher2", member=s.members[1])

    here = phone_for(geolocation=NEAR, permissions=["geolocation"])
    here.goto(_venue_path(s.event))
    assert "请先用自己的账号登录" in here.text()
    here.page.click("a:has-text('登录后签到')")
    here.page.fill("input[name=username]", "teacher1")
    here.page.fill("input[name=password]", "secret-pass-1")
    here.page.click("form button[type=submit]")
    here.page.wait_for_url(lambda url: "/checkin/v/" in url)
    here.check()
    assert "300 米范围内" in here.text()
    here.page.click("button[name=kind][value=in]")
    here.page.wait_for_selector(".scan-result")
    here.check()
    assert "签到成功" in here.text()
    row = CheckIn.get()
    assert row.member_id == s.members[0].id and row.source == "venue"
    assert round(row.latitude, 4) == NEAR["latitude"] and row.accuracy_m == 30

    away = phone_for(geolocation=FAR, permissions=["geolocation"])
    away.login("teacher2")
    away.goto(_venue_path(s.event))
    away.page.click("button[name=kind][value=in]")
    away.page.wait_for_selector(".scan-result")
    away.check()
    assert "不在签到范围内" in away.text()
    assert CheckIn.select().count() == 1


def test_a_member_asks_for_leave_and_the_organizer_approves_on_his_phone(app, factory, phone_for):
    school = factory.school()
    event = event_now(factory, school, start_offset=timedelta(days=3))
    s = setup(factory, people=1, event=event, school=school)
    factory.account("teacher1", member=s.members[0])
    member = phone_for()
    member.login("teacher1")
    member.goto(f"/events/{event.id}")
    member.page.click("summary:has-text('申请请假')")
    member.page.fill("input[name=reason]", "带学生参加市里比赛")
    member.page.click("button:has-text('提交申请')")
    member.check()
    assert "申请已提交" in member.text() and "待审批" in member.text()

    organizer = phone_for()
    organizer.login("organizer")
    organizer.goto(f"/checkin/events/{event.id}/people")
    assert "带学生参加市里比赛" in organizer.text()
    organizer.page.click("#requests button:has-text('批准')")
    organizer.check()
    assert AttendanceRequest.get().status == "approved"
    member.goto(f"/events/{event.id}")
    assert "已批准" in member.text()
