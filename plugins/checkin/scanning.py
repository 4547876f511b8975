"""The sign-in path: one scan of a code (or a chosen registration) at a checkpoint.

It is the busiest path of the app, so it is kept lean: the code's signature is checked before the
database is touched, then one indexed lookup (registration, member, unit, team and code version in
one query) and one ``INSERT ... ON CONFLICT DO NOTHING RETURNING id``. The unique index on
(checkpoint, registration, kind) makes a second scan of the same person a no-op, whatever the
number of scanners, processes or retries; the answer says whether this scan signed him in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import JOIN

from core.db import prepared, stored_datetime
from core.i18n import current_language
from core.i18n import gettext as _
from core.models import Entry, Event, Member, Registration, Team, Unit
from core.plugins import event_hooks
from core.timeutil import aware_utc, format_datetime, format_time, to_local, utcnow
from plugins.checkin import checkpoints, clock, tokens
from plugins.checkin.checkpoints import MAIN, CheckpointInfo
from plugins.checkin.models import CheckIn, Checkpoint, FailedScan, TokenState

RESULTS = ("ok", "already", "invalid", "not_registered", "wrong_event", "revoked", "outside_window",
           "not_signed_in", "no_sign_out", "event_closed", "device_used", "outside_area")
# What the organizer's list of failed scans calls each result.
RESULT_LABELS = {
    "ok": _l("签到成功"), "already": _l("已签到过"), "invalid": _l("无法识别的二维码"), "not_registered": _l("未报名"),
    "wrong_event": _l("其他活动的二维码"), "revoked": _l("二维码已作废"), "outside_window": _l("不在签到时间内"),
    "not_signed_in": _l("未签到就签退"), "no_sign_out": _l("本签到点不需要签退"), "event_closed": _l("活动未发布或已取消"),
    "device_used": _l("手机与签到人不符"), "outside_area": _l("不在签到范围内"),
}


def window_text(window, tz: str) -> str:
    """The sign-in window with its date: 2030年3月23日（周六） 13:30–14:00, both dates when it spans two."""
    lang = current_language()
    opens = format_datetime(window.opens_at, tz, lang)
    same_day = to_local(window.opens_at, tz).date() == to_local(window.closes_at, tz).date()
    closes = format_time(window.closes_at, tz) if same_day else format_datetime(window.closes_at, tz, lang)
    return f"{opens}–{closes}"


@dataclass
class ScanResult:
    """The answer to one scan, shown at a glance by the scanner and returned by the API."""

    ok: bool
    result: str
    message: str
    kind: str = "in"
    checkpoint: str = ""
    status: str | None = None
    already: bool = False
    same_scan: bool = False
    at: str | None = None  # ISO UTC of the sign-in that counts
    at_local: str = ""  # HH:MM in the event's zone
    flag: str = ""  # why the device's time was not taken (see plugins.checkin.clock)
    registration_id: int | None = None
    name: str = ""
    unit: str = ""
    team: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


_REGISTRATION = prepared(lambda: (
    Registration.select(Registration.id, Registration.event, Registration.status, Registration.member,
                        Member.name, Unit.name, Team.name, TokenState.version, TokenState.revoked)
    .join(Member, on=(Registration.member == Member.id))
    .join(Unit, on=(Member.unit == Unit.id))
    .switch(Registration)
    .join(Team, JOIN.LEFT_OUTER, on=(Registration.team == Team.id))
    .switch(Registration)
    .join(TokenState, JOIN.LEFT_OUTER, on=(TokenState.registration == Registration.id))
    .where(Registration.id == 0)
))
_PersonUnit = Unit.alias()
# The checkpoint (with its event) and the scanned registration in one query: the API's whole read.
_CONTEXT = prepared(lambda: (
    checkpoints.context_query()
    .join(Registration, JOIN.LEFT_OUTER, on=(Registration.id == 0))
    .join(Member, JOIN.LEFT_OUTER, on=(Registration.member == Member.id))
    .join(_PersonUnit, JOIN.LEFT_OUTER, on=(Member.unit == _PersonUnit.id))
    .switch(Registration)
    .join(Team, JOIN.LEFT_OUTER, on=(Registration.team == Team.id))
    .switch(Registration)
    .join(TokenState, JOIN.LEFT_OUTER, on=(TokenState.registration == Registration.id))
    .select_extend(Registration.id, Registration.event, Registration.status, Registration.member,
                   Member.name, _PersonUnit.name, Team.name, TokenState.version, TokenState.revoked)
    .where(Checkpoint.event == 0, Checkpoint.key == "")
))
_ENTERED = prepared(lambda: Entry.select(Entry.id).where(Entry.item == 0, Entry.registration == 0).limit(1))
_INSERT = prepared(lambda: CheckIn.insert(
    checkpoint=0, registration=0, member=0, kind="", status="", scanned_at=datetime(2000, 1, 1),
    created_at=datetime(2000, 1, 1), source="", account_id=0, device_id="", client_scan_id="", reason="",
    claimed_at=datetime(2000, 1, 1), time_flag="",
).on_conflict_ignore().returning(CheckIn.id))
_EXISTING = prepared(lambda: CheckIn.select(CheckIn.scanned_at, CheckIn.status, CheckIn.client_scan_id).where(
    CheckIn.checkpoint == 0, CheckIn.registration == 0, CheckIn.kind == ""))


def _dt(value):
    return stored_datetime(value)


def _fail(cp: CheckpointInfo, result: str, message: str, *, kind: str, code: str = "", source: str,
          account_id=None, device_id: str = "", person=None) -> ScanResult:
    FailedScan.create(event=cp.event_id, checkpoint_id=cp.id, registration_id=person[0] if person else None,
                      result=result, code=(code or "")[:120], source=source, account_id=account_id,
                      device_id=device_id or "")
    answer = ScanResult(ok=False, result=result, message=message, kind=kind, checkpoint=cp.key)
    if person is not None:
        answer.registration_id, answer.name, answer.unit, answer.team = person[0], person[4], person[5], person[6] or ""
    return answer


def fail(cp: CheckpointInfo, result: str, message: str, **kwargs) -> ScanResult:
    """Log a refused scan and build its answer (used by the venue self sign-in too)."""
    return _fail(cp, result, message, **kwargs)


def load(event_id: int, key: str | None, registration_id: int | None) -> tuple[CheckpointInfo, tuple | None]:
    """The checkpoint ``key`` of an event and the registration's row for :func:`scan`, in one query."""
    row = _CONTEXT.one(registration_id or 0, event_id, key or MAIN)
    if row is None:
        info = checkpoints.info(event_id, key)  # makes the main checkpoint, or raises NotFound
        row = _CONTEXT.one(registration_id or 0, event_id, info.key)
    width = checkpoints.CONTEXT_WIDTH
    person = tuple(row[width:]) if row[width] is not None else None
    return checkpoints.info_from_row(row[:width]), person


