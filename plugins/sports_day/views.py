"""The sports day's pages: the event's items and teams, editing an item (rules, time, place, points and
prizes) and the prize rules, captains proposing referees, the printable running order and a referee's
own items (with links to scoring's result entry, bracket, scoreboard, payout sheet and certificates).
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import current_account, login_required, permission_required, public
from core.errors import Forbidden, Invalid, NotFound, UserError
from core.models import Event, Item, Member, Team
from core.services import events as event_service
from core.services import registrations as reg_service
from core.services.visibility import can_view_event
from core.timeutil import from_local, to_local
from plugins.scoring import public as scoring
from plugins.sports_day import items as item_service
from plugins.sports_day import referees as referee_service
from plugins.sports_day import schedule
from plugins.sports_day.presets import ACTIVITY_TYPES

bp = Blueprint("sports_day", __name__, url_prefix="/sports")

MEASURE_LABELS = {key: label for key, label in scoring.MEASURES.items()}
TIE_LABELS = {key: label for key, label in scoring.TIE_RULES.items()}


def load_event(event_id: int) -> Event:
    """An event of ours that the current account may see (404 otherwise)."""
    try:
        event = event_service.get_event(event_id)
    except NotFound:
        abort(404)
    if event.activity_type not in ACTIVITY_TYPES or not can_view_event(current_account(), event):
        abort(404)
    return event


def require_manage(event: Event):
    account = current_account()
    if not reg_service.may_manage(account, event):
        abort(403)
    return account


def scoring_links(event: Event) -> dict:
    """URLs of scoring's pages for the event, those that this install has."""
    views = current_app.view_functions
    links = {}
    for key, endpoint in (("standings", "scoring.standings"), ("scoreboard", "scoring.scoreboard"),
                          ("payout", "scoring.payout"), ("budget", "scoring.budget"),
                          ("certificates", "scoring.certificates")):
        if endpoint in views:
            links[key] = url_for(endpoint, event_id=event.id)
    return links


def item_links(item: Item) -> dict:
    views = current_app.view_functions
    links = {}
    for key, endpoint in (("enter", "scoring.enter"), ("results", "scoring.item_results"),
                          ("bracket", "scoring.bracket")):
        if endpoint in views:
            links[key] = url_for(endpoint, item_id=item.id)
    return links


def _scoring_of(item: Item):
    try:
        return scoring.item_scoring(item)
    except NotFound:
        return None


def overview(event: Event, account) -> dict:
    """What the event page and the section show."""
    manage = reg_service.may_manage(account, event)
    slots = schedule.running_order(event)
    configs = {s.item.id: _scoring_of(s.item) for s in slots}
    warnings = []
    if manage or referee_service.proposing_teams(account, event):
        warnings = [c.message for c in schedule.clashes(event)] + schedule.repeats(event)
        warnings += reg_service.team_warnings(event)
    elif account is not None and account.member_id:
        warnings = [c.message for c in schedule.clashes(event, account.member)]
    return {"event": event, "slots": slots, "configs": configs, "manage": manage,
            "teams": list(Team.select().where(Team.event == event).order_by(Team.id)),
            "referees": referee_service.referees_by_item(event), "warnings": warnings,
            "links": scoring_links(event), "item_links": {s.item.id: item_links(s.item) for s in slots},
            "may_propose": referee_service.may_propose(account, event), "sign_in": schedule.sign_in_time(event),
            "prize_rules": scoring.event_scoring(event), "measures": MEASURE_LABELS,
            "mine": {i.id for i in referee_service.refereed_items(account, event)}}


def section_html(event: Event, account) -> str:
    """The block on the event's page: the items by time, with links to everything else."""
    return render_template("sports_day/_section.html", **overview(event, account))


@bp.route("/events/<int:event_id>")
@public
def event_page(event_id: int):
    event = load_event(event_id)
    return render_template("sports_day/event.html", **overview(event, current_account()))


# ---------------------------------------------------------------- items


