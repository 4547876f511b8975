"""iCalendar (RFC 5545) feeds for huodong events, as a pure function of plain data.

Nothing here knows about Flask or the database: a view turns its events into
:class:`FeedItem` objects and gets ``bytes`` back from :func:`build_calendar`.

Design
------
* VEVENTs are written by a small serializer in this module: icalendar's object
  model needs about half a millisecond per event, far too slow for a feed of
  thousands of events.  The serializer escapes TEXT values (RFC 5545 3.3.11)
  and folds lines at 75 octets without splitting a UTF-8 character or a
  backslash escape.  :func:`reference_calendar` builds the same feed with
  icalendar's objects; the tests parse both back and compare them.
* VTIMEZONEs are icalendar components.  Their transitions are computed exactly
  from :mod:`zoneinfo` (each onset is written in the local time of the offset
  in force before it, as RFC 5545 3.6.5 asks), and each serialized VTIMEZONE
  is cached per (zone, first year, last year).
* The output is deterministic: DTSTAMP is the item's ``last_modified`` (for a
  published calendar without METHOD, RFC 5545 3.8.7.2 defines DTSTAMP as the
  time the information was last revised), so equal input gives equal bytes.

Conditional requests
--------------------
:func:`feed_etag` and :func:`feed_last_modified` read only
``(uid, sequence, last_modified, status)`` of every item and extra, never the
rest, so a 304 answer costs a few milliseconds for thousands of events (and
:func:`feed_etag` also takes those tuples straight from a database query, see
:func:`feed_keys`).  The contract for callers: whenever anything rendered for an item changes (title,
times, place, text, alarm, categories, its list of extras), its
``last_modified`` (or ``sequence``) must change too, and items are passed in
a stable order (e.g. ``ORDER BY start, id``).
"""

from __future__ import annotations

import functools
import hashlib
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vDuration,
)

__all__ = [
    "DEFAULT_TZ",
    "PRODID",
    "FeedItem",
    "FeedKey",
    "Status",
    "build_calendar",
    "feed_etag",
    "feed_keys",
    "feed_last_modified",
    "normalize_text",
    "reference_calendar",
]

PRODID = "-//huodong//huodong//ZH"
"""PRODID of every feed."""

DEFAULT_TZ = "Asia/Shanghai"
"""Zone of items that name none, and the default X-WR-TIMEZONE."""

Status = Literal["CONFIRMED", "TENTATIVE", "CANCELLED"]
_STATUSES = frozenset(("CONFIRMED", "TENTATIVE", "CANCELLED"))

