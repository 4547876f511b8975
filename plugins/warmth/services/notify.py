"""Who must act on a hardship file hears of it: the reviewers of the next level when it reaches them, and
those who filed it when it is sent back, refused or approved.

These messages go to named officers only, never to a group robot, and carry nothing private: the
worker's name masked, his unit, what happened and a link to the file. A return's reason stays in the
file (and its review history), where only those allowed to see it read it.
"""

from __future__ import annotations

from core.messages import outbox as messages
from core.messages.kinds import MessageKind, Text, _l
from core.models import Account, Member, RoleGrant
from plugins.warmth.models import LEVELS, Household, ReviewStep

KINDS = (
    MessageKind(
        "warmth.review_due", _l("待审核档案"), _l("待%(level)s审核：%(file)s"),
        _l("%(name)s，%(unit)s的困难职工档案（%(file)s）已%(done)s，请您办理%(level)s审核。")),
    MessageKind(
        "warmth.outcome", _l("档案审核结果"), _l("档案%(outcome)s：%(file)s"),
        _l("%(name)s，%(unit)s的困难职工档案（%(file)s）已由%(level)s%(outcome)s。请登录查看审核意见。")),
)

# action -> the level that acts next (told the file waits for it), or None: those who filed it are told.
NEXT_LEVEL = {"submit": "township", "pass": "county"}
DONE = {"submit": _l("申报"), "pass": _l("通过初审")}
OUTCOMES = {"return_township": _l("退回修改"), "return_county": _l("退回修改"), "reject_township": _l("不予认定"),
            "reject_county": _l("不予认定"), "approve": _l("审定通过"), "strike": _l("因公示异议取消认定")}


def reviewers_of(household: Household, level: str) -> list[Account]:
    """Active accounts holding the reviewer role at ``level`` over the file's unit (or everywhere)."""
    above = [int(part) for part in household.unit.path.strip("/").split("/") if part]
    return list(Account.select().join(RoleGrant)
                .where(RoleGrant.role == "reviewer", RoleGrant.detail == level, RoleGrant.event.is_null(),
                       RoleGrant.unit.in_(above) | RoleGrant.unit.is_null(), Account.is_active == True)  # noqa: E712
                .distinct())


def filers_of(household: Household) -> list[Account]:
    """Those who filed the file, hold it, or submitted it."""
    ids = {household.filled_by_id, household.responsible_id}
    ids |= {a for (a,) in ReviewStep.select(ReviewStep.account).where(ReviewStep.household == household.id,
                                                                      ReviewStep.action == "submit").tuples()}
    ids.discard(None)
    return list(Account.select().where(Account.id.in_(list(ids) or [0]), Account.is_active == True))  # noqa: E712


def after_step(household: Household, action: str, level: str, *, step: ReviewStep, account) -> int:
    """Queue the messages one review step causes, in its transaction; return how many."""
    if action in NEXT_LEVEL:
        next_level = NEXT_LEVEL[action]
        people, kind = reviewers_of(household, next_level), "warmth.review_due"
        context = {"level": Text(LEVELS[next_level]), "done": Text(DONE[action])}
    elif action in OUTCOMES:
        people, kind = filers_of(household), "warmth.outcome"
        context = {"level": Text(LEVELS[level]), "outcome": Text(OUTCOMES[action])}
    else:
        return 0
    context |= {"file": household.masked_name, "unit": household.unit.name}
    link = messages.link_to("warmth.household", household_id=household.id)
    members = {m.id: m for m in Member.select().where(
        Member.id.in_([p.member_id for p in people if p.member_id] or [0]))}
    count = 0
    for person in people:
        if person.id == getattr(account, "id", None) or person.member_id not in members:
            continue
        if messages.send(members[person.member_id], kind, context, dedupe=f"warmth:{step.id}:{person.id}",
                         link=link, group=False):
            count += 1
    return count
