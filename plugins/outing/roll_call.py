"""Roll call at the gathering stops, through the sign-in plugin.

Each gathering stop is a checkpoint of the sign-in plugin (key ``outing-stop-<id>``), kept in step
with the itinerary: its window opens 30 minutes before the gathering time, a sign-in after that
time is late, and it closes at the stop's end (30 minutes after the gathering time when the stop has
no end). So there is one record of who came: the dispatcher's or team leader's roll call here, the
door scanner and the venue code all sign in at the same checkpoint, and scoring or points read the
status through ``huodong_attendance`` like any other.

The sign-in plugin knows registrations, so a member's family members answer the roll call with him
(one code per registration): a family is present or missing as one party. The plugin declares
``REQUIRES = ("checkin",)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _

from core.errors import Refused
from core.models import Event
from plugins.checkin import public as checkin
from plugins.outing import people
from plugins.outing.models import Seat, Stop, Vehicle

ROLL_CALL_CLOSES_AFTER = timedelta(minutes=30)


def gathering_stops(event: Event) -> list[Stop]:
    return list(Stop.select().where(Stop.event == event, Stop.gathering == True)  # noqa: E712
                .order_by(Stop.starts_at, Stop.id))


def sync_checkpoint(event: Event, stop: Stop, *, account=None) -> None:
    """Make the stop's checkpoint match it: created or moved for a gathering stop, removed when the
    stop is no longer one (refused once somebody signed in there)."""
    if not stop.gathering:
        checkin.remove_checkpoint(event, stop.key, account=account)
        return
    closes = stop.ends_at or stop.starts_at + ROLL_CALL_CLOSES_AFTER
    checkin.ensure_checkpoint(event, stop.key, _("集合点名：%(title)s", title=stop.title), place=stop.place,
                              starts_at=stop.starts_at, closes_at=closes, ends_at=closes,
                              sort=100 + len([s for s in gathering_stops(event) if s.starts_at < stop.starts_at]),
                              in_calendar=False, account=account)  # the stop is in the feeds already


def mark(stop: Stop, person_key: str, *, account=None):
    """``person_key`` (the member or one of his family) answered the roll call at ``stop``: his
    registration is signed in at the stop's checkpoint by ``account`` (idempotent). Returns the
    sign-in plugin's answer (``status``, ``at``, ``already``)."""
    event = Event.get_by_id(stop.event_id)
    if not stop.gathering:
        raise Refused(_("“%(stop)s”不是集合点，不点名", stop=stop.title))
    person = people.find(event, person_key)
    answer = checkin.sign_in_by_hand(event, stop.key, person.registration_id, reason=_("集合点名"),
                                        account=account)
    if not answer.ok:
        raise Refused(answer.message)
    return answer


@dataclass
class Missing:
    """Who is expected at a stop (everyone, or one vehicle's passengers), who came and who has not."""

    stop: Stop
    vehicle: Vehicle | None
    expected: int
    present: int
    missing: list[people.Person]
    excused: list[people.Person] = field(default_factory=list)
    signed_in_at: dict = field(default_factory=dict)  # person key -> UTC time of the party's sign-in


def missing(stop: Stop, vehicle: Vehicle | None = None) -> Missing:
    """Who has not signed in at ``stop`` — of one vehicle's passengers, or of everyone — read from
    the sign-in plugin's attendance list. People excused there (请假) are not missing."""
    if not stop.gathering:
        raise Refused(_("“%(stop)s”不是集合点，不点名", stop=stop.title))
    event = Event.get_by_id(stop.event_id)
    everyone = people.participants(event)
    if vehicle is not None:
        keys = {k for (k,) in Seat.select(Seat.person).where(Seat.vehicle == vehicle).tuples()}
        everyone = [p for p in everyone if p.key in keys]
    rows = {a.registration_id: a for a in checkin.attendance_list(event, stop.key)}
    signed_in = {p.key: rows[p.registration_id].signed_in_at for p in everyone
                 if p.registration_id in rows and rows[p.registration_id].present}
    excused = [p for p in everyone if p.key not in signed_in and p.registration_id in rows
               and rows[p.registration_id].status == "excused"]
    gone = [p for p in everyone if p.key not in signed_in and p not in excused]
    return Missing(stop=stop, vehicle=vehicle, expected=len(everyone), present=len(signed_in), missing=gone,
                   excused=excused, signed_in_at=signed_in)
