"""The day-before reminder: tomorrow in the event's zone, once per member and day however often it runs,
to active registrants only, with time, place and the calendar link; the group hears once."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.messages.models import Message
from core.messages.reminders import queue_reminders
from core.services import registrations as service
from core.timeutil import from_local, to_local, utcnow
from tests.messages.conftest import deliver
from tests.support import run_cli


def _tomorrow_at(hour: int) -> datetime:
    day = to_local(utcnow()).date() + timedelta(days=1)
    return from_local(datetime(day.year, day.month, day.day, hour, 30))


def test_reminders_go_once_to_active_registrants_the_day_before(app, factory, robots):
    school = factory.school()
    organizer = factory.account("org", roles=[("organizer", school["school"])])
    tomorrow = factory.event(school["school"], title="明日讲座", venue="报告厅", capacity=1,
                             starts_at=_tomorrow_at(9), hours=2)
    later = factory.event(school["school"], title="下周活动", starts_in_days=7)
    going = factory.member(school["g1"], name="冯去")
    waiting = factory.member(school["g1"], name="陈等")
    for member in (going, waiting):
        service.register(tomorrow, service.Request(member=member), account=organizer)
        service.register(later, service.Request(member=member), account=organizer)
    assert queue_reminders() == 1
    assert queue_reminders() == 0  # run again: nobody twice
    result = run_cli(app, "remind")
    assert "已排队 0 条提醒" in result.output
    [reminder] = Message.select().where(Message.kind == "event.reminder", Message.member.is_null(False))
    assert reminder.member_id == going.id and reminder.subject == "明天：明日讲座"
    assert "报告厅" in reminder.body and "09:30" in reminder.body
    assert f"加入日历：http://huodong.test/events/{tomorrow.id}.ics" in reminder.body
    deliver()
    texts = [p["json"]["text"]["content"] for p in robots.posts]
    assert len(texts) == 2 and all(t.startswith("【活动提醒】“明日讲座”明天举行。") for t in texts)
    assert "冯去" not in "".join(texts)


def test_captains_and_department_heads_hear_of_the_deadline_once(app, factory):
    from core.models import Registration, Team

    school = factory.school()
    now = utcnow()
    event = factory.event(school["school"], title="教工运动会", starts_in_days=5,
                          registration_closes_at=now + timedelta(hours=10))
    factory.event(school["school"], title="下月活动", starts_in_days=40,
                  registration_closes_at=now + timedelta(days=20))
    captain = factory.member(school["g1"], name="韩队长")
    team = Team.create(event=event, name="初一代表队", unit=school["g1"], captain=captain)
    head = factory.member(school["g2"], name="许主任")
    factory.account("head2", member=head, roles=[("dept_head", school["g2"])])
    factory.account("head_no_member", roles=[("dept_head", school["g1"])])  # no member: nobody to tell
    for member in (captain, factory.member(school["g1"])):
        Registration.create(event=event, member=member, team=team)
    Registration.create(event=event, member=factory.member(school["g2"]))
    assert queue_reminders(now) == 2
    assert queue_reminders(now + timedelta(minutes=10)) == 0
    told = {m.member_id: m for m in Message.select().where(Message.kind == "registration.deadline")}
    assert set(told) == {captain.id, head.id}
    assert told[captain.id].subject == "报名即将截止：教工运动会"
    assert "初一代表队目前已报名 2 人" in told[captain.id].body
    assert "初二年级组目前已报名 1 人" in told[head.id].body
    assert f"报名页面：http://huodong.test/events/{event.id}" in told[head.id].body


def test_those_still_waiting_when_the_event_starts_hear_they_got_no_place(app, factory):
    school = factory.school()
    organizer = factory.account("org", roles=[("organizer", school["school"])])
    event = factory.event(school["school"], title="春游", capacity=1, starts_in_days=3)
    going, waiting = factory.member(school["g1"], name="冯去"), factory.member(school["g1"], name="陈等")
    for member in (going, waiting):
        service.register(event, service.Request(member=member), account=organizer)
    queue_reminders()  # before the start: still hoping
    assert not Message.select().where(Message.kind == "registration.refused").exists()
    started = event.starts_at + timedelta(minutes=5)
    queue_reminders(started)
    queue_reminders(started + timedelta(minutes=10))
    [refused] = Message.select().where(Message.kind == "registration.refused")
    assert refused.member_id == waiting.id and refused.subject == "报名未通过：春游"
    assert "原因：活动已开始，候补名单上的名额没有空出，未能递补" in refused.body