def _int(form, name: str, errors: dict) -> int | None:
    value = (form.get(name) or "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[name] = _("应为整数")
        return None
    if number < 0:
        errors[name] = _("不能为负数")
    return number


def _time(event: Event, value: str, name: str, errors: dict) -> datetime | None:
    """``HH:MM`` on the event's day (local time) as naive UTC."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        clock = datetime.strptime(value, "%H:%M")
    except ValueError:
        errors[name] = _("时间应写成 时:分，如 08:30")
        return None
    day = to_local(event.starts_at, event.timezone).date()
    return from_local(datetime(day.year, day.month, day.day, clock.hour, clock.minute), event.timezone)


def item_form_data(event: Event, form) -> dict:
    """An item's fields from the page's form; :class:`Invalid` names each bad field."""
    errors: dict[str, str] = {}
    data = {
        "name": form.get("name", ""), "kind": form.get("kind", "individual"), "starred": bool(form.get("starred")),
        "group": (form.get("group") or "").strip()[:40], "place": (form.get("place") or "").strip()[:100],
        "rule": (form.get("rule") or "").strip()[:500], "measure": form.get("measure", "count"),
        "unit_label": (form.get("unit_label") or "").strip()[:20], "tie_rule": form.get("tie_rule", "share"),
        "points": form.get("points", ""), "prizes": form.get("prizes", ""),
        "team_points": item_service.parse_table(form.get("team_points", ""), _("集体名次积分表")),
        "game_rule": form.get("game_rule", ""), "third_place": form.get("third_place", "shared"),
        "sign_in": bool(form.get("sign_in")),
    }
    for key in ("per_team", "team_size_min", "team_size_max", "min_women", "capacity"):
        data[key] = _int(form, key, errors)
    data["starts_at"] = _time(event, form.get("start", ""), "start", errors)
    data["ends_at"] = _time(event, form.get("end", ""), "end", errors)
    if data["measure"] not in scoring.MEASURES:
        errors["measure"] = _("请选择计分方式")
    if data["tie_rule"] not in scoring.TIE_RULES:
        errors["tie_rule"] = _("请选择并列规则")
    if data["third_place"] not in ("shared", "match"):
        errors["third_place"] = _("请选择淘汰赛第三名的决出方式")
    if errors:
        raise Invalid(_("项目信息有误：%(detail)s", detail="；".join(errors.values())), errors)
    return data


def _item_context(event: Event, item: Item | None, values: dict | None = None) -> dict:
    if values is None:
        if item is not None:
            own = item_service.item_settings(item)
            config = _scoring_of(item)
            values = {key: getattr(item, key) for key in item_service.CORE_FIELDS} | {
                "rule": own.get("rule", ""), "points": "/".join(own.get("points") or []),
                "sign_in": bool(own.get("sign_in")),
                "prizes": "/".join(own.get("prizes") or []),
                "start": to_local(item.starts_at, event.timezone).strftime("%H:%M") if item.starts_at else "",
                "end": to_local(item.ends_at, event.timezone).strftime("%H:%M") if item.ends_at else ""}
            if config is not None:
                values |= {"measure": config.measure, "unit_label": config.unit_label, "tie_rule": config.tie_rule,
                           "team_points": "/".join(config.team_points), "game_rule": config.game_rule,
                           "third_place": config.third_place}
        else:
            values = {"kind": "individual", "measure": "count", "tie_rule": "share", "place": event.venue}
    return {"event": event, "item": item, "values": values, "measures": MEASURE_LABELS, "ties": TIE_LABELS}


def _save_item_page(event: Event, item: Item | None):
    account = require_manage(event)
    if request.method == "POST":
        try:
            saved = item_service.save_item(event, item_form_data(event, request.form), item=item, account=account)
        except UserError as exc:
            flash(exc.message, "error")
            return render_template("sports_day/item_form.html",
                                   **_item_context(event, item, request.form.to_dict())), exc.status
        flash(_("项目“%(name)s”已保存", name=saved.name), "success")
        return redirect(url_for("sports_day.event_page", event_id=event.id))
    return render_template("sports_day/item_form.html", **_item_context(event, item))


@bp.route("/events/<int:event_id>/items/new", methods=["GET", "POST"])
@permission_required("events.manage")
def item_new(event_id: int):
    return _save_item_page(load_event(event_id), None)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@permission_required("events.manage")
def item_edit(item_id: int):
    item = Item.get_or_none(Item.id == item_id)
    if item is None:
        abort(404)
    return _save_item_page(load_event(item.event_id), item)


# ---------------------------------------------------------------- prize rules


def prize_form_data(form) -> dict:
    errors = {}
    data = {"team_prizes": item_service.parse_table(form.get("team_prizes", ""), _("团体奖金")),
            "participation": bool(form.get("participation")),
            "participation_amount": (form.get("participation_amount") or "0").strip(),
            "late_rate": (form.get("late_rate") or "1/2").strip(),
            "early_leave_rate": (form.get("early_leave_rate") or "1/2").strip(),
            "best_placing_only": bool(form.get("best_placing_only")),
            "participation_needs_entry": bool(form.get("participation_needs_entry")),
            "activity_points": bool(form.get("activity_points"))}
    data["souvenir_each"] = _int(form, "souvenir_each", errors) or 0
    if errors:
        raise Invalid(_("奖励设置有误：%(detail)s", detail="；".join(errors.values())), errors)
    return data


def save_prizes(event: Event, data: dict, account) -> None:
    """Change the event's prize rules, keeping what ``data`` leaves out (scoring resets what it is not given)."""
    current = scoring.event_scoring(event)
    kept = {key: getattr(current, key) for key in (
        "team_prizes", "participation", "participation_amount", "late_rate", "early_leave_rate", "excused_rate",
        "unknown_attendance_on_time", "best_placing_only", "split_team_prizes", "team_tie_rule", "souvenir_each",
        "activity_points", "participation_needs_entry")}
    scoring.configure_event(event, account=account, **(kept | data))


@bp.route("/events/<int:event_id>/prizes", methods=["GET", "POST"])
@permission_required("events.manage")
def prizes(event_id: int):
    event = load_event(event_id)
    account = require_manage(event)
    if request.method == "POST":
        try:
            save_prizes(event, prize_form_data(request.form), account)
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("奖励设置已保存"), "success")
            return redirect(url_for("sports_day.event_page", event_id=event.id))
    budget = scoring.budget(event)
    return render_template("sports_day/prizes.html", event=event, rules=scoring.event_scoring(event),
                           budget=budget)


