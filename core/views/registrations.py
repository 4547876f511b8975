"""Registration pages: "我的报名", the form on the event page, the department head's batch page
(form, 报名表 upload and template), the organizer's list with counts, payments and audited edits, and
the organizer's rules page (event rules, items, teams).
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.access import current_account, login_required, managed_unit_ids, permission_required, require
from core.errors import Forbidden, Invalid, UserError
from core.models import Event, Item, Member, Registration, Team, Unit
from core.models.registrations import PAYMENT_STATUSES
from core.plugins import event_hooks, flatten
from core.security import safe_next
from core.services import events as event_service
from core.services import registrations as service
from core.services.visibility import can_view_event
from core.validation import Form
from core.xlsx import XLSX_MIME

bp = Blueprint("registrations", __name__)
# The labels of PAYMENT_STATUSES and the committee roles, listed for the translation catalog.
_LABELS = (_l("未缴费"), _l("已缴费"), _l("已退费"), _l("免费"), _l("摄像"), _l("后勤器材组"))


def _event(event_id: int) -> Event:
    event = event_service.get_event(event_id)
    if not can_view_event(current_account(), event):
        abort(404)
    return event


def _flash_error(exc: UserError) -> None:
    problems = exc.errors.get("rules") if isinstance(exc.errors.get("rules"), list) else None
    for message in problems or [exc.message]:
        flash(message, "error")
    if not problems:
        for label, message in exc.errors.items():
            flash(f"{label}：{message}", "error")


def extra_form(event: Event, data=None):
    """A form of the extra fields plugins add through ``huodong_registration_fields``."""
    pm = current_app.extensions["huodong_pm"]

    class ExtraForm(Form):
        pass

    fields = sorted(flatten(event_hooks(pm, event).huodong_registration_fields(event=event)), key=lambda f: f.order)
    for spec in fields:
        setattr(ExtraForm, spec.name, spec.factory())
    return ExtraForm(formdata=request.form if request.method == "POST" else None, data=data or {},
                     meta={"csrf": False}), [f.name for f in fields]


def _guests_from_form(form) -> list[service.GuestData]:
    names = form.getlist("guest_name")
    relations = form.getlist("guest_relation")
    kinds = form.getlist("guest_kind")
    guests = []
    for index, name in enumerate(names):
        if not name.strip():
            continue
        guests.append(service.GuestData(
            name=name.strip()[:50], relation=(relations[index] if index < len(relations) else "").strip()[:20],
            is_child=(kinds[index] if index < len(kinds) else "") == "child"))
    return guests


def _items_from_form(form, name: str = "items") -> list[int]:
    try:
        return [int(v) for v in form.getlist(name)]
    except ValueError:
        raise Invalid(_("所选项目无效")) from None


def _team_from_form(event: Event, value) -> Team | None:
    if not value:
        return None
    team = Team.get_or_none(Team.id == int(value) if str(value).isdigit() else 0, Team.event == event)
    if team is None:
        raise Invalid(_("所选队伍无效"))
    return team


def section_html(event: Event, account) -> str:
    """The registration block on the event page."""
    registration = None
    member = account.member if account is not None and account.member_id else None
    if member is not None:
        registration = Registration.get_or_none(Registration.event == event, Registration.member == member)
    items = list(event.items.order_by(Item.sort, Item.id))
    chosen = set()
    guests = []
    if registration is not None and registration.status != "withdrawn":
        chosen = {e.item_id for e in registration.entries}
        guests = list(registration.guests)
    else:
        registration = None
    rules = service.event_rules(event)
    form, extra_names = extra_form(event, data=registration.extra if registration else None)
    return render_template(
        "core/registrations/_section.html", event=event, account=account, member=member,
        registration=registration, items=items, chosen=chosen, guests=guests, rules=rules,
        teams=list(event.teams.order_by(Team.name)), auto_team=service.team_for(event, member) if member else None,
        window=service.window_problem(event), manage=service.may_manage(account, event),
        others=service.can_register_others(account, event), extra=form, extra_names=extra_names,
        rank=service.waitlist_rank(registration) if registration else None,
        left=None if event.capacity is None else max(event.capacity - service.people_taken(event), 0),
    )


@bp.route("/registrations/mine")
@login_required
def mine():
    account = current_account()
    regs = []
    if account.member_id:
        regs = list(Registration.select(Registration, Event).join(Event)
                    .where(Registration.member == account.member_id).order_by(Event.starts_at.desc()))
    entries = service.entries_by_registration(regs)
    guests = service.guests_by_registration(regs)
    return render_template("core/registrations/mine.html", regs=regs, entries=entries, guests=guests,
                           rank=service.waitlist_rank)


@bp.route("/events/<int:event_id>/register", methods=["POST"])
@login_required
def register_self(event_id: int):
    event = _event(event_id)
    account = current_account()
    if not account.member_id:
        raise Forbidden(_("你的账号没有关联会员，不能报名"))
    form, names = extra_form(event)
    try:
        if not form.validate():
            raise Invalid(_("报名信息有误"), {getattr(form, n).label.text: "；".join(getattr(form, n).errors)
                                              for n in names if getattr(form, n).errors})
        req = service.Request(member=account.member, items=_items_from_form(request.form),
                              team=_team_from_form(event, request.form.get("team")),
                              guests=_guests_from_form(request.form),
                              extra={n: getattr(form, n).data for n in names})
        reg = service.register(event, req, account=account)
    except UserError as exc:
        _flash_error(exc)
    else:
        if reg.status == "waitlisted":
            flash(_("名额已满，你已进入候补名单（第 %(n)s 位）", n=service.waitlist_rank(reg)), "success")
        else:
            flash(_("报名成功"), "success")
    return redirect(url_for("events.show", event_id=event.id))


@bp.route("/events/<int:event_id>/withdraw", methods=["POST"])
@login_required
def withdraw_self(event_id: int):
    event = _event(event_id)
    account = current_account()
    reg = Registration.get_or_none(Registration.event == event, Registration.member == account.member_id)
    if reg is None:
        abort(404)
    try:
        service.withdraw(reg, account=account)
    except UserError as exc:
        _flash_error(exc)
    else:
        flash(_("已退出报名"), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("events.show", event_id=event.id))


# ---------------------------------------------------------------- department heads and captains


def _department_scope(event: Event):
    account = current_account()
    if not service.can_register_others(account, event):
        abort(403)
    return account, list(service.managed_members(account, event))


@bp.route("/events/<int:event_id>/department", methods=["GET", "POST"])
@login_required
def department(event_id: int):
    """Tick who goes and in which items; saving registers the ticked and withdraws the unticked, all or nothing."""
    event = _event(event_id)
    account, members = _department_scope(event)
    regs = {r.member_id: r for r in service.event_registrations(event, unit_ids=None)
            if r.member_id in {m.id for m in members}}
    items = list(event.items.order_by(Item.sort, Item.id))
    errors: dict = {}
    if request.method == "POST":
        requests, leaving = [], []
        for member in members:
            going = request.form.get(f"go_{member.id}") == "1"
            if going:
                chosen = [i.id for i in items if request.form.get(f"item_{member.id}_{i.id}") == "1"]
                reg = regs.get(member.id)
                current = sorted(e.item_id for e in reg.entries) if reg else None
                if reg is not None and current == sorted(chosen):
                    continue  # unchanged
                requests.append((member.name, service.Request(member=member, items=chosen)))
            elif member.id in regs:
                leaving.append(member)
        try:
            service.register_batch(event, requests, account=account, withdraw_others=leaving,
                                   reason=request.form.get("reason", ""))
        except UserError as exc:
            errors = exc.errors or {"": exc.message}
            flash(exc.message, "error")
        else:
            added = sum(1 for _name, req in requests if req.member.id not in regs)
            flash(_("已保存：新报名 %(added)s 人，修改 %(changed)s 人，退出 %(left)s 人", added=added,
                    changed=len(requests) - added, left=len(leaving)), "success")
            return redirect(url_for("registrations.department", event_id=event.id))
    entries = service.entries_by_registration(list(regs.values()))
    return render_template("core/registrations/department.html", event=event, members=members, regs=regs,
                           items=items, entries={m: {i.id for i in entries.get(r.id, [])} for m, r in regs.items()},
                           errors=errors, frozen=service.is_frozen(event), window=service.window_problem(event),
                           manage=service.may_manage(account, event), form=request.form if errors else None,
                           warnings=service.team_warnings(event))


@bp.route("/events/<int:event_id>/department/template.xlsx")
@login_required
def template(event_id: int):
    event = _event(event_id)
    _account, members = _department_scope(event)
    data = service.template_workbook(event, members)
    from urllib.parse import quote

    response = current_app.response_class(data, mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(event.title + '-报名表模板.xlsx')}"
    return response


@bp.route("/events/<int:event_id>/department/upload", methods=["POST"])
@login_required
def upload(event_id: int):
    event = _event(event_id)
    account, _members = _department_scope(event)
    file = request.files.get("file")
    errors = {}
    if file is None or not file.filename:
        flash(_("请选择要上传的报名表（.xlsx）"), "error")
    else:
        try:
            requests = service.read_sheet(event, file.read())
            done = service.register_batch(event, requests, account=account, reason=request.form.get("reason", ""))
        except UserError as exc:
            errors = exc.errors
            flash(exc.message, "error")
        else:
            flash(_("报名表已导入：%(n)s 人", n=len(done)), "success")
            return redirect(url_for("registrations.department", event_id=event.id))
    return render_template("core/registrations/upload_result.html", event=event, errors=errors), 422


# ---------------------------------------------------------------- organizers


def _managed_event(event_id: int):
    event = event_service.get_event(event_id)
    account = require("events.manage", event=event)
    return event, account


@bp.route("/events/<int:event_id>/registrations")
@permission_required("registrations.manage")
def manage(event_id: int):
    """The list: organizers see everyone, department heads their units, with counts, payments and edits."""
    event = _event(event_id)
    account = current_account()
    organizer = service.may_manage(account, event)
    if not organizer and not service.heads_within(account, event):
        abort(403)
    unit_ids = None if organizer else managed_unit_ids(account, "registrations.manage")
    regs = list(service.event_registrations(event, unit_ids=unit_ids))
    return render_template(
        "core/registrations/manage.html", event=event, regs=regs, organizer=organizer,
        entries=service.entries_by_registration(regs), guests=service.guests_by_registration(regs),
        summary=service.summary(event) if organizer else None, payments=PAYMENT_STATUSES,
        frozen=service.is_frozen(event), edits=service.edit_history(event) if organizer else [],
        warnings=service.team_warnings(event), rank=service.waitlist_rank,
    )


def _registration(event: Event, registration_id: int) -> Registration:
    reg = Registration.get_or_none(Registration.id == registration_id, Registration.event == event)
    if reg is None:
        abort(404)
    return reg


@bp.route("/events/<int:event_id>/registrations/<int:registration_id>/payment", methods=["POST"])
@permission_required("events.manage")
def payment(event_id: int, registration_id: int):
    event, account = _managed_event(event_id)
    reg = _registration(event, registration_id)
    try:
        service.set_payment(reg, request.form.get("payment_status", ""), account=account,
                            reason=request.form.get("reason", ""))
    except UserError as exc:
        _flash_error(exc)
    else:
        flash(_("已登记%(name)s的缴费状态", name=reg.member.name), "success")
    return redirect(url_for("registrations.manage", event_id=event.id))


@bp.route("/events/<int:event_id>/registrations/<int:registration_id>/withdraw", methods=["POST"])
@permission_required("registrations.manage")
def withdraw_other(event_id: int, registration_id: int):
    event = _event(event_id)
    reg = _registration(event, registration_id)
    if not service.may_register_for(current_account(), event, reg.member):
        raise Forbidden(_("你不能替%(name)s退出报名", name=reg.member.name))
    try:
        service.withdraw(reg, account=current_account(), reason=request.form.get("reason", ""))
    except UserError as exc:
        _flash_error(exc)
    else:
        flash(_("已为%(name)s退出报名", name=reg.member.name), "success")
    return redirect(url_for("registrations.manage", event_id=event.id))


@bp.route("/events/<int:event_id>/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@permission_required("registrations.manage")
def edit(event_id: int, registration_id: int):
    """Change one registration's items, team and family members (a reason is required after the freeze)."""
    event = _event(event_id)
    reg = _registration(event, registration_id)
    account = current_account()
    if not service.may_register_for(account, event, reg.member):
        abort(403)
    items = list(event.items.order_by(Item.sort, Item.id))
    if request.method == "POST":
        try:
            req = service.Request(member=reg.member, items=_items_from_form(request.form),
                                  team=_team_from_form(event, request.form.get("team")),
                                  guests=_guests_from_form(request.form))
            service.register(event, req, account=account, reason=request.form.get("reason", ""))
        except UserError as exc:
            _flash_error(exc)
        else:
            flash(_("已保存%(name)s的报名", name=reg.member.name), "success")
            return redirect(url_for("registrations.manage", event_id=event.id))
    return render_template("core/registrations/edit.html", event=event, reg=reg, items=items,
                           chosen={e.item_id for e in reg.entries}, guests=list(reg.guests),
                           teams=list(event.teams.order_by(Team.name)), frozen=service.is_frozen(event),
                           rules=service.event_rules(event))


