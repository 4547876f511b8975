"""送温暖 pages: the archive, review, notices, campaigns, funds, thresholds, wishes, reports and
the public self-test and notice pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import can, current_account, login_required, permission_required, public
from core.errors import Forbidden, Invalid, NotFound, UserError
from core.models import Account, RoleGrant, Unit
from core.paging import paginate
from core.timeutil import utcnow
from core.validation import int_arg
from core.xlsx import workbook_response
from plugins.warmth import scope
from plugins.warmth.eligibility import EXCLUSIONS, RULES, self_test
from plugins.warmth.models import (
    CAUSES,
    CLOSE_KINDS,
    FLAGS,
    FUND_KINDS,
    INCOME_CATEGORIES,
    LEVELS,
    OFFENCES,
    PAIRING_ROLES,
    SEASONS,
    SPENDING_CATEGORIES,
    STAGES,
    WISH_GROUPS,
    WISH_STATUSES,
    Attachment,
    Campaign,
    Household,
    Notice,
    Objection,
    Payment,
    Wish,
)
from plugins.warmth.services import (
    archive,
    campaigns,
    evidence,
    funds,
    notices,
    people,
    reports,
    review,
    standards,
)
from plugins.warmth.services.review import ACTION_LABELS

bp = Blueprint("warmth", __name__, url_prefix="/warmth")
ARCHIVE_PAGE = 50  # files a page of the archive
QUEUE_PAGE = 50  # files a page of each review level's queue


def _units(permission: str):
    ids = scope.unit_ids(current_account(), permission)
    query = Unit.select().order_by(Unit.path)
    if ids is not None:
        query = query.where(Unit.id.in_(ids or [0]))
    return list(query)


def _unit_from_form(permission: str) -> Unit:
    unit = Unit.get_or_none(Unit.id == request.form.get("unit", type=int))
    if unit is None or not can(current_account(), permission, unit=unit):
        raise NotFound(_("请选择有权限的单位"))
    return unit


def _run(action, success: str, back: str):
    """Run a service call from a form: flash its message and go back. A refusal of access (another
    review level, another unit) is not a form error: it answers 403 (or 404 where the record is not
    the account's to see) like the checks before it."""
    try:
        action()
    except (Forbidden, NotFound):
        raise
    except UserError as exc:
        flash(exc.message, "error")
    else:
        flash(success, "success")
    return redirect(back)


def _year() -> int:
    return int_arg("year", utcnow().year, low=1900, high=2100)


def _share() -> Decimal:
    """The spot-check share from the query: 0.07, 7% or 7 all mean seven in a hundred."""
    raw = (request.args.get("share") or "0.07").strip()
    percent = raw.endswith(("%", "％"))
    try:
        value = Decimal(raw.rstrip("%％").strip())
    except InvalidOperation:
        value = None
    if value is not None and value.is_finite():
        if percent or value > 1:
            value = value / 100
        if 0 < value <= 1:
            return value
    message = _("抽查比例应为 0 到 1 之间的小数或百分数，如 0.07 或 7%")
    raise Invalid(message, {"share": message})


# --- the archive -------------------------------------------------------------------------------


@bp.route("/")
@permission_required("warmth.view")
def index():
    account = current_account()
    query = scope.households(account)
    report = request.args.get("report", "")
    stage = request.args.get("stage", "")
    if report == "stale":
        query = archive.not_updated_for_a_year(query)
    elif report == "never":
        query = archive.never_aided(query)
    elif report == "closed":
        query = query.where(Household.status == "closed")
    if stage in STAGES:
        query = query.where(Household.stage == stage)
    q = request.args.get("q", "").strip()
    if q:
        query = archive.search(query, q)
    page = paginate(query.order_by(Unit.path, Household.id), int_arg("page", 1), ARCHIVE_PAGE)
    private = {h.id for h in page.items if scope.sees_private(account, h)}
    return render_template("warmth/index.html", page=page, households=page.items, private=private,
                           report=report, stage=stage, q=q, stages=STAGES, can_file=can(account, "warmth.file"))


@bp.route("/households/new", methods=["GET", "POST"])
@permission_required("warmth.file")
def new_household():
    account = current_account()
    errors = {}
    if request.method == "POST":
        try:
            household = archive.save_household(None, _form_data(), account=account)
        except Forbidden:
            raise
        except UserError as exc:
            flash(exc.message, "error")
            errors = exc.errors
        else:
            flash(_("已建档：%(name)s", name=household.worker_name), "success")
            return redirect(url_for("warmth.household", household_id=household.id))
    return render_template("warmth/household_form.html", household=None, units=_units("warmth.file"),
                           form=request.form, errors=errors, **_choices())


def _form_data() -> dict:
    data = request.form.to_dict()
    data["secondary_causes"] = request.form.getlist("secondary_causes")
    for key in FLAGS:
        data[key] = key in request.form
    return data


def _choices() -> dict:
    return {"causes": CAUSES, "offences": OFFENCES, "flags": FLAGS, "regions": standards.regions()}


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@permission_required("warmth.file")
def edit_household(household_id: int):
    account = current_account()
    household = scope.load_household(account, household_id, "warmth.file")
    errors = {}
    if request.method == "POST":
        try:
            archive.save_household(household, _form_data(), account=account)
        except Forbidden:
            raise
        except UserError as exc:
            flash(exc.message, "error")
            errors = exc.errors
        else:
            flash(_("已保存"), "success")
            return redirect(url_for("warmth.household", household_id=household.id))
    archive.log_private_view(household, account=account, what="edit")
    return render_template("warmth/household_form.html", household=household, units=_units("warmth.file"),
                           form=request.form, errors=errors, **_choices())


@bp.route("/households/<int:household_id>")
@permission_required("warmth.view")
def household(household_id: int):
    account = current_account()
    household = scope.load_household(account, household_id)
    private = scope.sees_private(account, household)
    context = {"household": household, "private": private}
    if private:
        archive.log_private_view(household, account=account)
        context.update(
            totals=archive.totals(household), decision=archive.latest_decision(household),
            steps=list(household.review_steps.order_by(review.ReviewStep.at)),
            payments=list(household.payments), levels=scope.review_levels(account, household.unit),
            can_file=can(account, "warmth.file", unit=household.unit), income_categories=INCOME_CATEGORIES,
            spending_categories=SPENDING_CATEGORIES, causes=CAUSES, offences=OFFENCES, flags=FLAGS,
            close_kinds=CLOSE_KINDS, action_labels=ACTION_LABELS, levels_labels=LEVELS,
            cadres=_cadres(household.unit), pairing_roles=PAIRING_ROLES,
            problems=list(household.solved_problems), pairings=list(household.pairings))
    return render_template("warmth/household.html", **context)


def _cadres(unit: Unit):
    """Accounts holding a role in the unit or above it: the people who may answer for a household."""
    ids = [int(p) for p in unit.path.strip("/").split("/") if p]
    return list(Account.select().join(RoleGrant).where(RoleGrant.unit.in_(ids)).distinct().order_by(Account.id))


def _household_post(household_id: int, action, success: str, permission: str = "warmth.file"):
    account = current_account()
    household = scope.load_household(account, household_id, permission)
    return _run(lambda: action(household, account), success,
                url_for("warmth.household", household_id=household.id))


@bp.route("/households/<int:household_id>/family", methods=["POST"])
@permission_required("warmth.file")
def add_family(household_id: int):
    return _household_post(household_id, lambda h, a: archive.add_family_member(h, request.form.to_dict(), account=a),
                           _("已添加家庭成员"))


@bp.route("/households/<int:household_id>/money", methods=["POST"])
@permission_required("warmth.file")
def add_money(household_id: int):
    return _household_post(household_id, lambda h, a: archive.add_money_line(h, request.form.to_dict(), account=a),
                           _("已添加收支项目"))


@bp.route("/households/<int:household_id>/evidence", methods=["POST"])
@permission_required("warmth.file")
def upload_evidence(household_id: int):
    upload = request.files.get("file")

    def do(h, a):
        data = upload.read() if upload else b""
        evidence.upload(h, request.form.get("title", ""), upload.filename if upload else "", data, account=a)

    return _household_post(household_id, do, _("已上传证明材料"))


@bp.route("/households/<int:household_id>/evidence/<int:attachment_id>")
@permission_required("warmth.view_private")
def download_evidence(household_id: int, attachment_id: int):
    account = current_account()
    household = scope.load_household(account, household_id, "warmth.view_private")
    attachment = Attachment.get_or_none(Attachment.id == attachment_id, Attachment.household == household)
    if attachment is None:
        abort(404)
    archive.log_private_view(household, account=account, what=f"evidence:{attachment.id}")
    response = Response(evidence.read(attachment), mimetype=attachment.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename=evidence-{attachment.id}.{attachment.stored_name.rsplit('.', 1)[-1]}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/households/<int:household_id>/assess", methods=["POST"])
@permission_required("warmth.file")
def assess(household_id: int):
    return _household_post(household_id, lambda h, a: archive.decide(h, account=a), _("已完成认定测算"))


@bp.route("/households/<int:household_id>/review", methods=["POST"])
@permission_required("warmth.view")
def act(household_id: int):
    return _household_post(
        household_id, lambda h, a: review.act(h, request.form.get("action", ""), request.form.get("comment", ""),
                                              account=a), _("已提交审核意见"), permission="warmth.view_private")


@bp.route("/households/<int:household_id>/close", methods=["POST"])
@permission_required("warmth.file")
def close(household_id: int):
    return _household_post(household_id, lambda h, a: archive.close(h, request.form.get("kind", ""),
                                                                    request.form.get("reason", ""), account=a),
                           _("已销档"))


@bp.route("/households/<int:household_id>/reopen", methods=["POST"])
@permission_required("warmth.file")
def reopen(household_id: int):
    return _household_post(household_id, lambda h, a: archive.reopen(h, request.form.get("reason", ""), account=a),
                           _("已重新启用档案"))


@bp.route("/households/<int:household_id>/recheck", methods=["POST"])
@permission_required("warmth.file")
def recheck(household_id: int):
    return _household_post(household_id, lambda h, a: archive.recheck(h, request.form.to_dict(), account=a),
                           _("已完成年度复核"))


@bp.route("/households/<int:household_id>/responsible", methods=["POST"])
@permission_required("warmth.file")
def responsible(household_id: int):
    return _household_post(household_id,
                           lambda h, a: people.assign_responsible(h, request.form.to_dict(), account=a),
                           _("已确定责任干部"))


@bp.route("/households/<int:household_id>/problems", methods=["POST"])
@permission_required("warmth.file")
def problems(household_id: int):
    return _household_post(household_id, lambda h, a: people.solve_problem(h, request.form.to_dict(), account=a),
                           _("已登记解决的问题"))


# --- review and notices ------------------------------------------------------------------------


@bp.route("/reviews")
@permission_required("warmth.review")
def reviews():
    account = current_account()
    shown, number = request.args.get("level", ""), int_arg("page", 1)
    queues = {level: paginate(query, number if level == shown else 1, QUEUE_PAGE)
              for level, query in review.pending_queries(account).items()}
    county = scope.reviewer_units(account, "county")
    county_units = list(Unit.select().order_by(Unit.path)) if county is None else county
    return render_template("warmth/reviews.html", queues=queues, levels=LEVELS,
                           county_units=county_units,
                           notices=list(Notice.select().order_by(Notice.created_at.desc()).limit(50))
                           if scope.reviewer_units(account, "county") != [] else [])


def _load_notice(notice_id: int) -> Notice:
    notice = Notice.get_or_none(Notice.id == notice_id)
    if notice is None or "county" not in scope.review_levels(current_account(), notice.unit):
        abort(404)
    return notice


@bp.route("/notices/new", methods=["POST"])
@permission_required("warmth.review")
def new_notice():
    account = current_account()
    unit = _unit_from_form("warmth.review")
    ids = [int(i) for i in request.form.getlist("household_ids") if i.isdigit()]
    try:
        notice = notices.publish(unit, request.form.to_dict(), ids, account=account)
    except Forbidden:
        raise
    except UserError as exc:
        flash(exc.message, "error")
        return redirect(url_for("warmth.reviews"))
    flash(_("已发布公示"), "success")
    return redirect(url_for("warmth.notice", notice_id=notice.id))


@bp.route("/notices/<int:notice_id>")
@permission_required("warmth.review")
def notice(notice_id: int):
    notice = _load_notice(notice_id)
    return render_template("warmth/notice.html", notice=notice, rows=notices.public_rows(notice),
                           objections=list(notice.objections.order_by(Objection.received_at)))


@bp.route("/objections/<int:objection_id>/resolve", methods=["POST"])
@permission_required("warmth.review")
def resolve_objection(objection_id: int):
    objection = Objection.get_or_none(Objection.id == objection_id) or abort(404)
    notice = _load_notice(objection.notice_id)
    return _run(lambda: notices.resolve(objection, request.form.get("upheld") == "1",
                                        request.form.get("resolution", ""), account=current_account()),
                _("已处理异议"), url_for("warmth.notice", notice_id=notice.id))


@bp.route("/notices/<int:notice_id>/take-down", methods=["POST"])
@permission_required("warmth.review")
def take_down(notice_id: int):
    notice = _load_notice(notice_id)
    return _run(lambda: notices.take_down(notice, account=current_account()), _("公示已撤下"),
                url_for("warmth.notice", notice_id=notice.id))


@bp.route("/public/notices/<int:notice_id>", methods=["GET", "POST"])
@public
def public_notice(notice_id: int):
    notice = Notice.get_or_none(Notice.id == notice_id)
    if notice is None or not notices.is_visible(notice):
        abort(404)
    if request.method == "POST":
        return _run(lambda: notices.object_to(notice, request.form.to_dict()), _("已收到您的异议，我们将核实处理"),
                    url_for("warmth.public_notice", notice_id=notice.id))
    return render_template("warmth/notice_public.html", notice=notice, rows=notices.public_rows(notice))


# --- self-test and thresholds ------------------------------------------------------------------


@bp.route("/self-test", methods=["GET", "POST"])
@public
def self_test_page():
    result, error = None, None
    regions = standards.regions()
    if request.method == "POST":
        form = request.form
        try:
            version = standards.lookup(form.get("region_code", ""), form.get("year", type=int) or utcnow().year)
            result = self_test(
                version.to_set(), members=form.get("members", ""), yearly_income=form.get("yearly_income", ""),
                medical_costs=form.get("medical_costs") or "0", tuition_beyond_compulsory=form.get("tuition") or "0",
                disaster_or_disability_spending=form.get("disaster") or "0", main_cause=form.get("main_cause") or None,
                unemployed="unemployed" in form, is_migrant_worker="migrant" in form,
                dues_paid_in_full_and_on_time="dues_unpaid" not in form)
        except UserError as exc:
            error = exc.message
        except (TypeError, ValueError) as exc:
            error = str(exc)
    return render_template("warmth/self_test.html", result=result, error=error, regions=regions, causes=CAUSES,
                           year=utcnow().year, form=request.form)


@bp.route("/thresholds", methods=["GET", "POST"])
@permission_required("warmth.thresholds")
def thresholds():
    errors = {}
    if request.method == "POST":
        try:
            standards.add_version(request.form.to_dict(), account=current_account())
        except UserError as exc:
            flash(exc.message, "error")
            errors = exc.errors
        else:
            flash(_("已录入新版本标准"), "success")
            return redirect(url_for("warmth.thresholds"))
    return render_template("warmth/thresholds.html", versions=list(standards.versions()), form=request.form,
                           errors=errors)


# --- campaigns, visits, payments, funds --------------------------------------------------------


@bp.route("/campaigns", methods=["GET", "POST"])
@permission_required("warmth.campaigns")
def campaigns_page():
    account = current_account()
    if request.method == "POST":
        unit = _unit_from_form("warmth.campaigns")
        return _run(lambda: campaigns.create(unit, request.form.to_dict(), account=account), _("已创建活动"),
                    url_for("warmth.campaigns_page"))
    rows = list(scope.campaigns(account).order_by(Campaign.year.desc(), Campaign.season, Unit.path))
    return render_template("warmth/campaigns.html", campaigns=rows, seasons=SEASONS,
                           units=_units("warmth.campaigns"), year=utcnow().year)


@bp.route("/campaigns/<int:campaign_id>")
@permission_required("warmth.campaigns")
def campaign(campaign_id: int):
    account = current_account()
    campaign = scope.load_campaign(account, campaign_id)
    eligible = list(scope.households(account).where(Household.stage == "approved", Household.status == "active",
                                                    Unit.path.startswith(campaign.unit.path)))
    return render_template("warmth/campaign.html", campaign=campaign, figures=campaigns.figures(campaign),
                           plans=list(campaign.plans), visits=list(campaign.visits),
                           payments=list(campaign.payments), collective=list(campaign.collective),
                           eligible=eligible, fund_sources=list(funds.ledger(campaign.unit, campaign.year)["sources"]))


def _campaign_post(campaign_id: int, action, success: str):
    account = current_account()
    campaign = scope.load_campaign(account, campaign_id)
    return _run(lambda: action(campaign, account), success, url_for("warmth.campaign", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/plans", methods=["POST"])
@permission_required("warmth.campaigns")
def add_plan(campaign_id: int):
    return _campaign_post(campaign_id, lambda c, a: campaigns.add_plan(c, request.form.to_dict(), account=a),
                          _("已添加走访计划"))


@bp.route("/campaigns/<int:campaign_id>/visits", methods=["POST"])
@permission_required("warmth.campaigns")
def add_visit(campaign_id: int):
    return _campaign_post(campaign_id, lambda c, a: campaigns.record_visit(c, request.form.to_dict(), account=a),
                          _("已登记走访"))


@bp.route("/campaigns/<int:campaign_id>/collective", methods=["POST"])
@permission_required("warmth.campaigns")
def add_collective(campaign_id: int):
    return _campaign_post(campaign_id, lambda c, a: campaigns.collective_visit(c, request.form.to_dict(), account=a),
                          _("已登记集中慰问"))


@bp.route("/funds", methods=["GET", "POST"])
@permission_required("warmth.funds")
def funds_page():
    account = current_account()
    units = _units("warmth.funds")
    if request.method == "POST":
        unit = _unit_from_form("warmth.funds")
        return _run(lambda: funds.add_source(unit, request.form.to_dict(), account=account), _("已登记资金"),
                    url_for("warmth.funds_page", unit=unit.id, year=request.form.get("year")))
    unit = Unit.get_or_none(Unit.id == request.args.get("unit", type=int)) or (units[0] if units else None)
    if unit is None or not can(account, "warmth.funds", unit=unit):
        abort(404)
    return render_template("warmth/funds.html", unit=unit, units=units, year=_year(),
                           ledger=funds.ledger(unit, _year()), kinds=FUND_KINDS)


# --- responsibility, wishes, reports -----------------------------------------------------------


@bp.route("/cadres")
@permission_required("warmth.view_private")
def cadres():
    account = current_account()
    rows = people.cadre_report(scope.households(account, "warmth.view_private"), _year())
    return render_template("warmth/cadres.html", rows=rows, year=_year(), roles=PAIRING_ROLES)


@bp.route("/wishes", methods=["GET", "POST"])
@login_required
def wishes():
    account = current_account()
    if request.method == "POST":
        unit = _unit_from_form("warmth.wishes")
        return _run(lambda: people.add_wish(unit, request.form.to_dict(), account=account), _("已登记心愿"),
                    url_for("warmth.wishes"))
    query = scope.wishes_for(account)
    return render_template("warmth/wishes.html", wishes=list(query.order_by(Wish.created_at.desc()).limit(300)),
                           groups=WISH_GROUPS, statuses=WISH_STATUSES, quarters=people.wishes_per_quarter(query),
                           units=_units("warmth.wishes"))


@bp.route("/wishes/<int:wish_id>/<string:step>", methods=["POST"])
@login_required
def wish_step(wish_id: int, step: str):
    wish = Wish.get_or_none(Wish.id == wish_id) or abort(404)
    account = current_account()
    if step == "claim":
        return _run(lambda: people.claim_wish(wish, account=account), _("已认领心愿"), url_for("warmth.wishes"))
    if step == "fulfil":
        return _run(lambda: people.fulfil_wish(wish, request.form.get("note", ""), account=account),
                    _("已登记心愿实现"), url_for("warmth.wishes"))
    abort(404)


@bp.route("/reports")
@permission_required("warmth.campaigns")
def reports_page():
    account = current_account()
    year = _year()
    ids = scope.unit_ids(account, "warmth.campaigns")
    rows = reports.campaign_rows(year, ids)
    share = _share()
    seed = request.args.get("seed") or str(year)
    visible_ids = scope.unit_ids(account, "warmth.view")
    sample = reports.spot_check(reports.aided_households(year, visible_ids), share, seed)
    return render_template("warmth/reports.html", rows=rows, levels=reports.totals_by_level(rows), year=year,
                           sample=sample, share=share, seed=seed,
                           aided=len(reports.aided_households(year, visible_ids)))


@bp.route("/export/archive.xlsx")
@permission_required("warmth.view_private")
def export_archive():
    account = current_account()
    households = list(scope.households(account, "warmth.view_private").order_by(Unit.path, Household.id))
    for h in households:
        archive.log_private_view(h, account=account, what="export")
    return workbook_response(f"困难职工档案-{dt.date.today():%Y%m%d}.xlsx", "困难职工档案",
                             reports.ARCHIVE_HEADERS, reports.archive_rows(households),
                             text_columns=reports.ARCHIVE_TEXT_COLUMNS)


@bp.route("/campaigns/<int:campaign_id>/payments.xlsx")
@permission_required("warmth.campaigns")
def export_payments(campaign_id: int):
    account = current_account()
    campaign = scope.load_campaign(account, campaign_id)
    payments = list(campaign.payments.order_by(Payment.paid_on, Payment.id))
    full = all(scope.sees_private(account, p.household) for p in payments)
    if full:
        for p in payments:
            archive.log_private_view(p.household, account=account, what="payments-export")
    return workbook_response(f"{campaign.title}-发放表.xlsx", "发放表", reports.PAYMENT_HEADERS,
                             reports.payment_rows(payments, full), text_columns=(4, 7))


__all__ = ["bp", "RULES", "EXCLUSIONS"]
