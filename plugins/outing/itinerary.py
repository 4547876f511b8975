"""The itinerary: timed stops with places and notes, their calendar entries, and the notices that
tell registrants when a stop changed. A gathering stop's checkpoint in the sign-in plugin follows
every change (see :mod:`plugins.outing.roll_call`)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from core.calendar import FeedItem
from core.db import db, id_in
from core.errors import Invalid, NotFound
from core.models import Event, Registration
from core.services import audit
from core.services.feeds import component_uid
from core.timeutil import aware_utc, format_datetime, utcnow
from plugins.outing import roll_call
from plugins.outing.models import Notice, Stop

FIELDS = ("starts_at", "ends_at", "title", "place", "note", "gathering")


def stops(event: Event) -> list[Stop]:
    return list(Stop.select().where(Stop.event == event).order_by(Stop.starts_at, Stop.id))


def get_stop(event: Event, stop_id: int) -> Stop:
    stop = Stop.get_or_none(Stop.id == stop_id, Stop.event == event)
    if stop is None:
        raise NotFound(_("找不到该行程"))
    return stop


def _check(data: dict) -> None:
    errors = {}
    if "title" in data and not (data.get("title") or "").strip():
        errors["title"] = _("请填写行程名称")
    start, end = data.get("starts_at"), data.get("ends_at")
    if "starts_at" in data and not isinstance(start, datetime):
        errors["starts_at"] = _("请填写时间")
    if start and end and end < start:
        errors["ends_at"] = _("结束时间不能早于开始时间")
    if errors:
        raise Invalid(_("行程有误"), errors)


def _snapshot(stop: Stop) -> dict:
    return {name: getattr(stop, name) for name in FIELDS}


def _changed(event: Event, text: str) -> None:
    """Move the event's calendar sequence and leave a notice for registrants."""
    event.touch()
    event.save(only=[Event.sequence, Event.updated_at])
    Notice.create(event=event, text=text[:500])


def add_stop(event: Event, data: dict, *, account=None) -> Stop:
    if not data.get("starts_at"):
        raise Invalid(_("行程有误"), {"starts_at": _("请填写时间")})
    _check(data | {"title": data.get("title", "")})
    with db.atomic():
        stop = Stop.create(event=event, **{k: v for k, v in data.items() if k in FIELDS})
        roll_call.sync_checkpoint(event, stop, account=account)
        _changed(event, _("行程新增：%(when)s %(title)s", when=format_datetime(stop.starts_at, event.timezone),
                          title=stop.title))
        audit.record("outing.stop.create", stop, after=_snapshot(stop), account=account, event=event)
    return stop


def update_stop(stop: Stop, data: dict, *, account=None) -> Stop:
    """Change a stop; registrants see a notice and calendar feeds a new sequence."""
    _check(data)
    event = Event.get_by_id(stop.event_id)
    before = _snapshot(stop)
    with db.atomic():
        for key, value in data.items():
            if key in FIELDS:
                setattr(stop, key, value.strip() if isinstance(value, str) else value)
        if _snapshot(stop) == before:
            return stop
        stop.updated_at = utcnow()
        stop.save()
        roll_call.sync_checkpoint(event, stop, account=account)
        _changed(event, _("行程变更：%(title)s 改为 %(when)s，%(place)s", title=stop.title,
                          when=format_datetime(stop.starts_at, event.timezone), place=stop.place or "-"))
        audit.record("outing.stop.update", stop, before=before, after=_snapshot(stop), account=account, event=event)
    return stop


def notices(event: Event, limit: int = 5) -> list[Notice]:
    return list(Notice.select().where(Notice.event == event).order_by(Notice.at.desc(), Notice.id.desc())
                .limit(limit))


def feed_items(event: Event, member=None) -> list[FeedItem]:
    """The stops as calendar entries; a personal feed gets them only when the member is going."""
    return feed_items_many([event], member).get(event.id, [])


def feed_items_many(events, member=None) -> dict[int, list[FeedItem]]:
    """:func:`feed_items` of many events at once, by event id (one query)."""
    by_id = {e.id: e for e in events}
    if member is not None:
        going = set(Registration.select(Registration.event)
                    .where(id_in(Registration.event, by_id), Registration.member == member,
                           Registration.status == "active").tuples())
        by_id = {event_id: e for event_id, e in by_id.items() if (event_id,) in going}
    out: dict[int, list[FeedItem]] = {}
    for stop in Stop.select().where(id_in(Stop.event, by_id)).order_by(Stop.starts_at, Stop.id):
        event = by_id[stop.event_id]
        start = aware_utc(stop.starts_at)
        end = max(aware_utc(stop.ends_at), start) if stop.ends_at else start  # a stored end may precede the start
        modified = max(aware_utc(stop.updated_at), aware_utc(event.updated_at))
        out.setdefault(event.id, []).append(FeedItem(
            uid=component_uid(event, f"stop-{stop.id}"), summary=f"{event.title}：{stop.title}", start=start,
            end=end, last_modified=modified, tz=event.timezone, location=stop.place or None,
            description=stop.note or None, sequence=event.sequence,
            status="CANCELLED" if event.status == "cancelled" else "CONFIRMED"))
    return out