# Bumped whenever the serialized form changes, so cached ETags are invalidated.
_FORMAT_VERSION = b"huodong-ics-1"
_LINE_LIMIT = 75  # octets per physical line, excluding CRLF (RFC 5545 3.1)
_ONE_DAY = timedelta(days=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_METHOD_RE = re.compile(r"[A-Z][A-Z0-9-]*\Z")
# RFC 5545 CONTROL characters other than HTAB and LF (CR is normalized first).
_CTL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_URI_BAD_RE = re.compile("[\x00-\x20\x7f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")  # lone surrogates cannot be UTF-8


# --------------------------------------------------------------------------
# Input


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedItem:
    """One calendar component (a VEVENT) of a feed.

    Timed items (``all_day=False``) take aware datetimes; they are written in
    the zone ``tz`` with a TZID parameter, whatever zone the datetimes carry.
    All-day items take dates (datetimes are turned into their date in ``tz``)
    and ``end`` is the last day *inclusive*: a two-day outing on 3-23 and 3-24
    has ``start=date(2024, 3, 23), end=date(2024, 3, 24)``; the feed writes the
    exclusive ``DTEND;VALUE=DATE:20240325`` that RFC 5545 wants.  A timed item
    with ``end == start`` is a point in time and gets no DTEND.

    ``extra`` holds components a plugin adds for the event (itinerary stops,
    judging sessions, sports items); each has its own stable ``uid`` such as
    ``"event-12-stop-3@huodong"`` and is written as its own VEVENT right after
    its parent.  ``last_modified`` must change whenever anything rendered for
    the item changes (see :func:`feed_etag`).

    Raises:
        ValueError, TypeError: on inconsistent values (naive datetimes, an end
            before the start, an unknown zone or status, ...).
    """

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    last_modified: datetime
    tz: str = DEFAULT_TZ
    all_day: bool = False
    location: str | None = None
    url: str | None = None
    description: str | None = None
    sequence: int = 0
    created: datetime | None = None
    status: Status = "CONFIRMED"
    alarm_minutes: int | None = None
    categories: Sequence[str] = ()
    extra: Sequence[FeedItem] = ()

    def __post_init__(self) -> None:
        uid = self.uid
        # isprintable() is a fast test that rules out every control character; the regex decides otherwise.
        if not uid or (not uid.isprintable() and (_CTL_RE.search(uid) or "\r" in uid or "\n" in uid)):
            raise ValueError(f"uid must be non-empty without control characters: {self.uid!r}")
        zone = _zone(self.tz)  # raises for an unknown zone
        if self.all_day:
            start, end = _as_date(self.start, zone), _as_date(self.end, zone)
            object.__setattr__(self, "start", start)
            object.__setattr__(self, "end", end)
        else:
            if not (isinstance(self.start, datetime) and isinstance(self.end, datetime)):
                raise TypeError(f"{self.uid}: a timed item needs datetimes (or all_day=True)")
            _require_aware(self.start, "start", self.uid)
            _require_aware(self.end, "end", self.uid)
        if self.end < self.start:  # type: ignore[operator]
            raise ValueError(f"{self.uid}: end {self.end} is before start {self.start}")
        _require_aware(self.last_modified, "last_modified", self.uid)
        if self.created is not None:
            _require_aware(self.created, "created", self.uid)
        if self.status not in _STATUSES:
            raise ValueError(f"{self.uid}: status must be one of {sorted(_STATUSES)}")
        if type(self.sequence) is not int or self.sequence < 0:
            raise ValueError(f"{self.uid}: sequence must be an int >= 0")
        if self.alarm_minutes is not None and (
            type(self.alarm_minutes) is not int or self.alarm_minutes < 0
        ):
            raise ValueError(f"{self.uid}: alarm_minutes must be None or an int >= 0")
        url = self.url
        if url and not (url.isprintable() and " " not in url) and _URI_BAD_RE.search(url):
            raise ValueError(f"{self.uid}: url must not contain spaces or control characters")
        if isinstance(self.categories, str) or not all(self.categories):
            raise ValueError(f"{self.uid}: categories must be a sequence of non-empty strings")
        for child in self.extra:
            if not isinstance(child, FeedItem):
                raise TypeError(f"{self.uid}: extra holds FeedItem objects")


def _zone(name: str) -> ZoneInfo:
    """The ZoneInfo for ``name`` (ZoneInfo keeps its own cache; names already checked are looked up first)."""
    found = _ZONES.get(name)
    if found is not None:
        return found
    if not name or name != name.strip():
        raise ValueError(f"bad time zone name {name!r}")
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r}") from error
    if len(_ZONES) < 1000:
        _ZONES[name] = zone
    return zone


_ZONES: dict[str, ZoneInfo] = {}


def _require_aware(value: object, field: str, uid: str) -> None:
    if type(value) is datetime and value.tzinfo is UTC:
        return
    if not isinstance(value, datetime):
        raise TypeError(f"{uid}: {field} must be a datetime")
    if value.utcoffset() is None:
        raise ValueError(f"{uid}: {field} must be timezone-aware")


def _as_date(value: date, zone: ZoneInfo) -> date:
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError("all-day datetimes must be timezone-aware (or pass dates)")
        try:
            return value.astimezone(zone).date()
        except OverflowError:  # within a day of datetime.min/max: the feed leaves it out (see _shown)
            return value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


# Times a feed can show: a stored value outside (a typo such as 9999-12-31) is left out of the feed
# rather than break it for everyone (a zone's offset would overflow datetime at year 1 or 9999, and
# the VTIMEZONE would have to cover millennia).
SHOWN_FROM = datetime(1900, 1, 1, tzinfo=UTC)
SHOWN_UNTIL = datetime(2200, 1, 1, tzinfo=UTC)


