"""What the organizer does by hand, each with a reason and an audit row: sign someone in or out,
undo a sign-in, excuse an absence, revoke and reissue a personal code.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, Refused
from core.models import Registration
from core.services import audit
from core.timeutil import utcnow
from plugins.checkin import checkpoints as checkpoint_service
from plugins.checkin import tokens
from plugins.checkin.models import CheckIn, Checkpoint, Excuse, TokenState
from plugins.checkin.scanning import ScanResult, scan


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("请填写原因"), {"reason": _("请填写原因")})
    return reason


def _registration_of(checkpoint: Checkpoint, registration: Registration | int) -> Registration:
    reg = registration if isinstance(registration, Registration) else Registration.get_or_none(
        Registration.id == registration)
    if reg is None or reg.event_id != checkpoint.event_id:
        raise Invalid(_("该报名不属于本活动"))
    return reg


def manual(checkpoint: Checkpoint, registration, *, kind: str = "in", reason: str, at: datetime | None = None,
           account=None) -> ScanResult:
    """Sign someone in or out by hand (any time, window or not), with a reason."""
    reason = _reason(reason)
    reg = _registration_of(checkpoint, registration)
    if at is not None and at > utcnow():
        raise Invalid(_("时间不能晚于现在"), {"at": _("时间不能晚于现在")})
    info = checkpoint_service.info_by_id(checkpoint.id)
    with db.atomic():
        answer = scan(info, registration_id=reg.id, kind=kind, source="manual", scanned_at=at,
                      account_id=getattr(account, "id", None), reason=reason, check_window=False, trust_time=True)
        if answer.ok and not answer.already:
            audit.record("checkin.manual_" + kind, object_type="CheckIn", object_id=reg.id,
                         after={"checkpoint": checkpoint.key, "status": answer.status, "at": answer.at},
                         reason=reason, account=account, event=checkpoint.event_id)
    return answer


def decide_time(checkpoint: Checkpoint, registration, *, kind: str = "in", accept: bool, reason: str,
                account=None) -> CheckIn:
    """The organizer's word on a device time the server did not take (see ``plugins/checkin/clock.py``).

    ``accept``: the scan counts by the time the device claimed, its status worked out again; otherwise it
    keeps the upload time. Either way the flag goes, the claimed time stays on the row and an audit row
    says who decided, why, and what changed.
    """
    reason = _reason(reason)
    reg = _registration_of(checkpoint, registration)
    with db.atomic():
        row = CheckIn.get_or_none(CheckIn.checkpoint == checkpoint.id, CheckIn.registration == reg.id,
                                  CheckIn.kind == kind, CheckIn.time_flag != "")
        if row is None:
            raise Refused(_("没有待确认的扫码时间"))
        before = {"at": row.scanned_at.isoformat(), "status": row.status, "claimed_at": row.claimed_at.isoformat(),
                  "flag": row.time_flag}
        if accept:
            window = checkpoint_service.window_of(checkpoint)
            if kind == "in" and not window.accepts_sign_in(row.claimed_at):
                raise Refused(_("设备时间不在签到时间内，不能采用"))
            row.scanned_at = row.claimed_at
            row.status = window.sign_in_status(row.claimed_at) if kind == "in" else window.sign_out_status(
                row.claimed_at)
        row.time_flag = ""
        row.save()
        audit.record("checkin.time_accepted" if accept else "checkin.time_kept", object_type="CheckIn",
                     object_id=row.id, before=before, after={"at": row.scanned_at.isoformat(), "status": row.status},
                     reason=reason, account=account, event=checkpoint.event_id)
    return row


def undo(checkpoint: Checkpoint, registration, *, kind: str = "in", reason: str, account=None) -> None:
    """Remove a wrong sign-in (with its sign-out) or sign-out."""
    reason = _reason(reason)
    reg = _registration_of(checkpoint, registration)
    kinds = ("in", "out") if kind == "in" else ("out",)
    with db.atomic():
        rows = list(CheckIn.select().where(CheckIn.checkpoint == checkpoint.id, CheckIn.registration == reg.id,
                                           CheckIn.kind.in_(kinds)))
        if not rows:
            raise Refused(_("没有可撤销的签到记录"))
        CheckIn.delete().where(CheckIn.id.in_([r.id for r in rows])).execute()
        audit.record("checkin.undo", object_type="CheckIn", object_id=reg.id,
                     before=[{"kind": r.kind, "status": r.status, "at": r.scanned_at} for r in rows],
                     reason=reason, account=account, event=checkpoint.event_id)


def excuse(checkpoint: Checkpoint, registration, *, reason: str, account=None) -> Excuse:
    """Mark a registration excused (请假) at a checkpoint; its status becomes ``excused``."""
    reason = _reason(reason)
    reg = _registration_of(checkpoint, registration)
    with db.atomic():
        Excuse.insert(checkpoint=checkpoint.id, registration=reg.id, reason=reason,
                      account_id=getattr(account, "id", None), created_at=utcnow()).on_conflict(
            conflict_target=[Excuse.checkpoint, Excuse.registration],
            update={Excuse.reason: reason, Excuse.account_id: getattr(account, "id", None)}).execute()
        audit.record("checkin.excuse", object_type="Registration", object_id=reg.id,
                     after={"checkpoint": checkpoint.key}, reason=reason, account=account, event=checkpoint.event_id)
    return Excuse.get(Excuse.checkpoint == checkpoint.id, Excuse.registration == reg.id)


def unexcuse(checkpoint: Checkpoint, registration, *, account=None) -> None:
    reg = _registration_of(checkpoint, registration)
    with db.atomic():
        removed = Excuse.delete().where(Excuse.checkpoint == checkpoint.id, Excuse.registration == reg.id).execute()
        if removed:
            audit.record("checkin.unexcuse", object_type="Registration", object_id=reg.id,
                         after={"checkpoint": checkpoint.key}, account=account, event=checkpoint.event_id)


def token_state(registration: Registration) -> TokenState:
    found = TokenState.get_or_none(TokenState.registration == registration.id)
    return found or TokenState(registration=registration.id, version=1, revoked=False)


def token_for(registration: Registration) -> str | None:
    """The registration's current personal code, or ``None`` while it is revoked."""
    state = token_state(registration)
    return None if state.revoked else tokens.personal_token(registration.id, state.version)


