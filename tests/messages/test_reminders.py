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
