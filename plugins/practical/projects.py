"""The project list (项目清单) and its progress.

A project's progress is its own entries plus the figures of the events linked to it. Events report
their figures through the ``huodong_event_figures`` hook; several plugins may answer for the same
event (the core counts its registrations, a 送温暖 campaign its visits), so answers are merged per
figure by taking the largest value, not by adding them up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import peewee
from flask import current_app
from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, Refused
from core.models import Event, Unit
from core.money import yuan
from core.plugins import event_hooks
from core.services import audit
from core.timeutil import to_local
from plugins.practical import validation as check
from plugins.practical.models import ProgressEntry, Project, ProjectEvent

MAIN_FIGURES = ("people", "money", "wishes")


def _number(value):
    """A figure as int or Decimal; ``None`` for anything that is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return None


def merge_figures(answers) -> dict:
    """Merge the hook's answers: per figure the largest value (answers describe the same event)."""
    merged: dict = {}
    for answer in answers:
        for key, raw in (answer or {}).items():
            value = _number(raw)
            if value is not None and (key not in merged or value > merged[key]):
                merged[key] = value
    if "money" in merged:
        merged["money"] = Decimal(merged["money"]).quantize(Decimal("0.01"))
    return merged


def event_figures(event: Event) -> dict:
    """What ``event`` achieved, as every plugin reports it through ``huodong_event_figures``."""
    pm = current_app.extensions["huodong_pm"]
    return merge_figures(event_hooks(pm, event).huodong_event_figures(event=event))


@dataclass
class Progress:
    """A project's achievement against its targets."""

    project: Project
    people: int = 0
    money: Decimal = Decimal("0.00")
    wishes: int = 0
    extra: dict = field(default_factory=dict)  # other figures events reported (households, enterprises ...)
    events: list = field(default_factory=list)  # (event, figures)
    entries: list = field(default_factory=list)

    def add(self, figures: dict) -> None:
        for key, value in figures.items():
            if key == "money":
                self.money += Decimal(value)
            elif key in ("people", "wishes"):
                setattr(self, key, getattr(self, key) + int(value))
            else:
                self.extra[key] = self.extra.get(key, 0) + value

    def share(self, key: str) -> int | None:
        """Percent of the target reached, or ``None`` without a target."""
        target = {"people": self.project.target_people, "money": self.project.target_money,
                  "wishes": self.project.target_wishes}[key]
        if not target:
            return None
        return int(Decimal(getattr(self, key)) * 100 / Decimal(target))

    def as_dict(self) -> dict:
        return {"people": self.people, "money": str(yuan(self.money)), "wishes": self.wishes,
                **{k: str(v) for k, v in self.extra.items()}}


def progress(project: Project) -> Progress:
    result = Progress(project)
    for entry in project.entries.order_by(ProgressEntry.on, ProgressEntry.id):
        result.entries.append(entry)
        result.add({"people": entry.people, "money": entry.money, "wishes": entry.wishes})
    links = ProjectEvent.select(ProjectEvent, Event).join(Event).where(ProjectEvent.project == project)
    for link in links.order_by(Event.starts_at):
        figures = event_figures(link.event)
        result.events.append((link.event, figures))
        result.add(figures)
    return result


def year_projects(unit: Unit, year: int) -> list[Project]:
    return list(Project.select().where(Project.unit == unit, Project.year == year)
                .order_by(Project.quarter.asc(nulls="LAST"), Project.sort, Project.id))


def _cleaned(data: dict) -> dict:
    quarter = data.get("quarter")
    if quarter in (None, "", 0, "0"):
        quarter = None
    else:
        try:
            quarter = int(quarter)
        except (TypeError, ValueError):
            quarter = 0
        if quarter not in (1, 2, 3, 4):
            raise Invalid(_("季度应为 1 到 4，全年项目请留空"), {"quarter": _("超出范围")})
    return {
        "title": check.text(data, "title", _("项目名称"), required=True, max_length=200),
        "year": check.year(data.get("year")),
        "quarter": quarter,
        "theme": check.text(data, "theme", _("主题"), max_length=40),
        "owner": check.text(data, "owner", _("责任部室"), max_length=100),
        "description": check.text(data, "description", _("项目内容")),
        "target_people": check.count(data, "target_people", _("目标人数")),
        "target_money": check.money(data, "target_money", _("目标金额")),
        "target_wishes": check.count(data, "target_wishes", _("目标心愿数")),
    }


def _snapshot(project: Project) -> dict:
    return {k: getattr(project, k) for k in ("title", "year", "quarter", "theme", "owner", "target_people",
                                             "target_money", "target_wishes")}


def save_project(project: Project | None, unit: Unit, data: dict, account=None) -> Project:
    """Create (``project`` is ``None``) or change a project of ``unit``'s list."""
    values = _cleaned(data)
    before = _snapshot(project) if project else None
    try:
        with db.atomic():
            if project is None:
                project = Project.create(unit=unit, **values)
            else:
                for key, value in values.items():
                    setattr(project, key, value)
                project.save()
            audit.record("practical.project.save", project, before=before, after=_snapshot(project),
                         account=account)
    except peewee.IntegrityError:
        raise Invalid(_("%(year)s 年已有同名项目：%(title)s", year=values["year"], title=values["title"]),
                      {"title": _("重名")}) from None
    return project


def add_entry(project: Project, data: dict, account=None) -> ProgressEntry:
    """Record work done for ``project`` outside any event."""
    values = {
        "on": check.day(data, "on", _("日期")),
        "people": check.count(data, "people", _("人数")),
        "money": check.money(data, "money", _("金额")),
        "wishes": check.count(data, "wishes", _("心愿数")),
        "note": check.text(data, "note", _("说明"), max_length=300),
    }
    if values["on"].year != project.year:
        raise Invalid(_("日期应在项目年度 %(year)s 年内", year=project.year), {"on": _("不在年度内")})
    if not (values["people"] or values["money"] or values["wishes"]):
        raise Invalid(_("请至少填写人数、金额或心愿数中的一项"), {"people": _("必填")})
    with db.atomic():
        entry = ProgressEntry.create(project=project, recorded_by=account, **values)
        audit.record("practical.progress.add", entry, after={k: str(v) for k, v in values.items()},
                     account=account)
    return entry


def link_event(project: Project, event: Event, account=None) -> ProjectEvent:
    """Count ``event`` toward ``project``. An event counts toward one project only (a unique index)."""
    if to_local(event.starts_at, event.timezone).year != project.year:
        raise Invalid(_("活动不在项目年度 %(year)s 年内", year=project.year), {"event": _("不在年度内")})
    if event.status == "cancelled":
        raise Refused(_("已取消的活动不能计入项目"))
    existing = ProjectEvent.select(ProjectEvent, Project).join(Project).where(ProjectEvent.event == event).first()
    if existing:
        raise Refused(_("该活动已计入项目：%(title)s", title=existing.project.title))
    try:
        with db.atomic():
            link = ProjectEvent.create(project=project, event=event)
            audit.record("practical.project.link", project, after={"event": event.id}, account=account,
                         event=event)
    except peewee.IntegrityError:
        raise Refused(_("该活动已计入其他项目")) from None
    return link


def unlink_event(project: Project, event_id: int, account=None) -> None:
    with db.atomic():
        removed = ProjectEvent.delete().where(ProjectEvent.project == project,
                                              ProjectEvent.event == event_id).execute()
        if removed:
            audit.record("practical.project.unlink", project, before={"event": event_id}, account=account,
                         event=event_id)
