"""Checkpoints, sign-ins and sign-outs, failed scans, excuses, token versions and device bindings."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.models import Event, Item, Member, Registration
from core.timeutil import utcnow

KINDS = ("in", "out")
SOURCES = ("door", "venue", "manual", "offline")


class Checkpoint(BaseModel):
    """A place and time where people sign in: the event itself (key ``main``), an outing's gathering
    point, a sports item. Empty times follow the item's or the event's own times.
    """

    event = peewee.ForeignKeyField(Event, backref="checkpoints", on_delete="CASCADE")
    key = peewee.CharField(max_length=40)
    name = peewee.CharField(max_length=100)
    place = peewee.CharField(max_length=100, default="")  # e.g. 学校东门, 景区售票处
    # Only the people entered in this item are expected (an item's own list); otherwise all registered.
    item = peewee.ForeignKeyField(Item, null=True, on_delete="SET NULL")
    sort = peewee.IntegerField(default=0)
    opens_at = peewee.DateTimeField(null=True)  # sign-in opens (default: 30 minutes before the start)
    starts_at = peewee.DateTimeField(null=True)  # after this plus the grace a sign-in is late
    grace_minutes = peewee.IntegerField(default=0)
    closes_at = peewee.DateTimeField(null=True)  # sign-in closes (default: the end)
    ends_at = peewee.DateTimeField(null=True)  # a sign-out before this is an early leave
    sign_out = peewee.BooleanField(default=False)
    self_sign_in = peewee.BooleanField(default=True)  # the venue code may be used
    rotate_seconds = peewee.IntegerField(default=30)
    # A geofence for self sign-in with the venue code: the phone's reported place must lie within
    # ``radius_m`` metres of this point (none: no check).
    latitude = peewee.FloatField(null=True)
    longitude = peewee.FloatField(null=True)
    # A default in the database too, so that rows written by plain SQL (older migrations) get it.
    radius_m = peewee.IntegerField(default=300, constraints=[peewee.SQL("DEFAULT 300")])
    # Its own entry in calendar feeds; off when the plugin keeping it shows the time already (an outing's stop).
    in_calendar = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)  # calendar feeds see every change

    class Meta:
        indexes = ((("event", "key"), True),)

    def __str__(self) -> str:
        return self.name


class CheckIn(BaseModel):
    """One sign-in (``kind='in'``) or sign-out (``'out'``) of a registration at a checkpoint.

    The unique index makes the second scan of the same person a no-op (``INSERT ... ON CONFLICT DO
    NOTHING``); ``scanned_at`` is when the code was read, ``created_at`` when the server got it
    (later for offline scans).
    """

    # Found through the unique index below, which starts with it: an index of its own would only make
    # every sign-in's insert dearer.
    checkpoint = peewee.ForeignKeyField(Checkpoint, backref="checkins", on_delete="CASCADE", index=False)
    registration = peewee.ForeignKeyField(Registration, backref="checkins", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, on_delete="CASCADE")
    kind = peewee.CharField(max_length=3, default="in")
    status = peewee.CharField(max_length=20)  # on_time | late (in); on_time | early_leave (out)
    scanned_at = peewee.DateTimeField()
    created_at = peewee.DateTimeField(default=utcnow)
    source = peewee.CharField(max_length=10, default="door")
    account_id = peewee.IntegerField(null=True)  # who scanned; none for self sign-in
    device_id = peewee.CharField(max_length=64, default="")
    client_scan_id = peewee.CharField(max_length=64, null=True)  # compared on the row the unique index finds
    reason = peewee.TextField(default="")  # manual sign-in or out
    # A device time the server did not take (see plugins/checkin/clock.py): what it claimed and why it
    # was flagged; ``scanned_at`` is then the upload time until the organizer decides.
    claimed_at = peewee.DateTimeField(null=True)
    time_flag = peewee.CharField(max_length=20, default="", constraints=[peewee.SQL("DEFAULT ''")])
    # Where a self sign-in's phone said it was, and how sure it was (metres), for the organizer to see.
    latitude = peewee.FloatField(null=True)
    longitude = peewee.FloatField(null=True)
    accuracy_m = peewee.FloatField(null=True)

    class Meta:
        indexes = ((("checkpoint", "registration", "kind"), True),)


class FailedScan(BaseModel):
    """A scan that signed nobody in, kept to explain complaints and spot misuse."""

    event = peewee.ForeignKeyField(Event, null=True, on_delete="CASCADE")
    checkpoint_id = peewee.IntegerField(null=True)
    registration_id = peewee.IntegerField(null=True)
    result = peewee.CharField(max_length=20, index=True)
    code = peewee.CharField(max_length=120, default="")
    source = peewee.CharField(max_length=10, default="door")
    account_id = peewee.IntegerField(null=True)
    device_id = peewee.CharField(max_length=64, default="")
    at = peewee.DateTimeField(default=utcnow, index=True)


class Excuse(BaseModel):
    """The organizer excused a registration from a checkpoint (请假), with a reason."""

    checkpoint = peewee.ForeignKeyField(Checkpoint, backref="excuses", on_delete="CASCADE")
    registration = peewee.ForeignKeyField(Registration, on_delete="CASCADE")
    reason = peewee.TextField()
    account_id = peewee.IntegerField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("checkpoint", "registration"), True),)


class AttendanceRequest(BaseModel):
    """A participant's own request at a checkpoint: 请假 (``leave``) before it, 补签 (``makeup``) after
    he came and was not scanned; approved or refused by the event's organizer, with a note."""

    registration = peewee.ForeignKeyField(Registration, on_delete="CASCADE")
    checkpoint = peewee.ForeignKeyField(Checkpoint, on_delete="CASCADE")
    kind = peewee.CharField(max_length=10)
    reason = peewee.TextField()
    arrived_at = peewee.DateTimeField(null=True)  # a make-up: when he says he arrived
    status = peewee.CharField(max_length=10, default="pending", index=True)  # pending | approved | refused
    created_at = peewee.DateTimeField(default=utcnow)
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.IntegerField(null=True)  # the organizer's account
    note = peewee.TextField(default="")

    class Meta:
        indexes = ((("registration", "checkpoint", "kind"), True),)


class TokenState(BaseModel):
    """The current version of a registration's personal code. No row means version 1, valid.

    Revoking marks the version refused; reissuing moves to the next version, so every code printed
    or photographed before stops working.
    """

    registration = peewee.ForeignKeyField(Registration, unique=True, on_delete="CASCADE")
    version = peewee.IntegerField(default=1)
    revoked = peewee.BooleanField(default=False)
    updated_at = peewee.DateTimeField(default=utcnow)


class DeviceBinding(BaseModel):
    """A phone that identified a participant for self sign-in at an event.

    One device signs in one person per event, and one person is identified on one device.
    """

    event = peewee.ForeignKeyField(Event, on_delete="CASCADE")
    device_id = peewee.CharField(max_length=64)
    registration = peewee.ForeignKeyField(Registration, on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("event", "device_id"), True), (("event", "registration"), True))


MODELS = [Checkpoint, CheckIn, FailedScan, Excuse, TokenState, DeviceBinding, AttendanceRequest]
