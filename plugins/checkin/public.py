"""What other plugins may use from the sign-in plugin (import only this module).

- :func:`attendance_status` — one member's status at an event or one of its checkpoints.
- :func:`attendance_statuses` — the same for many members at once, as a dict.
- :func:`attendance_list` — every expected person at a checkpoint with times and status.
- :func:`checkpoint_keys` — the event's checkpoints as ``(key, name)``.
- :func:`personal_code` — the code in a registration's QR (``None`` while revoked).
- :func:`qr_svg` — an inline SVG QR code of any text.

Statuses are ``on_time``, ``late``, ``early_leave``, ``absent``, ``excused``; ``None`` means not
known yet (the window is still open) or not expected there.
"""

from __future__ import annotations

from datetime import datetime

from core.models import Event, Registration
from plugins.checkin import attendance as _attendance
from plugins.checkin import checkpoints as _checkpoints
from plugins.checkin import overrides as _overrides
from plugins.checkin import qr as _qr
from plugins.checkin.attendance import Attendance
from plugins.checkin.windows import STATUS_LABELS, STATUSES

__all__ = ["Attendance", "STATUSES", "STATUS_LABELS", "attendance_status", "attendance_statuses", "attendance_list", "checkpoint_keys",
           "personal_code", "qr_svg"]


def attendance_status(event: Event, member, checkpoint: str | None = None, now: datetime | None = None) -> str | None:
    """The attendance of ``member`` (a Member or its id) at ``event``, or at checkpoint key ``checkpoint``."""
    return _attendance.status_of(event, member, checkpoint, now)


def attendance_statuses(event: Event, member_ids, checkpoint: str | None = None,
                        now: datetime | None = None) -> dict[int, str] | None:
    """``{member_id: status}`` of many members at once (only those whose status is known); ``None``
    when the event does not use sign-in there."""
    return _attendance.statuses_of(event, member_ids, checkpoint, now)


def attendance_list(event: Event, checkpoint: str | None = None, now: datetime | None = None) -> list[Attendance]:
    """Every person expected at the checkpoint (default: the event's main one), registration order by unit."""
    return _attendance.attendances(event, _checkpoints.get(event, checkpoint), now)


def checkpoint_keys(event: Event) -> list[tuple[str, str]]:
    return [(c.key, c.name) for c in _checkpoints.for_event(event)]


def personal_code(registration: Registration) -> str | None:
    return _overrides.token_for(registration)


def qr_svg(text: str, size: str = "12em") -> str:
    return _qr.svg(text, size)
