"""The three-level review (精准识别): 基层工会 submits → 乡镇街道工会 first review → 县区总工会
approval after the public notice. Each step carries a comment; a file may be sent back for
revision or rejected with a reason. A reviewer acts only at his level and within his units.

Every step is one conditional UPDATE of the file's stage (so two reviewers cannot both move it)
plus a :class:`ReviewStep` and an audit row, in one transaction.

Maker-checker: one person acts at one level of a file only. Whoever filed or edited it (the grassroots
level's work) or acted at one level may not act at another, whatever roles he holds; the administrator
is no exception.
"""

from __future__ import annotations

import operator
from functools import reduce

import peewee
from flask_babel import gettext as _

from core.db import db
from core.errors import Forbidden, Invalid, Refused
from core.models import AuditLog, Unit
from core.services import audit
from core.timeutil import utcnow
from plugins.warmth.models import LEVELS, Household, Notice, NoticeEntry, Objection, ReviewStep
from plugins.warmth.scope import review_levels
from plugins.warmth.services import archive, notify

# action -> (level, stages it may start from, stage it leads to)
ACTIONS = {
    "submit": ("grassroots", ("draft", "returned"), "submitted"),
    "pass": ("township", ("submitted",), "first_reviewed"),
    "approve": ("county", ("noticed",), "approved"),
    "return_township": ("township", ("submitted",), "returned"),
    "reject_township": ("township", ("submitted",), "rejected"),
    "return_county": ("county", ("first_reviewed", "noticed"), "returned"),
    "reject_county": ("county", ("first_reviewed", "noticed"), "rejected"),
}
ACTION_LABELS = {"submit": "申报", "pass": "初审通过", "approve": "审定通过", "return_township": "退回修改",
                 "reject_township": "不予认定", "return_county": "退回修改", "reject_county": "不予认定",
                 "strike": "公示异议成立，取消认定", "notice": "列入公示"}


def act(household: Household, action: str, comment: str, *, account) -> ReviewStep:
    """Take one review step. Returning or rejecting needs a reason; the others a comment is optional."""
    if action not in ACTIONS:
        raise Invalid(_("未知的审核操作"))
    level, sources, target = ACTIONS[action]
    comment = (comment or "").strip()
    fresh = Household.get_by_id(household.id)  # the caller's copy may predate a notice or another step
    household.stage, household.status, household.year = fresh.stage, fresh.status, fresh.year
    if level not in review_levels(account, household.unit):
        raise Forbidden(_("您不是该档案%(level)s的审核人", level=_(LEVELS[level])))
    other = level_acted_at(household, account, besides=level)
    if other is not None:
        raise Forbidden(_("您已在该档案的%(level)s环节办理过，同一人不能办理两级审核", level=_(LEVELS[other])))
    if household.status == "closed":
        raise Refused(_("档案已销档"))
    if household.stage not in sources:
        raise Refused(_("档案当前状态为“%(stage)s”，不能执行此操作", stage=_(household.stage_label)))
    if action.startswith(("return", "reject")) and not comment:
        raise Invalid(_("退回或不予认定时请填写原因"), {"comment": _("请填写原因")})
    if action == "submit":
        decision = archive.decide(household, account=account)
        if not decision.eligible:
            raise Refused(_("经认定不符合帮扶条件，不能申报：%(summary)s", summary=decision.summary))
    if action == "approve":
        _check_notice_done(household)
        decision = archive.latest_decision(household)
        if decision is None or not decision.eligible or decision.year != household.year:
            raise Refused(_("该档案没有本年度符合条件的认定结果"))
    return _move(household, action, level, sources, target, comment, account)


def level_acted_at(household: Household, account, *, besides: str) -> str | None:
    """A level other than ``besides`` where ``account`` already acted on ``household`` (filing and
    editing the file count as the grassroots level), or ``None``."""
    account_id = getattr(account, "id", None)
    if account_id is None:
        return None
    step = (ReviewStep.select(ReviewStep.level)
            .where(ReviewStep.household == household.id, ReviewStep.account == account_id,
                   ReviewStep.level != besides).first())
    if step is not None:
        return step.level
    if besides != "grassroots" and AuditLog.select().where(
            AuditLog.object_type == "Household", AuditLog.object_id == str(household.id),
            AuditLog.account_id == account_id,
            AuditLog.action.in_(("warmth.household.create", "warmth.household.update"))).exists():
        return "grassroots"
    return None


def _move(household, action, level, sources, target, comment, account) -> ReviewStep:
    with db.atomic():
        moved = (Household.update(stage=target, updated_at=utcnow())
                 .where(Household.id == household.id, Household.stage.in_(sources)).execute())
        if moved != 1:
            raise Refused(_("档案状态已被他人更改，请刷新后重试"))
        step = ReviewStep.create(household=household, year=household.year, level=level, action=action,
                                 from_stage=household.stage, to_stage=target, comment=comment, account=account,
                                 account_name=str(account) if account else "")
        audit.record(f"warmth.review.{action}", household, before={"stage": household.stage},
                     after={"stage": target, "level": level}, reason=comment, account=account)
        notify.after_step(household, action, level, step=step, account=account)
    household.stage = target
    return step


def _check_notice_done(household: Household) -> None:
    from plugins.warmth.services.notices import today

    entry = (NoticeEntry.select(NoticeEntry, Notice).join(Notice)
             .where(NoticeEntry.household == household, Notice.year == household.year)
             .order_by(Notice.opens_on.desc()).first())
    if entry is None:
        raise Refused(_("审定前须先公示"))
    notice = entry.notice
    if today() <= notice.closes_on:
        raise Refused(_("公示期至 %(day)s 结束，公示期满后才能审定", day=notice.closes_on.isoformat()))
    open_objections = notice.objections.where(Objection.status == "open",
                                              (Objection.household == household) | Objection.household.is_null())
    if open_objections.exists():
        raise Refused(_("公示期间收到的异议尚未处理，处理后才能审定"))


def strike(household: Household, reason: str, *, account) -> ReviewStep:
    """An upheld objection takes a file off the list (不予认定)."""
    return _move(household, "strike", "county", ("noticed", "first_reviewed", "approved"), "rejected", reason,
                 account)


# The stages whose files wait for a reviewer at each level.
WAITING = {"grassroots": ("draft", "returned"), "township": ("submitted",), "county": ("first_reviewed", "noticed")}


def pending_queries(account) -> dict[str, peewee.ModelSelect]:
    """For each level where ``account`` reviews, the query of the files waiting for him there.

    Each file comes with its unit (one query, whatever the number of files) and with only what a
    queue shows; the order is stable for paging: the longest waiting first, then by id.
    """
    from plugins.warmth.scope import reviewer_units

    out = {}
    for level, stages in WAITING.items():
        units = reviewer_units(account, level)
        if units == []:
            continue
        query = (Household.select(Household.id, Household.worker_name, Household.stage, Household.updated_at,
                                  Household.unit, Unit.id, Unit.name, Unit.path)
                 .join(Unit, on=(Household.unit == Unit.id))
                 .where(Household.stage.in_(stages), Household.status == "active"))
        if units is not None:
            query = query.where(reduce(operator.or_, [Unit.path.startswith(unit.path) for unit in units]))
        out[level] = query.order_by(Household.updated_at, Household.id)
    return out
