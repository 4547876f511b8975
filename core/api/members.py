"""Members through the API: one at a time (create, read, change) and the whole roster from xlsx.

The same checks as the members page: :mod:`core.services.members` for one member,
:mod:`core.services.member_import` for a file.
"""

from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _

from core.access import can, current_account, permission_required, require
from core.api.routes import api
from core.api.spec import operation
from core.errors import Invalid, NotFound
from core.models import Member, Unit
from core.services import member_import
from core.services import members as member_service

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
MEMBER_FIELDS = {
    "name": {"type": "string", "minLength": 1, "maxLength": 50, "description": "姓名"},
    "gender": {"type": "string", "enum": ["M", "F"], "description": "性别：M 男，F 女"},
    "staff_no": {"type": "string", "minLength": 1, "maxLength": 40, "description": "工号"},
    "unit_id": {"type": "integer", "minimum": 1, "description": "所在单位"},
    "phone": {"type": "string", "maxLength": 20, "description": "手机号；空字符串表示清除"},
    "id_number": {"type": "string", "maxLength": 18, "description": "身份证号；空字符串表示清除"},
    "job": {"type": "string", "maxLength": 50, "description": "岗位"},
    "dues_paid_until": {"type": "string", "pattern": DATE_PATTERN, "description": "会费缴至，如 2024-12-31"},
}
CREATE_MEMBER = {"type": "object", "properties": MEMBER_FIELDS, "additionalProperties": False,
                 "required": ["name", "gender", "staff_no", "unit_id"]}
CHANGE_MEMBER = {"type": "object", "properties": MEMBER_FIELDS, "additionalProperties": False, "minProperties": 1}
MEMBER = {
    "type": "object",
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "gender": {"type": "string"},
                   "staff_no": {"type": "string"}, "unit": {"type": "object"}, "phone": {"type": "string"},
                   "id_number": {"type": "string"}, "job": {"type": "string"},
                   "dues_paid_until": {"type": "string", "nullable": True}},
    "required": ["id", "name", "staff_no"],
}
IMPORT_RESULT = {
    "type": "object",
    "properties": {"rows": {"type": "integer"}, "added": {"type": "integer"}, "updated": {"type": "integer"},
                   "unchanged": {"type": "integer"}, "dry_run": {"type": "boolean"}},
    "required": ["rows", "added", "updated", "unchanged", "dry_run"],
}


def member_json(member: Member, show_private: bool) -> dict:
    return {
        "id": member.id, "name": member.name, "gender": member.gender, "staff_no": member.staff_no,
        "unit": {"id": member.unit_id, "name": member.unit.name},
        "phone": (member.phone if show_private else member.masked_phone) or "",
        "id_number": (member.id_number if show_private else member.masked_id) or "",
        "job": member.job,
        "dues_paid_until": member.dues_paid_until.isoformat() if member.dues_paid_until else None,
    }


def _member_data(body: dict) -> dict:
    """The request body in the shape :func:`core.services.members.save_member` takes."""
    data = {k: v for k, v in body.items() if k not in ("unit_id", "dues_paid_until")}
    if "unit_id" in body:
        unit = Unit.get_or_none(Unit.id == body["unit_id"])
        if unit is None:
            raise Invalid(_("找不到该单位"), {"unit_id": _("找不到该单位")})
        require("members.manage", unit=unit)
        data["unit"] = unit
    if "dues_paid_until" in body:
        try:
            data["dues_paid_until"] = date.fromisoformat(body["dues_paid_until"])
        except ValueError:
            raise Invalid(_("会费缴至日期无效"), {"dues_paid_until": _("日期无效")}) from None
    return data


def _get_member(member_id: int) -> Member:
    member = Member.select(Member, Unit).join(Unit).where(Member.id == member_id).first()
    if member is None:
        raise NotFound(_("找不到该会员"))
    return member


@api.route("/members", methods=["POST"])
@permission_required("members.manage")
@operation("添加会员", tags=["members"], body=CREATE_MEMBER, responses={201: MEMBER})
def create_member():
    account = current_account()
    data = _member_data(request.get_json())
    member = member_service.save_member(None, data, account=account)
    response = jsonify(member_json(_get_member(member.id), can(account, "members.private")))
    response.status_code = 201
    return response


@api.route("/members/<int:member_id>", methods=["GET"])
@permission_required("members.view")
@operation("会员详情（无隐私权限时脱敏）", tags=["members"], responses={200: MEMBER})
def member_detail(member_id: int):
    account = current_account()
    member = _get_member(member_id)
    require("members.view", unit=member.unit)
    return jsonify(member_json(member, can(account, "members.private", unit=member.unit)))


@api.route("/members/<int:member_id>", methods=["PATCH"])
@permission_required("members.manage")
@operation("修改会员（只改提交的字段）", tags=["members"], body=CHANGE_MEMBER, responses={200: MEMBER})
def change_member(member_id: int):
    account = current_account()
    member = _get_member(member_id)
    require("members.manage", unit=member.unit)
    current = {"name": member.name, "gender": member.gender, "staff_no": member.staff_no, "unit": member.unit,
               "phone": member.phone, "job": member.job, "dues_paid_until": member.dues_paid_until}
    member_service.save_member(member, current | _member_data(request.get_json()), account=account)
    member = _get_member(member_id)
    return jsonify(member_json(member, can(account, "members.private", unit=member.unit)))


@api.route("/members/import", methods=["POST"])
@permission_required("members.manage")
@operation("从 xlsx 名册导入会员（按工号新增或更新；任何一行有误则全部不导入，errors 按行号列出原因）",
           tags=["members"], upload="file", responses={200: IMPORT_RESULT},
           query={"dry_run": {"type": "boolean", "description": "只检查，不写入"}})
def import_roster():
    upload = request.files.get("file")
    if upload is None:
        raise Invalid(_("请以 multipart/form-data 上传名为 file 的 xlsx 文件"), {"file": _("必填")})
    dry_run = request.args.get("dry_run", "").lower() in ("1", "true", "yes")
    result = member_import.import_members(upload.read(), account=current_account(), dry_run=dry_run)
    return jsonify(result.as_dict())
