"""The contest's JSON API under ``/api/v1/contest``: items with their phases, moving a phase, locking
the marks, handing in an entry (a link as JSON, a file as multipart), the results list and every
judge's distance from the panel."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.access import current_account, login_required, permission_required, public
from core.api.spec import OBJECT, operation
from core.errors import Invalid, Refused
from plugins.scoring import public as scoring
from plugins.skills_contest import awards, submissions
from plugins.skills_contest import items as item_service
from plugins.skills_contest.views import load_event, load_item, require_manage, results_visible

bp = Blueprint("api_skills_contest", __name__, url_prefix="/api/v1/contest")

PHASE_BODY = {"type": "object", "properties": {"phase": {"enum": ["registration", "session", "submission",
                                                                     "judging", "published"]}},
              "required": ["phase"], "additionalProperties": False}
LINK_BODY = {"type": "object", "properties": {"url": {"type": "string", "maxLength": 500},
                                              "note": {"type": "string", "maxLength": 200}},
             "required": ["url"], "additionalProperties": False}
EMPTY_BODY = {"type": "object", "additionalProperties": False}


def _iso(value):
    return value.isoformat() + "Z" if value else None


def item_json(ci, account) -> dict:
    shown = item_service.text_visible(ci, account)
    return {"id": ci.item_id, "name": ci.item.name, "mode": ci.mode, "phase": ci.phase,
            "requirement": ci.requirement, "starts_at": _iso(ci.starts_at), "ends_at": _iso(ci.ends_at),
            "room": ci.room, "text_title": ci.text_title, "text": ci.text if shown else None, "text_hidden": not shown,
            "kinds": ci.kinds, "extensions": ci.extensions, "max_mb": ci.max_mb,
            "criteria": scoring.item_scoring(ci.item).criteria}


def _submission_json(s) -> dict:
    return {"id": s.id, "item": s.item_id, "kind": s.kind, "filename": s.filename, "size": s.size, "url": s.url,
            "submitted_at": _iso(s.submitted_at)}


@bp.route("/events/<int:event_id>/items")
@public
@operation("比赛的项目、阶段、时间地点；现场书写内容开赛前不公开", tags=["skills_contest"])
def items(event_id: int):
    event = load_event(event_id)
    account = current_account()
    return jsonify(items=[item_json(ci, account) for ci in item_service.contest_items(event)])


@bp.route("/items/<int:item_id>/phase", methods=["POST"])
@permission_required("events.manage")
@operation("项目进入相邻阶段（报名、现场比赛或作品上交、评审、公布结果）", body=PHASE_BODY, tags=["skills_contest"])
def phase(item_id: int):
    ci = load_item(item_id)
    account = require_manage(ci.item.event)
    moved = item_service.move_phase(ci.item, request.get_json()["phase"], account=account)
    return jsonify(item_json(moved, account))


@bp.route("/items/<int:item_id>/lock", methods=["POST"])
@permission_required("events.manage")
@operation("锁定评分并揭晓编号与姓名（全部评委须已提交）", body=EMPTY_BODY, tags=["skills_contest"])
def lock(item_id: int):
    ci = load_item(item_id)
    item_service.lock_marks(ci.item, account=require_manage(ci.item.event))
    return jsonify(locked=True)


@bp.route("/items/<int:item_id>/submission", methods=["POST"])
@login_required
@operation("提交作品链接（截止前可重新提交）", body=LINK_BODY, tags=["skills_contest"], responses={201: OBJECT})
def submit_link(item_id: int):
    ci = load_item(item_id)
    account = current_account()
    body = request.get_json()
    saved = submissions.submit(ci, account.member if account.member_id else None, url=body["url"],
                               note=body.get("note", ""), account=account)
    return jsonify(_submission_json(saved)), 201


@bp.route("/items/<int:item_id>/submission/file", methods=["POST"])
@login_required
@operation("上传作品文件（multipart 字段 file；类型和大小按项目要求检查）", upload="file", tags=["skills_contest"], responses={201: OBJECT})
def submit_file(item_id: int):
    ci = load_item(item_id)
    account = current_account()
    file = request.files.get("file")
    if file is None or not file.filename:
        raise Invalid(_("请选择要上传的文件"), {"file": _("必填")})
    saved = submissions.submit(ci, account.member if account.member_id else None,
                               upload=submissions.Upload(file.filename, file.stream),
                               note=request.form.get("note", ""), account=account)
    return jsonify(_submission_json(saved)), 201


@bp.route("/items/<int:item_id>/results")
@public
@operation("项目的结果名单：名次、编号、姓名、部门、得分、奖项、证书编号（公布后）", tags=["skills_contest"])
def results(item_id: int):
    ci = load_item(item_id)
    if not results_visible(ci, current_account()):
        raise Refused(_("“%(item)s”的结果尚未公布", item=ci.item.name))
    rows = [{k: (str(v) if k == "score" and v is not None else v) for k, v in row.items()} for row in awards.results(ci)]
    return jsonify(item=ci.item_id, results=rows)


@bp.route("/items/<int:item_id>/distances")
@permission_required("events.manage")
@operation("每位评委与评委组得分的偏离（组织者查看）", tags=["skills_contest"])
def distances(item_id: int):
    ci = load_item(item_id)
    require_manage(ci.item.event)
    return jsonify(judges=[{"account": d.account_id, "name": d.name, "entries": d.entries, "mean": str(d.mean),
                            "mean_abs": str(d.mean_abs), "max_abs": str(d.max_abs), "outlier": d.outlier,
                            "submitted": d.submitted} for d in scoring.panel_distances(ci.item)])
