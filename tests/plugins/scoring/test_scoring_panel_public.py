"""The panel through scoring's public module: a referee put on an item and taken off again."""

from core.models import Item
from plugins.scoring import public as scoring
from plugins.scoring.panel import assigned_items


def test_remove_judge_takes_a_referee_off_the_panel(factory):
    school = factory.school()
    event = factory.event(school["school"], title="教职工体育竞赛")
    item = Item.create(event=event, name="拔河", kind="team")
    scoring.configure_item(item, measure="place", points=scoring.COLLECTIVE_POINTS)
    referee = factory.account("ref1", roles=["referee"])
    scoring.assign_judge(item, referee, role="referee")
    assert [i.id for i in assigned_items(referee)] == [item.id]
    scoring.remove_judge(item, referee)
    assert assigned_items(referee) == []
    scoring.remove_judge(item, referee)  # taking off someone not on the panel changes nothing
    assert assigned_items(referee) == []


def test_event_scoring_reads_the_prize_rules_back(factory):
    school = factory.school()
    event = factory.event(school["school"], title="工会干部趣味运动会")
    default = scoring.event_scoring(event)
    assert str(default.participation_amount) == "50.00" and default.best_placing_only is False
    scoring.configure_event(event, participation=False, best_placing_only=True, souvenir_each=1)
    saved = scoring.event_scoring(event)
    assert (saved.participation, saved.best_placing_only, saved.souvenir_each) == (False, True, 1)
