"""Those who must act on a hardship file hear of it: the next level's reviewers (of that unit only) when it
reaches them, those who filed it when it comes back, is refused or approved. Nothing private is said, and
nothing reaches a group robot."""

from __future__ import annotations

from core.messages.models import Message
from core.models import Account
from plugins.warmth.services import review


def _with_members(world, *keys):
    """Give reviewer accounts a member record (so that messages can reach them)."""
    for key in keys:
        account = world.accounts[key]
        member = world.factory.member(world.units["street"], name=f"{key}审核员")
        Account.update(member=member).where(Account.id == account.id).execute()
        world.accounts[key] = Account.get_by_id(account.id)


def _to(world, key) -> list[Message]:
    member_id = world.accounts[key].member_id
    return list(Message.select().where(Message.member == member_id).order_by(Message.id))


def test_each_step_tells_whoever_must_act_next_and_nothing_private(world):
    _with_members(world, "grassroots_bus", "township", "west_township", "county")
    household = world.household(worker_name="王建国", situation="妻子患尿毒症，长期透析")
    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    [due] = _to(world, "township")
    assert due.kind == "warmth.review_due" and due.subject == "待乡镇街道工会审核：王*国"
    assert "海城公交公司工会的困难职工档案（王*国）已申报，请您办理乡镇街道工会审核" in due.body
    assert due.link.endswith(f"/warmth/households/{household.id}")
    assert _to(world, "west_township") == []  # another street's reviewer hears nothing
    assert _to(world, "grassroots_bus") == []  # nobody is told of his own step

    review.act(household, "return_township", "收入证明缺少盖章", account=world.accounts["township"])
    [back] = _to(world, "grassroots_bus")
    assert back.kind == "warmth.outcome" and back.subject == "档案退回修改：王*国"
    assert "已由乡镇街道工会退回修改。请登录查看审核意见" in back.body
    everything = " ".join(m.subject + m.body for m in Message.select())
    for private in ("王建国", "尿毒症", "收入证明缺少盖章", household.id_number):
        assert private not in everything
    assert not Message.select().where(Message.member.is_null()).exists()

    review.act(household, "submit", "已补盖章", account=world.accounts["grassroots_bus"])
    review.act(household, "pass", "属实", account=world.accounts["township"])
    [county_due] = _to(world, "county")
    assert county_due.subject == "待县区总工会审核：王*国" and "已通过初审" in county_due.body


def test_an_approval_tells_those_who_filed_the_file(world):
    _with_members(world, "grassroots_bus")
    household = world.approve(world.household(worker_name="李秀英"))
    outcomes = [m for m in _to(world, "grassroots_bus") if m.kind == "warmth.outcome"]
    assert [m.subject for m in outcomes] == ["档案审定通过：李*英"]
    assert "已由县区总工会审定通过" in outcomes[0].body and household.stage == "approved"
