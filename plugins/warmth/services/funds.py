"""Funds for hardship aid: sources (上级拨款、政府补助、本级投入、社会捐助) and a ledger that balances.

A payment draws on one source with a conditional UPDATE (``spent + amount <= amount received``),
so two payments at once can never overdraw it; the ledger checks that what the sources say was
spent equals the payments and collective visits recorded against them.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, Refused
from core.models import Unit
from core.services import audit
from plugins.warmth.models import FUND_KINDS, CollectiveVisit, FundSource, Payment
from plugins.warmth.scope import require_on
from plugins.warmth.services.inputs import Fields


def add_source(unit: Unit, data: dict, *, account) -> FundSource:
    f = Fields(data)
    year = f.integer("year", _("年度"), required=True, minimum=1990, maximum=2200)
    kind = f.choice("kind", _("资金来源"), FUND_KINDS)
    name = f.text("name", _("名称"), required=True, max_length=200)
    amount = f.money("amount", _("金额"), required=True, positive=True)
    received_on = f.date("received_on", _("到账日期"), required=True)
    note = f.text("note", _("备注"), max_length=200)
    f.check()
    require_on(account, "warmth.funds", unit)
    with db.atomic():
        source = FundSource.create(unit=unit, year=year, kind=kind, name=name, amount=amount,
                                   received_on=received_on, note=note)
        audit.record("warmth.fund.add", source, after={"kind": kind, "amount": str(amount), "name": name},
                     account=account)
    return source


def draw(fund: FundSource, amount: Decimal) -> None:
    """Take ``amount`` from ``fund`` inside the caller's transaction, or refuse when it would overdraw."""
    moved = (FundSource.update(spent=FundSource.spent + amount)
             .where(FundSource.id == fund.id, FundSource.spent + amount <= FundSource.amount).execute())
    if moved != 1:
        raise Refused(_("资金“%(name)s”余额不足", name=fund.name))


def pick_source(unit: Unit, year: int, fund_id=None, amount: Decimal = Decimal("0.01")) -> FundSource:
    """The named source (it must belong to ``unit`` and ``year``), else the oldest one with ``amount`` left."""
    query = FundSource.select().where(FundSource.unit == unit, FundSource.year == year)
    if fund_id:
        fund = query.where(FundSource.id == int(fund_id)).first()
        if fund is None:
            raise Invalid(_("所选资金不属于本单位本年度"))
        return fund
    fund = query.where(FundSource.spent + amount <= FundSource.amount).order_by(FundSource.received_on, FundSource.id).first()
    if fund is None:
        raise Refused(_("本单位本年度没有足够的帮扶资金，请先登记资金来源"))
    return fund


def ledger(unit: Unit, year: int) -> dict:
    """Sources, what was paid out of them, and whether the books balance."""
    sources = list(FundSource.select().where(FundSource.unit == unit, FundSource.year == year)
                   .order_by(FundSource.received_on, FundSource.id))
    ids = [s.id for s in sources] or [0]
    payments = list(Payment.select().where(Payment.fund.in_(ids)).order_by(Payment.paid_on, Payment.id))
    collective = list(CollectiveVisit.select().where(CollectiveVisit.fund.in_(ids))
                      .order_by(CollectiveVisit.visited_on, CollectiveVisit.id))
    received = sum((s.amount for s in sources), Decimal("0.00"))
    spent_by_sources = sum((s.spent for s in sources), Decimal("0.00"))
    paid = sum((p.amount for p in payments), Decimal("0.00"))
    paid_collective = sum((c.total for c in collective), Decimal("0.00"))
    by_kind = {k: sum((s.amount for s in sources if s.kind == k), Decimal("0.00")) for k in FUND_KINDS}
    return {
        "sources": sources, "payments": payments, "collective": collective, "received": received,
        "paid": paid, "paid_collective": paid_collective, "spent": paid + paid_collective,
        "balance": received - paid - paid_collective, "by_kind": by_kind,
        "balances": spent_by_sources == paid + paid_collective,
    }
