"""Checkpoints in calendar feeds: each gathering point or item sign-in as its own entry, from the
opening of its window to its start (the time to be there).
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.calendar import FeedItem
from core.models import Entry, Registration
from core.timeutil import aware_utc
from plugins.checkin import checkpoints
from plugins.checkin.checkpoints import MAIN
from plugins.checkin.models import Checkpoint


def feed_items(event, member) -> list[FeedItem]:
    """The event's checkpoints other than the main one (and those another plugin shows itself); for a
    personal feed only those he is expected at."""
    cps = list(Checkpoint.select().where(Checkpoint.event == event.id, Checkpoint.key != MAIN,
                                         Checkpoint.in_calendar == True)  # noqa: E712
               .order_by(Checkpoint.sort, Checkpoint.id))
    if not cps:
        return []
    if member is not None:
        registration = Registration.get_or_none(Registration.event == event.id,
                                                Registration.member == getattr(member, "id", member),
                                                Registration.status == "active")
        if registration is None:
            return []
        entered = {e.item_id for e in Entry.select(Entry.item).where(Entry.registration == registration.id)}
        cps = [cp for cp in cps if not cp.item_id or cp.item_id in entered]
    items = []
    for cp in cps:
        window = checkpoints.window_of(cp, event)
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
            categories=(_("签到"),),
        ))
    return items
