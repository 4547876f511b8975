"""The seed's staff sports day (篇二) end to end through the API, against figures worked out by hand.

Three office teams, every item (拔河, 迎面接力, 乒乓球单打, 羽毛球单打, 定点投篮), a tie (two shooters
with 6 baskets at the same shot share 4th), a foul (朱琳 steps over the line; 行政办公室's relay
baton foul), a late arrival (王芳), an early leave (周杰) and an absence (林涛). Attendance comes
from a small plugin answering ``huodong_attendance``, as the sign-in plugin will.
"""

from decimal import Decimal

import pytest

from tests.plugins.scoring import attendance_plugin, sportsday
from tests.support import login

D = Decimal

# Worked by hand (see test_scoring_seed_sports_day.py for the placings behind each figure).
EXPECTED_TOTALS = {
    "A1": "70.00",  # 50 + 乒乓 2nd 20
    "A2": "25.00",  # late: half of 50
    "A3": "60.00",  # 50 + 投篮 3rd 10
    "A4": "60.00",  # 50 + 羽毛 3rd 10 (won the third-place match)
    "A5": "50.00",
    "B1": "70.00",  # 50 + 投篮 2nd 20 (7 baskets, reached at shot 8 before A3's shot 10)
    "B2": "60.00",  # 50 + 乒乓 shared 3rd 10
    "B3": "50.00",  # 羽毛 4th: no prize
    "B4": "25.00",  # early leave: half of 50
    "B5": "80.00",  # 50 + 羽毛 1st 30
    "C1": "80.00",  # 50 + 投篮 1st 30
    "C2": "60.00",  # 50 + 乒乓 shared 3rd 10
    "C3": "80.00",  # 50 + 乒乓 1st 30
    "C4": "50.00",  # fouled in 投篮, but took part
    "C5": "70.00",  # 50 + 羽毛 2nd 20
    "C6": "0.00",  # absent
}


@pytest.fixture
def sports_day(make_app, factory):
    app = make_app(extra_plugins=[("attendance", attendance_plugin)])
    sd = sportsday.build(factory)
    attendance_plugin.STATUSES.clear()
    attendance_plugin.STATUSES.update({sd.people[c].id: s for c, s in sportsday.ATTENDANCE.items()})
    factory.account("org", roles=[("organizer", sd.school["school"])])
    client = app.test_client()
    login(client, "org")
    sd.client = client
    sd.app = app
    return sd


def _post(client, url, body, status=(200, 201)):
    response = client.post(url, json=body)
    assert response.status_code in status, response.get_data(as_text=True)
    return response.get_json()


def run_sports_day(sd):
    """Enter every result of the day through the API, as the referees would."""
    c, k, items = sd.client, lambda code: sportsday.key(sd, code), sd.items
    # 拔河: round robin decided by the referees: 行政 1st, 三楼 2nd, 二楼 3rd.
    for code, place in (("C", 1), ("B", 2), ("A", 3)):
        _post(c, f"/api/v1/scoring/items/{items['tug'].id}/results", {"entrant": k(code), "value": place})
    # 迎面接力: times; 行政 dropped the baton outside the zone (foul).
    _post(c, f"/api/v1/scoring/items/{items['relay'].id}/results", {"entrant": k("A"), "value": "1:35.3"})
    _post(c, f"/api/v1/scoring/items/{items['relay'].id}/results", {"entrant": k("B"), "value": "92.8"})
    _post(c, f"/api/v1/scoring/items/{items['relay'].id}/results", {"entrant": k("C"), "status": "foul"})
    # 乒乓球 and 羽毛球: numbers drawn on site, then every match.
    for item, numbers, games in (("tt", sportsday.TT_NUMBERS, sportsday.TT_GAMES),
                                 ("bad", sportsday.BAD_NUMBERS, sportsday.BAD_GAMES)):
        _post(c, f"/api/v1/scoring/items/{items[item].id}/draw", {"numbers": {k(p): n for p, n in numbers.items()}})
        for (round_no, number), played in games.items():
            _post(c, f"/api/v1/scoring/items/{items[item].id}/matches",
                  {"round": round_no, "number": number, "games": [list(g) for g in played]})
    # 定点投篮: baskets and the shot of the last basket; 朱琳 stepped over the line.
    for person, (baskets, shot) in sportsday.SHOTS.items():
        _post(c, f"/api/v1/scoring/items/{items['shoot'].id}/results",
              {"entrant": k(person), "value": str(baskets), "reached_at": shot})
    _post(c, f"/api/v1/scoring/items/{items['shoot'].id}/results", {"entrant": k("C4"), "status": "foul"})


