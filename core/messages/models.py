"""The outbox.

``Message`` is what one recipient is told about one cause; it is also his inbox entry (我的消息), read or
not. A group notice (for a 企业微信/钉钉 group robot) has no member. ``dedupe_key`` is unique: the same
cause never queues twice. Each channel a message goes out through is one ``Delivery`` row with its
own state, attempts and lease, so a mail that fails is retried without posting to a robot again.
Times are naive UTC.
"""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import JSONField
from core.models.events import Event
from core.models.members import Member
from core.timeutil import utcnow

DELIVERY_STATUSES = {"queued": "待发送", "sending": "发送中", "sent": "已发送", "failed": "失败"}


class Message(BaseModel):
    member = peewee.ForeignKeyField(Member, null=True, backref="messages", on_delete="CASCADE")
    event = peewee.ForeignKeyField(Event, null=True, backref="messages", on_delete="CASCADE")
    kind = peewee.CharField(max_length=60)
    language = peewee.CharField(max_length=5, default="zh")
    subject = peewee.CharField(max_length=200)
    body = peewee.TextField()
    link = peewee.CharField(max_length=500, default="")
    dedupe_key = peewee.CharField(max_length=200, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    read_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("member", "created_at"), False),)


class Delivery(BaseModel):
    message = peewee.ForeignKeyField(Message, backref="deliveries", on_delete="CASCADE")
    channel = peewee.CharField(max_length=30)
    address = peewee.CharField(max_length=255, default="")
    status = peewee.CharField(max_length=10, default="queued")
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DateTimeField(default=utcnow)
    locked_until = peewee.DateTimeField(null=True)
    locked_by = peewee.CharField(max_length=80, default="")
    last_error = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)
    sent_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = (
            (("message", "channel"), True),
            (("status", "next_attempt_at"), False),
        )

    @property
    def status_label(self) -> str:
        return DELIVERY_STATUSES.get(self.status, self.status)


class MessagePreference(BaseModel):
    """A member's choice: the channels besides the inbox (``["mail", "sms"]``) and his mail address, with
    the time he proved it his (a password-reset link goes to a verified address only)."""

    member = peewee.ForeignKeyField(Member, unique=True, backref="message_preferences", on_delete="CASCADE")
    email = peewee.CharField(max_length=254, default="")
    email_verified_at = peewee.DateTimeField(null=True)  # he opened the link sent to ``email``
    channels = JSONField(default=list)
    updated_at = peewee.DateTimeField(default=utcnow)


MESSAGE_MODELS = [Message, Delivery, MessagePreference]
