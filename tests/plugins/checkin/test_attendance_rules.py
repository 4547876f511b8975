"""Attendance nobody can bend by withdrawing: once an event has started a member cannot withdraw (the
organizer can, with a reason, and the absence stays on record); once it has ended nobody registers
any more. The payout rules pay a missing sign-out like an early leave, and late with early leave at
the lower share."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from core.models import Event, Registration
from core.timeutil import to_local, utcnow
from plugins.checkin import checkpoints
from plugins.checkin.attendance import summary
from plugins.checkin.public import attendance_status
from plugins.scoring.prizes import Attendance, ParticipationRule
from tests.plugins.checkin.helpers import code_of, local, scan, setup
from tests.support import login, text_of


def _yesterdays_meeting(factory, people=4):
    day = to_local(utcnow()).date() - timedelta(days=1)
    day = datetime(day.year, day.month, day.day)
    school = factory.school()
    event = factory.event(school["school"], title="全体教职工大会", starts_at=local(day, 8, 30),
                          ends_at=local(day, 11, 30))
    s = setup(factory, people=people, event=event, school=school)
    checkpoints.save(event, {"opens_at": local(day, 8, 0)}, checkpoints.ensure_main(event))
    s.day = day
    return s


def _member_client(app, factory, registration):
    factory.account(f"m{registration.member_id}", member=registration.member)
    return login(app.test_client(), f"m{registration.member_id}")


def test_an_absent_member_cannot_withdraw_the_next_day_and_stays_absent(app, client, factory):
    s = _yesterdays_meeting(factory)
    scan(client, s, code_of(s.registrations[0]), scanned_at=f"{s.day:%Y-%m-%d}T08:10:00+08:00")
    absent = s.registrations[3]
    before = summary(s.event, checkpoints.ensure_main(s.event))
    assert (before["expected"], before["counts"]["absent"]) == (4, 3)

    member = _member_client(app, factory, absent)
    page = text_of(member.post(f"/events/{s.event.id}/withdraw", follow_redirects=True))
    assert "活动已开始，不能自行退出报名" in page
    assert Registration.get_by_id(absent.id).status == "active"
    api = member.delete(f"/api/v1/events/{s.event.id}/registrations/{absent.id}")
    assert api.status_code in (403, 404, 405, 409)
    assert Registration.get_by_id(absent.id).status == "active"
    # and he cannot register afresh after the end either
    assert "活动已结束" in text_of(member.post(f"/events/{s.event.id}/register", follow_redirects=True))


def test_the_organizer_withdraws_after_the_start_only_with_a_reason_and_the_absence_stays(app, client, factory):
    s = _yesterdays_meeting(factory)
    scan(client, s, code_of(s.registrations[0]), scanned_at=f"{s.day:%Y-%m-%d}T08:10:00+08:00")
    absent = s.registrations[3]
    organizer = login(app.test_client(), "organizer")
    page = text_of(organizer.post(f"/events/{s.event.id}/registrations/{absent.id}/withdraw", follow_redirects=True))
    assert "须填写原因" in page and Registration.get_by_id(absent.id).status == "active"
    organizer.post(f"/events/{s.event.id}/registrations/{absent.id}/withdraw", data={"reason": "调离本校"})
    assert Registration.get_by_id(absent.id).status == "withdrawn"
    after = summary(s.event, checkpoints.ensure_main(s.event))
    assert (after["expected"], after["counts"]["absent"]) == (4, 3)
    assert attendance_status(s.event, absent.member) == "absent"


def test_a_withdrawal_before_the_start_takes_the_member_off_the_list(app, client, factory):
    s = setup(factory, people=2)  # an event starting in ten minutes
    member = _member_client(app, factory, s.registrations[1])
    member.post(f"/events/{s.event.id}/withdraw")
    assert Registration.get_by_id(s.registrations[1].id).status == "withdrawn"
    withdrawn_at = Registration.get_by_id(s.registrations[1].id).withdrawn_at
    Event.update(starts_at=withdrawn_at + timedelta(seconds=1)).where(Event.id == s.event.id).execute()
    scan(client, s, code_of(s.registrations[0]))
    assert summary(Event.get_by_id(s.event.id), checkpoints.ensure_main(s.event))["expected"] == 1


def test_a_department_head_cannot_untick_an_absent_colleague_after_the_start(app, client, factory):
    from core.errors import Refused
    from core.services import registrations as service

    s = _yesterdays_meeting(factory)
    head = factory.account("head", member=factory.member(s.school["g1"]), roles=[("dept_head", s.school["g1"])])
    absent = s.registrations[0]
    with pytest.raises(Refused) as refused:
        service.register_batch(Event.get_by_id(s.event.id), [], account=head, withdraw_others=[absent.member])
    assert "活动已开始" in refused.value.message or "名单已锁定" in refused.value.message
    assert Registration.get_by_id(absent.id).status == "active"


def test_the_participation_award_pays_a_missing_sign_out_like_an_early_leave():
    rule = ParticipationRule(amount=Decimal("50"))
    assert rule.award(Attendance.ON_TIME) == Decimal("50.00")
    assert rule.award(Attendance.NO_SIGN_OUT) == rule.award(Attendance.EARLY_LEAVE) == Decimal("25.00")
    assert rule.award(Attendance.LATE_EARLY_LEAVE) == Decimal("25.00")
    assert rule.award(Attendance.LATE_NO_SIGN_OUT) == Decimal("25.00")
    stricter = ParticipationRule(amount=Decimal("50"), late="1/2", early_leave="1/5")
    assert stricter.award(Attendance.LATE_EARLY_LEAVE) == Decimal("10.00")
    assert {a.value for a in Attendance} >= {"late_early_leave", "no_sign_out", "late_no_sign_out"}
