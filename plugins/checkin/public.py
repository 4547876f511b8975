"""What other plugins may use from the sign-in plugin (import only this module).

- :func:`attendance_status` — one member's status at an event or one of its checkpoints.
- :func:`attendance_statuses` — the same for many members at once, as a dict.
- :func:`attendance_list` — every expected person at a checkpoint with times and status.
- :func:`checkpoint_keys` — the event's checkpoints as ``(key, name)``.
- :func:`ensure_checkpoint` / :func:`remove_checkpoint` — a checkpoint another plugin keeps (an
  outing's gathering point), made or brought up to date, and removed.
- :func:`sign_in_by_hand` / :func:`undo_sign_in` — a sign-in recorded by an operator (a roll call),
  with his account and a reason, and its correction.
- :func:`personal_code` — the code in a registration's QR (``None`` while revoked).
- :func:`qr_svg` — an inline SVG QR code of any text.

Statuses are ``on_time``, ``late``, ``early_leave``, ``late_early_leave``, ``no_sign_out`` (未签退: a
sign-out the checkpoint asks for, never made by the end), ``late_no_sign_out``, ``absent``, ``excused``
(``STATUSES``, with their Chinese labels in ``STATUS_LABELS``); ``None`` means not known yet (the window
is still open) or not expected there.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from core import qr as _qr
from core.db import db
from core.errors import Refused
from core.models import Event, Registration
from core.services import audit
from plugins.checkin import attendance as _attendance
from plugins.checkin import checkpoints as _checkpoints
from plugins.checkin import overrides as _overrides
from plugins.checkin.attendance import Attendance
from plugins.checkin.models import CheckIn, Checkpoint
from plugins.checkin.scanning import ScanResult
from plugins.checkin.windows import STATUS_LABELS, STATUSES

__all__ = ["Attendance", "STATUSES", "STATUS_LABELS", "ScanResult", "attendance_status", "attendance_statuses",
           "attendance_list", "checkpoint_keys", "ensure_checkpoint", "remove_checkpoint", "sign_in_by_hand",
           "undo_sign_in", "personal_code", "qr_svg"]


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


def ensure_checkpoint(event: Event, key: str, name: str, *, place: str = "", opens_at: datetime | None = None,
                      starts_at: datetime | None = None, closes_at: datetime | None = None,
                      ends_at: datetime | None = None, sort: int = 0, in_calendar: bool = True,
                      item=None, account=None) -> bool:
    """Make checkpoint ``key`` of ``event`` with this name, place and window, or bring an existing one
    up to date (UTC times; an empty one follows the event's). Other settings an organizer changed on
    the sign-in pages (grace, self sign-in, rotation) are kept. ``in_calendar=False`` leaves it out of
    the calendar feeds when the caller's own entries show the time. With ``item`` only the people entered
    in that item are expected there (a sports item's own 检录). Returns whether anything was written.

    Raises :class:`core.errors.Invalid` for a bad key or a window that closes before it opens.
    """
    data = {"name": name[:100], "place": (place or "")[:100], "opens_at": opens_at, "starts_at": starts_at,
            "closes_at": closes_at, "ends_at": ends_at, "sort": sort, "in_calendar": in_calendar}
    if item is not None:
        data["item"] = item.id
    found = Checkpoint.get_or_none(Checkpoint.event == event.id, Checkpoint.key == key)
    if found is None:
        _checkpoints.save(event, data | {"key": key}, account=account)
        return True
    if all(getattr(found, name if name != "item" else "item_id") == value for name, value in data.items()):
        return False
    _checkpoints.save(event, data, found, account=account)
    return True


def remove_checkpoint(event: Event, key: str, *, account=None) -> bool:
    """Remove checkpoint ``key`` of ``event``; ``False`` when there is none.

    Refuses (:class:`core.errors.Refused`) the main checkpoint and one where somebody has signed in:
    attendance already recorded is not thrown away.
    """
    found = Checkpoint.get_or_none(Checkpoint.event == event.id, Checkpoint.key == key)
    if found is None:
        return False
    if key == _checkpoints.MAIN:
        raise Refused(_("活动签到点不能删除"))
    with db.atomic():
        if CheckIn.select().where(CheckIn.checkpoint == found.id).exists():
            raise Refused(_("签到点“%(name)s”已有人签到，不能删除", name=found.name))
        audit.record("checkin.checkpoint.delete", found, before={"key": found.key, "name": found.name},
                     account=account, event=event)
        found.delete_instance()
    return True


def sign_in_by_hand(event: Event, key: str | None, registration: Registration | int, *, reason: str,
                    account=None, at: datetime | None = None) -> ScanResult:
    """Sign ``registration`` in at checkpoint ``key`` (default: the main one) on an operator's word —
    a roll call — whatever the window, recording his account, the source ``manual`` and ``reason``.

    Idempotent: a second call answers ``already`` with the first sign-in's time. A refused sign-in
    (a withdrawn registration, a cancelled event) comes back with ``ok`` false and the reason.
    """
    return _overrides.manual(_checkpoints.get(event, key), registration, kind="in", reason=reason, at=at,
                             account=account)


def undo_sign_in(event: Event, key: str | None, registration: Registration | int, *, reason: str,
                 account=None) -> None:
    """Remove a sign-in recorded by mistake (with its sign-out), with a reason and an audit row."""
    _overrides.undo(_checkpoints.get(event, key), registration, kind="in", reason=reason, account=account)


def personal_code(registration: Registration) -> str | None:
    return _overrides.token_for(registration)


def qr_svg(text: str, size: str = "12em") -> str:
    return _qr.svg(text, size)
