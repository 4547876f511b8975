"""Messages the clock makes due: the day-before reminder, the registration deadline, and whatever plugins
queue through ``huodong_scheduled`` (the sign-in plugin: a checkpoint opening).

- Every registrant (and the group robots, once) hears of an event the day before it starts, in the
  event's own time zone, with the time, the place, the sign-in window and the calendar link.
- In the last day before registration closes, each team captain and each department head whose
  department the event is open to hears how many of theirs are registered, so that a late name is
  added in time.
- Once the event has started, whoever is still on its waiting list hears that no place came free.

``queue_reminders()`` may run as often as one likes (``huodong remind`` from cron, or every round of
``huodong worker``): each dedupe key names the event, the member and the day (or the deadline), so
nobody is told twice; an event moved to another day reminds again for the new day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from core.db import db
from core.messages.kinds import Text, _l
from core.messages.outbox import link_to, notify_group, send
from core.models import Account, Event, Member, Registration, RoleGrant, Team, Unit
from core.plugins import event_hooks
from core.timeutil import to_local, utcnow

DEADLINE_NOTICE = timedelta(hours=24)
WAITLIST_ENDED = _l("活动已开始，候补名单上的名额没有空出，未能递补。感谢您的关注。")


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


def _plugin_context(event: Event) -> dict:
    context: dict = {}
    for part in event_hooks(current_app.extensions["huodong_pm"], event).huodong_reminder_context(event=event):
        context |= part or {}
    return context


def queue_day_before(now: datetime | None = None) -> int:
    """Queue tomorrow's reminders; return how many were new."""
    count = 0
    for event in due_events(now):
        day = to_local(event.starts_at, event.timezone).date().isoformat()
        context = {"calendar": link_to("feeds.event_ics", event_id=event.id)} | _plugin_context(event)
        members = (Member.select().join(Registration, on=(Registration.member == Member.id))
                   .where(Registration.event == event, Registration.status == "active"))
        with db.atomic():
            for member in members:
                if send(member, "event.reminder", context, event=event, dedupe=f"reminder:{event.id}:{member.id}:{day}",
                        group=False) is not None:
                    count += 1
            notify_group("event.reminder", context, event=event, dedupe=f"group:reminder:{event.id}:{day}")
    return count


def closing_events(now: datetime) -> list[Event]:
    """Published events whose registration closes within the next day."""
    return list(Event.select().where(Event.status == "published", Event.registration_closes_at > now,
                                     Event.registration_closes_at <= now + DEADLINE_NOTICE))


def _registered(event: Event, **where) -> int:
    query = Registration.select().where(Registration.event == event, Registration.status == "active")
    if "team" in where:
        query = query.where(Registration.team == where["team"])
    if "path" in where:
        query = query.join(Member).join(Unit).where(Unit.path.startswith(where["path"]))
    return query.count()


def _department_heads(event: Event) -> list[tuple[Member, Unit]]:
    """Department heads (with a member record) of units in the event's unit's subtree, with their unit."""
    rows = (RoleGrant.select(RoleGrant, Account, Unit).join(Account).switch(RoleGrant).join(Unit)
            .where(RoleGrant.role == "dept_head", Unit.path.startswith(event.unit.path),
                   Account.is_active == True, Account.member.is_null(False))  # noqa: E712
            .order_by(Unit.path))
    members = {m.id: m for m in Member.select().where(Member.id.in_([r.account.member_id for r in rows] or [0]))}
    return [(members[r.account.member_id], r.unit) for r in rows if r.account.member_id in members]


def queue_deadlines(now: datetime | None = None) -> int:
    """Tell captains and department heads of registrations closing within a day; return how many were new."""
    now = now or utcnow()
    count = 0
    for event in closing_events(now):
        closes = event.registration_closes_at.isoformat()
        context = {"closes_at": event.registration_closes_at,
                   "page": link_to("events.show", event_id=event.id)}
        with db.atomic():
            for team in Team.select().where(Team.event == event, Team.captain.is_null(False)):
                member = Member.get_by_id(team.captain_id)
                if send(member, "registration.deadline",
                        context | {"whose": team.name, "count": _registered(event, team=team.id)}, event=event,
                        dedupe=f"deadline:{event.id}:team{team.id}:{member.id}:{closes}", group=False):
                    count += 1
            for member, unit in _department_heads(event):
                if send(member, "registration.deadline",
                        context | {"whose": unit.name, "count": _registered(event, path=unit.path)}, event=event,
                        dedupe=f"deadline:{event.id}:unit{unit.id}:{member.id}:{closes}", group=False):
                    count += 1
    return count


def queue_waitlist_ends(now: datetime | None = None) -> int:
    """Tell those still on the waiting list when the event has started: no place came free for them."""
    now = now or utcnow()
    count = 0
    started = Event.select().where(Event.status.in_(("published", "closed", "running")), Event.starts_at <= now,
                                   Event.starts_at > now - timedelta(days=2))
    for event in started:
        waiting = (Registration.select(Registration, Member).join(Member)
                   .where(Registration.event == event, Registration.status == "waitlisted"))
        with db.atomic():
            for reg in waiting:
                if send(reg.member, "registration.refused", {"reason": Text(WAITLIST_ENDED)}, event=event,
                        dedupe=f"registration:{reg.id}:waitlist-ended", group=False):
                    count += 1
    return count


def queue_reminders(now: datetime | None = None) -> int:
    """Queue every message the clock has made due (core and plugins); return how many were new."""
    now = now or utcnow()
    count = queue_day_before(now) + queue_deadlines(now) + queue_waitlist_ends(now)
    for queued in current_app.extensions["huodong_pm"].hook.huodong_scheduled(now=now):
        count += queued or 0
    return count
