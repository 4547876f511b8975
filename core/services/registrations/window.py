"""The registration window and the freeze after it closes."""

from __future__ import annotations

from flask_babel import gettext as _

from core.errors import Refused
from core.models import Event
from core.services import registration_rules as rules_mod
from core.services.registrations.permissions import may_manage
from core.timeutil import format_datetime, utcnow


def window_problem(event: Event, now=None) -> str | None:
    return rules_mod.window_problem(
        opens=event.registration_opens_at, closes=event.registration_closes_at, status=event.status,
        now=now or utcnow(), opens_text=format_datetime(event.registration_opens_at, event.timezone),
        closes_text=format_datetime(event.registration_closes_at, event.timezone), ends=event.ends_at)


def is_frozen(event: Event, now=None) -> bool:
    return rules_mod.is_frozen(closes=event.registration_closes_at, status=event.status, now=now or utcnow(),
                               ends=event.ends_at)


def gate(event: Event, account, reason: str) -> None:
    """Members and department heads act inside the window; organizers any time, with a reason once frozen."""
    if may_manage(account, event):
        if event.status == "cancelled":
            raise Refused(_("【报名时间】活动已取消"))
        if is_frozen(event) and not (reason or "").strip():
            raise Refused(_("报名已截止，名单已锁定：组织者修改须填写原因"))
        return
    problem = window_problem(event)
    if problem:
        raise Refused(problem)
