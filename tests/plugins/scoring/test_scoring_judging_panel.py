"""A judged item (毛笔字, 笔法 30 / 字法 30 / 章法 20 / 特色 20) with three judges, one an outlier:
blind numbers, recusal, assignment, submission, deviations, publishing and the reveal."""

from decimal import Decimal

import pytest

from core.models import AuditLog, Entry, Item, Registration
from plugins.scoring import public as scoring
from plugins.scoring.models import Mark
from tests.support import login, text_of

CRITERIA = [("笔法", 30), ("字法", 30), ("章法", 20), ("特色", 20)]
# Marks per judge per entrant, worked by hand: weighted 30/30/20/20.
MARKS = {
    "j1": {"E1": (90, 80, 70, 60), "E2": (80, 80, 80, 80), "E3": (70, 70, 70, 70)},  # 77.00, 80.00, 70.00
    "j2": {"E1": (88, 82, 72, 62), "E2": (85, 85, 85, 85), "E3": (75, 75, 75, 75)},  # 77.80, 85.00, 75.00
    "j3": {"E1": (40, 40, 40, 40), "E2": (100, 100, 100, 100), "E3": (30, 30, 30, 30)},  # the outlier
}
# Drop the highest and lowest of three: the middle judge's score remains.
PANEL = {"E1": Decimal("77.00"), "E2": Decimal("85.00"), "E3": Decimal("70.00")}


@pytest.fixture
def web(make_app):
    """An app for the test clients, apart from the fixture's (whose pushed context would keep ``g``)."""
    return make_app()


@pytest.fixture
def contest(app, factory):
    school = factory.school()
    event = factory.event(school["school"], title="教师基本功大赛", status="running")
    item = Item.create(event=event, name="毛笔字")
    people = {}
    for code, unit, name in (("E1", "g1", "张书法"), ("E2", "g2", "李墨"), ("E3", "g2", "王砚")):
        member = factory.member(school[unit], name=name)
        reg = Registration.create(event=event, member=member)
        Entry.create(item=item, registration=reg, member=member)
        people[code] = member
    other = Item.create(event=event, name="粉笔字")
    scoring.configure_item(other, measure="marks", criteria=CRITERIA)
    judges = {}
    for code, unit in (("j1", "g1"), ("j2", "g1"), ("j3", "g2")):
        judges[code] = factory.account(code, member=factory.member(school[unit]), roles=[("judge", school["school"])])
    factory.account("org", roles=[("organizer", school["school"])])
    return {"school": school, "event": event, "item": item, "other": other, "people": people, "judges": judges}


def _client(app, name):
    return login(app.test_client(), name)


def _mark(client, item, entrant, marks):
    return client.post(f"/api/v1/scoring/items/{item.id}/marks",
                       json={"entrant": entrant, "marks": {c: str(m) for (c, _w), m in zip(CRITERIA, marks, strict=True)}})


def test_three_judges_blind_with_an_outlier(web, contest):
    app = web
    item, people = contest["item"], contest["people"]
    scoring.configure_item(item, measure="marks", criteria=CRITERIA, blind=True,
                           bands=[("一等奖", 1), ("二等奖", 1)])
    for judge in contest["judges"].values():
        scoring.assign_judge(item, judge)
    org = _client(app, "org")
    assert org.post(f"/scoring/items/{item.id}/draw", data={"seed": "2024-05-29"}).status_code == 302
    numbers = {b.entrant: b.number for b in item.blind_numbers}
    assert sorted(numbers.values()) == [1, 2, 3]
    assert scoring.item_scoring(item).blind_seal

    j1 = _client(app, "j1")
    sheet = text_of(j1.get(f"/scoring/items/{item.id}/enter"))
    assert "1 号" in sheet and "张书法" not in sheet and "李墨" not in sheet  # sealed
    assert "张书法" not in text_of(org.get(f"/scoring/items/{item.id}"))
    for code, client in (("j1", j1), ("j2", _client(app, "j2")), ("j3", _client(app, "j3"))):
        # A judge marks by blind number; he cannot see the panel before he submits.
        for entrant, marks in MARKS[code].items():
            number = numbers[f"m{people[entrant].id}"]
            response = _mark(client, item, str(number), marks)
            assert response.status_code == 200, response.get_json()
        assert "我与评委组的差异" not in text_of(client.get(f"/scoring/items/{item.id}/enter"))
        assert client.post(f"/api/v1/scoring/items/{item.id}/marks/submit").status_code == 200
    # After submitting, the outlier sees how far he sits from the panel.
    j3 = _client(app, "j3")
    deviations = j3.post(f"/api/v1/scoring/items/{item.id}/marks/submit").get_json()["deviations"]
    e1_number = numbers[f"m{people['E1'].id}"]
    e1 = next(d for d in deviations if d["entrant"] == f"{e1_number} 号")
    assert (e1["mine"], e1["panel"], e1["difference"]) == ("40.00", "77.00", "-37.00")
    assert _mark(j3, item, "1", (1, 1, 1, 1)).status_code == 409  # submitted: no more changes

    standings = org.get(f"/api/v1/scoring/events/{contest['event'].id}/standings").get_json()
    rows = {r["entrant"]: r for r in next(i for i in standings["items"] if i["id"] == item.id)["placings"]}
    assert {code: Decimal(rows[f"m{m.id}"]["value"]) for code, m in people.items()} == PANEL
    assert [rows[f"m{people[c].id}"]["place"] for c in ("E2", "E1", "E3")] == [1, 2, 3]

    assert org.post(f"/api/v1/scoring/items/{item.id}/publish").get_json() == {"state": "published"}
    page = text_of(org.get(f"/scoring/items/{item.id}"))
    assert "张书法" in page and "李墨" in page  # revealed after the marks are locked
    assert "评委3" in page
    from plugins.scoring.results import verify_blind_seal

    assert verify_blind_seal(item)
    certificates = text_of(org.get(f"/scoring/events/{contest['event'].id}/certificates"))
    assert "李墨" in certificates and "一等奖" in certificates and "张书法" in certificates and "二等奖" in certificates
    assert AuditLog.select().where(AuditLog.action == "scoring.mark.enter").count() == 9


