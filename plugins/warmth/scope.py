"""Who may see and act on which 送温暖 records.

Everything is scoped to the union tree: a grant over a unit covers the files of that unit and the
units below it. Reviewers hold the core ``reviewer`` role with ``detail`` naming their level
(``grassroots``, ``township``, ``county``) and act only at that level, only within their units.
Anyone else (a participant, an organizer of another unit) gets "not found", never a hint.
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.access import can, grants, is_admin, managed_unit_ids
from core.errors import Forbidden, NotFound
from core.models import Unit
from plugins.warmth.models import LEVELS, Campaign, Household

PERMISSIONS = {
    "warmth.view": ("查看困难职工档案（脱敏）", ("organizer", "reviewer", "aid_officer")),
    "warmth.view_private": ("查看完整档案（身份证号、银行账号、致困原因）", ("reviewer", "aid_officer")),
    "warmth.file": ("建立和更新困难职工档案", ("reviewer", "aid_officer")),
    "warmth.review": ("审核困难职工认定", ("reviewer",)),
    "warmth.campaigns": ("组织四季送温暖活动、走访与发放", ("organizer", "aid_officer")),
    "warmth.funds": ("管理帮扶资金", ("aid_officer",)),
    "warmth.thresholds": ("管理困难认定标准（低保线）", ("aid_officer",)),
    "warmth.wishes": ("管理微心愿", ("organizer", "aid_officer")),
}


def unit_ids(account, permission: str) -> list[int] | None:
    """Units where ``account`` holds ``permission`` (``None``: everywhere)."""
    return managed_unit_ids(account, permission)


def households(account, permission: str = "warmth.view"):
    """A query of the households ``account`` may see with ``permission``."""
    query = Household.select(Household, Unit).join(Unit)
    ids = unit_ids(account, permission)
    if ids is not None:
        query = query.where(Household.unit.in_(ids or [0]))
    return query


def load_household(account, household_id: int, permission: str = "warmth.view") -> Household:
    """The household, or :class:`NotFound` when it does not exist or ``account`` may not see it."""
    household = Household.get_or_none(Household.id == household_id)
    if household is None or not can(account, permission, unit=household.unit):
        raise NotFound(_("找不到该档案"))
    return household


def may_take_wish(account, unit: Unit) -> bool:
    """Whether ``account`` may claim a 微心愿 of ``unit``: a member of that union (its unit or one below
    it), or somebody who manages wishes there."""
    if can(account, "warmth.wishes", unit=unit):
        return True
    member = getattr(account, "member", None) if getattr(account, "member_id", None) else None
    return member is not None and member.unit.path.startswith(unit.path)


def wishes_for(account):
    """A query of the wishes ``account`` may see: those of the unions he belongs to and those he manages."""
    from plugins.warmth.models import Wish

    query = Wish.select(Wish, Unit).join(Unit)
    managed = unit_ids(account, "warmth.wishes")
    if managed is None:
        return query
    condition = Wish.unit.in_(managed or [0])
    if getattr(account, "member_id", None):
        # The member's own union and every union above it: the ids of its materialised path.
        own = [int(part) for part in account.member.unit.path.strip("/").split("/") if part]
        condition |= Wish.unit.in_(own)
    return query.where(condition)


def require_on(account, permission: str, unit: Unit) -> None:
    if not can(account, permission, unit=unit):
        raise Forbidden(_("没有权限对该单位执行此操作"))


def sees_private(account, household: Household) -> bool:
    return can(account, "warmth.view_private", unit=household.unit)


def review_levels(account, unit: Unit) -> set[str]:
    """The review levels at which ``account`` may act on a file of ``unit``."""
    if is_admin(account):
        return set(LEVELS)
    levels = set()
    for grant in grants(account):
        if grant.role != "reviewer" or grant.detail not in LEVELS:
            continue
        if grant.unit_id is None or unit.path.startswith(grant.unit.path):
            levels.add(grant.detail)
    if "grassroots" not in levels and any(
        gr.role == "aid_officer" and (gr.unit_id is None or unit.path.startswith(gr.unit.path))
        for gr in grants(account)
    ):
        levels.add("grassroots")  # a 帮扶专干 of the unit may file and submit like its 基层工会
    return levels


def reviewer_units(account, level: str) -> list[Unit] | None:
    """Units whose files ``account`` reviews at ``level`` (``None``: everywhere)."""
    if is_admin(account):
        return None
    out = []
    for grant in grants(account):
        if grant.role == "reviewer" and grant.detail == level:
            if grant.unit_id is None:
                return None
            out.append(grant.unit)
    return out


def campaigns(account, permission: str = "warmth.campaigns"):
    query = Campaign.select(Campaign, Unit).join(Unit)
    ids = unit_ids(account, permission)
    if ids is not None:
        query = query.where(Campaign.unit.in_(ids or [0]))
    return query


def load_campaign(account, campaign_id: int, permission: str = "warmth.campaigns") -> Campaign:
    campaign = Campaign.get_or_none(Campaign.id == campaign_id)
    if campaign is None or not can(account, permission, unit=campaign.unit):
        raise NotFound(_("找不到该活动"))
    return campaign
