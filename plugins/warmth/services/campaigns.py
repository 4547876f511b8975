"""The four seasons (四季歌): campaigns with standards and quotas, visit plans, visit records,
collective visits to groups, and payments — nobody aided twice in the same campaign, at any level.

"The same campaign" is the same year and season: the city's, the district's and the street's
冬送温暖 of one winter are one campaign for the rule. The database enforces it with unique
indexes on the payment (campaign key + keyed hash of the ID number, campaign key + household);
the refusal names who already aided the worker (unit and date) only to those allowed to see
his file, and gives everyone else a neutral message.
"""

from __future__ import annotations

from decimal import Decimal

import peewee
from flask_babel import gettext as _

from core import privacy
from core.access import can
from core.db import db, is_postgres
from core.errors import Invalid, NotFound, Refused
from core.models import Event, Unit
from core.money import yuan
from core.services import audit
from core.timeutil import utcnow
from plugins.warmth.models import SEASONS, Campaign, CollectiveVisit, Household, Payment, Visit, VisitPlan
from plugins.warmth.scope import require_on
from plugins.warmth.services import funds
from plugins.warmth.services.archive import normalize_account_number
from plugins.warmth.services.inputs import Fields


def create(unit: Unit, data: dict, *, account) -> Campaign:
    f = Fields(data)
    year = f.integer("year", _("年度"), required=True, minimum=1990, maximum=2200)
    season = f.choice("season", _("季节"), SEASONS)
    title = f.text("title", _("活动名称"), max_length=200)
    standard = f.money("standard", _("慰问标准（元/户，助学为元/人）"), required=True)
    goods = f.text("goods", _("慰问物资"), max_length=200)
    quota = f.integer("quota", _("名额（户）"), minimum=0)
    starts_on = f.date("starts_on", _("开始日期"))
    ends_on = f.date("ends_on", _("结束日期"))
    event_id = f.integer("event_id", _("关联活动"))
    if starts_on and ends_on and ends_on < starts_on:
        f.fail("ends_on", _("结束日期不能早于开始日期"))
    f.check()
    require_on(account, "warmth.campaigns", unit)
    event = None
    if event_id:
        event = Event.get_or_none(Event.id == event_id)
        if event is None or not event.unit.path.startswith(unit.path):
            raise Invalid(_("关联的活动不存在或不属于本单位"))
    title = title or f"{year}年{SEASONS[season]}"
    try:
        with db.atomic():
            campaign = Campaign.create(unit=unit, year=year, season=season, title=title, standard=standard,
                                       goods=goods, quota=quota, starts_on=starts_on, ends_on=ends_on, event=event)
            audit.record("warmth.campaign.create", campaign, after={"title": title, "standard": str(standard),
                                                                   "quota": quota}, account=account)
    except peewee.IntegrityError:
        raise Refused(_("本单位本年度已有%(season)s活动", season=_(SEASONS[season]))) from None
    return campaign


def add_plan(campaign: Campaign, data: dict, *, account) -> VisitPlan:
    f = Fields(data)
    title = f.text("title", _("走访计划"), required=True, max_length=200)
    leader = f.text("leader", _("带队领导"), required=True, max_length=60)
    team = data.get("team") or []
    if isinstance(team, str):
        team = [t.strip() for t in team.replace("，", ",").replace("、", ",").split(",") if t.strip()]
    planned_on = f.date("planned_on", _("计划日期"), required=True)
    targets = f.text("targets", _("走访对象"), max_length=2000)
    f.check()
    require_on(account, "warmth.campaigns", campaign.unit)
    with db.atomic():
        plan = VisitPlan.create(campaign=campaign, title=title, leader=leader, team=team, planned_on=planned_on,
                                targets=targets)
        audit.record("warmth.plan.create", plan, after={"leader": leader, "team": team}, account=account)
    return plan


def _refusal(existing: Payment, account) -> Refused:
    if can(account, "warmth.view_private", unit=existing.unit) or can(
            account, "warmth.view_private", unit=existing.household.unit):
        return Refused(_("该职工已于 %(day)s 由%(unit)s在本次活动中帮扶，不能重复帮扶",
                         day=existing.paid_on.isoformat(), unit=existing.unit.name))
    return Refused(_("该职工本次活动已获帮扶，不能重复帮扶"))


def already_paid(campaign: Campaign, household: Household) -> Payment | None:
    return (Payment.select().where(Payment.campaign_key == campaign.key,
                                   (Payment.person_hash == household.id_hash) | (Payment.household == household))
            .first())


