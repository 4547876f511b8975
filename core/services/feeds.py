"""Calendar feeds of events: which events each feed holds, their iCalendar items and their ETag.

Three feeds are published (see :mod:`core.views.feeds`):

* one event (``/events/<id>.ics``), for "add to calendar";
* a unit's feed: the events it owns and those of the units above it (an event is open to the
  units below its owner), never a sibling's;
* a member's personal feed: the events he is actively registered for, with the components
  plugins add for him (his checkpoints, his items).

A feed holds what happens from :data:`WINDOW_PAST` ago to :data:`WINDOW_AHEAD` ahead, never a
draft, and a cancelled event for :data:`CANCELLED_KEPT` after its cancellation (as
``STATUS:CANCELLED``, so that subscribers see it go). The window moves once a day, which keeps
the ETag of an unchanged feed the same all day.

Validators. A **unit feed**'s ETag is one indexed read: the :class:`core.models.FeedStamp` rows of
the unit and the units above it (those whose events the feed holds). Database triggers on the
``event`` table (migration ``011_feed_stamps``) raise a unit's stamp (a counter and the time) in
the same transaction as every insert, update or delete of one of its events, for the owning unit
before and after the change, whatever the path: ``save()``, ``touch_event``, bulk ``update()`` or
``delete()``. The tag hashes those stamps with everything else the bytes depend on: the unit's
id and path (a move in the tree), the feed's name and description (the unit's name, the
language), the window's day (events entering and leaving it, cancelled ones aging out), the
base URL, the activity types' labels and the plugins that add components. It is correct as long
as every change to what is rendered for an event writes the event row, the rule plugins already
follow (their components carry the event's SEQUENCE): :meth:`core.models.Event.touch` and
:func:`core.models.events.touch_event` do it. The stamps are read before the events, so a change
committed in between gives a newer body under the older tag (fetched again next time), never the
reverse. Last-Modified is the newest stamp or the window's day, whichever is later.

Triggers rather than calls in the write paths: bulk queries skip every model method, and a stamp
kept by the database cannot be forgotten by the next write path. A stamp is per unit, so a change
reaches the feeds of that unit and of the units below it only. Its time is hashed with its counter:
after a restore puts older counters back, tags still never repeat. A change to how feeds are
rendered must raise ``_UNIT_FEED_FORMAT``.

A **personal feed** spans events of many units but only those of one member (a few dozen): its
ETag follows :func:`core.calendar.feed_etag` over ``(uid, sequence, last_modified, status)`` of
his events, where an event's ``last_modified`` is the later of the event's and his
registration's ``updated_at``; its Last-Modified also counts his latest withdrawal. The feed of
**one event** is always built.

Rows are read through the database cursor and converted here: a feed of 5,000 events must not
pay for 5,000 model instances.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from peewee import fn

from core.calendar import FeedItem, FeedKey, build_calendar, feed_etag
from core.collector import collector_paused
from core.db import db
from core.models import Event, FeedStamp, Member, Registration, Unit
from core.plugins import flatten
from core.records import maker
from core.timeutil import utcnow

WINDOW_PAST = timedelta(days=90)
"""How far back a unit or personal feed reaches."""
WINDOW_AHEAD = timedelta(days=400)
"""How far ahead a unit or personal feed reaches."""
CANCELLED_KEPT = timedelta(days=30)
"""How long a cancelled event stays in feeds after its cancellation."""
REFRESH_MINUTES = 60
"""Suggested polling interval of subscribed calendars."""

# Event columns a feed reads, in the order of the raw rows below.
_COLUMNS = (
    Event.id, Event.sequence, Event.updated_at, Event.status, Event.title, Event.description,
    Event.venue, Event.timezone, Event.starts_at, Event.ends_at, Event.all_day, Event.reminder_minutes,
    Event.created_at, Event.activity_type, Event.unit, Event.settings, Event.cancelled_at,
)
_NAMES = tuple(c.name for c in _COLUMNS)
_KEY_COLUMNS = (Event.id, Event.sequence, Event.updated_at, Event.status)


@dataclass(frozen=True)
class Window:
    """The span of a feed, in naive UTC: events ending from ``start`` and starting before ``end``."""

    start: datetime
    end: datetime
    cancelled_since: datetime

    @classmethod
    def around(cls, now: datetime | None = None) -> Window:
        day = (now or utcnow()).replace(hour=0, minute=0, second=0, microsecond=0)
        return cls(day - WINDOW_PAST, day + WINDOW_AHEAD + timedelta(days=1), day - CANCELLED_KEPT)

    @property
    def day(self) -> datetime:
        """The (UTC) day the window was drawn for: it moves at midnight."""
        return self.start + WINDOW_PAST

    def condition(self):
        """The peewee condition selecting the events of a feed in this window."""
        return (
            (Event.status != "draft")
            & (Event.ends_at >= self.start)
            & (Event.starts_at < self.end)
            & ((Event.status != "cancelled") | (Event.cancelled_at.is_null(True) & (Event.updated_at >= self.cancelled_since))
               | (Event.cancelled_at >= self.cancelled_since))
        )


@dataclass(frozen=True)
class Validators:
    """A feed's ETag and Last-Modified, known without reading its events."""

    etag: str
    last_modified: datetime


