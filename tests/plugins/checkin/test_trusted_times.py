"""Times the server can trust: a backdated offline scan cannot turn a late arrival into an on-time one,
an earlier trusted scan wins over a later one whatever arrives first, and the organizer decides on
every flagged time (audited)."""

from __future__ import annotations

from datetime import timedelta

from core.models import AuditLog
from core.timeutil import utcnow
from plugins.checkin import checkpoints, clock
from plugins.checkin.models import CheckIn
from plugins.checkin.public import attendance_status
from tests.plugins.checkin.helpers import code_of, event_now, list_token_of, setup
from tests.support import login, text_of


def _iso(moment) -> str:
    return moment.isoformat() + "+00:00"


def _started(factory, minutes_ago=30):
    """A meeting that started ``minutes_ago``, its sign-in window open."""
    school = factory.school()
    event = event_now(factory, school, start_offset=timedelta(minutes=-minutes_ago))
    return setup(factory, people=4, event=event, school=school)


def _post(client, s, body):
    return client.post("/api/v1/checkins", json={"event_id": s.event.id, **body}, headers=s.headers).get_json()


def test_a_backdated_scan_without_a_list_is_kept_flagged_and_counted_late(app, client, factory):
    s = _started(factory)
    claimed = s.event.starts_at - timedelta(minutes=5)  # "he was there before the start"
    answer = _post(client, s, {"code": code_of(s.registrations[0]), "scanned_at": _iso(claimed),
                               "client_scan_id": "dev-1"})
    assert answer["ok"] and answer["status"] == "late" and answer["flag"] == "no_list"
    assert "待组织者确认" in answer["message"]
    row = CheckIn.get()
    assert row.claimed_at == claimed and row.time_flag == "no_list" and row.scanned_at > s.event.starts_at
    assert attendance_status(s.event, s.members[0]) == "late"


def test_a_scan_claimed_before_its_list_was_downloaded_is_flagged(app, client, factory):
    s = _started(factory)
    downloaded = s.event.starts_at + timedelta(minutes=10)
    answer = _post(client, s, {"code": code_of(s.registrations[0]), "client_scan_id": "dev-1",
                               "scanned_at": _iso(s.event.starts_at - timedelta(minutes=5)),
                               "list_token": list_token_of(s.event, None, downloaded)})
    assert answer["flag"] == "before_list" and answer["status"] == "late"


def test_a_forged_list_token_gives_no_trust(app, client, factory):
    s = _started(factory)
    genuine = list_token_of(s.event, None, s.event.starts_at - timedelta(hours=2))
    forged = genuine.rsplit(".", 1)[0].replace(genuine.split(".")[2], str(int(genuine.split(".")[2]) - 3600)) + \
        "." + genuine.rsplit(".", 1)[1]
    answer = _post(client, s, {"code": code_of(s.registrations[0]), "client_scan_id": "dev-1",
                               "scanned_at": _iso(s.event.starts_at - timedelta(minutes=5)), "list_token": forged})
    assert answer["flag"] == "no_list"


def test_a_scan_from_the_future_is_flagged_and_counted_now(app, client, factory):
    s = _started(factory)
    answer = _post(client, s, {"code": code_of(s.registrations[0]), "client_scan_id": "dev-1",
                               "scanned_at": _iso(utcnow() + timedelta(hours=5))})
    assert answer["flag"] == "future"
    assert CheckIn.get().scanned_at <= utcnow()


def test_a_trusted_offline_scan_counts_by_its_own_time(app, client, factory):
    s = _started(factory)
    token = list_token_of(s.event, None, s.event.starts_at - timedelta(hours=1))
    answer = _post(client, s, {"code": code_of(s.registrations[0]), "client_scan_id": "dev-1",
                               "scanned_at": _iso(s.event.starts_at - timedelta(minutes=5)), "list_token": token})
    assert answer["ok"] and answer["status"] == "on_time" and answer["flag"] == ""


