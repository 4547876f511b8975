"""The audit log: who changed what, when, from what to what, and why."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import JSONField
from core.timeutil import utcnow


class AuditLog(BaseModel):
    at = peewee.DateTimeField(default=utcnow, index=True)
    account_id = peewee.IntegerField(null=True, index=True)  # kept even if the account goes
    account_name = peewee.CharField(max_length=60, default="")
    action = peewee.CharField(max_length=60)
    object_type = peewee.CharField(max_length=60)
    object_id = peewee.CharField(max_length=40, default="")
    event_id = peewee.IntegerField(null=True, index=True)
    before = JSONField(null=True)
    after = JSONField(null=True)
    reason = peewee.TextField(default="")

    class Meta:
        indexes = ((("object_type", "object_id"), False),)
