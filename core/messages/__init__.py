"""Messages that reach people: an outbox written in the same transaction as the change that causes it,
delivered by ``huodong worker`` through channels (the in-app inbox, SMTP mail, 企业微信/钉钉 group robots
and those plugins add, such as SMS).

- :mod:`core.messages.models` — the outbox (``Message``, one per recipient and cause; ``Delivery``, one
  per message and channel) and each member's choice of channels;
- :mod:`core.messages.kinds` — what can be sent (registration received, promoted ...), with its texts;
- :mod:`core.messages.outbox` — ``send()``: queue a message inside the caller's transaction;
- :mod:`core.messages.channels` — how it goes out;
- :mod:`core.messages.worker` — claiming due deliveries, retries with back-off, the worker loop;
- :mod:`core.messages.reminders` — the day-before reminder;
- :mod:`core.messages.registration_notices` — what registration changes tell their members;
- :mod:`core.messages.inbox`, :mod:`~core.messages.preferences`, :mod:`~core.messages.views` — 我的消息,
  a member's channels, an event's delivery log and an organizer's notice.
"""


def send(*args, **kwargs):
    """:func:`core.messages.outbox.send` (imported when first used, so that models load without it)."""
    from core.messages.outbox import send as run

    return run(*args, **kwargs)
