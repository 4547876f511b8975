"""The sports day's own table: the referees (裁判) of each item.

Everything else lives in the core's rows (items with their times and places in ``Item``, the plan's
settings in ``Event.settings["sports_day"]`` and ``Item.settings["sports_day"]``) and in scoring's.
"""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.models import Account, Event, Item, Member, Team
from core.timeutil import utcnow


class Referee(BaseModel):
    """A member who referees one item; proposed by a team's captain (``team``) or by the organizer."""

    event = peewee.ForeignKeyField(Event, backref="sports_referees", on_delete="CASCADE")
    item = peewee.ForeignKeyField(Item, backref="sports_referees", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, backref="sports_referees", on_delete="CASCADE")
    team = peewee.ForeignKeyField(Team, null=True, on_delete="SET NULL")  # the captain's team that proposed him
    proposed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "sports_day_referee"
        indexes = ((("item", "member"), True),)


MODELS = [Referee]