@bp.route("/events/<int:event_id>/registrations/promote", methods=["POST"])
@permission_required("events.manage")
def promote(event_id: int):
    event, account = _managed_event(event_id)
    promoted = service.promote_waitlist(event, account=account)
    flash(_("已从候补名单递补 %(n)s 人", n=len(promoted)), "success")
    return redirect(url_for("registrations.manage", event_id=event.id))


# ---------------------------------------------------------------- the organizer's rules page


def _int_or_none(value):
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise Invalid(_("“%(value)s”不是整数", value=value))
    return int(value)


def _save_items(event: Event, form, account) -> None:
    ids = form.getlist("item_id")
    for index, item_id in enumerate(ids):
        name = form.getlist("item_name")[index].strip()
        if not name:
            if item_id:
                Item.delete().where(Item.id == int(item_id), Item.event == event).execute()
            continue
        item = Item.get_or_none(Item.id == int(item_id), Item.event == event) if item_id else Item(event=event)
        if item is None:
            raise Invalid(_("所选项目无效"))
        item.name = name[:100]
        item.kind = "team" if form.getlist("item_kind")[index] == "team" else "individual"
        item.starred = str(index) in form.getlist("item_starred")
        item.group = form.getlist("item_group")[index].strip()[:40]
        item.sort = index + 1
        for key in ("capacity", "per_team", "team_size_min", "team_size_max", "min_women"):
            setattr(item, key, _int_or_none(form.getlist(f"item_{key}")[index]))
        if item.team_size_min and item.team_size_max and item.team_size_min > item.team_size_max:
            raise Invalid(_("“%(item)s”：每队最少人数不能大于最多人数", item=item.name))
        exclude = [t.strip() for t in form.getlist("item_exclude_jobs")[index].replace("，", "、").split("、")
                   if t.strip()]
        item.settings = dict(item.settings or {}) | {"exclude_jobs": exclude}
        if Item.select().where(Item.event == event, Item.name == item.name, Item.id != (item.id or 0)).exists():
            raise Invalid(_("项目“%(item)s”重复", item=item.name))
        item.save()


