"""The reading club's one model: the book a member brings to an event."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.models import Event, Member
from core.timeutil import utcnow


class BookPick(BaseModel):
    event = peewee.ForeignKeyField(Event, backref="book_picks", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, backref="book_picks", on_delete="CASCADE")
    title = peewee.CharField(max_length=100)
    checked_in_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "example_book_pick"
        indexes = ((("event", "member"), True),)
