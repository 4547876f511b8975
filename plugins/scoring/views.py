"""Scoring's pages: result entry on a phone, item results, brackets, the big-screen scoreboard,
the payout sheet and budget for the organizer, and printable certificates (获奖证书).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import current_account, login_required, permission_required, public
from core.errors import Forbidden, UserError
from core.validation import DATABASE_INT
from core.xlsx import workbook_response
from plugins.scoring import changes, panel, points_report, results, sheets, tally
from plugins.scoring.guard import (
    is_organizer,
    load_event,
    load_item,
    require_organizer,
    require_scorer,
    require_visible,
)
from plugins.scoring.models import RESULT_STATUSES, Mark, PanelJudge, ScoringResult
from plugins.scoring.views_data import latest_results, show_value, standings_data, team_rows

bp = Blueprint("scoring", __name__, url_prefix="/scoring")


@bp.route("/events/<int:event_id>")
@public
def standings(event_id: int):
    event = load_event(event_id)
    require_visible(event)
    organizer = is_organizer(current_account(), event)
    data = standings_data(tally.load_tally(event), organizer=organizer)
    return render_template("scoring/standings.html", event=event, data=data, organizer=organizer)


@bp.route("/points")
@login_required
def points():
    """工会活动积分: each unit's points this year (or ``?year=``), with the events that gave them."""
    year = points_report.asked_year()
    unit = points_report.asked_unit()
    return render_template("scoring/points.html", year=year, unit=unit, rows=points_report.rows(year, unit))


@bp.route("/points.xlsx")
@login_required
def points_xlsx():
    year = points_report.asked_year()
    unit = points_report.asked_unit()
    return workbook_response(f"工会活动积分-{year}.xlsx", _("工会活动积分"), points_report.headers(),
                             points_report.sheet_rows(year, unit))


@bp.route("/mine")
@login_required
def mine():
    account = current_account()
    items = panel.assigned_items(account)
    return render_template("scoring/mine.html", items=items)


def _number(form, name: str) -> int | None:
    """A whole number posted in ``name``; ``None`` when it is missing, not digits or beyond any database integer
    (the service then names the match or result that does not exist)."""
    value = form.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and int(value) <= DATABASE_INT else None


def _redirect_back(item_id: int):
    return redirect(url_for("scoring.enter", item_id=item_id))


@bp.route("/items/<int:item_id>/enter", methods=["GET", "POST"])
@permission_required("scoring.enter_results")
def enter(item_id: int):
    item = load_item(item_id)
    account = require_scorer(item)
    config = results.item_config(item)
    if config.measure == "marks" and panel.assignment(item, account) is None:
        # Marks are the panel's own: an organizer off the panel has no sheet here (as in the API).
        raise Forbidden(_("您不是“%(item)s”的评委", item=item.name))
    if request.method == "POST":
        form = request.form
        try:
            if config.measure == "marks":
                if form.get("action") == "submit":
                    panel.submit_marks(item, account)
                    flash(_("评分已提交"), "success")
                else:
                    marks = {c["name"]: form.get(f"mark-{c['name']}", "") for c in config.criteria}
                    panel.enter_marks(item, account, form.get("entrant", ""), marks)
                    flash(_("评分已保存"), "success")
            elif config.measure == "match":
                games = [g.replace("：", ":").split(":") for g in form.get("games", "").split()]
                results.enter_match(item, _number(form, "round") or 0, _number(form, "number") or 0, games,
                                    version=_number(form, "version"), account=account)
                flash(_("比分已保存"), "success")
            else:
                version = _number(form, "version")
                results.enter_result(item, entrant=form.get("entrant", ""), value=form.get("value"),
                                     status=form.get("status", "ok"), reached_at=form.get("reached_at") or None,
                                     version=version, account=account)
                flash(_("成绩已保存"), "success")
        except UserError as exc:
            flash(exc.message, "error")
        return _redirect_back(item.id)
    context = {"item": item, "config": config, "statuses": RESULT_STATUSES}
    if config.measure == "marks":
        seat = panel.assignment(item, account)
        context["sheet"] = panel.judge_sheet(item, account)
        context["seat"] = seat
        context["deviations"] = panel.my_deviations(item, account) if seat and seat.submitted_at else None
        context["distance"] = panel.my_distance(item, account) if seat and seat.submitted_at else None
    elif config.measure == "match":
        context["bracket"] = _bracket_view(config)
    else:
        tally_ = tally.load_tally(item.event_id)
        existing = {r.entrant: r for r in ScoringResult.select().where(ScoringResult.item == item.id)}
        context["entrants"] = [(key, name, existing.get(key)) for key, name, _unit in results.entrants(config)]
        context["show_value"] = lambda v: show_value(v, config.measure)
        context["names"] = tally_.names
    return render_template("scoring/enter.html", **context)


def _bracket_view(config):
    bracket = results.bracket_of(config)
    if bracket is None:
        return None
    names = tally.load_tally(config.item.event_id).names
    versions = {(m.round, m.number): m.version for m in config.item.matches}
    rounds = []
    for round_ in bracket.rounds:
        rounds.append([{"key": m.key, "a": names.get(m.a, "") if m.a else "", "b": names.get(m.b, "") if m.b else "",
                        "games": " ".join(f"{a}:{b}" for a, b in m.games), "bye": m.bye,
                        "winner": names.get(m.winner, "") if m.winner else "", "ready": m.a is not None and
                        m.b is not None and not m.bye, "version": versions.get(m.key)} for m in round_])
    third = None
    if bracket.third_place is not None:
        m = bracket.third_place
        third = {"key": m.key, "a": names.get(m.a, "") if m.a else "", "b": names.get(m.b, "") if m.b else "",
                 "games": " ".join(f"{a}:{b}" for a, b in m.games), "winner": names.get(m.winner, "") if m.winner
                 else "", "ready": m.a is not None and m.b is not None, "version": versions.get(m.key), "bye": False}
    numbers = sorted(((n, names.get(k, k)) for k, n in (config.draw or {}).items()))
    return {"rounds": rounds, "third": third, "numbers": numbers}