def token_states(registration_ids: list[int]) -> dict[int, TokenState]:
    """The code states of many registrations at once (missing ones are version 1, valid)."""
    states = {}
    for start in range(0, len(registration_ids), 500):
        chunk = registration_ids[start:start + 500]
        states.update({s.registration_id: s for s in TokenState.select().where(TokenState.registration.in_(chunk))})
    return states


def code_for_state(registration_id: int, state: TokenState | None) -> str | None:
    if state is not None and state.revoked:
        return None
    return tokens.personal_token(registration_id, state.version if state else 1)


def revoke(registration: Registration, *, reason: str, account=None) -> None:
    """Refuse the registration's current code until a new one is issued."""
    reason = _reason(reason)
    with db.atomic():
        TokenState.insert(registration=registration.id, version=1, revoked=True, updated_at=utcnow()).on_conflict(
            conflict_target=[TokenState.registration],
            update={TokenState.revoked: True, TokenState.updated_at: utcnow()}).execute()
        audit.record("checkin.revoke", registration, reason=reason, account=account, event=registration.event_id)


def reissue(registration: Registration, *, reason: str = "", account=None) -> str:
    """Issue a new code (next version); every earlier code of this registration stops working."""
    with db.atomic():
        state = token_state(registration)
        version = state.version + 1
        TokenState.insert(registration=registration.id, version=version, revoked=False,
                          updated_at=utcnow()).on_conflict(
            conflict_target=[TokenState.registration],
            update={TokenState.version: TokenState.version + 1, TokenState.revoked: False,
                    TokenState.updated_at: utcnow()}).execute()
        state = TokenState.get(TokenState.registration == registration.id)
        audit.record("checkin.reissue", registration, after={"version": state.version}, reason=reason or "",
                     account=account, event=registration.event_id)
    return tokens.personal_token(registration.id, state.version)
