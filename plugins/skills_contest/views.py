"""The contest's pages: the contest with its dates and items, an item's page (the session with its text
revealed at the start, handing in an entry, and for the organizer the phases, the roster with sign-in,
the entries, the panel and how far each judge sits from it), the item form, the panel, a judge's own
page (numbers only while the key is sealed), the results list, certificates and the prize list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from core.access import current_account, login_required, permission_required, public
from core.db import db
from core.errors import NotFound, UserError
from core.models import Account, Entry, Event, Member, Registration
from core.services import events as event_service
from core.services import registrations as reg_service
from core.services.activation import account_for_member
from core.services.visibility import can_view_event
from core.timeutil import from_local, to_local, utcnow
from core.xlsx import workbook_response
from plugins.checkin import public as checkin
from plugins.scoring import public as scoring
from plugins.skills_contest import awards, schedule, submissions
from plugins.skills_contest import items as item_service
from plugins.skills_contest.forms import ActionForm, ItemForm, JudgeForm, PhaseForm, SubmissionForm
from plugins.skills_contest.models import PHASES, ContestItem
from plugins.skills_contest.presets import ACTIVITY_TYPE

bp = Blueprint("skills_contest", __name__, url_prefix="/contest")


def load_event(event_id: int) -> Event:
    """A contest the current account may see (404 otherwise)."""
    try:
        event = event_service.get_event(event_id)
    except NotFound:
        abort(404)
    if event.activity_type != ACTIVITY_TYPE or not can_view_event(current_account(), event):
        abort(404)
    return event


def load_item(item_id: int) -> ContestItem:
    try:
        ci = item_service.contest_item(item_id)
    except NotFound:
        abort(404)
    load_event(ci.item.event_id)
    return ci


def require_manage(event: Event):
    account = current_account()
    if not reg_service.may_manage(account, event):
        abort(403)
    return account


def _entrants(ci: ContestItem) -> list[tuple[Member, Registration]]:
    return list(Entry.select(Entry, Member, Registration).join(Member).switch(Entry).join(Registration)
                .where(Entry.item == ci.item_id, Registration.status == "active").order_by(Member.staff_no))


def overview(event: Event, account) -> dict:
    manage = reg_service.may_manage(account, event)
    cis = item_service.contest_items(event)
    entered = set()
    if account is not None and account.member_id:
        entered = {i for (i,) in Entry.select(Entry.item).join(Registration)
                   .where(Entry.member == account.member_id, Registration.event == event.id,
                          Registration.status == "active").tuples()}
    panels = {ci.item_id: [str(a) for a, _role, _at in scoring.panel(ci.item)] for ci in cis}
    camera = [c.member.name for c in event.committee if c.role == "摄像"]
    return {"event": event, "items": cis, "dates": schedule.dates(event), "manage": manage, "entered": entered,
            "panels": panels, "camera": camera, "judging": {ci.item_id for ci in item_service.judged_items(account, event)}}


def section_html(event: Event, account) -> str:
    """The block on the event's page: dates and items with their phases."""
    return render_template("skills_contest/_section.html", **overview(event, account))


@bp.route("/events/<int:event_id>")
@public
def contest(event_id: int):
    event = load_event(event_id)
    return render_template("skills_contest/contest.html", **overview(event, current_account()))


# ---------------------------------------------------------------- items


def _form_data(event: Event, form: ItemForm) -> dict:
    def utc(value):
        return from_local(value, event.timezone) if value else None

    kinds = [k for k, on in (("file", form.allow_file.data), ("link", form.allow_link.data)) if on]
    extensions = (form.extensions.data or "").replace("，", ",").replace("、", ",").replace(" ", ",").split(",")
    return {"name": form.name.data, "mode": form.mode.data, "requirement": form.requirement.data,
            "starts_at": utc(form.starts_at.data), "ends_at": utc(form.ends_at.data), "room": form.room.data,
            "text_title": form.text_title.data, "text": form.text.data, "kinds": kinds, "extensions": extensions,
            "max_mb": form.max_mb.data or 10, "criteria": form.criteria.parsed,
            "bands": getattr(form.bands, "parsed", []), "encouragement": form.encouragement.data}


