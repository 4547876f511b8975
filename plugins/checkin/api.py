"""JSON under ``/api/v1``: scans (idempotent), the offline list for scanners, attendance listings."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.access import can, current_account, permission_required
from core.api.spec import operation
from core.errors import Forbidden, Invalid
from core.services.events import get_event
from core.timeutil import aware_utc, format_time, utcnow
from core.validation import check_datetime
from plugins.checkin import attendance, checkpoints, overrides, scanning, tokens
from plugins.checkin.scanning import ScanResult, scan

bp = Blueprint("api_checkin", __name__, url_prefix="/api/v1")

SCAN_FIELDS = {
    "code": {"type": "string", "maxLength": 200, "description": "扫到或输入的个人签到码"},
    "registration_id": {"type": "integer", "minimum": 1, "description": "按姓名查找后选定的报名（不用签到码时）"},
    "kind": {"type": "string", "enum": ["in", "out"], "default": "in"},
    "scanned_at": {"type": "string", "maxLength": 40, "description": "扫码时间（ISO 8601，离线扫码时填写）"},
    "client_scan_id": {"type": "string", "maxLength": 64, "description": "扫码端生成的唯一编号，重复上传只算一次"},
}
LIST_TOKEN = {"type": "string", "maxLength": 80,
              "description": "离线名单凭证（随离线名单下发）：扫码时间早于下载名单的，按上传时间记录并标记"}
SCAN_SCHEMA = {
    "type": "object",
    "properties": {
        "event_id": {"type": "integer", "minimum": 1},
        "checkpoint": {"type": "string", "maxLength": 40, "description": "签到点代码，默认 main"},
        **SCAN_FIELDS,
        "list_token": LIST_TOKEN,
    },
    "required": ["event_id"],
    "additionalProperties": False,
}
BATCH_SCHEMA = {
    "type": "object",
    "properties": {
        "event_id": {"type": "integer", "minimum": 1},
        "checkpoint": {"type": "string", "maxLength": 40},
        "list_token": LIST_TOKEN,
        "scans": {"type": "array", "maxItems": 1000,
                  "items": {"type": "object", "properties": SCAN_FIELDS, "additionalProperties": False}},
    },
    "required": ["event_id", "scans"],
    "additionalProperties": False,
}
RESULT_SCHEMA = {
    "type": "object",
    "properties": {
        "ok": {"type": "boolean"}, "result": {"type": "string"}, "message": {"type": "string"},
        "kind": {"type": "string"}, "checkpoint": {"type": "string"}, "status": {"type": ["string", "null"]},
        "already": {"type": "boolean"}, "same_scan": {"type": "boolean"}, "at": {"type": ["string", "null"]},
        "at_local": {"type": "string"}, "registration_id": {"type": ["integer", "null"]},
        "name": {"type": "string"}, "unit": {"type": "string"}, "team": {"type": "string"},
        "flag": {"type": "string", "description": "设备时间未被采信的原因（空：采信）"},
    },
    "required": ["ok", "result", "message"],
}


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(_("扫码时间格式不正确"), {"scanned_at": _("格式不正确")}) from None
    if parsed.tzinfo is None:
        raise Invalid(_("扫码时间须带时区"), {"scanned_at": _("须带时区")})
    return aware_utc(check_datetime(parsed, "scanned_at")).replace(tzinfo=None)


def _scanner_checkpoint(event_id: int, key: str | None):
    info = checkpoints.info(event_id, key)
    if not can(current_account(), "checkin.scan", event=info.event_stub()):
        raise Forbidden(_("没有在本活动扫码签到的权限"))
    return info


def _scan_one(info, item: dict, source: str, person=scanning._LOOKUP, token=scanning._LOOKUP,
              list_issued_at=None) -> ScanResult:
    code, registration_id = item.get("code"), item.get("registration_id")
    if (code is None) == (registration_id is None):
        raise Invalid(_("请提供签到码或报名编号（二选一）"), {"code": _("必填")})
    return scan(info, code=code, registration_id=registration_id, kind=item.get("kind", "in"), source=source,
                scanned_at=_when(item.get("scanned_at")), client_scan_id=item.get("client_scan_id"),
                account_id=current_account().id, person=person, token=token, list_issued_at=list_issued_at)


@bp.route("/checkins", methods=["POST"])
@permission_required("checkin.scan")
@operation("扫码签到或签退（幂等：同一人重复扫码只记一次）", body=SCAN_SCHEMA, tags=["checkin"],
           responses={200: RESULT_SCHEMA})
def create_checkin():
    """Answer 200 with the scan's result for every scan read (signed in, already, refused and why)."""
    data = request.get_json()
    code = data.get("code")
    found = tokens.read_personal(code) if code is not None else None
    info, person = scanning.load(data["event_id"], data.get("checkpoint"),
                                 found[0] if found else data.get("registration_id"))
    if not can(current_account(), "checkin.scan", event=info.event_stub()):
        raise Forbidden(_("没有在本活动扫码签到的权限"))
    source = "offline" if data.get("client_scan_id") and data.get("scanned_at") else "door"
    issued = tokens.read_list_token(data["list_token"], info.id) if data.get("list_token") else None
    return jsonify(_scan_one(info, data, source, person, found, issued).to_dict())


