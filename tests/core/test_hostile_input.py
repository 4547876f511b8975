"""A battery of hostile input: numbers no column holds, dates no calendar sensibly holds, NUL and
control characters, absurd page numbers. Each answers a clear refusal (422, 404 or the form shown
again with a message), never a 500, and writes nothing."""

from __future__ import annotations

import pytest

from core.models import Event
from core.services.accounts import issue_token
from tests.support import login, text_of

HUGE = [str(10**30), str(2**63), "1e400", "-1e400", "NaN"]


@pytest.fixture
def world(app, factory):
    school = factory.school()
    organizer = factory.account("org", member=factory.member(school["school"]),
                                roles=[("organizer", school["school"])])
    event = factory.event(school["school"], title="教职工大会")
    return {"school": school, "organizer": organizer, "event": event, "token": issue_token(organizer)}


def _event_form(world, **changes):
    data = {"title": "春季运动会", "unit": str(world["school"]["school"].id), "venue": "操场",
            "starts_at": "2027-04-10T08:00", "ends_at": "2027-04-10T17:00", "capacity": "", "fee": "",
            "reminder_minutes": "", "description": ""}
    data.update(changes)
    return data


def _refused_page(response) -> str:
    assert response.status_code in (200, 400, 404, 422), response.status_code
    return text_of(response)


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("field", ["capacity", "fee", "reminder_minutes"])
def test_numbers_no_column_holds_are_refused_on_the_event_form(client, world, field, value):
    login(client, "org")
    before = Event.select().count()
    response = client.post("/events/new/general", data=_event_form(world, **{field: value}))
    assert response.status_code in (200, 422)
    assert "春季运动会" in text_of(response) or "不" in text_of(response)
    assert Event.select().count() == before


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T23:00", "2101-01-01T00:00"])
@pytest.mark.parametrize("field", ["starts_at", "ends_at", "registration_opens_at"])
def test_dates_outside_the_sensible_range_are_refused_on_the_event_form(client, world, field, value):
    login(client, "org")
    before = Event.select().count()
    changes = {field: value}
    if field == "starts_at":
        changes["ends_at"] = value
    response = client.post("/events/new/general", data=_event_form(world, **changes))
    assert response.status_code in (200, 422)
    assert "1900" in text_of(response) and "2100" in text_of(response)
    assert Event.select().count() == before


@pytest.mark.parametrize("title", ["春季\x00运动会", "春季\x07运动会", "\x1b[31m红字"])
def test_control_characters_in_a_form_are_refused(client, world, title):
    login(client, "org")
    before = Event.select().count()
    response = client.post("/events/new/general", data=_event_form(world, title=title))
    assert response.status_code == 422
    assert "控制字符" in text_of(response)
    assert Event.select().count() == before


@pytest.mark.parametrize("path", [
    "/members/?q=%00", "/members/?q=a%00b", "/events/?when=%00",
    "/accounts/?q=%00",
])
def test_nul_in_a_query_is_refused_with_422(client, world, path, factory):
    factory.account("root", roles=["admin"])
    login(client, "root")
    response = client.get(path)
    assert response.status_code == 422
    assert "控制字符" in text_of(response)


def test_nul_in_an_api_query_and_body_is_refused_with_422(client, world):
    headers = {"Authorization": f"Bearer {world['token']}"}
    event = world["event"]
    response = client.get(f"/api/v1/checkin/events/{event.id}/attendance?checkpoint=%00", headers=headers)
    assert response.status_code == 422 and response.json["error"] == "invalid"
    response = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers,
                           data='{"member_id": 1, "note": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 422 and "控制字符" in response.json["message"]


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**63), "-5", "abc"])
def test_a_member_list_page_beyond_the_end_is_shown_not_a_500(client, world, page):
    login(client, "org")
    response = client.get(f"/members/?page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/events/month/99999/1", "/events/month/1/1", "/events/month/0/1",
                                  "/events/month/2026/13"])
def test_a_month_outside_the_calendar_is_404(client, world, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("body", [
    '{"region_code": "440402", "members": 3, "yearly_income": 1e400}',
    '{"region_code": "440402", "members": 1e400, "yearly_income": 1000}',
    '{"region_code": "440402", "members": 3, "yearly_income": NaN}',
    '{"region_code": "440402", "members": 3, "yearly_income": 100000000000000000000000000000000000}',
])
def test_the_anonymous_self_test_refuses_numbers_it_cannot_hold(client, body):
    response = client.post("/api/v1/warmth/self-test", data=body, content_type="application/json")
    assert response.status_code == 422, response.data
    assert response.json["error"] == "invalid"


def test_an_unparseable_number_in_a_report_query_gets_a_message(client, factory, world):
    factory.account("root", roles=["admin"])
    login(client, "root")
    for share in ("abc", "7%%", "1e400", "-1"):
        response = client.get(f"/warmth/reports?share={share}")
        assert response.status_code in (200, 422)
    response = client.get("/warmth/reports?share=7%25")
    assert response.status_code == 200


def test_a_share_typed_as_a_percentage_is_read_as_one(client, factory, world):
    factory.account("root", roles=["admin"])
    login(client, "root")
    response = client.get("/warmth/reports?share=abc")
    assert response.status_code == 422
    assert "抽查比例" in text_of(response)


@pytest.mark.parametrize("body", [
    {"starts_at": "0001-01-01T00:00"}, {"starts_at": "9999-12-31T23:59"}, {"starts_at": None}, {"starts_at": ""},
    {"ends_at": "0001-01-01T00:00"}, {"title": "集合\u0000点"},
])
def test_an_outing_stop_update_through_the_api_refuses_what_it_cannot_store(client, factory, body):
    from plugins.outing.models import Stop
    from tests.plugins.outing.support import bearer, outing

    _school, organizer, event = outing(factory, "yelidao")
    headers = bearer(organizer)
    stop = client.get(f"/api/v1/outing/events/{event.id}", headers=headers).json["stops"][0]
    before = Stop.get_by_id(stop["id"])
    response = client.post(f"/api/v1/outing/events/{event.id}/stops/{stop['id']}", json=body, headers=headers)
    assert response.status_code == 422, response.json
    after = Stop.get_by_id(stop["id"])
    assert (after.starts_at, after.ends_at, after.title) == (before.starts_at, before.ends_at, before.title)


def test_a_scan_time_outside_the_calendar_is_refused(client, factory):
    from tests.plugins.checkin.helpers import code_of, scan, setup

    s = setup(factory)
    response = scan(client, s, code_of(s.registrations[0]), scanned_at="0001-01-01T00:00:00+08:00")
    assert response.status_code == 422