def _fill(form: ItemForm, ci: ContestItem) -> None:
    tz = ci.item.event.timezone
    config = scoring.item_scoring(ci.item)
    form.name.data, form.mode.data, form.requirement.data = ci.item.name, ci.mode, ci.requirement
    form.starts_at.data = to_local(ci.starts_at, tz).replace(tzinfo=None) if ci.starts_at else None
    form.ends_at.data = to_local(ci.ends_at, tz).replace(tzinfo=None) if ci.ends_at else None
    form.room.data, form.text_title.data, form.text.data = ci.room, ci.text_title, ci.text
    form.allow_file.data, form.allow_link.data = "file" in ci.kinds, "link" in ci.kinds
    form.extensions.data, form.max_mb.data = "、".join(ci.extensions), ci.max_mb
    form.criteria.data = "\n".join(f"{c['name']} {c['weight']}" for c in config.criteria)
    form.bands.data = "\n".join(f"{b['name']} {b.get('count', b.get('share'))}" for b in config.bands)
    form.encouragement.data = ci.encouragement


def _item_form_page(event: Event, ci: ContestItem | None):
    account = require_manage(event)
    form = ItemForm()
    if request.method == "GET":
        if ci is not None:
            _fill(form, ci)
        else:
            form.criteria.data = "笔法 30\n字法 30\n章法 20\n特色 20"
            form.bands.data = "一等奖 1/10\n二等奖 1/5\n三等奖 3/10\n鼓励奖 2/5"
    elif form.validate_on_submit():
        try:
            saved = item_service.save_item(event, _form_data(event, form), item=ci.item if ci else None,
                                           account=account)
        except UserError as exc:
            flash(exc.message, "error")
            return render_template("skills_contest/item_form.html", event=event, ci=ci, form=form), exc.status
        flash(_("项目“%(name)s”已保存", name=saved.item.name), "success")
        return redirect(url_for("skills_contest.item_page", item_id=saved.item_id))
    else:
        return render_template("skills_contest/item_form.html", event=event, ci=ci, form=form), 422
    return render_template("skills_contest/item_form.html", event=event, ci=ci, form=form)


@bp.route("/events/<int:event_id>/items/new", methods=["GET", "POST"])
@permission_required("events.manage")
def item_new(event_id: int):
    return _item_form_page(load_event(event_id), None)


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@permission_required("events.manage")
def item_edit(item_id: int):
    ci = load_item(item_id)
    return _item_form_page(ci.item.event, ci)


@bp.route("/items/<int:item_id>")
@public
def item_page(item_id: int):
    ci = load_item(item_id)
    event = ci.item.event
    account = current_account()
    manage = reg_service.may_manage(account, event)
    member = account.member if account is not None and account.member_id else None
    people = _entrants(ci)
    context = {
        "ci": ci, "item": ci.item, "event": event, "config": scoring.item_scoring(ci.item), "manage": manage,
        "judge": scoring.on_panel(ci.item, account), "show_text": item_service.text_visible(ci, account),
        "entered": member is not None and any(e.member_id == member.id for e in people),
        "mine": submissions.mine(ci.item, member), "form": SubmissionForm(), "action_form": ActionForm(),
        "phases": [(p, PHASES[p]) for p in item_service.phases_of(ci.mode)], "sealed": scoring.names_sealed(ci.item),
        "now": utcnow(), "accept": ",".join(f".{e}" for e in ci.extensions),
    }
    order = item_service.phases_of(ci.mode)
    here = order.index(ci.phase) if ci.phase in order else 0
    context["moves"] = [(order[i], PHASES[order[i]], i > here) for i in (here + 1, here - 1) if 0 <= i < len(order)]
    if manage:
        statuses = checkin.attendance_statuses(event, [e.member_id for e in people]) or {}
        context |= {"people": people, "statuses": statuses, "labels": checkin.STATUS_LABELS,
                    "entries": submissions.submissions_of(ci.item), "panel": scoring.panel(ci.item),
                    "distances": scoring.panel_distances(ci.item), "phase_form": PhaseForm()}
    return render_template("skills_contest/item.html", **context)


