"""Costs: what each person costs, what he pays and what the union pays (the core's price rules on
``Event.fee`` for members, family members and children), the cost items with budget against actuals,
refunds on withdrawal, and the statement (费用结算表) for the finance office. All in Decimal."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, NotFound
from core.models import Event, Registration
from core.money import ZERO, yuan
from core.services import audit
from core.services.registrations import is_frozen
from core.timeutil import format_datetime, utcnow
from plugins.outing import people
from plugins.outing.models import CostItem, Refund

CATEGORIES = {"meals": "餐费", "hotel": "住宿", "tickets": "门票", "guide": "导游", "transport": "交通",
              "prizes": "奖金", "other": "其他"}
PAYERS = {"union": "工会经费", "self": "个人自费"}


def items(event: Event) -> list[CostItem]:
    return list(CostItem.select().where(CostItem.event == event).order_by(CostItem.sort, CostItem.id))


def get_item(event: Event, item_id: int) -> CostItem:
    item = CostItem.get_or_none(CostItem.id == item_id, CostItem.event == event)
    if item is None:
        raise NotFound(_("找不到该费用项目"))
    return item


@dataclass(frozen=True)
class BudgetLine:
    item: CostItem
    count: int
    budget: Decimal
    actual: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.budget


@dataclass(frozen=True)
class Totals:
    people: int
    cost: Decimal  # per-person costs of everyone going
    own: Decimal  # what participants pay themselves
    union: Decimal  # the union's subsidy of the per-person costs
    union_lump: Decimal  # lump sums the union pays (bus, prizes)
    budget: Decimal
    actual: Decimal
    refunded: Decimal

    @property
    def union_total(self) -> Decimal:
        return self.union + self.union_lump


def budget_lines(event: Event, count: int | None = None) -> list[BudgetLine]:
    """Each cost item's budget (per person × people going, or the lump sum) against what was spent."""
    count = len(people.participants(event)) if count is None else count
    lines = []
    for item in items(event):
        if item.per_person is not None:
            budget = yuan(item.per_person * count)
        else:
            budget = yuan(item.lump_sum) if item.lump_sum is not None else ZERO
        actual = yuan(item.actual) if item.actual is not None else None
        lines.append(BudgetLine(item, count if item.per_person is not None else 0, budget, actual))
    return lines


def totals(event: Event) -> Totals:
    everyone = people.participants(event)
    lines = budget_lines(event, len(everyone))
    lump = sum((line.budget for line in lines if line.item.per_person is None and line.item.payer == "union"), ZERO)
    refunded = sum((yuan(r.amount) for r in Refund.select().where(Refund.event == event)), ZERO)
    return Totals(people=len(everyone), cost=sum((p.cost for p in everyone), ZERO),
                  own=sum((p.own for p in everyone), ZERO), union=sum((p.union for p in everyone), ZERO),
                  union_lump=lump, budget=sum((line.budget for line in lines), ZERO),
                  actual=sum((line.actual for line in lines if line.actual is not None), ZERO), refunded=refunded)


def per_person_total(event: Event) -> Decimal:
    """The sum of the per-person cost items; it should equal ``Event.fee``."""
    return sum((i.per_person for i in items(event) if i.per_person is not None), ZERO)


def set_actual(item: CostItem, value, *, account=None) -> CostItem:
    """Record what an item really cost (audited)."""
    try:
        amount = None if value in (None, "") else yuan(value)
    except (TypeError, ValueError, ArithmeticError):
        raise Invalid(_("金额格式不正确，如 1800.00"), {"actual": _("应为金额")}) from None
    if amount is not None and amount < 0:
        raise Invalid(_("金额不能为负数"), {"actual": _("不能为负数")})
    with db.atomic():
        before = {"actual": item.actual}
        item.actual = amount
        item.save(only=[CostItem.actual])
        audit.record("outing.cost.actual", item, before=before, after={"actual": amount}, account=account,
                     event=Event.get_by_id(item.event_id))
    return item


def refund_on_withdrawal(registration: Registration, account=None) -> Refund | None:
    """A withdrawn registration: before the deadline what was paid comes back; after it, nothing.

    Called from ``huodong_registration_changed``; writes at most one refund per withdrawal.
    """
    event = Event.get_by_id(registration.event_id)
    reg = Registration.get_by_id(registration.id)
    frozen = is_frozen(event, reg.withdrawn_at or utcnow())
    paid = reg.payment_status == "paid"
    if not paid:
        return None
    with db.atomic():
        if frozen:
            refund = Refund.create(event=event, registration=reg, amount=ZERO,
                                   note=_("报名截止后退出，费用不退（车辆、用餐已预订）"))
        else:
            refund = Refund.create(event=event, registration=reg, amount=yuan(reg.member_share),
                                   note=_("截止前退出，退还已缴费用"))
            Registration.update(payment_status="refunded").where(Registration.id == reg.id).execute()
        audit.record("outing.refund", refund, after={"amount": refund.amount, "note": refund.note}, account=account,
                     event=event)
    return refund


def refunds(event: Event) -> list[Refund]:
    return list(Refund.select(Refund, Registration).join(Registration).where(Refund.event == event)
                .order_by(Refund.at, Refund.id))


STATEMENT_HEADERS = ["序号", "部门", "姓名", "身份", "费用", "个人承担", "工会承担", "缴费状态", "车辆座位"]


def statement(event: Event) -> tuple[list[str], list[list]]:
    """The finance office's statement: every person, the totals, the cost items and the refunds."""
    from plugins.outing.transport import seat_of

    everyone = people.participants(event)
    seats = seat_of(event)
    status = {"unpaid": "未缴费", "paid": "已缴费", "refunded": "已退费", "free": "免费"}
    rows: list[list] = []
    for number, p in enumerate(everyone, start=1):
        seat = seats.get(p.key)
        rows.append([number, p.unit, p.name, {"member": "会员", "family": "家属", "child": "儿童"}[p.kind],
                     p.cost, p.own, p.union, status.get(p.payment_status, p.payment_status),
                     f"{seat[0]} {seat[1]}号" if seat else ""])
    total = totals(event)
    rows.append(["合计", "", f"{total.people}人", "", total.cost, total.own, total.union, "", ""])
    rows.append([])
    rows.append(["费用项目", "类别", "支付方", "每人", "人数", "预算", "实际", "差额"])
    for line in budget_lines(event, len(everyone)):
        item = line.item
        rows.append([item.name, CATEGORIES.get(item.category, item.category), PAYERS.get(item.payer, item.payer),
                     item.per_person if item.per_person is not None else "", line.count or "", line.budget,
                     line.actual if line.actual is not None else "",
                     line.difference if line.difference is not None else ""])
    rows.append(["预算合计", "", "", "", "", total.budget, total.actual, ""])
    rows.append(["工会补贴合计", "", "", "", "", total.union_total, "", ""])
    listed = refunds(event)
    if listed:
        rows.append([])
        rows.append(["退费", "姓名", "金额", "说明", "时间"])
        for refund in listed:
            rows.append(["退费", refund.registration.member.name, refund.amount, refund.note,
                         format_datetime(refund.at, event.timezone)])
    return STATEMENT_HEADERS, rows
