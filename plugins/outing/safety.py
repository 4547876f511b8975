"""Safety: the 安全告知 each participant acknowledges (once, with the time). The roll call at the
gathering stops is in :mod:`plugins.outing.roll_call`."""

from __future__ import annotations

from flask_babel import gettext as _

from core.errors import Forbidden
from core.models import Event, Registration
from core.timeutil import utcnow
from plugins.outing import people
from plugins.outing.models import Acknowledgement
from plugins.outing.presets import SAFETY_RULES


def notice_text(event: Event) -> str:
    return (event.setting("outing") or {}).get("notice") or SAFETY_RULES


def acknowledge(event: Event, member, *, account=None) -> Acknowledgement:
    """Record that ``member`` read the safety notice; a second click keeps the first time."""
    going = Registration.select().where(Registration.event == event, Registration.member == member,
                                        Registration.status == "active").exists()
    if not going:
        raise Forbidden(_("只有已报名的参加人员需要确认安全告知"))
    Acknowledgement.insert(event=event, member=member, at=utcnow()).on_conflict_ignore().execute()
    return Acknowledgement.get(Acknowledgement.event == event, Acknowledgement.member == member)


def acknowledgement(event: Event, member) -> Acknowledgement | None:
    return Acknowledgement.get_or_none(Acknowledgement.event == event, Acknowledgement.member == member)


def unacknowledged(event: Event) -> list[people.Person]:
    done = {m for (m,) in Acknowledgement.select(Acknowledgement.member).where(Acknowledgement.event == event).tuples()}
    return [p for p in people.participants(event) if p.kind == "member" and p.member_id not in done]
