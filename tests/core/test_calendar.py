"""Tests for core.calendar: every feed is read back by icalendar and by vobject."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.calendar import (
    PRODID,
    FeedItem,
    _vtimezone,
    build_calendar,
    feed_etag,
    feed_keys,
    feed_last_modified,
    normalize_text,
    reference_calendar,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2024, 5, 1, 3, 4, 5, tzinfo=UTC)


def item(uid: str = "event-1@huodong", **overrides: Any) -> FeedItem:
    """A timed 教师基本功大赛 item; keyword arguments override any field."""
    fields: dict[str, Any] = {
        "uid": uid,
        "summary": "教师基本功大赛：粉笔字",
        "start": datetime(2024, 5, 29, 8, 30, tzinfo=SHANGHAI),
        "end": datetime(2024, 5, 29, 11, 30, tzinfo=SHANGHAI),
        "last_modified": NOW,
    }
    fields.update(overrides)
    return FeedItem(**fields)


def forget_vobject_timezones() -> None:
    """vobject keeps the first VTIMEZONE it reads for a TZID for the whole process;
    forget them so each feed is read with its own VTIMEZONEs."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]


def parse(feed: bytes) -> tuple[icalendar.Calendar, Any]:
    """Parse with both readers and check what both must agree on."""
    assert feed.endswith(b"\r\n")
    assert b"\n" not in feed.replace(b"\r\n", b"")
    cal = icalendar.Calendar.from_ical(feed)
    assert cal.get_missing_tzids() == set()
    for component in cal.walk():
        assert component.errors == [], (component.name, component.errors)
    forget_vobject_timezones()
    vcal = vobject.readOne(feed.decode("utf-8"))
    assert len(cal.walk("VEVENT")) == len(getattr(vcal, "vevent_list", []))
    return cal, vcal


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in cal.walk("VEVENT")}


def vevents(vcal: Any) -> dict[str, Any]:
    return {event.uid.value: event for event in getattr(vcal, "vevent_list", [])}


def physical_lines(feed: bytes) -> list[bytes]:
    return feed.split(b"\r\n")[:-1]


# --------------------------------------------------------------------------
# The calendar


def test_calendar_properties() -> None:
    feed = build_calendar(
        [item()], name="工会活动", description="校工会, 2024", refresh_minutes=90, method="PUBLISH"
    )
    cal, vcal = parse(feed)
    assert str(cal["PRODID"]) == PRODID == "-//huodong//huodong//ZH"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "工会活动"
    assert cal.calendar_name == "工会活动"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert cal.refresh_interval == timedelta(minutes=90)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert b"\r\nX-PUBLISHED-TTL:PT1H30M\r\n" in feed
    assert b"\r\nX-WR-CALDESC:\xe6\xa0\xa1\xe5\xb7\xa5\xe4\xbc\x9a\\, 2024\r\n" in feed
    assert vcal.x_wr_calname.value == "工会活动"
    assert vcal.x_wr_caldesc.value == "校工会, 2024"


def test_no_method_by_default_and_empty_feed() -> None:
    feed = build_calendar([], name="空")
    cal, _ = parse(feed)
    assert "METHOD" not in cal
    assert cal.walk("VEVENT") == [] and cal.timezones == []


