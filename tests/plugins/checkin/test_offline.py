"""Offline scans uploaded later, maybe twice: no duplicates, and the time read counts."""

from datetime import timedelta

from core.timeutil import utcnow
from plugins.checkin.models import CheckIn
from tests.plugins.checkin.helpers import code_of, setup


def test_batch_sync_twice_creates_no_duplicates(app, client, factory):
    s = setup(factory, people=3)
    read_at = (utcnow() - timedelta(minutes=3)).isoformat() + "+00:00"
    scans = [{"code": code_of(r), "client_scan_id": f"dev1-{i}", "scanned_at": read_at}
             for i, r in enumerate(s.registrations)]
    scans.append({"code": code_of(s.registrations[0]), "client_scan_id": "dev2-0", "scanned_at": read_at})
    body = {"event_id": s.event.id, "scans": scans}
    first = client.post("/api/v1/checkins/batch", json=body, headers=s.headers).get_json()["results"]
    assert [r["ok"] for r in first] == [True, True, True, True]
    assert [r["already"] for r in first] == [False, False, False, True]
    assert first[3]["result"] == "already" and not first[3]["same_scan"]
    again = client.post("/api/v1/checkins/batch", json=body, headers=s.headers).get_json()["results"]
    assert [r["same_scan"] for r in again] == [True, True, True, False]
    assert CheckIn.select().count() == 3
    row = CheckIn.get(CheckIn.registration == s.registrations[0].id)
    assert row.source == "offline" and row.scanned_at < row.created_at - timedelta(minutes=2)


def test_a_scan_time_in_the_future_counts_as_now(app, client, factory):
    s = setup(factory)
    later = (utcnow() + timedelta(hours=5)).isoformat() + "+00:00"
    body = {"event_id": s.event.id, "code": code_of(s.registrations[0]), "scanned_at": later, "client_scan_id": "x"}
    assert client.post("/api/v1/checkins", json=body, headers=s.headers).get_json()["status"] == "on_time"
    assert CheckIn.get().scanned_at <= utcnow()


def test_scanner_list_has_codes_names_and_sign_ins(app, client, factory):
    s = setup(factory)
    client.post("/api/v1/checkins", json={"event_id": s.event.id, "code": code_of(s.registrations[0])},
                headers=s.headers)
    data = client.get(f"/api/v1/events/{s.event.id}/checkin-list", headers=s.headers).get_json()
    people = {p["name"]: p for p in data["people"]}
    assert people["教师1"]["signed_in_at"] and people["教师2"]["signed_in_at"] is None
    assert people["教师2"]["token"] == code_of(s.registrations[1])
