"""我的消息: a member's messages, read and unread, and an event's delivery log for its organizers."""

from __future__ import annotations

from peewee import JOIN, fn

from core.errors import NotFound
from core.messages.kinds import hidden_kinds
from core.messages.models import Delivery, Message
from core.models import Member
from core.timeutil import utcnow


def unread_count(account) -> int:
    if account is None or not account.member_id:
        return 0
    return Message.select().where(Message.member == account.member_id, Message.read_at.is_null(),
                                  Message.kind.not_in(hidden_kinds())).count()


def messages_of(account, *, limit: int = 200):
    if account is None or not account.member_id:
        return []
    return list(Message.select().where(Message.member == account.member_id, Message.kind.not_in(hidden_kinds()))
                .order_by(Message.created_at.desc(), Message.id.desc()).limit(limit))


def open_message(account, message_id: int) -> Message:
    """One of the account's own messages, marked read the first time it is opened."""
    message = Message.get_or_none(Message.id == message_id)
    if (message is None or account is None or not account.member_id or message.member_id != account.member_id
            or message.kind in hidden_kinds()):
        raise NotFound("找不到该消息")
    if message.read_at is None:
        message.read_at = utcnow()
        Message.update(read_at=message.read_at).where(Message.id == message.id, Message.read_at.is_null()).execute()
    return message


def mark_all_read(account) -> int:
    if account is None or not account.member_id:
        return 0
    return (Message.update(read_at=utcnow())
            .where(Message.member == account.member_id, Message.read_at.is_null(),
                   Message.kind.not_in(hidden_kinds())).execute())


def delivery_log(event, *, limit: int = 500) -> list[dict]:
    """The event's messages, newest first, each with its recipient and every channel's outcome."""
    messages = list(Message.select(Message, Member).join(Member, JOIN.LEFT_OUTER)
                    .where(Message.event == event).order_by(Message.created_at.desc(), Message.id.desc())
                    .limit(limit))
    deliveries: dict[int, list[Delivery]] = {}
    for delivery in (Delivery.select().where(Delivery.message.in_([m.id for m in messages] or [0]))
                     .order_by(Delivery.id)):
        deliveries.setdefault(delivery.message_id, []).append(delivery)
    return [{"message": m, "deliveries": deliveries.get(m.id, [])} for m in messages]


def delivery_counts(event) -> dict[str, int]:
    rows = (Delivery.select(Delivery.status, fn.COUNT(Delivery.id)).join(Message)
            .where(Message.event == event).group_by(Delivery.status).tuples())
    counts = dict(rows)
    counts["read"] = Message.select().where(Message.event == event, Message.read_at.is_null(False)).count()
    counts["messages"] = Message.select().where(Message.event == event, Message.member.is_null(False)).count()
    return counts
