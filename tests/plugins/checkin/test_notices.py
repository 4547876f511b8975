"""What sign-in tells people: a checkpoint opening (once, to those expected, only for checkpoints meant to
be used), the window in the day-before reminder, and the organizer's one tap that reminds the missing."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.messages.models import Message
from core.messages.reminders import queue_reminders
from core.timeutil import from_local, to_local, utcnow
from plugins.checkin import checkpoints
from plugins.checkin.models import Excuse
from tests.plugins.checkin.helpers import code_of, event_now, register, scan, setup
from tests.support import run_cli, text_of


def _kind(kind: str) -> list[Message]:
    return list(Message.select().where(Message.kind == kind).order_by(Message.member))


def test_a_checkpoint_opening_tells_each_expected_person_once(app, factory):
    s = setup(factory)
    now = utcnow()
    checkpoints.save(s.event, {"key": "gate", "name": "东门签到", "place": "学校东门", "opens_at": now + timedelta(minutes=5)})
    s.registrations[3].status = "withdrawn"
    s.registrations[3].save()
    draft = event_now(factory, s.school, title="草稿活动", status="draft")
    register(draft, s.members[:1])
    checkpoints.save(draft, {"key": "gate", "name": "东门签到", "opens_at": now + timedelta(minutes=5)})

    assert queue_reminders(now) == 3
    opening = _kind("checkin.opening")
    assert {m.member_id for m in opening} == {m.id for m in s.members[:3]}
    assert opening[0].subject == f"签到开始：{s.event.title}"
    assert "“全体教职工大会”东门签到的签到" in opening[0].body and "地点：学校东门" in opening[0].body
    assert "后算迟到" in opening[0].body
    assert queue_reminders(now + timedelta(minutes=10)) == 0  # the next round: nobody twice
    assert "已排队 0 条提醒" in run_cli(app, "remind").output


def test_an_event_that_never_set_up_sign_in_announces_nothing(app, factory):
    s = setup(factory)  # only the main checkpoint, its window left to the event's times (opened 20 minutes ago)
    checkpoints.ensure_main(s.event)
    assert queue_reminders(utcnow() - timedelta(minutes=20)) == 0
    assert _kind("checkin.opening") == []


def test_the_main_checkpoint_is_announced_once_its_window_is_set(app, factory):
    s = setup(factory)
    now = utcnow()
    main = checkpoints.ensure_main(s.event)
    checkpoints.save(s.event, {"key": "main", "name": main.name, "opens_at": now - timedelta(minutes=2)}, main)
    assert queue_reminders(now) == 4


def test_the_day_before_reminder_gives_the_sign_in_window_and_place(app, factory):
    school = factory.school()
    day = to_local(utcnow()).date() + timedelta(days=1)
    start = from_local(datetime(day.year, day.month, day.day, 8, 30))
    event = factory.event(school["school"], title="明日大会", venue="报告厅", starts_at=start,
                          ends_at=start + timedelta(hours=2))
    member = factory.member(school["g1"], name="冯去")
    register(event, [member])
    checkpoints.save(event, {"key": "gate", "name": "东门签到", "place": "学校东门",
                             "opens_at": start - timedelta(minutes=30), "closes_at": start + timedelta(minutes=15)})
    queue_reminders()
    [reminder] = _kind("event.reminder")
    assert "签到：东门签到 08:00–08:45（学校东门）" in reminder.body


def test_one_tap_reminds_everyone_still_missing_once(app, client, factory, login_as):
    s = setup(factory)
    scan(client, s, code_of(s.registrations[0]))
    Excuse.create(checkpoint=checkpoints.ensure_main(s.event), registration=s.registrations[1], reason="出差")
    login_as(s.organizer)
    live = text_of(client.get(f"/checkin/events/{s.event.id}/live"))
    assert "提醒所有未签到的人" in live
    url = f"/checkin/events/{s.event.id}/remind-missing"
    answer = client.post(url, follow_redirects=True)
    assert "已提醒 2 位未签到的人" in text_of(answer)
    missing = _kind("checkin.missing")
    assert {m.member_id for m in missing} == {s.members[2].id, s.members[3].id}
    assert missing[0].subject == f"请尽快签到：{s.event.title}" and "您还没有签到" in missing[0].body
    again = client.post(url, follow_redirects=True)
    assert "未到的 2 人都已提醒过" in text_of(again) and len(_kind("checkin.missing")) == 2
    scan(client, s, code_of(s.registrations[2]))
    scan(client, s, code_of(s.registrations[3]))
    assert "已全部到齐" in text_of(client.post(url, follow_redirects=True))


def test_whoever_only_scans_sees_no_remind_button(app, client, factory, login_as):
    s = setup(factory)
    volunteer = factory.account("volunteer", roles=[("volunteer", None, s.event)])
    login_as(volunteer)
    assert "提醒所有未签到的人" not in text_of(client.get(f"/checkin/events/{s.event.id}/live"))
    assert client.post(f"/checkin/events/{s.event.id}/remind-missing").status_code == 403
    assert _kind("checkin.missing") == []


def test_a_volunteer_is_told_of_his_task_and_of_its_end(app, client, factory, login_as):
    s = setup(factory)
    helper = factory.account("helper", member=factory.member(s.school["g1"], name="志愿者小周"))
    login_as(s.organizer)
    url = f"/checkin/events/{s.event.id}/volunteers"
    client.post(url, data={"username": "helper"})
    [assigned] = _kind("event.assigned")
    assert assigned.member_id == helper.member_id and "扫码志愿者" in assigned.body
    client.post(url, data={"username": "helper", "action": "remove"})
    client.post(url, data={"username": "helper", "action": "remove"})  # nothing left to remove: nothing said
    [ended] = _kind("event.unassigned")
    assert ended.subject == f"任务取消：{s.event.title}" and "扫码志愿者任务已取消" in ended.body