# ---------------------------------------------------------------- referees


@bp.route("/events/<int:event_id>/referees", methods=["GET", "POST"])
@login_required
def referees(event_id: int):
    event = load_event(event_id)
    account = current_account()
    if not referee_service.may_propose(account, event):
        abort(403)
    items = list(Item.select().where(Item.event == event).order_by(Item.sort, Item.id))
    if request.method == "POST":
        try:
            item_id, member_id = referee_service.parse_ids(request.form)
            item = next((i for i in items if i.id == item_id), None)
            member = Member.get_or_none(Member.id == member_id)
            if item is None or member is None:
                raise Invalid(_("请选择项目和裁判人选"))
            referee = referee_service.propose(event, item, member, account=account)
        except Forbidden:
            raise  # another team's staff: a refusal, not a mistake in the form
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("已推荐%(name)s担任“%(item)s”的裁判", name=referee.member.name, item=referee.item.name),
                  "success")
        return redirect(url_for("sports_day.referees", event_id=event.id))
    people = {item.id: referee_service.candidates(account, event, item) for item in items}
    return render_template("sports_day/referees.html", event=event, items=items, people=people,
                           referees=referee_service.referees_by_item(event),
                           teams=referee_service.proposing_teams(account, event),
                           manage=reg_service.may_manage(account, event))


@bp.route("/referees/<int:referee_id>/remove", methods=["POST"])
@login_required
def referee_remove(referee_id: int):
    referee = referee_service.load(referee_id)
    event = load_event(referee.event_id)
    try:
        referee_service.remove(referee, account=current_account())
    except Forbidden:
        raise
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(_("已撤回裁判"), "success")
    return redirect(url_for("sports_day.referees", event_id=event.id))


# ---------------------------------------------------------------- running order


@bp.route("/events/<int:event_id>/schedule")
@public
def running_order(event_id: int):
    event = load_event(event_id)
    return render_template("sports_day/schedule.html", event=event, slots=schedule.running_order(event),
                           sign_in=schedule.sign_in_time(event),
                           teams=list(Team.select().where(Team.event == event).order_by(Team.id)))


def running_order_sheet(event: Event):
    """The running order as an xlsx sheet (秩序册)."""
    headers = [_("开始"), _("结束"), _("项目"), _("地点"), _("规则"), _("参赛"), _("裁判")]
    rows = [[s.start, s.end, s.item.name, s.place, s.rule, s.entrants, "、".join(s.referees)]
            for s in schedule.running_order(event)]
    return headers, rows


@bp.route("/mine")
@login_required
def mine():
    account = current_account()
    rows = [(item, item_links(item), _scoring_of(item)) for item in referee_service.refereed_items(account)]
    return render_template("sports_day/mine.html", rows=rows)
