"""Checkpoints in calendar feeds: each gathering point or item sign-in as its own entry, from the
opening of its window to its start (the time to be there).
"""

from __future__ import annotations

from flask_babel import gettext as _
from peewee import JOIN

from core.calendar import FeedItem
from core.db import id_in
from core.models import Entry, Item, Registration
from core.timeutil import aware_utc
from plugins.checkin import checkpoints
from plugins.checkin.checkpoints import MAIN
from plugins.checkin.models import Checkpoint


def feed_items(event, member) -> list[FeedItem]:
    """The event's checkpoints other than the main one (and those another plugin shows itself); for a
    personal feed only those he is expected at."""
    return feed_items_many([event], member).get(event.id, [])


def feed_items_many(events, member) -> dict[int, list[FeedItem]]:
    """:func:`feed_items` of many events at once, by event id: the checkpoints (with their items'
    times) in one query, and for a personal feed his registrations and entries in one each.
    """
    by_id = {e.id: e for e in events}
    cps: dict[int, list[Checkpoint]] = {}
    query = (Checkpoint.select(Checkpoint, Item.id, Item.starts_at, Item.ends_at)
             .join(Item, JOIN.LEFT_OUTER, on=(Checkpoint.item == Item.id))
             .where(id_in(Checkpoint.event, by_id), Checkpoint.key != MAIN,
                    Checkpoint.in_calendar == True)  # noqa: E712
             .order_by(Checkpoint.sort, Checkpoint.id))
    for cp in query:
        cps.setdefault(cp.event_id, []).append(cp)
    if not cps:
        return {}
    if member is not None:
        member_id = getattr(member, "id", member)
        registrations = dict(Registration.select(Registration.event, Registration.id)
                             .where(id_in(Registration.event, cps), Registration.member == member_id,
                                    Registration.status == "active").tuples())
        entered = set(Entry.select(Entry.registration, Entry.item)
                      .where(Entry.registration.in_(list(registrations.values()))).tuples()) if registrations else set()
        cps = {event_id: [cp for cp in found if not cp.item_id or (registrations[event_id], cp.item_id) in entered]
               for event_id, found in cps.items() if event_id in registrations}
    out: dict[int, list[FeedItem]] = {}
    label = (_("签到"),)
    for event_id, found in cps.items():
        event = by_id[event_id]
        items = out[event_id] = []
        for cp in found:
            window = checkpoints.window_of(cp, event, cp.item if cp.item_id else None)
            items.append(FeedItem(
                uid=f"event-{event.id}-checkpoint-{cp.id}@huodong",
                summary=f"{event.title} · {cp.name}",
                start=aware_utc(window.opens_at),
                end=aware_utc(max(window.starts_at, window.opens_at)),
                last_modified=aware_utc(max(cp.updated_at, event.updated_at)),
                tz=event.timezone,
                location=cp.place or event.venue or None,
                description=_("签到地点：%(name)s", name=cp.name),
                sequence=event.sequence,
                categories=label,
            ))
    return out