@pytest.mark.parametrize(
    "params",
    [{"name": ""}, {"name": "x", "refresh_minutes": 0}, {"name": "x", "method": "publish;x"},
     {"name": "x", "timezone": "Mars/Base"}],
)
def test_bad_parameters(params: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        build_calendar([item()], **params)


# --------------------------------------------------------------------------
# Components


def test_timed_event_has_tzid_and_one_vtimezone_per_zone() -> None:
    items = [
        item("a@huodong"),
        item("b@huodong", start=datetime(2024, 5, 29, 0, 30, tzinfo=UTC),
             end=datetime(2024, 5, 29, 1, 30, tzinfo=UTC)),  # converted to Shanghai time
        item("c@huodong", tz="Europe/Berlin", start=datetime(2024, 7, 1, 10, tzinfo=BERLIN),
             end=datetime(2024, 7, 1, 12, tzinfo=BERLIN)),
    ]
    feed = build_calendar(items, name="x")
    cal, vcal = parse(feed)
    assert sorted(tz.tz_name for tz in cal.timezones) == ["Asia/Shanghai", "Europe/Berlin"]
    assert b"DTSTART;TZID=Asia/Shanghai:20240529T083000\r\n" in feed
    assert b"DTSTART;TZID=Asia/Shanghai:20240529T083000\r\nDTEND;TZID=Asia/Shanghai:20240529T093000" in feed
    assert b"DTSTART;TZID=Europe/Berlin:20240701T100000\r\n" in feed
    parsed = events(cal)
    for original in items:
        event = parsed[original.uid]
        assert event["DTSTART"].params["TZID"] == original.tz
        assert event.start == original.start and event.end == original.end
        vevent = vevents(vcal)[original.uid]
        assert vevent.dtstart.value == original.start
        assert vevent.dtend.value == original.end
    # Shanghai: one +0800 STANDARD block, no DST.
    shanghai = next(tz for tz in cal.timezones if tz.tz_name == "Asia/Shanghai")
    assert shanghai.daylight == [] and len(shanghai.standard) == 1
    block = shanghai.standard[0]
    assert block["TZOFFSETFROM"].td == block["TZOFFSETTO"].td == timedelta(hours=8)


def test_all_day_and_multi_day_use_dates_with_exclusive_end() -> None:
    items = [
        item("one@huodong", all_day=True, start=date(2024, 5, 26), end=date(2024, 5, 26)),
        item("two@huodong", all_day=True, start=date(2024, 3, 23), end=date(2024, 3, 24)),
        # aware datetimes are turned into their date in the item's zone
        item("dt@huodong", all_day=True, start=datetime(2024, 3, 22, 17, tzinfo=UTC),
             end=datetime(2024, 3, 23, 15, 59, tzinfo=UTC)),
    ]
    feed = build_calendar(items, name="x")
    cal, vcal = parse(feed)
    assert cal.timezones == []  # no timed events, no VTIMEZONE
    assert b"DTSTART;VALUE=DATE:20240526\r\nDTEND;VALUE=DATE:20240527\r\n" in feed
    assert b"DTSTART;VALUE=DATE:20240323\r\nDTEND;VALUE=DATE:20240325\r\n" in feed
    assert b"DTSTART;VALUE=DATE:20240323\r\nDTEND;VALUE=DATE:20240324\r\n" in feed
    parsed, vparsed = events(cal), vevents(vcal)
    assert parsed["two@huodong"].start == date(2024, 3, 23)
    assert parsed["two@huodong"].end == date(2024, 3, 25)
    assert parsed["two@huodong"].duration == timedelta(days=2)
    assert vparsed["two@huodong"].dtend.value == date(2024, 3, 25)
    assert type(vparsed["one@huodong"].dtstart.value) is date


def test_cancelled_events_stay_without_alarm() -> None:
    items = [
        item("live@huodong", alarm_minutes=30, status="TENTATIVE"),
        item("gone@huodong", alarm_minutes=30, status="CANCELLED", sequence=3),
    ]
    cal, vcal = parse(build_calendar(items, name="x"))
    parsed = events(cal)
    assert str(parsed["gone@huodong"]["STATUS"]) == "CANCELLED"
    assert parsed["gone@huodong"]["SEQUENCE"] == 3
    assert parsed["gone@huodong"].walk("VALARM") == []
    assert str(parsed["live@huodong"]["STATUS"]) == "TENTATIVE"
    assert vevents(vcal)["gone@huodong"].status.value == "CANCELLED"


def test_alarm_is_display_before_start() -> None:
    items = [item(alarm_minutes=90), item("zero@huodong", alarm_minutes=0)]
    feed = build_calendar(items, name="x")
    cal, vcal = parse(feed)
    (alarm,) = events(cal)["event-1@huodong"].walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(minutes=-90)
    assert str(alarm["DESCRIPTION"]) == "教师基本功大赛：粉笔字"
    assert events(cal)["zero@huodong"].walk("VALARM")[0]["TRIGGER"].dt == timedelta(0)
    valarm = vevents(vcal)["event-1@huodong"].valarm
    assert valarm.trigger.value == timedelta(minutes=-90)
    assert valarm.action.value == "DISPLAY"


def test_text_properties_and_metadata() -> None:
    created = datetime(2024, 4, 1, 9, tzinfo=SHANGHAI)
    original = item(
        location="体育馆, 二楼; 东侧",
        url="https://huodong.example.org/events/12?tab=schedule",
        description="签到 8:00，开始 8:30。\n每人最多报 3 项; 路径 C:\\New",
        sequence=4,
        created=created,
        categories=["体育", "拔河,接力"],
        last_modified=datetime(2024, 5, 2, 8, 0, 0, 123456, tzinfo=SHANGHAI),
    )
    cal, vcal = parse(build_calendar([original], name="x"))
    event = events(cal)[original.uid]
    assert str(event["LOCATION"]) == original.location
    assert str(event["DESCRIPTION"]) == original.description
    assert str(event["URL"]) == original.url
    assert event["SEQUENCE"] == 4
    assert event["CREATED"].dt == datetime(2024, 4, 1, 1, 0, tzinfo=UTC)
    assert event["LAST-MODIFIED"].dt == datetime(2024, 5, 2, 0, 0, tzinfo=UTC)
    assert event["DTSTAMP"].dt == event["LAST-MODIFIED"].dt
    assert event.categories == ["体育", "拔河,接力"]
    vevent = vevents(vcal)[original.uid]
    assert vevent.description.value == original.description
    assert vevent.location.value == original.location
    assert vevent.categories.value == ["体育", "拔河,接力"]


def test_point_in_time_has_no_dtend() -> None:
    moment = datetime(2024, 3, 20, 9, 30, tzinfo=SHANGHAI)
    cal, vcal = parse(build_calendar([item(start=moment, end=moment)], name="x"))
    event = events(cal)["event-1@huodong"]
    assert "DTEND" not in event and event.start == moment
    assert not hasattr(vevents(vcal)["event-1@huodong"], "dtend")


def test_utc_items_need_no_vtimezone() -> None:
    start = datetime(2024, 5, 29, 0, 30, tzinfo=UTC)
    feed = build_calendar([item(tz="UTC", start=start, end=start + timedelta(hours=1))], name="x")
    cal, _ = parse(feed)
    assert b"DTSTART:20240529T003000Z\r\n" in feed
    assert cal.timezones == []
    assert events(cal)["event-1@huodong"].start == start


def test_extra_components_follow_their_event() -> None:
    day = datetime(2024, 3, 23, tzinfo=SHANGHAI)
    stops = [
        item("event-12-stop-1@huodong", summary="集合出发", start=day.replace(hour=9, minute=30),
             end=day.replace(hour=9, minute=30)),
        item("event-12-stop-2@huodong", summary="抵达，与地接社会合", start=day.replace(hour=12),
             end=day.replace(hour=13), location="景区游客中心"),
    ]
    outing = item("event-12@huodong", summary="春季踏青", all_day=True, start=date(2024, 3, 23),
                  end=date(2024, 3, 24), extra=stops)
    feed = build_calendar([outing, item("event-13@huodong")], name="x")
    cal, vcal = parse(feed)
    uids = [str(event["UID"]) for event in cal.walk("VEVENT")]
    assert uids == ["event-12@huodong", "event-12-stop-1@huodong", "event-12-stop-2@huodong",
                    "event-13@huodong"]
    assert set(vevents(vcal)) == set(uids)
    assert str(events(cal)["event-12-stop-2@huodong"]["LOCATION"]) == "景区游客中心"
    assert [tz.tz_name for tz in cal.timezones] == ["Asia/Shanghai"]


def test_duplicate_uids_are_refused() -> None:
    parent = item("event-1@huodong", extra=[item("event-1@huodong")])
    with pytest.raises(ValueError, match="duplicate UIDs"):
        build_calendar([parent], name="x")


def test_builds_are_deterministic_and_uids_stable() -> None:
    def items() -> list[FeedItem]:
        return [item(f"event-{n}@huodong", extra=[item(f"event-{n}-item-1@huodong")])
                for n in range(5)]

    first, second = build_calendar(items(), name="x"), build_calendar(items(), name="x")
    assert first == second
    assert list(events(parse(first)[0])) == list(events(parse(second)[0]))


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": datetime(2024, 5, 29, 8, 30)},  # naive
        {"end": datetime(2024, 5, 29, 7, tzinfo=SHANGHAI)},  # before start
        {"last_modified": datetime(2024, 5, 1)},  # naive
        {"status": "DONE"},
        {"tz": "Asia/Beijing"},
        {"sequence": -1},
        {"alarm_minutes": -5},
        {"uid": "a\nb"},
        {"url": "https://x.example/a b"},
        {"categories": "体育"},
        {"start": date(2024, 5, 29), "end": date(2024, 5, 29)},  # dates need all_day
        {"all_day": True, "start": date(2024, 5, 29), "end": date(2024, 5, 28)},
    ],
)
def test_invalid_items_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises((ValueError, TypeError)):
        item(**overrides)


