"""Monthly supervision (督查) of each project: the check record and its follow-up."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, Refused
from core.models import Unit
from core.services import audit
from core.timeutil import to_local, utcnow
from plugins.practical import validation as check
from plugins.practical.models import Check, Project


def today() -> date:
    """Today in Beijing: a follow-up due today is not overdue yet."""
    return to_local(utcnow()).date()


def add_check(project: Project, data: dict, account=None) -> Check:
    values = {
        "checked_on": check.day(data, "checked_on", _("督查日期")),
        "checkers": check.text(data, "checkers", _("督查人"), required=True, max_length=200),
        "problems": check.text(data, "problems", _("发现的问题")),
        "advice": check.text(data, "advice", _("整改建议")),
        "follow_up_due": check.day(data, "follow_up_due", _("整改期限"), required=False),
    }
    if values["checked_on"] > today():
        raise Invalid(_("督查日期不能晚于今天"), {"checked_on": _("不能是将来的日期")})
    if values["follow_up_due"] and values["follow_up_due"] < values["checked_on"]:
        raise Invalid(_("整改期限不能早于督查日期"), {"follow_up_due": _("早于督查日期")})
    if values["problems"] and not values["follow_up_due"]:
        raise Invalid(_("发现问题时请填写整改期限"), {"follow_up_due": _("必填")})
    with db.atomic():
        record = Check.create(project=project, recorded_by=account, **values)
        audit.record("practical.check.add", record, after={k: str(v) for k, v in values.items()}, account=account)
    return record


def close_follow_up(record: Check, note: str, account=None) -> Check:
    """Record that the problems found were dealt with."""
    note = (note or "").strip()
    if not note:
        raise Invalid(_("请填写整改落实情况"), {"follow_up_note": _("必填")})
    with db.atomic():
        done = (Check.update(followed_up_at=utcnow(), follow_up_note=note)
                .where(Check.id == record.id, Check.followed_up_at.is_null()).execute())
        if not done:
            raise Refused(_("该督查问题已整改销号"))
        audit.record("practical.check.close", record, after={"note": note}, account=account)
    return Check.get_by_id(record.id)


def overdue(unit_ids: list[int] | None, on: date | None = None) -> list[Check]:
    """Open follow-ups past their due date, in the given units (``None``: everywhere)."""
    query = (Check.select(Check, Project).join(Project)
             .where(Check.follow_up_due < (on or today()), Check.followed_up_at.is_null()))
    if unit_ids is not None:
        query = query.where(Project.unit.in_(unit_ids or [0]))
    return list(query.order_by(Check.follow_up_due))


def project_checks(project: Project) -> list[Check]:
    return list(project.checks.order_by(Check.checked_on.desc(), Check.id.desc()))


def year_checks(unit: Unit, year: int) -> list[Check]:
    return list(Check.select(Check, Project).join(Project)
                .where(Project.unit == unit, Project.year == year).order_by(Check.checked_on))
