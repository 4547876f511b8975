"""Self sign-in with the venue code: the participant scans the code on the venue's screen with his own
phone, logged in to his own account, and is signed in himself.

The code changes every ``rotate_seconds`` (the previous one is accepted for a few seconds), so a photo
sent to an absent colleague stops working; only the logged-in member's own registration can be signed
in; a checkpoint may ask for the phone's place (a geofence); and the phone is bound to the person it
signed in, so one phone cannot sign in two people at an event, nor one person on two phones.
"""

from __future__ import annotations

import time

from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from core.models import Registration
from plugins.checkin import checkpoints as checkpoint_service
from plugins.checkin import geofence, tokens
from plugins.checkin.checkpoints import CheckpointInfo
from plugins.checkin.models import CheckIn, Checkpoint, DeviceBinding
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


def own_registration(info: CheckpointInfo, member_id: int | None) -> Registration | None:
    """The active registration of ``member_id`` at the checkpoint's event."""
    if not member_id:
        return None
    return Registration.get_or_none(Registration.event == info.event_id, Registration.member == member_id,
                                    Registration.status == "active")


def sign_in(info: CheckpointInfo, *, device_id: str, account, position: geofence.Position | None = None,
            kind: str = "in") -> ScanResult:
    """Sign in the logged-in member himself on his own phone.

    Only his own registration can be signed in (nobody types a colleague's staff number any more);
    where the checkpoint has a geofence the phone must report a place inside it; and one phone stands
    for one person at an event, one person for one phone.
    """
    log = {"kind": kind, "source": "venue", "device_id": device_id, "account_id": account.id}
    registration = own_registration(info, account.member_id)
    if registration is None:
        message = (_("你的账号没有关联会员，请找工作人员扫码签到") if not account.member_id
                   else _("你没有报名本活动（或报名未生效），请找工作人员"))
        return fail(info, "not_registered", message, **log)
    fence = Checkpoint.get_by_id(info.id)
    why = geofence.outside(fence.latitude, fence.longitude, fence.radius_m, position)
    if why:
        return fail(info, "outside_area", why, code=_where(position), **log)
    DeviceBinding.insert(event=info.event_id, device_id=device_id, registration=registration.id,
                         created_at=DeviceBinding.created_at.default()).on_conflict_ignore().execute()
    binding = DeviceBinding.get_or_none(DeviceBinding.event == info.event_id, DeviceBinding.device_id == device_id)
    if binding is None or binding.registration_id != registration.id:
        message = (_("你已在另一部手机上签到，请用那部手机或找工作人员") if binding is None
                   else _("这部手机已为他人签到，一部手机只能为一人签到"))
        return fail(info, "device_used", message, **log)
    answer = scan(info, registration_id=registration.id, kind=kind, source="venue", device_id=device_id,
                  account_id=account.id)
    if answer.ok and not answer.already and position is not None:
        CheckIn.update(latitude=position.latitude, longitude=position.longitude, accuracy_m=position.accuracy_m).where(
            CheckIn.checkpoint == info.id, CheckIn.registration == registration.id, CheckIn.kind == kind).execute()
    return answer


def _where(position: geofence.Position | None) -> str:
    return "" if position is None else f"{position.latitude:.5f},{position.longitude:.5f}"


def current_code(info: CheckpointInfo, now: float | None = None) -> tuple[str, float]:
    """The code to show now and the seconds until it changes."""
    now = time.time() if now is None else now
    rotate = max(info.rotate_seconds, 5)
    return tokens.venue_code(info.id, rotate, now), rotate - (now % rotate)