def _shown(item: FeedItem) -> bool:
    """Whether ``item``'s times lie within the years a feed shows."""
    if item.all_day:
        return SHOWN_FROM.date() <= item.start and item.end < SHOWN_UNTIL.date()  # type: ignore[operator]
    return SHOWN_FROM <= item.start and item.end < SHOWN_UNTIL  # type: ignore[operator]


def _flatten(items: Iterable[FeedItem]) -> Iterator[FeedItem]:
    """Every item followed by its extras (depth first), in input order."""
    for item in items:
        yield item
        if item.extra:
            yield from _flatten(item.extra)


# --------------------------------------------------------------------------
# Conditional requests


FeedKey = tuple[str, int, datetime, Status]
"""``(uid, sequence, last_modified, status)``: all :func:`feed_etag` reads of an item."""


def feed_keys(items: Iterable[FeedItem]) -> list[FeedKey]:
    """The :data:`FeedKey` of every item and extra, in feed order.

    ``feed_etag(feed_keys(items), ...) == feed_etag(items, ...)``.  A view can
    instead select these four columns (and its plugins' extras' keys) without
    building any :class:`FeedItem`, which keeps a 304 answer cheap.
    """
    return [(i.uid, i.sequence, i.last_modified, i.status) for i in _flatten(items)]


def feed_etag(
    items: Iterable[FeedItem] | Iterable[FeedKey],
    *,
    name: str,
    description: str | None = None,
    refresh_minutes: int = 60,
    method: str | None = None,
    timezone: str = DEFAULT_TZ,
) -> str:
    """Return a weak ETag (``W/"..."``, a complete header value) for a feed.

    ``items`` are the feed's :class:`FeedItem` objects, or their
    :data:`FeedKey` tuples in the same order (see :func:`feed_keys`); both give
    the same tag.  Takes the same keyword arguments as :func:`build_calendar`,
    so a view can pass one ``**params`` dict to both.  The tag is a BLAKE2
    hash of the parameters, a format version, and ``(uid, sequence,
    last_modified, status)`` of every item and extra in order; nothing else
    is read and no calendar is built.

    Contract: two calls give the same tag exactly when those tuples (in the
    same order; ``last_modified`` compared as an instant, to the microsecond)
    and the parameters are equal.  Callers must therefore change
    ``last_modified`` (or ``sequence``) of an item whenever anything rendered
    for it changes, and pass items in a stable order.  Adding, removing or
    reordering an item or extra always changes the tag.  The tag is stable
    across processes and restarts.
    """
    entries = list(items)
    if entries and not isinstance(entries[0], tuple):
        keys = feed_keys(entries)  # type: ignore[arg-type]
    else:
        keys = entries  # type: ignore[assignment]
    digest = hashlib.blake2b(_FORMAT_VERSION, digest_size=16)
    params = (name, description, refresh_minutes, method, timezone)
    digest.update(repr(params).encode())
    digest.update(len(keys).to_bytes(8, "little"))
    if keys:
        uids, sequences, stamps, statuses = zip(*keys, strict=True)
        # uid has no control characters, so \x1f separates unambiguously.
        digest.update("\x1f".join(uids).encode())
        digest.update(array("q", sequences).tobytes())
        # A float timestamp keeps microseconds distinct for any date this century.
        digest.update(array("d", [stamp.timestamp() for stamp in stamps]).tobytes())
        digest.update("\x1f".join(statuses).encode())
    return f'W/"{digest.hexdigest()}"'


def feed_last_modified(items: Iterable[FeedItem]) -> datetime:
    """Return the newest ``last_modified`` of all items and extras, in UTC.

    Microseconds are dropped because HTTP dates have whole seconds, so the
    value compares correctly with a parsed ``If-Modified-Since``.  An empty
    feed gives the Unix epoch.  Deleting an item does not move this date
    back or forward: answer ``If-None-Match`` with :func:`feed_etag` first
    (HTTP gives it precedence) and use this only as a secondary validator.
    """
    newest = max((item.last_modified for item in _flatten(items)), default=_EPOCH)
    return newest.astimezone(UTC).replace(microsecond=0)


