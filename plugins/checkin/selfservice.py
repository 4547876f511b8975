"""Self sign-in with the venue code: the participant scans the code on the venue's screen with his own
phone, names himself once (staff number or phone, checked against the registration list) and is
signed in.

The code changes every ``rotate_seconds`` (the previous one is accepted for a few seconds), so a photo
sent to an absent colleague stops working; the phone is bound to the person it identified, so one
phone cannot sign in two people at an event, and one person is identified on one phone only.
"""

from __future__ import annotations

import time

from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from core.models import Member, Registration
from plugins.checkin import checkpoints as checkpoint_service
from plugins.checkin import tokens
from plugins.checkin.checkpoints import CheckpointInfo
from plugins.checkin.models import DeviceBinding
from plugins.checkin.scanning import ScanResult, fail, scan

TICKET_SECONDS = 300  # time to type a staff number after opening a fresh code


class VenueCodeError(Exception):
    def __init__(self, result: str, message: str):
        super().__init__(message)
        self.result = result
        self.message = message


def open_code(code: str, now: float | None = None) -> CheckpointInfo:
    """The checkpoint of a genuine, fresh venue code; raises :class:`VenueCodeError` otherwise."""
    found = tokens.read_venue(code)
    if found is None:
        raise VenueCodeError("invalid", _("无法识别的签到码"))
    checkpoint_id, slot = found
    info = checkpoint_service.info_by_id(checkpoint_id)
    if info is None:
        raise VenueCodeError("invalid", _("无法识别的签到码"))
    if not info.self_sign_in:
        raise VenueCodeError("invalid", _("本签到点不支持自助签到，请找工作人员扫码"))
    if not tokens.venue_slot_is_fresh(slot, info.rotate_seconds, now):
        raise VenueCodeError("expired", _("签到码已过期，请扫描现场屏幕上的最新二维码"))
    return info


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="huodong.checkin.venue")


def ticket(secret: str, info: CheckpointInfo, device_id: str) -> str:
    """A short-lived proof that this device opened a fresh code of this checkpoint."""
    return _serializer(secret).dumps([info.id, device_id])


def read_ticket(secret: str, value: str, device_id: str, now: float | None = None) -> CheckpointInfo:
    try:
        checkpoint_id, bound_device = _serializer(secret).loads(value or "", max_age=TICKET_SECONDS)
    except (BadSignature, ValueError, TypeError):
        raise VenueCodeError("expired", _("页面已过期，请重新扫描现场二维码")) from None
    if bound_device != device_id:
        raise VenueCodeError("expired", _("页面已过期，请重新扫描现场二维码"))
    info = checkpoint_service.info_by_id(checkpoint_id)
    if info is None:
        raise VenueCodeError("invalid", _("无法识别的签到码"))
    return info


def bound_registration(info: CheckpointInfo, device_id: str) -> Registration | None:
    """The registration this device identified at this event, if any."""
    if not device_id:
        return None
    binding = DeviceBinding.get_or_none(DeviceBinding.event == info.event_id, DeviceBinding.device_id == device_id)
    return Registration.get_or_none(Registration.id == binding.registration_id) if binding else None


def find_registration(info: CheckpointInfo, identifier: str) -> list[Registration]:
    """Active registrations of the event whose member has this staff number or phone."""
    identifier = "".join((identifier or "").split())
    if not identifier:
        return []
    return list(Registration.select(Registration).join(Member)
                .where(Registration.event == info.event_id, Registration.status == "active",
                       (Member.staff_no == identifier) | (Member.phone == identifier)))


def sign_in(info: CheckpointInfo, *, device_id: str, identifier: str = "", member_id: int | None = None,
            kind: str = "in") -> ScanResult:
    """Sign in the person this device stands for, identifying him first if the device is new here."""
    log = {"kind": kind, "source": "venue", "device_id": device_id}
    registration = bound_registration(info, device_id)
    if registration is not None and identifier.strip():
        named = find_registration(info, identifier)
        if not named or any(r.id != registration.id for r in named):
            return fail(info, "device_used", _("这部手机已为他人签到，一部手机只能为一人签到"),
                        code=identifier[:40], **log)
    if registration is None:
        if member_id is not None:
            matches = list(Registration.select().where(Registration.event == info.event_id,
                                                       Registration.member == member_id,
                                                       Registration.status == "active"))
        else:
            matches = find_registration(info, identifier)
        if not matches:
            return fail(info, "not_registered", _("报名名单中没有这个工号或手机号"), code=identifier[:40], **log)
        if len(matches) > 1:
            return fail(info, "not_registered", _("该手机号对应多人，请输入工号"), code=identifier[:40], **log)
        registration = matches[0]
        DeviceBinding.insert(event=info.event_id, device_id=device_id, registration=registration.id,
                             created_at=DeviceBinding.created_at.default()).on_conflict_ignore().execute()
        binding = DeviceBinding.get_or_none(DeviceBinding.event == info.event_id, DeviceBinding.device_id == device_id)
        if binding is None or binding.registration_id != registration.id:
            if binding is None:
                message = _("此人已在另一部手机上确认身份，请找工作人员签到")
            else:
                message = _("这部手机已为他人签到，一部手机只能为一人签到")
            return fail(info, "device_used", message, code=identifier[:40], **log)
    return scan(info, registration_id=registration.id, kind=kind, source="venue", device_id=device_id)


def current_code(info: CheckpointInfo, now: float | None = None) -> tuple[str, float]:
    """The code to show now and the seconds until it changes."""
    now = time.time() if now is None else now
    rotate = max(info.rotate_seconds, 5)
    return tokens.venue_code(info.id, rotate, now), rotate - (now % rotate)
