"""Responsibility and volunteering: the responsible cadre of each household (kept year to year),
pairings per cadre (结对), problems solved per year, and 微心愿 claimed by volunteers."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import peewee
from flask_babel import gettext as _

from core.db import db
from core.errors import Forbidden, Invalid, NotFound, Refused
from core.models import Account, Unit
from core.services import audit
from core.timeutil import to_local, utcnow
from plugins.warmth import scope
from plugins.warmth.models import (
    PAIRING_ROLES,
    WISH_GROUPS,
    Household,
    Pairing,
    SolvedProblem,
    Wish,
)
from plugins.warmth.scope import require_on
from plugins.warmth.services.inputs import Fields


def _cadre(data: dict, f: Fields) -> Account | None:
    cadre_id = f.integer("cadre_id", _("责任干部"), required=True)
    cadre = Account.get_or_none(Account.id == cadre_id) if cadre_id else None
    if cadre_id and cadre is None:
        f.fail("cadre_id", _("找不到该账号"))
    return cadre


def assign_responsible(household: Household, data: dict, *, account) -> Household:
    """Name the responsible cadre. Once named he stays (首次确定后原则上保持不变): a change needs a reason."""
    f = Fields(data)
    cadre = _cadre(data, f)
    reason = f.text("reason", _("更换原因"), max_length=300)
    f.check()
    require_on(account, "warmth.file", household.unit)
    if household.responsible_id and household.responsible_id != cadre.id and not reason:
        raise Invalid(_("责任干部原则上保持不变，更换时请填写原因"), {"reason": _("请填写更换原因")})
    before = {"responsible": household.responsible_id}
    with db.atomic():
        if household.responsible_id != cadre.id:
            household.responsible = cadre
            household.responsible_since = utcnow().date()
            household.save(only=[Household.responsible, Household.responsible_since])
        Pairing.insert(cadre=cadre, household=household, role=data.get("role") or "member",
                       since=utcnow().date()).on_conflict_ignore().execute()
        audit.record("warmth.responsible", household, before=before, after={"responsible": cadre.id},
                     reason=reason, account=account)
    return household


def pair(household: Household, data: dict, *, account) -> Pairing:
    f = Fields(data)
    cadre = _cadre(data, f)
    role = f.choice("role", _("结对身份"), PAIRING_ROLES)
    f.check()
    require_on(account, "warmth.file", household.unit)
    try:
        with db.atomic():
            pairing = Pairing.create(cadre=cadre, household=household, role=role, since=utcnow().date())
            audit.record("warmth.pairing", household, after={"cadre": cadre.id, "role": role}, account=account)
    except peewee.IntegrityError:
        raise Refused(_("该干部已与该户结对")) from None
    return pairing


def solve_problem(household: Household, data: dict, *, account) -> SolvedProblem:
    f = Fields(data)
    description = f.text("description", _("解决的实际问题"), required=True, max_length=1000)
    solved_on = f.date("solved_on", _("解决日期"), required=True)
    f.check()
    require_on(account, "warmth.file", household.unit)
    cadre = household.responsible or account
    with db.atomic():
        problem = SolvedProblem.create(household=household, cadre=cadre, year=solved_on.year,
                                       description=description, solved_on=solved_on)
        audit.record("warmth.problem", household, after={"year": solved_on.year}, account=account)
    return problem


def cadre_report(households_query, year: int) -> list[dict]:
    """Per cadre: households paired, households he answers for, problems solved in ``year``."""
    ids = [h.id for h in households_query.select(Household.id)] or [0]
    rows: dict[int, dict] = {}

    def row(cadre: Account) -> dict:
        return rows.setdefault(cadre.id, {"cadre": cadre, "pairings": Counter(), "responsible": 0, "solved": 0})

    for p in Pairing.select(Pairing, Account).join(Account).where(Pairing.household.in_(ids),
                                                                  Pairing.ended_on.is_null()):
        row(p.cadre)["pairings"][p.role] += 1
    for h in Household.select(Household, Account).join(Account, on=(Household.responsible == Account.id)).where(
            Household.id.in_(ids)):
        row(h.responsible)["responsible"] += 1
    for s in SolvedProblem.select(SolvedProblem, Account).join(Account).where(
            SolvedProblem.household.in_(ids), SolvedProblem.year == year):
        row(s.cadre)["solved"] += 1
    out = []
    for r in rows.values():
        r["pairings_total"] = sum(r["pairings"].values())
        r["meets_aim"] = r["responsible"] == 0 or r["solved"] >= r["responsible"]
        out.append(r)
    return sorted(out, key=lambda r: str(r["cadre"]))


# --- 微心愿 -------------------------------------------------------------------------------------


def add_wish(unit: Unit, data: dict, *, account) -> Wish:
    f = Fields(data)
    group = f.choice("group", _("服务对象类别"), WISH_GROUPS)
    beneficiary = f.text("beneficiary", _("服务对象"), required=True, max_length=50)
    content = f.text("content", _("心愿内容"), required=True, max_length=300)
    f.check()
    require_on(account, "warmth.wishes", unit)
    with db.atomic():
        wish = Wish.create(unit=unit, group=group, beneficiary=beneficiary, content=content, created_by=account)
        audit.record("warmth.wish.add", wish, after={"group": group}, account=account)
    return wish


def claim_wish(wish: Wish, *, account) -> Wish:
    """A volunteer of the wish's union takes it; only one can (a conditional UPDATE)."""
    if not scope.may_take_wish(account, wish.unit):
        raise NotFound(_("找不到该心愿"))
    with db.atomic():
        moved = (Wish.update(status="claimed", claimed_by=account, claimed_at=utcnow())
                 .where(Wish.id == wish.id, Wish.status == "open").execute())
        if moved != 1:
            raise Refused(_("该心愿已被其他志愿者认领"))
        audit.record("warmth.wish.claim", wish, account=account)
    return Wish.get_by_id(wish.id)


def fulfil_wish(wish: Wish, note: str, *, account) -> Wish:
    """Record a wish as fulfilled: only by the volunteer who claimed it."""
    claimer = Wish.select(Wish.claimed_by).where(Wish.id == wish.id).scalar()  # the caller's copy may be older
    if claimer is None or claimer != getattr(account, "id", None):
        raise Forbidden(_("只有认领该心愿的志愿者可以登记实现"))
    with db.atomic():
        moved = (Wish.update(status="fulfilled", fulfilled_at=utcnow(), note=(note or "").strip()[:300])
                 .where(Wish.id == wish.id, Wish.status == "claimed", Wish.claimed_by == account).execute())
        if moved != 1:
            raise Refused(_("只有认领该心愿的志愿者可以登记实现"))
        audit.record("warmth.wish.fulfil", wish, account=account)
    return Wish.get_by_id(wish.id)


def quarter_of(value: dt.datetime) -> tuple[int, int]:
    local = to_local(value)
    return local.year, (local.month - 1) // 3 + 1


def wishes_per_quarter(query) -> list[dict]:
    """Fulfilled wishes per quarter (Beijing time), by group of people served."""
    counts: dict[tuple[int, int], Counter] = {}
    for wish in query.where(Wish.status == "fulfilled"):
        counts.setdefault(quarter_of(wish.fulfilled_at), Counter())[wish.group] += 1
    return [{"year": y, "quarter": q, "total": sum(c.values()), "by_group": dict(c)}
            for (y, q), c in sorted(counts.items())]