@bp.route("/items/<int:item_id>/phase", methods=["POST"])
@permission_required("events.manage")
def phase(item_id: int):
    ci = load_item(item_id)
    account = require_manage(ci.item.event)
    form = PhaseForm()
    if form.validate_on_submit():
        try:
            moved = item_service.move_phase(ci.item, form.phase.data, account=account)
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("“%(item)s”已进入“%(phase)s”阶段", item=moved.item.name, phase=_(moved.phase_label)), "success")
    else:
        flash(_("请选择阶段"), "error")
    return redirect(url_for("skills_contest.item_page", item_id=ci.item_id))


@bp.route("/items/<int:item_id>/lock", methods=["POST"])
@permission_required("events.manage")
def lock(item_id: int):
    ci = load_item(item_id)
    account = require_manage(ci.item.event)
    if ActionForm().validate_on_submit():
        try:
            item_service.lock_marks(ci.item, account=account)
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("评分已锁定，编号与姓名对照已揭晓"), "success")
    return redirect(url_for("skills_contest.item_page", item_id=ci.item_id))


# ---------------------------------------------------------------- entries


@bp.route("/items/<int:item_id>/submit", methods=["POST"])
@login_required
def submit(item_id: int):
    ci = load_item(item_id)
    account = current_account()
    form = SubmissionForm()
    if not form.validate_on_submit():
        flash("；".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("skills_contest.item_page", item_id=ci.item_id))
    upload = None
    if form.file.data and getattr(form.file.data, "filename", ""):
        upload = submissions.Upload(form.file.data.filename, form.file.data.stream)
    try:
        submissions.submit(ci, account.member if account.member_id else None, upload=upload,
                           url=form.url.data or None, note=form.note.data or "", account=account)
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(_("作品已提交"), "success")
    return redirect(url_for("skills_contest.item_page", item_id=ci.item_id))


@bp.route("/submissions/<int:submission_id>/file")
@login_required
def submission_file(submission_id: int):
    try:
        entry = submissions.load(submission_id)
    except NotFound:
        abort(404)
    ci = load_item(entry.item_id)
    account = current_account()
    if reg_service.may_manage(account, ci.item.event) or entry.member_id == account.member_id:
        name = entry.filename or "作品"
    elif scoring.on_panel(ci.item, account):
        row = next((r for r in scoring.judge_sheet(ci.item, account) if r.entrant == f"m{entry.member_id}"), None)
        if row is None or row.recused:
            abort(403)
        name = f"{ci.item.name}-{row.label}.{entry.stored.rsplit('.', 1)[-1]}"
    else:
        abort(403)
    if entry.kind != "file":
        abort(404)
    try:
        path = submissions.file_path(entry)
    except NotFound:
        abort(404)
    return send_file(path, as_attachment=True, download_name=name)


# ---------------------------------------------------------------- panel


def _account_for(who: str) -> Account | None:
    """The account named ``who`` (a username), or the account of the member with that staff number, opened
    for him if he has none yet (the judge role waits for him to activate it)."""
    who = (who or "").strip()
    found = Account.get_or_none(Account.username == who)
    if found is None:
        member = Member.get_or_none(Member.staff_no == who)
        if member is not None:
            found = account_for_member(member)
    return found


