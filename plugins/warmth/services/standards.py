"""Regional thresholds (低保线 and shares) kept in the database, versioned by region and year,
and handed to the pure engine as a :class:`plugins.warmth.thresholds.ThresholdTable`."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, NotFound
from core.services import audit
from plugins.warmth.models import ThresholdVersion
from plugins.warmth.services.inputs import Fields
from plugins.warmth.thresholds import ThresholdNotFoundError, ThresholdSet, ThresholdTable


def add_version(data: dict, *, account=None) -> ThresholdVersion:
    """Record a new version of a region's thresholds for a year; versions are never edited."""
    f = Fields(data)
    region_code = f.text("region_code", _("地区代码"), required=True, max_length=12)
    region_name = f.text("region_name", _("地区名称"), required=True, max_length=60)
    year = f.integer("year", _("年度"), required=True, minimum=1990, maximum=2200)
    version = f.text("version", _("版本"), required=True, max_length=40)
    dibao = f.money("dibao_monthly", _("低保线"), required=True, positive=True)
    multiple = f.ratio("near_line_multiple", _("略高于低保线的倍数"))
    medical = f.ratio("medical_share", _("医疗费比例"))
    tuition = f.ratio("tuition_share", _("学费比例"))
    disaster = f.ratio("disaster_share", _("灾害支出比例"))
    effective_from = f.date("effective_from", _("生效日期"))
    source = f.text("source", _("依据文件"), max_length=200)
    f.check()
    try:
        candidate = ThresholdSet(region_code=region_code, region_name=region_name, year=year, version=version,
                                 dibao_monthly=dibao, near_line_multiple=multiple, medical_share=medical,
                                 tuition_share=tuition, disaster_share=disaster, effective_from=effective_from,
                                 source=source)
        table = table_for(region_code)
        table.add(candidate)
    except (TypeError, ValueError) as exc:
        raise Invalid(str(exc)) from None
    with db.atomic():
        row = ThresholdVersion.create(
            region_code=region_code, region_name=region_name, year=year, version=version, dibao_monthly=dibao,
            near_line_multiple=multiple, medical_share=medical, tuition_share=tuition, disaster_share=disaster,
            effective_from=effective_from, source=source, created_by=account)
        audit.record("warmth.threshold.add", row, after={"reference": candidate.reference,
                                                          "describe": candidate.describe()}, account=account)
    return row


def table_for(region_code: str | None = None) -> ThresholdTable:
    query = ThresholdVersion.select()
    if region_code:
        query = query.where(ThresholdVersion.region_code == region_code)
    return ThresholdTable(row.to_set() for row in query)


def lookup(region_code: str, year: int, on: dt.date | None = None) -> ThresholdVersion:
    """The version in force for a region and year (the latest, or the one in force ``on`` a day)."""
    try:
        chosen = table_for(region_code).lookup(region_code, year, on)
    except ThresholdNotFoundError as exc:
        raise NotFound(str(exc)) from None
    return ThresholdVersion.get(ThresholdVersion.region_code == region_code, ThresholdVersion.year == year,
                                ThresholdVersion.version == chosen.version)


def regions() -> list[tuple[str, str]]:
    """(code, name) of every region with thresholds, for the self-test page."""
    rows = ThresholdVersion.select(ThresholdVersion.region_code, ThresholdVersion.region_name).distinct()
    return sorted({(r.region_code, r.region_name) for r in rows})


def versions():
    return ThresholdVersion.select().order_by(ThresholdVersion.region_code, ThresholdVersion.year.desc(),
                                              ThresholdVersion.effective_from.desc())
