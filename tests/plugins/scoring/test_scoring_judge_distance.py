"""A judge's distance from the panel through scoring's public module, the organizer's view of every
judge's distance with the outlier flagged, and the standings that keep a judged item's scores and a
blind item's names to themselves until the marks are locked."""

from decimal import Decimal

import pytest

from core.errors import Refused
from core.models import Entry, Item, Registration
from plugins.scoring import public as scoring
from tests.support import login

CRITERIA = [("笔法", 30), ("字法", 30), ("章法", 20), ("特色", 20)]
# Weighted scores: j1 77 / 80, j2 78 / 84, j3 (the outlier) 40 / 100.
MARKS = {"j1": {"E1": (90, 80, 70, 60), "E2": (80, 80, 80, 80)},
         "j2": {"E1": (78, 78, 78, 78), "E2": (84, 84, 84, 84)},
         "j3": {"E1": (40, 40, 40, 40), "E2": (100, 100, 100, 100)}}


@pytest.fixture
def brush(app, factory):
    school = factory.school()
    event = factory.event(school["school"], title="教师基本功大赛", status="running")
    item = Item.create(event=event, name="毛笔字")
    scoring.configure_item(item, measure="marks", criteria=CRITERIA, blind=True, bands=[("一等奖", 1)])
    people = {}
    for code, name in (("E1", "张书法"), ("E2", "李墨")):
        member = factory.member(school["g1"], name=name)
        Entry.create(item=item, registration=Registration.create(event=event, member=member), member=member)
        people[code] = member
    judges = {code: factory.account(code, roles=[("judge", school["school"])]) for code in MARKS}
    for judge in judges.values():
        scoring.assign_judge(item, judge)
    factory.account("org", roles=[("organizer", school["school"])])
    scoring.draw_blind_numbers(item, seed="2024-05-29")
    return {"event": event, "item": item, "people": people, "judges": judges}


def _mark_all(brush, code):
    numbers = {a["entrant"]: a["number"] for a in scoring.item_awards(brush["item"])} or {}
    for entrant, marks in MARKS[code].items():
        key = f"m{brush['people'][entrant].id}"
        target = str(numbers.get(key, key))
        scoring.enter_marks(brush["item"], brush["judges"][code], target,
                            {c: str(m) for (c, _w), m in zip(CRITERIA, marks, strict=True)})


def test_distance_only_after_submitting_and_the_outlier_is_flagged(brush):
    item, judges = brush["item"], brush["judges"]
    for code in MARKS:
        _mark_all(brush, code)
    with pytest.raises(Refused):
        scoring.judge_distance(item, judges["j3"])
    # Submitting the sheet is the same call the pages use; the recused and the marked are checked.
    for code in MARKS:
        scoring.submit_marks(item, judges[code])
    # Panel (middle of three): E1 77.00, E2 84.00. j3 is 37 below and 16 above: mean |d| 26.50.
    mine = scoring.judge_distance(item, judges["j3"])
    assert (mine.entries, mine.mean, mine.mean_abs, mine.max_abs, mine.outlier) == (
        2, Decimal("-10.50"), Decimal("26.50"), Decimal("37.00"), True)
    everyone = scoring.panel_distances(item)
    assert [d.name for d in everyone][0] == "j3"
    assert [d.outlier for d in everyone] == [True, False, False]
    j1 = next(d for d in everyone if d.name == "j1")
    assert (j1.mean_abs, j1.submitted) == (Decimal("2.00"), True)  # 0 on E1, 4 below on E2


def test_standings_hide_a_judged_item_until_locked(brush, make_app):
    web = make_app()
    item, people = brush["item"], brush["people"]
    for code in MARKS:
        _mark_all(brush, code)
    assert scoring.names_sealed(item)
    assert [a["name"].endswith("号") for a in scoring.item_awards(item)] == [True, True]
    judge = login(web.test_client(), "j1")
    url = f"/api/v1/scoring/events/{brush['event'].id}/standings"
    rows = next(i for i in judge.get(url).get_json()["items"] if i["id"] == item.id)["placings"]
    assert rows == []  # a judge sees no panel scores while the item is open
    org = login(web.test_client(), "org")
    rows = next(i for i in org.get(url).get_json()["items"] if i["id"] == item.id)["placings"]
    assert len(rows) == 2 and all(r["name"].endswith("号") for r in rows)  # sealed even for the organizer
    assert "李墨" not in org.get(f"/scoring/events/{brush['event'].id}").get_data(as_text=True)
    assert "李墨" not in org.get(f"/scoring/events/{brush['event'].id}/certificates").get_data(as_text=True)
    scoring.publish_item(item)
    assert not scoring.names_sealed(item)
    awards = scoring.item_awards(item)
    assert [(a["name"], a["score"], a["band"]) for a in awards] == [
        ("李墨", Decimal("84.00"), "一等奖"), ("张书法", Decimal("77.00"), "")]
    assert awards[0]["member"] == people["E2"].id
    rows = next(i for i in judge.get(url).get_json()["items"] if i["id"] == item.id)["placings"]
    assert [r["name"] for r in rows] == ["李墨", "张书法"]
    assert "李墨" in org.get(f"/scoring/events/{brush['event'].id}/certificates").get_data(as_text=True)
