"""Member pages: list and search, add and edit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import can, current_account, managed_unit_ids, permission_required, require
from core.errors import UserError
from core.forms import MemberForm
from core.models import Member, Unit
from core.services import members as member_service

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
    page = max(1, request.args.get("page", 1, type=int))
    query = _visible_members(account)
    if q:
        query = query.where((Member.name.contains(q)) | (Member.staff_no == q) | (Member.phone == q)
                            | (Unit.name.contains(q)))
    total = query.count()
    members = list(query.order_by(Unit.path, Member.staff_no).paginate(page, PAGE_SIZE))
    return render_template("core/members/index.html", members=members, q=q, page=page, total=total,
                           pages=(total + PAGE_SIZE - 1) // PAGE_SIZE,
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
    if form.validate_on_submit():
        data = dict(form.data)
        if not show_private and not data.get("id_number"):
            data.pop("id_number", None)  # unchanged: the editor could not see it
        try:
            member_service.save_member(member, data, account=account)
        except UserError as exc:
            for field, message in exc.errors.items():
                getattr(form, field).errors.append(message)
            flash(exc.message, "error")
        else:
            flash(_("已保存"), "success")
            return redirect(url_for("members.index", q=member.staff_no))
    return render_template("core/members/form.html", form=form, member=member, show_private=show_private)
