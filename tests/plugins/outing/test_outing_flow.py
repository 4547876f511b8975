"""The issue's "done means", end to end through the API and pages of the 野狸岛 spring walk: register
members and families, seat and room them, each person's and the union's costs against figures worked
by hand, one paid withdrawal before the deadline (refund, seat freed), and a roll call at two stops
with one person missing, taken through the sign-in plugin (by hand and with the door scanner)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.models import Registration
from core.services import registrations as reg_service
from core.timeutil import from_local, to_local, utcnow
from plugins.checkin import public as checkin
from plugins.checkin.models import CheckIn, Checkpoint
from tests.plugins.outing.support import bearer, outing, register
from tests.support import text_of


def test_spring_walk_end_to_end(app, factory, client, login_as):
    school, organizer, event = outing(factory, "yelidao")
    headers = bearer(organizer)
    a = factory.member(school["g1"], "甲老师", "M")
    b = factory.member(school["g1"], "乙老师", "F")
    c = factory.member(school["g2"], "丙老师", "M")
    d = factory.member(school["g2"], "丁老师", "M")
    r = register(client, event, a, headers, [{"name": "甲妻", "relation": "配偶", "gender": "F"},
                                             {"name": "甲娃", "relation": "子女", "is_child": True}])
    assert r.status_code == 201, r.get_json()
    assert (r.get_json()["fee_total"], r.get_json()["member_share"], r.get_json()["union_share"]) == \
        ("150.00", "50.00", "100.00")
    assert register(client, event, b, headers).status_code == 201
    r = register(client, event, c, headers, [{"name": "丙妻", "relation": "配偶", "gender": "F"}])
    assert (r.get_json()["member_share"], r.get_json()["union_share"]) == ("25.00", "75.00")
    reg_c = r.get_json()["id"]
    assert register(client, event, d, headers).status_code == 201

    # Costs by hand: 7 people at 50.00 = 350.00; members free, 3 family members pay 25.00 = 75.00;
    # the union pays 4 × 50.00 + 3 × 25.00 = 275.00. Budget: lunch 30 × 7 = 210, transport 20 × 7 = 140.
    report = client.get(f"/api/v1/outing/events/{event.id}/costs", headers=headers).get_json()
    assert {k: report["totals"][k] for k in ("people", "cost", "own", "union", "union_total", "budget")} == {
        "people": 7, "cost": "350.00", "own": "75.00", "union": "275.00", "union_total": "275.00",
        "budget": "350.00"}
    people = {p["name"]: p for p in report["people"]}
    assert (people["甲老师"]["own"], people["甲老师"]["union"]) == ("0.00", "50.00")
    assert (people["甲娃"]["kind"], people["甲娃"]["own"], people["甲娃"]["union"]) == ("child", "25.00", "25.00")
    assert (people["丙妻"]["own"], people["丙妻"]["union"]) == ("25.00", "25.00")
    budget = {i["name"]: i["budget"] for i in report["items"]}
    assert budget["午餐"] == "210.00" and budget["交通（大巴）"] == "140.00"
    lunch = next(i for i in report["items"] if i["name"] == "午餐")
    r = client.post(f"/api/v1/outing/events/{event.id}/costs/{lunch['id']}", json={"actual": "196.50"},
                    headers=headers)
    assert r.get_json()["actual"] == "196.50"
    lunch = next(i for i in client.get(f"/api/v1/outing/events/{event.id}/costs", headers=headers)
                 .get_json()["items"] if i["name"] == "午餐")
    assert lunch["difference"] == "-13.50"

    # Seats: families together, departments in order, in the first bus.
    r = client.post(f"/api/v1/outing/events/{event.id}/seats/auto", json={}, headers=headers)
    assert r.get_json() == {"seated": 7, "unplaced": []}
    overview = client.get(f"/api/v1/outing/events/{event.id}", headers=headers).get_json()
    bus1, bus2 = overview["vehicles"]
    listing = client.get(f"/api/v1/outing/events/{event.id}/vehicles/{bus1['id']}/passengers",
                         headers=headers).get_json()
    assert [p["name"] for p in listing["passengers"]] == ["甲老师", "甲妻", "甲娃", "乙老师", "丙老师", "丙妻", "丁老师"]
    assert [p["number"] for p in listing["passengers"]] == list(range(1, 8))
    # Move 丁老师 to bus 2, seat 3 by hand.
    d_key = next(p["key"] for p in listing["passengers"] if p["name"] == "丁老师")
    r = client.post(f"/api/v1/outing/events/{event.id}/seats", json={"person": d_key, "vehicle_id": bus2["id"],
                                                                   "number": 3}, headers=headers)
    assert r.status_code == 201 and r.get_json()["number"] == 3

    # Rooms: each family in its own room (a family of three with an extra bed), singles by sex.
    assert client.post(f"/api/v1/outing/events/{event.id}/rooms/auto", json={}, headers=headers).status_code == 200
    rooms = client.get(f"/api/v1/outing/events/{event.id}/rooms", headers=headers).get_json()["rooms"]
    names = [sorted(p["name"] for p in room["people"]) for room in rooms]
    assert sorted(["甲老师", "甲妻", "甲娃"]) in names and sorted(["丙老师", "丙妻"]) in names
    assert ["丁老师"] in names and ["乙老师"] in names and len(rooms) == 4
    assert all(len(room["people"]) <= 2 for room in rooms if room["name"].startswith("双人间"))

    # 丙 paid his 25.00, then withdraws before the deadline: 25.00 back, two seats freed.
    reg_service.set_payment(Registration.get_by_id(reg_c), "paid", account=organizer)
    assert client.post(f"/api/v1/registrations/{reg_c}/withdraw", json={}, headers=headers).status_code == 200
    report = client.get(f"/api/v1/outing/events/{event.id}/costs", headers=headers).get_json()
    assert report["refunds"] == [{"registration_id": reg_c, "amount": "25.00", "note": "截止前退出，退还已缴费用"}]
    assert {k: report["totals"][k] for k in ("people", "cost", "own", "union", "refunded")} == {
        "people": 5, "cost": "250.00", "own": "50.00", "union": "200.00", "refunded": "25.00"}
    assert Registration.get_by_id(reg_c).payment_status == "refunded"
    listing = client.get(f"/api/v1/outing/events/{event.id}/vehicles/{bus1['id']}/passengers",
                         headers=headers).get_json()
    assert [p["name"] for p in listing["passengers"]] == ["甲老师", "甲妻", "甲娃", "乙老师"]
    overview = client.get(f"/api/v1/outing/events/{event.id}", headers=headers).get_json()
    assert overview["vehicles"][0]["taken"] == 4

    # Roll call at the two gathering stops, through the sign-in plugin: each stop is a checkpoint.
    # At the first, 甲老师 answers for his family, 丁老师 scans his QR code at the door, 乙老师 is missing.
    gather, back = [s for s in overview["stops"] if s["gathering"]]
    assert (gather["key"], "集合点名：集合") in checkin.checkpoint_keys(event)
    keys = {p["name"]: p["key"] for p in listing["passengers"]} | {"丁老师": d_key}
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{gather['id']}/roll-call",
                    json={"person": keys["甲老师"]}, headers=headers)
    assert r.status_code == 200 and r.get_json()["status"] == "on_time" and r.get_json()["already"] is False
    # The door scanner keeps to the checkpoint's window, which follows the stop: move the gathering to
    # a quarter of an hour from now (the window opens 30 minutes before it).
    soon = to_local(utcnow() + timedelta(minutes=15), event.timezone).replace(tzinfo=None, second=0, microsecond=0)
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{gather['id']}", json={"starts_at": soon.isoformat()},
                    headers=headers)
    assert r.status_code == 200
    window = Checkpoint.get(Checkpoint.event == event.id, Checkpoint.key == gather["key"])
    assert (window.starts_at, window.closes_at) == (from_local(soon, event.timezone),
                                                     from_local(soon, event.timezone) + timedelta(minutes=30))
    code = checkin.personal_code(Registration.get(Registration.member == d, Registration.event == event))
    r = client.post("/api/v1/checkins", json={"event_id": event.id, "checkpoint": gather["key"], "code": code},
                    headers=headers)
    assert r.status_code == 200 and r.get_json()["ok"] is True, r.get_json()
    for name in ("甲老师", "甲妻", "甲娃", "乙老师", "丁老师"):
        r = client.post(f"/api/v1/outing/events/{event.id}/stops/{back['id']}/roll-call",
                        json={"person": keys[name]}, headers=headers)
        assert r.status_code == 200
        assert r.get_json()["already"] is (name in ("甲妻", "甲娃"))  # the family signed in with 甲老师
    first = client.get(f"/api/v1/outing/events/{event.id}/stops/{gather['id']}/missing?vehicle_id={bus1['id']}",
                       headers=headers).get_json()
    assert (first["expected"], first["present"], [p["name"] for p in first["missing"]]) == (4, 3, ["乙老师"])
    whole = client.get(f"/api/v1/outing/events/{event.id}/stops/{gather['id']}/missing", headers=headers).get_json()
    assert [p["name"] for p in whole["missing"]] == ["乙老师"] and whole["expected"] == 5
    second = client.get(f"/api/v1/outing/events/{event.id}/stops/{back['id']}/missing", headers=headers).get_json()
    assert second["missing"] == [] and second["present"] == 5
    # One record of attendance: the sign-in plugin's list, its hook (scoring and points read it).
    listed = {a.name: a for a in checkin.attendance_list(event, gather["key"])}
    assert set(listed) == {"甲老师", "乙老师", "丁老师"}
    assert (listed["甲老师"].signed_in_source, listed["丁老师"].signed_in_source) == ("manual", "door")
    assert not listed["乙老师"].present
    row = CheckIn.get(CheckIn.registration == listed["甲老师"].registration_id)
    assert (row.account_id, row.reason) == (organizer.id, "集合点名")
    pm = app.extensions["huodong_pm"]
    assert pm.hook.huodong_attendance(event=event, member=a, checkpoint=gather["key"]) == "on_time"
    assert pm.hook.huodong_attendance(event=event, member=b, checkpoint=gather["key"]) is None  # may still come

    # The same through the pages: the roll-call page of bus 1 lists 乙老师; marking him empties it.
    login_as(organizer)
    page = text_of(client.get(f"/outing/{event.id}/stops/{gather['id']}/roll-call?vehicle={bus1['id']}"))
    assert "应到 4 人，已到 3 人，未到 1 人" in page and "乙老师" in page
    client.post(f"/outing/{event.id}/stops/{gather['id']}/roll-call", data={"person": keys["乙老师"],
                                                                             "vehicle": bus1["id"]})
    assert "全部到齐" in text_of(client.get(f"/outing/{event.id}/stops/{gather['id']}/roll-call?vehicle={bus1['id']}"))
    printed = text_of(client.get(f"/outing/{event.id}/vehicles/{bus1['id']}/print"))
    assert "1号车 乘客名单" in printed and "甲娃" in printed and "丙老师" not in printed
    rooms_page = text_of(client.get(f"/outing/{event.id}/rooms/print"))
    assert "住宿名单" in rooms_page and "甲妻（女，家属）" in rooms_page
    board = text_of(client.get(f"/outing/{event.id}"))
    assert "参加 5 人；个人承担 ¥50.00，工会补贴 ¥200.00；已退费 ¥25.00" in board
    assert Decimal(report["totals"]["own"]) + Decimal(report["totals"]["union"]) == Decimal(report["totals"]["cost"])