@bp.route("/items/<int:item_id>/judges", methods=["GET", "POST"])
@permission_required("events.manage")
def judges(item_id: int):
    ci = load_item(item_id)
    account = require_manage(ci.item.event)
    form = JudgeForm()
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                with db.atomic():  # an account opened for the judge goes too when he cannot judge this item
                    judge = _account_for(form.who.data)
                    if judge is None:
                        raise NotFound(_("找不到工号或用户名为“%(who)s”的会员或账号", who=form.who.data))
                    item_service.add_judge(ci.item, judge, by=account)
            except UserError as exc:
                flash(exc.message, "error")
            else:
                flash(_("已请%(name)s担任“%(item)s”的评委", name=str(judge), item=ci.item.name), "success")
                return redirect(url_for("skills_contest.judges", item_id=ci.item_id))
        else:
            flash("；".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return render_template("skills_contest/judges.html", ci=ci, item=ci.item, event=ci.item.event, form=form,
                           panel=scoring.panel(ci.item), action_form=ActionForm())


@bp.route("/items/<int:item_id>/judges/<int:account_id>/remove", methods=["POST"])
@permission_required("events.manage")
def judge_remove(item_id: int, account_id: int):
    ci = load_item(item_id)
    account = require_manage(ci.item.event)
    judge = Account.get_or_none(Account.id == account_id)
    if judge is None:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            item_service.remove_judge(ci.item, judge, by=account)
        except UserError as exc:
            flash(exc.message, "error")
        else:
            flash(_("已将%(name)s移出评委组", name=str(judge)), "success")
    return redirect(url_for("skills_contest.judges", item_id=ci.item_id))


@bp.route("/items/<int:item_id>/judge")
@login_required
def judge_page(item_id: int):
    ci = load_item(item_id)
    account = current_account()
    if not scoring.on_panel(ci.item, account):
        abort(403)
    sheet = []
    if ci.phase in ("judging", "published"):
        sheet = scoring.judge_sheet(ci.item, account)
    entries = {f"m{member_id}": s for member_id, s in submissions.submissions_of(ci.item).items()}
    seat = next((s for s in scoring.panel(ci.item) if s[0].id == account.id), None)
    distance = scoring.judge_distance(ci.item, account) if seat and seat[2] else None
    return render_template("skills_contest/judge.html", ci=ci, item=ci.item, event=ci.item.event, sheet=sheet,
                           entries=entries, submitted=bool(seat and seat[2]), distance=distance,
                           sealed=scoring.names_sealed(ci.item))


@bp.route("/mine")
@login_required
def mine():
    return render_template("skills_contest/mine.html", items=item_service.judged_items(current_account()))


# ---------------------------------------------------------------- results


def results_visible(ci: ContestItem, account) -> bool:
    """Everybody sees a published item's list; the organizers once its marks are locked."""
    if ci.phase == "published":
        return True
    return reg_service.may_manage(account, ci.item.event) and not scoring.names_sealed(ci.item)


@bp.route("/items/<int:item_id>/results")
@public
def results(item_id: int):
    ci = load_item(item_id)
    visible = results_visible(ci, current_account())
    return render_template("skills_contest/results.html", ci=ci, item=ci.item, event=ci.item.event,
                           visible=visible, rows=awards.results(ci) if visible else [])


@bp.route("/events/<int:event_id>/certificates")
@permission_required("events.manage")
def certificates(event_id: int):
    event = load_event(event_id)
    require_manage(event)
    item = None
    if request.args.get("item", "").isdigit():
        item = next((ci.item for ci in item_service.contest_items(event) if ci.item_id == int(request.args["item"])),
                    None)
        if item is None:
            abort(404)
    return render_template("skills_contest/certificates.html", event=event,
                           certificates=awards.certificates(event, item))


@bp.route("/events/<int:event_id>/prizes.xlsx")
@permission_required("events.manage")
def prizes_xlsx(event_id: int):
    event = load_event(event_id)
    require_manage(event)
    headers, rows = awards.prize_sheet(event)
    return workbook_response(f"{event.title}-获奖名单.xlsx", _("获奖名单"), headers, rows)
