"""The core's API endpoints: the OpenAPI document, the caller, events and members."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from core.access import current_account, login_required, managed_unit_ids, permission_required, public
from core.api.spec import build_document, operation
from core.errors import NotFound
from core.models import Event, Member, Unit
from core.services.visibility import visible_events
from core.timeutil import aware_utc

api = Blueprint("api", __name__, url_prefix="/api/v1")


def iso(value):
    return aware_utc(value).isoformat() if value else None


def event_json(event: Event) -> dict:
    return {
        "id": event.id,
        "title": event.title,
        "activity_type": event.activity_type,
        "preset": event.preset,
        "status": event.status,
        "unit": {"id": event.unit_id, "name": event.unit.name},
        "venue": event.venue,
        "timezone": event.timezone,
        "starts_at": iso(event.starts_at),
        "ends_at": iso(event.ends_at),
        "all_day": event.all_day,
        "registration_opens_at": iso(event.registration_opens_at),
        "registration_closes_at": iso(event.registration_closes_at),
        "capacity": event.capacity,
        "fee": str(event.fee),
    }


@api.route("/openapi.json")
@public
@operation("本接口文档（OpenAPI 3）", tags=["meta"])
def openapi():
    return jsonify(build_document())


@api.route("/me")
@login_required
@operation("当前账号", tags=["accounts"])
def me():
    account = current_account()
    return jsonify(id=account.id, username=account.username, display_name=account.display_name,
                   member_id=account.member_id, language=account.language)


@api.route("/events")
@public
@operation("活动列表", tags=["events"], query={"status": {"type": "string"}})
def events():
    query = visible_events(current_account()).order_by(Event.starts_at)
    status = request.args.get("status")
    if status:
        query = query.where(Event.status == status)
    return jsonify(events=[event_json(e) for e in query.limit(500)])


@api.route("/events/<int:event_id>")
@public
@operation("活动详情", tags=["events"])
def event_detail(event_id: int):
    event = visible_events(current_account()).where(Event.id == event_id).first()
    if event is None:
        raise NotFound("找不到该活动")
    return jsonify(event_json(event))


@api.route("/members")
@permission_required("members.view")
@operation("会员列表（隐私信息已脱敏）", tags=["members"], query={"q": {"type": "string"}})
def members():
    ids = managed_unit_ids(current_account(), "members.view")
    query = Member.select(Member, Unit).join(Unit).order_by(Member.staff_no)
    if ids is not None:
        query = query.where(Member.unit.in_(ids or [0]))
    q = request.args.get("q", "").strip()
    if q:
        query = query.where(Member.name.contains(q) | (Member.staff_no == q))
    return jsonify(members=[
        {"id": m.id, "name": m.name, "gender": m.gender, "staff_no": m.staff_no,
         "unit": {"id": m.unit_id, "name": m.unit.name}, "phone": m.masked_phone, "id_number": m.masked_id}
        for m in query.limit(1000)
    ])
