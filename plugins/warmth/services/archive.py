"""The archive (先建档、后帮扶、实名制; 一户一档): household files, their family, money and evidence,
the yearly re-check, closing and reopening, and the eligibility decision with its trace.

Whoever fills a file in answers for it (谁填报、谁负责): the account and its name are kept on
the file and every change writes an audit row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import peewee
from flask_babel import gettext as _

from core import privacy
from core.db import db
from core.errors import Invalid, Refused
from core.models import Member, Unit
from core.services import audit
from core.timeutil import utcnow
from plugins.warmth.eligibility import HardshipCause, HouseholdFacts, Offence, assess
from plugins.warmth.models import (
    CAUSES,
    CLOSE_KINDS,
    FLAGS,
    INCOME_CATEGORIES,
    OFFENCES,
    SPENDING_CATEGORIES,
    Decision,
    FamilyMember,
    Household,
    MoneyLine,
    Payment,
)
from plugins.warmth.scope import require_on
from plugins.warmth.services import standards
from plugins.warmth.services.inputs import Fields

EDITABLE_STAGES = ("draft", "returned")


def _today() -> dt.date:
    return utcnow().date()


def normalize_account_number(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def snapshot(household: Household) -> dict:
    """What the audit log keeps of a file: figures and stages, never the private values in clear."""
    return {
        "worker": household.masked_name, "id_number": household.masked_id, "unit_id": household.unit_id,
        "region_code": household.region_code, "year": household.year, "members_count": household.members_count,
        "main_cause": household.main_cause, "secondary_causes": household.secondary_causes,
        "flags": household.flags, "offence": household.offence, "stage": household.stage,
        "status": household.status, "bank_account": household.masked_account,
    }


def save_household(household: Household | None, data: dict, *, account) -> Household:
    """Create a file (``household`` is ``None``) or change one still being filled in."""
    f = Fields(data)
    unit = data.get("unit")
    if not isinstance(unit, Unit):
        unit_id = f.integer("unit", _("所属基层工会"), required=household is None)
        unit = Unit.get_or_none(Unit.id == unit_id) if unit_id else (household.unit if household else None)
        if unit is None and household is None:
            f.fail("unit", _("请选择所属基层工会"))
    member = None
    member_id = data.get("member_id") or data.get("member")
    if member_id:
        member = Member.get_or_none(Member.id == int(member_id)) if str(member_id).isdigit() else None
        if member is None:
            f.fail("member_id", _("找不到该会员"))
    name = f.text("worker_name", _("职工姓名"), required=not member, max_length=50) or (member.name if member else "")
    raw_id = f.text("id_number", _("身份证号"), max_length=30)
    if not raw_id and member is not None and member.id_number:
        raw_id = member.id_number
    id_number = None
    if raw_id:
        try:
            id_number = privacy.normalize_id_number(raw_id)
        except privacy.InvalidIdNumber as exc:
            f.fail("id_number", _(str(exc)))
    elif household is None:
        f.fail("id_number", _("请填写身份证号（实名制建档）"))
    phone = f.text("phone", _("手机号"), max_length=20)
    if phone and not privacy.is_valid_phone(phone):
        f.fail("phone", _("手机号应为11位数字，以1开头"))
    region = f.text("region_code", _("地区代码"), required=household is None, max_length=12)
    year = f.integer("year", _("年度"), required=household is None, minimum=1990, maximum=2200)
    members_count = f.integer("members_count", _("家庭人口"), required=household is None, minimum=1, maximum=30)
    main_cause = f.choice("main_cause", _("主要致困原因"), CAUSES, required=False)
    secondary = data.get("secondary_causes") or []
    if isinstance(secondary, str):
        secondary = [s for s in secondary.replace("，", ",").split(",") if s.strip()]
    secondary = [s.strip() for s in secondary]
    if any(s not in CAUSES for s in secondary):
        f.fail("secondary_causes", _("次要致困原因的取值无效"))
    elif main_cause in secondary:
        f.fail("secondary_causes", _("主要致困原因不能同时作为次要原因"))
    elif secondary and not main_cause:
        f.fail("secondary_causes", _("填写次要致困原因前须先填写主要致困原因"))
    offence = f.choice("offence", _("致困的违法违规行为"), OFFENCES, required=False)
    account_number = normalize_account_number(f.text("bank_account", _("银行账号"), max_length=40))
    if account_number and not 12 <= len(account_number) <= 25:
        f.fail("bank_account", _("银行账号应为12到25位数字"))
    flags = {}
    for key in FLAGS:
        default = household.flag(key) if household else key in ("is_worker", "dues_paid")
        flags[key] = f.boolean(key, default) if key in data else default
    f.check()
    if unit is not None:
        require_on(account, "warmth.file", unit)
    if household is not None and household.stage not in EDITABLE_STAGES:
        raise Refused(_("档案正在审核或已认定，不能修改；如需更正请先退回"))
    if household is not None and household.status == "closed":
        raise Refused(_("档案已销档，请先重新启用"))
    if region and year:
        standards.lookup(region, year)  # refuse a region without thresholds now, not at review time
    before = snapshot(household) if household else None
    target = household or Household()
    if unit is not None:
        target.unit = unit
    if member is not None:
        target.member = member
    target.worker_name = name or target.worker_name
    if member is not None and not target.gender:
        target.gender = member.gender
    if id_number:
        target.id_number = id_number
        target.id_hash = privacy.keyed_hash(id_number)
        target.gender = privacy.gender_from_id(id_number)
    for key, value in (("phone", phone), ("region_code", region), ("year", year), ("members_count", members_count)):
        if value or key in data:
            if value not in (None, ""):
                setattr(target, key, value)
    if "address" in data:
        target.address = (data.get("address") or "").strip() or None
    if "employer" in data:
        target.employer = (data.get("employer") or "").strip()[:100]
    if "situation" in data:
        target.situation = (data.get("situation") or "").strip()
    if "main_cause" in data or household is None:
        target.main_cause = main_cause
        target.secondary_causes = secondary
    if "offence" in data or household is None:
        target.offence = offence
    target.flags = flags
    if account_number:
        target.bank_account = account_number
        target.bank_account_hash = privacy.keyed_hash(account_number)
    if "bank_name" in data:
        target.bank_name = (data.get("bank_name") or "").strip()[:60]
    target.filled_by = account
    target.filled_by_name = str(account) if account else ""
    target.updated_at = utcnow()
    try:
        with db.atomic():
            target.save()
            audit.record("warmth.household.create" if household is None else "warmth.household.update", target,
                         before=before, after=snapshot(target), account=account)
    except peewee.IntegrityError:
        raise Refused(_("该职工已有困难职工档案（一户一档），请在原档案中更新")) from None
    return target


def _editable(household: Household, account) -> None:
    require_on(account, "warmth.file", household.unit)
    if household.stage not in EDITABLE_STAGES or household.status == "closed":
        raise Refused(_("档案正在审核、已认定或已销档，不能修改"))


def add_family_member(household: Household, data: dict, *, account) -> FamilyMember:
    f = Fields(data)
    name = f.text("name", _("姓名"), required=True, max_length=50)
    relation = f.text("relation", _("与职工关系"), required=True, max_length=20)
    raw_id = f.text("id_number", _("身份证号"), max_length=30)
    id_number = None
    if raw_id:
        try:
            id_number = privacy.normalize_id_number(raw_id)
        except privacy.InvalidIdNumber as exc:
            f.fail("id_number", _(str(exc)))
    birth_year = f.integer("birth_year", _("出生年份"), minimum=1900, maximum=2200)
    f.check()
    _editable(household, account)
    with db.atomic():
        person = FamilyMember.create(
            household=household, name=name, relation=relation, id_number=id_number,
            id_hash=privacy.keyed_hash(id_number) if id_number else None,
            birth_year=birth_year or (int(id_number[6:10]) if id_number else None),
            occupation=(data.get("occupation") or "").strip()[:50], health=(data.get("health") or "").strip()[:50],
            school=(data.get("school") or "").strip()[:100],
            is_university_student=Fields(data).boolean("is_university_student"))
        Household.update(updated_at=utcnow()).where(Household.id == household.id).execute()
        audit.record("warmth.family.add", household, after={"name": privacy.mask_name(name), "relation": relation},
                     account=account)
    return person


def add_money_line(household: Household, data: dict, *, account) -> MoneyLine:
    """Add a yearly income or essential spending item (工资、养老金 ... 医疗费、学费 ...)."""
    f = Fields(data)
    kind = f.choice("kind", _("收支类型"), {"income": "", "spending": ""})
    categories = INCOME_CATEGORIES if kind == "income" else SPENDING_CATEGORIES
    category = f.choice("category", _("项目"), categories) if kind else None
    amount = f.money("amount", _("金额"), required=True)
    note = f.text("note", _("说明"), max_length=200)
    f.check()
    _editable(household, account)
    with db.atomic():
        line = MoneyLine.create(household=household, kind=kind, category=category, amount=amount, note=note)
        Household.update(updated_at=utcnow()).where(Household.id == household.id).execute()
        audit.record("warmth.money.add", household, after={"kind": kind, "category": category,
                                                           "amount": str(amount)}, account=account)
    return line


def totals(household: Household) -> dict[str, Decimal]:
    """Yearly income, essential spending, and the spending the rules look at."""
    out = {"income": Decimal("0.00"), "spending": Decimal("0.00")}
    out.update({k: Decimal("0.00") for k in SPENDING_CATEGORIES})
    for line in household.money_lines:
        out[line.kind] += line.amount
        if line.kind == "spending":
            out[line.category] += line.amount
    return out


def facts_of(household: Household) -> HouseholdFacts:
    """The engine's view of a file."""
    money = totals(household)
    flags = {key: household.flag(key) for key in FLAGS}
    try:
        return HouseholdFacts(
            members=household.members_count,
            yearly_income=money["income"],
            essential_spending=money["spending"],
            medical_costs=money["medical"],
            tuition_beyond_compulsory=money["tuition"],
            disaster_or_disability_spending=money["disaster"],
            main_cause=HardshipCause(household.main_cause) if household.main_cause else None,
            secondary_causes=tuple(HardshipCause(c) for c in household.secondary_causes or ()),
            hardship_from_offence=Offence(household.offence) if household.offence else None,
            dues_paid_in_full_and_on_time=flags["dues_paid"],
            is_worker=flags["is_worker"],
            **{k: v for k, v in flags.items() if k not in ("dues_paid", "is_worker")},
        )
    except (TypeError, ValueError) as exc:
        raise Invalid(str(exc)) from None