# --------------------------------------------------------------------------
# Escaping and folding


def assert_folded(feed: bytes) -> None:
    """Lines are at most 75 octets, each valid UTF-8, and no escape is split."""
    lines = physical_lines(feed)
    for previous, line in zip([b""] + lines, lines, strict=False):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
        if line.startswith(b" "):
            trailing = len(previous) - len(previous.rstrip(b"\\"))
            assert trailing % 2 == 0, (previous, line)


def test_long_chinese_text_folds_on_character_boundaries() -> None:
    description = (
        "各部门工会于3月20日（周三）17:00前报名，逾期不再受理；每人费用290元，含三餐一早、住宿、船票。" * 8
    )
    feed = build_calendar([item(description=description, summary="踏青" * 60)], name="x")
    assert_folded(feed)
    assert max(len(line) for line in physical_lines(feed)) > 70  # lines are actually filled
    cal, vcal = parse(feed)
    assert str(events(cal)["event-1@huodong"]["DESCRIPTION"]) == description
    assert vevents(vcal)["event-1@huodong"].description.value == description


def test_backslashes_and_literal_escape_sequences_survive() -> None:
    text = "C:\\New\\n\\N;,\\\\" + "\\" * 200 + "末"
    feed = build_calendar([item(summary=text, description=text, location=text)], name="x")
    assert_folded(feed)
    cal, vcal = parse(feed)
    event, vevent = events(cal)["event-1@huodong"], vevents(vcal)["event-1@huodong"]
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        assert str(event[name]) == text
        assert getattr(vevent, name.lower()).value == text


