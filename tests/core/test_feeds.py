"""Calendar feeds through the test client, read back as a subscriber's calendar would with
icalendar and with vobject: one event's .ics, a unit's feed and a member's personal feed."""

from __future__ import annotations

import threading
import types
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import vobject

from core import hookimpl
from core.timeutil import from_local, utcnow
from tests.support import text_of

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --------------------------------------------------------------------------
# Reading feeds back


def forget_vobject_timezones() -> None:
    """vobject keeps the first VTIMEZONE it reads per TZID for the process: forget them."""
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]


def read_feed(response) -> dict[str, dict[str, Any]]:
    """Parse a feed answer with icalendar and vobject; check what both must agree on.

    Returns ``{uid: {"ical": VEVENT, "vobj": vevent}}``.
    """
    assert response.status_code == 200, response.status_code
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    data = response.get_data()
    cal = icalendar.Calendar.from_ical(data)
    assert cal.get_missing_tzids() == set()
    for component in cal.walk():
        assert component.errors == [], (component.name, component.errors)
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    forget_vobject_timezones()
    vcal = vobject.readOne(data.decode("utf-8"))
    vevents = {e.uid.value: e for e in getattr(vcal, "vevent_list", [])}
    found = {}
    for event in cal.walk("VEVENT"):
        uid = str(event["UID"])
        start = event["DTSTART"]
        if isinstance(start.dt, datetime):  # every timed value names a zone the feed defines
            assert start.params["TZID"] in tzids
            assert vevents[uid].dtstart.value.tzinfo is not None
            assert vevents[uid].dtstart.value.utcoffset() == start.dt.utcoffset()
        found[uid] = {"ical": event, "vobj": vevents[uid]}
    assert set(found) == set(vevents)
    return found


def uid(event) -> str:
    return f"event-{event.id}@huodong.test"


def local(year, month, day, hour=0, minute=0, tz="Asia/Shanghai") -> datetime:
    return from_local(datetime(year, month, day, hour, minute), tz)


def soon(days: int, hour: int, minute: int = 0) -> datetime:
    """A stored (UTC) time ``days`` ahead at ``hour:minute`` Beijing time."""
    today = datetime.now(SHANGHAI).date() + timedelta(days=days)
    return local(today.year, today.month, today.day, hour, minute)


def register(event, member, status="active"):
    from core.models import Registration

    return Registration.create(event=event, member=member, status=status)


# --------------------------------------------------------------------------
# One event


def test_event_page_offers_add_to_calendar_and_the_ics_reads_back(client, factory):
    school = factory.school()
    event = factory.event(school["school"], title="教师基本功大赛：粉笔字", venue="学校报告厅, 三楼",
                          starts_at=soon(10, 8, 30), ends_at=soon(10, 11, 30), reminder_minutes=30,
                          description="签到 8:00，开始 8:30；现场给定文字，限时书写。")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert f'href="/events/{event.id}.ics"' in page and "加入日历" in page

    response = client.get(f"/events/{event.id}.ics")
    assert response.headers["Content-Disposition"] == f'inline; filename="event-{event.id}.ics"'
    vevent = read_feed(response)[uid(event)]
    ical, vobj = vevent["ical"], vevent["vobj"]
    assert str(ical["SUMMARY"]) == "教师基本功大赛：粉笔字"
    assert ical["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert ical["DTSTART"].dt.replace(tzinfo=None) == datetime.combine(ical["DTSTART"].dt.date(), datetime.min.time()
                                                                       ).replace(hour=8, minute=30)
    assert ical["DTEND"].dt.hour == 11 and ical["DTEND"].dt.minute == 30
    assert str(ical["LOCATION"]) == "学校报告厅, 三楼" == vobj.location.value
    assert str(ical["URL"]) == f"http://huodong.test/events/{event.id}"
    assert vobj.description.value == "签到 8:00，开始 8:30；现场给定文字，限时书写。"
    assert str(ical["STATUS"]) == "CONFIRMED" and int(ical["SEQUENCE"]) == 0
    alarm = ical.walk("VALARM")[0]
    assert alarm["TRIGGER"].dt == -timedelta(minutes=30)
    assert str(ical["CATEGORIES"].cats[0]) == "普通活动"