_LOOKUP = object()


def scan(cp: CheckpointInfo, *, code: str | None = None, registration_id: int | None = None, kind: str = "in",
         source: str = "door", scanned_at: datetime | None = None, client_scan_id: str | None = None,
         account_id: int | None = None, device_id: str = "", reason: str = "",
         check_window: bool = True, person=_LOOKUP, token=_LOOKUP, list_issued_at: datetime | None = None,
         trust_time: bool = False) -> ScanResult:
    """Sign the person behind ``code`` (or ``registration_id``) in or out at checkpoint ``cp``.

    The caller has checked that the scanning account may scan at this event. ``scanned_at`` is the
    time the device says it read the code (offline scans arrive later), taken as
    :func:`plugins.checkin.clock.judge` says, with ``list_issued_at`` the time the device downloaded
    its offline list; a time it does not take is kept, flagged, and counted by the upload time. When
    the person is already signed in later than a trusted ``scanned_at``, the earlier scan is the one
    that counts, whatever the order of arrival.
    ``check_window=False`` and ``trust_time=True`` are for the organizer's manual sign-in with a reason
    (his word on the time, audited). ``person`` is the
    registration's row when the caller has already read it with :func:`load`, ``token`` what
    :func:`tokens.read_personal` made of ``code``.
    """
    log = {"kind": kind, "code": code or "", "source": source, "account_id": account_id, "device_id": device_id}
    if code is not None:
        found = token if token is not _LOOKUP else tokens.read_personal(code)
        if found is None:
            return _fail(cp, "invalid", _("无法识别的二维码"), **log)
        registration_id, version = found
    else:
        version = None
    if cp.event_status in ("cancelled", "draft"):
        return _fail(cp, "event_closed", _("活动未发布或已取消，不能签到"), **log)
    if person is _LOOKUP or (person is not None and person[0] != registration_id):
        person = _REGISTRATION.one(registration_id)
    if person is None:
        return _fail(cp, "not_registered", _("未报名本活动"), **log)
    reg_id, event_id, reg_status, member_id, _name, _unit, _team, current_version, revoked = person
    if event_id != cp.event_id:
        return _fail(cp, "wrong_event", _("不是本活动的二维码（报名的是其他活动）"), person=person, **log)
    if version is not None and (version != (current_version or 1) or revoked):
        return _fail(cp, "revoked", _("二维码已作废，请使用重新发放的二维码"), person=person, **log)
    if reg_status != "active":
        return _fail(cp, "not_registered", _("报名状态为“%(status)s”，不能签到",
                                             status=_(Registration(status=reg_status).status_label)),
                     person=person, **log)
    if cp.item_id and _ENTERED.one(cp.item_id, reg_id) is None:
        return _fail(cp, "not_registered", _("未报名此项目"), person=person, **log)
    now = utcnow()
    judged = (clock.Judged(min(scanned_at or now, now)) if trust_time
              else clock.judge(scanned_at, now, list_issued_at))
    at = judged.at
    if judged.flag:
        check_window = False  # kept whatever its upload time; the organizer decides
    window = cp.window
    signed_in_status = None
    if kind == "out":
        if not cp.sign_out:
            return _fail(cp, "no_sign_out", _("本签到点不需要签退"), person=person, **log)
        row = _EXISTING.one(cp.id, reg_id, "in")
        if row is None:
            return _fail(cp, "not_signed_in", _("尚未签到，不能签退"), person=person, **log)
        signed_in_status = row[1]
        status = window.sign_out_status(at)
    else:
        if check_window and not window.accepts_sign_in(at):
            return _fail(cp, "outside_window", _("不在签到时间内，签到时间为 %(window)s",
                                                  window=window_text(window, cp.timezone)), person=person, **log)
        status = window.sign_in_status(at)
    inserted = _INSERT.one(cp.id, reg_id, member_id, kind, status, at, now, source, account_id, device_id or "",
                           client_scan_id, reason or "", judged.claimed, judged.flag)
    answer = ScanResult(ok=True, result="ok", message="", kind=kind, checkpoint=cp.key, status=status,
                        registration_id=reg_id, name=person[4], unit=person[5], team=person[6] or "")
    if inserted is None and scanned_at is not None and not judged.flag and _earlier(cp.id, reg_id, kind, at, status,
                                                                                    source, client_scan_id):
        inserted = True  # this earlier scan replaced a later one: it is the one that counts now
    if inserted is None:
        row = _EXISTING.one(cp.id, reg_id, kind)
        at, status = _dt(row[0]), row[1]
        answer.already, answer.status = True, status
        answer.same_scan = bool(client_scan_id) and row[2] == client_scan_id
        answer.result = "ok" if answer.same_scan else "already"
    elif judged.flag:
        answer.flag = judged.flag
    answer.at = aware_utc(at).isoformat()
    answer.at_local = format_time(at, cp.timezone)
    if kind == "out":
        answer.message = (_("已于 %(time)s 签退", time=answer.at_local) if answer.already and not answer.same_scan
                          else _("签退成功") + ("（" + _("早退") + "）" if status == "early_leave" else ""))
    else:
        answer.message = (_("已于 %(time)s 签到", time=answer.at_local) if answer.already and not answer.same_scan
                          else _("签到成功") + ("（" + _("迟到") + "）" if status == "late" else ""))
    if answer.flag:
        answer.message += "（" + _("设备时间存疑，按上传时间记录，待组织者确认") + "）"
    if inserted is not None:
        overall = "late" if signed_in_status == "late" else status
        _announce(cp, member_id, overall, at)
    return answer


def _earlier(checkpoint_id: int, registration_id: int, kind: str, at: datetime, status: str, source: str,
             client_scan_id: str | None) -> bool:
    """Put a trusted earlier scan in place of the later one stored; the condition in the UPDATE keeps
    the earliest whatever the order in which scans of several devices arrive."""
    return CheckIn.update(scanned_at=at, status=status, source=source, client_scan_id=client_scan_id,
                          claimed_at=None, time_flag="").where(
        CheckIn.checkpoint == checkpoint_id, CheckIn.registration == registration_id, CheckIn.kind == kind,
        CheckIn.scanned_at > at).execute() == 1


def _announce(cp: CheckpointInfo, member_id: int, status: str, at: datetime) -> None:
    pm = current_app.extensions["huodong_pm"]
    if pm.hook.huodong_checked_in.get_hookimpls():  # none on most installs: the door path stays as it is
        event = Event.get_by_id(cp.event_id)
        event_hooks(pm, event).huodong_checked_in(event=event, member=Member.get_by_id(member_id),
                                                  checkpoint=None if cp.key == MAIN else cp.key, status=status, at=at)
