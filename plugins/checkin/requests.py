"""Participants' own requests: 请假 (leave) before a checkpoint opens, 补签 (make-up sign-in) after he
came and was not scanned. Each carries a reason; the event's organizer approves or refuses it with a
note; an approval goes through the organizer's own tools (an excuse, a manual sign-in) so that the
attendance and its audit rows are the same as if he had done it by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.db import db
from core.errors import Forbidden, Invalid, Refused
from core.models import Registration
from core.services import audit
from core.timeutil import shift, utcnow
from plugins.checkin import checkpoints as checkpoint_service
from plugins.checkin import overrides
from plugins.checkin.models import AttendanceRequest, CheckIn, Checkpoint

KIND_LABELS = {"leave": _l("请假"), "makeup": _l("补签")}
STATUS_LABELS = {"pending": _l("待审批"), "approved": _l("已批准"), "refused": _l("未批准")}
# A make-up request is accepted this long after the checkpoint has ended.
MAKEUP_DAYS = 7


def open_kinds(checkpoint: Checkpoint, now: datetime | None = None) -> list[str]:
    """The requests a participant may make at ``checkpoint`` now: leave until it opens, make-up from its
    opening until ``MAKEUP_DAYS`` after its end."""
    now = now or utcnow()
    window = checkpoint_service.window_of(checkpoint)
    kinds = []
    if now < window.opens_at:
        kinds.append("leave")
    if window.opens_at <= now <= shift(window.ends_at, timedelta(days=MAKEUP_DAYS)):
        kinds.append("makeup")
    return kinds


def submit(registration: Registration, checkpoint: Checkpoint, kind: str, *, reason: str, account,
           arrived_at: datetime | None = None) -> AttendanceRequest:
    """Ask for leave or a make-up sign-in for one's own registration. A refused request may be made again."""
    if account is None or account.member_id != registration.member_id:
        raise Forbidden(_("只能为自己的报名提出申请"))
    if registration.status != "active" or checkpoint.event_id != registration.event_id:
        raise Refused(_("报名未生效，不能申请"))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请填写原因"), {"reason": _("请填写原因")})
    if kind not in open_kinds(checkpoint):
        raise Refused(_("请假须在签到开始前申请") if kind == "leave" else _("补签须在签到开始后、结束后 %(days)s 天内申请",
                                                                       days=MAKEUP_DAYS))
    window = checkpoint_service.window_of(checkpoint)
    if kind == "makeup":
        if CheckIn.select().where(CheckIn.checkpoint == checkpoint.id, CheckIn.registration == registration.id,
                                  CheckIn.kind == "in").exists():
            raise Refused(_("你已签到，无需补签"))
        if arrived_at is not None and not window.accepts_sign_in(arrived_at):
            raise Invalid(_("到场时间应在签到时间内"), {"arrived_at": _("到场时间应在签到时间内")})
    with db.atomic():
        found = AttendanceRequest.get_or_none(AttendanceRequest.registration == registration.id,
                                              AttendanceRequest.checkpoint == checkpoint.id,
                                              AttendanceRequest.kind == kind)
        if found is not None and found.status == "approved":
            raise Refused(_("该申请已批准"))
        request = found or AttendanceRequest(registration=registration.id, checkpoint=checkpoint.id, kind=kind)
        request.reason, request.arrived_at, request.status = reason, arrived_at if kind == "makeup" else None, "pending"
        request.created_at, request.decided_at, request.decided_by, request.note = utcnow(), None, None, ""
        request.save()
        audit.record(f"checkin.request.{kind}", object_type="Registration", object_id=registration.id,
                     after={"checkpoint": checkpoint.key, "arrived_at": arrived_at.isoformat() if arrived_at else None},
                     reason=reason, account=account, event=checkpoint.event_id)
    return request


def decide(request: AttendanceRequest, *, approve: bool, note: str = "", account) -> AttendanceRequest:
    """Approve or refuse a pending request; only one decision is taken (a conditional UPDATE). The caller
    has checked that ``account`` manages sign-in at the event."""
    note = (note or "").strip()
    if not approve and not note:
        raise Invalid(_("不批准时请填写说明"), {"note": _("不批准时请填写说明")})
    checkpoint = Checkpoint.get_by_id(request.checkpoint_id)
    with db.atomic():
        moved = (AttendanceRequest.update(status="approved" if approve else "refused", decided_at=utcnow(),
                                          decided_by=account.id, note=note)
                 .where(AttendanceRequest.id == request.id, AttendanceRequest.status == "pending").execute())
        if moved != 1:
            raise Refused(_("该申请已处理"))
        label = str(KIND_LABELS[request.kind])
        if approve and request.kind == "leave":
            overrides.excuse(checkpoint, request.registration_id, reason=_("%(kind)s申请：%(reason)s", kind=label,
                                                                           reason=request.reason), account=account)
        elif approve:
            answer = overrides.manual(checkpoint, request.registration_id, kind="in", at=request.arrived_at,
                                      reason=_("%(kind)s申请：%(reason)s", kind=label, reason=request.reason),
                                      account=account)
            if not answer.ok:
                raise Refused(answer.message)
        audit.record("checkin.request.approved" if approve else "checkin.request.refused",
                     object_type="Registration", object_id=request.registration_id,
                     after={"checkpoint": checkpoint.key, "kind": request.kind}, reason=note or request.reason,
                     account=account, event=checkpoint.event_id)
    return AttendanceRequest.get_by_id(request.id)


def pending(event_id: int) -> list[AttendanceRequest]:
    """The event's requests awaiting a decision, oldest first, with their registrations and members."""
    return list(AttendanceRequest.select(AttendanceRequest, Registration, Checkpoint)
                .join(Registration).switch(AttendanceRequest).join(Checkpoint)
                .where(Checkpoint.event == event_id, AttendanceRequest.status == "pending")
                .order_by(AttendanceRequest.created_at))


def of_registration(registration_id: int) -> list[AttendanceRequest]:
    return list(AttendanceRequest.select().where(AttendanceRequest.registration == registration_id)
                .order_by(AttendanceRequest.created_at.desc()))