def test_recusal_and_assignment(web, contest):
    app = web
    item, people = contest["item"], contest["people"]
    scoring.configure_item(item, measure="marks", criteria=CRITERIA, recusal=True)
    scoring.assign_judge(item, contest["judges"]["j1"])
    j1 = _client(app, "j1")
    # j1 sits in 初一年级组 like 张书法 (E1): he may not mark him.
    response = _mark(j1, item, f"m{people['E1'].id}", MARKS["j1"]["E1"])
    assert response.status_code == 403 and "回避" in response.get_json()["message"]
    assert "回避：本部门参赛者，您不打分" in text_of(j1.get(f"/scoring/items/{item.id}/enter"))
    assert _mark(j1, item, f"m{people['E2'].id}", MARKS["j1"]["E2"]).status_code == 200
    # Submitting needs every entrant he may mark; the recused one is not required.
    assert j1.post(f"/api/v1/scoring/items/{item.id}/marks/submit").status_code == 409
    assert _mark(j1, item, f"m{people['E3'].id}", MARKS["j1"]["E3"]).status_code == 200
    assert j1.post(f"/api/v1/scoring/items/{item.id}/marks/submit").status_code == 200

    # j2 holds the judge role but is not on this item's panel, nor on 粉笔字: he sees and marks nothing.
    j2 = _client(app, "j2")
    assert j2.get(f"/scoring/items/{item.id}/enter").status_code == 403
    assert _mark(j2, item, f"m{people['E2'].id}", MARKS["j2"]["E2"]).status_code == 403
    assert j2.get(f"/scoring/items/{contest['other'].id}/enter").status_code == 403
    assert "毛笔字" not in text_of(j2.get("/scoring/mine"))


def test_marks_out_of_range_or_not_numbers_get_a_message(web, contest):
    app = web
    item, people = contest["item"], contest["people"]
    scoring.configure_item(item, measure="marks", criteria=CRITERIA)
    scoring.assign_judge(item, contest["judges"]["j1"])
    j1 = _client(app, "j1")
    entrant = f"m{people['E2'].id}"
    response = _mark(j1, item, entrant, (120, 80, 80, 80))
    assert response.status_code == 422 and "“笔法”的分数应在 0 到 100 之间" in response.get_json()["message"]
    response = _mark(j1, item, entrant, ("abc", 80, 80, 80))
    assert response.status_code == 422 and "不是数字" in response.get_json()["message"]
    response = j1.post(f"/api/v1/scoring/items/{item.id}/marks", json={"entrant": entrant, "marks": {"笔法": "80"}})
    assert response.status_code == 422 and "请为“字法”打分" in response.get_json()["message"]
    response = j1.post(f"/api/v1/scoring/items/{item.id}/marks", json={"entrant": entrant, "marks": "x"})
    assert response.status_code == 422
    response = j1.post(f"/scoring/items/{item.id}/enter", data={"entrant": entrant, "mark-笔法": "-5", "mark-字法": "1",
                                                              "mark-章法": "1", "mark-特色": "1"}, follow_redirects=True)
    assert response.status_code == 200 and "“笔法”的分数应在 0 到 100 之间" in text_of(response)
    assert not item.marks.count()


def test_an_organizer_off_the_panel_has_no_marks_sheet(web, contest):
    """As in the API, marks are the panel's: the organizer's sheet page and a posted mark are refused
    (a 403 naming the item), not a form whose every save fails."""
    item, people = contest["item"], contest["people"]
    scoring.configure_item(item, measure="marks", criteria=CRITERIA)
    scoring.assign_judge(item, contest["judges"]["j1"])
    org = _client(web, "org")
    page = org.get(f"/scoring/items/{item.id}/enter")
    assert page.status_code == 403 and "您不是“毛笔字”的评委" in text_of(page)
    answer = org.post(f"/scoring/items/{item.id}/enter",
                      data={"entrant": f"m{people['E2'].id}", "mark-笔法": "40", "mark-字法": "30"})
    assert answer.status_code == 403
    assert not Mark.select().where(Mark.item == item.id).exists()
    assert _client(web, "j1").get(f"/scoring/items/{item.id}/enter").status_code == 200