@dataclass
class Feed:
    """What a view needs to answer for one feed: its validators, and how to build its body.

    A unit feed carries its :class:`Validators`; the others get their keys when they are built
    (from the same values).
    """

    params: dict
    keys: list[FeedKey] | None
    rows: list[tuple] | None = None
    member: Member | None = None
    stamps: dict[int, datetime] | None = None  # per event id, in the personal feed
    extra_stamp: datetime | None = None  # a change that left no row behind (a withdrawal)
    validators: Validators | None = None

    @property
    def etag(self) -> str:
        if self.validators is not None:
            return self.validators.etag
        assert self.keys is not None, "build the feed first"
        return feed_etag(self.keys, **self.params)

    @property
    def last_modified(self) -> datetime:
        if self.validators is not None:
            return self.validators.last_modified
        stamps = [key[2] for key in self.keys]
        if self.extra_stamp is not None:
            stamps.append(self.extra_stamp)
        return max(stamps, default=datetime(1970, 1, 1, tzinfo=UTC)).replace(microsecond=0)

    def build(self) -> bytes:
        """The feed's bytes (``rows`` must have been read)."""
        assert self.rows is not None, "read the feed with rows=True to build it"
        with collector_paused():  # thousands of small records, no cycles
            # Built in a call of its own, so that the records are freed before the collector runs
            # again: it would otherwise walk every one of them once more.
            return self._build()

    def _build(self) -> bytes:
        items = event_items(self.rows, member=self.member, stamps=self.stamps)
        if self.validators is None:  # the ETag of what is sent comes from the same values
            self.keys = [(item.uid, item.sequence, item.last_modified, item.status) for item in items]
        return build_calendar(items, **self.params)


# --------------------------------------------------------------------------
# Values


def _aware(value) -> datetime | None:
    """A database datetime (naive UTC, or text on SQLite) as an aware UTC datetime."""
    if value is None:
        return None
    if isinstance(value, str):  # parsing with the offset is several times faster than replace()
        return datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def uid_domain() -> str:
    """The domain part of every UID: the host of ``BASE_URL``."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "huodong"


def event_uid(event_id: int) -> str:
    """The stable UID of an event in every feed, e.g. ``event-12@huodong.example.org``."""
    return f"event-{event_id}@{uid_domain()}"


def component_uid(event, key: str) -> str:
    """A stable UID for a plugin's component of ``event``, e.g. ``event-12-stop-3@...``.

    ``key`` names the component within the event (``"stop-3"``, ``"judging-2"``) and must not change
    when the component's time or text does.
    """
    event_id = event if isinstance(event, int) else event.id
    return f"event-{event_id}-{key}@{uid_domain()}"


def event_url(event_id: int) -> str:
    """The absolute URL of the event's page."""
    return _url_prefix() + str(event_id)


def _url_prefix() -> str:
    sentinel = 987654321
    path = url_for("events.show", event_id=sentinel)
    return current_app.config["BASE_URL"].rstrip("/") + path[: -len(str(sentinel))]