def test_line_endings_and_control_characters_are_normalized() -> None:
    assert normalize_text("a\r\nb\rc\nd\te\x00f\x1bg\x7f") == "a\nb\nc\nd\tefg"
    feed = build_calendar([item(description="一\r\n二\r三\x07")], name="x")
    cal, _ = parse(feed)
    assert str(events(cal)["event-1@huodong"]["DESCRIPTION"]) == "一\n二\n三"


tricky_text = st.lists(
    st.one_of(
        st.sampled_from(
            list("工会活动，；、\\,;:\"\n\r\t \u2028\x85")
            + ["😀", "👨\u200d👩\u200d👧", "\\n", "\\N", "\r\n", "教师基本功大赛"]
        ),
        st.characters(),
    ),
    max_size=150,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(summary=tricky_text, description=tricky_text, location=tricky_text,
       categories=st.lists(tricky_text.filter(lambda c: normalize_text(c) != ""), max_size=4))
def test_text_round_trips_through_escaping_and_folding(
    summary: str, description: str, location: str, categories: list[str]
) -> None:
    feed = build_calendar(
        [item(summary=summary, description=description, location=location, categories=categories)],
        name=summary or "x",
    )
    assert_folded(feed)
    cal, vcal = parse(feed)
    event, vevent = events(cal)["event-1@huodong"], vevents(vcal)["event-1@huodong"]
    assert str(event["SUMMARY"]) == normalize_text(summary)
    assert vevent.summary.value == normalize_text(summary)
    # icalendar 7.3 leaves NAME and X- properties unescaped (vUnknown); vobject reads them.
    assert vcal.x_wr_calname.value == normalize_text(summary or "x")
    assert vcal.contents["name"][0].value == normalize_text(summary or "x")
    for name, text in (("DESCRIPTION", description), ("LOCATION", location)):
        if text:
            assert str(event[name]) == normalize_text(text)
            assert getattr(vevent, name.lower()).value == normalize_text(text)
        else:
            assert name not in event
    if categories:
        assert event.categories == [normalize_text(c) for c in categories]
        assert vevent.categories.value == [normalize_text(c) for c in categories]


# --------------------------------------------------------------------------
# Time zones


def test_berlin_summer_and_winter_offsets_come_from_the_vtimezone() -> None:
    summer = datetime(2024, 7, 1, 10, tzinfo=BERLIN)
    winter = datetime(2024, 12, 2, 10, tzinfo=BERLIN)
    spring_day = datetime(2024, 3, 31, 3, 30, tzinfo=BERLIN)  # just after the change
    items = [
        item(f"berlin-{n}@huodong", tz="Europe/Berlin", start=start, end=start + timedelta(hours=1))
        for n, start in enumerate((summer, winter, spring_day))
    ]
    feed = build_calendar(items, name="x")
    cal, vcal = parse(feed)
    # vobject builds its tzinfo from our VTIMEZONE, not from the tz database.
    parsed = vevents(vcal)
    assert parsed["berlin-0@huodong"].dtstart.value.utcoffset() == timedelta(hours=2)
    assert parsed["berlin-1@huodong"].dtstart.value.utcoffset() == timedelta(hours=1)
    assert parsed["berlin-2@huodong"].dtstart.value.utcoffset() == timedelta(hours=2)
    for n, start in enumerate((summer, winter, spring_day)):
        assert parsed[f"berlin-{n}@huodong"].dtstart.value == start
        assert events(cal)[f"berlin-{n}@huodong"].start == start
    (berlin,) = cal.timezones
    assert len(berlin.daylight) == 1 and len(berlin.standard) == 2
    assert berlin.daylight[0]["DTSTART"].dt == datetime(2024, 3, 31, 2, 0)  # in +0100 local time
    assert berlin.daylight[0]["TZOFFSETFROM"].td == timedelta(hours=1)


def test_vtimezone_covers_every_year_of_the_zone_events() -> None:
    items = [
        item("early@huodong", tz="Europe/Berlin", start=datetime(2024, 1, 10, 9, tzinfo=BERLIN),
             end=datetime(2024, 1, 10, 10, tzinfo=BERLIN)),
        item("late@huodong", tz="Europe/Berlin", start=datetime(2026, 8, 1, 9, tzinfo=BERLIN),
             end=datetime(2026, 8, 1, 10, tzinfo=BERLIN)),
    ]
    feed = build_calendar(items, name="x")
    assert feed.count(b"BEGIN:VTIMEZONE") == 1
    assert b"RDATE:20260329T020000\r\n" in feed
    _, vcal = parse(feed)
    assert vevents(vcal)["late@huodong"].dtstart.value.utcoffset() == timedelta(hours=2)


def vobject_tzinfo(vtimezone: bytes) -> Any:
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + vtimezone.decode() + "END:VCALENDAR\r\n"
    forget_vobject_timezones()
    return vobject.readOne(text).vtimezone.gettzinfo()


@pytest.mark.parametrize(
    "tzid",
    ["Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Sydney",
     "Australia/Lord_Howe", "Pacific/Chatham", "Africa/Casablanca", "America/Sao_Paulo",
     "Asia/Kolkata"],
)
def test_vtimezone_matches_tz_database_every_hour(tzid: str) -> None:
    """Read by dateutil (through vobject), the VTIMEZONE gives the tz database's offset
    for every wall time of 2024-2025, including both readings of repeated hours."""
    zone = ZoneInfo(tzid)
    vtimezone = _vtimezone(tzid, 2024, 2025)
    tz = vobject_tzinfo(vtimezone)
    instant = datetime(2024, 1, 1, tzinfo=zone).astimezone(UTC)
    stop = datetime(2026, 1, 1, tzinfo=zone).astimezone(UTC)
    while instant < stop:
        local = instant.astimezone(zone)  # carries fold=1 in the repeated hour
        assert local.replace(tzinfo=tz).utcoffset() == local.utcoffset(), local
        instant += timedelta(minutes=30)
    # Each onset is the local time in the offset in force before it.
    cal = icalendar.Calendar.from_ical(b"BEGIN:VCALENDAR\r\n" + vtimezone + b"END:VCALENDAR\r\n")
    (component,) = cal.timezones
    for observance in component.standard + component.daylight:
        before, after = observance["TZOFFSETFROM"].td, observance["TZOFFSETTO"].td
        if before == after:
            continue  # the block in force at the start of the range
        for onset in onsets(observance):
            moment = (onset - before).replace(tzinfo=UTC)
            assert (moment - timedelta(seconds=1)).astimezone(zone).utcoffset() == before
            assert moment.astimezone(zone).utcoffset() == after


def onsets(observance: icalendar.Component) -> list[datetime]:
    result = [observance["DTSTART"].dt]
    rdates = observance.get("RDATE", [])
    for prop in rdates if isinstance(rdates, list) else [rdates]:
        result.extend(value.dt for value in prop.dts)
    return result


# --------------------------------------------------------------------------
# Conditional requests


def sample_items() -> list[FeedItem]:
    return [
        item("event-1@huodong", extra=[item("event-1-stop-1@huodong"), item("event-1-stop-2@huodong")]),
        item("event-2@huodong", sequence=2),
        item("event-3@huodong", last_modified=NOW + timedelta(minutes=5)),
    ]


def replace_nested(items: list[FeedItem], uid: str, **changes: Any) -> list[FeedItem]:
    def swap(entry: FeedItem) -> FeedItem:
        if entry.uid == uid:
            return dataclasses.replace(entry, **changes)
        if entry.extra:
            return dataclasses.replace(entry, extra=[swap(child) for child in entry.extra])
        return entry

    return [swap(entry) for entry in items]


def test_etag_is_equal_for_equal_feeds() -> None:
    a, b = sample_items(), sample_items()
    assert feed_etag(a, name="x") == feed_etag(b, name="x")
    assert feed_etag(a, name="x") == feed_etag(b, name="x", refresh_minutes=60, method=None)
    assert feed_etag(a, name="x").startswith('W/"') and feed_etag(a, name="x").endswith('"')
    # The same instant in another zone is the same last_modified.
    shifted = replace_nested(a, "event-2@huodong", last_modified=NOW.astimezone(SHANGHAI))
    assert feed_etag(shifted, name="x") == feed_etag(a, name="x")
    # By contract, fields other than (uid, sequence, last_modified, status) are not read.
    retitled = replace_nested(a, "event-2@huodong", summary="改名")
    assert feed_etag(retitled, name="x") == feed_etag(a, name="x")


UIDS = ["event-1@huodong", "event-1-stop-1@huodong", "event-1-stop-2@huodong",
        "event-2@huodong", "event-3@huodong"]


@pytest.mark.parametrize("uid", UIDS)
@pytest.mark.parametrize(
    "changes",
    [{"sequence": 7}, {"last_modified": NOW + timedelta(seconds=1)}, {"status": "CANCELLED"},
     {"status": "TENTATIVE"}],
)
def test_etag_changes_when_any_item_changes(uid: str, changes: dict[str, Any]) -> None:
    before = sample_items()
    after = replace_nested(before, uid, **changes)
    assert feed_etag(after, name="x") != feed_etag(before, name="x")
    assert build_calendar(after, name="x") != build_calendar(before, name="x")


def test_etag_from_keys_equals_etag_from_items() -> None:
    items = sample_items()
    keys = feed_keys(items)
    assert [key[0] for key in keys] == UIDS
    assert keys[3] == ("event-2@huodong", 2, NOW, "CONFIRMED")
    assert feed_etag(keys, name="x") == feed_etag(items, name="x")
    assert feed_etag(iter(keys), name="x") == feed_etag(iter(items), name="x")  # any iterable
    assert feed_etag([], name="x") == feed_etag(feed_keys([]), name="x") != feed_etag(keys, name="x")


def test_etag_sees_microseconds_the_feed_does_not_show() -> None:
    """The feed writes whole seconds; the ETag is conservative and changes anyway."""
    before = sample_items()
    after = replace_nested(before, "event-2@huodong", last_modified=NOW + timedelta(microseconds=1))
    assert feed_etag(after, name="x") != feed_etag(before, name="x")


@pytest.mark.parametrize(
    "variant",
    [
        lambda items: items[:-1],
        lambda items: items + [item("event-4@huodong")],
        lambda items: replace_nested(items, "event-1@huodong", extra=[]),
        lambda items: list(reversed(items)),
    ],
)
def test_etag_changes_when_items_are_added_removed_or_reordered(variant: Any) -> None:
    items = sample_items()
    assert feed_etag(variant(items), name="x") != feed_etag(items, name="x")


@pytest.mark.parametrize(
    "params",
    [{"name": "y"}, {"name": "x", "description": "d"}, {"name": "x", "refresh_minutes": 30},
     {"name": "x", "method": "PUBLISH"}, {"name": "x", "timezone": "UTC"}],
)
def test_etag_depends_on_parameters(params: dict[str, Any]) -> None:
    assert feed_etag(sample_items(), **params) != feed_etag(sample_items(), name="x")


def test_feed_last_modified() -> None:
    items = sample_items()
    newest = NOW + timedelta(hours=2, microseconds=999)
    items = replace_nested(items, "event-1-stop-2@huodong", last_modified=newest.astimezone(SHANGHAI))
    result = feed_last_modified(items)
    assert result == (NOW + timedelta(hours=2)) and result.tzinfo == UTC
    assert feed_last_modified([]) == datetime(1970, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------
# Equivalence with icalendar's own serializer

COMPARED = ("SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "SEQUENCE", "DTSTAMP",
            "LAST-MODIFIED", "CREATED", "DTSTART", "DTEND")


def assert_same_events(ours: bytes, reference: bytes) -> None:
    mine, theirs = events(icalendar.Calendar.from_ical(ours)), events(icalendar.Calendar.from_ical(reference))
    assert list(mine) == list(theirs)
    for uid, event in mine.items():
        other = theirs[uid]
        for name in COMPARED:
            assert (name in event) == (name in other), (uid, name)
            if name in event:
                assert event.decoded(name) == other.decoded(name), (uid, name)
                assert event[name].params.get("TZID") == other[name].params.get("TZID")
        assert event.categories == other.categories
        assert alarms(event) == alarms(other)


def alarms(event: icalendar.Event) -> list[tuple[str, str, timedelta]]:
    return [(str(a["ACTION"]), str(a["DESCRIPTION"]), a["TRIGGER"].dt) for a in event.walk("VALARM")]


def test_same_events_as_icalendar_serializer() -> None:
    items = sample_items() + [
        item("allday@huodong", all_day=True, start=date(2024, 3, 23), end=date(2024, 3, 24),
             description="含三餐一早，住宿；船票\n导游", location="千岛湖", categories=["户外", "踏青"],
             url="https://x.example/e/9", created=NOW - timedelta(days=3), alarm_minutes=60),
        item("berlin@huodong", tz="Europe/Berlin", start=datetime(2024, 10, 27, 2, 30, fold=1, tzinfo=BERLIN),
             end=datetime(2024, 10, 27, 4, tzinfo=BERLIN), status="CANCELLED", alarm_minutes=5),
    ]
    params: dict[str, Any] = {"name": "工会活动", "description": "说明", "method": "PUBLISH"}
    ours = build_calendar(items, **params)
    assert_same_events(ours, reference_calendar(items, **params).to_ical())


zones = st.sampled_from(["Asia/Shanghai", "Europe/Berlin", "America/New_York", "UTC"])


@st.composite
def feed_items(draw: st.DrawFn, uid: str) -> FeedItem:
    tz = draw(zones)
    start = draw(st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2027, 12, 31),
                              timezones=st.just(ZoneInfo(tz))))
    length = draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3)))
    all_day = draw(st.booleans())
    text = tricky_text.filter(lambda t: "\\N" not in t)  # icalendar reads \N in its input as a newline
    stamp = draw(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
                              timezones=st.just(UTC)))
    return FeedItem(
        uid=uid,
        summary=draw(text),
        start=start.date() if all_day else start,
        end=(start + length).date() if all_day else (start + length).astimezone(ZoneInfo(tz)),
        tz=tz,
        all_day=all_day,
        location=draw(st.none() | text),
        url=draw(st.none() | st.just("https://huodong.example.org/e/1?a=b&c=d")),
        description=draw(st.none() | text),
        sequence=draw(st.integers(0, 1000)),
        last_modified=stamp,
        created=draw(st.none() | st.just(stamp - timedelta(days=1))),
        status=draw(st.sampled_from(["CONFIRMED", "TENTATIVE", "CANCELLED"])),
        alarm_minutes=draw(st.none() | st.integers(0, 10_000)),
        categories=draw(st.lists(text.filter(lambda c: normalize_text(c) != ""), max_size=3)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 6).flatmap(lambda n: st.tuples(*[feed_items(f"event-{i}@huodong") for i in range(n)])))
def test_random_feeds_match_icalendar_serializer(items: Sequence[FeedItem]) -> None:
    ours = build_calendar(list(items), name="x")
    parse(ours)
    assert_folded(ours)
    assert_same_events(ours, reference_calendar(list(items), name="x").to_ical())