def pay(campaign: Campaign, household: Household, data: dict, *, account, visit: Visit | None = None) -> Payment:
    """Pay aid to an approved household into its own bank account, drawing on the unit's funds."""
    f = Fields(data)
    students = f.integer("students", _("助学人数"), minimum=0, maximum=10, default=0)
    amount = f.money("amount", _("金额"))
    paid_on = f.date("paid_on", _("发放日期"), default=utcnow().date())
    account_number = normalize_account_number(f.text("bank_account", _("收款账号"), required=True, max_length=40))
    f.check()
    require_on(account, "warmth.campaigns", campaign.unit)
    if not household.unit.path.startswith(campaign.unit.path):
        raise NotFound(_("找不到该档案"))
    if household.status != "active" or household.stage != "approved":
        raise Refused(_("只能帮扶已审定且在档的困难职工（先建档、后帮扶）"))
    if campaign.season == "autumn":
        if students < 1:
            raise Invalid(_("秋送助学须填写助学人数"), {"students": _("请填写助学人数")})
        amount = amount or campaign.standard * students
    amount = yuan(amount or campaign.standard)
    if amount <= 0:
        raise Invalid(_("发放金额应大于 0"), {"amount": _("应大于 0")})
    if not household.bank_account_hash or privacy.keyed_hash(account_number) != household.bank_account_hash:
        raise Refused(_("只能发放到受助职工本人的银行账户"), {"bank_account": _("不是受助职工本人的账户")})
    existing = already_paid(campaign, household)
    if existing is not None:
        raise _refusal(existing, account)
    fund = funds.pick_source(campaign.unit, campaign.year, data.get("fund_id"), amount)
    try:
        with db.atomic():
            if campaign.quota:
                if is_postgres():  # hold the campaign row so that two payments cannot both take the last place
                    Campaign.select().where(Campaign.id == campaign.id).for_update().get()
                count = Payment.select().where(Payment.campaign == campaign).count()
                if count >= campaign.quota:
                    raise Refused(_("本次活动名额（%(n)s 户）已满", n=campaign.quota))
            funds.draw(fund, amount)
            payment = Payment.create(
                campaign=campaign, campaign_key=campaign.key, household=household, person_hash=household.id_hash,
                unit=campaign.unit, fund=fund, amount=amount, students=students, account_hash=household.bank_account_hash,
                account_last4=account_number[-4:], paid_on=paid_on, visit=visit, recorded_by=account)
            audit.record("warmth.payment", household, after={"campaign": campaign.key, "unit": campaign.unit.name,
                                                              "amount": str(amount), "account": account_number[-4:]},
                         account=account)
    except peewee.IntegrityError:
        existing = already_paid(campaign, household)
        if existing is None:
            raise
        raise _refusal(existing, account) from None
    return payment


def record_visit(campaign: Campaign, data: dict, *, account) -> Visit:
    """A visit record; with money for a household it pays in the same transaction (or nothing is kept)."""
    f = Fields(data)
    household_id = f.integer("household_id", _("走访对象"))
    enterprise = f.text("enterprise", _("走访企业"), max_length=100)
    visited_on = f.date("visited_on", _("走访日期"), required=True)
    visitors = f.text("visitors", _("走访人员"), required=True, max_length=300)
    money = f.money("money", _("慰问金"))
    goods = f.text("goods", _("慰问物资"), max_length=200)
    learned = f.text("learned", _("了解到的情况"), max_length=4000)
    follow_up = f.text("follow_up", _("后续跟进"), max_length=4000)
    plan_id = f.integer("plan_id", _("走访计划"))
    if not household_id and not enterprise:
        f.fail("household_id", _("请选择走访的困难职工或填写走访企业"))
    f.check()
    require_on(account, "warmth.campaigns", campaign.unit)
    household = None
    if household_id:
        household = Household.get_or_none(Household.id == household_id)
        if household is None or not household.unit.path.startswith(campaign.unit.path):
            raise NotFound(_("找不到该档案"))
    plan = VisitPlan.get_or_none(VisitPlan.id == plan_id, VisitPlan.campaign == campaign) if plan_id else None
    with db.atomic():
        visit = Visit.create(campaign=campaign, plan=plan, household=household, enterprise=enterprise,
                             visited_on=visited_on, visitors=visitors, money=money, goods=goods, learned=learned,
                             follow_up=follow_up, recorded_by=account)
        if household is not None and money > 0:
            pay(campaign, household, {"amount": money, "paid_on": visited_on, "bank_account": data.get("bank_account"),
                                      "students": data.get("students"), "fund_id": data.get("fund_id")},
                account=account, visit=visit)
        audit.record("warmth.visit", visit, after={"campaign": campaign.key, "money": str(money),
                                                  "enterprise": enterprise}, account=account)
    return visit


def collective_visit(campaign: Campaign, data: dict, *, account) -> CollectiveVisit:
    """集中慰问: ``people`` of a group paid ``amount_each`` (250 sanitation workers × 1,500 yuan)."""
    f = Fields(data)
    group_name = f.text("group_name", _("慰问群体"), required=True, max_length=100)
    enterprise = f.text("enterprise", _("所在企业"), max_length=100)
    people = f.integer("people", _("人数"), required=True, minimum=1, maximum=100000)
    amount_each = f.money("amount_each", _("每人金额"), required=True, positive=True)
    visited_on = f.date("visited_on", _("慰问日期"), required=True)
    visitors = f.text("visitors", _("慰问人员"), max_length=300)
    f.check()
    require_on(account, "warmth.campaigns", campaign.unit)
    total = yuan(amount_each * people)
    fund = funds.pick_source(campaign.unit, campaign.year, data.get("fund_id"), total)
    with db.atomic():
        funds.draw(fund, total)
        row = CollectiveVisit.create(campaign=campaign, group_name=group_name, enterprise=enterprise, people=people,
                                     amount_each=amount_each, total=total, fund=fund, visited_on=visited_on,
                                     visitors=visitors, recorded_by=account)
        audit.record("warmth.collective", row, after={"group": group_name, "people": people,
                                                     "total": str(total)}, account=account)
    return row


def figures(campaign: Campaign) -> dict:
    """People reached and money given by one campaign."""
    payments = Payment.select().where(Payment.campaign == campaign)
    collective = CollectiveVisit.select().where(CollectiveVisit.campaign == campaign)
    households = payments.count()
    group_people = sum(c.people for c in collective)
    money = sum((p.amount for p in payments), Decimal("0.00")) + sum((c.total for c in collective), Decimal("0.00"))
    enterprises = {v.enterprise for v in Visit.select().where(Visit.campaign == campaign, Visit.enterprise != "")}
    enterprises |= {c.enterprise for c in collective if c.enterprise}
    visited = (Visit.select(Visit.household).where(Visit.campaign == campaign, Visit.household.is_null(False))
               .distinct().count())
    return {"households": households, "households_visited": visited, "enterprises": len(enterprises),
            "people": households + group_people, "money": money}
