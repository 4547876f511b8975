"""工会活动积分 as pages, an API and a sheet: each unit's points over a year's events that count them,
with the events that gave them, best first (ties shared)."""

from __future__ import annotations

from decimal import Decimal

from flask import request
from flask_babel import gettext as _

from core.errors import Invalid
from core.models import Unit
from core.timeutil import to_local, utcnow
from plugins.scoring.public import yearly_points


def headers() -> list[str]:
    return [_("名次"), _("单位"), _("积分"), _("来自")]


def asked_year() -> int:
    """The ``year`` of the request (this year by default); :class:`Invalid` for anything else."""
    raw = (request.args.get("year") or "").strip()
    if not raw:
        return to_local(utcnow()).year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Invalid(_("年份应为 2000 到 2100 之间的四位数字"), {"year": _("年份有误")})
    return int(raw)


def asked_unit() -> Unit | None:
    raw = (request.args.get("unit") or "").strip()
    return Unit.get_or_none(Unit.id == int(raw)) if raw.isdigit() else None


def points_text(value: Decimal) -> str:
    """Points as people write them: 28, 2.5 (never 28.00, which reads as money)."""
    return f"{value.normalize():f}"


def rows(year: int, unit: Unit | None = None) -> list[dict]:
    """Units best first: place, unit, total and ``events`` as ``[(event, points), ...]`` in date order, the
    points as text."""
    return [{"place": r["place"], "unit": r["unit"], "unit_id": r["unit_id"], "total": points_text(r["total"]),
             "events": [(event, points_text(points)) for event, points in r["by_event"] if points]}
            for r in yearly_points(year, unit)]


def sheet_rows(year: int, unit: Unit | None = None) -> list[list]:
    return [[r["place"], r["unit"], Decimal(r["total"]) if "." in r["total"] else int(r["total"]),
             "；".join(f"{e} {p}" for e, p in r["events"])] for r in rows(year, unit)]
