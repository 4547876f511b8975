"""篇七, fun games by group: three timed games ranked 10, 9, 8 ... whose totals become the groups'
yearly activity points, the union member who runs a game kept out of it, repeats across games
warned about; and the fitness variant with threshold souvenirs (30 jumps) and a souvenir per riddle.

Times worked by hand (lower wins):
- 顶橘子: 初二 58.0 10, 初一 60.5 9, 初三 65.2 8.
- 搭桥过河: 初三 1:50.3 10, 初一 2:00.0 9, 初二 2:10.5 8.
- 大家乐套圈: 初一 45.0 10, 初三 47.5 9, 初二 50.0 8.
- Totals: 初一 9 + 9 + 10 = 28, 初三 8 + 10 + 9 = 27, 初二 10 + 8 + 8 = 26.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.models import Event, Item, Team
from core.timeutil import from_local
from plugins.scoring import public as scoring
from tests.plugins.sports_day import attendance
from tests.plugins.sports_day.helpers import login_client, post
from tests.support import text_of

GROUPS = ("初一年级组", "初二年级组", "初三年级组")


def build_school(factory):
    school = factory.unit("实验小学工会", None, "grassroots")
    groups, people = {}, {}
    for name in GROUPS:
        unit = factory.unit(name, school)
        groups[name] = unit
        people[name] = [factory.member(unit, name=f"{name[:2]}{n}", gender="M" if n <= 5 else "F")
                        for n in range(1, 10)]
    runner = factory.member(groups["初三年级组"], name="冼贞华", gender="F")
    factory.account("org", roles=[("organizer", school)])
    factory.account("runner", member=runner)
    return school, groups, people, runner


@pytest.fixture
def games(make_app, factory):
    app = make_app(extra_plugins=[("sports_attendance", attendance)])
    attendance.STATUSES.clear()
    school, groups, people, runner = build_school(factory)
    event = factory.event(school, activity_type="fun_games", preset="eight_groups", title="教职工趣味游戏",
                          starts_at=from_local(datetime(2030, 3, 15, 15, 30)),
                          ends_at=from_local(datetime(2030, 3, 15, 17, 30)))
    items = {i.name: i for i in Item.select().where(Item.event == event)}
    teams = {t.name: t for t in Team.select().where(Team.event == event)}
    return app, event, items, teams, people, runner, login_client(app, "org")


def test_fun_games_points_become_yearly_activity_points(games):
    app, event, items, teams, people, runner, org = games
    assert sorted(teams) == sorted(GROUPS)
    assert [(i.kind, i.team_size_min, i.team_size_max) for i in (items["顶橘子"], items["搭桥过河"])] == [
        ("team", 8, 8), ("team", 9, 9)]
    # The union member who runs 顶橘子 referees it and so may not play in it.
    post(org, f"/api/v1/sports/events/{event.id}/referees", {"item": items["顶橘子"].id, "member": runner.id}, 201)
    refused = post(org, f"/api/v1/events/{event.id}/registrations",
                   {"member_id": runner.id, "items": [items["顶橘子"].id]}, 409)
    assert "冼贞华是“顶橘子”的裁判" in refused["message"]
    for group in GROUPS:
        for index, member in enumerate(people[group]):
            chosen = [items["搭桥过河"].id]
            if index < 8:
                chosen += [items["顶橘子"].id, items["大家乐套圈"].id]
            post(org, f"/api/v1/events/{event.id}/registrations",
                 {"member_id": member.id, "items": chosen, "team_id": teams[group].id}, 201)
    # With nine people a group must repeat people across games: warned, not refused.
    warnings = org.get(f"/api/v1/sports/events/{event.id}/schedule").get_json()["warnings"]
    assert len(warnings) == 24
    assert "【人员重复】初一年级组的初一1参加了" in warnings[0] and "尽量不要重复" in warnings[0]

    Event.update(status="running").where(Event.id == event.id).execute()
    referee = login_client(app, "runner")
    times = {"顶橘子": ("60.5", "58.0", "65.2"), "搭桥过河": ("2:00.0", "2:10.5", "1:50.3"),
             "大家乐套圈": ("45.0", "50.0", "47.5")}
    for name, values in times.items():
        client = referee if name == "顶橘子" else org
        for group, value in zip(GROUPS, values, strict=True):
            post(client, f"/api/v1/scoring/items/{items[name].id}/results",
                 {"entrant": f"t{teams[group].id}", "value": value}, 201)
    standings = org.get(f"/api/v1/scoring/events/{event.id}/standings").get_json()
    assert [(t["name"], Decimal(t["total"]), t["place"]) for t in standings["teams"]] == [
        ("初一年级组", 28, 1), ("初三年级组", 27, 2), ("初二年级组", 26, 3)]
    yearly = {row["unit"]: row["total"] for row in scoring.yearly_points(2030)}
    assert yearly == {"初一年级组": 28, "初三年级组": 27, "初二年级组": 26}
    # The same 工会活动积分 as a page, through the API and in a sheet.
    page = text_of(org.get("/scoring/points?year=2030"))
    assert "2030 年工会活动积分" in page and "初一年级组" in page and event.title in page
    api = org.get("/api/v1/scoring/points?year=2030").get_json()
    assert [(u["unit"], u["total"], u["place"]) for u in api["units"]] == [
        ("初一年级组", "28", 1), ("初三年级组", "27", 2), ("初二年级组", "26", 3)]
    assert api["units"][0]["events"] == [{"event": event.title, "points": "28"}]
    sheet = load_workbook(io.BytesIO(org.get("/scoring/points.xlsx?year=2030").data)).active
    assert [c.value for c in sheet[1]] == ["名次", "单位", "积分", "来自"]
    assert [c.value for c in sheet[2]][:3] == [1, "初一年级组", 28]
    assert org.get("/scoring/points?year=20x0").status_code == 422
    payout = org.get(f"/api/v1/scoring/events/{event.id}/payouts").get_json()
    assert payout["total"] == "0.00"  # points, not money


def test_fitness_games_give_threshold_and_riddle_souvenirs(make_app, factory):
    app = make_app(extra_plugins=[("sports_attendance", attendance)])
    attendance.STATUSES.clear()
    school, groups, people, _runner = build_school(factory)
    event = factory.event(school, activity_type="fun_games", preset="fitness_fun", title="教职工健身趣味活动",
                          starts_at=from_local(datetime(2030, 1, 29, 8, 30)),
                          ends_at=from_local(datetime(2030, 1, 29, 11, 30)))
    items = {i.name: i for i in Item.select().where(Item.event == event)}
    org = login_client(app, "org")
    relay = items["滚铁环接力赛"]
    assert (relay.kind, relay.team_size_max, relay.min_women) == ("team", 10, 2)
    g1 = people["初一年级组"]
    for man in g1[:4]:
        post(org, f"/api/v1/events/{event.id}/registrations", {"member_id": man.id, "items": [relay.id]}, 201)
    g2 = people["初二年级组"]
    jumps = {g1[4]: "45", g1[5]: "28", g2[0]: "52", g2[1]: "30", people["初三年级组"][0]: "38"}
    for member in jumps:
        post(org, f"/api/v1/events/{event.id}/registrations", {"member_id": member.id, "items": [items["跳绳"].id]},
             201)
    riddles = {g1[6]: "3", g2[2]: "1"}
    for member in riddles:
        post(org, f"/api/v1/events/{event.id}/registrations", {"member_id": member.id, "items": [items["猜谜"].id]},
             201)
    Event.update(status="running").where(Event.id == event.id).execute()
    for member, value in jumps.items():
        post(org, f"/api/v1/scoring/items/{items['跳绳'].id}/results", {"entrant": f"m{member.id}", "value": value},
             201)
    for member, value in riddles.items():
        post(org, f"/api/v1/scoring/items/{items['猜谜'].id}/results", {"entrant": f"m{member.id}", "value": value},
             201)
    payout = org.get(f"/api/v1/scoring/events/{event.id}/payouts").get_json()
    souvenirs = {row["name"]: row["souvenirs"] for row in payout["people"] if row["souvenirs"]}
    # 52, 45, 38 and 30 jumps reach 30; 28 does not. Three and one riddles guessed.
    assert souvenirs == {"初二1": 1, "初一5": 1, "初二2": 1, "初三1": 1, "初一7": 3, "初二3": 1}
    assert payout["souvenirs"] == 8 and payout["total"] == "0.00"
    standings = org.get(f"/api/v1/scoring/events/{event.id}/standings").get_json()
    rope = next(i for i in standings["items"] if i["name"] == "跳绳")
    assert [(r["name"], r["place"]) for r in rope["placings"][:3]] == [("初二1", 1), ("初一5", 2), ("初三1", 3)]
    page = text_of(org.get(f"/sports/events/{event.id}/schedule"))
    assert "累加30个获纪念品" in page and "每猜对一个" in page
