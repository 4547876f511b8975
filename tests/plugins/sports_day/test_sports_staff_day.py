"""篇二, the staff sports day, from the preset to the prize money: captains register their offices and
propose referees through the API, referees enter their items' results, the organizer runs the table
tennis knockout, and the standings and payout sheet match the figures worked out below by hand.

Three offices of 10 competitors (6 men, 4 women) and 2 spare staff each:
- 拔河 (places entered by 三楼's referee): 三楼 1st 5, 二楼 2nd 3, 行政 3rd 1.
- 迎面接力 (times): 二楼 95.2 s 5, 三楼 98.4 s 3, 行政 101.0 s 1.
- 乒乓球单打, drawn A1=1 (a bye), B1=3, C1=4: C1 beats B1, then A1 in three games:
  C1 1st 3 points 30 yuan, A1 2nd 2 points 20 yuan, B1 3rd 1 point 10 yuan.
- 定点投篮 (baskets, shot of the last basket): A3 7 at 3, B2 7 at 5, C2 6, A4 5, B3 4, C3 2:
  A3 1st (first to reach) 3 points 30 yuan, B2 2nd 2 points 20 yuan, C2 3rd 1 point 10 yuan;
  as teams 二楼 12, 三楼 11, 行政 8: 5, 3, 1.
- Team totals: 二楼 3+5+2+3+5 = 18, 三楼 5+3+1+2+3 = 14, 行政 1+1+3+1+1 = 7 → 300, 260, 200 yuan.
- Participation 50 yuan each for 30 people: A2 late 25, B4 left early 25, C5 absent 0 → 1400.
- Total 1400 + 120 item prizes + 760 team prizes = 2280 yuan.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from core.models import Event, Item
from core.timeutil import from_local
from tests.plugins.sports_day import attendance
from tests.plugins.sports_day.helpers import (
    account_for,
    key,
    login_client,
    post,
    school_with_offices,
    set_teams,
)
from tests.support import text_of

D = Decimal
EXPECTED = {
    "A1": "70.00", "A2": "25.00", "A3": "80.00", "A4": "50.00", "B1": "60.00", "B2": "70.00", "B4": "25.00",
    "C1": "80.00", "C2": "60.00", "C5": "0.00",
}


def local(*parts):
    return from_local(datetime(*parts))


@pytest.fixture
def staff_day(make_app, factory):
    app = make_app(extra_plugins=[("sports_attendance", attendance)])
    sd = school_with_offices(factory)
    factory.account("org", roles=[("organizer", sd.school["school"])])
    sd.event = factory.event(sd.school["school"], activity_type="sports_day", preset="staff_sports_day",
                             title="教职工“庆五一”体育竞赛", starts_at=local(2030, 4, 28, 8, 30),
                             ends_at=local(2030, 4, 28, 12, 30))
    sd.teams = set_teams(sd.event, sd, {"A": "A1", "B": "B1", "C": "C1"})
    sd.items = {i.name: i for i in Item.select().where(Item.event == sd.event)}
    for code in ("A1", "B1", "C1", "A11", "B11", "C11", "A3"):
        account_for(factory, sd, code)
    sd.app = app
    sd.org = login_client(app, "org")
    sd.captains = {letter: login_client(app, f"u{letter.lower()}1") for letter in "ABC"}
    attendance.STATUSES.clear()
    attendance.STATUSES.update({sd.people["A2"].id: "late", sd.people["B4"].id: "early_leave",
                                sd.people["C5"].id: "absent"})
    return sd


def register_offices(sd):
    """Each captain registers his ten: everyone pulls and runs, one plays table tennis, two shoot."""
    items = sd.items
    shooters = {"A": ("A3", "A4"), "B": ("B2", "B3"), "C": ("C2", "C3")}
    for letter in "ABC":
        for number in range(1, 11):
            code = f"{letter}{number}"
            chosen = [items["拔河"].id, items["迎面接力（50米）"].id]
            if number == 1:
                chosen.append(items["乒乓球单打"].id)
            if code in shooters[letter]:
                chosen.append(items["定点投篮"].id)
            post(sd.captains[letter], f"/api/v1/events/{sd.event.id}/registrations",
                 {"member_id": sd.people[code].id, "items": chosen, "team_id": sd.teams[letter].id}, 201)


def propose_referees(sd):
    url = f"/api/v1/sports/events/{sd.event.id}/referees"
    post(sd.captains["A"], url, {"item": sd.items["定点投篮"].id, "member": sd.people["A11"].id}, 201)
    post(sd.captains["B"], url, {"item": sd.items["拔河"].id, "member": sd.people["B11"].id}, 201)
    post(sd.captains["C"], url, {"item": sd.items["迎面接力（50米）"].id, "member": sd.people["C11"].id}, 201)


def run_the_day(sd):
    items, p = sd.items, sd.people
    Event.update(status="running").where(Event.id == sd.event.id).execute()
    shooter = login_client(sd.app, "ua11")
    for code, baskets, shot in (("A3", 7, 3), ("B2", 7, 5), ("C2", 6, 9), ("A4", 5, 8), ("B3", 4, 10),
                                ("C3", 2, 7)):
        post(shooter, f"/api/v1/scoring/items/{items['定点投篮'].id}/results",
             {"entrant": key(p[code]), "value": str(baskets), "reached_at": shot}, 201)
    tug = login_client(sd.app, "ub11")
    for letter, place in (("B", 1), ("A", 2), ("C", 3)):
        post(tug, f"/api/v1/scoring/items/{items['拔河'].id}/results",
             {"entrant": f"t{sd.teams[letter].id}", "value": place}, 201)
    relay = login_client(sd.app, "uc11")
    for letter, time in (("A", "95.2"), ("B", "1:38.4"), ("C", "101.0")):
        post(relay, f"/api/v1/scoring/items/{items['迎面接力（50米）'].id}/results",
             {"entrant": f"t{sd.teams[letter].id}", "value": time}, 201)
    tt = items["乒乓球单打"].id
    post(sd.org, f"/api/v1/scoring/items/{tt}/draw",
         {"numbers": {key(p["A1"]): 1, key(p["B1"]): 3, key(p["C1"]): 4}})
    post(sd.org, f"/api/v1/scoring/items/{tt}/matches", {"round": 1, "number": 2, "games": [[5, 11], [7, 11]]})
    post(sd.org, f"/api/v1/scoring/items/{tt}/matches",
         {"round": 2, "number": 1, "games": [[9, 11], [11, 8], [8, 11]]})


def test_staff_sports_day_from_registration_to_prize_money(staff_day):
    sd = staff_day
    register_offices(sd)
    propose_referees(sd)
    run_the_day(sd)

    standings = sd.org.get(f"/api/v1/scoring/events/{sd.event.id}/standings").get_json()
    assert {t["name"]: (D(t["total"]), t["place"]) for t in standings["teams"]} == {
        "二楼办公室": (18, 1), "三楼办公室": (14, 2), "行政办公室": (7, 3)}
    shoot = next(i for i in standings["items"] if i["name"] == "定点投篮")
    assert [(r["name"], r["place"], r["points"]) for r in shoot["placings"][:3]] == [
        ("二楼A3", 1, "3"), ("三楼B2", 2, "2"), ("行政C2", 3, "1")]
    assert [(r["name"], r["points"]) for r in shoot["team_placings"]] == [
        ("二楼办公室", "5"), ("三楼办公室", "3"), ("行政办公室", "1")]
    tt = next(i for i in standings["items"] if i["name"] == "乒乓球单打")
    assert [(r["name"], r["place"]) for r in tt["placings"]] == [("行政C1", 1), ("二楼A1", 2), ("三楼B1", 3)]

    payout = sd.org.get(f"/api/v1/scoring/events/{sd.event.id}/payouts").get_json()
    rows = {row["key"]: row for row in payout["people"]}
    assert {code: rows[key(sd.people[code])]["total"] for code in EXPECTED} == EXPECTED
    assert len(rows) == 30 and payout["unknown_attendance"] == 0
    assert {t["name"]: t["total"] for t in payout["teams"]} == {
        "二楼办公室": "300.00", "三楼办公室": "260.00", "行政办公室": "200.00"}
    assert payout["total"] == "2280.00"
    assert payout["capital"] == "人民币贰仟贰佰捌拾元整"


def test_preset_builds_the_plan(staff_day):
    sd = staff_day
    tug, relay, shoot = sd.items["拔河"], sd.items["迎面接力（50米）"], sd.items["定点投篮"]
    assert (tug.kind, tug.team_size_min, tug.team_size_max, tug.min_women) == ("team", 10, 10, 2)
    assert (relay.kind, relay.min_women) == ("team", 2)
    assert (sd.items["乒乓球单打"].per_team, sd.items["羽毛球单打"].per_team, shoot.per_team) == (3, 3, 5)
    assert sd.event.setting("rules")["team_required"] is True
    budget = sd.org.get(f"/sports/events/{sd.event.id}/prizes")
    assert budget.status_code == 200
    page = text_of(sd.org.get(f"/sports/events/{sd.event.id}"))
    for words in ("每队10人，其中女队员至少2人", "5/3/1", "30.00/20.00/10.00", "团体奖：300.00/260.00/200.00 元",
                  "参与奖每人 50.00 元"):
        assert words in page


def test_referee_rule_both_ways(staff_day):
    sd = staff_day
    register_offices(sd)
    url = f"/api/v1/sports/events/{sd.event.id}/referees"
    refused = post(sd.captains["A"], url, {"item": sd.items["定点投篮"].id, "member": sd.people["A3"].id}, 409)
    assert "二楼A3已报名参加“定点投篮”，参赛选手不能担任本项目的裁判" in refused["message"]
    other = post(sd.captains["A"], url, {"item": sd.items["拔河"].id, "member": sd.people["B11"].id}, 403)
    assert "队长只能推荐本队的职工担任裁判" in other["message"]
    post(sd.captains["A"], url, {"item": sd.items["定点投篮"].id, "member": sd.people["A11"].id}, 201)
    again = post(sd.captains["A"], url, {"item": sd.items["定点投篮"].id, "member": sd.people["A11"].id}, 409)
    assert "已是“定点投篮”的裁判" in again["message"]
    # ... and a referee may not compete in his item.
    entry = post(sd.captains["A"], f"/api/v1/events/{sd.event.id}/registrations",
                 {"member_id": sd.people["A11"].id, "items": [sd.items["定点投篮"].id], "team_id": sd.teams["A"].id},
                 409)
    assert "二楼A11是“定点投篮”的裁判，裁判不能参加本项目的比赛" in entry["message"]
    # He got the referee role for the event and may enter that item's results only.
    Event.update(status="running").where(Event.id == sd.event.id).execute()
    referee = login_client(sd.app, "ua11")
    post(referee, f"/api/v1/scoring/items/{sd.items['定点投篮'].id}/results",
         {"entrant": key(sd.people["A3"]), "value": "6"}, 201)
    response = referee.post(f"/api/v1/scoring/items/{sd.items['拔河'].id}/results",
                            json={"entrant": f"t{sd.teams['A'].id}", "value": 1})
    assert response.status_code == 403
    mine = text_of(referee.get("/sports/mine"))
    assert "定点投篮" in mine and "拔河" not in mine
    # Taken off again, the role goes with his last item.
    page = sd.captains["A"].get(f"/sports/events/{sd.event.id}/referees")
    assert "二楼A11" in text_of(page)
    from plugins.sports_day.models import Referee

    referee_row = Referee.get(Referee.member == sd.people["A11"].id)
    assert sd.captains["A"].post(f"/sports/referees/{referee_row.id}/remove").status_code == 302
    assert referee.post(f"/api/v1/scoring/items/{sd.items['定点投篮'].id}/results",
                        json={"entrant": key(sd.people["A4"]), "value": "3"}).status_code == 403


def test_a_person_in_two_items_at_the_same_time_is_warned(staff_day):
    sd = staff_day
    items = sd.items
    a1 = login_client(sd.app, "ua1")
    post(a1, f"/api/v1/events/{sd.event.id}/registrations",
         {"member_id": sd.people["A1"].id, "items": [items["乒乓球单打"].id, items["定点投篮"].id],
          "team_id": sd.teams["A"].id}, 201)
    assert sd.org.get(f"/api/v1/sports/events/{sd.event.id}/schedule").get_json()["clashes"] == []
    # Both rackets run from 09:40 to 11:00: the captain registering both sees the warning at once.
    response = a1.post(f"/events/{sd.event.id}/register",
                       data={"items": [str(items["乒乓球单打"].id), str(items["羽毛球单打"].id)]},
                       follow_redirects=True)
    assert "【时间冲突】二楼A1同时报了“乒乓球单打”（09:40–11:00）和“羽毛球单打”（09:40–11:00）" in text_of(response)
    clashes = sd.org.get(f"/api/v1/sports/events/{sd.event.id}/schedule").get_json()["clashes"]
    assert [(c["name"], sorted(c["items"])) for c in clashes] == [
        ("二楼A1", sorted([items["乒乓球单打"].id, items["羽毛球单打"].id]))]
    assert "【时间冲突】" in text_of(sd.org.get(f"/sports/events/{sd.event.id}"))
    # Moving 羽毛球 to the afternoon through the item page clears it.
    form = {"name": "羽毛球单打", "kind": "individual", "start": "13:30", "end": "15:00", "place": "羽毛球馆",
            "per_team": "3", "measure": "match", "tie_rule": "share", "points": "3/2/1", "prizes": "30/20/10",
            "game_rule": "badminton"}
    assert sd.org.post(f"/sports/items/{items['羽毛球单打'].id}/edit", data=form).status_code == 302
    assert sd.org.get(f"/api/v1/sports/events/{sd.event.id}/schedule").get_json()["clashes"] == []


def test_changing_a_points_table_changes_the_standings(staff_day):
    sd = staff_day
    register_offices(sd)
    propose_referees(sd)
    run_the_day(sd)
    url = f"/api/v1/scoring/events/{sd.event.id}/standings"
    before = {t["name"]: D(t["total"]) for t in sd.org.get(url).get_json()["teams"]}
    assert before["三楼办公室"] == 14
    # The organizer makes 拔河 worth 8/4/2 on the item page (三楼 won it, 二楼 second, 行政 third).
    form = {"name": "拔河", "kind": "team", "start": "08:30", "end": "09:00", "place": "学校操场",
            "team_size_min": "10", "team_size_max": "10", "min_women": "2", "measure": "place",
            "tie_rule": "share", "points": "8/4/2", "rule": "每队10人，其中女队员至少2人"}
    assert sd.org.post(f"/sports/items/{sd.items['拔河'].id}/edit", data=form).status_code == 302
    after = {t["name"]: (D(t["total"]), t["place"]) for t in sd.org.get(url).get_json()["teams"]}
    assert after == {"二楼办公室": (19, 1), "三楼办公室": (17, 2), "行政办公室": (8, 3)}
    # ... and a team prize through the API and the prizes page: 二楼 now earns 320.
    sd.org.post(f"/sports/events/{sd.event.id}/prizes",
                data={"participation": "1", "participation_amount": "50", "late_rate": "1/2",
                      "early_leave_rate": "1/2", "team_prizes": "320/260/200", "activity_points": "1"})
    payout = sd.org.get(f"/api/v1/scoring/events/{sd.event.id}/payouts").get_json()
    assert {t["name"]: t["total"] for t in payout["teams"]}["二楼办公室"] == "320.00"
    assert payout["total"] == "2300.00"
    # A bad table is refused with a message and changes nothing.
    bad = sd.org.patch(f"/api/v1/sports/items/{sd.items['拔河'].id}", json={"points": "8/x/2"})
    assert bad.status_code == 422 and "“x”不是数字" in bad.get_json()["message"]
    increasing = sd.org.patch(f"/api/v1/sports/items/{sd.items['拔河'].id}", json={"points": "1/2/3"})
    assert increasing.status_code == 422 and "逐名不增" in increasing.get_json()["message"]
    assert {t["name"]: D(t["total"]) for t in sd.org.get(url).get_json()["teams"]}["三楼办公室"] == 17


def test_organizer_adds_an_item_without_code(staff_day):
    sd = staff_day
    response = sd.org.post(f"/api/v1/sports/events/{sd.event.id}/items", json={
        "name": "跳远", "starts_at": "2030-04-28T13:30:00+08:00", "ends_at": "2030-04-28T14:00:00+08:00",
        "measure": "distance", "points": [3, 2, 1], "prizes": "30/20/10", "per_team": 2, "place": "沙坑"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["name"], body["points"], body["prizes"], body["measure"]) == (
        "跳远", ["3", "2", "1"], ["30", "20", "10"], "distance")
    assert body["starts_at"] == "2030-04-28T05:30:00+00:00"
    duplicate = sd.org.post(f"/api/v1/sports/events/{sd.event.id}/items", json={"name": "拔河"})
    assert duplicate.status_code == 422 and "已有项目“拔河”" in duplicate.get_json()["message"]
    captain = sd.captains["A"].post(f"/api/v1/sports/events/{sd.event.id}/items", json={"name": "跳高"})
    assert captain.status_code == 403


def test_a_change_that_leaves_the_times_out_keeps_them(staff_day):
    """PATCH with the place only: the item keeps its time (it was a 500 on SQLite, the time read back as text)."""
    sd = staff_day
    shoot = sd.items["定点投篮"]
    before = sd.org.get(f"/api/v1/sports/events/{sd.event.id}/schedule").get_json()
    response = sd.org.patch(f"/api/v1/sports/items/{shoot.id}", json={"place": "体育馆"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["place"] == "体育馆"
    assert (body["starts_at"], body["ends_at"]) == ("2030-04-28T03:00:00+00:00", "2030-04-28T03:40:00+00:00")
    after = sd.org.get(f"/api/v1/sports/events/{sd.event.id}/schedule").get_json()
    old = next(i for i in before["items"] if i["id"] == shoot.id)
    new = next(i for i in after["items"] if i["id"] == shoot.id)
    assert (new["start"], new["end"], new["place"]) == (old["start"], old["end"], "体育馆") == ("11:00", "11:40", "体育馆")


def test_the_referees_page_refuses_another_teams_captain_with_403(staff_day):
    """The form answers as the API does: another team's staff, another captain's proposal are refused (403),
    not flashed back as a mistake, and nothing changes; a workflow refusal is still told on the page."""
    from plugins.sports_day.models import Referee

    sd = staff_day
    page = f"/sports/events/{sd.event.id}/referees"
    shoot = sd.items["定点投篮"].id
    response = sd.captains["A"].post(page, data={"item": shoot, "member": sd.people["B11"].id})
    assert response.status_code == 403 and "队长只能推荐本队的职工担任裁判" in text_of(response)
    assert Referee.select().count() == 0
    assert sd.captains["A"].post(page, data={"item": shoot, "member": sd.people["A11"].id}).status_code == 302
    again = sd.captains["A"].post(page, data={"item": shoot, "member": sd.people["A11"].id}, follow_redirects=True)
    assert again.status_code == 200 and "已是“定点投篮”的裁判" in text_of(again)
    referee = Referee.get(Referee.member == sd.people["A11"].id)
    for client in (sd.captains["B"], login_client(sd.app, "ua3")):
        response = client.post(f"/sports/referees/{referee.id}/remove")
        assert response.status_code == 403 and "只有组织者或推荐该裁判的队长可以撤回" in text_of(response)
    assert Referee.select().count() == 1
    assert sd.org.post(f"/sports/referees/{referee.id}/remove").status_code == 302
    assert Referee.select().count() == 0


def test_a_referees_calendar_feed_follows_his_items(staff_day):
    """Proposed as referee, the item enters his personal feed with a new ETag; taken off, it leaves."""
    from datetime import timedelta

    from core.services.feed_tokens import feed_token
    from core.timeutil import utcnow
    from plugins.sports_day.models import Referee

    sd = staff_day
    post(sd.captains["A"], f"/api/v1/events/{sd.event.id}/registrations",  # he pulls, so the day is in his feed
         {"member_id": sd.people["A11"].id, "items": [sd.items["拔河"].id], "team_id": sd.teams["A"].id}, 201)
    shooting = sd.items["定点投篮"]
    day = utcnow().replace(microsecond=0) + timedelta(days=7)  # inside the feed's window
    Event.update(starts_at=day, ends_at=day + timedelta(hours=4)).where(Event.id == sd.event.id).execute()
    Item.update(starts_at=day + timedelta(hours=1), ends_at=day + timedelta(hours=2)).where(
        Item.id == shooting.id).execute()
    with sd.app.test_request_context():
        url = f"/calendar/{feed_token(sd.people['A11'])}.ics"
    phone = sd.app.test_client()
    before = phone.get(url)
    assert before.status_code == 200 and "定点投篮" not in before.get_data(as_text=True)
    post(sd.captains["A"], f"/api/v1/sports/events/{sd.event.id}/referees",
         {"item": shooting.id, "member": sd.people["A11"].id}, 201)
    after = phone.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "定点投篮" in after.get_data(as_text=True)
    referee_row = Referee.get(Referee.member == sd.people["A11"].id)
    assert sd.captains["A"].post(f"/sports/referees/{referee_row.id}/remove").status_code == 302
    gone = phone.get(url, headers={"If-None-Match": after.headers["ETag"]})
    assert gone.status_code == 200 and "定点投篮" not in gone.get_data(as_text=True)


def test_a_referee_proposed_before_he_has_an_account_gets_the_role_when_he_activates_it(staff_day):
    from core.models import Account
    from core.services import activation

    sd = staff_day
    register_offices(sd)
    spare = sd.people["A12"]
    assert Account.get_or_none(Account.member == spare.id) is None
    post(sd.captains["A"], f"/api/v1/sports/events/{sd.event.id}/referees",
         {"item": sd.items["定点投篮"].id, "member": spare.id}, 201)
    waiting = Account.get(Account.member == spare.id)
    assert activation.is_waiting(waiting)  # opened for him, nobody can log in with it yet

    # He activates his account from the roster's facts, and the task is there.
    phone = sd.app.test_client()
    password = "referee-pass-1"
    answer = phone.post("/activate", data={"staff_no": spare.staff_no, "last_four": spare.phone[-4:],
                                           "password": password, "confirm": password})
    assert answer.status_code == 302
    Event.update(status="running").where(Event.id == sd.event.id).execute()
    assert "定点投篮" in text_of(phone.get("/sports/mine"))
    post(phone, f"/api/v1/scoring/items/{sd.items['定点投篮'].id}/results",
         {"entrant": key(sd.people["A3"]), "value": "6"}, 201)
