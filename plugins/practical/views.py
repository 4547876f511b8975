"""The programme's pages: project list and project, pledges, cadres and their grassroots days,
volunteer teams and the year-end summary."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import current_account, login_required, managed_unit_ids
from core.errors import UserError
from core.models import Event, Unit
from core.security import safe_next
from core.timeutil import from_local, to_local, utcnow
from core.validation import DATABASE_INT
from core.xlsx import XLSX_MIME
from plugins.practical import grassroots, pledges, projects, summary, supervision, volunteers
from plugins.practical import validation as check
from plugins.practical.models import (
    DAY_ROLES,
    OUTCOMES,
    QUARTERS,
    THEMES,
    Cadre,
    Check,
    GrassrootsDay,
    Pledge,
    Project,
    ProjectEvent,
    VolunteerTeam,
)
from plugins.practical.scope import (
    can_manage,
    can_read,
    can_view_records,
    load_unit,
    require_manage,
    require_read,
    require_records,
)

bp = Blueprint("practical", __name__, url_prefix="/practical")


def this_year() -> int:
    return to_local(utcnow()).year


def programme_units(account) -> list[Unit]:
    """Units that run a programme (projects, cadres or teams) and that ``account`` may read."""
    ids = {p.unit_id for p in Project.select(Project.unit).distinct()}
    ids |= {c.unit_id for c in Cadre.select(Cadre.unit).distinct()}
    ids |= {t.unit_id for t in VolunteerTeam.select(VolunteerTeam.unit).distinct()}
    units = Unit.select().where(Unit.id.in_(list(ids) or [0])).order_by(Unit.path)
    return [u for u in units if can_read(account, u)]


def managed_units(account) -> list[Unit]:
    ids = managed_unit_ids(account, "practical.manage")
    query = Unit.select().order_by(Unit.path)
    if ids is not None:
        query = query.where(Unit.id.in_(ids or [0]))
    return list(query)


def _form_id(name: str) -> int | None:
    """The id posted in field ``name``; ``None`` when it is missing, not a number or larger than any id."""
    value = request.form.get(name, type=int)
    return value if value is not None and 0 < value <= DATABASE_INT else None


def _fail(exc: UserError) -> None:
    flash(exc.message, "error")


def _back(default: str):
    return redirect(safe_next(request.form.get("next")) or default)


@bp.route("/")
@login_required
def index():
    account = current_account()
    units = programme_units(account)
    if len(units) == 1 and not managed_units(account):
        return redirect(url_for("practical.programme", unit_id=units[0].id, year=this_year()))
    return render_template("practical/index.html", units=units, managed=managed_units(account), year=this_year())


# Projects ---------------------------------------------------------------------------------------

@bp.route("/<int:unit_id>/<int:year>/")
@login_required
def programme(unit_id: int, year: int):
    unit = load_unit(unit_id)
    account = require_read(unit)
    rows = [(p, projects.progress(p)) for p in projects.year_projects(unit, year)]
    overdue = [c for c in supervision.overdue([unit.id]) if c.project.year == year] \
        if can_view_records(account, unit) else []
    return render_template("practical/programme.html", unit=unit, year=year, rows=rows, overdue=overdue,
                           manage=can_manage(account, unit), records=can_view_records(account, unit),
                           quarters=QUARTERS, themes=THEMES, form={}, errors={})


@bp.route("/<int:unit_id>/<int:year>/projects", methods=["POST"])
@login_required
def project_create(unit_id: int, year: int):
    unit = load_unit(unit_id)
    account = require_manage(unit)
    data = request.form.to_dict() | {"year": request.form.get("year") or year}
    try:
        project = projects.save_project(None, unit, data, account=account)
    except UserError as exc:
        _fail(exc)
        rows = [(p, projects.progress(p)) for p in projects.year_projects(unit, year)]
        return render_template("practical/programme.html", unit=unit, year=year, rows=rows, overdue=[],
                               manage=True, records=True, quarters=QUARTERS, themes=THEMES, form=data,
                               errors=exc.errors), 422
    flash(_("项目已添加：%(title)s", title=project.title), "success")
    return redirect(url_for("practical.project", project_id=project.id))


def _load_project(project_id: int) -> Project:
    return Project.get_or_none(Project.id == project_id) or abort(404)


def _linkable_events(project: Project) -> list[Event]:
    start, end = from_local(datetime(project.year, 1, 1)), from_local(datetime(project.year + 1, 1, 1))
    taken = ProjectEvent.select(ProjectEvent.event)
    return list(Event.select().join(Unit).where(
        Unit.path.startswith(project.unit.path), Event.starts_at >= start, Event.starts_at < end,
        Event.status != "cancelled", Event.id.not_in(taken)).order_by(Event.starts_at).limit(200))


@bp.route("/projects/<int:project_id>")
@login_required
def project(project_id: int, form=None, errors=None, status=200):
    item = _load_project(project_id)
    account = require_read(item.unit)
    manage, records = can_manage(account, item.unit), can_view_records(account, item.unit)
    return render_template(
        "practical/project.html", project=item, progress=projects.progress(item), manage=manage,
        records=records, checks=supervision.project_checks(item) if records else [],
        linkable=_linkable_events(item) if manage else [], today=supervision.today(), quarters=QUARTERS,
        themes=THEMES, form=form or {}, errors=errors or {},
    ), status


def _project_action(project_id: int, action, done: str):
    item = _load_project(project_id)
    account = require_manage(item.unit)
    try:
        action(item, account)
    except UserError as exc:
        _fail(exc)
        return project(project_id, form=request.form.to_dict(), errors=exc.errors, status=exc.status)
    flash(done, "success")
    return redirect(url_for("practical.project", project_id=item.id))


@bp.route("/projects/<int:project_id>/edit", methods=["POST"])
@login_required
def project_edit(project_id: int):
    return _project_action(project_id, lambda p, a: projects.save_project(p, p.unit, request.form.to_dict(), a),
                           _("项目已保存"))


@bp.route("/projects/<int:project_id>/entries", methods=["POST"])
@login_required
def entry_add(project_id: int):
    return _project_action(project_id, lambda p, a: projects.add_entry(p, request.form.to_dict(), a),
                           _("进展已记录"))


@bp.route("/projects/<int:project_id>/events", methods=["POST"])
@login_required
def event_link(project_id: int):
    def link(item, account):
        event_id = _form_id("event")
        event = Event.get_or_none(Event.id == event_id) if event_id else None
        if event is None or not event.unit.path.startswith(item.unit.path):
            raise UserError(_("请选择本单位的活动"))
        projects.link_event(item, event, account)

    return _project_action(project_id, link, _("活动已计入项目"))


@bp.route("/projects/<int:project_id>/events/<int:event_id>/unlink", methods=["POST"])
@login_required
def event_unlink(project_id: int, event_id: int):
    return _project_action(project_id, lambda p, a: projects.unlink_event(p, event_id, a), _("活动已移出项目"))


@bp.route("/projects/<int:project_id>/checks", methods=["POST"])
@login_required
def check_add(project_id: int):
    return _project_action(project_id, lambda p, a: supervision.add_check(p, request.form.to_dict(), a),
                           _("督查记录已保存"))


@bp.route("/checks/<int:check_id>/close", methods=["POST"])
@login_required
def check_close(check_id: int):
    record = Check.get_or_none(Check.id == check_id) or abort(404)
    return _project_action(record.project_id,
                           lambda p, a: supervision.close_follow_up(record, request.form.get("follow_up_note"), a),
                           _("已整改销号"))


# Pledges ----------------------------------------------------------------------------------------

@bp.route("/<int:unit_id>/<int:year>/pledges")
@login_required
def pledge_board(unit_id: int, year: int):
    unit = load_unit(unit_id)
    account = require_read(unit)
    manage = can_manage(account, unit)
    if manage:
        board, items = pledges.board(unit, year), pledges.year_pledges(unit, year)
    else:
        board, items = pledges.published_view(unit, year)
    show_outcomes = manage or bool(board and board.outcomes_published_at)
    return render_template("practical/pledges.html", unit=unit, year=year, board=board, pledges=items,
                           manage=manage, show_outcomes=show_outcomes, outcomes=OUTCOMES,
                           records=can_view_records(account, unit),
                           cadres=grassroots.cadres(unit) if manage else [],
                           projects=projects.year_projects(unit, year) if manage else [])


@bp.route("/<int:unit_id>/<int:year>/pledges", methods=["POST"])
@login_required
def pledge_add(unit_id: int, year: int):
    unit = load_unit(unit_id)
    account = require_manage(unit)
    cadre = Cadre.get_or_none(Cadre.id == (_form_id("cadre") or 0), Cadre.unit == unit)
    try:
        if cadre is None:
            raise UserError(_("请选择干部"))
        pledges.add_pledge(cadre, year, request.form.to_dict(), account)
    except UserError as exc:
        _fail(exc)
    else:
        flash(_("承诺已添加"), "success")
    return redirect(url_for("practical.pledge_board", unit_id=unit.id, year=year))


@bp.route("/pledges/<int:pledge_id>/assess", methods=["POST"])
@login_required
def pledge_assess(pledge_id: int):
    pledge = Pledge.get_or_none(Pledge.id == pledge_id) or abort(404)
    unit = pledge.cadre.unit
    account = require_manage(unit)
    try:
        pledges.assess(pledge, request.form.get("outcome", ""), request.form.get("evidence", ""), account)
    except UserError as exc:
        _fail(exc)
    else:
        flash(_("践诺情况已评定"), "success")
    return redirect(url_for("practical.pledge_board", unit_id=unit.id, year=pledge.year))


@bp.route("/<int:unit_id>/<int:year>/pledges/publish", methods=["POST"])
@login_required
def pledge_publish(unit_id: int, year: int):
    unit = load_unit(unit_id)
    account = require_manage(unit)
    try:
        pledges.publish(unit, year, request.form.get("stage", ""), account)
    except UserError as exc:
        _fail(exc)
    else:
        flash(_("已公示"), "success")
    return redirect(url_for("practical.pledge_board", unit_id=unit.id, year=year))


# Cadres and their grassroots days ---------------------------------------------------------------

@bp.route("/<int:unit_id>/cadres", methods=["GET", "POST"])
@login_required
def cadres(unit_id: int):
    unit = load_unit(unit_id)
    account = require_records(unit)
    manage = can_manage(account, unit)
    if request.method == "POST":
        require_manage(unit)
        try:
            cadre = grassroots.add_cadre(unit, request.form.get("staff_no"), request.form.get("position"), account)
        except UserError as exc:
            _fail(exc)
        else:
            flash(_("已加入干部名单：%(name)s", name=cadre.member.name), "success")
            return redirect(url_for("practical.cadres", unit_id=unit.id))
    return render_template("practical/cadres.html", unit=unit, cadres=grassroots.cadres(unit), manage=manage,
                           year=this_year(), records=True)


@bp.route("/<int:unit_id>/days/")
@bp.route("/<int:unit_id>/days/<int:year>/<int:month>")
@login_required
def days(unit_id: int, year: int | None = None, month: int | None = None):
    unit = load_unit(unit_id)
    account = current_account()
    me = grassroots.cadre_of(account, unit)
    if me is None:
        require_records(unit)
    now = to_local(utcnow()).date()
    year, month = check.year(year) if year is not None else now.year, month or now.month
    if not 1 <= month <= 12:
        abort(404)
    rows = grassroots.month_view(unit, year, month)
    manage, records = can_manage(account, unit), can_view_records(account, unit)
    if not records:
        rows = [r for r in rows if r.cadre.id == me.id]
    prev = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return render_template("practical/days.html", unit=unit, year=year, month=month, rows=rows, roles=DAY_ROLES,
                           manage=manage, me=me, loggers=grassroots.cadres(unit) if manage else ([me] if me else []),
                           prev=prev, nxt=nxt, missing=sum(len(r.missing) for r in rows), records=records)


@bp.route("/<int:unit_id>/days", methods=["POST"])
@login_required
def day_log(unit_id: int):
    unit = load_unit(unit_id)
    account = current_account()
    cadre = Cadre.get_or_none(Cadre.id == (_form_id("cadre") or 0), Cadre.unit == unit)
    if cadre is None:
        abort(404)
    if not (can_manage(account, unit) or account.member_id == cadre.member_id):
        abort(403)
    try:
        day = grassroots.log_day(cadre, request.form.to_dict(), account)
    except UserError as exc:
        _fail(exc)
        return redirect(url_for("practical.days", unit_id=unit.id))
    flash(_("已登记：%(role)s", role=day.role_label), "success")
    return redirect(url_for("practical.days", unit_id=unit.id, year=day.year, month=day.month))


@bp.route("/days/<int:day_id>/follow-up", methods=["POST"])
@login_required
def day_follow_up(day_id: int):
    day = GrassrootsDay.get_or_none(GrassrootsDay.id == day_id) or abort(404)
    unit = day.cadre.unit
    account = current_account()
    if not (can_manage(account, unit) or account.member_id == day.cadre.member_id):
        abort(403)
    try:
        grassroots.update_follow_up(day, request.form.get("follow_up"), account)
    except UserError as exc:
        _fail(exc)
    else:
        flash(_("落实情况已更新"), "success")
    return redirect(url_for("practical.days", unit_id=unit.id, year=day.year, month=day.month))


# Volunteers -------------------------------------------------------------------------------------

@bp.route("/<int:unit_id>/volunteers", methods=["GET", "POST"])
@login_required
def teams(unit_id: int):
    unit = load_unit(unit_id)
    account = require_read(unit)
    if request.method == "POST":
        require_manage(unit)
        try:
            team = volunteers.create_team(unit, request.form.get("name"), request.form.get("description"), account)
        except UserError as exc:
            _fail(exc)
        else:
            return redirect(url_for("practical.team", team_id=team.id))
    return render_template("practical/teams.html", unit=unit, teams=volunteers.teams(unit),
                           manage=can_manage(account, unit))


def _activity_data(form) -> dict:
    def parse(value):
        try:
            return datetime.fromisoformat(value) if value else None
        except ValueError:
            raise UserError(_("时间格式不正确，应如 2024-03-12T08:30")) from None

    capacity = form.get("capacity", "").strip()
    if capacity and not capacity.isdigit():
        raise UserError(_("名额应为整数"))
    return {"title": form.get("title", "").strip(), "venue": form.get("venue", "").strip(),
            "starts_at": parse(form.get("starts_at")), "ends_at": parse(form.get("ends_at")),
            "capacity": int(capacity) if capacity else None, "description": form.get("description", "")}


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@login_required
def team(team_id: int):
    item = VolunteerTeam.get_or_none(VolunteerTeam.id == team_id) or abort(404)
    account = require_read(item.unit)
    manage = can_manage(account, item.unit)
    year = check.year(request.args.get("year", this_year(), type=int))
    if request.method == "POST":
        require_manage(item.unit)
        try:
            if request.form.get("action") == "activity":
                event = volunteers.create_activity(item, request.form.get("preset") or None,
                                                   _activity_data(request.form), account)
                flash(_("志愿活动已创建（草稿），请检查后发布"), "success")
                return redirect(url_for("events.show", event_id=event.id))
            volunteer = volunteers.add_volunteer(item, request.form.get("staff_no"), account)
            flash(_("已加入服务队：%(name)s", name=volunteer.member.name), "success")
        except UserError as exc:
            # The core's event checks name each wrong field; show them with the headline.
            details = "；".join(str(v) for v in exc.errors.values() if len(str(v)) > 4)
            flash(f"{exc.message}：{details}" if details else exc.message, "error")
        return redirect(url_for("practical.team", team_id=item.id, year=year))
    kind = current_app.extensions["huodong_activity_types"]["volunteer"]
    return render_template("practical/team.html", team=item, year=year, manage=manage,
                           members=volunteers.members(item), activities=volunteers.activities(item, year),
                           hours=volunteers.hours(item, year) if can_view_records(account, item.unit) else [],
                           presets=kind.presets)


# Summary ----------------------------------------------------------------------------------------

@bp.route("/<int:unit_id>/<int:year>/summary")
@login_required
def summary_page(unit_id: int, year: int):
    unit = load_unit(unit_id)
    require_records(unit)
    year = check.year(year)
    return render_template("practical/summary.html", s=summary.year_summary(unit, year), outcomes=OUTCOMES)


@bp.route("/<int:unit_id>/<int:year>/summary.xlsx")
@login_required
def summary_xlsx(unit_id: int, year: int):
    unit = load_unit(unit_id)
    require_records(unit)
    data = summary.workbook(summary.year_summary(unit, check.year(year)))
    response = Response(data, mimetype=XLSX_MIME)
    filename = f"{unit.name}-{year}年我为群众办实事总结.xlsx"
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
