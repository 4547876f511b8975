"""What scoring tells people, on the seed's sports day: each placed person his own place and prize when an
item is published (nobody placed nothing, and never a group robot), each payee his total when a payout
version is stored, and after a correction only those whose money changed."""

from __future__ import annotations

from core.messages.models import Message
from tests.plugins.scoring.test_scoring_sports_day_e2e import _post, run_sports_day, sports_day  # noqa: F401


def _messages(kind: str, member) -> list[Message]:
    return list(Message.select().where(Message.kind == kind, Message.member == member.id).order_by(Message.id))


def test_publishing_an_item_tells_each_placed_person_his_place_and_prize(sports_day):  # noqa: F811
    sd = sports_day
    run_sports_day(sd)
    shoot = sd.items["shoot"]
    _post(sd.client, f"/api/v1/scoring/items/{shoot.id}/publish", {})
    [first] = _messages("event.result", sd.people["C1"])
    assert first.subject == f"成绩公布：{sd.event.title}"
    assert "“定点投篮”的结果已公布：您获得第 1 名" in first.body and "奖金：30.00 元" in first.body
    [shared_fourth] = _messages("event.result", sd.people["A1"])
    assert "第 4 名" in shared_fourth.body and "奖金" not in shared_fourth.body
    assert _messages("event.result", sd.people["C4"]) == []  # fouled: no place
    assert _messages("event.result", sd.people["C6"]) == []  # never entered
    assert not Message.select().where(Message.kind == "event.result", Message.member.is_null()).exists()
    # Unlocking and publishing again tells nobody twice.
    _post(sd.client, f"/api/v1/scoring/items/{shoot.id}/unlock", {"reason": "复核"})
    _post(sd.client, f"/api/v1/scoring/items/{shoot.id}/publish", {})
    assert len(_messages("event.result", sd.people["C1"])) == 1


def test_a_stored_payout_tells_each_payee_his_total_and_a_new_version_only_the_changed(sports_day):  # noqa: F811
    sd = sports_day
    run_sports_day(sd)
    _post(sd.client, f"/api/v1/scoring/events/{sd.event.id}/payouts", {})
    [late] = _messages("scoring.payout", sd.people["A2"])
    assert late.subject == f"奖金核定：{sd.event.title}"
    assert "第 1 版" in late.body and "您的合计为 25.00 元" in late.body and "参与奖 25.00" in late.body
    [winner] = _messages("scoring.payout", sd.people["C1"])
    assert "80.00 元" in winner.body and "定点投篮 第1名 30.00" in winner.body
    assert _messages("scoring.payout", sd.people["C6"]) == []  # absent: nothing to collect
    assert not Message.select().where(Message.kind == "scoring.payout", Message.member.is_null()).exists()

    # C5 is found to have scored 9, not 6: he wins and the podium moves down; only those whose money moved hear.
    shoot = sd.items["shoot"]
    _post(sd.client, f"/api/v1/scoring/items/{shoot.id}/results",
          {"entrant": f"m{sd.people['C5'].id}", "value": "9", "reached_at": 9, "version": 1})
    _post(sd.client, f"/api/v1/scoring/events/{sd.event.id}/payouts", {})
    changed = [m for m in Message.select().where(Message.kind == "scoring.payout", Message.body.contains("第 2 版"))]
    assert changed, "a correction that moves money tells those concerned"
    assert all("较上一版有变动" in m.body for m in changed)
    assert {m.member_id for m in changed} == {sd.people[c].id for c in ("C5", "C1", "B1", "A3")}
    assert len(_messages("scoring.payout", sd.people["A2"])) == 1  # unchanged: not told again
