"""JSON under ``/api/v1/practical``: the project list with progress, a project, progress entries,
the pledge board, the month's grassroots days, volunteer hours and the year's summary."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from core.access import login_required
from core.api.spec import OBJECT, operation
from core.money import yuan
from core.timeutil import aware_utc
from plugins.practical import grassroots, pledges, projects, summary, supervision, volunteers
from plugins.practical import validation as check
from plugins.practical.models import Project, VolunteerTeam
from plugins.practical.scope import (
    can_manage,
    can_view_records,
    load_unit,
    require_manage,
    require_read,
    require_records,
)

api = Blueprint("api_practical", __name__, url_prefix="/api/v1/practical")

ENTRY_SCHEMA = {
    "type": "object",
    "properties": {
        "on": {"type": "string", "format": "date", "description": "日期 YYYY-MM-DD"},
        "people": {"type": "integer", "minimum": 0},
        "money": {"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "description": "金额（元），如 \"375000.00\""},
        "wishes": {"type": "integer", "minimum": 0},
        "note": {"type": "string", "maxLength": 300},
    },
    "required": ["on"],
    "additionalProperties": False,
}


def _iso(value):
    return aware_utc(value).isoformat() if value else None


def project_json(project: Project, with_detail: bool = False) -> dict:
    progress = projects.progress(project)
    body = {
        "id": project.id, "unit": {"id": project.unit_id, "name": project.unit.name}, "year": project.year,
        "quarter": project.quarter, "theme": project.theme, "title": project.title, "owner": project.owner,
        "targets": {"people": project.target_people, "money": str(yuan(project.target_money)),
                    "wishes": project.target_wishes},
        "progress": progress.as_dict(),
    }
    if with_detail:
        body["description"] = project.description
        body["events"] = [{"id": e.id, "title": e.title, "starts_at": _iso(e.starts_at),
                           "figures": {k: str(v) for k, v in figures.items()}} for e, figures in progress.events]
        body["entries"] = [{"id": x.id, "on": x.on.isoformat(), "people": x.people, "money": str(x.money),
                            "wishes": x.wishes, "note": x.note} for x in progress.entries]
    return body


@api.route("/<int:unit_id>/<int:year>/projects")
@login_required
@operation("办实事项目清单及进度", tags=["practical"])
def project_list(unit_id: int, year: int):
    unit = load_unit(unit_id)
    require_read(unit)
    return jsonify(projects=[project_json(p) for p in projects.year_projects(unit, year)])


@api.route("/projects/<int:project_id>")
@login_required
@operation("办实事项目详情（含关联活动与督查）", tags=["practical"])
def project_detail(project_id: int):
    project = Project.get_or_none(Project.id == project_id) or abort(404)
    account = require_read(project.unit)
    body = project_json(project, with_detail=True)
    if can_view_records(account, project.unit):
        body["checks"] = [{"id": c.id, "checked_on": c.checked_on.isoformat(), "checkers": c.checkers,
                           "problems": c.problems, "advice": c.advice,
                           "follow_up_due": c.follow_up_due.isoformat() if c.follow_up_due else None,
                           "followed_up_at": _iso(c.followed_up_at),
                           "overdue": bool(c.follow_up_due and not c.followed_up_at
                                           and c.follow_up_due < supervision.today())}
                          for c in supervision.project_checks(project)]
    return jsonify(body)


@api.route("/projects/<int:project_id>/entries", methods=["POST"])
@login_required
@operation("记录项目进展（活动以外的人数、金额、心愿）", tags=["practical"], body=ENTRY_SCHEMA, responses={201: OBJECT})
def entry_create(project_id: int):
    project = Project.get_or_none(Project.id == project_id) or abort(404)
    account = require_manage(project.unit)
    projects.add_entry(project, request.get_json(), account)
    return jsonify(project_json(project)), 201


@api.route("/<int:unit_id>/<int:year>/pledges")
@login_required
@operation("承诺践诺清单（会员只能看到已公示的内容）", tags=["practical"])
def pledge_list(unit_id: int, year: int):
    unit = load_unit(unit_id)
    account = require_read(unit)
    manage = can_manage(account, unit)
    board, items = (pledges.board(unit, year), pledges.year_pledges(unit, year)) if manage \
        else pledges.published_view(unit, year)
    outcomes = manage or bool(board and board.outcomes_published_at)
    return jsonify(
        pledges_published_at=_iso(board.pledges_published_at) if board else None,
        outcomes_published_at=_iso(board.outcomes_published_at) if board else None,
        pledges=[{"id": p.id, "cadre": p.cadre.member.name, "position": p.cadre.position, "content": p.content,
                  "project_id": p.project_id,
                  **({"outcome": p.outcome, "evidence": p.evidence} if outcomes else {})} for p in items],
    )


@api.route("/<int:unit_id>/days/<int:year>/<int:month>")
@login_required
@operation("当月“三个一天”登记情况与缺登名单", tags=["practical"])
def month_days(unit_id: int, year: int, month: int):
    unit = load_unit(unit_id)
    require_records(unit)
    rows = grassroots.month_view(unit, year, month)
    return jsonify(cadres=[{
        "cadre_id": r.cadre.id, "name": r.cadre.member.name, "position": r.cadre.position,
        "logged": {role: {"on": d.on.isoformat(), "place": d.place} for role, d in r.days.items()},
        "missing": r.missing,
    } for r in rows])


@api.route("/teams/<int:team_id>/hours")
@login_required
@operation("志愿者年度服务时长", tags=["practical"], query={"year": {"type": "integer", "minimum": 2000, "maximum": 2100}})
def team_hours(team_id: int):
    team = VolunteerTeam.get_or_none(VolunteerTeam.id == team_id) or abort(404)
    require_records(team.unit)
    year = request.args.get("year", type=int) or supervision.today().year
    return jsonify(team={"id": team.id, "name": team.name}, year=year, volunteers=[
        {"member_id": r.member.id, "name": r.member.name, "hours": str(r.hours), "activities": len(r.activities)}
        for r in volunteers.hours(team, year)])


@api.route("/<int:unit_id>/<int:year>/summary")
@login_required
@operation("办实事年度总结数据", tags=["practical"])
def year_summary(unit_id: int, year: int):
    unit = load_unit(unit_id)
    require_records(unit)
    s = summary.year_summary(unit, check.year(year))
    return jsonify(year=year, people=s.people, money=str(s.money), wishes=s.wishes,
                   people_change=s.people_change, money_change=s.money_change,
                   checks=s.checks, problems=s.problems, closed=s.closed, overdue=s.overdue,
                   grassroots_days=s.days, places_visited=s.places, pledge_outcomes=s.outcome_counts,
                   projects=[{"id": p.id, "title": p.title, "progress": g.as_dict()} for p, g, _c, _o in s.projects])
