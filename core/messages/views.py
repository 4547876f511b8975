"""Pages: 我的消息 (a member's inbox, phone first), his channels (from /account), and an event's
messages for its organizers (the delivery log and a notice to its registrants)."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.access import (
    can,
    current_account,
    login_required,
    managed_unit_ids,
    permission_required,
    public,
    require,
)
from core.db import db
from core.errors import UserError
from core.messages import inbox
from core.messages import preferences as preference_service
from core.messages.channels import all_channels, person_channels
from core.messages.forms import BroadcastForm, PreferencesForm, UnitNoticeForm
from core.messages.kinds import all_kinds
from core.messages.outbox import broadcast, unit_broadcast
from core.models import AuditLog, Member, Registration, Unit
from core.services import audit
from core.services import events as event_service
from core.services.visibility import can_view_event

bp = Blueprint("messages", __name__)
# Labels of delivery states and of the core's channels, listed for the translation catalog.
_LABELS = (_l("待发送"), _l("发送中"), _l("已发送"), _l("失败"), _l("电子邮件"), _l("企业微信群机器人"), _l("钉钉群机器人"))


@bp.route("/messages")
@login_required
def inbox_page():
    account = current_account()
    return render_template("core/messages/inbox.html", messages=inbox.messages_of(account),
                           has_member=bool(account.member_id), unread=inbox.unread_count(account))


@bp.route("/messages/<int:message_id>")
@login_required
def show(message_id: int):
    try:
        message = inbox.open_message(current_account(), message_id)
    except UserError:
        abort(404)
    return render_template("core/messages/show.html", message=message)


@bp.route("/messages/read", methods=["POST"])
@login_required
def read_all():
    count = inbox.mark_all_read(current_account())
    flash(_("已将 %(n)s 条消息标为已读", n=count), "success")
    return redirect(url_for("messages.inbox_page"))


def preferences_form(account, formdata=None) -> PreferencesForm | None:
    """The channels form shown on /account (``None`` for an account without a member)."""
    if account is None or not account.member_id:
        return None
    preference = preference_service.MessagePreference.get_or_none(
        preference_service.MessagePreference.member == account.member_id)
    form = PreferencesForm(formdata=formdata, email=preference.email if preference else "",
                           channels=list(preference.channels) if preference else [])
    form.channels.choices = [(c.name, _(c.label)) for c in person_channels()]
    form.saved_email = preference.email if preference else ""
    form.email_verified = bool(preference and preference.email and preference.email_verified_at)
    return form


@bp.route("/account/messages", methods=["POST"])
@login_required
def save_preferences():
    account = current_account()
    form = preferences_form(account, request.form)
    if form is None:
        abort(404)
    if form.validate_on_submit():
        try:
            preference = preference_service.save(Member.get_by_id(account.member_id), email=form.email.data or "",
                                                 channels=form.channels.data or [])
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("通知方式已保存"), "success")
            if preference.email and preference.email_verified_at is None and preference_service.mail_available():
                flash(_("验证邮件已发往 %(email)s，请打开邮件中的链接完成验证", email=preference.email), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
    return redirect(url_for("account.show"))


@bp.route("/account/email/verify", methods=["POST"])
@login_required
def resend_verification():
    """Send the verification mail again (at most once an hour per address)."""
    account = current_account()
    preference = preference_service.MessagePreference.get_or_none(
        preference_service.MessagePreference.member == account.member_id) if account.member_id else None
    if preference is None or not preference.email:
        abort(404)
    if preference.email_verified_at is not None:
        flash(_("该邮箱已验证"), "success")
    elif preference_service.ask_to_verify(Member.get_by_id(account.member_id), preference):
        flash(_("验证邮件已发往 %(email)s，请打开邮件中的链接完成验证", email=preference.email), "success")
    else:
        flash(_("一小时内已发送过验证邮件，请查收（也请看看垃圾邮件）"), "success")
    return redirect(url_for("account.show") + "#message-channels")


@bp.route("/account/email/verify/<token>")
@public
def verify_email(token: str):
    """The link in the verification mail: whoever holds the mailbox proves the address."""
    preference = preference_service.confirm(token)  # a bad link: the error page says why
    flash(_("邮箱 %(email)s 已验证，忘记密码时可用它重设", email=preference.email), "success")
    if current_account() is None:
        return redirect(url_for("auth.login"))
    return redirect(url_for("account.show") + "#message-channels")


def _managed_event(event_id: int):
    event = event_service.get_event(event_id)
    if not can_view_event(current_account(), event):
        abort(404)
    require("events.manage", event=event)
    return event


def _log_page(event, form, status=200):
    kinds = all_kinds()
    channels = all_channels()
    return render_template(
        "core/messages/event_log.html", event=event, form=form, log=inbox.delivery_log(event),
        counts=inbox.delivery_counts(event), kind_label=lambda k: _(kinds[k].label) if k in kinds else k,
        channel_label=lambda c: _(channels[c].label) if c in channels else c,
        recipients=_recipients(event).count(), nonce=secrets.token_urlsafe(12)), status


def _recipients(event):
    return (Member.select().join(Registration, on=(Registration.member == Member.id))
            .where(Registration.event == event, Registration.status.in_(("active", "waitlisted"))))


@bp.route("/events/<int:event_id>/messages", methods=["GET"])
@permission_required("events.manage")
def event_log(event_id: int):
    event = _managed_event(event_id)
    return _log_page(event, BroadcastForm(formdata=None))


@bp.route("/events/<int:event_id>/messages", methods=["POST"])
@permission_required("events.manage")
def event_broadcast(event_id: int):
    event = _managed_event(event_id)
    account = current_account()
    form = BroadcastForm()
    if not form.validate_on_submit():
        return _log_page(event, form, 422)
    # The form's nonce names this notice: sending the same form twice queues it once.
    nonce = "".join(ch for ch in request.form.get("nonce", "") if ch.isalnum() or ch in "-_")[:40]
    nonce = nonce or secrets.token_urlsafe(12)
    with db.atomic():
        count = broadcast(event, list(_recipients(event)), title=form.title.data.strip(),
                          text=form.text.data.strip(), dedupe=f"broadcast:{event.id}:{nonce}")
        audit.record("messages.broadcast", event, after={"title": form.title.data.strip(), "recipients": count},
                     account=account, event=event)
    flash(_("通知已排队发送给 %(n)s 人", n=count), "success")
    return redirect(url_for("messages.event_log", event_id=event.id))


def _notice_units(account) -> list:
    ids = managed_unit_ids(account, "messages.broadcast")
    query = Unit.select().order_by(Unit.path)
    return list(query if ids is None else query.where(Unit.id.in_(ids or [0])))


def _unit_members(unit):
    return (Member.select().join(Unit).where(Unit.path.startswith(unit.path), Member.is_active == True)  # noqa: E712
            .order_by(Member.id))


def _notice_page(account, form, status=200):
    units = _notice_units(account)
    sent = (AuditLog.select().where(AuditLog.action == "messages.unit_broadcast",
                                    AuditLog.object_id.in_([str(u.id) for u in units] or ["0"]))
            .order_by(AuditLog.id.desc()).limit(20))
    names = {str(u.id): u.name for u in units}
    return render_template("core/messages/unit_notice.html", form=form, units=units, sent=list(sent), names=names,
                           nonce=secrets.token_urlsafe(12)), status


@bp.route("/messages/notice", methods=["GET", "POST"])
@permission_required("messages.broadcast")
def unit_notice():
    """A notice to the members of one of the organizer's units (and the units below it)."""
    account = current_account()
    form = UnitNoticeForm()
    form.unit.choices = [(u.id, "　" * max(u.depth, 0) + u.name) for u in _notice_units(account)]
    if request.method == "GET":
        return _notice_page(account, form)
    if not form.validate_on_submit():
        return _notice_page(account, form, 422)
    unit = Unit.get_or_none(Unit.id == form.unit.data)
    if unit is None or not can(account, "messages.broadcast", unit=unit):
        abort(404)
    nonce = "".join(ch for ch in request.form.get("nonce", "") if ch.isalnum() or ch in "-_")[:40]
    nonce = nonce or secrets.token_urlsafe(12)
    title, text = form.title.data.strip(), form.text.data.strip()
    with db.atomic():
        count = unit_broadcast(unit, _unit_members(unit), title=title, text=text,
                               dedupe=f"unit-broadcast:{unit.id}:{nonce}")
        audit.record("messages.unit_broadcast", unit, after={"title": title, "recipients": count}, account=account)
    flash(_("通知已排队发送给 %(n)s 人", n=count), "success")
    return redirect(url_for("messages.unit_notice"))


def section_html(event, account) -> str:
    """The block on the event page for its organizers: counts and a link to the messages page."""
    return render_template("core/messages/section.html", event=event, counts=inbox.delivery_counts(event))


__all__ = ["bp", "preferences_form", "section_html"]