@bp.route("/items/<int:item_id>")
@public
def item_results(item_id: int):
    item = load_item(item_id)
    require_visible(item.event)
    tally_ = tally.load_tally(item.event_id)
    loaded = tally_.item(item.id)
    organizer = is_organizer(current_account(), item.event)
    data = next(i for i in standings_data(tally_, organizer=organizer)["items"] if i["id"] == item.id)
    judges = []
    marks = {}
    hidden = panel.blind_hidden(loaded.config)
    if loaded.config.measure == "marks" and (loaded.config.published or organizer):
        judges = list(PanelJudge.select().where(PanelJudge.item == item.id).order_by(PanelJudge.id))
        for m in Mark.select().where(Mark.item == item.id):
            marks.setdefault(m.entrant, {})[m.judge_id] = m.score
    numbers = {b.entrant: b.number for b in item.blind_numbers} if loaded.config.blind else {}
    log = changes.changes([item], tally_.names) if organizer else []
    return render_template("scoring/item.html", item=item, config=loaded.config, data=data, organizer=organizer,
                           judges=judges, marks=marks, panel=loaded.panel, hidden=hidden, numbers=numbers,
                           changes=log)


@bp.route("/items/<int:item_id>/bracket")
@public
def bracket(item_id: int):
    item = load_item(item_id)
    require_visible(item.event)
    config = results.item_config(item)
    if config.measure != "match":
        abort(404)
    return render_template("scoring/bracket.html", item=item, config=config, bracket=_bracket_view(config))


@bp.route("/items/<int:item_id>/publish", methods=["POST"])
@permission_required("scoring.publish")
def publish(item_id: int):
    item = load_item(item_id)
    account = require_organizer(item.event)
    try:
        if request.form.get("action") == "unlock":
            results.unlock_item(item, request.form.get("reason", ""), account=account)
            flash(_("已解锁，可以更正成绩"), "success")
        else:
            results.publish_item(item, account=account)
            flash(_("成绩已发布并锁定"), "success")
    except UserError as exc:
        flash(exc.message, "error")
    return redirect(url_for("scoring.item_results", item_id=item.id))


@bp.route("/items/<int:item_id>/draw", methods=["POST"])
@permission_required("scoring.publish")
def draw(item_id: int):
    item = load_item(item_id)
    account = require_organizer(item.event)
    try:
        config = results.item_config(item)
        if config.measure == "match":
            results.draw_bracket(item, seed=request.form.get("seed") or None, account=account)
        else:
            results.draw_blind_numbers(item, seed=request.form.get("seed") or None, account=account)
        flash(_("抽签完成"), "success")
    except UserError as exc:
        flash(exc.message, "error")
    return redirect(url_for("scoring.item_results", item_id=item.id))


@bp.route("/events/<int:event_id>/scoreboard")
@public
def scoreboard(event_id: int):
    event = load_event(event_id)
    require_visible(event)
    return render_template("scoring/scoreboard.html", event=event)


@bp.route("/events/<int:event_id>/scoreboard.json")
@public
def scoreboard_json(event_id: int):
    event = load_event(event_id)
    require_visible(event)
    tally_ = tally.load_tally(event)
    return jsonify(teams=team_rows(tally_), latest=latest_results(tally_))


@bp.route("/events/<int:event_id>/payout", methods=["GET", "POST"])
@permission_required("scoring.payout")
def payout(event_id: int):
    event = load_event(event_id)
    account = require_organizer(event, "scoring.payout")
    if request.method == "POST":
        record = tally.store_payout(event, account=account)
        flash(_("已生成发放表第 %(v)s 版并存档", v=record.version), "success")
        return redirect(url_for("scoring.payout", event_id=event.id))
    live = tally.payout_data(tally.compute_event_payout(event))
    if request.args.get("live"):
        data, version = live, None
    else:
        data, version = sheets.current_data(event)
    return render_template("scoring/payout.html", event=event, data=data, version=version,
                           headers=sheets.headers(), rows=sheets.rows(data),
                           stale=sheets.differences(data, live) if version else None, live_total=live["total"])


@bp.route("/events/<int:event_id>/payout.xlsx")
@permission_required("scoring.payout")
def payout_xlsx(event_id: int):
    event = load_event(event_id)
    require_organizer(event, "scoring.payout")
    data, _version = sheets.current_data(event)
    return workbook_response(f"{event.title}-奖金发放表.xlsx", _("奖金发放表"), sheets.headers(), sheets.rows(data))


@bp.route("/events/<int:event_id>/budget")
@permission_required("scoring.payout")
def budget(event_id: int):
    event = load_event(event_id)
    require_organizer(event, "scoring.payout")
    return render_template("scoring/budget.html", event=event, budget=tally.budget(event))


@bp.route("/events/<int:event_id>/certificates")
@permission_required("scoring.payout")
def certificates(event_id: int):
    event = load_event(event_id)
    require_organizer(event, "scoring.payout")
    return render_template("scoring/certificates.html", event=event, awards=tally.certificates(event))