_STATUSES = {"cancelled": "CANCELLED", "draft": "TENTATIVE"}


def _status(status: str) -> str:
    return _STATUSES.get(status, "CONFIRMED")


def component(event, key: str, summary: str, start: datetime, end: datetime | None = None, **fields) -> FeedItem:
    """A :class:`FeedItem` for a plugin's component of ``event`` (a stop, a judging session, an item).

    ``start``/``end`` are naive UTC (as stored) or aware datetimes; the zone, URL, SEQUENCE,
    LAST-MODIFIED and status are the event's unless given in ``fields``.
    """
    values = {
        "uid": component_uid(event, key),
        "summary": summary,
        "start": _aware(start),
        "end": _aware(end or start),
        "tz": event.timezone,
        "url": event_url(event.id),
        "sequence": event.sequence,
        "last_modified": _aware(event.updated_at),
        "status": _status(event.status),
    } | fields
    return FeedItem(**values)


def _all_day_end(starts_at: datetime, ends_at: datetime, tz: str) -> datetime:
    """An all-day event's last day: an end at local midnight means the day before."""
    from core.timeutil import to_local

    local = to_local(ends_at, tz)
    if ends_at > starts_at and (local.hour, local.minute, local.second) == (0, 0, 0):
        return ends_at - timedelta(seconds=1)
    return ends_at


# --------------------------------------------------------------------------
# Rows to items


_make_feed_item = maker(FeedItem)
_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=UTC)
_DATETIMES = ("starts_at", "ends_at", "updated_at", "created_at", "cancelled_at")


def _data(row: tuple, fromisoformat=datetime.fromisoformat) -> dict:
    """A row of ``_COLUMNS`` as an Event's ``__data__``: naive UTC datetimes, decoded settings.

    Datetimes come as naive UTC, as text on SQLite, or aware from some drivers; the loop is inline
    because it runs five times per event of a feed.
    """
    data = dict(zip(_NAMES, row, strict=True))
    for name in _DATETIMES:
        value = data[name]
        if value.__class__ is str:
            data[name] = fromisoformat(value)
        elif value is not None and value.tzinfo is not None:
            data[name] = value.astimezone(UTC).replace(tzinfo=None)
    data["all_day"] = bool(data["all_day"])
    settings = data["settings"]
    if isinstance(settings, str):
        data["settings"] = json.loads(settings) if settings != "{}" else {}
    elif not settings:
        data["settings"] = {}
    return data


def _event(data: dict) -> Event:
    """A light Event instance holding the columns a feed reads, for plugins' hooks."""
    event = Event(__no_default__=True)
    event.__data__ = dict(data)  # a plugin's change stays its own
    return event


def _has_components() -> bool:
    pm = current_app.extensions["huodong_pm"]
    return bool(pm.hook.huodong_calendar_components_batch.get_hookimpls()
                or pm.hook.huodong_calendar_components.get_hookimpls())


def plugin_components(events: Sequence[Event], member: Member | None) -> dict[int, list[FeedItem]]:
    """The components plugins add to ``events``, by event id (one batch call per plugin).

    ``huodong_calendar_components_batch`` is called once with all events. The single-event hook
    ``huodong_calendar_components`` is called per event, and only for the plugins that do not
    implement the batch form (a plugin implementing both answers through the batch).
    """
    pm = current_app.extensions["huodong_pm"]
    found: dict[int, list[FeedItem]] = defaultdict(list)
    if not events:
        return found
    batch = pm.hook.huodong_calendar_components_batch
    for answer in batch(events=list(events), member=member):
        for event_id, items in (answer or {}).items():
            found[event_id].extend(items)
    batched = {impl.plugin for impl in batch.get_hookimpls()}
    if any(impl.plugin not in batched for impl in pm.hook.huodong_calendar_components.get_hookimpls()):
        single = pm.subset_hook_caller("huodong_calendar_components", remove_plugins=batched)
        for event in events:
            found[event.id].extend(flatten(single(event=event, member=member)))
    return found


