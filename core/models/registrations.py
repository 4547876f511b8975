"""Registrations: a member's place in an event, his team, family members and item entries."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import EncryptedField, JSONField, MoneyField
from core.models.accounts import Account
from core.models.events import Event, Item
from core.models.members import Member
from core.models.units import Unit
from core.timeutil import utcnow

REGISTRATION_STATUSES = {"active": "已报名", "waitlisted": "候补", "withdrawn": "已退出"}
PAYMENT_STATUSES = {"unpaid": "未缴费", "paid": "已缴费", "refunded": "已退费", "free": "免费"}


class Team(BaseModel):
    event = peewee.ForeignKeyField(Event, backref="teams", on_delete="CASCADE")
    name = peewee.CharField(max_length=100)
    unit = peewee.ForeignKeyField(Unit, null=True, on_delete="SET NULL")
    captain = peewee.ForeignKeyField(Member, null=True, on_delete="SET NULL")
    # Further units whose members belong to the team (an office team spans several grade groups).
    unit_ids = JSONField(default=list)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("event", "name"), True),)

    def __str__(self) -> str:
        return self.name


class Registration(BaseModel):
    """One member in one event. Withdrawing keeps the row; registering again reuses it."""

    event = peewee.ForeignKeyField(Event, backref="registrations", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, backref="registrations", on_delete="CASCADE")
    team = peewee.ForeignKeyField(Team, null=True, backref="registrations", on_delete="SET NULL")
    status = peewee.CharField(max_length=20, default="active", index=True)
    waitlist_position = peewee.IntegerField(null=True)
    registered_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    extra = JSONField(default=dict)
    fee_total = MoneyField()
    member_share = MoneyField()
    union_share = MoneyField()
    payment_status = peewee.CharField(max_length=20, default="unpaid")
    paid_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    withdrawn_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("event", "member"), True),)

    @property
    def status_label(self) -> str:
        return REGISTRATION_STATUSES.get(self.status, self.status)

    @property
    def payment_label(self) -> str:
        return PAYMENT_STATUSES.get(self.payment_status, self.payment_status)


class Guest(BaseModel):
    """A family member (家属) added to a member's registration."""

    registration = peewee.ForeignKeyField(Registration, backref="guests", on_delete="CASCADE")
    name = peewee.CharField(max_length=50)
    relation = peewee.CharField(max_length=20, default="")
    gender = peewee.CharField(max_length=1, default="")
    is_child = peewee.BooleanField(default=False)
    id_number = EncryptedField(null=True)
    fee = MoneyField()
    member_share = MoneyField()
    union_share = MoneyField()


class Entry(BaseModel):
    """A member entered in an item, for himself or as part of his team."""

    item = peewee.ForeignKeyField(Item, backref="entries", on_delete="CASCADE")
    registration = peewee.ForeignKeyField(Registration, backref="entries", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, backref="entries", on_delete="CASCADE")
    team = peewee.ForeignKeyField(Team, null=True, backref="entries", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("item", "member"), True),)
