"""Event pages: the list, the month view, creation from an activity type and preset, editing and the workflow."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import can, current_account, managed_unit_ids, permission_required, public, require
from core.errors import UserError
from core.forms import EventForm
from core.models import Event, Registration, Unit
from core.plugins import event_hooks, flatten
from core.services import events as event_service
from core.services.visibility import can_view_event, visible_events
from core.timeutil import from_local, to_local, utcnow
from core.validation import EARLIEST, LATEST
from core.xlsx import workbook_response

bp = Blueprint("events", __name__, url_prefix="/events")


def load_visible(event_id: int) -> Event:
    event = event_service.get_event(event_id)
    if not can_view_event(current_account(), event):
        abort(404)
    return event


def _unit_choices(account) -> list[tuple[int, str]]:
    ids = managed_unit_ids(account, "events.manage")
    query = Unit.select().order_by(Unit.path)
    if ids is not None:
        query = query.where(Unit.id.in_(ids or [0]))
    return [(u.id, ("　" * max(u.depth, 0)) + u.name) for u in query]


@bp.route("/")
@public
def index():
    account = current_account()
    scope = request.args.get("when", "upcoming")
    query = visible_events(account)
    if scope == "past":
        query = query.where(Event.ends_at < utcnow()).order_by(Event.starts_at.desc())
    else:
        query = query.where(Event.ends_at >= utcnow()).order_by(Event.starts_at)
    return render_template("core/events/index.html", events=list(query.limit(200)), scope=scope,
                           can_create=can(account, "events.manage"))


@bp.route("/month")
@bp.route("/month/<int:year>/<int:month>")
@public
def month(year: int | None = None, month: int | None = None):
    tz = current_app.config["TIMEZONE"]
    today = to_local(utcnow(), tz).date()
    if year is None:
        year, month = today.year, today.month
    if not (1 <= month <= 12 and EARLIEST.year <= year <= LATEST.year):
        abort(404)
    first = date(year, month, 1)
    start = from_local(datetime(year, month, 1), tz)
    nxt = (first + timedelta(days=32)).replace(day=1)
    end = from_local(datetime(nxt.year, nxt.month, 1), tz)
    events = list(visible_events(current_account()).where(Event.starts_at < end, Event.ends_at >= start)
                  .order_by(Event.starts_at))
    by_day: dict[int, list[Event]] = {}
    for event in events:
        s, e = to_local(event.starts_at, tz).date(), to_local(event.ends_at, tz).date()
        day = max(s, first)
        while day <= e and day.month == month:
            by_day.setdefault(day.day, []).append(event)
            day += timedelta(days=1)
    weeks = pycalendar.Calendar(firstweekday=0).monthdayscalendar(year, month)
    prev = first - timedelta(days=1)
    return render_template("core/events/month.html", year=year, month=month, weeks=weeks, by_day=by_day,
                           prev=prev, nxt=nxt, today=today)


@bp.route("/new")
@permission_required("events.manage")
def choose_type():
    if not _unit_choices(current_account()):
        abort(403)  # a grant over single events does not let one create new ones
    types = current_app.extensions["huodong_activity_types"].values()
    return render_template("core/events/choose_type.html", types=types)


def _form_to_data(form: EventForm, tz: str) -> dict:
    return {
        "title": form.title.data.strip(),
        "unit": Unit.get_by_id(form.unit.data),
        "venue": (form.venue.data or "").strip(),
        "starts_at": from_local(form.starts_at.data, tz),
        "ends_at": from_local(form.ends_at.data, tz),
        "all_day": form.all_day.data,
        "registration_opens_at": from_local(form.registration_opens_at.data, tz),
        "registration_closes_at": from_local(form.registration_closes_at.data, tz),
        "capacity": form.capacity.data,
        "fee": form.fee.data if form.fee.data is not None else Decimal("0.00"),
        "reminder_minutes": form.reminder_minutes.data,
        "description": form.description.data or "",
    }


@bp.route("/new/<kind>", methods=["GET", "POST"])
@permission_required("events.manage")
def create(kind: str):
    account = current_account()
    activity = event_service.activity_type(kind)
    preset = activity.preset(request.args.get("preset"))
    form = EventForm()
    form.unit.choices = _unit_choices(account)
    if not form.unit.choices:
        abort(403)
    tz = current_app.config["TIMEZONE"]
    if request.method == "GET":
        defaults = dict(preset.defaults) if preset else {}
        form.title.data = defaults.get("title", activity.label if not preset else preset.label)
        start = to_local(utcnow(), tz).replace(tzinfo=None, minute=0, second=0, microsecond=0) + timedelta(days=14)
        start = start.replace(hour=defaults.get("start_hour", 8), minute=defaults.get("start_minute", 30))
        form.starts_at.data = start
        form.ends_at.data = start + timedelta(hours=defaults.get("duration_hours", 4),
                                             days=defaults.get("duration_days", 1) - 1)
        form.venue.data = defaults.get("venue", "")
        form.description.data = defaults.get("description", "")
        if "fee" in defaults:
            form.fee.data = Decimal(str(defaults["fee"]))
        if "capacity" in defaults:
            form.capacity.data = defaults["capacity"]
    if form.validate_on_submit():
        data = _form_to_data(form, tz)
        require("events.manage", unit=data["unit"])
        try:
            event = event_service.create_event(activity_type_key=activity.key, preset_key=preset.key if preset else None,
                                               data=data, account=account)
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("活动已创建（草稿）。检查无误后请发布。"), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("core/events/form.html", form=form, activity=activity, preset=preset, event=None)


@bp.route("/<int:event_id>")
@public
def show(event_id: int):
    event = load_visible(event_id)
    account = current_account()
    pm = current_app.extensions["huodong_pm"]
    hooks = event_hooks(pm, event)
    sections = sorted(flatten(hooks.huodong_event_sections(event=event, account=account)), key=lambda s: s.order)
    sheets = [s for s in flatten(hooks.huodong_export_sheets(event=event)) if can(account, s.permission, event=event)]
    registration = None
    if account is not None and account.member_id:
        registration = Registration.get_or_none(event=event, member=account.member_id)
    counts = {
        "active": event.registrations.where(Registration.status == "active").count(),
        "waitlisted": event.registrations.where(Registration.status == "waitlisted").count(),
    }
    activity = current_app.extensions["huodong_activity_types"].get(event.activity_type)
    return render_template(
        "core/events/show.html", event=event, sections=sections, sheets=sheets, registration=registration,
        counts=counts, activity=activity, manage=can(account, "events.manage", event=event),
        event_menu=None,
    )


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@permission_required("events.manage")
def edit(event_id: int):
    event = event_service.get_event(event_id)
    account = require("events.manage", event=event)
    tz = event.timezone
    form = EventForm(obj=event)
    form.unit.choices = _unit_choices(account)
    if request.method == "GET":
        form.unit.data = event.unit_id
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            value = getattr(event, name)
            getattr(form, name).data = to_local(value, tz).replace(tzinfo=None) if value else None
    if form.validate_on_submit():
        data = _form_to_data(form, tz)
        require("events.manage", unit=data["unit"])
        try:
            event_service.update_event(event, data, account=account)
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("活动已保存"), "success")
            return redirect(url_for("events.show", event_id=event.id))
    activity = current_app.extensions["huodong_activity_types"].get(event.activity_type)
    return render_template("core/events/form.html", form=form, activity=activity, preset=None, event=event)


@bp.route("/<int:event_id>/status", methods=["POST"])
@permission_required("events.manage")
def change_status(event_id: int):
    event = event_service.get_event(event_id)
    account = require("events.manage", event=event)
    try:
        event_service.change_status(event, request.form.get("status", ""), account=account,
                                    reason=request.form.get("reason", ""))
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(_("活动状态已更新为：%(status)s", status=event.status_label), "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.route("/<int:event_id>/export/<key>.xlsx")
@permission_required("events.manage")
def export(event_id: int, key: str):
    event = event_service.get_event(event_id)
    pm = current_app.extensions["huodong_pm"]
    sheet = next((s for s in flatten(event_hooks(pm, event).huodong_export_sheets(event=event)) if s.key == key), None)
    if sheet is None:
        abort(404)
    require(sheet.permission, event=event)
    headers, rows = sheet.build(event)
    return workbook_response(f"{event.title}-{sheet.label}.xlsx", sheet.label, headers, rows)

