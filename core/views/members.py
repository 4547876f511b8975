"""Member pages: list and search, add and edit, roster import (upload, check, confirm) and export."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import can, current_account, managed_unit_ids, permission_required, require
from core.errors import UserError
from core.forms import MemberForm, RosterUploadForm
from core.models import Account, Member, Unit
from core.paging import paginate
from core.services import member_import, member_search
from core.services import members as member_service
from core.validation import int_arg
from core.xlsx import XLSX_MIME, file_response, spooled

bp = Blueprint("members", __name__, url_prefix="/members")
PAGE_SIZE = 50


def _visible_members(account):
    ids = managed_unit_ids(account, "members.view")
    query = Member.select(Member, Unit).join(Unit)
    if ids is not None:
        query = query.where(Member.unit.in_(ids or [0]))
    return query


def _unit_choices(account):
    ids = managed_unit_ids(account, "members.manage")
    query = Unit.select().order_by(Unit.path)
    if ids is not None:
        query = query.where(Unit.id.in_(ids or [0]))
    return [(u.id, "　" * max(u.depth, 0) + u.name) for u in query]


@bp.route("/")
@permission_required("members.view")
def index():
    account = current_account()
    q = request.args.get("q", "").strip()
    page = int_arg("page", 1)
    query = _visible_members(account)
    if q:
        query = member_search.search(query, q)
    page = paginate(query.order_by(Unit.path, Member.staff_no), page, PAGE_SIZE)
    return render_template("core/members/index.html", members=page.items, q=q, page=page, total=page.total,
                           show_private=can(account, "members.private"),
                           can_manage=can(account, "members.manage"))


@bp.route("/new", methods=["GET", "POST"])
@permission_required("members.manage")
def create():
    account = current_account()
    form = MemberForm()
    form.unit.choices = _unit_choices(account)
    if form.validate_on_submit():
        unit = Unit.get_or_none(Unit.id == form.unit.data) or abort(400)
        require("members.manage", unit=unit)
        try:
            member = member_service.save_member(None, form.data, account=account)
        except UserError as exc:
            for field, message in exc.errors.items():
                getattr(form, field).errors.append(message)
            flash(exc.message, "error")
        else:
            flash(_("已添加会员：%(name)s", name=member.name), "success")
            return redirect(url_for("members.index", q=member.staff_no))
    return render_template("core/members/form.html", form=form, member=None)


@bp.route("/<int:member_id>/edit", methods=["GET", "POST"])
@permission_required("members.manage")
def edit(member_id: int):
    account = current_account()
    member = Member.get_or_none(Member.id == member_id) or abort(404)
    require("members.manage", unit=member.unit)
    show_private = can(account, "members.private")
    form = MemberForm(obj=member)
    form.unit.choices = _unit_choices(account)
    if request.method == "GET":
        form.unit.data = member.unit_id
        form.id_number.data = member.id_number if show_private else ""
        form.phone.data = member.phone if show_private else ""
    if form.validate_on_submit():
        data = dict(form.data)
        for private in ("id_number", "phone"):
            if not show_private and not data.get(private):
                data.pop(private, None)  # unchanged: the editor could not see it
        try:
            member_service.save_member(member, data, account=account)
        except UserError as exc:
            for field, message in exc.errors.items():
                getattr(form, field).errors.append(message)
            flash(exc.message, "error")
        else:
            flash(_("已保存"), "success")
            return redirect(url_for("members.index", q=member.staff_no))
    return render_template("core/members/form.html", form=form, member=member, show_private=show_private,
                           member_account=Account.get_or_none(Account.member == member))


# ---------------------------------------------------------------- roster import and export
# An upload is checked and shown first; the file waits in the instance folder until the user
# confirms, and is checked again then, since the roster may have changed in between.

PENDING_MAX_AGE = 24 * 3600
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def _pending_folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending_path(account, token: str) -> Path:
    if not TOKEN_RE.match(token or ""):
        abort(404)
    return _pending_folder() / f"{account.id}-{token}.xlsx"


def _forget_old_uploads() -> None:
    limit = time.time() - PENDING_MAX_AGE
    for old in _pending_folder().glob("*.xlsx"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)


@bp.route("/import", methods=["GET", "POST"])
@permission_required("members.manage")
def import_roster():
    account = current_account()
    form = RosterUploadForm()
    plan = token = None
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            plan = member_import.prepare_import(data, account=account)
        except UserError as exc:
            form.file.errors.append(exc.message)
        else:
            if plan.ok:
                _forget_old_uploads()
                token = secrets.token_hex(16)
                _pending_path(account, token).write_bytes(data)
    return render_template("core/members/import.html", form=form, plan=plan, token=token,
                           filename=getattr(form.file.data, "filename", ""),
                           row_message=member_import.row_message), (422 if plan and not plan.ok else 200)


@bp.route("/import/confirm", methods=["POST"])
@permission_required("members.manage")
def confirm_import():
    account = current_account()
    path = _pending_path(account, request.form.get("token", ""))
    if not path.exists():
        flash(_("上传的文件已过期，请重新上传"), "error")
        return redirect(url_for("members.import_roster"))
    try:
        result = member_import.import_members(path.read_bytes(), account=account)
    except UserError as exc:
        flash(exc.message, "error")
        return redirect(url_for("members.import_roster"))
    path.unlink(missing_ok=True)
    flash(result.summary(), "success")
    return redirect(url_for("members.index"))


@bp.route("/import/template.xlsx")
@permission_required("members.manage")
def import_template():
    return file_response(member_import.template_workbook(current_account()), _("会员名册模板.xlsx"), XLSX_MIME)


@bp.route("/export.xlsx")
@permission_required("members.view")
def export_roster():
    account = current_account()
    show_private = can(account, "members.private")
    roster = spooled(lambda file: member_import.write_export(file, account=account, show_private=show_private))
    return file_response(roster, _("会员名册.xlsx"), XLSX_MIME)
