"""Hotel rooms: twin rooms (标准双人间) paired by sex, a member's wished roommate honoured when both
agree in sex, and a family kept in its own room(s) (a family of three in one room with an extra bed). Beds are unique per room and per person, like seats."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from peewee import IntegrityError

from core.db import db
from core.errors import Invalid, NotFound, Refused
from core.models import Event, Member
from core.services import audit
from plugins.outing import people
from plugins.outing.models import Bed, Room


def rooms(event: Event) -> list[Room]:
    return list(Room.select().where(Room.event == event).order_by(Room.id))


def get_room(event: Event, room_id: int) -> Room:
    room = Room.get_or_none(Room.id == room_id, Room.event == event)
    if room is None:
        raise NotFound(_("找不到该房间"))
    return room


def _new_room(event: Event, gender: str, beds: int = 2) -> Room:
    label = (lambda n: _("双人间 %(n)s", n=n)) if beds == 2 else (lambda n: _("家庭房 %(n)s", n=n))
    number = Room.select().where(Room.event == event).count() + 1
    while Room.select().where(Room.event == event, Room.name == label(number)).exists():
        number += 1
    return Room.create(event=event, name=label(number), beds=beds, gender=gender)


def _put(event: Event, room: Room, person: people.Person) -> Bed:
    taken = {n for (n,) in Bed.select(Bed.number).where(Bed.room == room).tuples()}
    free = [n for n in range(1, room.beds + 1) if n not in taken]
    if not free:
        raise Refused(_("【住宿】%(room)s 已住满", room=room.name))
    if room.gender and person.gender and person.gender != room.gender:
        raise Refused(_("【住宿】%(room)s 是%(sex)s房间", room=room.name, sex=_("男") if room.gender == "M" else _("女")))
    try:
        with db.atomic():
            return Bed.create(event=event, room=room, number=free[0], registration=person.registration_id,
                              guest=person.guest_id, person=person.key)
    except IntegrityError:
        raise Refused(_("【住宿】%(room)s 已住满或此人已分房", room=room.name)) from None


def assign(event: Event, person_key: str, room: Room, *, account=None) -> Bed:
    """Move one person into ``room`` by hand."""
    person = people.find(event, person_key)
    with db.atomic():
        Bed.delete().where(Bed.event == event, Bed.person == person.key).execute()
        bed = _put(event, room, person)
        audit.record("outing.bed", bed, after={"person": person.key, "room": room.name}, account=account, event=event)
    return bed


def add_room(event: Event, *, name: str, beds: int = 2, gender: str = "", account=None) -> Room:
    name = (name or "").strip()
    if not name or Room.select().where(Room.event == event, Room.name == name).exists():
        raise Invalid(_("房间名称为空或已存在"), {"name": _("请换一个房间名称")})
    if beds < 1 or gender not in ("", "M", "F"):
        raise Invalid(_("房间信息有误"))
    return Room.create(event=event, name=name, beds=beds, gender=gender)


@dataclass
class AutoResult:
    placed: int
    rooms: int


def auto_assign(event: Event, *, account=None) -> AutoResult:
    """Room everyone not yet roomed: families first, then wished pairs, then colleagues by sex."""
    blocks = people.families(event)
    roomed = {k for (k,) in Bed.select(Bed.person).where(Bed.event == event).tuples()}
    placed = 0
    before = Room.select().where(Room.event == event).count()
    staff = {}
    with db.atomic():
        singles: list[people.Person] = []
        for block in blocks:
            todo = [p for p in block if p.key not in roomed]
            if len(block) > 1:
                # A family of three takes one room with an extra bed rather than leave a child alone.
                size = 3 if len(todo) == 3 else 2
                for start in range(0, len(todo), size):
                    room = _new_room(event, "", beds=len(todo[start:start + size]) if size == 3 else 2)
                    for person in todo[start:start + size]:
                        _put(event, room, person)
                        placed += 1
            elif todo:
                singles.append(todo[0])
        members = {m.id: m.staff_no for m in Member.select(Member.id, Member.staff_no).where(
            Member.id.in_([p.member_id for p in singles] or [0]))}
        staff = {members[p.member_id]: p for p in singles}
        done: set[str] = set()
        pairs: list[list[people.Person]] = []
        for person in singles:  # wished roommates of the same sex
            wish = staff.get(str(person.extra.get("roommate") or "").strip())
            if person.key in done or wish is None or wish.key in done or wish.key == person.key:
                continue
            if wish.gender == person.gender:
                pairs.append([person, wish])
                done |= {person.key, wish.key}
        for gender in ("M", "F"):
            rest = [p for p in singles if p.gender == gender and p.key not in done]
            half = Room.select().where(Room.event == event, Room.gender == gender)
            for room in half:  # a half-empty room from an earlier run takes one first
                if rest and Bed.select().where(Bed.room == room).count() < room.beds:
                    _put(event, room, rest.pop(0))
                    placed += 1
            pairs += [rest[i:i + 2] for i in range(0, len(rest), 2)]
        for pair in pairs:
            room = _new_room(event, pair[0].gender)
            for person in pair:
                _put(event, room, person)
                placed += 1
        made = Room.select().where(Room.event == event).count() - before
        audit.record("outing.bed.auto", event, after={"placed": placed, "rooms": made}, account=account, event=event)
    return AutoResult(placed=placed, rooms=made)


@dataclass
class RoomList:
    room: Room
    people: list[people.Person]


def room_list(event: Event) -> list[RoomList]:
    everyone = people.by_key(event)
    found: dict[int, list[people.Person]] = {}
    for bed in Bed.select().where(Bed.event == event).order_by(Bed.room, Bed.number):
        if bed.person in everyone:
            found.setdefault(bed.room_id, []).append(everyone[bed.person])
    return [RoomList(room, found.get(room.id, [])) for room in rooms(event)]