# --------------------------------------------------------------------------
# Text values


def normalize_text(text: str) -> str:
    """Return ``text`` as it reads after a round trip through a feed.

    Line endings (CRLF, CR) become LF, RFC 5545 control characters other
    than TAB and LF are removed and lone surrogates (which UTF-8 cannot
    encode) become U+FFFD; everything else, Chinese and emoji included, is
    kept exactly.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isprintable():  # cheap test for the rare slow path
        text = _SURROGATE_RE.sub("\ufffd", _CTL_RE.sub("", text))
    return text


def _escape(text: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11) after :func:`normalize_text`."""
    text = normalize_text(text)
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if ";" in text:
        text = text.replace(";", "\\;")
    if "," in text:
        text = text.replace(",", "\\,")
    if "\n" in text:
        text = text.replace("\n", "\\n")
    return text


def _fold(line: str) -> bytes:
    """Encode one content line as UTF-8 and fold it at 75 octets.

    A fold never splits a multi-octet UTF-8 character, nor a backslash from
    the character it escapes (some clients mis-read split escapes).  Every
    physical line, including the leading space of a continuation, is at most
    75 octets long.
    """
    raw = line.encode()
    size = len(raw)
    if size <= _LINE_LIMIT:
        return raw
    parts: list[bytes] = []
    begin = 0
    limit = _LINE_LIMIT
    while size - begin > limit:
        cut = begin + limit
        while raw[cut] & 0xC0 == 0x80:  # never cut before a continuation byte
            cut -= 1
        # The chunk starts on an escape boundary, so an odd run of backslashes
        # just before the cut means the last one escapes raw[cut]: keep them together.
        run = cut
        while run > begin and raw[run - 1] == 0x5C:
            run -= 1
        if (cut - run) % 2:
            cut -= 1
        parts.append(raw[begin:cut])
        begin = cut
        limit = _LINE_LIMIT - 1  # room for the leading space
    parts.append(raw[begin:])
    return b"\r\n ".join(parts)


# --------------------------------------------------------------------------
# Date and time values


# Two-digit fields from a table: several times faster than format specs, and a feed formats four
# datetimes per event.
_TWO = tuple(f"{n:02d}" for n in range(100))


def _fmt_utc(value: datetime) -> str:
    v = value if value.tzinfo is UTC else value.astimezone(UTC)
    return _fmt_local(v) + "Z"


def _fmt_local(value: datetime, two: tuple[str, ...] = _TWO) -> str:
    v = value
    if v.year < 1000:
        return f"{v.year:04d}{v.month:02d}{v.day:02d}T{v.hour:02d}{v.minute:02d}{v.second:02d}"
    return f"{v.year}{two[v.month]}{two[v.day]}T{two[v.hour]}{two[v.minute]}{two[v.second]}"


def _fmt_date(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _fmt_minutes(minutes: int) -> str:
    """A DURATION value such as ``PT1H``, ``PT1H30M`` or ``PT0S``."""
    if minutes == 0:
        return "PT0S"
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest else "")


def _is_utc_name(name: str) -> bool:
    return name in ("UTC", "Etc/UTC")


# --------------------------------------------------------------------------
# VTIMEZONE


