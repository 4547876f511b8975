"""Scoring's JSON API under ``/api/v1/scoring``: enter results, marks and matches; read standings and payouts."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from core.access import current_account, login_required, permission_required, public
from core.api.spec import OBJECT, operation
from plugins.scoring import changes, panel, points_report, results, tally
from plugins.scoring.guard import (
    is_organizer,
    load_event,
    load_item,
    require_organizer,
    require_scorer,
    require_visible,
)
from plugins.scoring.views_data import standings_data

bp = Blueprint("api_scoring", __name__, url_prefix="/api/v1/scoring")

TEXT_OR_NUMBER = {"type": ["string", "integer", "number", "null"]}
RESULT_BODY = {
    "type": "object",
    "properties": {
        "entrant": {"type": "string", "pattern": "^[mt][0-9]+$", "description": "m<会员ID> 或 t<队伍ID>"},
        "value": TEXT_OR_NUMBER,
        "status": {"type": "string", "enum": ["ok", "foul", "dq", "dns"]},
        "reached_at": TEXT_OR_NUMBER,
        "countback": {"type": "array", "items": {"type": ["string", "integer"]}, "maxItems": 20},
        "note": {"type": "string", "maxLength": 200},
        "version": {"type": "integer", "minimum": 1},
    },
    "required": ["entrant"],
    "additionalProperties": False,
}
MARKS_BODY = {
    "type": "object",
    "properties": {"entrant": {"type": ["string", "integer"]},
                   "marks": {"type": "object", "additionalProperties": TEXT_OR_NUMBER}},
    "required": ["entrant", "marks"],
    "additionalProperties": False,
}
MATCH_BODY = {
    "type": "object",
    "properties": {
        "round": {"type": "integer", "minimum": 1, "maximum": 20},
        "number": {"type": "integer", "minimum": 1, "maximum": 100000},
        "games": {"type": "array", "minItems": 1, "maxItems": 9,
                  "items": {"type": "array", "minItems": 2, "maxItems": 2,
                            "items": {"type": "integer", "minimum": 0, "maximum": 99}}},
        "version": {"type": "integer", "minimum": 1},
    },
    "required": ["round", "number", "games"],
    "additionalProperties": False,
}
DRAW_BODY = {
    "type": "object",
    "properties": {"seed": {"type": "string", "maxLength": 40},
                   "numbers": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1}}},
    "additionalProperties": False,
}
UNLOCK_BODY = {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}},
               "required": ["reason"], "additionalProperties": False}
EMPTY_BODY = {"type": "object", "additionalProperties": False}


def _result_json(result) -> dict:
    return results.result_snapshot(result) | {"id": result.id, "item": result.item_id}


@bp.route("/items/<int:item_id>/results", methods=["POST"])
@permission_required("scoring.enter_results")
@operation("录入或更正一项成绩（带 version 为更正）", body=RESULT_BODY, tags=["scoring"], responses={200: OBJECT, 201: OBJECT})
def enter_result(item_id: int):
    item = load_item(item_id)
    account = require_scorer(item)
    body = request.get_json()
    result = results.enter_result(item, entrant=body["entrant"], value=body.get("value"),
                                  status=body.get("status", "ok"), reached_at=body.get("reached_at"),
                                  countback=body.get("countback") or (), note=body.get("note", ""),
                                  version=body.get("version"), account=account)
    return jsonify(_result_json(result)), 201 if result.version == 1 else 200


@bp.route("/items/<int:item_id>/marks", methods=["POST"])
@permission_required("scoring.enter_results")
@operation("评委为一名参赛者按评分项打分", body=MARKS_BODY, tags=["scoring"])
def enter_marks(item_id: int):
    item = load_item(item_id)
    account = require_scorer(item)
    body = request.get_json()
    mark = panel.enter_marks(item, account, str(body["entrant"]), body["marks"])
    return jsonify(entrant=mark.entrant, marks=mark.marks, score=str(mark.score))


@bp.route("/items/<int:item_id>/marks/submit", methods=["POST"])
@permission_required("scoring.enter_results")
@operation("评委提交本项目的全部评分", tags=["scoring"])
def submit_marks(item_id: int):
    item = load_item(item_id)
    account = require_scorer(item)
    panel.submit_marks(item, account)
    rows = panel.my_deviations(item, account)
    return jsonify(submitted=True, deviations=[{"entrant": label, "mine": str(mine), "panel": str(score),
                                                "difference": str(diff)} for label, mine, score, diff in rows])


@bp.route("/items/<int:item_id>/draw", methods=["POST"])
@permission_required("scoring.publish")
@operation("淘汰赛抽签（seed 可复现，或 numbers 为现场抽得的号码）", body=DRAW_BODY, tags=["scoring"])
def draw(item_id: int):
    item = load_item(item_id)
    account = require_organizer(item.event)
    body = request.get_json()
    config = results.draw_bracket(item, seed=body.get("seed"), numbers=body.get("numbers"), account=account)
    return jsonify(draw=config.draw, seed=config.draw_seed)


@bp.route("/items/<int:item_id>/matches", methods=["POST"])
@permission_required("scoring.enter_results")
@operation("录入或更正一场淘汰赛的各局比分", body=MATCH_BODY, tags=["scoring"])
def enter_match(item_id: int):
    item = load_item(item_id)
    account = require_scorer(item)
    body = request.get_json()
    match = results.enter_match(item, body["round"], body["number"], body["games"], version=body.get("version"),
                                account=account)
    return jsonify(round=match.round, number=match.number, games=match.games, version=match.version)


@bp.route("/items/<int:item_id>/publish", methods=["POST"])
@permission_required("scoring.publish")
@operation("发布并锁定本项目成绩", tags=["scoring"])
def publish(item_id: int):
    item = load_item(item_id)
    config = results.publish_item(item, account=require_organizer(item.event))
    return jsonify(state=config.state)


@bp.route("/items/<int:item_id>/unlock", methods=["POST"])
@permission_required("scoring.publish")
@operation("解锁已发布的成绩（必须填写原因）", body=UNLOCK_BODY, tags=["scoring"])
def unlock(item_id: int):
    item = load_item(item_id)
    config = results.unlock_item(item, request.get_json()["reason"], account=require_organizer(item.event))
    return jsonify(state=config.state)


@bp.route("/events/<int:event_id>/standings")
@public
@operation("活动成绩：各项目名次与积分、团体总分与排名", tags=["scoring"])
def standings(event_id: int):
    event = load_event(event_id)
    require_visible(event)
    organizer = is_organizer(current_account(), event)
    return jsonify(standings_data(tally.load_tally(event), organizer=organizer))


@bp.route("/points")
@login_required
@operation("工会活动积分：各单位本年度（或 year 指定年度）的积分、名次和得分来源活动", tags=["scoring"])
def points():
    year = points_report.asked_year()
    rows = points_report.rows(year, points_report.asked_unit())
    return jsonify(year=year, units=[row | {"events": [{"event": e, "points": p} for e, p in row["events"]]}
                                     for row in rows])


@bp.route("/items/<int:item_id>/changes")
@permission_required("scoring.publish")
@operation("本项目的成绩更正记录（更正成绩、比分，解锁与发布），新的在前", tags=["scoring"])
def item_changes(item_id: int):
    item = load_item(item_id)
    require_organizer(item.event, "scoring.publish")
    rows = changes.changes([item], tally.load_tally(item.event_id).names)
    return jsonify(changes=[row | {"at": row["at"].isoformat() + "Z"} for row in rows])


@bp.route("/events/<int:event_id>/changes")
@permission_required("scoring.publish")
@operation("全部项目的成绩更正记录，新的在前", tags=["scoring"])
def event_changes(event_id: int):
    event = load_event(event_id)
    require_organizer(event, "scoring.publish")
    return jsonify(changes=[row | {"at": row["at"].isoformat() + "Z"} for row in changes.event_changes(event)])


@bp.route("/events/<int:event_id>/payouts")
@permission_required("scoring.payout")
@operation("奖金发放表（实时计算）", tags=["scoring"])
def payouts(event_id: int):
    event = load_event(event_id)
    require_organizer(event, "scoring.payout")
    return jsonify(tally.payout_data(tally.compute_event_payout(event)))


@bp.route("/events/<int:event_id>/payouts", methods=["POST"])
@permission_required("scoring.payout")
@operation("生成并存档奖金发放表（新版本）", tags=["scoring"], responses={201: OBJECT})
def store_payouts(event_id: int):
    event = load_event(event_id)
    record = tally.store_payout(event, account=require_organizer(event, "scoring.payout"))
    return jsonify(record.data | {"version": record.version}), 201
