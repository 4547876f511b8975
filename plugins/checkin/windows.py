"""Sign-in windows and the statuses they give, as pure functions of times (naive UTC).

The seeds' plans: sign in from 8:00, start at 8:30; after the start (plus a grace) a sign-in is late;
a sign-out before the end is an early leave; nobody signed in when the window has closed is absent.
Where a checkpoint asks for a sign-out, a person who signed in and never signed out is 未签退 once the
event has ended (the prize rules pay it like an early leave; the organizer who knows better records the
sign-out by hand, with a reason). Late arrival and early leave (or a missing sign-out) together keep
both: ``late_early_leave`` and ``late_no_sign_out``.
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
STATUSES = ("on_time", "late", "early_leave", "late_early_leave", "no_sign_out", "late_no_sign_out", "absent",
            "excused")
STATUS_LABELS = {"on_time": _l("准时"), "late": _l("迟到"), "early_leave": _l("早退"),
                 "late_early_leave": _l("迟到且早退"), "no_sign_out": _l("未签退"),
                 "late_no_sign_out": _l("迟到且未签退"), "absent": _l("缺席"), "excused": _l("请假"),
                 None: _l("未签到")}
# The statuses of people who came, whatever else went wrong.
PRESENT = ("on_time", "late", "early_leave", "late_early_leave", "no_sign_out", "late_no_sign_out")


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    starts_at: datetime
    grace: timedelta
    closes_at: datetime
    ends_at: datetime
    sign_out: bool = False

    @classmethod
    def build(cls, *, opens_at=None, starts_at=None, grace_minutes=0, closes_at=None, ends_at=None,
              default_start: datetime, default_end: datetime, sign_out: bool = False) -> Window:
        """Fill what a checkpoint leaves empty from its item's or its event's own times."""
        start = starts_at or default_start
        end = ends_at or default_end
        return cls(opens_at=opens_at or shift(start, -DEFAULT_OPENS_BEFORE), starts_at=start,
                   grace=timedelta(minutes=grace_minutes or 0), closes_at=closes_at or end, ends_at=end,
                   sign_out=bool(sign_out))

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

    def sign_out_missed(self, now: datetime) -> bool:
        """Whether a sign-out still missing now will never come: the checkpoint asks for one and it has ended."""
        return self.sign_out and now > max(self.ends_at, self.closes_at)


def final_status(window: Window, *, signed_in: str | None, signed_out: str | None, excused: bool,
                 now: datetime) -> str | None:
    """The attendance of one person at one checkpoint.

    ``signed_in``/``signed_out`` are the statuses of his sign-in and sign-out rows (or ``None``).
    An excuse given by the organizer wins over everything. Without a sign-in he is absent once the
    window has closed, and not yet known (``None``) before. Otherwise late arrival and what happened
    at the end (an early leave, a sign-out missed where one is asked for) are both kept.
    """
    if excused:
        return "excused"
    if signed_in is None:
        return "absent" if window.is_closed(now) else None
    late = signed_in == "late"
    if signed_out == "early_leave":
        return "late_early_leave" if late else "early_leave"
    if signed_out is None and window.sign_out_missed(now):
        return "late_no_sign_out" if late else "no_sign_out"
    return "late" if late else "on_time"