def _transitions(zone: tzinfo, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """UTC instants in [start, end) where the zone's offset, DST or name changes.

    Returns (utc_instant, local_datetime_at_that_instant) pairs.  The zone is
    sampled daily and each change is bisected to the second, which finds every
    transition of the tz database except two within a single day.
    """

    def state(instant: datetime) -> tuple[object, ...]:
        local = instant.astimezone(zone)
        return (local.utcoffset(), local.dst(), local.tzname())

    found: list[tuple[datetime, datetime]] = []
    low = start
    low_state = state(low)
    while low < end:
        high = min(low + _ONE_DAY, end)
        high_state = state(high)
        if high_state != low_state:
            lo, hi = low, high  # state(lo) == low_state != state(hi)
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                if state(mid) == low_state:
                    lo = mid
                else:
                    hi = mid
            found.append((hi, hi.astimezone(zone)))
        low, low_state = high, high_state
    return found


@functools.lru_cache(maxsize=256)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """Serialized VTIMEZONE for ``tzid`` valid from Jan 1 of ``first_year`` to
    the end of ``last_year``.

    Like :meth:`icalendar.Timezone.from_tzinfo`, observances with the same
    (offset from, offset to, name, DST) share one subcomponent: DTSTART is the
    first onset and one RDATE property per later onset.  Unlike it, every onset is the local
    time in the offset in force before the change (RFC 5545 3.6.5): 02:00 for
    Berlin's spring change, not 03:00.  A zone without changes in the range
    (Asia/Shanghai) gets a single STANDARD block.
    """
    zone = _zone(tzid)
    first_local = datetime(first_year, 1, 1, tzinfo=zone)
    begin = first_local.astimezone(UTC)
    stop = datetime(last_year + 1, 1, 1, tzinfo=zone).astimezone(UTC)

    offset = first_local.utcoffset()
    assert offset is not None
    Key = tuple[timedelta, timedelta, str, bool]
    onsets: dict[Key, list[datetime]] = {
        (offset, offset, first_local.tzname() or "", first_local.dst() == timedelta()): [
            first_local.replace(tzinfo=None)
        ]
    }
    for instant, local in _transitions(zone, begin, stop):
        new_offset = local.utcoffset()
        assert new_offset is not None
        key = (offset, new_offset, local.tzname() or "", local.dst() == timedelta())
        onsets.setdefault(key, []).append((instant + offset).replace(tzinfo=None))
        offset = new_offset

    vtimezone = Timezone()
    vtimezone.add("TZID", tzid)
    for (offset_from, offset_to, name, standard), starts in onsets.items():
        observance = TimezoneStandard() if standard else TimezoneDaylight()
        observance.add("DTSTART", starts[0])
        for onset in starts[1:]:  # one RDATE each: vobject/dateutil read one value per line
            observance.add("RDATE", onset)
        observance.add("TZOFFSETFROM", offset_from)
        observance.add("TZOFFSETTO", offset_to)
        if name:
            observance.add("TZNAME", name)
        vtimezone.add_component(observance)
    return vtimezone.to_ical(sorted=False)


def _zone_years(items: Iterable[FeedItem]) -> dict[str, tuple[int, int]]:
    """For every zone used by a timed item: (first year, last year) of its times."""
    # The local year never decreases with the instant: the earliest start and the latest end suffice.
    spans: dict[str, list[datetime]] = {}
    for item in items:
        if item.all_day:
            continue
        span = spans.get(item.tz)
        if span is None:
            spans[item.tz] = [item.start, item.end]  # type: ignore[list-item]
        else:
            if item.start < span[0]:  # type: ignore[operator]
                span[0] = item.start  # type: ignore[assignment]
            if item.end > span[1]:  # type: ignore[operator]
                span[1] = item.end  # type: ignore[assignment]
    years: dict[str, tuple[int, int]] = {}
    for tz, (low, high) in spans.items():
        if not _is_utc_name(tz):
            zone = _zone(tz)
            years[tz] = (low.astimezone(zone).year, high.astimezone(zone).year)
    return years


# --------------------------------------------------------------------------
# The feed


def _check_params(name: str, refresh_minutes: int, method: str | None, timezone: str) -> None:
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    if type(refresh_minutes) is not int or refresh_minutes < 1:
        raise ValueError("refresh_minutes must be an int >= 1")
    if method is not None and not _METHOD_RE.match(method):
        raise ValueError(f"method must be an iTIP method such as 'PUBLISH', not {method!r}")
    _zone(timezone)


_SHORT_TZID = 40  # "DTSTART;TZID=<zone>:YYYYMMDDTHHMMSS" fits one line for zone names up to this long


def _event_lines(item: FeedItem, out: list[bytes]) -> None:
    """Append the folded content lines of one VEVENT to ``out``.

    Lines that cannot exceed 75 octets (times, status, sequence) are joined with CRLF and encoded
    together; text goes through :func:`_fold`.
    """
    stamp = _fmt_utc(item.last_modified)
    append = out.append
    start, end = item.start, item.end
    if item.all_day:
        times = f"DTSTART;VALUE=DATE:{_fmt_date(start)}\r\nDTEND;VALUE=DATE:{_fmt_date(end + _ONE_DAY)}"
    elif _is_utc_name(item.tz):
        times = f"DTSTART:{_fmt_utc(start)}"  # type: ignore[arg-type]
        if end != start:
            times += f"\r\nDTEND:{_fmt_utc(end)}"  # type: ignore[arg-type]
    else:
        zone = _zone(item.tz)
        prefix = f";TZID={item.tz}:"
        times = "DTSTART" + prefix + _fmt_local(start.astimezone(zone))  # type: ignore[union-attr]
        if end != start:
            times += "\r\nDTEND" + prefix + _fmt_local(end.astimezone(zone))  # type: ignore[union-attr]
        if len(item.tz) > _SHORT_TZID:
            times = b"\r\n".join(_fold(line) for line in times.split("\r\n")).decode()
    append(b"BEGIN:VEVENT")
    append(_fold("UID:" + _escape(item.uid)))
    append(f"DTSTAMP:{stamp}\r\n{times}".encode())
    summary = _escape(item.summary)
    append(_fold("SUMMARY:" + summary))
    if item.location:
        append(_fold("LOCATION:" + _escape(item.location)))
    if item.description:
        append(_fold("DESCRIPTION:" + _escape(item.description)))
    if item.url:
        append(_fold("URL:" + item.url))
    if item.categories:
        append(_fold("CATEGORIES:" + ",".join([_escape(c) for c in item.categories])))
    created = f"\r\nCREATED:{_fmt_utc(item.created)}" if item.created is not None else ""
    append(f"STATUS:{item.status}\r\nSEQUENCE:{item.sequence}{created}\r\nLAST-MODIFIED:{stamp}".encode())
    if item.alarm_minutes is not None and item.status != "CANCELLED":
        append(b"BEGIN:VALARM\r\nACTION:DISPLAY")
        append(_fold("DESCRIPTION:" + (summary or "Reminder")))
        append(b"TRIGGER:-" + _fmt_minutes(item.alarm_minutes).encode() + b"\r\nEND:VALARM")
    append(b"END:VEVENT")


def build_calendar(
    items: Iterable[FeedItem],
    *,
    name: str,
    description: str | None = None,
    refresh_minutes: int = 60,
    method: str | None = None,
    timezone: str = DEFAULT_TZ,
) -> bytes:
    """Return one VCALENDAR (UTF-8, CRLF line endings) with a VEVENT per item and extra.

    Parameters:
        items: the events, in a stable order; each item's ``extra`` components
            follow it.  UIDs must be unique across items and extras.
        name: calendar name (``NAME`` and ``X-WR-CALNAME``).
        description: calendar description (``DESCRIPTION`` and ``X-WR-CALDESC``).
        refresh_minutes: suggested polling interval (``REFRESH-INTERVAL`` and
            ``X-PUBLISHED-TTL``).
        method: iTIP method such as ``"PUBLISH"``; omitted when ``None``.
        timezone: ``X-WR-TIMEZONE``, the calendar's display zone.

    Every timed event carries ``TZID`` of its item's zone and the calendar has
    exactly one VTIMEZONE per zone used, covering the years of its events.
    All-day events are ``VALUE=DATE`` with an exclusive DTEND.  Cancelled items
    stay in the feed with ``STATUS:CANCELLED`` (and without their alarm), so
    subscribers see the cancellation.  The result depends only on the input.

    Items (and extras) with a time before 1900 or from 2200 on are left out.

    Raises:
        ValueError: on a duplicate UID or bad parameters.
    """
    _check_params(name, refresh_minutes, method, timezone)
    flat = [item for item in _flatten(items) if _shown(item)]
    if len({item.uid for item in flat}) != len(flat):
        seen: set[str] = set()
        dupes: set[str] = set()
        for item in flat:
            (dupes if item.uid in seen else seen).add(item.uid)
        raise ValueError(f"duplicate UIDs in feed: {sorted(dupes)[:5]}")

    ttl = _fmt_minutes(refresh_minutes).encode()
    out: list[bytes] = [
        b"BEGIN:VCALENDAR",
        b"VERSION:2.0",
        b"PRODID:" + PRODID.encode(),
        b"CALSCALE:GREGORIAN",
    ]
    if method is not None:
        out.append(b"METHOD:" + method.encode())
    out.append(_fold("NAME:" + _escape(name)))
    out.append(_fold("X-WR-CALNAME:" + _escape(name)))
    if description:
        out.append(_fold("DESCRIPTION:" + _escape(description)))
        out.append(_fold("X-WR-CALDESC:" + _escape(description)))
    out.append(_fold("X-WR-TIMEZONE:" + timezone))
    out.append(b"REFRESH-INTERVAL;VALUE=DURATION:" + ttl)
    out.append(b"X-PUBLISHED-TTL:" + ttl)
    body = b"\r\n".join(out) + b"\r\n"

    timezones = [
        _vtimezone(tzid, low, high) for tzid, (low, high) in sorted(_zone_years(flat).items())
    ]
    events: list[bytes] = []
    for item in flat:
        _event_lines(item, events)
    events.append(b"END:VCALENDAR")
    return body + b"".join(timezones) + b"\r\n".join(events) + b"\r\n"


# --------------------------------------------------------------------------
# The same feed through icalendar's object model (for tests and benchmarks)


def reference_calendar(
    items: Iterable[FeedItem],
    *,
    name: str,
    description: str | None = None,
    refresh_minutes: int = 60,
    method: str | None = None,
    timezone: str = DEFAULT_TZ,
) -> Calendar:
    """Return the feed of :func:`build_calendar` built with icalendar's objects.

    The VEVENTs carry the same properties and values; VTIMEZONEs come from
    icalendar's ``add_missing_timezones`` over the same years.  About ten
    times slower than :func:`build_calendar`: it exists so that tests can
    compare the two and the benchmark has a baseline.
    """
    _check_params(name, refresh_minutes, method, timezone)
    ttl = timedelta(minutes=refresh_minutes)
    cal = Calendar.new(
        prodid=PRODID,
        name=name,
        description=description or None,
        method=method,
        refresh_interval=ttl,
        calscale="GREGORIAN",
    )
    cal.pop("UID", None)
    cal.add("X-WR-TIMEZONE", timezone)
    cal.add("X-PUBLISHED-TTL", vDuration(ttl))
    flat = list(_flatten(items))
    for item in flat:
        if item.all_day:
            start: date | datetime = item.start
            end: date | datetime | None = item.end + _ONE_DAY
        else:
            zone = UTC if _is_utc_name(item.tz) else _zone(item.tz)
            start = item.start.astimezone(zone)  # type: ignore[union-attr]
            end = item.end.astimezone(zone) if item.end != item.start else None  # type: ignore[union-attr]
        summary = normalize_text(item.summary)
        event = Event.new(
            uid=item.uid,
            summary=summary,
            start=start,
            end=end,
            stamp=item.last_modified.astimezone(UTC),
            last_modified=item.last_modified.astimezone(UTC),
            created=item.created.astimezone(UTC) if item.created else None,
            location=normalize_text(item.location) if item.location else None,
            description=normalize_text(item.description) if item.description else None,
            url=item.url or None,
            sequence=item.sequence,
            status=item.status,
        )
        if item.categories:  # Event.new writes an empty CATEGORIES for none
            event.categories = [normalize_text(c) for c in item.categories]
        if item.alarm_minutes is not None and item.status != "CANCELLED":
            event.add_component(
                Alarm.new_display(
                    description=summary or "Reminder",
                    trigger=-timedelta(minutes=item.alarm_minutes),
                )
            )
        cal.add_component(event)
    years = _zone_years(flat).values()
    if years:
        cal.add_missing_timezones(
            first_date=date(min(low for low, _ in years), 1, 1),
            last_date=date(max(high for _, high in years) + 1, 1, 1),
        )
    return cal
