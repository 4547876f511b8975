"""Registrations under ``/api/v1``: register (oneself, or a member as his department head), withdraw,
an event's list and "mine", with the same rules and messages as the pages.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.access import current_account, login_required, managed_unit_ids, permission_required
from core.api.spec import operation
from core.errors import Forbidden, Invalid, NotFound
from core.models import Event, Registration, Team
from core.money import yuan
from core.services import events as event_service
from core.services import registrations as service
from core.services.visibility import can_view_event
from core.timeutil import aware_utc

bp = Blueprint("api_registrations", __name__, url_prefix="/api/v1")

GUEST = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 50},
        "relation": {"type": "string", "maxLength": 20},
        "gender": {"enum": ["M", "F", ""]},
        "is_child": {"type": "boolean"},
    },
    "required": ["name"],
    "additionalProperties": False,
}
REGISTER = {
    "type": "object",
    "properties": {
        "member_id": {"type": "integer", "minimum": 1},
        "items": {"type": "array", "items": {"type": "integer"}, "maxItems": 50},
        "team_id": {"type": ["integer", "null"]},
        "guests": {"type": "array", "items": GUEST, "maxItems": 20},
        "extra": {"type": "object"},
        "reason": {"type": "string", "maxLength": 500},
    },
    "additionalProperties": False,
}
WITHDRAW = {"type": "object", "properties": {"reason": {"type": "string", "maxLength": 500}},
            "additionalProperties": False}
REGISTRATION = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "event_id": {"type": "integer"}, "status": {"type": "string"},
        "waitlist_rank": {"type": ["integer", "null"]}, "items": {"type": "array"}, "guests": {"type": "array"},
        "fee_total": {"type": "string"}, "member_share": {"type": "string"}, "union_share": {"type": "string"},
        "payment_status": {"type": "string"},
    },
}


def _money(value) -> str:
    return str(yuan(value or 0))


def _iso(value):
    return aware_utc(value).isoformat() if value else None


def registration_json(reg: Registration, entries=None, guests=None) -> dict:
    entries = entries if entries is not None else service.entries_by_registration([reg]).get(reg.id, [])
    guests = guests if guests is not None else list(reg.guests)
    return {
        "id": reg.id,
        "event_id": reg.event_id,
        "member": {"id": reg.member_id, "name": reg.member.name, "staff_no": reg.member.staff_no,
                   "unit": reg.member.unit.name, "gender": reg.member.gender},
        "team": {"id": reg.team_id, "name": reg.team.name} if reg.team_id else None,
        "status": reg.status,
        "waitlist_rank": service.waitlist_rank(reg),
        "items": [{"id": i.id, "name": i.name} for i in entries],
        "guests": [{"name": g.name, "relation": g.relation, "is_child": g.is_child, "fee": _money(g.fee),
                    "member_share": _money(g.member_share), "union_share": _money(g.union_share)} for g in guests],
        "fee_total": _money(reg.fee_total),
        "member_share": _money(reg.member_share),
        "union_share": _money(reg.union_share),
        "payment_status": reg.payment_status,
        "created_at": _iso(reg.created_at),
    }


def _event(event_id: int) -> Event:
    event = event_service.get_event(event_id)
    if not can_view_event(current_account(), event):
        raise NotFound(_("找不到该活动"))
    return event


@bp.route("/events/<int:event_id>/registrations", methods=["POST"])
@login_required
@operation("报名（本人，或部门负责人代会员报名）", body=REGISTER, responses={200: REGISTRATION, 201: REGISTRATION},
           tags=["registrations"])
def register(event_id: int):
    event = _event(event_id)
    account = current_account()
    body = request.get_json()
    member_id = body.get("member_id") or account.member_id
    if not member_id:
        raise Invalid(_("你的账号没有关联会员，请指定 member_id"))
    member = service.member_by_id(member_id)
    team = None
    if body.get("team_id"):
        team = Team.get_or_none(Team.id == body["team_id"], Team.event == event)
        if team is None:
            raise Invalid(_("所选队伍无效"))
    guests = None
    if "guests" in body:
        guests = [service.GuestData(name=g["name"], relation=g.get("relation", ""), gender=g.get("gender", ""),
                                    is_child=g.get("is_child", False)) for g in body["guests"]]
    req = service.Request(member=member, items=body.get("items", []), team=team, guests=guests,
                          extra=body.get("extra", {}))
    existed = Registration.select().where(Registration.event == event, Registration.member == member,
                                          Registration.status != "withdrawn").exists()
    reg = service.register(event, req, account=account, reason=body.get("reason", ""))
    reg = Registration.get_by_id(reg.id)
    response = jsonify(registration_json(reg))
    response.status_code = 200 if existed else 201
    return response


@bp.route("/registrations/<int:registration_id>/withdraw", methods=["POST"])
@login_required
@operation("退出报名（空位按候补顺序递补）", body=WITHDRAW, tags=["registrations"])
def withdraw(registration_id: int):
    reg = Registration.get_or_none(Registration.id == registration_id)
    if reg is None or not can_view_event(current_account(), reg.event):
        raise NotFound(_("找不到该报名"))
    promoted = service.withdraw(reg, account=current_account(), reason=request.get_json().get("reason", ""))
    return jsonify(registration=registration_json(Registration.get_by_id(reg.id)),
                   promoted=[p.id for p in promoted])


@bp.route("/events/<int:event_id>/registrations")
@permission_required("registrations.manage")
@operation("活动的报名名单（组织者看全部，部门负责人看本部门）", tags=["registrations"],
           query={"status": {"type": "string", "enum": ["active", "waitlisted", "withdrawn"]}})
def event_list(event_id: int):
    event = _event(event_id)
    account = current_account()
    organizer = service.may_manage(account, event)
    unit_ids = None if organizer else managed_unit_ids(account, "registrations.manage")
    if not organizer and (unit_ids == [] or not service.heads_within(account, event)):
        raise Forbidden(_("没有权限查看该活动的报名"))
    status = request.args.get("status")
    query = service.event_registrations(event, unit_ids=unit_ids, include_withdrawn=status == "withdrawn")
    if status:
        query = query.where(Registration.status == status)
    regs = list(query)
    entries, guests = service.entries_by_registration(regs), service.guests_by_registration(regs)
    return jsonify(registrations=[registration_json(r, entries.get(r.id, []), guests.get(r.id, [])) for r in regs])


@bp.route("/registrations/mine")
@login_required
@operation("我的报名", tags=["registrations"])
def mine():
    account = current_account()
    regs = []
    if account.member_id:
        regs = list(Registration.select().where(Registration.member == account.member_id)
                    .order_by(Registration.created_at.desc()))
    entries, guests = service.entries_by_registration(regs), service.guests_by_registration(regs)
    return jsonify(registrations=[registration_json(r, entries.get(r.id, []), guests.get(r.id, [])) for r in regs])
