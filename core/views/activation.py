"""Accounts for the whole roster: a member activates his own account on his phone; an organizer opens the
accounts of a unit at once, prints or exports the activation slips, and hands out reset codes.

The member's pages are public and rate-limited like the login (attempts are written before they are
checked); the refusal never says which fact was wrong.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core import qr
from core.access import current_account, login_session, managed_unit_ids, permission_required, public, require
from core.errors import UserError
from core.forms import ActivateForm, CodeForm, ForgotForm, OpenAccountsForm
from core.models import Unit
from core.services import activation
from core.timeutil import format_datetime
from core.urls import public_url
from core.views.auth import forgive_attempts, note_attempt
from core.xlsx import workbook_response

bp = Blueprint("activation", __name__)


def _attempt(key: str) -> tuple[bool, int]:
    return note_attempt(f"activate:{key}")


def _forgive(key: str, address_attempt: int) -> None:
    forgive_attempts(f"activate:{key}", address_attempt)


def _form_errors(form, exc: UserError) -> None:
    for name, message in exc.errors.items():
        if hasattr(form, name):
            getattr(form, name).errors = [*getattr(form, name).errors, message]
    flash(exc.message, "error")


@bp.route("/activate", methods=["GET", "POST"])
@public
def activate():
    """Activate one's own account with the staff number and the last four of the ID number or phone."""
    form = ActivateForm()
    status = 200
    if form.validate_on_submit():
        staff_no = form.staff_no.data.strip()
        over, address_attempt = _attempt(staff_no)
        if over:
            flash(_("尝试次数过多，请 15 分钟后再试"), "error")
            return render_template("core/activate.html", form=form), 429
        try:
            account = activation.activate_by_identity(staff_no, form.last_four.data, form.password.data,
                                                      form.confirm.data)
        except UserError as exc:
            _form_errors(form, exc)
            status = 422
        else:
            _forgive(staff_no, address_attempt)
            login_session(account)
            flash(_("账号已激活，用户名为 %(name)s", name=account.username), "success")
            return redirect(url_for("main.dashboard"))
    elif request.method == "POST":
        status = 422
    return render_template("core/activate.html", form=form), status


@bp.route("/activate/code", methods=["GET", "POST"])
@bp.route("/activate/<code>", methods=["GET"])
@public
def use_code(code: str | None = None):
    """Choose a password with the one-time code of a slip (typed, or carried by the slip's QR)."""
    form = CodeForm(data={"code": activation.shown(activation.normalize(code)) if code else ""})
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        typed = activation.normalize(form.code.data)
        over, address_attempt = _attempt(f"code:{typed[:20]}")
        if over:
            flash(_("尝试次数过多，请 15 分钟后再试"), "error")
            return render_template("core/activate_code.html", form=form, found=None), 429
        try:
            account = activation.use_code(typed, form.password.data, form.confirm.data)
        except UserError as exc:
            _form_errors(form, exc)
            status = 422
        else:
            _forgive(f"code:{typed[:20]}", address_attempt)
            login_session(account)
            flash(_("密码已设置，用户名为 %(name)s", name=account.username), "success")
            return redirect(url_for("main.dashboard"))
    elif request.method == "POST":
        status = 422
    found = activation.find(form.code.data) if form.code.data else None
    return render_template("core/activate_code.html", form=form, found=found), status


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot():
    """A reset link by mail, to the address the member verified; the answer is the same whoever is named."""
    from core.messages.preferences import mail_available

    form = ForgotForm()
    sent = False
    if form.validate_on_submit():
        identifier = form.identifier.data.strip()
        over, _address_attempt = _attempt(f"forgot:{identifier[:60]}")
        if over:
            flash(_("尝试次数过多，请 15 分钟后再试"), "error")
            return render_template("core/forgot.html", form=form, sent=False, mail=mail_available()), 429
        activation.mail_reset(identifier)
        sent = True
    status = 422 if request.method == "POST" and not sent else 200
    return render_template("core/forgot.html", form=form, sent=sent, mail=mail_available()), status