def test_the_earliest_trusted_scan_counts_whatever_arrives_first(app, client, factory):
    s = _started(factory)
    reg = s.registrations[0]
    # the door scanner online signs him in now (late) ...
    assert _post(client, s, {"code": code_of(reg)})["status"] == "late"
    # ... then an offline phone uploads that it read his code before the start
    token = list_token_of(s.event, None, s.event.starts_at - timedelta(hours=1))
    early = s.event.starts_at - timedelta(minutes=3)
    batch = client.post("/api/v1/checkins/batch", headers=s.headers, json={
        "event_id": s.event.id, "list_token": token,
        "scans": [{"code": code_of(reg), "client_scan_id": "phone-7", "scanned_at": _iso(early)}]}).get_json()
    assert batch["results"][0]["ok"] and not batch["results"][0]["already"]
    row = CheckIn.get()
    assert (row.scanned_at, row.status, row.client_scan_id) == (early, "on_time", "phone-7")
    # a later copy of another device changes nothing; neither does an untrusted earlier claim
    _post(client, s, {"code": code_of(reg), "client_scan_id": "phone-8", "list_token": token,
                      "scanned_at": _iso(early + timedelta(minutes=1))})
    _post(client, s, {"code": code_of(reg), "client_scan_id": "phone-9",
                      "scanned_at": _iso(early - timedelta(minutes=20))})
    assert CheckIn.select().count() == 1 and CheckIn.get().scanned_at == early
    assert attendance_status(s.event, reg.member) == "on_time"


def test_the_organizer_decides_on_a_flagged_time_with_a_reason(app, client, factory):
    s = _started(factory)
    claimed = s.event.starts_at - timedelta(minutes=5)
    for reg in s.registrations[:2]:
        _post(client, s, {"code": code_of(reg), "client_scan_id": f"dev-{reg.id}", "scanned_at": _iso(claimed)})
    organizer = login(app.test_client(), "organizer")
    page = organizer.get(f"/checkin/events/{s.event.id}/people")
    assert "2 条扫码的设备时间存疑" in text_of(page) and page.get_data(as_text=True).count("data-time-flag") == 2
    url = f"/checkin/events/{s.event.id}/manual"
    refused = organizer.post(url, data={"action": "accept_time_in", "registration_id": s.registrations[0].id},
                             follow_redirects=True)
    assert "请填写原因" in text_of(refused) and CheckIn.get(CheckIn.registration == s.registrations[0].id).time_flag
    organizer.post(url, data={"action": "accept_time_in", "registration_id": s.registrations[0].id,
                              "reason": "离线手机时间与现场记录一致"})
    organizer.post(url, data={"action": "keep_time_in", "registration_id": s.registrations[1].id,
                              "reason": "无法核实"})
    accepted, kept = (CheckIn.get(CheckIn.registration == r.id) for r in s.registrations[:2])
    assert (accepted.scanned_at, accepted.status, accepted.time_flag) == (claimed, "on_time", "")
    assert (kept.status, kept.time_flag, kept.claimed_at) == ("late", "", claimed)
    assert attendance_status(s.event, s.members[0]) == "on_time"
    assert attendance_status(s.event, s.members[1]) == "late"
    actions = [a.action for a in AuditLog.select().where(AuditLog.action.startswith("checkin.time_"))]
    assert sorted(actions) == ["checkin.time_accepted", "checkin.time_kept"]
    assert "设备时间存疑" not in text_of(organizer.get(f"/checkin/events/{s.event.id}/people"))


def test_the_scanner_list_carries_a_list_token_for_its_checkpoint(app, client, factory):
    from plugins.checkin import tokens

    s = _started(factory)
    data = client.get(f"/api/v1/events/{s.event.id}/checkin-list", headers=s.headers).get_json()
    main = checkpoints.info(s.event.id).id
    issued = tokens.read_list_token(data["list_token"], main)
    assert issued is not None and abs((issued - utcnow()).total_seconds()) < 5
    assert tokens.read_list_token(data["list_token"], main + 1) is None


def test_the_clock_rules_at_their_edges():
    now = utcnow().replace(microsecond=0)
    assert clock.judge(None, now) == clock.Judged(now)
    assert clock.judge(now + timedelta(seconds=30), now) == clock.Judged(now)
    assert clock.judge(now + timedelta(minutes=2), now).flag == "future"
    assert clock.judge(now - timedelta(minutes=5), now) == clock.Judged(now - timedelta(minutes=5))
    assert clock.judge(now - timedelta(minutes=6), now).flag == "no_list"
    listed = now - timedelta(hours=2)
    assert clock.judge(now - timedelta(hours=1), now, listed).flag == ""
    assert clock.judge(listed - timedelta(minutes=2), now, listed).flag == "before_list"
    old_list = now - timedelta(days=5)
    assert clock.judge(now - timedelta(days=4), now, old_list).flag == "too_old"
