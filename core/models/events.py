"""Events, their organizing committee and their items (单项)."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import JSONField, MoneyField
from core.models.members import Member
from core.models.units import Unit
from core.timeutil import DEFAULT_TZ, utcnow

STATUSES = {
    "draft": "草稿",
    "published": "已发布",
    "closed": "报名截止",
    "running": "进行中",
    "finished": "已结束",
    "archived": "已归档",
    "cancelled": "已取消",
}

# Allowed moves of an event's status; anything else is refused.
TRANSITIONS = {
    "draft": ("published", "cancelled"),
    "published": ("closed", "running", "cancelled", "draft"),
    "closed": ("published", "running", "cancelled"),
    "running": ("finished",),
    "finished": ("archived", "running"),
    "archived": (),
    "cancelled": ("draft",),
}

COMMITTEE_ROLES = ("组长", "副组长", "成员", "总策划", "宣传报道组", "后勤器材组", "摄像")


class Event(BaseModel):
    activity_type = peewee.CharField(max_length=40, index=True)
    preset = peewee.CharField(max_length=60, null=True)
    title = peewee.CharField(max_length=200)
    description = peewee.TextField(default="")
    unit = peewee.ForeignKeyField(Unit, backref="events", on_delete="RESTRICT")
    venue = peewee.CharField(max_length=200, default="")
    timezone = peewee.CharField(max_length=60, default=DEFAULT_TZ)
    starts_at = peewee.DateTimeField(index=True)  # UTC
    ends_at = peewee.DateTimeField()  # UTC
    all_day = peewee.BooleanField(default=False)
    registration_opens_at = peewee.DateTimeField(null=True)
    registration_closes_at = peewee.DateTimeField(null=True)
    capacity = peewee.IntegerField(null=True)
    status = peewee.CharField(max_length=20, default="draft", index=True)
    # Registration rules, fees and plugin settings; see core.services.registration_rules.
    settings = JSONField(default=dict)
    fee = MoneyField()  # cost per person
    reminder_minutes = peewee.IntegerField(null=True)
    sequence = peewee.IntegerField(default=0)  # iCalendar SEQUENCE, moved on every change
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow, index=True)
    cancelled_at = peewee.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, ())

    def setting(self, key: str, default=None):
        return (self.settings or {}).get(key, default)

    def touch(self) -> None:
        """Mark a change that calendar subscribers must see: SEQUENCE + 1 and a new LAST-MODIFIED.

        The increment is made by the database and read back, so that changes made meanwhile through
        another instance (an item of a plugin, a concurrent request) are never undone by a later
        ``save()`` of this one. Call it inside the transaction of the change.
        """
        if self.id is None:
            self.sequence = (self.sequence or 0) + 1
            self.updated_at = utcnow()
            return
        self.updated_at = touch_event(self.id)
        self.sequence = Event.select(Event.sequence).where(Event.id == self.id).scalar()


def touch_event(event_id: int):
    """Move the event's SEQUENCE and LAST-MODIFIED in one UPDATE; return the new ``updated_at``.

    For changes made outside the event row (its items, a plugin's itinerary or schedule) so that
    calendar subscribers see them. Safe under concurrency: the increment happens in the database.
    """
    now = utcnow()
    Event.update(sequence=Event.sequence + 1, updated_at=now).where(Event.id == event_id).execute()
    return now


class CommitteeRole(BaseModel):
    """A named role on an event's 领导小组 (组长, 副组长, 成员, 总策划 ...)."""

    event = peewee.ForeignKeyField(Event, backref="committee", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, backref="committee_roles", on_delete="CASCADE")
    role = peewee.CharField(max_length=30)

    class Meta:
        indexes = ((("event", "member", "role"), True),)


class Item(BaseModel):
    """An item (单项) of an event: 拔河, 乒乓球单打, 粉笔字 ... Individual or team."""

    event = peewee.ForeignKeyField(Event, backref="items", on_delete="CASCADE")
    name = peewee.CharField(max_length=100)
    code = peewee.CharField(max_length=40, default="")
    kind = peewee.CharField(max_length=20, default="individual")  # individual | team
    starred = peewee.BooleanField(default=False)
    group = peewee.CharField(max_length=40, default="")  # items whose people may not repeat
    sort = peewee.IntegerField(default=0)
    starts_at = peewee.DateTimeField(null=True)
    ends_at = peewee.DateTimeField(null=True)
    place = peewee.CharField(max_length=100, default="")
    capacity = peewee.IntegerField(null=True)
    per_team = peewee.IntegerField(null=True)  # places per team (乒乓球 3 per team)
    team_size_min = peewee.IntegerField(null=True)
    team_size_max = peewee.IntegerField(null=True)
    min_women = peewee.IntegerField(null=True)
    settings = JSONField(default=dict)

    class Meta:
        indexes = ((("event", "name"), True),)

    def __str__(self) -> str:
        return self.name

    # An item's name, time and place appear in calendar feeds: every change moves the event.
    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        touch_event(self.event_id)
        return result

    def delete_instance(self, *args, **kwargs):
        result = super().delete_instance(*args, **kwargs)
        touch_event(self.event_id)
        return result
