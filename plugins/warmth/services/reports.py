"""Summaries as the unions write them: households, enterprises, people and money per campaign and
level, the change against last year, a reproducible spot-check sample, and xlsx sheets in the
archive's layout (ID numbers as text)."""

from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_UP, Decimal

from core.models import Unit
from plugins.warmth.models import CAUSES, SEASONS, Campaign, Household, Payment
from plugins.warmth.services import archive, campaigns

LEVEL_OF_KIND = {"federation": "市总工会", "district": "县区总工会", "township": "乡镇街道工会", "grassroots": "基层工会",
                 "department": "基层工会", "group": "基层工会"}


def change(now, before) -> Decimal | None:
    """The change in percent, one decimal (``None`` when last year had nothing)."""
    if not before:
        return None
    return (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def campaign_rows(year: int, unit_ids: list[int] | None, season: str | None = None) -> list[dict]:
    """One row per campaign of ``year`` (within ``unit_ids``), with last year's figures beside it."""
    query = Campaign.select(Campaign, Unit).join(Unit).where(Campaign.year == year)
    if season:
        query = query.where(Campaign.season == season)
    if unit_ids is not None:
        query = query.where(Campaign.unit.in_(unit_ids or [0]))
    rows = []
    for campaign in query.order_by(Campaign.season, Unit.path):
        now = campaigns.figures(campaign)
        last = Campaign.get_or_none(Campaign.unit == campaign.unit, Campaign.year == year - 1,
                                    Campaign.season == campaign.season)
        before = campaigns.figures(last) if last else None
        rows.append({
            "campaign": campaign, "season": SEASONS[campaign.season], "unit": campaign.unit.name,
            "level": LEVEL_OF_KIND.get(campaign.unit.kind, campaign.unit.kind), **now,
            "last_people": before["people"] if before else None, "last_money": before["money"] if before else None,
            "people_change": change(now["people"], before["people"]) if before else None,
            "money_change": change(now["money"], before["money"]) if before else None,
        })
    return rows


def totals_by_level(rows: list[dict]) -> list[dict]:
    out: dict[tuple[str, str], dict] = {}
    for r in rows:
        t = out.setdefault((r["season"], r["level"]), {"season": r["season"], "level": r["level"], "households": 0,
                                                        "enterprises": 0, "people": 0, "money": Decimal("0.00")})
        for key in ("households", "enterprises", "people", "money"):
            t[key] += r[key]
    return list(out.values())


def spot_check(households: list[Household], share: Decimal = Decimal("0.07"), seed: int | str = 0) -> list[Household]:
    """A random sample of ``share`` of the files (at least one), the same for the same seed."""
    ordered = sorted(households, key=lambda h: h.id)
    if not ordered:
        return []
    size = max(1, math.ceil(Decimal(len(ordered)) * share))
    rng = random.Random(str(seed))
    return sorted(rng.sample(ordered, size), key=lambda h: h.id)


def aided_households(year: int, unit_ids: list[int] | None, season: str | None = None) -> list[Household]:
    query = (Household.select().join(Payment, on=(Payment.household == Household.id))
             .join(Campaign, on=(Payment.campaign == Campaign.id)).where(Campaign.year == year))
    if season:
        query = query.where(Campaign.season == season)
    if unit_ids is not None:
        query = query.where(Household.unit.in_(unit_ids or [0]))
    return list(query.distinct())


ARCHIVE_HEADERS = ["序号", "姓名", "性别", "身份证号", "所属单位", "工作单位", "家庭人口", "家庭年收入（元）",
                   "刚性支出（元）", "人均月收入（元）", "主要致困原因", "次要致困原因", "开户银行", "银行账号",
                   "认定状态", "档案状态", "责任干部", "填报人", "年度"]
ARCHIVE_TEXT_COLUMNS = (3, 13)


def archive_rows(households) -> list[list]:
    """困难职工档案 rows: full details, for those allowed to see them (the caller logs the export)."""
    rows = []
    for n, h in enumerate(households, start=1):
        money = archive.totals(h)
        per_head = (money["income"] / h.members_count / 12).quantize(Decimal("0.01"), ROUND_HALF_UP)
        rows.append([n, h.worker_name, {"M": "男", "F": "女"}.get(h.gender, ""), h.id_number, h.unit.name, h.employer,
                     h.members_count, money["income"], money["spending"], per_head,
                     CAUSES.get(h.main_cause, ""), "、".join(CAUSES[c] for c in h.secondary_causes or []),
                     h.bank_name, h.bank_account or "", h.stage_label, h.status_label,
                     str(h.responsible) if h.responsible_id else "", h.filled_by_name, h.year])
    return rows


PAYMENT_HEADERS = ["序号", "活动", "发放单位", "姓名", "身份证号", "金额（元）", "助学人数", "账号尾号", "发放日期"]


def payment_rows(payments, full: bool) -> list[list]:
    rows = []
    for n, p in enumerate(payments, start=1):
        h = p.household
        rows.append([n, p.campaign.title, p.unit.name, h.worker_name if full else h.masked_name,
                     h.id_number if full else h.masked_id, p.amount, p.students, p.account_last4, p.paid_on])
    return rows
