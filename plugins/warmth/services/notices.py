"""公示: the proposed list published for N working days, with masked names and ID numbers, no
causes and a complaint phone; objections recorded and resolved; the notice taken down afterwards."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
from flask import current_app, has_app_context
from flask_babel import gettext as _

from core.db import db
from core.errors import Forbidden, Invalid, Refused
from core.models import Unit
from core.services import audit
from core.timeutil import to_local, utcnow
from plugins.warmth.models import Household, Notice, NoticeEntry, Objection, ReviewStep
from plugins.warmth.scope import review_levels
from plugins.warmth.services import review
from plugins.warmth.services.inputs import Fields

COMPLAINT_PHONE = "12351"


def today() -> dt.date:
    """Today in Beijing (a notice's days are local days)."""
    return to_local(utcnow()).date()


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in China: Monday to Friday less the public holidays, plus the
    weekend days worked in their place (调休), as the State Council publishes them each year.

    The years the ``chinese-calendar`` package knows come from it; a later year's schedule can be given in
    the ``EXTRA_WORKDAYS`` setting (``<instance>/config.py``, see the README) until the package has it. A
    year neither knows is refused: a wrong closing date would approve files before their notice ran.
    """
    extra = (current_app.config.get("EXTRA_WORKDAYS") or {}).get(day.year) if has_app_context() else None
    if extra is not None:
        iso = day.isoformat()
        if iso in (extra.get("workdays") or ()):
            return True
        if iso in (extra.get("holidays") or ()):
            return False
        return day.weekday() < 5
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise Refused(_("尚未收录 %(year)s 年的法定节假日和调休安排，无法计算公示期；请管理员按说明补充当年安排",
                        year=day.year)) from None


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` working days beginning on ``start`` (or on the first working day
    after it), counting public holidays out and 调休 weekends in."""
    day = start
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    counted = 1
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def publish(unit: Unit, data: dict, household_ids: list[int], *, account) -> Notice:
    """Publish a notice of the given files (each first-reviewed, each within the publisher's county units)."""
    f = Fields(data)
    title = f.text("title", _("公示标题"), required=True, max_length=200)
    days = f.integer("working_days", _("公示天数（工作日）"), required=True, minimum=1, maximum=30)
    opens_on = f.date("opens_on", _("公示开始日期"), default=today())
    phone = f.text("phone", _("举报电话"), max_length=20) or COMPLAINT_PHONE
    f.check()
    if opens_on < today():
        raise Invalid(_("公示开始日期不能早于今天：公示期须实际公开满规定的工作日"),
                      {"opens_on": _("不能早于今天")})
    if not household_ids:
        raise Invalid(_("请选择要公示的档案"))
    households = list(Household.select().where(Household.id.in_(household_ids)))
    if len(households) != len(set(household_ids)):
        raise Invalid(_("所选档案不存在"))
    for household in households:
        if "county" not in review_levels(account, household.unit) or not household.unit.path.startswith(unit.path):
            raise Forbidden(_("只能公示本单位范围内、由您审定的档案"))
        if household.stage != "first_reviewed":
            raise Refused(_("%(name)s 的档案尚未通过初审，不能公示", name=household.masked_name))
        if review.level_acted_at(household, account, besides="county") is not None:
            raise Forbidden(_("%(name)s 的档案您已在其他环节办理过，同一人不能办理两级审核", name=household.masked_name))
    with db.atomic():
        notice = Notice.create(unit=unit, title=title, year=households[0].year, opens_on=opens_on,
                               working_days=days, closes_on=add_working_days(opens_on, days), phone=phone,
                               created_by=account)
        for household in households:
            NoticeEntry.create(notice=notice, household=household)
            moved = (Household.update(stage="noticed", updated_at=utcnow())
                     .where(Household.id == household.id, Household.stage == "first_reviewed").execute())
            if moved != 1:
                raise Refused(_("档案状态已被他人更改，请刷新后重试"))
            ReviewStep.create(household=household, year=household.year, level="county", action="notice",
                              from_stage="first_reviewed", to_stage="noticed", comment=title, account=account,
                              account_name=str(account) if account else "")
        audit.record("warmth.notice.publish", notice, after={"title": title, "households": len(households),
                                                            "opens_on": opens_on, "closes_on": notice.closes_on},
                     account=account)
    return notice


def public_rows(notice: Notice) -> list[dict]:
    """What the public sees: masked name, masked ID number, unit. Never causes or figures."""
    rows = []
    query = (NoticeEntry.select(NoticeEntry, Household, Unit).join(Household)
             .join(Unit, on=(Household.unit == Unit.id)).where(NoticeEntry.notice == notice)
             .order_by(Unit.path, Household.id))
    for entry in query:
        h = entry.household
        rows.append({"id": h.id, "name": h.masked_name, "id_number": h.masked_id, "unit": h.unit.name})
    return rows


def is_visible(notice: Notice) -> bool:
    return notice.status == "published"


def object_to(notice: Notice, data: dict) -> Objection:
    """Record an objection from anyone (the public page asks no login)."""
    if not is_visible(notice):
        raise Refused(_("公示已结束"))
    f = Fields(data)
    content = f.text("content", _("异议内容"), required=True, max_length=2000)
    contact = f.text("contact", _("联系方式"), max_length=60)
    household_id = f.integer("household_id", _("异议对象"))
    f.check()
    household = None
    if household_id:
        household = (Household.select().join(NoticeEntry)
                     .where(NoticeEntry.notice == notice, Household.id == household_id).first())
        if household is None:
            raise Invalid(_("异议对象不在本次公示名单中"))
    with db.atomic():
        objection = Objection.create(notice=notice, household=household, content=content, contact=contact or None)
        audit.record("warmth.objection.receive", objection, after={"notice": notice.id,
                                                                  "household": household_id}, account=None)
    return objection


def resolve(objection: Objection, upheld: bool, resolution: str, *, account) -> Objection:
    """Resolve an objection: upheld takes the file off the list; dismissed lets approval go on."""
    notice = objection.notice
    target_unit = objection.household.unit if objection.household_id else notice.unit
    if "county" not in review_levels(account, target_unit):
        raise Forbidden(_("只有县区审核人可以处理异议"))
    if not (resolution or "").strip():
        raise Invalid(_("请填写核查结果"), {"resolution": _("请填写核查结果")})
    from plugins.warmth.services import review

    with db.atomic():
        moved = (Objection.update(status="upheld" if upheld else "dismissed", resolution=resolution.strip(),
                                  resolved_by=account, resolved_at=utcnow())
                 .where(Objection.id == objection.id, Objection.status == "open").execute())
        if moved != 1:
            raise Refused(_("该异议已处理"))
        if upheld and objection.household_id:
            review.strike(objection.household, resolution.strip(), account=account)
        audit.record("warmth.objection.resolve", objection, after={"upheld": upheld}, reason=resolution.strip(),
                     account=account)
    return Objection.get_by_id(objection.id)


def take_down(notice: Notice, *, account) -> Notice:
    """Take the notice down once its period is over and every objection has been resolved."""
    if "county" not in review_levels(account, notice.unit):
        raise Forbidden(_("只有县区审核人可以撤下公示"))
    if today() <= notice.closes_on:
        raise Refused(_("公示期尚未结束"))
    if notice.objections.where(Objection.status == "open").exists():
        raise Refused(_("还有未处理的异议"))
    with db.atomic():
        moved = (Notice.update(status="taken_down", taken_down_at=utcnow())
                 .where(Notice.id == notice.id, Notice.status == "published").execute())
        if moved != 1:
            raise Refused(_("公示已撤下"))
        audit.record("warmth.notice.take_down", notice, account=account)
    return Notice.get_by_id(notice.id)
