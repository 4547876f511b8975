"""The secret behind a member's personal calendar feed URL."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import EncryptedField
from core.models.members import Member
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
