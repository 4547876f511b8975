"""Who is expected at a checkpoint, who came, when, and with what status; counts for the live view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from peewee import JOIN

from core.errors import NotFound
from core.models import Entry, Event, Member, Registration, Team, Unit
from core.timeutil import utcnow
from plugins.checkin import checkpoints as checkpoint_service
from plugins.checkin.models import CheckIn, Checkpoint, Excuse
from plugins.checkin.windows import STATUSES, final_status


@dataclass
class Attendance:
    """One expected person at one checkpoint. ``status`` is ``None`` while he may still come."""

    registration_id: int
    member_id: int
    name: str
    staff_no: str
    unit: str
    unit_id: int
    team: str
    status: str | None
    signed_in_at: datetime | None = None
    signed_in_status: str | None = None
    signed_in_source: str = ""
    signed_out_at: datetime | None = None
    signed_out_status: str | None = None
    excuse: str = ""
    # A device time not taken (see plugins/checkin/clock.py), awaiting the organizer: {kind: (flag, claimed)}
    time_flags: dict = field(default_factory=dict)
    place: str = ""  # where a self sign-in's phone said it was: "lat,lng ±accuracy m"

    @property
    def present(self) -> bool:
        return self.signed_in_at is not None


def counted(event: Event):
    """Registrations that count for attendance: the active ones, and those withdrawn once the event had
    started (by the organizer, with a reason): their absence stays on record."""
    return ((Registration.status == "active")
            | ((Registration.status == "withdrawn") & (Registration.withdrawn_at >= event.starts_at)))


def expected(checkpoint: Checkpoint, event: Event | None = None):
    """The registrations expected at ``checkpoint``: every counted one, or those entered in its item."""
    event = event or Event.get_by_id(checkpoint.event_id)
    query = (Registration.select(Registration, Member, Unit, Team)
             .join(Member).join(Unit).switch(Registration)
             .join(Team, JOIN.LEFT_OUTER)
             .where(Registration.event == checkpoint.event_id, counted(event)))
    if checkpoint.item_id:
        query = query.where(Registration.id.in_(Entry.select(Entry.registration).where(Entry.item == checkpoint.item_id)))
    return query.order_by(Unit.path, Unit.sort, Member.staff_no)


def attendances(event: Event, checkpoint: Checkpoint | None = None, now: datetime | None = None) -> list[Attendance]:
    """Every expected person at ``checkpoint`` (default: the main one) with his sign-in, sign-out and status."""
    checkpoint = checkpoint or checkpoint_service.ensure_main(event)
    now = now or utcnow()
    window = checkpoint_service.window_of(checkpoint, event)
    rows = {}
    for row in CheckIn.select().where(CheckIn.checkpoint == checkpoint.id):
        rows[(row.registration_id, row.kind)] = row
    excuses = {e.registration_id: e.reason for e in Excuse.select().where(Excuse.checkpoint == checkpoint.id)}
    out = []
    for reg in expected(checkpoint, event):
        sign_in, sign_out = rows.get((reg.id, "in")), rows.get((reg.id, "out"))
        status = final_status(window, signed_in=sign_in.status if sign_in else None,
                              signed_out=sign_out.status if sign_out else None,
                              excused=reg.id in excuses, now=now)
        out.append(Attendance(
            registration_id=reg.id, member_id=reg.member_id, name=reg.member.name, staff_no=reg.member.staff_no,
            unit=reg.member.unit.name, unit_id=reg.member.unit_id, team=reg.team.name if reg.team_id else "",
            status=status, signed_in_at=sign_in.scanned_at if sign_in else None,
            signed_in_status=sign_in.status if sign_in else None, signed_in_source=sign_in.source if sign_in else "",
            signed_out_at=sign_out.scanned_at if sign_out else None,
            signed_out_status=sign_out.status if sign_out else None, excuse=excuses.get(reg.id, ""),
            time_flags={row.kind: (row.time_flag, row.claimed_at) for row in (sign_in, sign_out)
                        if row is not None and row.time_flag},
            place=_place(sign_in),
        ))
    return out


def _place(row) -> str:
    if row is None or row.latitude is None:
        return ""
    accuracy = f" ±{round(row.accuracy_m)} m" if row.accuracy_m is not None else ""
    return f"{row.latitude:.5f},{row.longitude:.5f}{accuracy}"


def in_use(checkpoint: Checkpoint) -> bool:
    """Whether sign-in is used at ``checkpoint``: one made on purpose, or anybody signed in or excused there.

    An event that never used sign-in does not make all its people absent.
    """
    if checkpoint.key != checkpoint_service.MAIN:
        return True
    return (CheckIn.select().where(CheckIn.checkpoint == checkpoint.id).exists()
            or Excuse.select().where(Excuse.checkpoint == checkpoint.id).exists())


def status_of(event: Event, member, checkpoint_key: str | None = None, now: datetime | None = None) -> str | None:
    """The attendance of one member at ``event`` (or one checkpoint of it).

    ``None`` when he is not expected there, when his status is not known yet (the window is open),
    or when the event does not use sign-in at all (see :func:`in_use`).
    """
    member_id = getattr(member, "id", member)
    try:
        checkpoint = checkpoint_service.get(event, checkpoint_key)
    except NotFound:  # an unknown checkpoint key: this plugin does not know
        return None
    reg = Registration.get_or_none(Registration.event == event.id, Registration.member == member_id,
                                   counted(event))
    if reg is None:
        return None
    if checkpoint.item_id and not Entry.select().where(Entry.item == checkpoint.item_id,
                                                       Entry.registration == reg.id).exists():
        return None
    rows = {r.kind: r.status for r in CheckIn.select(CheckIn.kind, CheckIn.status)
            .where(CheckIn.checkpoint == checkpoint.id, CheckIn.registration == reg.id)}
    excused = Excuse.select().where(Excuse.checkpoint == checkpoint.id, Excuse.registration == reg.id).exists()
    if not rows and not excused and not in_use(checkpoint):
        return None
    return final_status(checkpoint_service.window_of(checkpoint, event), signed_in=rows.get("in"),
                        signed_out=rows.get("out"), excused=excused, now=now or utcnow())


def statuses_of(event: Event, member_ids, checkpoint_key: str | None = None,
                now: datetime | None = None) -> dict[int, str] | None:
    """``{member_id: status}`` for those of ``member_ids`` whose attendance is known, in a few queries.

    ``None`` when this checkpoint does not exist or the event does not use sign-in (see :func:`in_use`),
    so that the ``huodong_attendance_many`` hook leaves the answer to others.
    """
    try:
        checkpoint = checkpoint_service.get(event, checkpoint_key)
    except NotFound:  # an unknown checkpoint key: nothing known
        return None
    if not in_use(checkpoint):
        return None
    wanted = set(member_ids)
    return {p.member_id: p.status for p in attendances(event, checkpoint, now)
            if p.member_id in wanted and p.status is not None}


def summary(event: Event, checkpoint: Checkpoint, now: datetime | None = None) -> dict:
    """Counts signed in / expected overall, by unit and by team, and who is still missing."""
    people = attendances(event, checkpoint, now)
    def tally(key):
        groups: dict[str, dict] = {}
        for person in people:
            name = key(person) or "—"
            group = groups.setdefault(name, {"name": name, "expected": 0, "present": 0})
            group["expected"] += 1
            group["present"] += person.present
        return sorted(groups.values(), key=lambda g: (g["present"] - g["expected"], g["name"]))
    counts = {s: 0 for s in STATUSES}
    for person in people:
        if person.status in counts:
            counts[person.status] += 1
    return {
        "expected": len(people),
        "present": sum(p.present for p in people),
        "signed_out": sum(p.signed_out_at is not None for p in people),
        "counts": counts,
        "by_unit": tally(lambda p: p.unit),
        "by_team": tally(lambda p: p.team) if any(p.team for p in people) else [],
        "missing": [p for p in people if not p.present and p.status != "excused"],
        "people": people,
    }
