"""On time, late, early leave, absent and excused, exactly at the edges of the window.

The event: sign-in from 8:00, start 8:30 with a 5-minute grace, end 11:30 (Beijing time), yesterday,
so that scans can carry the times they were read at.
"""

from datetime import datetime, timedelta

import pytest

from core.timeutil import to_local, utcnow
from plugins.checkin import checkpoints
from plugins.checkin.public import attendance_status, attendance_statuses
from plugins.checkin.windows import Window, final_status
from tests.plugins.checkin.helpers import code_of, local, scan, setup


@pytest.fixture
def s(app, factory):
    day = to_local(utcnow()).date() - timedelta(days=1)
    day = datetime(day.year, day.month, day.day)
    school = factory.school()
    event = factory.event(school["school"], title="工会干部趣味运动会", starts_at=local(day, 8, 30),
                          ends_at=local(day, 11, 30))
    data = setup(factory, people=8, event=event, school=school)
    cp = checkpoints.ensure_main(event)
    checkpoints.save(event, {"opens_at": local(day, 8, 0), "grace_minutes": 5, "sign_out": True}, cp)
    data.day = day
    return data


def at(s, hour, minute, second=0):
    return f"{s.day:%Y-%m-%d}T{hour:02d}:{minute:02d}:{second:02d}+08:00"


def test_sign_in_edges(client, s):
    regs = s.registrations
    cases = [
        (regs[0], (7, 59, 59), "outside_window", None),
        (regs[1], (8, 0, 0), "ok", "on_time"),
        (regs[2], (8, 35, 0), "ok", "on_time"),
        (regs[3], (8, 35, 1), "ok", "late"),
        (regs[4], (11, 30, 0), "ok", "late"),
        (regs[5], (11, 30, 1), "outside_window", None),
    ]
    for reg, (h, m, sec), result, status in cases:
        answer = scan(client, s, code_of(reg), scanned_at=at(s, h, m, sec)).get_json()
        assert (answer["result"], answer["status"]) == (result, status), (h, m, sec, answer)
    # the event asked for a sign-out and has ended: nobody here signed out
    assert attendance_status(s.event, regs[1].member) == "no_sign_out"
    assert attendance_status(s.event, regs[2].member) == "no_sign_out"
    assert attendance_status(s.event, regs[3].member) == "late_no_sign_out"
    assert attendance_status(s.event, regs[0].member) == "absent"  # refused, and the window has closed
    assert attendance_status(s.event, regs[6].member) == "absent"
    statuses = attendance_statuses(s.event, [r.member_id for r in regs])
    assert statuses == {regs[0].member_id: "absent", regs[1].member_id: "no_sign_out",
                        regs[2].member_id: "no_sign_out", regs[3].member_id: "late_no_sign_out",
                        regs[4].member_id: "late_no_sign_out", regs[5].member_id: "absent",
                        regs[6].member_id: "absent", regs[7].member_id: "absent"}


def test_sign_out_edges_and_early_leave(client, s):
    regs = s.registrations
    for reg in regs[:3]:
        scan(client, s, code_of(reg), scanned_at=at(s, 8, 10))
    first = scan(client, s, code_of(regs[0]), kind="out", scanned_at=at(s, 11, 29, 59)).get_json()
    assert first["ok"] and first["status"] == "early_leave"
    second = scan(client, s, code_of(regs[1]), kind="out", scanned_at=at(s, 11, 30)).get_json()
    assert second["ok"] and second["status"] == "on_time"
    assert attendance_status(s.event, regs[0].member) == "early_leave"
    assert attendance_status(s.event, regs[1].member) == "on_time"
    assert attendance_status(s.event, regs[2].member) == "no_sign_out"  # asked to sign out, never did
    refused = scan(client, s, code_of(regs[5]), kind="out", scanned_at=at(s, 11, 40)).get_json()
    assert refused["result"] == "not_signed_in"


def test_excused_wins_and_is_listed(client, s):
    from plugins.checkin import overrides

    cp = checkpoints.ensure_main(s.event)
    scan(client, s, code_of(s.registrations[0]), scanned_at=at(s, 8, 10))
    overrides.excuse(cp, s.registrations[7], reason="带学生参加市里比赛", account=s.organizer)
    assert attendance_status(s.event, s.registrations[7].member) == "excused"
    overrides.unexcuse(cp, s.registrations[7], account=s.organizer)
    assert attendance_status(s.event, s.registrations[7].member) == "absent"


def test_an_event_that_never_used_sign_in_makes_nobody_absent(app, client, s):
    assert attendance_status(s.event, s.registrations[0].member) is None
    scan(client, s, code_of(s.registrations[1]), scanned_at=at(s, 8, 10))
    assert attendance_status(s.event, s.registrations[0].member) == "absent"


def test_not_known_before_the_window_closes_and_none_for_strangers(app, factory):
    data = setup(factory)  # an event starting in ten minutes
    assert attendance_status(data.event, data.members[0]) is None
    stranger = factory.member(data.school["g1"])
    assert attendance_status(data.event, stranger) is None


def test_window_defaults_follow_the_event():
    start = datetime(2024, 5, 26, 0, 30)
    w = Window.build(default_start=start, default_end=start + timedelta(hours=3))
    assert w.opens_at == start - timedelta(minutes=30) and w.closes_at == start + timedelta(hours=3)
    assert w.sign_in_status(start) == "on_time" and w.sign_in_status(start + timedelta(microseconds=1)) == "late"
    assert final_status(w, signed_in=None, signed_out=None, excused=False, now=w.closes_at) is None
    assert final_status(w, signed_in=None, signed_out=None, excused=False,
                        now=w.closes_at + timedelta(seconds=1)) == "absent"
    assert final_status(w, signed_in="late", signed_out="early_leave", excused=False, now=start) == "late_early_leave"


def test_late_and_early_leave_are_both_kept_and_a_missed_sign_out_is_its_own_status(client, s):
    regs = s.registrations
    scan(client, s, code_of(regs[0]), scanned_at=at(s, 8, 50))  # late
    scan(client, s, code_of(regs[0]), kind="out", scanned_at=at(s, 10, 0))  # and left early
    scan(client, s, code_of(regs[1]), scanned_at=at(s, 8, 50))  # late, never signed out
    scan(client, s, code_of(regs[2]), scanned_at=at(s, 8, 10))  # on time, never signed out
    statuses = attendance_statuses(s.event, [r.member_id for r in regs[:3]])
    assert statuses == {regs[0].member_id: "late_early_leave", regs[1].member_id: "late_no_sign_out",
                        regs[2].member_id: "no_sign_out"}
    # the organizer who knows better records the sign-out by hand, with a reason
    from plugins.checkin import overrides

    overrides.manual(checkpoints.ensure_main(s.event), s.registrations[2], kind="out", reason="签退机故障，现场确认",
                     account=s.organizer)
    assert attendance_status(s.event, regs[2].member) == "on_time"


def test_a_missing_sign_out_is_not_known_before_the_end(app, factory):
    start = utcnow() - timedelta(hours=1)
    window = Window.build(default_start=start, default_end=start + timedelta(hours=3), sign_out=True)
    assert final_status(window, signed_in="on_time", signed_out=None, excused=False, now=utcnow()) == "on_time"
    after = start + timedelta(hours=3, seconds=1)
    assert final_status(window, signed_in="on_time", signed_out=None, excused=False, now=after) == "no_sign_out"
    no_sign_out_asked = Window.build(default_start=start, default_end=start + timedelta(hours=3))
    assert final_status(no_sign_out_asked, signed_in="late", signed_out=None, excused=False, now=after) == "late"
