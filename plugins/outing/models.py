"""The outing plugin's rows: itinerary stops, vehicles and seats, rooms and beds, cost items,
refunds and safety acknowledgements. Roll calls at the gathering stops are sign-ins of the sign-in
plugin (see :mod:`plugins.outing.roll_call`).

A person on an outing is a member's registration or one of its family members (``Guest``); rows
that place a person carry both and a ``person`` key (``r12`` or ``g34``) so that one unique index
keeps each person in one seat and one bed.
"""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import MoneyField
from core.models import Event, Guest, Member, Registration
from core.timeutil import utcnow


class Stop(BaseModel):
    """A timed stop of the itinerary (集合出发, 抵达河源, 入住酒店 ...); each ``gathering`` stop is a
checkpoint of the sign-in plugin, where the roll call is taken."""

    event = peewee.ForeignKeyField(Event, backref="outing_stops", on_delete="CASCADE")
    starts_at = peewee.DateTimeField()  # UTC
    ends_at = peewee.DateTimeField(null=True)  # UTC
    title = peewee.CharField(max_length=100)
    place = peewee.CharField(max_length=200, default="")
    note = peewee.TextField(default="")
    gathering = peewee.BooleanField(default=False)
    updated_at = peewee.DateTimeField(default=utcnow)

    @property
    def key(self) -> str:
        """The key of this stop's checkpoint in the sign-in plugin (roll call, attendance)."""
        return f"outing-stop-{self.id}"


class Notice(BaseModel):
    """A change registrants must see on their page (the itinerary moved, a bus changed)."""

    event = peewee.ForeignKeyField(Event, backref="outing_notices", on_delete="CASCADE")
    text = peewee.CharField(max_length=500)
    at = peewee.DateTimeField(default=utcnow)


class Vehicle(BaseModel):
    """One bus on one departure: its seats, departure time and place, and dispatcher (调度)."""

    event = peewee.ForeignKeyField(Event, backref="outing_vehicles", on_delete="CASCADE")
    name = peewee.CharField(max_length=60)
    seats = peewee.IntegerField()
    departs_at = peewee.DateTimeField()  # UTC
    place = peewee.CharField(max_length=200, default="")
    dispatcher = peewee.CharField(max_length=100, default="")
    note = peewee.CharField(max_length=200, default="")

    class Meta:
        indexes = ((("event", "name"), True),)


class Seat(BaseModel):
    """A person in a seat of a vehicle. The unique indexes are the capacity guarantee: a seat number
    is taken once per vehicle, and a person sits in one seat of the outing."""

    event = peewee.ForeignKeyField(Event, on_delete="CASCADE")
    vehicle = peewee.ForeignKeyField(Vehicle, backref="seat_rows", on_delete="CASCADE")
    number = peewee.IntegerField()
    registration = peewee.ForeignKeyField(Registration, on_delete="CASCADE")
    guest = peewee.ForeignKeyField(Guest, null=True, on_delete="CASCADE")
    person = peewee.CharField(max_length=20)

    class Meta:
        indexes = ((("vehicle", "number"), True), (("event", "person"), True))


class Room(BaseModel):
    """A hotel room (标准双人间 by default)."""

    event = peewee.ForeignKeyField(Event, backref="outing_rooms", on_delete="CASCADE")
    name = peewee.CharField(max_length=60)
    beds = peewee.IntegerField(default=2)
    gender = peewee.CharField(max_length=1, default="")  # M, F, or '' for a family room

    class Meta:
        indexes = ((("event", "name"), True),)


class Bed(BaseModel):
    """A person in a bed of a room; unique like :class:`Seat`."""

    event = peewee.ForeignKeyField(Event, on_delete="CASCADE")
    room = peewee.ForeignKeyField(Room, backref="bed_rows", on_delete="CASCADE")
    number = peewee.IntegerField()
    registration = peewee.ForeignKeyField(Registration, on_delete="CASCADE")
    guest = peewee.ForeignKeyField(Guest, null=True, on_delete="CASCADE")
    person = peewee.CharField(max_length=20)

    class Meta:
        indexes = ((("room", "number"), True), (("event", "person"), True))


class CostItem(BaseModel):
    """A cost line: ``per_person`` (in the price per head) or a lump sum, paid by ``union`` or ``self``."""

    event = peewee.ForeignKeyField(Event, backref="outing_costs", on_delete="CASCADE")
    name = peewee.CharField(max_length=100)
    category = peewee.CharField(max_length=20)  # meals, hotel, tickets, guide, transport, prizes, other
    per_person = MoneyField(null=True)
    lump_sum = MoneyField(null=True)
    payer = peewee.CharField(max_length=10, default="union")  # union | self
    actual = MoneyField(null=True)
    sort = peewee.IntegerField(default=0)


class Refund(BaseModel):
    """What a withdrawn registration gets back (zero after the deadline, with the reason)."""

    event = peewee.ForeignKeyField(Event, on_delete="CASCADE")
    registration = peewee.ForeignKeyField(Registration, on_delete="CASCADE")
    amount = MoneyField()
    note = peewee.CharField(max_length=200, default="")
    at = peewee.DateTimeField(default=utcnow)


class Acknowledgement(BaseModel):
    """A participant has read the 安全告知 (recorded once, with the time)."""

    event = peewee.ForeignKeyField(Event, on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, on_delete="CASCADE")
    at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("event", "member"), True),)


MODELS = [Stop, Notice, Vehicle, Seat, Room, Bed, CostItem, Refund, Acknowledgement]