def event_items(rows: Iterable[tuple], *, member: Member | None = None,
                stamps: dict[int, datetime] | None = None) -> list[FeedItem]:
    """The :class:`FeedItem` of every event row (columns of ``_COLUMNS``), with plugins' components.

    A cancelled event's components are cancelled with it.
    """
    rows = [_data(row) for row in rows]
    extras = plugin_components([_event(v) for v in rows], member) if _has_components() and rows else {}
    # str(): a plugin's label may be a lazy string (lazy_gettext), which the calendar writer cannot join
    categories = {key: (str(kind.label),) if str(kind.label) else ()
                  for key, kind in current_app.extensions["huodong_activity_types"].items()}
    prefix = _url_prefix()
    domain = uid_domain()
    make_item = _make_feed_item
    statuses = _STATUSES
    # naive UTC -> aware UTC by arithmetic: about ten times cheaper than replace(tzinfo=UTC)
    epoch, epoch_utc = _EPOCH, _EPOCH_UTC
    items = []
    for v in rows:
        event_id = v["id"]
        status = statuses.get(v["status"], "CONFIRMED")
        children = extras.get(event_id, ())
        if status == "CANCELLED":
            children = [replace(c, status="CANCELLED") if c.status != "CANCELLED" else c for c in children]
        starts_at, ends_at = epoch_utc + (v["starts_at"] - epoch), epoch_utc + (v["ends_at"] - epoch)
        if ends_at < starts_at:  # a stored end before the start (past validation) must not break the feed
            ends_at = starts_at
        if v["all_day"]:
            ends_at = _all_day_end(starts_at, ends_at, v["timezone"])
        modified = epoch_utc + (v["updated_at"] - epoch)
        if stamps and event_id in stamps:
            modified = max(modified, stamps[event_id])
        created = v["created_at"]
        # Built without the dataclass __init__ (see core.records), then checked as FeedItem checks itself.
        item = make_item(f"event-{event_id}@{domain}", v["title"], starts_at, ends_at, modified, v["timezone"],
                         v["all_day"], v["venue"] or None, prefix + str(event_id), v["description"] or None,
                         v["sequence"], epoch_utc + (created - epoch) if created is not None else None, status,
                         v["reminder_minutes"], categories.get(v["activity_type"], ()), tuple(children))
        item.__post_init__()
        items.append(item)
    return items


def _keys(rows: Iterable[tuple], stamps: dict[int, datetime] | None = None) -> list[FeedKey]:
    """``(uid, sequence, last_modified, status)`` of rows beginning with id, sequence, updated_at, status."""
    suffix = "@" + uid_domain()
    keys = []
    for row in rows:
        event_id, sequence, updated_at, status = row[0], row[1], _aware(row[2]), row[3]
        if stamps and event_id in stamps:
            updated_at = max(updated_at, stamps[event_id])
        keys.append((f"event-{event_id}{suffix}", sequence, updated_at, _status(status)))
    return keys


# --------------------------------------------------------------------------
# The three feeds


def ancestor_ids(unit: Unit) -> list[int]:
    """The unit's id and those of the units above it (from its materialised path)."""
    return [int(part) for part in unit.path.strip("/").split("/") if part]


def unit_feed_params(unit: Unit) -> dict:
    return {
        "name": _("%(unit)s 活动日历", unit=unit.name),
        "description": _("%(unit)s 及上级工会面向本单位的活动", unit=unit.name),
        "refresh_minutes": REFRESH_MINUTES,
        "timezone": current_app.config["TIMEZONE"],
    }


def member_feed_params(member: Member) -> dict:
    return {
        "name": _("%(name)s 的活动", name=member.name),
        "description": _("我报名参加的工会活动"),
        "refresh_minutes": REFRESH_MINUTES,
        "timezone": current_app.config["TIMEZONE"],
    }


def _unit_condition(unit: Unit, window: Window):
    return Event.unit.in_(ancestor_ids(unit)) & window.condition()


