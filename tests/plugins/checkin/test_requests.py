"""A participant asks for leave before the event and for a make-up sign-in after it, each with a reason;
the organizer approves or refuses with a note; the member sees the decision; everything is audited,
and only one decision is ever taken."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from core.models import AuditLog
from core.timeutil import to_local, utcnow
from plugins.checkin import checkpoints
from plugins.checkin import requests as requests_service
from plugins.checkin.models import AttendanceRequest, CheckIn
from plugins.checkin.public import attendance_status
from tests.plugins.checkin.helpers import event_now, setup
from tests.support import login, text_of


def _member(app, factory, registration, username):
    factory.account(username, member=registration.member)
    return login(app.test_client(), username)


def test_leave_before_the_event_is_approved_into_an_excuse(app, factory):
    later = factory.school()
    event = event_now(factory, later, start_offset=timedelta(days=2))
    s = setup(factory, people=2, event=event, school=later)
    member = _member(app, factory, s.registrations[0], "teacher")
    page = text_of(member.get(f"/events/{event.id}"))
    assert "申请请假" in page and "申请补签" not in page
    refused = member.post(f"/checkin/registrations/{s.registrations[0].id}/requests", data={"kind": "leave"},
                          follow_redirects=True)
    assert "请填写原因" in text_of(refused) and AttendanceRequest.select().count() == 0
    member.post(f"/checkin/registrations/{s.registrations[0].id}/requests",
                data={"kind": "leave", "reason": "带学生参加市里比赛"})
    assert "待审批" in text_of(member.get(f"/events/{event.id}"))

    organizer = login(app.test_client(), "organizer")
    people = text_of(organizer.get(f"/checkin/events/{event.id}/people"))
    assert "待审批的申请" in people and "带学生参加市里比赛" in people
    request = AttendanceRequest.get()
    organizer.post(f"/checkin/requests/{request.id}/decide", data={"action": "approve", "note": "同意"})
    assert AttendanceRequest.get().status == "approved"
    Event = type(event)
    Event.update(starts_at=utcnow() - timedelta(hours=4), ends_at=utcnow() - timedelta(hours=1)).where(
        Event.id == event.id).execute()
    assert attendance_status(Event.get_by_id(event.id), s.members[0]) == "excused"
    assert "已批准" in text_of(member.get(f"/events/{event.id}"))
    assert {"checkin.request.leave", "checkin.request.approved", "checkin.excuse"} <= {
        a.action for a in AuditLog.select()}


def test_a_make_up_request_after_the_event_signs_him_in_when_approved(app, client, factory):
    day = to_local(utcnow()).date() - timedelta(days=1)
    school = factory.school()
    from tests.plugins.checkin.helpers import local

    event = factory.event(school["school"], starts_at=local(day, 8, 30), ends_at=local(day, 11, 30))
    s = setup(factory, people=2, event=event, school=school)
    member = _member(app, factory, s.registrations[0], "teacher")
    assert "申请补签" in text_of(member.get(f"/events/{event.id}"))
    outside = member.post(f"/checkin/registrations/{s.registrations[0].id}/requests",
                          data={"kind": "makeup", "reason": "扫码枪没电", "arrived_at": f"{day:%Y-%m-%d}T14:00"},
                          follow_redirects=True)
    assert "到场时间应在签到时间内" in text_of(outside)
    member.post(f"/checkin/registrations/{s.registrations[0].id}/requests",
                data={"kind": "makeup", "reason": "扫码枪没电，签了纸质表", "arrived_at": f"{day:%Y-%m-%d}T08:20"})
    too_late = member.post(f"/checkin/registrations/{s.registrations[0].id}/requests",
                           data={"kind": "leave", "reason": "补请假"}, follow_redirects=True)
    assert "请假须在签到开始前申请" in text_of(too_late)

    organizer = login(app.test_client(), "organizer")
    request = AttendanceRequest.get()
    no_note = organizer.post(f"/checkin/requests/{request.id}/decide", data={"action": "refuse"},
                             follow_redirects=True)
    assert "不批准时请填写说明" in text_of(no_note) and AttendanceRequest.get().status == "pending"
    organizer.post(f"/checkin/requests/{request.id}/decide", data={"action": "approve"})
    row = CheckIn.get()
    assert (row.source, row.status, row.time_flag) == ("manual", "on_time", "")
    assert attendance_status(event, s.members[0]) == "on_time"
    again = organizer.post(f"/checkin/requests/{request.id}/decide", data={"action": "refuse", "note": "x"},
                           follow_redirects=True)
    assert "该申请已处理" in text_of(again) and AttendanceRequest.get().status == "approved"


def test_nobody_asks_for_somebody_else(app, factory):
    s = setup(factory, people=2)
    _member(app, factory, s.registrations[0], "teacher")
    stranger = _member(app, factory, s.registrations[1], "colleague")
    response = stranger.post(f"/checkin/registrations/{s.registrations[0].id}/requests",
                             data={"kind": "makeup", "reason": "帮他补签"})
    assert response.status_code == 404 and AttendanceRequest.select().count() == 0
    with pytest.raises(Exception) as refused:
        requests_service.submit(s.registrations[0], checkpoints.ensure_main(s.event), "makeup", reason="x",
                                account=stranger_account(s.registrations[1]))
    assert "只能为自己的报名" in str(refused.value)


def stranger_account(registration):
    from core.models import Account

    return Account.get(Account.member == registration.member_id)


def test_two_organizers_deciding_at_once_take_one_decision(app, factory):
    s = setup(factory, people=1)
    member = _member(app, factory, s.registrations[0], "teacher")
    member.post(f"/checkin/registrations/{s.registrations[0].id}/requests",
                data={"kind": "makeup", "reason": "手机没电"})
    request = AttendanceRequest.get()
    factory.account("organizer2", roles=[("organizer", s.school["school"])])
    barrier, codes = threading.Barrier(2), []

    def decide(username, action):
        client = login(app.test_client(), username)
        barrier.wait()
        response = client.post(f"/checkin/requests/{request.id}/decide",
                               data={"action": action, "note": "核实"}, follow_redirects=True)
        codes.append("该申请已处理" in text_of(response))

    threads = [threading.Thread(target=decide, args=a) for a in (("organizer", "approve"), ("organizer2", "refuse"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [False, True]
    decided = AttendanceRequest.get()
    assert decided.status in ("approved", "refused")
    assert CheckIn.select().count() == (1 if decided.status == "approved" else 0)
    assert AuditLog.select().where(AuditLog.action.startswith("checkin.request.")).count() == 2