def test_event_in_its_own_zone_gets_that_zone(client, factory):
    school = factory.school()
    event = factory.event(school["school"], title="柏林交流访问", timezone="Europe/Berlin",
                          starts_at=local(2026, 7, 1, 9, 0, "Europe/Berlin"),
                          ends_at=local(2026, 7, 1, 12, 0, "Europe/Berlin"))
    response = client.get(f"/events/{event.id}.ics")
    ical = read_feed(response)[uid(event)]["ical"]
    assert ical["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert ical["DTSTART"].dt.hour == 9 and ical["DTSTART"].dt.utcoffset() == timedelta(hours=2)
    assert b"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin" in response.get_data()


def test_multi_day_all_day_outing_is_dated_with_exclusive_end(client, factory):
    school = factory.school()
    outing = factory.event(school["school"], title="春季踏青两日游", all_day=True,
                           starts_at=local(2026, 3, 23, 9, 30), ends_at=local(2026, 3, 24, 17, 0))
    midnight = factory.event(school["school"], title="一日游", all_day=True,
                             starts_at=local(2026, 4, 5), ends_at=local(2026, 4, 6))
    for event, first, after in ((outing, date(2026, 3, 23), date(2026, 3, 25)),
                                (midnight, date(2026, 4, 5), date(2026, 4, 6))):
        response = client.get(f"/events/{event.id}.ics")
        vevent = read_feed(response)[uid(event)]
        assert vevent["ical"]["DTSTART"].dt == first and vevent["ical"]["DTEND"].dt == after
        assert vevent["vobj"].dtstart.value == first and vevent["vobj"].dtend.value == after
        assert b"DTSTART;VALUE=DATE:" in response.get_data()


def test_draft_event_ics_is_hidden_from_visitors(client, factory):
    school = factory.school()
    draft = factory.event(school["school"], status="draft")
    assert client.get(f"/events/{draft.id}.ics").status_code == 404
    assert client.get("/events/999999.ics").status_code == 404


# --------------------------------------------------------------------------
# A unit's feed


def test_unit_feed_holds_its_own_and_its_ancestors_events_not_a_siblings(client, factory):
    tree = factory.school()
    district = factory.event(tree["district"], title="区总工会职工运动会")
    school = factory.event(tree["school"], title="教职工趣味运动会")
    grade1 = factory.event(tree["g1"], title="初一年级组踏青")
    grade2 = factory.event(tree["g2"], title="初二年级组踏青")
    draft = factory.event(tree["school"], title="草稿", status="draft")

    g1 = read_feed(client.get(f"/units/{tree['g1'].id}/calendar.ics"))
    assert set(g1) == {uid(district), uid(school), uid(grade1)}
    school_feed = read_feed(client.get(f"/units/{tree['school'].id}/calendar.ics"))
    assert set(school_feed) == {uid(district), uid(school)}
    assert uid(grade2) not in g1 and uid(draft) not in school_feed
    assert client.get("/units/999999/calendar.ics").status_code == 404


def test_unit_feed_is_bounded_to_recent_past_and_the_year_ahead(client, factory):
    tree = factory.school()
    now = utcnow()
    inside = [factory.event(tree["school"], starts_at=now + timedelta(days=d)) for d in (-80, 0, 390)]
    outside = [factory.event(tree["school"], starts_at=now + timedelta(days=d)) for d in (-100, 420)]
    found = read_feed(client.get(f"/units/{tree['school'].id}/calendar.ics"))
    assert set(found) == {uid(e) for e in inside}
    assert not {uid(e) for e in outside} & set(found)


def test_subscriber_follows_an_event_through_creation_change_and_cancellation(client, factory, login_as):
    from core.models import Event

    tree = factory.school()
    org = factory.account("org", roles=[("organizer", tree["school"])])
    subscriber = factory.app.test_client()
    url = f"/units/{tree['g1'].id}/calendar.ics"
    first = subscriber.get(url)
    assert read_feed(first) == {}

    login_as(org)
    day = datetime.now(SHANGHAI).date() + timedelta(days=20)
    client.post("/events/new/general?preset=meeting", data={
        "title": "工会会员代表大会", "unit": tree["school"].id, "venue": "报告厅",
        "starts_at": f"{day}T14:30", "ends_at": f"{day}T17:00", "capacity": "120", "fee": "0"})
    event = Event.get(Event.title == "工会会员代表大会")
    assert read_feed(subscriber.get(url)) == {}  # a draft is nobody's business yet
    client.post(f"/events/{event.id}/status", data={"status": "published"})
    created = subscriber.get(url, headers={"If-None-Match": first.headers["ETag"]})
    seen = read_feed(created)[uid(event)]["ical"]
    assert str(seen["STATUS"]) == "CONFIRMED" and seen["DTSTART"].dt.hour == 14

    client.post(f"/events/{event.id}/edit", data={
        "title": "工会会员代表大会（改期）", "unit": tree["school"].id, "venue": "学校礼堂",
        "starts_at": f"{day + timedelta(days=1)}T09:00", "ends_at": f"{day + timedelta(days=1)}T11:30",
        "capacity": "120", "fee": "0"})
    changed = subscriber.get(url, headers={"If-None-Match": created.headers["ETag"]})
    after = read_feed(changed)[uid(event)]["ical"]
    assert changed.headers["ETag"] != created.headers["ETag"]
    assert int(after["SEQUENCE"]) > int(seen["SEQUENCE"])
    assert after["LAST-MODIFIED"].dt >= seen["LAST-MODIFIED"].dt  # whole seconds; SEQUENCE is strict
    assert str(after["SUMMARY"]) == "工会会员代表大会（改期）" and str(after["LOCATION"]) == "学校礼堂"
    assert after["DTSTART"].dt.date() == day + timedelta(days=1) and after["DTSTART"].dt.hour == 9

    client.post(f"/events/{event.id}/status", data={"status": "cancelled", "reason": "场地冲突"})
    cancelled = subscriber.get(url, headers={"If-None-Match": changed.headers["ETag"]})
    gone = read_feed(cancelled)[uid(event)]
    assert str(gone["ical"]["STATUS"]) == "CANCELLED" == gone["vobj"].status.value
    assert int(gone["ical"]["SEQUENCE"]) > int(after["SEQUENCE"])
    assert gone["ical"].walk("VALARM") == []

    # A month after the cancellation the event has left the feed.
    Event.update(cancelled_at=utcnow() - timedelta(days=31)).where(Event.id == event.id).execute()
    later = subscriber.get(url, headers={"If-None-Match": cancelled.headers["ETag"]})
    assert uid(event) not in read_feed(later)


def test_item_changes_move_the_event_for_subscribers(client, factory):
    from core.models import Event, Item

    tree = factory.school()
    event = factory.event(tree["school"], title="教职工趣味运动会")
    url = f"/units/{tree['school'].id}/calendar.ics"
    before = client.get(url)
    sequence = Event.get_by_id(event.id).sequence
    item = Item.create(event=event, name="拔河", kind="team", starts_at=event.starts_at)
    assert Event.get_by_id(event.id).sequence == sequence + 1
    item.place = "操场"
    item.save()
    assert Event.get_by_id(event.id).sequence == sequence + 2
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200
    item.delete_instance()
    assert Event.get_by_id(event.id).sequence == sequence + 3


def test_touch_never_moves_sequence_back_for_a_stale_instance(factory):
    from core.models import Event, Item
    from core.services.events import change_status

    tree = factory.school()
    event = factory.event(tree["school"], status="draft")
    stale = Event.get_by_id(event.id)
    for n in range(3):
        Item.create(event=event, name=f"项目{n}")
    with factory.app.test_request_context():
        change_status(stale, "published")
    assert Event.get_by_id(event.id).sequence == 4


# --------------------------------------------------------------------------
# Conditional requests


def test_conditional_requests_answer_304(client, factory):
    tree = factory.school()
    factory.event(tree["school"], title="工会会员代表大会")
    url = f"/units/{tree['school'].id}/calendar.ics"
    full = client.get(url)
    etag, modified = full.headers["ETag"], full.headers["Last-Modified"]
    assert etag.startswith('W/"') and full.headers["Cache-Control"] == "no-cache"

    same = client.get(url, headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    assert same.headers["ETag"] == etag and same.headers["Cache-Control"] == "no-cache"
    assert client.get(url, headers={"If-None-Match": f'"other", {etag}'}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
    # The ETag decides when both are sent.
    stale = client.get(url, headers={"If-None-Match": 'W/"stale"', "If-Modified-Since": modified})
    assert stale.status_code == 200 and stale.headers["ETag"] == etag
    assert client.head(url, headers={"If-None-Match": etag}).status_code == 304


def test_remembered_validators_follow_every_change(client, factory):
    from core.models import Event
    from core.models.events import touch_event

    tree = factory.school()
    kept, dropped = factory.event(tree["school"]), factory.event(tree["school"])
    url = f"/units/{tree['g1'].id}/calendar.ics"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    touch_event(kept.id)  # e.g. a plugin moved one of its stops
    moved = client.get(url, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag
    assert int(read_feed(moved)[uid(kept)]["ical"]["SEQUENCE"]) == Event.get_by_id(kept.id).sequence

    Event.delete().where(Event.id == dropped.id).execute()
    after = client.get(url, headers={"If-None-Match": moved.headers["ETag"]})
    assert set(read_feed(after)) == {uid(kept)}
    assert client.get(url, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


def _moved(client, url, etag):
    """The answer to a subscriber holding ``etag``, which must be the whole feed under a new ETag."""
    answer = client.get(url, headers={"If-None-Match": etag})
    assert answer.status_code == 200 and answer.headers["ETag"] != etag
    return answer


def _same(client, url, etag) -> None:
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_unit_feed_etag_moves_with_every_change_of_what_it_holds(client, factory, login_as):
    """Edits through the form, bulk updates, a cancellation above, a move to another unit: each
    changes the feed's bytes, so each must change its ETag (a sibling's change must not)."""
    from core.models import Event, Unit
    from core.services.events import change_status

    tree = factory.school()
    org = factory.account("org", roles=[("organizer", tree["school"])])
    day = datetime.now(SHANGHAI).date() + timedelta(days=10)
    school = factory.event(tree["school"], title="教职工趣味运动会", venue="操场",
                           starts_at=local(day.year, day.month, day.day, 14), ends_at=local(day.year, day.month, day.day, 17))
    district = factory.event(tree["district"], title="区总工会职工运动会")
    sibling = factory.event(tree["g2"], title="初二年级组踏青")
    url, g2_url = f"/units/{tree['g1'].id}/calendar.ics", f"/units/{tree['g2'].id}/calendar.ics"
    subscriber = factory.app.test_client()
    first = subscriber.get(url)
    assert set(read_feed(first)) == {uid(school), uid(district)}
    g2_first = subscriber.get(g2_url)

    Event.update(title="初二年级组春游").where(Event.id == sibling.id).execute()
    _same(subscriber, url, first.headers["ETag"])
    g2_after = _moved(subscriber, g2_url, g2_first.headers["ETag"])
    assert str(read_feed(g2_after)[uid(sibling)]["ical"]["SUMMARY"]) == "初二年级组春游"

    login_as(org)
    client.post(f"/events/{school.id}/edit", data={
        "title": "教职工趣味运动会（改期）", "unit": tree["school"].id, "venue": "操场",
        "starts_at": f"{day + timedelta(days=1)}T09:00", "ends_at": f"{day + timedelta(days=1)}T11:30",
        "capacity": "", "fee": "0"})
    edited = _moved(subscriber, url, first.headers["ETag"])
    seen = read_feed(edited)[uid(school)]["ical"]
    assert str(seen["SUMMARY"]) == "教职工趣味运动会（改期）" and seen["DTSTART"].dt.hour == 9

    # A bulk UPDATE bypasses every model method; the database still moves the stamp.
    Event.update(venue="学校礼堂").where(Event.id == school.id).execute()
    bulk = _moved(subscriber, url, edited.headers["ETag"])
    assert str(read_feed(bulk)[uid(school)]["ical"]["LOCATION"]) == "学校礼堂"

    # An event of a union above, cancelled.
    with factory.app.test_request_context():
        change_status(Event.get_by_id(district.id), "cancelled", reason="场地冲突")
    cancelled = _moved(subscriber, url, bulk.headers["ETag"])
    assert str(read_feed(cancelled)[uid(district)]["ical"]["STATUS"]) == "CANCELLED"

    # Moved to the sibling group: it leaves this feed and enters the other.
    g2_before = subscriber.get(g2_url)
    Event.update(unit=tree["g2"].id).where(Event.id == school.id).execute()
    left = _moved(subscriber, url, cancelled.headers["ETag"])
    assert set(read_feed(left)) == {uid(district)}
    entered = _moved(subscriber, g2_url, g2_before.headers["ETag"])
    assert uid(school) in read_feed(entered)

    # The unit's name is the calendar's name.
    Unit.update(name="初一年级组（新）").where(Unit.id == tree["g1"].id).execute()
    renamed = _moved(subscriber, url, left.headers["ETag"])
    assert "初一年级组（新）" in str(icalendar.Calendar.from_ical(renamed.get_data())["X-WR-CALNAME"])
    _same(subscriber, url, renamed.headers["ETag"])

    # Another language is another text: another ETag.
    english = subscriber.get(url + "?lang=en")
    assert english.status_code == 200 and english.headers["ETag"] != renamed.headers["ETag"]


def test_unit_feed_etag_moves_with_the_window_and_the_units_place_in_the_tree(app, factory):
    from core.models import Unit
    from core.services.feeds import unit_validators

    tree = factory.school()
    factory.event(tree["school"])
    noon = utcnow().replace(hour=12, minute=0, second=0, microsecond=0)
    with app.test_request_context():
        today = unit_validators(tree["g1"], now=noon)
        assert unit_validators(tree["g1"], now=noon.replace(hour=23)) == today
        tomorrow = unit_validators(tree["g1"], now=noon + timedelta(days=1))
        assert tomorrow.etag != today.etag and tomorrow.last_modified > today.last_modified
        moved = Unit.get_by_id(tree["g1"].id)
        moved.path = f"{tree['district'].path}{moved.id}/"  # straight under the district now
        assert unit_validators(moved, now=noon).etag != today.etag


# --------------------------------------------------------------------------
# The personal feed


def _feed_links(client) -> tuple[str, str]:
    """(https path, webcal URL) of the personal feed, read from the account's calendar page."""
    import re

    page = client.get("/calendar").get_data(as_text=True)
    webcal = re.search(r'href="(webcal://huodong\.test/calendar/[^"]+\.ics)"', page).group(1)
    https = re.search(r'href="http://huodong\.test(/calendar/[^"]+\.ics)"', page).group(1)
    assert webcal == "webcal://huodong.test" + https
    return https, webcal


def test_personal_feed_holds_only_active_registrations_and_drops_a_withdrawal(client, factory, login_as):
    from core.models import Event, Registration

    tree = factory.school()
    member = factory.member(tree["g1"], name="王芳", gender="F")
    login_as(factory.account("wangfang", member=member))
    going = factory.event(tree["school"], title="春季踏青")
    waiting = factory.event(tree["school"], title="乒乓球单打")
    withdrawn = factory.event(tree["school"], title="拔河")
    factory.event(tree["school"], title="未报名的讲座")
    register(going, member)
    register(waiting, member, "waitlisted")
    register(withdrawn, member, "withdrawn")
    register(going, factory.member(tree["g1"]), "withdrawn")  # someone else's registration

    an_hour_ago = utcnow() - timedelta(hours=1)
    Registration.update(updated_at=an_hour_ago).execute()
    Event.update(updated_at=an_hour_ago).execute()
    path, _webcal = _feed_links(client)
    feed = factory.app.test_client()  # the phone: no session, only the secret URL
    first = feed.get(path)
    assert set(read_feed(first)) == {uid(going)}
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert feed.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    Registration.update(status="withdrawn", withdrawn_at=utcnow(), updated_at=utcnow()).where(
        Registration.event == going, Registration.member == member).execute()
    after = feed.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert read_feed(after) == {}
    assert after.headers["ETag"] != first.headers["ETag"]
    # A client that only sends If-Modified-Since sees the withdrawal too.
    assert feed.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 200


def test_registering_and_withdrawing_through_the_service_reach_the_personal_feed(client, factory, login_as):
    from core.models import Registration
    from core.services import registrations

    tree = factory.school()
    member = factory.member(tree["g1"], name="李娜", gender="F")
    account = factory.account("lina", member=member)
    outing = factory.event(tree["school"], title="春季踏青", registration_closes_at=utcnow() + timedelta(days=3))
    login_as(account)
    path, _webcal = _feed_links(client)
    phone = factory.app.test_client()
    empty = phone.get(path)
    assert read_feed(empty) == {}

    with factory.app.test_request_context():
        registrations.register(outing, registrations.Request(member=member), account=account)
    joined = phone.get(path, headers={"If-None-Match": empty.headers["ETag"]})
    assert set(read_feed(joined)) == {uid(outing)}

    with factory.app.test_request_context():
        registrations.withdraw(Registration.get(event=outing, member=member), account=account)
    left = phone.get(path, headers={"If-None-Match": joined.headers["ETag"]})
    assert read_feed(left) == {} and left.headers["ETag"] != joined.headers["ETag"]


def test_renewed_secret_url_works_and_the_old_one_is_404(client, factory, login_as):
    tree = factory.school()
    member = factory.member(tree["g1"])
    register(factory.event(tree["school"], title="春季踏青"), member)
    login_as(factory.account("t1", member=member))
    old, _ = _feed_links(client)
    assert _feed_links(client)[0] == old  # the page shows the same URL again
    phone = factory.app.test_client()
    assert phone.get(old).status_code == 200

    response = client.post("/calendar/renew")
    assert response.status_code == 302
    new, _ = _feed_links(client)
    assert new != old
    assert phone.get(old).status_code == 404
    assert len(read_feed(phone.get(new))) == 1
    assert phone.get("/calendar/not-a-token.ics").status_code == 404


def test_calendar_page_needs_a_login_and_says_when_there_is_no_member(client, factory, login_as):
    assert client.get("/calendar").status_code == 302
    assert client.post("/calendar/renew").status_code == 302
    login_as(factory.account("admin", roles=["admin"]))
    assert "没有关联会员" in text_of(client.get("/calendar"))
    assert client.post("/calendar/renew").status_code == 404


def test_calendar_page_in_english_and_in_the_menu(client, factory, login_as):
    tree = factory.school()
    login_as(factory.account("t1", member=factory.member(tree["g1"])))
    client.get("/lang/en")
    page = text_of(client.get("/calendar"))
    assert "My calendar" in page and "Subscribe" in page
    assert 'href="/calendar">My calendar</a>' in client.get("/").get_data(as_text=True)


def test_first_visits_at_once_share_one_secret(app, factory):
    from core.models import FeedToken
    from tests.support import login

    tree = factory.school()
    factory.account("t1", member=factory.member(tree["g1"]))
    clients = [login(app.test_client(), "t1") for _ in range(6)]
    urls: list[str] = []
    barrier = threading.Barrier(len(clients))

    def visit(c):
        barrier.wait()
        urls.append(_feed_links(c)[0])

    threads = [threading.Thread(target=visit, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(urls) == len(clients) and len(set(urls)) == 1
    assert FeedToken.select().count() == 1


# --------------------------------------------------------------------------
# Plugins' components


def as_plugin(name: str, plugin) -> types.ModuleType:
    """A module holding ``plugin``'s hook implementations, as ``make_app(extra_plugins=...)`` takes them."""
    module = types.ModuleType(name)
    module.__file__ = __file__
    for attr in dir(plugin):
        if attr.startswith("huodong_"):
            setattr(module, attr, getattr(plugin, attr))
    return module


class ItineraryPlugin:
    """A tiny outing plugin: a gathering stop for every event, and each member's own bus."""

    def __init__(self):
        self.batches: list[tuple[list[int], Any]] = []

    @hookimpl
    def huodong_calendar_components_batch(self, events, member):
        from core.services.feeds import component

        self.batches.append(([e.id for e in events], member.id if member else None))
        found = {}
        for event in events:
            stops = [component(event, "stop-1", f"{event.title}：集合出发", event.starts_at,
                               event.starts_at + timedelta(minutes=30), location="学校东门")]
            if member is not None:
                stops.append(component(event, f"bus-{member.id}", "乘坐 10:30 班车", event.starts_at + timedelta(hours=1)))
            found[event.id] = stops
        return found


class JudgingPlugin:
    """A tiny contest plugin answering the single-event hook."""

    @hookimpl
    def huodong_calendar_components(self, event, member):
        from core.services.feeds import component

        return [component(event, "judging-1", "评委评分：三笔字", event.ends_at)]


def test_plugins_add_components_with_stable_uids(make_app, factory):
    from core.services.events import change_status

    itinerary = ItineraryPlugin()
    app = make_app(extra_plugins=[("itinerary", as_plugin("itinerary", itinerary)),
                                  ("judging", as_plugin("judging", JudgingPlugin()))])
    tree = factory.school()
    member = factory.member(tree["g1"])
    events = [factory.event(tree["school"], title=f"踏青{n}") for n in range(3)]
    register(events[0], member)
    client = app.test_client()

    found = read_feed(client.get(f"/units/{tree['g1'].id}/calendar.ics"))
    assert itinerary.batches == [([e.id for e in events], None)]  # one call for the whole feed
    stop = found[f"event-{events[0].id}-stop-1@huodong.test"]["ical"]
    assert str(stop["SUMMARY"]) == "踏青0：集合出发" and str(stop["LOCATION"]) == "学校东门"
    assert stop["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert f"event-{events[2].id}-judging-1@huodong.test" in found
    assert not any("bus-" in key for key in found)

    with app.test_request_context():
        from core.services.feed_tokens import feed_token

        token = feed_token(member)
    mine = read_feed(client.get(f"/calendar/{token}.ics"))
    assert set(mine) == {uid(events[0]), f"event-{events[0].id}-stop-1@huodong.test",
                         f"event-{events[0].id}-bus-{member.id}@huodong.test",
                         f"event-{events[0].id}-judging-1@huodong.test"}
    assert itinerary.batches[-1] == ([events[0].id], member.id)

    with app.test_request_context():
        change_status(events[0], "cancelled")
    again = read_feed(client.get(f"/calendar/{token}.ics"))
    assert {str(v["ical"]["STATUS"]) for v in again.values()} == {"CANCELLED"}


def test_hook_calendar_components_batch(make_app, factory):
    plugin = ItineraryPlugin()
    app = make_app(extra_plugins=[("itinerary", as_plugin("itinerary", plugin))])
    tree = factory.school()
    event = factory.event(tree["school"], title="春季踏青")
    response = app.test_client().get(f"/events/{event.id}.ics")
    assert f"event-{event.id}-stop-1@huodong.test" in read_feed(response)
    assert plugin.batches == [([event.id], None)]


class BothFormsPlugin(ItineraryPlugin):
    """Answers the batch hook and, for callers asking one event, the single-event hook too."""

    def __init__(self):
        super().__init__()
        self.singles = 0

    @hookimpl
    def huodong_calendar_components(self, event, member):
        self.singles += 1
        return self.huodong_calendar_components_batch([event], member).get(event.id, [])


def test_plugin_with_both_forms_is_asked_through_the_batch(make_app, factory):
    both = BothFormsPlugin()
    app = make_app(extra_plugins=[("both", as_plugin("both", both)), ("judging", as_plugin("judging", JudgingPlugin()))])
    tree = factory.school()
    events = [factory.event(tree["school"], title=f"踏青{n}") for n in range(3)]
    found = read_feed(app.test_client().get(f"/units/{tree['g1'].id}/calendar.ics"))
    assert both.batches == [([e.id for e in events], None)] and both.singles == 0
    for event in events:  # once each: no component twice
        assert f"event-{event.id}-stop-1@huodong.test" in found and f"event-{event.id}-judging-1@huodong.test" in found
    assert len(found) == 9


def test_hook_calendar_components(make_app, factory):
    app = make_app(extra_plugins=[("judging", as_plugin("judging", JudgingPlugin()))])
    tree = factory.school()
    event = factory.event(tree["school"], title="教师基本功大赛")
    found = read_feed(app.test_client().get(f"/events/{event.id}.ics"))
    judging = found[f"event-{event.id}-judging-1@huodong.test"]["ical"]
    assert judging["DTSTART"].dt.astimezone(UTC).replace(tzinfo=None) == event.ends_at
    assert "DTEND" not in judging  # a point in time


def test_categories_of_plugin_activity_types(app, client, factory):
    """A plugin names its activity type with a lazy translation: the feed writes it as text (no 500)."""
    tree = factory.school()
    event = factory.event(tree["school"], activity_type="sports_day", title="教职工田径运动会")
    response = client.get(f"/units/{tree['g1'].id}/calendar.ics")
    assert response.status_code == 200
    found = read_feed(response)[uid(event)]["ical"]
    assert [str(c) for c in found["CATEGORIES"].cats] == ["教职工体育竞赛"]
