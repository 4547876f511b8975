"""Delivering the outbox: claim due deliveries, send each through its channel, record the outcome.

A claim marks rows ``sending`` with a lease (``locked_until``) and a token naming this worker's claim,
in one short transaction. On PostgreSQL the rows are chosen with ``SELECT ... FOR UPDATE SKIP LOCKED``
so that several workers take disjoint rows without waiting on each other; on SQLite the claiming
``UPDATE`` runs in a write transaction that SQLite serialises. A row is marked ``sent`` only by the claim
that holds it. A worker that dies mid-delivery (kill -9, a power cut) leaves its rows ``sending``; when
the lease has passed, another worker claims them again and delivers them. The lease must outlast a
claim's sends (batch size × ``MESSAGE_SEND_TIMEOUT``), so that a slow but living worker is never
overtaken.

Failures: a permanent one (an address refused, bad settings) fails the delivery at once; others are
retried after ``MESSAGE_RETRY_SECONDS`` × 2^(attempt-1) (at most a day), up to ``MESSAGE_MAX_ATTEMPTS``,
then failed with the last reason. Each outcome is one line of output and stays in the delivery log.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

from flask import Flask, current_app

from core.db import db, is_postgres
from core.messages.channels import DeliveryError, Outgoing, all_channels
from core.messages.models import Delivery, Message
from core.timeutil import utcnow

log = logging.getLogger("huodong.worker")
MAX_BACKOFF = 24 * 3600


def _due(now):
    return (((Delivery.status == "queued") & (Delivery.next_attempt_at <= now))
            | ((Delivery.status == "sending") & (Delivery.locked_until < now)))


class Worker:
    """One delivering worker. ``echo`` receives one line per outcome."""

    def __init__(self, *, batch: int = 20, lease: float | None = None, echo: Callable[[str], None] | None = None,
                 name: str | None = None):
        self.batch = batch
        timeout = float(current_app.config.get("MESSAGE_SEND_TIMEOUT", 20))
        self.lease = lease if lease is not None else max(60.0, batch * timeout * 1.5)
        self.echo = echo or (lambda line: log.info("%s", line))
        self.name = (name or f"{socket.gethostname()}:{os.getpid()}")[:60]
        self.max_attempts = int(current_app.config.get("MESSAGE_MAX_ATTEMPTS", 6))
        self.retry_seconds = float(current_app.config.get("MESSAGE_RETRY_SECONDS", 60))

    # ------------------------------------------------------------ claiming

    def claim(self) -> list[tuple[Delivery, Message, str]]:
        """Take up to ``batch`` due deliveries; return them with their messages and this claim's token."""
        token = f"{self.name}:{uuid.uuid4().hex[:12]}"
        now = utcnow()
        chosen = (Delivery.select(Delivery.id).where(_due(now))
                  .order_by(Delivery.next_attempt_at, Delivery.id).limit(self.batch))
        if is_postgres():
            chosen = chosen.for_update(skip_locked=True)
        # The ids first, then the UPDATE, in one transaction: PostgreSQL ran ``UPDATE ... WHERE id IN (SELECT
        # ... LIMIT n FOR UPDATE SKIP LOCKED)`` as a subplan more than once and claimed 190 rows with LIMIT 10.
        with db.atomic():
            ids = [i for (i,) in chosen.tuples()]
            if not ids:
                return []
            claimed = (Delivery.update(status="sending", locked_until=now + timedelta(seconds=self.lease),
                                       locked_by=token, attempts=Delivery.attempts + 1)
                       .where(Delivery.id.in_(ids), _due(now)).execute())
        if not claimed:
            return []
        rows = (Delivery.select(Delivery, Message).join(Message)
                .where(Delivery.locked_by == token, Delivery.status == "sending").order_by(Delivery.id))
        return [(d, d.message, token) for d in rows]

    # ------------------------------------------------------------ delivering

    def run_once(self) -> int:
        """Deliver everything due now, claim after claim; return how many deliveries were handled (a
        failure to be retried stays queued for its later time)."""
        handled = 0
        while True:
            claimed = self.claim()
            if not claimed:
                return handled
            channels = all_channels()
            with contextlib.ExitStack() as stack:
                for name in {d.channel for d, _m, _t in claimed}:
                    if name in channels:
                        stack.enter_context(channels[name].batch())
                for delivery, message, token in claimed:
                    self.deliver(delivery, message, token, channels.get(delivery.channel))
                    handled += 1

    def deliver(self, delivery: Delivery, message: Message, token: str, channel) -> None:
        outgoing = Outgoing(delivery_id=delivery.id, message_id=message.id, channel=delivery.channel,
                            address=delivery.address, kind=message.kind, language=message.language,
                            subject=message.subject, body=message.body, link=message.link)
        where = f"#{delivery.id} {delivery.channel} → {delivery.address}"
        try:
            if channel is None:
                raise DeliveryError(f"没有名为 {delivery.channel} 的渠道（插件未启用？）", permanent=True)
            channel.send(outgoing)
        except DeliveryError as exc:
            self._failed(delivery, token, exc.reason, exc.permanent, where)
        except Exception as exc:  # a plugin's channel that raised something else: retried
            log.exception("channel %s failed", delivery.channel)
            self._failed(delivery, token, f"{type(exc).__name__}: {exc}", False, where)
        else:
            done = (Delivery.update(status="sent", sent_at=utcnow(), locked_until=None, last_error="")
                    .where(Delivery.id == delivery.id, Delivery.locked_by == token).execute())
            self.echo(f"已发送 {where}" + ("" if done else "（租约已过期，可能已被其他进程重发）"))

    def _failed(self, delivery: Delivery, token: str, reason: str, permanent: bool, where: str) -> None:
        attempts = delivery.attempts  # read after the claim, which counted this attempt
        if permanent or attempts >= self.max_attempts:
            fields = {"status": "failed", "locked_until": None, "last_error": reason[:2000]}
            line = f"失败 {where}：{reason}（第 {attempts} 次，不再重试）"
        else:
            wait = min(MAX_BACKOFF, self.retry_seconds * 2 ** (attempts - 1))
            fields = {"status": "queued", "locked_until": None, "last_error": reason[:2000],
                      "next_attempt_at": utcnow() + timedelta(seconds=wait)}
            line = f"失败 {where}：{reason}（第 {attempts} 次，{int(wait)} 秒后重试）"
        Delivery.update(**fields).where(Delivery.id == delivery.id, Delivery.locked_by == token).execute()
        self.echo(line)

    # ------------------------------------------------------------ running

    def run(self, interval: float, stop: threading.Event | None = None, remind_every: float = 600) -> None:
        """Deliver, then wait ``interval`` seconds, until ``stop`` is set; every ``remind_every`` seconds
        also queue the day-before reminders (idempotent: see :mod:`core.messages.reminders`)."""
        from core.messages.reminders import queue_reminders

        stop = stop or threading.Event()
        reminded = 0.0
        while not stop.is_set():
            try:
                with db.connection_context():
                    if remind_every and time.monotonic() - reminded >= remind_every:
                        queued = queue_reminders()
                        reminded = time.monotonic()
                        if queued:
                            self.echo(f"已排队 {queued} 条活动前一天的提醒")
                    self.run_once()
            except Exception:  # the database went away for a moment: try again next round
                log.exception("delivery round failed")
            stop.wait(interval)


class Background(threading.Thread):
    """A worker in a daemon thread of this process (``huodong demo``); ``stop()`` ends it."""

    def __init__(self, app: Flask, interval: float, echo=None):
        super().__init__(name="huodong-messages", daemon=True)
        self.app, self.interval, self.echo = app, interval, echo
        self.stopping = threading.Event()

    def run(self) -> None:
        with self.app.app_context():
            Worker(echo=self.echo).run(self.interval, self.stopping)

    def stop(self, timeout: float = 30.0) -> None:
        self.stopping.set()
        self.join(timeout)


def start_background(app: Flask, interval: float = 2.0, echo=None) -> Background:
    """Deliver in a daemon thread of this process; ``stop()`` the returned thread to end it."""
    thread = Background(app, interval, echo)
    thread.start()
    return thread
