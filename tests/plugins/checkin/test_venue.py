"""Self sign-in with the rotating venue code: expiry, the member's own login, one phone for one person,
a geofence, and a code at the public address."""

import html
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from core.models import Account
from plugins.checkin import checkpoints, geofence, selfservice, tokens
from plugins.checkin.models import CheckIn, DeviceBinding, FailedScan
from tests.plugins.checkin.helpers import setup
from tests.support import PASSWORD, login


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


def _phone_of(app, factory, member, username=None):
    """A phone (its own device cookie) logged in as ``member``'s own account."""
    username = username or f"m{member.id}"
    factory.account(username, member=member)
    return login(app.test_client(), username)


def test_a_member_scans_first_logs_in_and_comes_back_to_sign_in_himself(app, factory):
    s = setup(factory)
    code, _left = selfservice.current_code(checkpoints.info(s.event.id))
    factory.account("teacher1", member=s.members[0])
    phone = app.test_client()
    page = phone.get(f"/checkin/v/{code}").get_data(as_text=True)
    assert "请先用自己的账号登录" in page and 'name="identifier"' not in page
    login_link = html.unescape(page.split('class="button primary" href="')[1].split('"')[0])
    response = phone.post(login_link, data={"username": "teacher1", "password": PASSWORD})
    back = response.headers["Location"]
    assert back.startswith(f"/checkin/v/{code}?ticket=")
    ticket = _open(phone, back.split("/checkin/v/", 1)[1])
    page = phone.post(f"/checkin/v/{code}", data={"ticket": ticket}).get_data(as_text=True)
    assert "签到成功" in page
    row = CheckIn.get()
    assert (row.member_id, row.source, row.account_id) == (s.members[0].id, "venue", Account.get(
        Account.username == "teacher1").id)


def test_one_phone_cannot_sign_in_a_colleague(app, factory):
    s = setup(factory)
    code, _left = selfservice.current_code(checkpoints.info(s.event.id))
    first, second = s.members[0], s.members[1]
    phone = _phone_of(app, factory, first)
    ticket = _open(phone, code)
    # the old form field for a colleague's staff number is ignored: he signs in himself only
    page = phone.post(f"/checkin/v/{code}", data={"ticket": ticket, "identifier": second.staff_no})
    assert "签到成功" in page.get_data(as_text=True)
    assert [r.member_id for r in CheckIn.select()] == [first.id]
    # the colleague logs in on the same phone: the phone stands for the first person already
    factory.account("colleague", member=second)
    login(phone, "colleague")
    ticket = _open(phone, code)
    page = phone.post(f"/checkin/v/{code}", data={"ticket": ticket})
    assert "一部手机只能为一人签到" in page.get_data(as_text=True)
    # nor can the first person sign in again from a second phone
    other_phone = login(app.test_client(), f"m{first.id}")
    ticket = _open(other_phone, code)
    page = other_phone.post(f"/checkin/v/{code}", data={"ticket": ticket})
    assert "另一部手机" in page.get_data(as_text=True)
    assert CheckIn.select().count() == 1 and DeviceBinding.select().count() == 1


def test_anonymous_posts_unregistered_members_and_forged_tickets_sign_in_nobody(app, client, factory):
    s = setup(factory)
    code, _left = selfservice.current_code(checkpoints.info(s.event.id))
    ticket = _open(_phone_of(app, factory, s.members[0]), code)
    page = client.post(f"/checkin/v/{code}", data={"ticket": ticket, "identifier": s.members[0].staff_no})
    assert page.status_code == 410  # another phone's ticket
    page = client.get(f"/checkin/v/{code}").get_data(as_text=True)
    login_link = html.unescape(page.split('class="button primary" href="')[1].split('"')[0])
    back = parse_qs(urlsplit(login_link).query)["next"][0]
    own_ticket = parse_qs(urlsplit(back).query)["ticket"][0]
    page = client.post(f"/checkin/v/{code}", data={"ticket": own_ticket, "identifier": s.members[0].staff_no})
    assert "请先用自己的账号登录" in page.get_data(as_text=True)  # anonymous: nobody to sign in
    stranger = _phone_of(app, factory, factory.member(s.school["g1"]))
    page = stranger.post(f"/checkin/v/{code}", data={"ticket": _open(stranger, code)})
    assert "没有报名本活动" in page.get_data(as_text=True)
    page = stranger.post(f"/checkin/v/{code}", data={"ticket": "forged"})
    assert page.status_code == 410
    assert CheckIn.select().count() == 0


SCHOOL_GATE = (22.2712, 113.5767)  # the checkpoint's place


def test_a_geofenced_checkpoint_needs_the_phone_on_site(app, factory):
    s = setup(factory)
    cp = checkpoints.ensure_main(s.event)
    checkpoints.save(s.event, {"latitude": SCHOOL_GATE[0], "longitude": SCHOOL_GATE[1], "radius_m": 300}, cp)
    code, _left = selfservice.current_code(checkpoints.info(s.event.id))
    phone = _phone_of(app, factory, s.members[0])
    page = phone.post(f"/checkin/v/{code}", data={"ticket": _open(phone, code)}).get_data(as_text=True)
    assert "请允许浏览器获取位置" in page
    far = {"latitude": "22.2900", "longitude": "113.5767", "accuracy": "20"}  # about 2 km north
    page = phone.post(f"/checkin/v/{code}", data={"ticket": _open(phone, code), **far}).get_data(as_text=True)
    assert "不在签到范围内" in page and "范围 300 米" in page
    bogus = {"latitude": "abc", "longitude": "1"}
    page = phone.post(f"/checkin/v/{code}", data={"ticket": _open(phone, code), **bogus}).get_data(as_text=True)
    assert "位置信息无效" in page
    assert CheckIn.select().count() == 0
    near = {"latitude": "22.2722", "longitude": "113.5770", "accuracy": "35.5"}  # about 115 m away
    page = phone.post(f"/checkin/v/{code}", data={"ticket": _open(phone, code), **near}).get_data(as_text=True)
    assert "签到成功" in page
    row = CheckIn.get()
    assert (row.latitude, row.longitude, row.accuracy_m) == (22.2722, 113.577, 35.5)
    assert FailedScan.select().where(FailedScan.result == "outside_area").count() == 3


def test_a_geofence_is_set_on_the_checkpoint_form_within_its_bounds(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    form = {"name": "主会场", "latitude": "22.2712", "longitude": "113.5767", "radius_m": "50", "rotate_seconds": "30"}
    client.post(f"/checkin/events/{s.event.id}/checkpoints/main", data=form)
    assert checkpoints.ensure_main(s.event).latitude is None
    client.post(f"/checkin/events/{s.event.id}/checkpoints/main", data={**form, "radius_m": "500"})
    cp = checkpoints.ensure_main(s.event)
    assert (cp.latitude, cp.longitude, cp.radius_m) == (22.2712, 113.5767, 500)
    assert geofence.distance_m(22.2712, 113.5767, 22.2900, 113.5767) == pytest.approx(2090, abs=10)


def test_venue_screen_shows_a_code_at_the_public_address(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    data = client.get(f"/checkin/events/{s.event.id}/venue.json").get_json()
    assert data["url"].startswith("http://huodong.test/checkin/v/") and "<svg" in data["svg"]
    assert data["expected"] == 4
    path = data["url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
