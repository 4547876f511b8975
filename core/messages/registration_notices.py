"""What a registration's changes tell its member, queued inside the registration's own transaction
(called by :mod:`core.services.registrations` right after each change's audit row)."""

from __future__ import annotations

from core.messages.outbox import send
from core.models import Event, Registration


def _by(account) -> str:
    if account is None:
        return ""
    member = account.member if account.member_id else None
    return member.name if member is not None else str(account)


def queue(reg: Registration, action: str, cause, *, event: Event, account=None, reason: str = "") -> None:
    """Queue the message for ``action`` (``created``, ``updated``, ``withdrawn``, ``promoted``) on ``reg``.

    ``cause`` is the audit row of the change: its id makes the dedupe key, so the same change never
    queues twice while a later change of the same kind (promoted again after registering again) does.
    A member's own changes to his registration tell him nothing more than the page did, except that
    he is registered or waiting.
    """
    by_self = account is not None and account.member_id == reg.member_id
    member = reg.member
    key = f"registration:{reg.id}:{action}:{cause.id}"
    context: dict = {"reason": reason or ""}
    if action == "created":
        if reg.status == "waitlisted":
            from core.services.registrations import waitlist_rank

            send(member, "registration.waitlisted", context | {"rank": waitlist_rank(reg) or ""}, event=event,
                 dedupe=key)
        else:
            send(member, "registration.received", context | {"registered_by": "" if by_self else _by(account)},
                 event=event, dedupe=key)
    elif action == "promoted":
        send(member, "registration.promoted", context, event=event, dedupe=key)
    elif action == "updated" and not by_self:
        send(member, "registration.changed", context | {"by": _by(account) or "组织者"}, event=event, dedupe=key)
    elif action == "withdrawn" and not by_self:
        send(member, "registration.withdrawn", context | {"by": _by(account) or "组织者"}, event=event, dedupe=key)
