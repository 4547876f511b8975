"""Sign-in pages: the scanner, the venue screen and self sign-in, the live view, the printable sheet,
and the organizer's checkpoints, manual sign-ins, excuses, codes and scanning volunteers.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from core import qr
from core.access import can, current_account, login_required, permission_required, public, require
from core.errors import Invalid, UserError
from core.models import Account, Item, Registration, RoleGrant
from core.services.events import get_event
from core.timeutil import from_local, to_local, utcnow
from core.urls import public_url
from plugins.checkin import (
    attendance,
    checkpoints,
    clock,
    geofence,
    notices,
    overrides,
    scanning,
    selfservice,
)
from plugins.checkin import requests as requests_service
from plugins.checkin.export import SOURCE_LABELS
from plugins.checkin.forms import CheckpointForm
from plugins.checkin.models import AttendanceRequest, Checkpoint, FailedScan
from plugins.checkin.windows import STATUS_LABELS

bp = Blueprint("checkin", __name__, url_prefix="/checkin")
DEVICE_COOKIE = "hd_device"


def _event(event_id: int, permission: str):
    event = get_event(event_id)
    return event, require(permission, event=event)


def _checkpoint(event):
    try:
        return checkpoints.get(event, request.values.get("checkpoint"))
    except UserError:
        abort(404)


def _local_input(value, tz):
    return to_local(value, tz).replace(tzinfo=None) if value else None


@bp.route("/events/<int:event_id>/")
@permission_required("checkin.scan")
def index(event_id: int):
    event, account = _event(event_id, "checkin.scan")
    manage = can(account, "checkin.manage", event=event)
    cps = checkpoints.for_event(event)
    rows = []
    for cp in cps:
        window = checkpoints.window_of(cp, event)
        rows.append({"checkpoint": cp, "window": window, "summary": None})
    form = None
    volunteers = []
    failed = []
    if manage:
        form = CheckpointForm(formdata=None)
        form.item.choices = [(0, _("（全部报名者）"))] + [(i.id, i.name) for i in event.items.order_by(Item.sort)]
        volunteers = list(RoleGrant.select(RoleGrant, Account).join(Account)
                          .where(RoleGrant.event == event.id, RoleGrant.role == "volunteer"))
        failed = list(FailedScan.select().where(FailedScan.event == event.id).order_by(FailedScan.at.desc()).limit(30))
    return render_template("checkin/index.html", event=event, rows=rows, manage=manage, form=form,
                           volunteers=volunteers, failed=failed, results=scanning.RESULT_LABELS, sources=SOURCE_LABELS)


@bp.route("/events/<int:event_id>/checkpoints", methods=["POST"])
@bp.route("/events/<int:event_id>/checkpoints/<key>", methods=["GET", "POST"])
@permission_required("checkin.manage")
def edit_checkpoint(event_id: int, key: str | None = None):
    event, account = _event(event_id, "checkin.manage")
    checkpoint = checkpoints.get(event, key) if key else None
    form = CheckpointForm(obj=checkpoint if request.method == "GET" else None)
    form.item.choices = [(0, _("（全部报名者）"))] + [(i.id, i.name) for i in event.items.order_by(Item.sort)]
    if request.method == "GET" and checkpoint is not None:
        form.item.data = checkpoint.item_id or 0
        for name in ("opens_at", "starts_at", "closes_at", "ends_at"):
            getattr(form, name).data = _local_input(getattr(checkpoint, name), event.timezone)
    if request.method == "POST":
        if form.validate():
            data = {name: getattr(form, name).data for name in ("name", "sign_out", "self_sign_in")}
            data["place"] = (form.place.data or "").strip()
            data["key"] = (form.key.data or "").strip()
            data["item"] = form.item.data or None
            data["grace_minutes"] = form.grace_minutes.data or 0
            data["rotate_seconds"] = form.rotate_seconds.data or 30
            data["sort"] = form.sort.data or 0
            data["latitude"], data["longitude"] = form.latitude.data, form.longitude.data
            data["radius_m"] = form.radius_m.data or 300
            for name in ("opens_at", "starts_at", "closes_at", "ends_at"):
                data[name] = from_local(getattr(form, name).data, event.timezone)
            try:
                checkpoints.save(event, data, checkpoint, account=account)
            except UserError as exc:
                flash(exc.message + ("：" + "；".join(exc.errors.values()) if exc.errors else ""), "error")
            else:
                flash(_("签到点已保存"), "success")
                return redirect(url_for("checkin.index", event_id=event.id))
        else:
            flash("；".join(e for errors in form.errors.values() for e in errors), "error")
        if checkpoint is None:
            return redirect(url_for("checkin.index", event_id=event.id))
    return render_template("checkin/checkpoint_form.html", event=event, checkpoint=checkpoint, form=form)


@bp.route("/events/<int:event_id>/scan")
@permission_required("checkin.scan")
def scanner(event_id: int):
    event, _account = _event(event_id, "checkin.scan")
    checkpoint = _checkpoint(event)
    return render_template("checkin/scan.html", event=event, checkpoint=checkpoint,
                           cps=checkpoints.for_event(event))


@bp.route("/events/<int:event_id>/live")
@permission_required("checkin.scan")
def live(event_id: int):
    event, account = _event(event_id, "checkin.scan")
    checkpoint = _checkpoint(event)
    data = attendance.summary(event, checkpoint)
    template = "checkin/live_part.html" if request.args.get("part") else "checkin/live.html"
    return render_template(template, event=event, checkpoint=checkpoint, data=data, labels=STATUS_LABELS,
                           can_remind=can(account, "checkin.manage", event=event),
                           big=bool(request.args.get("big")), cps=checkpoints.for_event(event),
                           window=checkpoints.window_of(checkpoint, event))


@bp.route("/events/<int:event_id>/remind-missing", methods=["POST"])
@permission_required("checkin.manage")
def remind_missing(event_id: int):
    """One tap on the live page: remind everyone still missing at the checkpoint (each once)."""
    event, account = _event(event_id, "checkin.manage")
    checkpoint = _checkpoint(event)
    reminded, missing = notices.remind_missing(event, checkpoint, account=account)
    if not missing:
        flash(_("已全部到齐，无需提醒"), "success")
    elif reminded:
        flash(_("已提醒 %(n)s 位未签到的人", n=reminded), "success")
    else:
        flash(_("未到的 %(n)s 人都已提醒过，不再重复发送", n=missing), "success")
    return redirect(url_for("checkin.live", event_id=event.id, checkpoint=checkpoint.key))


@bp.route("/events/<int:event_id>/people")
@permission_required("checkin.manage")
def people(event_id: int):
    event, _account = _event(event_id, "checkin.manage")
    checkpoint = _checkpoint(event)
    people = attendance.attendances(event, checkpoint)
    states = overrides.token_states([p.registration_id for p in people])
    return render_template("checkin/people.html", event=event, checkpoint=checkpoint, people=people, states=states,
                           labels=STATUS_LABELS, cps=checkpoints.for_event(event), flags=clock.FLAG_LABELS,
                           sources=SOURCE_LABELS, asked=requests_service.pending(event.id),
                           kinds=requests_service.KIND_LABELS)


@bp.route("/events/<int:event_id>/manual", methods=["POST"])
@permission_required("checkin.manage")
def manual(event_id: int):
    """Sign in or out by hand, undo, excuse or lift an excuse, always with a reason."""
    event, account = _event(event_id, "checkin.manage")
    checkpoint = _checkpoint(event)
    action = request.form.get("action", "")
    registration = request.form.get("registration_id", type=int)
    reason = request.form.get("reason", "")
    at = None
    if request.form.get("at"):
        try:
            at = from_local(datetime.strptime(request.form["at"], "%Y-%m-%dT%H:%M"), event.timezone)
        except ValueError:
            flash(_("时间格式不正确"), "error")
            return redirect(url_for("checkin.people", event_id=event.id, checkpoint=checkpoint.key))
    try:
        if action in ("in", "out"):
            answer = overrides.manual(checkpoint, registration, kind=action, reason=reason, at=at, account=account)
            flash(f"{answer.name}：{answer.message}", "success" if answer.ok and not answer.already else "error")
        elif action in ("undo_in", "undo_out"):
            overrides.undo(checkpoint, registration, kind=action[5:], reason=reason, account=account)
            flash(_("已撤销"), "success")
        elif action == "excuse":
            overrides.excuse(checkpoint, registration, reason=reason, account=account)
            flash(_("已登记请假"), "success")
        elif action == "unexcuse":
            overrides.unexcuse(checkpoint, registration, account=account)
            flash(_("已取消请假"), "success")
        elif action in ("accept_time_in", "keep_time_in", "accept_time_out", "keep_time_out"):
            overrides.decide_time(checkpoint, registration, kind=action.rsplit("_", 1)[1],
                                  accept=action.startswith("accept"), reason=reason, account=account)
            flash(_("已采用设备时间") if action.startswith("accept") else _("已按上传时间记录"), "success")
        else:
            abort(400)
    except UserError as exc:
        flash(exc.message, "error")
    return redirect(url_for("checkin.people", event_id=event.id, checkpoint=checkpoint.key))


@bp.route("/registrations/<int:registration_id>/code", methods=["POST"])
@permission_required("checkin.manage")
def change_code(registration_id: int):
    registration = Registration.get_or_none(Registration.id == registration_id)
    if registration is None:
        abort(404)
    event = get_event(registration.event_id)
    account = require("checkin.manage", event=event)
    try:
        if request.form.get("action") == "revoke":
            overrides.revoke(registration, reason=request.form.get("reason", ""), account=account)
            flash(_("二维码已作废"), "success")
        else:
            overrides.reissue(registration, reason=request.form.get("reason", ""), account=account)
            flash(_("已重新发放二维码，旧二维码失效"), "success")
    except UserError as exc:
        flash(exc.message, "error")
    return redirect(url_for("checkin.people", event_id=event.id))


@bp.route("/registrations/<int:registration_id>/requests", methods=["POST"])
@login_required
def ask(registration_id: int):
    """A participant asks for leave before the event or a make-up sign-in after it."""
    registration = Registration.get_or_none(Registration.id == registration_id)
    account = current_account()
    if registration is None or registration.member_id != account.member_id:
        abort(404)
    event = get_event(registration.event_id)
    checkpoint = _checkpoint(event)
    arrived_at = None
    try:
        if request.form.get("arrived_at"):
            try:
                arrived_at = from_local(datetime.strptime(request.form["arrived_at"], "%Y-%m-%dT%H:%M"),
                                        event.timezone)
            except ValueError:
                raise Invalid(_("时间格式不正确")) from None
        kind = request.form.get("kind", "")
        if kind not in requests_service.KIND_LABELS:
            abort(400)
        requests_service.submit(registration, checkpoint, kind, reason=request.form.get("reason", ""),
                                arrived_at=arrived_at, account=account)
        flash(_("申请已提交，等待组织者审批"), "success")
    except UserError as exc:
        flash(exc.message, "error")
    return redirect(url_for("events.show", event_id=event.id))


@bp.route("/requests/<int:request_id>/decide", methods=["POST"])
@permission_required("checkin.manage")
def decide(request_id: int):
    """The organizer approves or refuses a participant's request."""
    found = AttendanceRequest.get_or_none(AttendanceRequest.id == request_id) or abort(404)
    checkpoint = Checkpoint.get_by_id(found.checkpoint_id)
    event, account = _event(checkpoint.event_id, "checkin.manage")
    approve = request.form.get("action") == "approve"
    try:
        requests_service.decide(found, approve=approve, note=request.form.get("note", ""), account=account)
        flash(_("已批准") if approve else _("已处理：未批准"), "success")
    except UserError as exc:
        flash(exc.message, "error")
    return redirect(url_for("checkin.people", event_id=event.id, checkpoint=checkpoint.key))


