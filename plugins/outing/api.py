"""The outing's JSON API under ``/api/v1/outing``: itinerary, vehicles and seats, rooms, costs,
safety acknowledgement and roll call."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.access import current_account, login_required, permission_required
from core.api.spec import OBJECT, operation
from core.errors import Forbidden, Invalid
from core.money import yuan
from core.timeutil import aware_utc, from_local
from core.validation import check_datetime
from plugins.outing import costs, itinerary, roll_call, rooms, safety, transport
from plugins.outing.guard import load_outing, require_manage, require_roll_call

bp = Blueprint("api_outing", __name__, url_prefix="/api/v1/outing")

LOCAL_TIME = {"type": "string", "description": "北京时间，如 2024-03-23T08:15", "maxLength": 25}
STOP = {
    "type": "object",
    "properties": {"starts_at": LOCAL_TIME, "ends_at": {"type": ["string", "null"], "maxLength": 25},
                   "title": {"type": "string", "minLength": 1, "maxLength": 100},
                   "place": {"type": "string", "maxLength": 200}, "note": {"type": "string", "maxLength": 2000},
                   "gathering": {"type": "boolean"}},
    "additionalProperties": False,
}
VEHICLE = {
    "type": "object",
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 60},
                   "seats": {"type": "integer", "minimum": 1, "maximum": 100}, "departs_at": LOCAL_TIME,
                   "place": {"type": "string", "maxLength": 200}, "dispatcher": {"type": "string", "maxLength": 100},
                   "note": {"type": "string", "maxLength": 200}},
    "required": ["name", "seats", "departs_at"],
    "additionalProperties": False,
}
SEAT = {
    "type": "object",
    "properties": {"person": {"type": "string", "pattern": "^[rg][0-9]+$", "description": "r<报名ID> 或 g<家属ID>"},
                   "vehicle_id": {"type": "integer", "minimum": 1},
                   "number": {"type": ["integer", "null"], "minimum": 1}},
    "required": ["person", "vehicle_id"],
    "additionalProperties": False,
}
BED = {
    "type": "object",
    "properties": {"person": {"type": "string", "pattern": "^[rg][0-9]+$"}, "room_id": {"type": "integer"}},
    "required": ["person", "room_id"],
    "additionalProperties": False,
}
ROOM = {
    "type": "object",
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 60},
                   "beds": {"type": "integer", "minimum": 1, "maximum": 10}, "gender": {"enum": ["", "M", "F"]}},
    "required": ["name"],
    "additionalProperties": False,
}
ACTUAL = {"type": "object", "properties": {"actual": {"type": ["string", "null"], "maxLength": 20}},
          "required": ["actual"], "additionalProperties": False}
PERSON = {"type": "object", "properties": {"person": {"type": "string", "pattern": "^[rg][0-9]+$"}},
          "required": ["person"], "additionalProperties": False}
EMPTY = {"type": "object", "additionalProperties": False}


def _local(value, name: str, tz: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise Invalid(_("时间格式不正确，如 2024-03-23T08:15"), {name: _("格式不正确")}) from None
    return from_local(check_datetime(moment, name), tz)


def _iso(value):
    return aware_utc(value).isoformat() if value else None


def _money(value):
    return None if value is None else str(yuan(value))


def stop_json(stop) -> dict:
    return {"id": stop.id, "key": stop.key, "starts_at": _iso(stop.starts_at), "ends_at": _iso(stop.ends_at),
            "title": stop.title, "place": stop.place, "note": stop.note, "gathering": stop.gathering}


def person_json(p) -> dict:
    return {"key": p.key, "name": p.name, "gender": p.gender, "unit": p.unit, "kind": p.kind, "cost": str(p.cost),
            "own": str(p.own), "union": str(p.union), "payment_status": p.payment_status}


def _stop_data(body: dict, tz: str) -> dict:
    data = {k: v for k, v in body.items() if k in ("title", "place", "note", "gathering")}
    for name in ("starts_at", "ends_at"):
        if name in body:
            data[name] = _local(body[name], name, tz)
    return data


@bp.route("/events/<int:event_id>")
@login_required
@operation("户外活动概况：行程、车辆、集合点", tags=["outing"])
def overview(event_id: int):
    event = load_outing(event_id)
    return jsonify({"event_id": event.id, "stops": [stop_json(s) for s in itinerary.stops(event)],
                    "vehicles": [{"id": v.id, "name": v.name, "seats": v.seats, "departs_at": _iso(v.departs_at),
                                  "place": v.place, "dispatcher": v.dispatcher,
                                  "taken": len(transport.taken_numbers(v))} for v in transport.vehicles(event)],
                    "notice": safety.notice_text(event)})


@bp.route("/events/<int:event_id>/stops", methods=["POST"])
@permission_required("events.manage")
@operation("新增行程", body=STOP, tags=["outing"], responses={201: OBJECT})
def add_stop(event_id: int):
    event = load_outing(event_id)
    stop = itinerary.add_stop(event, _stop_data(request.get_json(), event.timezone), account=require_manage(event))
    return jsonify(stop_json(stop)), 201


@bp.route("/events/<int:event_id>/stops/<int:stop_id>", methods=["POST"])
@permission_required("events.manage")
@operation("修改行程（报名者在活动页和日历中看到变更）", body=STOP, tags=["outing"])
def update_stop(event_id: int, stop_id: int):
    event = load_outing(event_id)
    account = require_manage(event)
    stop = itinerary.update_stop(itinerary.get_stop(event, stop_id), _stop_data(request.get_json(), event.timezone),
                                 account=account)
    return jsonify(stop_json(stop))


@bp.route("/events/<int:event_id>/vehicles", methods=["POST"])
@permission_required("events.manage")
@operation("新增车辆（一班发车）", body=VEHICLE, tags=["outing"], responses={201: OBJECT})
def add_vehicle(event_id: int):
    event = load_outing(event_id)
    body = request.get_json()
    vehicle = transport.add_vehicle(event, name=body["name"], seats=body["seats"],
                                    departs_at=_local(body["departs_at"], "departs_at", event.timezone),
                                    place=body.get("place", ""), dispatcher=body.get("dispatcher", ""),
                                    note=body.get("note", ""), account=require_manage(event))
    return jsonify({"id": vehicle.id, "name": vehicle.name, "seats": vehicle.seats}), 201


@bp.route("/events/<int:event_id>/seats", methods=["POST"])
@permission_required("events.manage")
@operation("安排座位（不填座位号取最小空位）", body=SEAT, tags=["outing"], responses={201: OBJECT})
def assign_seat(event_id: int):
    event = load_outing(event_id)
    account = require_manage(event)
    body = request.get_json()
    seat = transport.assign(event, body["person"], transport.get_vehicle(event, body["vehicle_id"]),
                            body.get("number"), account=account)
    return jsonify({"person": seat.person, "vehicle_id": seat.vehicle_id, "number": seat.number}), 201


@bp.route("/events/<int:event_id>/seats/auto", methods=["POST"])
@permission_required("events.manage")
@operation("自动安排座位（家庭同车，部门相邻）", body=EMPTY, tags=["outing"])
def auto_seats(event_id: int):
    event = load_outing(event_id)
    result = transport.auto_assign(event, account=require_manage(event))
    return jsonify({"seated": result.seated, "unplaced": result.unplaced})


@bp.route("/events/<int:event_id>/vehicles/<int:vehicle_id>/passengers")
@permission_required("events.manage")
@operation("车辆乘客名单", tags=["outing"])
def passengers(event_id: int, vehicle_id: int):
    event = load_outing(event_id)
    require_manage(event)
    vehicle = transport.get_vehicle(event, vehicle_id)
    return jsonify({"vehicle": vehicle.name, "seats": vehicle.seats,
                    "passengers": [{"number": p.number} | person_json(p.person)
                                   for p in transport.passengers(vehicle)]})


@bp.route("/events/<int:event_id>/rooms", methods=["POST"])
@permission_required("events.manage")
@operation("新增房间", body=ROOM, tags=["outing"], responses={201: OBJECT})
def add_room(event_id: int):
    event = load_outing(event_id)
    body = request.get_json()
    room = rooms.add_room(event, name=body["name"], beds=body.get("beds", 2), gender=body.get("gender", ""),
                          account=require_manage(event))
    return jsonify({"id": room.id, "name": room.name, "beds": room.beds, "gender": room.gender}), 201


@bp.route("/events/<int:event_id>/rooms/auto", methods=["POST"])
@permission_required("events.manage")
@operation("自动分房（同性双人间，家庭同住，尊重同住意向）", body=EMPTY, tags=["outing"])
def auto_rooms(event_id: int):
    event = load_outing(event_id)
    result = rooms.auto_assign(event, account=require_manage(event))
    return jsonify({"placed": result.placed, "rooms": result.rooms})


@bp.route("/events/<int:event_id>/beds", methods=["POST"])
@permission_required("events.manage")
@operation("调整住宿", body=BED, tags=["outing"], responses={201: OBJECT})
def assign_bed(event_id: int):
    event = load_outing(event_id)
    account = require_manage(event)
    body = request.get_json()
    bed = rooms.assign(event, body["person"], rooms.get_room(event, body["room_id"]), account=account)
    return jsonify({"person": bed.person, "room_id": bed.room_id, "number": bed.number}), 201


@bp.route("/events/<int:event_id>/rooms")
@permission_required("events.manage")
@operation("住宿名单", tags=["outing"])
def room_list(event_id: int):
    event = load_outing(event_id)
    require_manage(event)
    return jsonify({"rooms": [{"id": r.room.id, "name": r.room.name, "gender": r.room.gender,
                               "people": [person_json(p) for p in r.people]} for r in rooms.room_list(event)]})


@bp.route("/events/<int:event_id>/costs")
@permission_required("events.manage")
@operation("费用：每人费用、个人与工会承担、预算与实际、退费", tags=["outing"])
def cost_report(event_id: int):
    event = load_outing(event_id)
    require_manage(event)
    from plugins.outing import people

    total = costs.totals(event)
    return jsonify({
        "people": [person_json(p) for p in people.participants(event)],
        "totals": {"people": total.people, "cost": str(total.cost), "own": str(total.own), "union": str(total.union),
                   "union_lump": str(total.union_lump), "union_total": str(total.union_total),
                   "budget": str(total.budget), "actual": str(total.actual), "refunded": str(total.refunded)},
        "items": [{"id": line.item.id, "name": line.item.name, "category": line.item.category,
                   "payer": line.item.payer, "per_person": _money(line.item.per_person), "count": line.count,
                   "budget": str(line.budget), "actual": _money(line.actual),
                   "difference": _money(line.difference)} for line in costs.budget_lines(event)],
        "refunds": [{"registration_id": r.registration_id, "amount": _money(r.amount), "note": r.note}
                    for r in costs.refunds(event)],
    })


@bp.route("/events/<int:event_id>/costs/<int:item_id>", methods=["POST"])
@permission_required("events.manage")
@operation("登记费用项目实际支出", body=ACTUAL, tags=["outing"])
def set_actual(event_id: int, item_id: int):
    event = load_outing(event_id)
    item = costs.set_actual(costs.get_item(event, item_id), request.get_json()["actual"],
                            account=require_manage(event))
    return jsonify({"id": item.id, "actual": _money(item.actual)})


@bp.route("/events/<int:event_id>/acknowledge", methods=["POST"])
@login_required
@operation("确认已阅读安全告知", body=EMPTY, tags=["outing"])
def acknowledge(event_id: int):
    event = load_outing(event_id)
    account = current_account()
    if not account.member_id:
        raise Forbidden(_("你的账号没有关联会员"))
    ack = safety.acknowledge(event, account.member_id)
    return jsonify({"acknowledged_at": _iso(ack.at)})


@bp.route("/events/<int:event_id>/stops/<int:stop_id>/roll-call", methods=["POST"])
@login_required
@operation("集合点名：某人已到（记为该报名在此集合点的签到，家属随报名人）", body=PERSON, tags=["outing"])
def mark_present(event_id: int, stop_id: int):
    event = load_outing(event_id)
    account = require_roll_call(event)
    person = request.get_json()["person"]
    answer = roll_call.mark(itinerary.get_stop(event, stop_id), person, account=account)
    return jsonify({"person": person, "registration_id": answer.registration_id, "status": answer.status,
                    "at": answer.at, "already": answer.already})


@bp.route("/events/<int:event_id>/stops/<int:stop_id>/missing")
@login_required
@operation("集合点未到人员（可按车辆）", query={"vehicle_id": {"type": "integer"}}, tags=["outing"])
def missing(event_id: int, stop_id: int):
    event = load_outing(event_id)
    require_roll_call(event)
    vehicle_id = request.args.get("vehicle_id", type=int)
    vehicle = transport.get_vehicle(event, vehicle_id) if vehicle_id else None
    result = roll_call.missing(itinerary.get_stop(event, stop_id), vehicle)
    return jsonify({"stop": result.stop.title, "checkpoint": result.stop.key,
                    "vehicle": vehicle.name if vehicle else None, "expected": result.expected,
                    "present": result.present, "missing": [person_json(p) for p in result.missing],
                    "excused": [person_json(p) for p in result.excused]})
