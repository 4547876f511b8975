"""The sports day's JSON API under ``/api/v1/sports``: the running order with its clashes, items (add
one, change its time, place, points or prizes) and referees proposed by captains."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.access import current_account, login_required, permission_required, public
from core.api.spec import OBJECT, operation
from core.errors import Forbidden, Invalid, NotFound
from core.models import Item, Member
from core.services import registrations as reg_service
from core.timeutil import aware_utc
from core.validation import check_datetime
from plugins.sports_day import items as item_service
from plugins.sports_day import referees as referee_service
from plugins.sports_day import schedule
from plugins.sports_day.views import load_event

bp = Blueprint("api_sports_day", __name__, url_prefix="/api/v1/sports")

COUNT = {"type": ["integer", "null"], "minimum": 0, "maximum": 10000}
TABLE = {"type": ["array", "string"], "items": {"type": ["string", "integer"]}, "maxItems": 50}
TIME = {"type": ["string", "null"], "format": "date-time", "description": "ISO 8601 带时区，或当地时间"}
ITEM_BODY = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "kind": {"enum": ["individual", "team"]},
        "starred": {"type": "boolean"},
        "group": {"type": "string", "maxLength": 40},
        "per_team": COUNT, "team_size_min": COUNT, "team_size_max": COUNT, "min_women": COUNT, "capacity": COUNT,
        "starts_at": TIME, "ends_at": TIME,
        "place": {"type": "string", "maxLength": 100},
        "rule": {"type": "string", "maxLength": 500},
        "measure": {"enum": ["time", "count", "distance", "marks", "match", "place"]},
        "unit_label": {"type": "string", "maxLength": 20},
        "tie_rule": {"enum": ["share", "share_split", "first_to_reach", "countback"]},
        "points": TABLE, "prizes": TABLE, "team_points": TABLE,
        "game_rule": {"enum": ["", "table_tennis", "badminton"]},
    },
    "additionalProperties": False,
}
REFEREE_BODY = {
    "type": "object",
    "properties": {"item": {"type": "integer", "minimum": 1}, "member": {"type": "integer", "minimum": 1}},
    "required": ["item", "member"],
    "additionalProperties": False,
}


def _time(value, event, name: str):
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(_("时间格式应为 ISO 8601，如 2024-04-28T08:30:00+08:00"), {name: value}) from None
    from core.timeutil import from_local

    return from_local(check_datetime(moment, name), event.timezone)


def _item_data(body: dict, event) -> dict:
    data = dict(body)
    for key in ("starts_at", "ends_at"):
        if key in data:
            data[key] = _time(data[key], event, key)
    if "team_points" in data:
        data["team_points"] = item_service.parse_table(data["team_points"], _("集体名次积分表"))
    return data


def _iso(value):
    return aware_utc(value).isoformat() if value else None


def _item_json(item: Item) -> dict:
    snap = item_service.snapshot(item)
    snap["starts_at"], snap["ends_at"] = _iso(item.starts_at), _iso(item.ends_at)
    return {"id": item.id, "event": item.event_id} | snap


@bp.route("/events/<int:event_id>/schedule")
@public
@operation("秩序册：按时间排列的项目、地点、参赛人数和裁判，以及报项时间冲突", tags=["sports"])
def running_order(event_id: int):
    event = load_event(event_id)
    account = current_account()
    manage = reg_service.may_manage(account, event) or bool(referee_service.proposing_teams(account, event))
    if manage:
        found = schedule.clashes(event)
    elif account is not None and account.member_id:
        found = schedule.clashes(event, account.member)
    else:
        found = []
    return jsonify(
        event=event.id, sign_in=schedule.sign_in_time(event),
        items=[{"id": s.item.id, "name": s.item.name, "start": s.start, "end": s.end,
                "starts_at": _iso(s.item.starts_at), "ends_at": _iso(s.item.ends_at), "place": s.place,
                "rule": s.rule, "entrants": s.entrants, "referees": s.referees} for s in schedule.running_order(event)],
        clashes=[{"member": c.member.id, "name": c.member.name, "items": [c.first.id, c.second.id],
                  "message": c.message} for c in found],
        warnings=schedule.repeats(event) if manage else [])


@bp.route("/events/<int:event_id>/items", methods=["POST"])
@permission_required("events.manage")
@operation("添加项目（规则、时间、地点、计分方式、积分表和奖金表）", body=ITEM_BODY | {"required": ["name"]},
           tags=["sports"], responses={201: OBJECT})
def add_item(event_id: int):
    event = load_event(event_id)
    if not reg_service.may_manage(current_account(), event):
        raise Forbidden(_("只有本活动的组织者可以修改项目"))
    item = item_service.save_item(event, _item_data(request.get_json(), event), account=current_account())
    return jsonify(_item_json(item)), 201


@bp.route("/items/<int:item_id>", methods=["PATCH"])
@permission_required("events.manage")
@operation("修改项目：只改给出的字段（如积分表、奖金表、时间、地点）", body=ITEM_BODY, tags=["sports"])
def change_item(item_id: int):
    item = Item.get_or_none(Item.id == item_id)
    if item is None:
        raise NotFound(_("找不到该项目"))
    event = load_event(item.event_id)
    if not reg_service.may_manage(current_account(), event):
        raise Forbidden(_("只有本活动的组织者可以修改项目"))
    item = item_service.save_item(event, _item_data(request.get_json(), event), item=item, account=current_account())
    return jsonify(_item_json(item))


@bp.route("/events/<int:event_id>/referees", methods=["POST"])
@login_required
@operation("推荐裁判（队长推荐本队未参加该项目的职工；组织者可推荐任何人）", body=REFEREE_BODY, tags=["sports"], responses={201: OBJECT})
def propose_referee(event_id: int):
    event = load_event(event_id)
    body = request.get_json()
    item = Item.get_or_none(Item.id == body["item"], Item.event == event.id)
    member = Member.get_or_none(Member.id == body["member"])
    if item is None or member is None:
        raise NotFound(_("找不到该项目或该职工"))
    referee = referee_service.propose(event, item, member, account=current_account())
    return jsonify(id=referee.id, item=item.id, member=member.id, name=member.name), 201