@bp.route("/events/<int:event_id>/volunteers", methods=["POST"])
@permission_required("checkin.manage")
def volunteers(event_id: int):
    """Let an account scan at this event (志愿者), or stop it."""
    event, account = _event(event_id, "checkin.manage")
    username = (request.form.get("username") or "").strip()
    target = Account.get_or_none(Account.username == username)
    if target is None:
        flash(_("没有用户名为 %(name)s 的账号", name=username), "error")
    elif request.form.get("action") == "remove":
        notices.volunteer_removed(event, target, account=account)
        flash(_("已取消 %(name)s 的扫码权限", name=str(target)), "success")
    else:
        notices.volunteer_added(event, target, account=account)
        flash(_("%(name)s 可以在本活动扫码签到了", name=str(target)), "success")
    return redirect(url_for("checkin.index", event_id=event.id))


@bp.route("/registrations/<int:registration_id>/qr.<fmt>")
@login_required
def registration_qr(registration_id: int, fmt: str):
    """A registration's personal QR, for its member or for staff who scan at the event."""
    registration = Registration.get_or_none(Registration.id == registration_id)
    if registration is None or fmt not in ("svg", "png"):
        abort(404)
    account = current_account()
    if account.member_id != registration.member_id:
        require("checkin.scan", event=get_event(registration.event_id))
    code = overrides.token_for(registration)
    if code is None:
        abort(404)
    if fmt == "png":
        response = Response(qr.png(code), mimetype="image/png")
    else:
        response = Response(qr.svg(code, "100%"), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/events/<int:event_id>/sheet")
@permission_required("checkin.scan")
def sheet(event_id: int):
    """The printable A4 签到表: name, unit, a signature column and each person's QR."""
    event, _account = _event(event_id, "checkin.scan")
    checkpoint = _checkpoint(event)
    people = attendance.attendances(event, checkpoint)
    states = overrides.token_states([p.registration_id for p in people])
    rows = [(p, overrides.code_for_state(p.registration_id, states.get(p.registration_id))) for p in people]
    return render_template("checkin/sheet.html", event=event, checkpoint=checkpoint, rows=rows, qr=qr,
                           window=checkpoints.window_of(checkpoint, event))


@bp.route("/events/<int:event_id>/venue")
@permission_required("checkin.scan")
def venue(event_id: int):
    """The venue screen: a QR that changes every few seconds, for participants to scan."""
    event, _account = _event(event_id, "checkin.scan")
    checkpoint = _checkpoint(event)
    return render_template("checkin/venue.html", event=event, checkpoint=checkpoint, current=_venue_now(checkpoint))


@bp.route("/events/<int:event_id>/venue.json")
@permission_required("checkin.scan")
def venue_json(event_id: int):
    event, _account = _event(event_id, "checkin.scan")
    checkpoint = _checkpoint(event)
    data = _venue_now(checkpoint)
    summary = attendance.summary(event, checkpoint)
    return jsonify(data | {"present": summary["present"], "expected": summary["expected"]})


def _venue_now(checkpoint) -> dict:
    info = checkpoints.info_by_id(checkpoint.id)
    code, seconds_left = selfservice.current_code(info)
    url = public_url("checkin.self_sign_in", code=code)
    return {"url": url, "svg": qr.svg(url, "100%", _("签到二维码")), "seconds_left": round(seconds_left, 1),
            "rotate_seconds": info.rotate_seconds}


def _device_id() -> tuple[str, bool]:
    found = request.cookies.get(DEVICE_COOKIE, "")
    if 16 <= len(found) <= 64 and found.replace("-", "").replace("_", "").isalnum():
        return found, False
    return secrets.token_urlsafe(18), True


def _with_device(response, device_id: str, fresh: bool):
    if fresh:
        response.set_cookie(DEVICE_COOKIE, device_id, max_age=3 * 365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


@bp.route("/v/<code>", methods=["GET", "POST"])
@public
def self_sign_in(code: str):
    """Self sign-in from the participant's phone after scanning the venue code."""
    device_id, fresh = _device_id()
    secret = current_app.config["SECRET_KEY"]
    answer = None
    info = None
    error = None
    try:
        if request.method == "POST" or request.args.get("ticket"):
            # the ticket proves this phone opened a fresh code minutes ago (before logging in, say)
            info = selfservice.read_ticket(secret, request.form.get("ticket") or request.args.get("ticket", ""),
                                           device_id)
        else:
            info = selfservice.open_code(code)
    except selfservice.VenueCodeError as exc:
        error = exc.message
    bound = fence = None
    account = current_account()
    ticket = selfservice.ticket(secret, info, device_id) if info is not None else ""
    if info is not None:
        fence = Checkpoint.get_by_id(info.id)
        if account is not None and request.method == "POST":
            try:
                position = geofence.read_position(request.form.get("latitude"), request.form.get("longitude"),
                                                  request.form.get("accuracy"))
            except UserError as exc:
                answer = scanning.fail(info, "outside_area", exc.message, kind="in", source="venue",
                                       device_id=device_id, account_id=account.id)
            else:
                answer = selfservice.sign_in(info, device_id=device_id, account=account, position=position,
                                             kind="out" if request.form.get("kind") == "out" else "in")
        bound = selfservice.bound_registration(info, device_id)
    login_url = url_for("auth.login", next=url_for("checkin.self_sign_in", code=code, ticket=ticket)) if ticket else ""
    response = Response(render_template(
        "checkin/self.html", info=info, error=error, answer=answer, bound=bound, code=code, ticket=ticket,
        account=account, fence=fence, login_url=login_url, now=utcnow()), status=200 if error is None else 410)
    return _with_device(response, device_id, fresh)

