"""Vehicles, departures and seats.

Capacity is the database's to keep: a seat number is unique per vehicle and a person unique per
outing, and a number is only ever taken between 1 and the vehicle's seats. Two organizers giving the
last seat to two people at once: one insert wins, the other finds the bus full.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from peewee import IntegrityError

from core.db import db
from core.errors import Invalid, NotFound, Refused
from core.models import Event
from core.services import audit
from plugins.outing import people
from plugins.outing.models import Seat, Vehicle


def vehicles(event: Event) -> list[Vehicle]:
    return list(Vehicle.select().where(Vehicle.event == event).order_by(Vehicle.departs_at, Vehicle.name))


def get_vehicle(event: Event, vehicle_id: int) -> Vehicle:
    vehicle = Vehicle.get_or_none(Vehicle.id == vehicle_id, Vehicle.event == event)
    if vehicle is None:
        raise NotFound(_("找不到该车辆"))
    return vehicle


def add_vehicle(event: Event, *, name: str, seats: int, departs_at, place: str = "", dispatcher: str = "",
                note: str = "", account=None) -> Vehicle:
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写车辆名称")
    elif Vehicle.select().where(Vehicle.event == event, Vehicle.name == name).exists():
        errors["name"] = _("车辆“%(name)s”已存在", name=name)
    if not isinstance(seats, int) or seats < 1:
        errors["seats"] = _("座位数应为正整数")
    if departs_at is None:
        errors["departs_at"] = _("请填写发车时间")
    if errors:
        raise Invalid(_("车辆信息有误"), errors)
    with db.atomic():
        vehicle = Vehicle.create(event=event, name=name, seats=seats, departs_at=departs_at, place=place,
                                 dispatcher=dispatcher, note=note)
        audit.record("outing.vehicle.create", vehicle, after={"name": name, "seats": seats}, account=account,
                     event=event)
    return vehicle


def taken_numbers(vehicle: Vehicle) -> set[int]:
    return {n for (n,) in Seat.select(Seat.number).where(Seat.vehicle == vehicle).tuples()}


def _insert(event: Event, vehicle: Vehicle, person: people.Person, number: int | None) -> Seat:
    """Seat ``person`` (in the caller's transaction): the given number, or the lowest free one."""
    for _attempt in range(vehicle.seats + 1):
        free = [n for n in range(1, vehicle.seats + 1) if n not in taken_numbers(vehicle)]
        chosen = number if number is not None else (free[0] if free else None)
        if chosen is None:
            raise Refused(_("【座位】%(vehicle)s 共 %(n)s 座，已坐满", vehicle=vehicle.name, n=vehicle.seats))
        if not 1 <= chosen <= vehicle.seats:
            raise Invalid(_("【座位】%(vehicle)s 只有 1–%(n)s 号座位", vehicle=vehicle.name, n=vehicle.seats))
        try:
            with db.atomic():
                return Seat.create(event=event, vehicle=vehicle, number=chosen, registration=person.registration_id,
                                   guest=person.guest_id, person=person.key)
        except IntegrityError:
            if number is not None or Seat.select().where(Seat.event == event, Seat.person == person.key).exists():
                raise Refused(_("【座位】%(vehicle)s %(n)s 号座位已有人", vehicle=vehicle.name, n=chosen)) from None
    raise Refused(_("【座位】%(vehicle)s 共 %(n)s 座，已坐满", vehicle=vehicle.name, n=vehicle.seats))


def assign(event: Event, person_key: str, vehicle: Vehicle, number: int | None = None, *, account=None) -> Seat:
    """Put one person in ``vehicle`` (seat ``number`` or the lowest free one), moving him from any other seat."""
    person = people.find(event, person_key)
    with db.atomic():
        Seat.delete().where(Seat.event == event, Seat.person == person.key).execute()
        seat = _insert(event, vehicle, person, number)
        audit.record("outing.seat", seat, after={"person": person.key, "vehicle": vehicle.name, "seat": seat.number},
                     account=account, event=event)
    return seat


@dataclass
class AutoResult:
    seated: int
    unplaced: list[str]


def auto_assign(event: Event, *, account=None) -> AutoResult:
    """Seat everyone not yet seated: a family in one vehicle, departments together in order, and those
    who asked for a later bus (上午有课) from the last departure backwards."""
    blocks = people.families(event)
    fleet = vehicles(event)
    seated_keys = {k for (k,) in Seat.select(Seat.person).where(Seat.event == event).tuples()}
    free = {v.id: v.seats - len(taken_numbers(v)) for v in fleet}
    seated, unplaced = 0, []
    early = [b for b in blocks if not b[0].extra.get("late_bus")]
    late = [b for b in blocks if b[0].extra.get("late_bus")]
    with db.atomic():
        for block, order in [(b, fleet) for b in early] + [(b, fleet[::-1]) for b in late]:
            todo = [p for p in block if p.key not in seated_keys]
            if not todo:
                continue
            home = next((v for v in fleet if any(s.person in {p.key for p in block}
                                                 for s in Seat.select().where(Seat.vehicle == v))), None)
            candidates = ([home] if home else []) + [v for v in order if v is not home]
            target = next((v for v in candidates if free[v.id] >= len(todo)), None)
            if target is None:
                unplaced += [p.name for p in todo]
                continue
            for person in todo:
                _insert(event, target, person, None)
                free[target.id] -= 1
                seated += 1
        audit.record("outing.seat.auto", event, after={"seated": seated, "unplaced": unplaced}, account=account,
                     event=event)
    return AutoResult(seated=seated, unplaced=unplaced)


@dataclass
class Passenger:
    number: int
    person: people.Person


def passengers(vehicle: Vehicle) -> list[Passenger]:
    """The vehicle's passenger list by seat number (only people still going)."""
    event = Event.get_by_id(vehicle.event_id)
    everyone = people.by_key(event)
    rows = Seat.select().where(Seat.vehicle == vehicle).order_by(Seat.number)
    return [Passenger(s.number, everyone[s.person]) for s in rows if s.person in everyone]


def seat_of(event: Event) -> dict[str, tuple[str, int]]:
    """Each seated person's ``(vehicle name, seat number)``."""
    names = {v.id: v.name for v in vehicles(event)}
    return {s.person: (names.get(s.vehicle_id, ""), s.number) for s in Seat.select().where(Seat.event == event)}