def unit_feed(unit: Unit, *, rows: bool = False, now: datetime | None = None,
              window: Window | None = None) -> Feed:
    """The feed of ``unit``: its events and its ancestors', in the window, ordered by start.

    Its validators are read first (see the module's docstring); with ``rows=False`` nothing else.
    """
    window = window or Window.around(now)
    validators = unit_validators(unit, window=window)
    fetched = None
    if rows:
        query = (Event.select(*_COLUMNS)
                 .where(_unit_condition(unit, window))
                 .order_by(Event.starts_at, Event.id))
        with collector_paused():  # thousands of rows of plain values
            fetched = list(db.execute(query))
    return Feed(params=unit_feed_params(unit), keys=None, rows=fetched, validators=validators)


_UNIT_FEED_FORMAT = b"huodong-unit-feed-1"  # raise when the rendering of feeds changes


def _rendering() -> tuple:
    """What a feed's bytes depend on besides the database: language, base URL, labels, plugins."""
    pm = current_app.extensions["huodong_pm"]
    hooks = (pm.hook.huodong_calendar_components_batch, pm.hook.huodong_calendar_components)
    return (
        str(get_locale()), current_app.config["BASE_URL"], current_app.config["TIMEZONE"],
        sorted((key, str(kind.label)) for key, kind in current_app.extensions["huodong_activity_types"].items()),
        [sorted(impl.plugin_name for impl in hook.get_hookimpls()) for hook in hooks],
    )


def unit_validators(unit: Unit, *, now: datetime | None = None, window: Window | None = None) -> Validators:
    """ETag and Last-Modified of ``unit``'s feed from the stamps of its units (one indexed query)."""
    window = window or Window.around(now)
    ancestors = ancestor_ids(unit)
    query = (FeedStamp.select(FeedStamp.unit, FeedStamp.version, FeedStamp.changed_at)
             .where(FeedStamp.unit.in_(ancestors)).order_by(FeedStamp.unit))
    stamps = [(unit_id, int(version), _aware(changed)) for unit_id, version, changed in db.execute(query)]
    digest = hashlib.blake2b(_UNIT_FEED_FORMAT, digest_size=16)
    digest.update(repr((
        unit.id, unit.path, window.day.isoformat(), sorted(unit_feed_params(unit).items()), _rendering(),
        [(unit_id, version, changed.isoformat()) for unit_id, version, changed in stamps],
    )).encode())
    newest = max([changed for _, _, changed in stamps] + [window.day.replace(tzinfo=UTC)])
    return Validators(f'W/"{digest.hexdigest()}"', newest.replace(microsecond=0))


def member_feed(member: Member, *, rows: bool = False, now: datetime | None = None) -> Feed:
    """The personal feed of ``member``: events he is actively registered for, in the window.

    Each event's ``last_modified`` is the later of the event's and his registration's, and the
    feed's Last-Modified also counts his latest withdrawal, so a change of his registration
    reaches his calendar.
    """
    window = Window.around(now)
    columns = _COLUMNS if rows else _KEY_COLUMNS
    query = (Event.select(*columns, Registration.updated_at)
             .join(Registration, on=(Registration.event == Event.id))
             .where((Registration.member == member.id) & (Registration.status == "active") & window.condition())
             .order_by(Event.starts_at, Event.id))
    fetched = list(db.execute(query))
    stamps = {row[0]: _aware(row[-1]) for row in fetched}
    fetched = [row[:-1] for row in fetched]
    latest = db.execute(Registration.select(fn.MAX(Registration.updated_at), fn.MAX(Registration.withdrawn_at))
                        .where(Registration.member == member.id)).fetchone()
    extra = max((_aware(v) for v in (latest or ()) if v is not None), default=None)
    return Feed(params=member_feed_params(member), keys=_keys(fetched, stamps), rows=fetched if rows else None,
                member=member, stamps=stamps, extra_stamp=extra)


def event_feed(event: Event) -> Feed:
    """The feed of one event (any status the viewer may see; no window)."""
    query = Event.select(*_COLUMNS).where(Event.id == event.id)
    fetched = list(db.execute(query))
    params = {"name": event.title, "refresh_minutes": REFRESH_MINUTES, "timezone": event.timezone}
    return Feed(params=params, keys=_keys(fetched), rows=fetched)
