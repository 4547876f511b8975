"""What calendar feeds keep: the secret behind a member's personal feed URL, and each unit's change stamp."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import EncryptedField
from core.models.members import Member
from core.models.units import Unit
from core.timeutil import utcnow


class FeedToken(BaseModel):
    """One secret per member: ``/calendar/<token>.ics`` is his personal feed.

    The token is found by its hash and kept encrypted so that his page can show the link again.
    Renewing replaces both; the old link then answers 404.
    """

    member = peewee.ForeignKeyField(Member, unique=True, backref="feed_tokens", on_delete="CASCADE")
    token_hash = peewee.CharField(max_length=64, unique=True)
    token = EncryptedField()
    created_at = peewee.DateTimeField(default=utcnow)


class FeedStamp(BaseModel):
    """How often, and when last, the events of one unit changed: the validator of unit feeds.

    The row is kept by the database itself: triggers on the ``event`` table (migration
    ``011_feed_stamps``) raise ``version`` and ``changed_at`` in the same transaction as every
    insert, update or delete of an event, for the unit owning it before and after the change.
    No code writes it; a unit whose events never changed has no row (version 0).
    """

    unit = peewee.ForeignKeyField(Unit, primary_key=True, backref="feed_stamps", on_delete="CASCADE")
    version = peewee.BigIntegerField(default=0)
    changed_at = peewee.DateTimeField(default=utcnow)  # UTC, by the database's clock