def test_sports_day_end_to_end(sports_day):
    sd = sports_day
    run_sports_day(sd)
    c, k = sd.client, lambda code: sportsday.key(sd, code)

    standings = c.get(f"/api/v1/scoring/events/{sd.event.id}/standings").get_json()
    teams = {t["name"]: t for t in standings["teams"]}
    # 二楼 1+3+2+1+1+5 = 13, 三楼 3+5+1+3+2+3 = 17, 行政 5+0+(3+1)+2+3+1 = 15.
    assert {name: D(t["total"]) for name, t in teams.items()} == {"二楼办公室": 13, "三楼办公室": 17, "行政办公室": 15}
    assert {name: t["place"] for name, t in teams.items()} == {"三楼办公室": 1, "行政办公室": 2, "二楼办公室": 3}
    shoot = next(i for i in standings["items"] if i["name"] == "定点投篮")
    rows = {r["entrant"]: r for r in shoot["placings"]}
    assert (rows[k("A1")]["place"], rows[k("C5")]["place"]) == (4, 4)  # the tie: shared 4th
    assert rows[k("A1")]["decided_label"] == "并列"
    assert rows[k("B1")]["place"] == 2 and rows[k("B1")]["decided_label"] == "成绩相同，先达者列前"
    assert rows[k("C4")]["place"] is None and rows[k("C4")]["status_label"] == "犯规"
    relay = next(i for i in standings["items"] if i["name"] == "迎面接力")
    assert [(r["name"], r["place"], r["value"]) for r in relay["placings"]] == [
        ("三楼办公室", 1, "1:32.8"), ("二楼办公室", 2, "1:35.3"), ("行政办公室", None, "")]

    payout = c.get(f"/api/v1/scoring/events/{sd.event.id}/payouts").get_json()
    by_code = {code: row for code in EXPECTED_TOTALS for row in payout["people"] if row["key"] == k(code)}
    assert {code: row["total"] for code, row in by_code.items()} == EXPECTED_TOTALS
    assert by_code["A2"]["attendance_label"] == "迟到"
    assert [(line["label"], line["amount"]) for line in by_code["B2"]["lines"]] == [
        ("参与奖", "50.00"), ("乒乓球单打 第3名（并列）", "10.00")]
    assert {t["name"]: t["total"] for t in payout["teams"]} == {"三楼办公室": "300.00", "行政办公室": "260.00",
                                                                 "二楼办公室": "200.00"}
    # 700 participation (13 × 50 + 2 × 25 + 0) + 190 item prizes + 760 team prizes.
    assert payout["total"] == "1650.00"
    assert payout["capital"] == "人民币壹仟陆佰伍拾元整"
    assert payout["unknown_attendance"] == 0



def test_those_who_entered_no_item_get_no_participation_award(sports_day, factory):
    """Seed 篇二: 不参赛的不计发 — on time, but entered in no item: nothing; everyone else as before."""
    from core.models import Registration
    from plugins.scoring import public as scoring

    sd = sports_day
    watcher = factory.member(sd.offices[2], name="吕观")
    Registration.create(event=sd.event, member=watcher, team=sd.teams["C"])
    attendance_plugin.STATUSES[watcher.id] = "on_time"
    run_sports_day(sd)
    url = f"/api/v1/scoring/events/{sd.event.id}/payouts"
    before = {row["name"]: row["total"] for row in sd.client.get(url).get_json()["people"]}
    assert before["吕观"] == "50.00"
    scoring.configure_event(sd.event, team_prizes=scoring.TEAM_PRIZES, participation_amount="50",
                            participation_needs_entry=True)
    rows = {row["name"]: row for row in sd.client.get(url).get_json()["people"]}
    assert rows["吕观"]["total"] == "0.00"
    assert [(line["label"], line["amount"], line["note"]) for line in rows["吕观"]["lines"]] == [
        ("参与奖", "0.00", "未参赛，不计发")]
    assert {code: rows[sd.people[code].name]["total"] for code in EXPECTED_TOTALS} == EXPECTED_TOTALS
