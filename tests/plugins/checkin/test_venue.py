"""Self sign-in with the rotating venue code: expiry, identification once, one phone for one person."""

import time

import pytest

from plugins.checkin import checkpoints, selfservice, tokens
from plugins.checkin.models import CheckIn, DeviceBinding
from tests.plugins.checkin.helpers import setup


def test_venue_code_is_fresh_for_its_slot_and_a_short_grace():
    now = 1_700_000_010.0  # 10 s into a 30 s slot
    code = tokens.venue_code(5, 30, now, secret="k")
    cp, slot = tokens.read_venue(code, secret="k")
    assert cp == 5 and tokens.venue_slot_is_fresh(slot, 30, now)
    next_slot_start = (slot + 1) * 30
    assert tokens.venue_slot_is_fresh(slot, 30, next_slot_start + tokens.VENUE_GRACE_SECONDS)
    assert not tokens.venue_slot_is_fresh(slot, 30, next_slot_start + tokens.VENUE_GRACE_SECONDS + 0.001)
    assert not tokens.venue_slot_is_fresh(slot, 30, next_slot_start + 30)
    assert tokens.read_venue(code[:-2] + "AA", secret="k") is None or code.endswith("AA")


def test_photo_of_an_old_code_does_not_work(app, client, factory):
    s = setup(factory)
    info = checkpoints.info(s.event.id)
    old = tokens.venue_code(info.id, info.rotate_seconds, time.time() - 120)
    response = client.get(f"/checkin/v/{old}")
    assert response.status_code == 410 and "已过期" in response.get_data(as_text=True)
    with pytest.raises(selfservice.VenueCodeError):
        selfservice.open_code(old)


def _open(client, code):
    response = client.get(f"/checkin/v/{code}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    html = response.get_data(as_text=True)
    return html.split('name="ticket" value="')[1].split('"')[0]


def test_self_sign_in_identifies_once_and_one_phone_signs_in_one_person(app, client, factory):
    s = setup(factory)
    info = checkpoints.info(s.event.id)
    code, _left = selfservice.current_code(info)
    first, second = s.members[0], s.members[1]
    ticket = _open(client, code)
    page = client.post(f"/checkin/v/{code}", data={"ticket": ticket, "identifier": first.staff_no})
    assert "签到成功" in page.get_data(as_text=True)
    assert CheckIn.get().member_id == first.id and CheckIn.get().source == "venue"
    # The same phone (same client, same device cookie) tries to sign in a colleague.
    ticket = _open(client, code)
    page = client.post(f"/checkin/v/{code}", data={"ticket": ticket, "identifier": second.phone})
    assert "一部手机只能为一人签到" in page.get_data(as_text=True)
    assert CheckIn.select().count() == 1
    # Scanning again later on his own phone just says he is signed in.
    ticket = _open(client, code)
    page = client.post(f"/checkin/v/{code}", data={"ticket": ticket})
    assert "已于" in page.get_data(as_text=True)
    # Another phone cannot claim the first person either.
    other_phone = app.test_client()
    ticket = _open(other_phone, code)
    page = other_phone.post(f"/checkin/v/{code}", data={"ticket": ticket, "identifier": first.staff_no})
    assert "另一部手机" in page.get_data(as_text=True)
    assert DeviceBinding.select().count() == 1


def test_unknown_identifier_and_forged_ticket(app, client, factory):
    s = setup(factory)
    info = checkpoints.info(s.event.id)
    code, _left = selfservice.current_code(info)
    ticket = _open(client, code)
    page = client.post(f"/checkin/v/{code}", data={"ticket": ticket, "identifier": "00000"})
    assert "报名名单中没有" in page.get_data(as_text=True)
    page = client.post(f"/checkin/v/{code}", data={"ticket": "forged", "identifier": s.members[0].staff_no})
    assert page.status_code == 410
    assert CheckIn.select().count() == 0


def test_venue_screen_shows_a_code_that_opens_the_self_sign_in(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    data = client.get(f"/checkin/events/{s.event.id}/venue.json").get_json()
    assert data["url"].startswith("http") and "<svg" in data["svg"] and data["expected"] == 4
    path = data["url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