# ---------------------------------------------------------------- the organizer's side

def _units(account) -> list[Unit]:
    ids = managed_unit_ids(account, "accounts.open")
    query = Unit.select().order_by(Unit.path)
    if ids is not None:
        query = query.where(Unit.id.in_(ids or [0]))
    return list(query)


def _unit_in_scope(unit_id) -> Unit:
    unit = Unit.get_or_none(Unit.id == unit_id) if unit_id else None
    if unit is None:
        abort(404)
    require("accounts.open", unit=unit)
    return unit


@bp.route("/accounts/open", methods=["GET", "POST"])
@permission_required("accounts.open")
def open_accounts():
    """Open the accounts of a unit's members at once; the slips follow."""
    me = current_account()
    form = OpenAccountsForm()
    units = _units(me)
    form.unit.choices = [(u.id, "　" * max(u.depth, 0) + u.name) for u in units]
    if form.validate_on_submit():
        unit = _unit_in_scope(form.unit.data)
        done = activation.open_accounts(unit, by=me)
        flash(_("%(unit)s：新开通 %(opened)s 个账号，重新发放 %(reissued)s 个激活码，%(active)s 人已在使用账号",
                unit=unit.name, opened=done.opened, reissued=done.reissued, active=done.active), "success")
        return redirect(url_for("activation.slips", unit=unit.id))
    return render_template("core/accounts_open.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/accounts/slips")
@permission_required("accounts.open")
def slips():
    """The activation slips of a unit not used yet, to print (one QR each) or to download as xlsx."""
    unit = _unit_in_scope(request.args.get("unit", type=int))
    found = activation.slips(unit)
    if request.args.get("format") == "xlsx":
        rows = [(s.unit, s.name, s.username, s.code, public_url("activation.use_code", code=s.code.replace("-", "")),
                 format_datetime(s.expires_at)) for s in found]
        return workbook_response(_("%(unit)s激活码", unit=unit.name) + ".xlsx", _("激活码"),
                                 [_("单位"), _("姓名"), _("用户名"), _("激活码"), _("激活网址"), _("有效期至")], rows,
                                 text_columns=(2, 3))
    links = {s.code_id: public_url("activation.use_code", code=s.code.replace("-", "")) for s in found}
    return render_template("core/activation_slips.html", unit=unit, slips=found, links=links, qr=qr,
                           activate_url=public_url("activation.activate"))


@bp.route("/accounts/<int:account_id>/reset-code", methods=["POST"])
@permission_required("accounts.open")
def reset_code(account_id: int):
    """A one-time code (and its slip) with which a member who forgot his password chooses a new one."""
    me = current_account()
    account = activation.account_in_scope(account_id, _scope_ids(me))
    try:
        activation.issue_reset(account, by=me)
    except UserError as exc:
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("activation.open_accounts"))
    member = account.member
    found = [s for s in activation.slips(member.unit) if s.username == account.username]
    links = {s.code_id: public_url("activation.use_code", code=s.code.replace("-", "")) for s in found}
    return render_template("core/activation_slips.html", unit=member.unit, slips=found, links=links, qr=qr,
                           activate_url=public_url("activation.activate"), single=True)


def _scope_ids(account) -> set[int] | None:
    ids = managed_unit_ids(account, "accounts.open")
    return None if ids is None else set(ids)


@bp.before_app_request
def _must_change_password():
    """Somebody who logged in with a password chosen for him (an initial or reset one) chooses his own before
    anything else. API calls carry his own tokens and pass."""
    if "HTTP_COOKIE" not in request.environ or request.endpoint in _FREE_ENDPOINTS:
        return None
    if request.blueprint and request.endpoint.endswith(".static"):
        return None
    account = current_account()
    if account is None or not account.must_change_password or request.path.startswith("/api/"):
        return None
    if request.method == "GET":
        flash(_("请先设置您自己的密码"), "warning")
    return redirect(url_for("account.show"))


_FREE_ENDPOINTS = {"account.show", "account.change_password", "auth.logout", "auth.login", "auth.set_language",
                   "static", "main.healthz", None}
