"""A referee proposed for a sports item and a judge put on a contest panel are told, in their inbox,
with the item, the time and place and the page of their tasks; in English when they chose it."""

from __future__ import annotations

from datetime import datetime

from core.messages.models import Message
from core.models import Account, Item
from core.timeutil import from_local
from tests.messages.conftest import deliver


def test_a_proposed_referee_is_told(app, factory, robots):
    from plugins.sports_day import referees
    from tests.plugins.sports_day.helpers import account_for, school_with_offices, set_teams

    sd = school_with_offices(factory, men=2, women=2, spare=1)
    event = factory.event(sd.school["school"], activity_type="sports_day", preset="staff_sports_day",
                          title="教职工体育竞赛", starts_at=from_local(datetime(2030, 4, 28, 8, 30)),
                          ends_at=from_local(datetime(2030, 4, 28, 12, 30)))
    set_teams(event, sd, {"A": "A1", "B": "B1", "C": "C1"})
    tug = Item.get(Item.event == event, Item.name == "拔河")
    account_for(factory, sd, "B5")
    organizer = factory.account("org", roles=[("organizer", sd.school["school"])])
    referees.propose(event, tug, sd.people["B5"], account=organizer)
    [message] = Message.select().where(Message.member == sd.people["B5"])
    assert message.kind == "event.assigned" and message.subject == "任务安排：教职工体育竞赛"
    assert "您被安排担任“教职工体育竞赛”“拔河”的裁判" in message.body
    assert "安排人：org" in message.body and "您的任务：http://huodong.test/sports/mine" in message.body
    deliver()
    assert robots.posts == []  # an assignment is personal: no group robot
    referees.remove(referees.Referee.get(referees.Referee.member == sd.people["B5"]), account=organizer)
    [ended] = Message.select().where(Message.member == sd.people["B5"], Message.kind == "event.unassigned")
    assert ended.subject == "任务取消：教职工体育竞赛" and "“拔河”的裁判任务已取消" in ended.body


def test_a_judge_put_on_a_panel_is_told_in_his_language(app, factory):
    from plugins.skills_contest.items import add_judge
    from tests.plugins.skills_contest.helpers import contest_world

    w = contest_world(factory)
    judge = w.accounts["j1"]
    Account.update(language="en").where(Account.id == judge.id).execute()
    add_judge(w.items["毛笔字"], Account.get_by_id(judge.id))
    [message] = Message.select().where(Message.member == judge.member_id)
    assert message.subject.startswith("Assignment: ")
    assert "as Judge of “毛笔字”" in message.body

    from plugins.skills_contest.items import remove_judge

    remove_judge(w.items["毛笔字"], Account.get_by_id(judge.id))
    [ended] = Message.select().where(Message.member == judge.member_id, Message.kind == "event.unassigned")
    assert ended.subject.startswith("Task cancelled: ") and "Judge" in ended.body
