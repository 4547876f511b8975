"""Sign-in pages: the scanner, the venue screen and self sign-in, the live view, the printable sheet,
and the organizer's checkpoints, manual sign-ins, excuses, codes and scanning volunteers.
"""

from __future__ import annotations

import secrets

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

from core.access import can, current_account, login_required, permission_required, public, require
from core.errors import UserError
from core.models import Account, Item, Registration, RoleGrant
from core.services import audit
from core.services.accounts import grant_role
from core.services.events import get_event
from core.timeutil import from_local, to_local, utcnow
from plugins.checkin import attendance, checkpoints, overrides, qr, selfservice
from plugins.checkin.forms import CheckpointForm
from plugins.checkin.models import FailedScan
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
                           volunteers=volunteers, failed=failed)


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
    event, _account = _event(event_id, "checkin.scan")
    checkpoint = _checkpoint(event)
    data = attendance.summary(event, checkpoint)
    template = "checkin/live_part.html" if request.args.get("part") else "checkin/live.html"
    return render_template(template, event=event, checkpoint=checkpoint, data=data, labels=STATUS_LABELS,
                           big=bool(request.args.get("big")), cps=checkpoints.for_event(event),
                           window=checkpoints.window_of(checkpoint, event))


@bp.route("/events/<int:event_id>/people")
@permission_required("checkin.manage")
def people(event_id: int):
    event, _account = _event(event_id, "checkin.manage")
    checkpoint = _checkpoint(event)
    people = attendance.attendances(event, checkpoint)
    states = overrides.token_states([p.registration_id for p in people])
    return render_template("checkin/people.html", event=event, checkpoint=checkpoint, people=people, states=states,
                           labels=STATUS_LABELS, cps=checkpoints.for_event(event))


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
            from datetime import datetime

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
        RoleGrant.delete().where(RoleGrant.account == target.id, RoleGrant.event == event.id,
                                 RoleGrant.role == "volunteer").execute()
        audit.record("checkin.volunteer.remove", target, account=account, event=event)
        flash(_("已取消 %(name)s 的扫码权限", name=str(target)), "success")
    else:
        grant_role(target, "volunteer", event=event)
        audit.record("checkin.volunteer.add", target, account=account, event=event)
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
    url = url_for("checkin.self_sign_in", code=code, _external=True)
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
        if request.method == "POST":
            info = selfservice.read_ticket(secret, request.form.get("ticket", ""), device_id)
        else:
            info = selfservice.open_code(code)
    except selfservice.VenueCodeError as exc:
        error = exc.message
    bound = None
    if info is not None:
        bound = selfservice.bound_registration(info, device_id)
        account = current_account()
        own_member = account.member_id if account is not None and account.member_id else None
        if request.method == "POST":
            answer = selfservice.sign_in(info, device_id=device_id, identifier=request.form.get("identifier", ""),
                                         member_id=own_member if not request.form.get("identifier") else None,
                                         kind="out" if request.form.get("kind") == "out" else "in")
            bound = selfservice.bound_registration(info, device_id)
    response = Response(render_template(
        "checkin/self.html", info=info, error=error, answer=answer, bound=bound, code=code,
        ticket=selfservice.ticket(secret, info, device_id) if info is not None else "",
        now=utcnow()), status=200 if error is None else 410)
    return _with_device(response, device_id, fresh)