def _save_teams(event: Event, form, account) -> None:
    ids = form.getlist("team_id")
    for index, team_id in enumerate(ids):
        name = form.getlist("team_name")[index].strip()
        team = Team.get_or_none(Team.id == int(team_id), Team.event == event) if team_id else None
        if not name:
            if team is not None:
                team.delete_instance()
            continue
        units = [int(u) for u in form.getlist(f"team_units_{index}") if u.isdigit()]
        staff_no = form.getlist("team_captain")[index].strip()
        captain = None
        if staff_no:
            captain = Member.get_or_none(Member.staff_no == staff_no)
            if captain is None:
                raise Invalid(_("队长工号 %(no)s 不存在", no=staff_no))
        service.save_team(event, name=name, unit_ids=units, captain=captain, team=team, account=account)


@bp.route("/events/<int:event_id>/rules", methods=["GET", "POST"])
@permission_required("events.manage")
def rules(event_id: int):
    """Who may join, items per person, family and prices, waiting list; the items and the teams."""
    event, account = _managed_event(event_id)
    units = list(Unit.select().where(Unit.path.startswith(event.unit.path)).order_by(Unit.path))
    if request.method == "POST":
        form = request.form
        data = {
            "units": form.getlist("units"),
            "dues_paid": form.get("dues_paid") == "1",
            "exclude_jobs": form.get("exclude_jobs", ""),
            "exclude_roles": form.getlist("exclude_roles") + [
                t for t in form.get("exclude_committee", "").replace("，", "、").split("、") if t.strip()],
            "min_items": form.get("min_items") or None,
            "max_items": form.get("max_items") or None,
            "min_starred": form.get("min_starred") or None,
            "family": {"allowed": form.get("family_allowed") == "1", "max_per_member": form.get("family_max") or None},
            "prices": {"member": form.get("price_member") or None, "family": form.get("price_family") or None,
                       "child": form.get("price_child") or None},
            "waitlist": form.get("waitlist") == "1",
            "team_required": form.get("team_required") == "1",
        }
        from core.db import db

        try:
            with db.atomic():
                service.save_rules(event, data, account=account)
                _save_items(event, form, account)
                _save_teams(event, form, account)
        except UserError as exc:
            _flash_error(exc)
        else:
            flash(_("报名规则已保存"), "success")
            return redirect(url_for("registrations.rules", event_id=event.id))
    from core.roles import all_roles

    return render_template("core/registrations/rules.html", event=event, rules=service.event_rules(event),
                           units=units, items=list(event.items.order_by(Item.sort, Item.id)),
                           teams=list(event.teams.order_by(Team.name)), roles=all_roles(), service=service,
                           Decimal=Decimal)
