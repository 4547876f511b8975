"""Checkpoints in the calendar feeds: moving one reaches every subscriber (a new ETag, the new time and
place), in the unit's feed and in the personal feed of whoever is expected there."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from core.services.feed_tokens import feed_token
from plugins.checkin import checkpoints
from tests.plugins.checkin.helpers import setup


def _component(answer, name: str):
    """The VEVENT of the checkpoint ``name`` in a feed answer, read back with icalendar."""
    assert answer.status_code == 200, answer.status_code
    found = [c for c in icalendar.Calendar.from_ical(answer.get_data()).walk("VEVENT")
             if str(c["SUMMARY"]).endswith(f" · {name}")]
    assert len(found) == 1, found
    return found[0]


def test_moving_a_checkpoint_reaches_the_unit_and_personal_feeds(app, client, factory):
    s = setup(factory)
    start = s.event.starts_at
    gather = checkpoints.save(s.event, {"key": "gather", "name": "东门集合", "place": "学校东门",
                                        "opens_at": start - timedelta(minutes=30), "starts_at": start})
    with app.test_request_context():
        token = feed_token(s.members[0])
    feeds = [f"/units/{s.school['g1'].id}/calendar.ics", f"/calendar/{token}.ics"]
    before = {url: client.get(url) for url in feeds}
    for url, answer in before.items():
        assert str(_component(answer, "东门集合")["LOCATION"]) == "学校东门"
        assert client.get(url, headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304

    checkpoints.save(s.event, {"place": "学校西门", "opens_at": start + timedelta(minutes=30),
                               "starts_at": start + timedelta(hours=1)}, gather)
    for url, answer in before.items():
        after = client.get(url, headers={"If-None-Match": answer.headers["ETag"]})
        assert after.headers["ETag"] != answer.headers["ETag"]
        moved = _component(after, "东门集合")
        assert str(moved["LOCATION"]) == "学校西门"
        assert moved["DTSTART"].dt - _component(answer, "东门集合")["DTSTART"].dt == timedelta(hours=1)
        assert client.get(url, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


def test_taking_a_checkpoint_out_of_the_calendar_reaches_the_unit_feed(app, client, factory):
    s = setup(factory)
    gather = checkpoints.save(s.event, {"key": "gather", "name": "东门集合", "place": "学校东门"})
    url = f"/units/{s.school['g1'].id}/calendar.ics"
    before = client.get(url)
    _component(before, "东门集合")
    checkpoints.save(s.event, {"in_calendar": False}, gather)
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert not [c for c in icalendar.Calendar.from_ical(after.get_data()).walk("VEVENT")
                if "东门集合" in str(c["SUMMARY"])]
