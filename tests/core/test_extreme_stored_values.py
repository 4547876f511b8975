"""One stored value no form would accept must not break pages for everyone: an event and an outing stop
dated 9999-12-31 or 0001-01-01 and a member whose name holds control characters, written straight into
the database (past validation). The unit feeds of the school and of its department, the personal feed,
the month view, the event page and the event's downloads all answer 200."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from core.models import Event, Item, Member
from core.services import feed_tokens
from plugins.checkin.models import Checkpoint
from plugins.outing.models import Stop
from tests.plugins.outing.support import bearer, outing, register

LATEST = datetime(9999, 12, 31, 23, 59, 59)
EARLIEST = datetime(1, 1, 1, 0, 0, 0)
CONTROL_NAME = "张\x01三\x1f丰\x0b"


@pytest.fixture
def site(app, factory, client):
    school, organizer, trip = outing(factory, "yelidao")
    member = factory.member(school["g1"], "张老师")
    teacher = factory.account("zhang", member=member)
    register(client, trip, member, bearer(organizer),
             extra={"emergency_contact": "张家属", "emergency_phone": "13800001111"})
    spans = factory.event(school["school"], title="跨越时间的活动")
    last = factory.event(school["g1"], title="最后的活动")
    first = factory.event(school["g1"], title="最早的活动")
    for event in (spans, last, first):
        assert register(client, event, member, bearer(organizer)).status_code == 201
    stops = list(Stop.select().where(Stop.event == trip).order_by(Stop.starts_at))
    # outing stops at both ends of time, inside an event the feeds show
    Stop.update(starts_at=LATEST).where(Stop.id == stops[0].id).execute()  # its end is now before its start
    Stop.update(starts_at=EARLIEST, ends_at=None).where(Stop.id == stops[1].id).execute()
    # an event that spans all of time (it overlaps every window), one at the very end, one at the start
    Event.update(starts_at=EARLIEST, ends_at=LATEST).where(Event.id == spans.id).execute()
    Event.update(starts_at=LATEST).where(Event.id == last.id).execute()  # a typo in the start: ends before it starts
    Event.update(starts_at=EARLIEST, ends_at=EARLIEST).where(Event.id == first.id).execute()
    # a sports day whose items and sign-in checkpoints sit at the ends of time
    sports = factory.event(school["school"], activity_type="sports_day", preset="staff_sports_day", title="运动会")
    items = list(Item.select().where(Item.event == sports, Item.starts_at.is_null(False)).order_by(Item.id))
    assert len(items) >= 2
    Item.update(starts_at=LATEST).where(Item.id == items[0].id).execute()
    Item.update(starts_at=EARLIEST, ends_at=EARLIEST).where(Item.id == items[1].id).execute()
    Checkpoint.create(event=sports, key="gate", name="东门签到", opens_at=EARLIEST, starts_at=LATEST,
                      grace_minutes=10, closes_at=LATEST, in_calendar=True)
    Checkpoint.create(event=sports, key="item", name="项目签到", item=items[0], grace_minutes=10)
    Member.update(name=CONTROL_NAME).where(Member.id == member.id).execute()
    with app.test_request_context():
        token = feed_tokens.feed_token(member)
    return {"stops": stops, "school": school, "organizer": organizer, "teacher": teacher, "token": token,
            "events": [trip, spans, last, first, sports]}


def test_feeds_answer_with_extreme_dates_stored(client, site):
    school = site["school"]
    trip, spans = site["events"][:2]
    uids = {}
    for url in (f"/units/{school['school'].id}/calendar.ics", f"/units/{school['g1'].id}/calendar.ics",
                f"/calendar/{site['token']}.ics", *[f"/events/{e.id}.ics" for e in site["events"]]):
        response = client.get(url)
        assert response.status_code == 200, url
        calendar = Calendar.from_ical(response.data)
        assert not calendar.get_missing_tzids(), url
        uids[url] = {str(c["UID"]).split("@")[0] for c in calendar.walk("VEVENT")}
    for url in (f"/units/{school['school'].id}/calendar.ics", f"/calendar/{site['token']}.ics"):
        shown = uids[url]
        assert f"event-{trip.id}" in shown, "the trip itself is still in the feed"
        stops = [f"event-{trip.id}-stop-{s.id}" for s in site["stops"]]
        assert stops[0] not in shown and stops[1] not in shown, "the stops at the ends of time are left out"
        assert set(stops[2:]) <= shown, "the other stops are still there"
        assert f"event-{spans.id}" not in shown


def test_pages_and_downloads_answer_with_extreme_dates_stored(client, site, login_as):
    login_as(site["organizer"])
    urls = ["/events/", "/events/month", "/members/export.xlsx"]
    for event in site["events"]:
        urls += [f"/events/{event.id}", f"/events/{event.id}/export/registrations.xlsx",
                 f"/events/{event.id}/export/checkin.xlsx"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    sports = site["events"][-1]
    for url in (f"/events/{sports.id}/export/sports_day_order.xlsx", f"/sports/events/{sports.id}/schedule"):
        assert client.get(url).status_code == 200, url
    names = [row[0].value for row in load_workbook(io.BytesIO(client.get("/members/export.xlsx").data)).active]
    assert "张三丰" in names, "the name with control characters is exported without them"
    trip = site["events"][0]
    sheet = load_workbook(io.BytesIO(client.get(f"/events/{trip.id}/export/registrations.xlsx").data)).active
    assert any(cell.value == "张三丰" for row in sheet.iter_rows() for cell in row)
    for url in ("/events/month/9999/12", "/events/month/1/1"):  # months no calendar shows
        assert client.get(url).status_code == 404, url
    login_as(site["teacher"])
    for url in ("/events/", "/events/month", "/calendar", *[f"/events/{e.id}" for e in site["events"]]):
        assert client.get(url).status_code == 200, url
