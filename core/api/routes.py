"""The core's API endpoints: the OpenAPI document, the caller, events and members."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from core.access import current_account, login_required, managed_unit_ids, permission_required, public
from core.api.spec import build_document, operation
from core.errors import NotFound
from core.models import Event, Member, Unit
from core.services import member_search
from core.services.visibility import visible_events
from core.timeutil import aware_utc
from core.validation import int_arg

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


MEMBERS_PER_PAGE = 100
MEMBERS_PER_PAGE_MAX = 500
MEMBERS_QUERY = {
    "q": {"type": "string", "maxLength": 50, "description": "完整的工号或手机号、姓名的开头（如姓氏）或单位名称中的文字"},
    "page": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1, "default": 1, "description": "页码，从 1 开始"},
    "per_page": {"type": "integer", "minimum": 1, "maximum": MEMBERS_PER_PAGE_MAX, "default": MEMBERS_PER_PAGE,
                 "description": f"每页条数，1–{MEMBERS_PER_PAGE_MAX}，默认 {MEMBERS_PER_PAGE}"},
}
MEMBER_ROW = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "gender": {"type": "string"},
                   "staff_no": {"type": "string"},
                   "unit": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                            "required": ["id", "name"]},
                   "phone": {"type": "string"}, "id_number": {"type": "string"}},
    "required": ["id", "name", "gender", "staff_no", "unit", "phone", "id_number"],
}
MEMBER_PAGE = {
    "type": "object",
    "description": "一页会员，按工号排序；total 为符合条件的会员总数，pages 为总页数；页码超过 pages 时 members 为空",
    "properties": {"members": {"type": "array", "items": MEMBER_ROW},
                   "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
                   "total": {"type": "integer", "minimum": 0}, "pages": {"type": "integer", "minimum": 1}},
    "required": ["members", "page", "per_page", "total", "pages"],
}


@api.route("/members")
@permission_required("members.view")
@operation(f"会员列表，分页（按工号排序，每页至多 {MEMBERS_PER_PAGE_MAX} 条；隐私信息已脱敏）", tags=["members"],
           query=MEMBERS_QUERY, responses={200: MEMBER_PAGE})
def members():
    query = _members_query(request.args.get("q", "").strip())
    page = int_arg("page", 1)
    per_page = int_arg("per_page", MEMBERS_PER_PAGE, high=MEMBERS_PER_PAGE_MAX)
    total = query.count()
    rows = query.paginate(page, per_page) if (page - 1) * per_page < total else []
    return jsonify(members=[
        {"id": m.id, "name": m.name, "gender": m.gender, "staff_no": m.staff_no,
         "unit": {"id": m.unit_id, "name": m.unit.name}, "phone": m.masked_phone, "id_number": m.masked_id}
        for m in rows
    ], page=page, per_page=per_page, total=total, pages=max(1, -(-total // per_page)))


def _members_query(q: str):
    """The members the caller may view, found by ``q`` (:mod:`core.services.member_search`), in
    staff-number order (unique: pages neither repeat nor skip a member)."""
    ids = managed_unit_ids(current_account(), "members.view")
    query = Member.select(Member, Unit).join(Unit).order_by(Member.staff_no)
    if ids is not None:
        query = query.where(Member.unit.in_(ids or [0]))
    if q:
        query = member_search.search(query, q)
    return query
