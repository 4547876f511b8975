"""Sign-in windows and the statuses they give, as pure functions of times (naive UTC).

The seeds' plans: sign in from 8:00, start at 8:30; after the start (plus a grace) a sign-in is late;
a sign-out before the end is an early leave; nobody signed in when the window has closed is absent.
Every boundary is inclusive on the side of the participant: a sign-in at exactly the start plus the
grace is on time, one at exactly the opening or the closing time is accepted, a sign-out at exactly
the end is not an early leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from core.timeutil import shift

DEFAULT_OPENS_BEFORE = timedelta(minutes=30)
STATUSES = ("on_time", "late", "early_leave", "absent", "excused")
STATUS_LABELS = {"on_time": _l("准时"), "late": _l("迟到"), "early_leave": _l("早退"), "absent": _l("缺席"),
                 "excused": _l("请假"), None: _l("未签到")}


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    starts_at: datetime
    grace: timedelta
    closes_at: datetime
    ends_at: datetime

    @classmethod
    def build(cls, *, opens_at=None, starts_at=None, grace_minutes=0, closes_at=None, ends_at=None,
              default_start: datetime, default_end: datetime) -> Window:
        """Fill what a checkpoint leaves empty from its item's or its event's own times."""
        start = starts_at or default_start
        end = ends_at or default_end
        return cls(opens_at=opens_at or shift(start, -DEFAULT_OPENS_BEFORE), starts_at=start,
                   grace=timedelta(minutes=grace_minutes or 0), closes_at=closes_at or end, ends_at=end)

    @property
    def late_after(self) -> datetime:
        return shift(self.starts_at, self.grace)

    def accepts_sign_in(self, at: datetime) -> bool:
        return self.opens_at <= at <= self.closes_at

    def sign_in_status(self, at: datetime) -> str:
        return "on_time" if at <= self.late_after else "late"

    def sign_out_status(self, at: datetime) -> str:
        return "early_leave" if at < self.ends_at else "on_time"

    def is_closed(self, now: datetime) -> bool:
        return now > self.closes_at


def final_status(window: Window, *, signed_in: str | None, signed_out: str | None, excused: bool,
                 now: datetime) -> str | None:
    """The attendance of one person at one checkpoint.

    ``signed_in``/``signed_out`` are the statuses of his sign-in and sign-out rows (or ``None``).
    An excuse given by the organizer wins over everything; then late, then early leave. Without a
    sign-in he is absent once the window has closed, and not yet known (``None``) before.
    """
    if excused:
        return "excused"
    if signed_in is None:
        return "absent" if window.is_closed(now) else None
    if signed_in == "late":
        return "late"
    if signed_out == "early_leave":
        return "early_leave"
    return "on_time"
