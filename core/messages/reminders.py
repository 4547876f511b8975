"""The day-before reminder: every registrant (and the group robots, once) hears of an event the day
before it starts, in the event's own time zone, with the time, the place and the calendar link.

``queue_reminders()`` may run as often as one likes (``huodong remind`` from cron, or every round of
``huodong worker``): the dedupe key names the event, the member and the day, so nobody is reminded
twice; an event moved to another day reminds again for the new day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.db import db
from core.messages.outbox import link_to, notify_group, send
from core.models import Event, Member, Registration
from core.timeutil import to_local, utcnow


def due_events(now: datetime | None = None) -> list[Event]:
    """Published events whose local start date is tomorrow, as seen in their own zone now."""
    now = now or utcnow()
    candidates = Event.select().where(Event.status == "published", Event.starts_at > now,
                                      Event.starts_at < now + timedelta(hours=50))
    found = []
    for event in candidates:
        today = to_local(now, event.timezone).date()
        if to_local(event.starts_at, event.timezone).date() == today + timedelta(days=1):
            found.append(event)
    return found


def queue_reminders(now: datetime | None = None) -> int:
    """Queue tomorrow's reminders; return how many were new."""
    count = 0
    for event in due_events(now):
        day = to_local(event.starts_at, event.timezone).date().isoformat()
        context = {"calendar": link_to("feeds.event_ics", event_id=event.id)}
        members = (Member.select().join(Registration, on=(Registration.member == Member.id))
                   .where(Registration.event == event, Registration.status == "active"))
        with db.atomic():
            for member in members:
                if send(member, "event.reminder", context, event=event, dedupe=f"reminder:{event.id}:{member.id}:{day}",
                        group=False) is not None:
                    count += 1
            notify_group("event.reminder", context, event=event, dedupe=f"group:reminder:{event.id}:{day}")
    return count
