"""Safety: the 安全告知 each participant acknowledges (once, with the time), the roll call at each
gathering stop, and who is still missing per vehicle before it leaves.

Roll call is recorded here per person (family members too) under the stop's checkpoint key
``outing-stop-<id>``; the plugin answers ``huodong_attendance`` for those keys, and when reading who
is missing it also asks that hook, so a sign-in plugin that records scans under the same keys counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from core.db import db
from core.errors import Refused
from core.models import Event, Registration
from core.timeutil import utcnow
from plugins.outing import people
from plugins.outing.models import Acknowledgement, RollCall, Seat, Stop, Vehicle
from plugins.outing.presets import SAFETY_RULES

PRESENT = ("on_time", "late")


def notice_text(event: Event) -> str:
    return (event.setting("outing") or {}).get("notice") or SAFETY_RULES


def acknowledge(event: Event, member, *, account=None) -> Acknowledgement:
    """Record that ``member`` read the safety notice; a second click keeps the first time."""
    going = Registration.select().where(Registration.event == event, Registration.member == member,
                                        Registration.status == "active").exists()
    if not going:
        raise Refused(_("只有已报名的参加人员需要确认安全告知"))
    Acknowledgement.insert(event=event, member=member, at=utcnow()).on_conflict_ignore().execute()
    return Acknowledgement.get(Acknowledgement.event == event, Acknowledgement.member == member)


def acknowledgement(event: Event, member) -> Acknowledgement | None:
    return Acknowledgement.get_or_none(Acknowledgement.event == event, Acknowledgement.member == member)


def unacknowledged(event: Event) -> list[people.Person]:
    done = {m for (m,) in Acknowledgement.select(Acknowledgement.member).where(Acknowledgement.event == event).tuples()}
    return [p for p in people.participants(event) if p.kind == "member" and p.member_id not in done]


def gathering_stops(event: Event) -> list[Stop]:
    return list(Stop.select().where(Stop.event == event, Stop.gathering == True)  # noqa: E712
                .order_by(Stop.starts_at, Stop.id))


def mark(stop: Stop, person_key: str, *, by: str = "") -> RollCall:
    """``person_key`` answered the roll call at ``stop`` (idempotent)."""
    event = Event.get_by_id(stop.event_id)
    if not stop.gathering:
        raise Refused(_("“%(stop)s”不是集合点，不点名", stop=stop.title))
    person = people.find(event, person_key)
    with db.atomic():
        RollCall.insert(stop=stop, registration=person.registration_id, guest=person.guest_id, person=person.key,
                        at=utcnow(), by=by[:60]).on_conflict_ignore().execute()
    return RollCall.get(RollCall.stop == stop, RollCall.person == person.key)


def unmark(stop: Stop, person_key: str) -> None:
    RollCall.delete().where(RollCall.stop == stop, RollCall.person == person_key).execute()


def present_keys(stop: Stop, everyone: list[people.Person]) -> set[str]:
    """Who is there: answered the roll call here, or signed in at this checkpoint through another plugin."""
    present = {k for (k,) in RollCall.select(RollCall.person).where(RollCall.stop == stop).tuples()}
    pm = current_app.extensions["huodong_pm"]
    event = Event.get_by_id(stop.event_id)
    from core.models import Member

    members = {m.id: m for m in Member.select().where(Member.id.in_(
        [p.member_id for p in everyone if p.kind == "member" and p.key not in present] or [0]))}
    for person in everyone:
        if person.kind == "member" and person.key not in present and person.member_id in members:
            if pm.hook.huodong_attendance(event=event, member=members[person.member_id],
                                          checkpoint=stop.key) in PRESENT:
                present.add(person.key)
    return present


@dataclass
class Missing:
    stop: Stop
    vehicle: Vehicle | None
    expected: int
    present: int
    missing: list[people.Person]


def missing(stop: Stop, vehicle: Vehicle | None = None) -> Missing:
    """Who has not answered at ``stop`` — of one vehicle's passengers, or of everyone."""
    event = Event.get_by_id(stop.event_id)
    everyone = people.participants(event)
    if vehicle is not None:
        keys = {k for (k,) in Seat.select(Seat.person).where(Seat.vehicle == vehicle).tuples()}
        everyone = [p for p in everyone if p.key in keys]
    present = present_keys(stop, everyone)
    gone = [p for p in everyone if p.key not in present]
    return Missing(stop=stop, vehicle=vehicle, expected=len(everyone), present=len(everyone) - len(gone),
                   missing=gone)


def attendance(event: Event, member, checkpoint: str | None) -> str | None:
    """Answer ``huodong_attendance`` for this plugin's stop keys from the roll calls."""
    if not checkpoint or not checkpoint.startswith("outing-stop-"):
        return None
    try:
        stop_id = int(checkpoint.rsplit("-", 1)[1])
    except ValueError:
        return None
    stop = Stop.get_or_none(Stop.id == stop_id, Stop.event == event)
    if stop is None:
        return None
    member_id = getattr(member, "id", member)
    reg = Registration.get_or_none(Registration.event == event, Registration.member == member_id)
    if reg is None:
        return None
    if RollCall.select().where(RollCall.stop == stop, RollCall.person == f"r{reg.id}").exists():
        return "on_time"
    return None  # not answered here: another plugin (sign-in) may know
