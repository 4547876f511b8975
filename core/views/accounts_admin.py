"""The 账号 page: open accounts, grant and revoke roles, reset passwords, disable accounts.

The administrator manages every account. An organizer manages the accounts of his own units' members,
with roles over his own units only (never the administrator's role).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from peewee import JOIN

from core.access import managed_unit_ids, permission_required, require
from core.errors import UserError
from core.models import Account, Member, RoleGrant, Unit
from core.roles import all_roles
from core.services import accounts as service

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

# 送温暖 reviewers work at one of three levels (the grant's detail).
REVIEW_LEVELS = {"grassroots": "基层工会", "township": "乡镇街道", "county": "县区"}


def _scope(me: Account) -> set[int] | None:
    """The units whose members' accounts ``me`` manages (None: all)."""
    ids = managed_unit_ids(me, "accounts.manage")
    return None if ids is None else set(ids)


def _account(account_id: int, within: set[int] | None) -> Account:
    found = Account.get_or_none(Account.id == account_id)
    if found is None or not service.in_scope(found, within):
        abort(404)
    return found


def _unit(raw) -> Unit | None:
    return Unit.get_or_none(Unit.id == int(raw)) if raw and str(raw).isdigit() else None


@bp.route("/", methods=["GET", "POST"])
@permission_required("accounts.manage")
def index():
    """Every account with its roles; the form to open one."""
    me = require("accounts.manage")
    within = _scope(me)
    errors: dict = {}
    if request.method == "POST":
        try:
            account = service.add_account(request.form.to_dict(), by=me, within=within)
        except UserError as exc:
            errors = exc.errors or {"username": exc.message}
            flash(exc.message, "error")
        else:
            flash(_("已开通账号：%(name)s", name=account.username), "success")
            return redirect(url_for("accounts.index", q=account.username))
    query = (request.args.get("q") or "").strip()
    accounts = Account.select(Account, Member).join(Member, on=(Account.member == Member.id), join_type=JOIN.LEFT_OUTER)
    if within is not None:
        accounts = accounts.where(Member.unit.in_(within or {0}))
    if query:
        accounts = accounts.where(Account.username.contains(query) | Account.display_name.contains(query)
                                  | Member.name.contains(query) | Member.staff_no.contains(query))
    accounts = list(accounts.order_by(Account.username).limit(200))
    managed = service.managed_among(accounts, within)
    accounts = [a for a in accounts if a.id in managed]
    grants: dict[int, list[RoleGrant]] = {}
    for grant in (RoleGrant.select().where(RoleGrant.account.in_([a.id for a in accounts]))
                  .order_by(RoleGrant.role, RoleGrant.id)):
        grants.setdefault(grant.account_id, []).append(grant)
    units = list(Unit.select().where(Unit.id.in_(within or {0})).order_by(Unit.path) if within is not None
                 else Unit.select().order_by(Unit.path))
    roles = all_roles()
    grantable = [role for role in roles if role != "participant"]  # everybody with a login participates
    return render_template("core/accounts.html", accounts=accounts, grants=grants, units=units, roles=roles,
                           grantable=[r for r in grantable if within is None or r != "admin"],
                           everywhere=within is None, levels=REVIEW_LEVELS, query=query, errors=errors,
                           form=request.form if request.method == "POST" else {}), (422 if errors else 200)


def _back(account: Account):
    return redirect(url_for("accounts.index", q=account.username))


@bp.route("/<int:account_id>/roles", methods=["POST"])
@permission_required("accounts.manage")
def grant(account_id: int):
    me = require("accounts.manage")
    within = _scope(me)
    account = _account(account_id, within)
    try:
        service.give_role(account, request.form.get("role", ""), unit=_unit(request.form.get("unit")),
                          detail=request.form.get("detail", ""), by=me, within=within)
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(_("已为 %(name)s 添加角色", name=account.username), "success")
    return _back(account)


@bp.route("/<int:account_id>/roles/<int:grant_id>/revoke", methods=["POST"])
@permission_required("accounts.manage")
def revoke(account_id: int, grant_id: int):
    me = require("accounts.manage")
    within = _scope(me)
    account = _account(account_id, within)
    try:
        service.take_role(account, grant_id, by=me, within=within)
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(_("已撤销 %(name)s 的角色", name=account.username), "success")
    return _back(account)


@bp.route("/<int:account_id>/password", methods=["POST"])
@permission_required("accounts.manage")
def password(account_id: int):
    me = require("accounts.manage")
    account = _account(account_id, _scope(me))
    try:
        service.reset_password(account, request.form.get("password", ""), by=me)
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(_("已重设 %(name)s 的密码", name=account.username), "success")
    return _back(account)


@bp.route("/<int:account_id>/active", methods=["POST"])
@permission_required("accounts.manage")
def active(account_id: int):
    me = require("accounts.manage")
    account = _account(account_id, _scope(me))
    enable = request.form.get("active") == "1"
    try:
        service.set_active(account, enable, by=me)
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(_("已启用 %(name)s", name=account.username) if enable else _("已停用 %(name)s", name=account.username),
              "success")
    return _back(account)