@bp.route("/checkins/batch", methods=["POST"])
@permission_required("checkin.scan")
@operation("上传离线扫码记录（按 client_scan_id 去重）", body=BATCH_SCHEMA, tags=["checkin"])
def create_checkins_batch():
    data = request.get_json()
    info = _scanner_checkpoint(data["event_id"], data.get("checkpoint"))
    issued = tokens.read_list_token(data.get("list_token"), info.id)
    results = []
    for item in data["scans"]:
        try:
            results.append(_scan_one(info, item, "offline", list_issued_at=issued).to_dict())
        except Invalid as exc:
            results.append({"ok": False, "result": "invalid", "message": exc.message})
    return jsonify(results=results)


def _iso(value):
    return aware_utc(value).isoformat() if value else None


@bp.route("/events/<int:event_id>/attendance")
@permission_required("checkin.scan")
@operation("签到情况列表", tags=["checkin"], query={"checkpoint": {"type": "string"}})
def attendance_list(event_id: int):
    event = get_event(event_id)
    if not can(current_account(), "checkin.scan", event=event):
        raise Forbidden(_("没有查看本活动签到情况的权限"))
    checkpoint = checkpoints.get(event, request.args.get("checkpoint"))
    people = attendance.attendances(event, checkpoint)
    return jsonify(checkpoint=checkpoint.key, attendance=[{
        "registration_id": p.registration_id, "member_id": p.member_id, "name": p.name, "staff_no": p.staff_no,
        "unit": p.unit, "team": p.team, "status": p.status, "signed_in_at": _iso(p.signed_in_at),
        "signed_in_status": p.signed_in_status, "signed_out_at": _iso(p.signed_out_at),
        "signed_out_status": p.signed_out_status, "excuse": p.excuse,
    } for p in people])


@bp.route("/events/<int:event_id>/checkin-list")
@permission_required("checkin.scan")
@operation("扫码端离线名单（含签到码）", tags=["checkin"], query={"checkpoint": {"type": "string"}})
def scanner_list(event_id: int):
    """What the scanner page keeps to check codes and search names while the network is down."""
    event = get_event(event_id)
    if not can(current_account(), "checkin.scan", event=event):
        raise Forbidden(_("没有在本活动扫码签到的权限"))
    checkpoint = checkpoints.get(event, request.args.get("checkpoint"))
    window = checkpoints.window_of(checkpoint, event)
    expected = attendance.attendances(event, checkpoint)
    states = overrides.token_states([p.registration_id for p in expected])
    people = []
    for p in expected:
        state = states.get(p.registration_id)
        people.append({
            "registration_id": p.registration_id, "name": p.name, "staff_no": p.staff_no, "unit": p.unit,
            "team": p.team, "token": overrides.code_for_state(p.registration_id, state),
            "signed_in_at": _iso(p.signed_in_at), "signed_in_local": format_time(p.signed_in_at, event.timezone),
            "signed_out_at": _iso(p.signed_out_at),
        })
    return jsonify(event_id=event.id, checkpoint=checkpoint.key, name=checkpoint.name, sign_out=checkpoint.sign_out,
                   list_token=tokens.list_token(checkpoint.id, utcnow()),
                   opens_at=_iso(window.opens_at), closes_at=_iso(window.closes_at),
                   late_after=_iso(window.late_after), ends_at=_iso(window.ends_at), people=people)