def decide(household: Household, *, account) -> Decision:
    """Run the engine on the file with the thresholds in force and store the decision with its trace."""
    version = standards.lookup(household.region_code, household.year)
    facts = facts_of(household)
    result = assess(facts, version.to_set())
    money = totals(household)
    with db.atomic():
        row = Decision.create(
            household=household, year=household.year, threshold=version, eligible=result.eligible,
            matched=list(result.matched_codes), exclusions=list(result.exclusion_codes),
            per_head_monthly=result.per_head_monthly_income, summary=result.summary,
            trace=[e.to_dict() | {"text": e.text} for e in result.trace],
            figures={"members": household.members_count, "yearly_income": str(money["income"]),
                     "essential_spending": str(money["spending"]), "medical": str(money["medical"]),
                     "tuition": str(money["tuition"]), "disaster": str(money["disaster"]),
                     "income_basis": result.income_basis, "threshold": result.threshold_version},
            decided_by=account)
        audit.record("warmth.decision", household, after={"eligible": result.eligible,
                                                           "matched": list(result.matched_codes),
                                                           "exclusions": list(result.exclusion_codes),
                                                           "threshold": result.threshold_version},
                     account=account)
    return row


def latest_decision(household: Household) -> Decision | None:
    return household.decisions.order_by(Decision.decided_at.desc(), Decision.id.desc()).first()


