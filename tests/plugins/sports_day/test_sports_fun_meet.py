"""篇九, the union cadres' fun sports meet: at most 3 items and one starred, places by the entries
(fewer entrants than the three places: one place fewer than entrants), best placing only, a
souvenir for everyone who came. Prize money per place is the preset's 30/20/10 yuan.

Entries and results, worked by hand:
- 托球跑 (4 entrants, 3 places): A1 12.5 s 30, B1 13.0 s 20, A2 14.2 s 10, B2 15.8 s.
- 定点投篮 (3 entrants, 2 places): B3 8 at shot 6 30, A1 8 at shot 9 20, A3 5 (3rd, not awarded).
- 一分钟跳绳 (2 entrants, 1 place): A2 135 30, B1 120.
- 摸石过河 (3 entrants, 2 places): B3 22.4 s 30, A3 25.1 s 20, B4 foot on the ground: foul, no result.
- 双腿夹球走 (1 entrant, no place): A4.
Best placing only: A1 30 (not 30 + 20), A2 30 (not 10 + 30), A3 20, B1 20, B3 30 (not 30 + 30): 130 yuan.
B2 did not come: 7 souvenirs for the 8 entered.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from core.models import Event, Item
from core.timeutil import from_local
from plugins.scoring import public as scoring
from tests.plugins.sports_day import attendance
from tests.plugins.sports_day.helpers import account_for, key, login_client, post, school_with_offices

CHOICES = {
    "A1": ("托球跑", "定点投篮"), "A2": ("托球跑", "一分钟跳绳"), "A3": ("摸石过河", "定点投篮"), "A4": ("双腿夹球走",),
    "B1": ("托球跑", "一分钟跳绳"), "B2": ("托球跑",), "B3": ("摸石过河", "定点投篮"), "B4": ("摸石过河",),
}
RESULTS = {
    "托球跑": [("A1", "12.5", None), ("B1", "13.0", None), ("A2", "14.2", None), ("B2", "15.8", None)],
    "定点投篮": [("B3", "8", 6), ("A1", "8", 9), ("A3", "5", 10)],
    "一分钟跳绳": [("A2", "135", None), ("B1", "120", None)],
    "摸石过河": [("B3", "22.4", None), ("A3", "25.1", None)],
    "双腿夹球走": [("A4", "18.0", None)],
}
EXPECTED = {"A1": "30.00", "A2": "30.00", "A3": "20.00", "A4": "0.00", "B1": "20.00", "B2": "0.00", "B3": "30.00",
            "B4": "0.00"}


@pytest.fixture
def meet(make_app, factory):
    app = make_app(extra_plugins=[("sports_attendance", attendance)])
    sd = school_with_offices(factory, offices=("一中工会", "二中工会"), men=2, women=2, spare=0)
    factory.account("org", roles=[("organizer", sd.school["school"])])
    sd.event = factory.event(sd.school["school"], activity_type="sports_day", preset="cadres_fun_meet",
                             title="区直单位工会干部趣味运动会", starts_at=from_local(datetime(2030, 9, 23, 8, 30)),
                             ends_at=from_local(datetime(2030, 9, 23, 11, 30)))
    sd.items = {i.name: i for i in Item.select().where(Item.event == sd.event)}
    sd.app = app
    sd.org = login_client(app, "org")
    for code in CHOICES:
        account_for(factory, sd, code)
    attendance.STATUSES.clear()
    attendance.STATUSES.update({sd.people["B2"].id: "absent"})
    return sd


def register(sd, code, names, status=201):
    client = login_client(sd.app, f"u{code.lower()}")
    return post(client, f"/api/v1/events/{sd.event.id}/registrations",
                {"items": [sd.items[n].id for n in names]}, status)


def test_preset_holds_the_plan(meet):
    sd = meet
    event = Event.get_by_id(sd.event.id)
    assert event.registration_closes_at == from_local(datetime(2030, 9, 18, 17, 0))
    assert [(i.name, i.starred) for i in event.items.order_by(Item.sort)] == [
        ("托球跑", True), ("双腿夹球走", True), ("摸石过河", True), ("定点投篮", False), ("一分钟跳绳", False),
        ("踢毽子", False), ("金豆搬家", False)]
    schedule = sd.org.get(f"/api/v1/sports/events/{sd.event.id}/schedule").get_json()
    assert schedule["sign_in"] == "08:00"
    assert schedule["items"][0]["start"] == "08:30"
    assert "犯规，不记成绩" in next(i["rule"] for i in schedule["items"] if i["name"] == "摸石过河")


def test_fun_meet_from_registration_to_prizes(meet):
    sd = meet
    refused = register(sd, "A1", ("托球跑", "定点投篮", "一分钟跳绳", "踢毽子"), 409)
    assert "每人最多报 3 个项目，已选 4 个" in refused["message"]
    refused = register(sd, "A1", ("定点投篮", "踢毽子"), 409)
    assert "每人须至少报 1 个带★的项目" in refused["message"]
    for code, names in CHOICES.items():
        register(sd, code, names)

    # Places follow the entries: 3, 2, 1, 2 and none.
    assert [scoring.item_scoring(sd.items[n]).prizes for n in ("托球跑", "定点投篮", "一分钟跳绳", "摸石过河",
                                                               "双腿夹球走")] == [
        ["30.00", "20.00", "10.00"], ["30.00", "20.00"], ["30.00"], ["30.00", "20.00"], []]

    Event.update(status="running").where(Event.id == sd.event.id).execute()
    for name, rows in RESULTS.items():
        for code, value, reached in rows:
            body = {"entrant": key(sd.people[code]), "value": value}
            if reached is not None:
                body["reached_at"] = reached
            post(sd.org, f"/api/v1/scoring/items/{sd.items[name].id}/results", body, 201)
    post(sd.org, f"/api/v1/scoring/items/{sd.items['摸石过河'].id}/results",
         {"entrant": key(sd.people["B4"]), "status": "foul"}, 201)

    standings = sd.org.get(f"/api/v1/scoring/events/{sd.event.id}/standings").get_json()
    stones = next(i for i in standings["items"] if i["name"] == "摸石过河")
    assert [(r["name"], r["place"], r["status_label"]) for r in stones["placings"]] == [
        ("二中B3", 1, "有效"), ("一中A3", 2, "有效"), ("二中B4", None, "犯规")]

    payout = sd.org.get(f"/api/v1/scoring/events/{sd.event.id}/payouts").get_json()
    rows = {row["key"]: row for row in payout["people"]}
    assert {code: rows[key(sd.people[code])]["total"] for code in EXPECTED} == EXPECTED
    assert payout["total"] == "130.00"
    assert payout["souvenirs"] == 7
    assert rows[key(sd.people["B2"])]["souvenirs"] == 0 and rows[key(sd.people["A4"])]["souvenirs"] == 1


def test_a_fourth_entrant_opens_the_third_place(meet):
    sd = meet
    for code in ("A1", "A2", "B1"):
        register(sd, code, ("托球跑",))
    assert scoring.item_scoring(sd.items["托球跑"]).prizes == ["30.00", "20.00"]
    register(sd, "B2", ("托球跑",))
    assert scoring.item_scoring(sd.items["托球跑"]).prizes == ["30.00", "20.00", "10.00"]
