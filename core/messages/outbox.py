"""Queueing messages: :func:`send` writes the message and its deliveries in the caller's transaction.

Call it inside the ``db.atomic()`` of the change that causes the message: if that change rolls back,
nothing was queued; once it commits, the worker finds the rows. ``dedupe`` names the cause (for example
``registration:12:promoted:345``, the audit row's id at the end): a second ``send`` with the same key
queues nothing, so a retried request or a job run twice never tells anyone twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_request_context, url_for

from core.db import db
from core.messages.channels import group_channels, person_channels
from core.messages.kinds import kind_of
from core.messages.models import Delivery, Message, MessagePreference
from core.models import Account, Event, Member
from core.privacy import mask_name
from core.timeutil import utcnow


def member_language(member: Member) -> str:
    account = Account.select(Account.language).where(Account.member == member).first()
    language = account.language if account is not None else None
    return language or current_app.config.get("LANGUAGE", "zh")


def preference_of(member: Member) -> MessagePreference | None:
    return MessagePreference.get_or_none(MessagePreference.member == member)


def chosen_channels(preference: MessagePreference | None) -> set[str]:
    """The channels a member chose besides the inbox (none until he chooses on /account)."""
    if preference is None:
        return set()
    return set(preference.channels or ())


def event_link(event: Event | None) -> str:
    if event is None:
        return ""
    return link_to("events.show", event_id=event.id)


def link_to(endpoint: str, **values) -> str:
    """An address under ``HUODONG_BASE_URL`` (also from a command or the worker, outside a request).

    Built for GET, whatever request is being answered: a link in a message is opened, never posted to.
    """
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, _method="GET", **values)
    # Not a test request context: leaving one would run the app's teardown (closing the connection).
    return base + current_app.url_map.bind("localhost").build(endpoint, values, method="GET")


def event_context(event: Event | None, member: Member | None = None) -> dict:
    """The values every kind may use: the event's title, times, place and zone, the member's name."""
    context: dict = {}
    if event is not None:
        context |= {"event": event.title, "starts_at": event.starts_at, "ends_at": event.ends_at,
                    "venue": event.venue or "", "timezone": event.timezone}
    if member is not None:
        context |= {"name": member.name, "masked_name": mask_name(member.name)}
    return context


def _insert(fields: dict) -> Message | None:
    """Insert a message unless its dedupe key is taken (``ON CONFLICT DO NOTHING``: no error aborts the
    caller's PostgreSQL transaction); the new row, or ``None``."""
    inserted = Message.insert(**fields).on_conflict_ignore().as_rowcount().execute()
    if not inserted:
        return None
    return Message.get(Message.dedupe_key == fields["dedupe_key"])


def send(member: Member, kind: str, context: dict | None = None, *, event: Event | None = None, dedupe: str,
         link: str | None = None, group: bool = True, to: dict[str, str] | None = None) -> Message | None:
    """Queue message ``kind`` for ``member``: his inbox, and each channel he chose that can reach him.

    ``context`` fills the kind's texts (the event's title, times and place and the member's name are
    added); the texts are rendered now, in his language. With ``group`` and a kind that has a group
    text, the event-level notice also goes to the configured group robots (once per ``dedupe``).
    ``to`` (``{"mail": address}``) sends through those channels to those addresses instead of his
    choice: a mail address being verified, a reset link to the verified one.
    Returns the new message, or ``None`` when ``dedupe`` was queued before.
    """
    spec = kind_of(kind)
    values = event_context(event, member) | dict(context or {})
    language = member_language(member)
    subject, body = spec.texts(language, values)
    now = utcnow()
    with db.atomic():
        message = _insert({"member": member.id, "event": event.id if event else None, "kind": kind,
                           "language": language, "subject": subject[:200], "body": body,
                           "link": (link if link is not None else event_link(event))[:500],
                           "dedupe_key": dedupe[:200], "created_at": now})
        if message is None:
            return None
        preference = preference_of(member)
        chosen = chosen_channels(preference) if to is None else set(to)
        rows = []
        for channel in person_channels():
            if channel.name not in chosen:
                continue
            address = channel.address(member, preference) if to is None else to[channel.name]
            if address:
                rows.append({"message": message.id, "channel": channel.name, "address": address[:255],
                             "next_attempt_at": now, "created_at": now})
        if rows:
            Delivery.insert_many(rows).execute()
        if group and spec.group is not None:
            notify_group(kind, values, event=event, dedupe=f"group:{dedupe}")
    return message


def notify_group(kind: str, context: dict, *, event: Event | None, dedupe: str, link: str | None = None) -> Message | None:
    """Queue a kind's group text for every configured group robot (nothing when none is set up)."""
    spec = kind_of(kind)
    robots = group_channels()
    if not robots or spec.group is None:
        return None
    language = current_app.config.get("LANGUAGE", "zh")
    values = event_context(event) | dict(context)
    values.pop("name", None)  # a group text names people only through masked_name
    text = spec.group_text(language, values)
    subject = spec.texts(language, values)[0] if spec.render is None else text.split("\n", 1)[0]
    now = utcnow()
    with db.atomic():
        message = _insert({"member": None, "event": event.id if event else None, "kind": kind,
                           "language": language, "subject": subject[:200], "body": text,
                           "link": (link if link is not None else event_link(event))[:500],
                           "dedupe_key": dedupe[:200], "created_at": now})
        if message is None:
            return None
        Delivery.insert_many([{"message": message.id, "channel": c.name, "address": c.label,
                               "next_attempt_at": now, "created_at": now} for c in robots]).execute()
    return message


def broadcast(event: Event, members: Iterable[Member], *, title: str, text: str, dedupe: str) -> int:
    """An organizer's notice to ``members`` of ``event`` (its registrants), and once to the group robots.
    Returns how many members it was queued for."""
    count = 0
    context = {"title": title, "text": text}
    with db.atomic():
        for member in members:
            if send(member, "event.broadcast", context, event=event, dedupe=f"{dedupe}:m{member.id}",
                    group=False) is not None:
                count += 1
        notify_group("event.broadcast", context, event=event, dedupe=f"group:{dedupe}")
    return count


def unit_broadcast(unit, members: Iterable[Member], *, title: str, text: str, dedupe: str) -> int:
    """An organizer's notice to the members of ``unit`` (and the units below it), and once to the group
    robots. Returns how many members it was queued for."""
    count = 0
    context = {"unit": unit.name, "title": title, "text": text}
    with db.atomic():
        for member in members:
            if send(member, "unit.broadcast", context, dedupe=f"{dedupe}:m{member.id}", link="",
                    group=False) is not None:
                count += 1
        notify_group("unit.broadcast", context, event=None, dedupe=f"group:{dedupe}", link="")
    return count