def recheck(household: Household, data: dict, *, account) -> Household:
    """The yearly re-check (年度复核): confirm or update the figures for a new year; the file goes
    back to 建档 and must be reviewed again."""
    f = Fields(data)
    year = f.integer("year", _("年度"), required=True, minimum=household.year, maximum=2200)
    members_count = f.integer("members_count", _("家庭人口"), minimum=1, maximum=30,
                              default=household.members_count)
    f.check()
    require_on(account, "warmth.file", household.unit)
    if household.status == "closed":
        raise Refused(_("档案已销档，请先重新启用"))
    standards.lookup(household.region_code, year)
    before = snapshot(household)
    with db.atomic():
        household.year = year
        household.members_count = members_count
        household.checked_on = _today()
        household.updated_at = utcnow()
        if year != before["year"]:
            household.stage = "draft"
        household.save()
        audit.record("warmth.household.recheck", household, before=before, after=snapshot(household),
                     reason=(data.get("note") or "").strip(), account=account)
    return household


def close(household: Household, kind: str, reason: str, *, account) -> Household:
    """Close a file: 脱困 (out of hardship) or 撤档 (withdrawn, e.g. false declaration)."""
    require_on(account, "warmth.file", household.unit)
    if kind not in CLOSE_KINDS:
        raise Invalid(_("请选择销档类型：脱困或撤档"))
    if not (reason or "").strip():
        raise Invalid(_("请填写销档原因"))
    if household.status == "closed":
        raise Refused(_("档案已销档"))
    before = snapshot(household)
    with db.atomic():
        household.status, household.closed_kind = "closed", kind
        household.closed_reason, household.closed_at = reason.strip(), utcnow()
        household.updated_at = utcnow()
        household.save()
        audit.record("warmth.household.close", household, before=before, after=snapshot(household),
                     reason=reason.strip(), account=account)
    return household


