"""Times the server can trust: a device's clock is evidence, not a fact.

A scan carries the time the device says it read the code (offline scans arrive later). That time is
taken only within what the device could know:

- not in the future (beyond a minute of clock drift);
- within a few minutes of now for a device that is online anyway;
- otherwise not before the device downloaded its offline list (the signed ``list_token`` the list
  came with), and not more than three days before the upload.

Anything else is kept with the time it claimed, flagged for the organizer, and counted by the time
it reached the server until he decides (:func:`plugins.checkin.overrides.decide_time`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

FUTURE_TOLERANCE = timedelta(minutes=1)
LIVE_TOLERANCE = timedelta(minutes=5)
LIST_TOLERANCE = timedelta(minutes=1)
MAX_OFFLINE = timedelta(days=3)

FLAG_LABELS = {
    "future": _l("扫码时间晚于上传时间"),
    "no_list": _l("离线扫码未带离线名单凭证"),
    "before_list": _l("扫码时间早于下载离线名单"),
    "too_old": _l("扫码时间早于上传三天以上"),
}


@dataclass(frozen=True)
class Judged:
    """The time a scan counts by, the time it claimed (when different) and why it was not taken."""

    at: datetime
    claimed: datetime | None = None
    flag: str = ""


def judge(claimed: datetime | None, now: datetime, list_issued_at: datetime | None = None) -> Judged:
    """When a scan that says it was read at ``claimed`` counts, received ``now``."""
    if claimed is None:
        return Judged(now)
    if claimed > now + FUTURE_TOLERANCE:
        return Judged(now, claimed, "future")
    if claimed > now:
        return Judged(now)  # clock drift: now is what it meant
    if claimed >= now - LIVE_TOLERANCE:
        return Judged(claimed)
    if list_issued_at is None:
        return Judged(now, claimed, "no_list")
    if claimed < list_issued_at - LIST_TOLERANCE:
        return Judged(now, claimed, "before_list")
    if claimed < now - MAX_OFFLINE:
        return Judged(now, claimed, "too_old")
    return Judged(claimed)
