"""The year-end summary (总结): figures per project, pledge and cadre, the totals the seeds report
(people reached, money, wishes, change against last year, checks and follow-ups, grassroots days,
volunteer hours) and the same as an xlsx workbook."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.models import Unit
from core.xlsx import cell, header_row
from plugins.practical import grassroots, pledges, projects, supervision, volunteers
from plugins.practical.models import DAY_ROLES, OUTCOMES
from plugins.practical.supervision import today


def change(now, before) -> int | None:
    """Percent change against last year (+30 for 30% more); ``None`` when last year had nothing."""
    if not before:
        return None
    return int(((Decimal(now) - Decimal(before)) * 100 / Decimal(before)).quantize(Decimal("1"), ROUND_HALF_UP))


@dataclass
class CadreRow:
    cadre: object
    pledges: int = 0
    outcomes: dict = field(default_factory=lambda: {k: 0 for k in OUTCOMES})
    days: int = 0
    full_months: int = 0
    promises: int = 0
    promises_followed: int = 0


@dataclass
class YearSummary:
    unit: Unit
    year: int
    projects: list = field(default_factory=list)  # (project, progress, checks, open follow-ups)
    people: int = 0
    money: Decimal = Decimal("0.00")
    wishes: int = 0
    extra: dict = field(default_factory=dict)
    last_people: int = 0
    last_money: Decimal = Decimal("0.00")
    pledges: list = field(default_factory=list)
    outcome_counts: dict = field(default_factory=dict)
    cadres: list = field(default_factory=list)
    checks: int = 0
    problems: int = 0
    closed: int = 0
    overdue: int = 0
    days: int = 0
    places: int = 0
    teams: list = field(default_factory=list)  # (team, volunteers, activities, hours)

    @property
    def people_change(self):
        return change(self.people, self.last_people)

    @property
    def money_change(self):
        return change(self.money, self.last_money)


def _totals(unit: Unit, year: int):
    people, money, wishes, extra, rows = 0, Decimal("0.00"), 0, {}, []
    for project in projects.year_projects(unit, year):
        progress = projects.progress(project)
        rows.append((project, progress))
        people, money, wishes = people + progress.people, money + progress.money, wishes + progress.wishes
        for key, value in progress.extra.items():
            extra[key] = extra.get(key, 0) + value
    return rows, people, money, wishes, extra


def year_summary(unit: Unit, year: int) -> YearSummary:
    summary = YearSummary(unit, year)
    rows, summary.people, summary.money, summary.wishes, summary.extra = _totals(unit, year)
    _rows, summary.last_people, summary.last_money, _w, _e = _totals(unit, year - 1)

    checks = supervision.year_checks(unit, year)
    on = today()
    for project, progress in rows:
        mine = [c for c in checks if c.project_id == project.id]
        still_open = [c for c in mine if c.follow_up_due and not c.followed_up_at]
        summary.projects.append((project, progress, len(mine), len(still_open)))
    summary.checks = len(checks)
    summary.problems = sum(1 for c in checks if c.problems)
    summary.closed = sum(1 for c in checks if c.followed_up_at)
    summary.overdue = sum(1 for c in checks if c.follow_up_due and not c.followed_up_at and c.follow_up_due < on)

    summary.pledges = pledges.year_pledges(unit, year)
    summary.outcome_counts = {k: sum(1 for p in summary.pledges if p.outcome == k) for k in OUTCOMES}
    by_cadre = {c.id: CadreRow(c) for c in grassroots.cadres(unit, active_only=False)}
    for pledge in summary.pledges:
        row = by_cadre[pledge.cadre_id]
        row.pledges += 1
        if pledge.outcome:
            row.outcomes[pledge.outcome] += 1
    days = grassroots.year_days(unit, year)
    months: dict = {}
    for day in days:
        row = by_cadre[day.cadre_id]
        row.days += 1
        row.promises += bool(day.promised)
        row.promises_followed += bool(day.promised and day.follow_up)
        months.setdefault((day.cadre_id, day.month), set()).add(day.role)
    for (cadre_id, _month), roles in months.items():
        if len(roles) == len(DAY_ROLES):
            by_cadre[cadre_id].full_months += 1
    summary.cadres = [r for r in by_cadre.values() if r.cadre.is_active or r.pledges or r.days]
    summary.days = len(days)
    summary.places = len({d.place for d in days})

    for team in volunteers.teams(unit):
        served = volunteers.hours(team, year)
        summary.teams.append((team, sum(1 for r in served if r.hours), len(volunteers.activities(team, year)),
                              sum((r.hours for r in served), Decimal("0.0"))))
    return summary


def _sheet(wb: Workbook, title: str, headers: list, rows: list) -> None:
    ws = wb.create_sheet(title[:31])
    header_row(ws, headers)
    widths = [max(6, len(str(h)) * 2 + 2) for h in headers]
    for row in rows:
        ws.append([cell(ws, value, number_format="#,##0.00") if isinstance(value, Decimal) else cell(ws, value)
                   for value in row])
        for index, value in enumerate(row):
            widths[index] = min(60, max(widths[index], len(str(value if value is not None else "")) * 2))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def workbook(summary: YearSummary) -> bytes:
    """The summary as an xlsx file: 汇总, 项目, 承诺践诺, 干部 and 志愿服务 sheets."""
    wb = Workbook()
    wb.remove(wb.active)
    totals = [
        [_("服务职工人数"), summary.people, summary.last_people, summary.people_change],
        [_("发放金额（元）"), summary.money, summary.last_money, summary.money_change],
        [_("兑现心愿数"), summary.wishes, None, None],
        [_("督查次数"), summary.checks, None, None],
        [_("发现问题"), summary.problems, None, None],
        [_("已整改销号"), summary.closed, None, None],
        [_("逾期未整改"), summary.overdue, None, None],
        [_("三个一天登记天数"), summary.days, None, None],
        [_("走访基层单位数"), summary.places, None, None],
    ] + [[str(key), value, None, None] for key, value in sorted(summary.extra.items())]
    totals += [[str(label), summary.outcome_counts.get(key, 0), None, None] for key, label in OUTCOMES.items()]
    _sheet(wb, _("汇总"), [_("指标"), f"{summary.year}", f"{summary.year - 1}", _("同比（%）")], totals)
    _sheet(wb, _("项目"), [_("季度"), _("主题"), _("项目"), _("责任部室"), _("目标人数"), _("完成人数"),
                           _("目标金额（元）"), _("完成金额（元）"), _("目标心愿"), _("兑现心愿"), _("关联活动"),
                           _("督查次数"), _("未整改")],
           [[str(p.quarter_label), p.theme, p.title, p.owner, p.target_people, g.people, p.target_money, g.money,
             p.target_wishes, g.wishes, len(g.events), checks, still_open]
            for p, g, checks, still_open in summary.projects])
    _sheet(wb, _("承诺践诺"), [_("干部"), _("职务"), _("承诺内容"), _("关联项目"), _("践诺情况"), _("践诺依据")],
           [[p.cadre.member.name, p.cadre.position, p.content, p.project.title if p.project_id else "",
             str(p.outcome_label), p.evidence] for p in summary.pledges])
    _sheet(wb, _("干部"), [_("干部"), _("职务"), _("承诺数"), *[str(v) for v in OUTCOMES.values()],
                           _("三个一天天数"), _("三天齐全的月数"), _("承诺事项"), _("已落实")],
           [[r.cadre.member.name, r.cadre.position, r.pledges, *r.outcomes.values(), r.days, r.full_months,
             r.promises, r.promises_followed] for r in summary.cadres])
    _sheet(wb, _("志愿服务"), [_("服务队"), _("服务人数"), _("活动次数"), _("服务时长（小时）")],
           [[t.name, n, a, h] for t, n, a, h in summary.teams])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