def reopen(household: Household, reason: str, *, account) -> Household:
    require_on(account, "warmth.file", household.unit)
    if household.status != "closed":
        raise Refused(_("档案未销档，无需重新启用"))
    if not (reason or "").strip():
        raise Invalid(_("请填写重新启用的原因"))
    before = snapshot(household)
    with db.atomic():
        household.status, household.closed_kind, household.closed_at = "active", None, None
        household.stage = "draft"
        household.updated_at = utcnow()
        household.save()
        audit.record("warmth.household.reopen", household, before=before, after=snapshot(household),
                     reason=reason.strip(), account=account)
    return household


def log_private_view(household: Household, *, account, what: str = "file") -> None:
    """Every view of a full file (ID number, bank account, causes) leaves an audit row."""
    audit.record("warmth.household.view_private", household, after={"what": what}, account=account)


def not_updated_for_a_year(query, today: dt.date | None = None):
    """Active files whose last change is more than a year old (due for the yearly re-check)."""
    today = today or _today()
    limit = dt.datetime.combine(today - dt.timedelta(days=365), dt.time())
    return query.where(Household.status == "active", Household.updated_at < limit)


def never_aided(query):
    """Active files that never received any payment."""
    return query.where(Household.status == "active",
                       ~fn_exists(Payment.select(Payment.id).where(Payment.household == Household.id)))


def search(query, text: str):
    """Files of ``query`` found by ``text``: the worker's name containing it, the staff number of the
    member the file belongs to, or the worker's ID number (matched by its keyed hash)."""
    text = text.strip()
    condition = (Household.worker_name.contains(text)
                 | Household.member.in_(Member.select(Member.id).where(Member.staff_no == text)))
    try:
        condition |= Household.id_hash == privacy.keyed_hash(privacy.normalize_id_number(text))
    except privacy.InvalidIdNumber:
        pass
    return query.where(condition)


def fn_exists(subquery):
    return peewee.fn.EXISTS(subquery)
