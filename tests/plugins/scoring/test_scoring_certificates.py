"""Certificates (获奖证书) certify only what was won and published: riddles that pay souvenirs per answer
place nobody, groups of zero points win no team place, unpublished results print nothing."""

from __future__ import annotations

from core.models import Entry, Item, Registration, Team
from plugins.scoring import public as scoring
from plugins.scoring.tally import certificates


def test_only_real_published_places_earn_a_certificate(app, factory):
    school = factory.school()
    event = factory.event(school["school"], title="趣味健身活动", status="running")
    teams = [Team.create(event=event, name=unit.name, unit=unit) for unit in (school["g1"], school["g2"])]
    idle = Team.create(event=event, name="行政组", unit=factory.unit("行政组", school["school"]))
    people = [factory.member(unit, name=name) for unit, name in ((school["g1"], "赵猜"), (school["g2"], "钱谜"))]
    riddles = Item.create(event=event, name="猜灯谜", sort=1)
    rope = Item.create(event=event, name="跳绳", sort=2)
    for member, team in zip(people, teams, strict=True):
        registration = Registration.create(event=event, member=member, team=team)
        for item in (riddles, rope):
            Entry.create(item=item, registration=registration, member=member, team=team)
    scoring.configure_event(event, participation=False)
    scoring.configure_item(riddles, measure="count", answer_award={"label": "猜谜纪念品", "souvenirs": 1})
    scoring.configure_item(rope, measure="count", points=scoring.INDIVIDUAL_POINTS, prizes=scoring.INDIVIDUAL_PRIZES)
    for member, answers, jumps in zip(people, ("5", "3"), ("120", "98"), strict=True):
        scoring.enter_result(riddles, member=member, value=answers)
        scoring.enter_result(rope, member=member, value=jumps)

    assert certificates(event) == []  # nothing published yet
    scoring.publish_item(riddles)
    assert certificates(event) == []  # souvenirs per answer are not places
    scoring.publish_item(rope)
    given = [(c["name"], c["item"], c["award"]) for c in certificates(event)]
    # 行政组 scored nothing: third of three, but zero points win no place.
    assert given == [("赵猜", "跳绳", "第1名"), ("钱谜", "跳绳", "第2名"), ("初一年级组", "团体总分", "第1名"),
                     ("初二年级组", "团体总分", "第2名")]
    assert idle.name not in {c["name"] for c in certificates(event)}
    standings = scoring.standings(event)
    assert any(t["name"] == "行政组" and t["place"] == 3 for t in standings["teams"])  # placed, yet no certificate
