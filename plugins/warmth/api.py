"""送温暖 JSON endpoints under ``/api/v1/warmth``: files (masked unless the caller may see them,
every full view logged), eligibility, review steps, visits, payments, reports and the self-test."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.access import current_account, permission_required, public
from core.api.spec import OBJECT, operation
from core.errors import Invalid, NotFound
from core.models import Unit
from core.money import yuan
from core.timeutil import utcnow
from plugins.warmth import scope
from plugins.warmth.eligibility import self_test
from plugins.warmth.models import CAUSES, FLAGS, OFFENCES, SEASONS, Household, Payment
from plugins.warmth.services import archive, campaigns, reports, review, standards

bp = Blueprint("api_warmth", __name__, url_prefix="/api/v1/warmth")

TEXT = {"type": "string", "maxLength": 200}
MONEY = {"type": ["string", "integer"]}

HOUSEHOLD_BODY = {
    "type": "object",
    "properties": {
        "unit": {"type": "integer"}, "member_id": {"type": "integer"}, "worker_name": TEXT, "id_number": TEXT,
        "phone": TEXT, "address": TEXT, "employer": TEXT, "region_code": TEXT, "year": {"type": "integer"},
        "members_count": {"type": "integer", "minimum": 1}, "main_cause": {"enum": [*CAUSES, None]},
        "secondary_causes": {"type": "array", "items": {"enum": list(CAUSES)}},
        "offence": {"enum": [*OFFENCES, None]}, "situation": {"type": "string"}, "bank_name": TEXT,
        "bank_account": TEXT,
        "incomes": {"type": "array", "items": {"type": "object", "properties": {
            "category": TEXT, "amount": MONEY, "note": TEXT}, "required": ["category", "amount"]}},
        "spendings": {"type": "array", "items": {"type": "object", "properties": {
            "category": TEXT, "amount": MONEY, "note": TEXT}, "required": ["category", "amount"]}},
        **{k: {"type": "boolean"} for k in FLAGS},
    },
    "additionalProperties": False,
}
REVIEW_BODY = {"type": "object", "properties": {"action": {"enum": list(review.ACTIONS)}, "comment": TEXT},
               "required": ["action"], "additionalProperties": False}
PAYMENT_BODY = {"type": "object", "properties": {
    "household_id": {"type": "integer"}, "amount": MONEY, "bank_account": TEXT, "students": {"type": "integer"},
    "paid_on": TEXT, "fund_id": {"type": "integer"}}, "required": ["household_id", "bank_account"],
    "additionalProperties": False}
VISIT_BODY = {"type": "object", "properties": {
    "household_id": {"type": "integer"}, "enterprise": TEXT, "visited_on": TEXT, "visitors": TEXT, "money": MONEY,
    "goods": TEXT, "learned": {"type": "string"}, "follow_up": {"type": "string"}, "bank_account": TEXT,
    "students": {"type": "integer"}, "plan_id": {"type": "integer"}, "fund_id": {"type": "integer"}},
    "required": ["visited_on", "visitors"], "additionalProperties": False}
SELF_TEST_BODY = {"type": "object", "properties": {
    "region_code": TEXT, "year": {"type": "integer"}, "members": {"type": ["integer", "string"]},
    "yearly_income": MONEY, "medical_costs": MONEY, "tuition": MONEY, "disaster": MONEY,
    "main_cause": {"type": ["string", "null"]}, "unemployed": {"type": "boolean"},
    "is_migrant_worker": {"type": "boolean"}}, "required": ["region_code", "members", "yearly_income"],
    "additionalProperties": False}


def household_json(household: Household, private: bool) -> dict:
    data = {"id": household.id, "unit": {"id": household.unit_id, "name": household.unit.name},
            "name": household.worker_name if private else household.masked_name,
            "id_number": household.id_number if private else household.masked_id,
            "stage": household.stage, "status": household.status, "year": household.year}
    if private:
        money = archive.totals(household)
        decision = archive.latest_decision(household)
        data.update({
            "members_count": household.members_count, "region_code": household.region_code,
            "main_cause": household.main_cause, "secondary_causes": household.secondary_causes,
            "yearly_income": str(money["income"]), "essential_spending": str(money["spending"]),
            "bank_name": household.bank_name, "bank_account": household.bank_account,
            "filled_by": household.filled_by_name,
            "decision": None if decision is None else {
                "eligible": decision.eligible, "matched": decision.matched, "exclusions": decision.exclusions,
                "threshold": decision.figures.get("threshold"), "summary": decision.summary,
                "per_head_monthly": str(decision.per_head_monthly), "trace": decision.trace},
        })
    return data


@bp.route("/households")
@permission_required("warmth.view")
@operation("困难职工档案列表（无权限者脱敏）", tags=["warmth"], query={"stage": {"type": "string"}})
def households():
    account = current_account()
    query = scope.households(account).order_by(Unit.path, Household.id)
    stage = request.args.get("stage")
    if stage:
        query = query.where(Household.stage == stage)
    out = []
    for h in query.limit(1000):
        out.append(household_json(h, False))
    return jsonify(households=out)


@bp.route("/households/<int:household_id>")
@permission_required("warmth.view")
@operation("困难职工档案（完整信息的每次查看都记入审计日志）", tags=["warmth"])
def household(household_id: int):
    account = current_account()
    h = scope.load_household(account, household_id)
    private = scope.sees_private(account, h)
    if private:
        archive.log_private_view(h, account=account, what="api")
    return jsonify(household_json(h, private))


@bp.route("/households", methods=["POST"])
@permission_required("warmth.file")
@operation("建立困难职工档案（含收入和刚性支出）", tags=["warmth"], body=HOUSEHOLD_BODY, responses={201: OBJECT})
def create_household():
    from core.db import db

    account = current_account()
    body = request.get_json()
    data = {k: v for k, v in body.items() if k not in ("incomes", "spendings")}
    with db.atomic():
        h = archive.save_household(None, data, account=account)
        for kind, key in (("income", "incomes"), ("spending", "spendings")):
            for line in body.get(key, []):
                archive.add_money_line(h, {**line, "kind": kind}, account=account)
    return jsonify(household_json(h, True)), 201


@bp.route("/households/<int:household_id>/assess", methods=["POST"])
@permission_required("warmth.file")
@operation("按当地标准认定并保存认定过程", tags=["warmth"])
def assess(household_id: int):
    account = current_account()
    h = scope.load_household(account, household_id, "warmth.file")
    decision = archive.decide(h, account=account)
    return jsonify(eligible=decision.eligible, matched=decision.matched, exclusions=decision.exclusions,
                   threshold=decision.figures["threshold"], summary=decision.summary, trace=decision.trace)


@bp.route("/households/<int:household_id>/review", methods=["POST"])
@permission_required("warmth.view")
@operation("审核：申报、初审、审定、退回或不予认定", tags=["warmth"], body=REVIEW_BODY)
def act(household_id: int):
    account = current_account()
    h = scope.load_household(account, household_id, "warmth.view_private")
    body = request.get_json()
    step = review.act(h, body["action"], body.get("comment", ""), account=account)
    return jsonify(stage=step.to_stage, level=step.level, action=step.action)


def _campaign(campaign_id: int):
    return scope.load_campaign(current_account(), campaign_id)


def _household_for(campaign, household_id: int) -> Household:
    h = Household.get_or_none(Household.id == household_id)
    if h is None or not h.unit.path.startswith(campaign.unit.path):
        raise NotFound(_("找不到该档案"))
    return h


@bp.route("/campaigns/<int:campaign_id>/payments", methods=["POST"])
@permission_required("warmth.campaigns")
@operation("发放帮扶金（同一活动同一人只能帮扶一次，各级通用）", tags=["warmth"], body=PAYMENT_BODY, responses={201: OBJECT})
def pay(campaign_id: int):
    campaign = _campaign(campaign_id)
    body = request.get_json()
    payment = campaigns.pay(campaign, _household_for(campaign, body["household_id"]), body,
                            account=current_account())
    return jsonify(payment_json(payment)), 201


def payment_json(p: Payment) -> dict:
    return {"id": p.id, "campaign": p.campaign_key, "unit": p.unit.name, "amount": str(yuan(p.amount)),
            "paid_on": p.paid_on.isoformat(), "account_last4": p.account_last4}


@bp.route("/campaigns/<int:campaign_id>/visits", methods=["POST"])
@permission_required("warmth.campaigns")
@operation("登记走访（含慰问金时同时发放）", tags=["warmth"], body=VISIT_BODY, responses={201: OBJECT})
def visit(campaign_id: int):
    campaign = _campaign(campaign_id)
    v = campaigns.record_visit(campaign, request.get_json(), account=current_account())
    return jsonify(id=v.id, money=str(v.money), payments=[payment_json(p) for p in v.payments]), 201


@bp.route("/reports/campaigns")
@permission_required("warmth.campaigns")
@operation("各级各季活动汇总及与上年对比", tags=["warmth"], query={"year": {"type": "integer", "minimum": 2000, "maximum": 2100}})
def campaign_report():
    year = request.args.get("year", type=int) or utcnow().year
    rows = reports.campaign_rows(year, scope.unit_ids(current_account(), "warmth.campaigns"))
    return jsonify(year=year, campaigns=[{
        "id": r["campaign"].id, "season": r["campaign"].season, "unit": r["unit"], "level": r["level"],
        "households": r["households"], "enterprises": r["enterprises"], "people": r["people"],
        "money": str(yuan(r["money"])),
        "people_change": None if r["people_change"] is None else str(r["people_change"]),
        "money_change": None if r["money_change"] is None else str(r["money_change"]),
    } for r in rows])


@bp.route("/self-test", methods=["POST"])
@public
@operation("困难职工自测（匿名，不保存）", tags=["warmth"], body=SELF_TEST_BODY)
def self_test_api():
    body = request.get_json()
    version = standards.lookup(body["region_code"], body.get("year") or utcnow().year)
    try:
        decision = self_test(version.to_set(), members=body["members"], yearly_income=str(body["yearly_income"]),
                             medical_costs=str(body.get("medical_costs", 0)), tuition_beyond_compulsory=str(
                                 body.get("tuition", 0)), disaster_or_disability_spending=str(body.get("disaster", 0)),
                             main_cause=body.get("main_cause"), unemployed=body.get("unemployed", False),
                             is_migrant_worker=body.get("is_migrant_worker", False))
    except (TypeError, ValueError) as exc:
        raise Invalid(str(exc)) from None
    return jsonify(decision.to_dict())


__all__ = ["bp", "SEASONS"]
