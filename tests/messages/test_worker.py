"""The worker as its own process: killed with -9 in the middle of a delivery it loses nothing and, once
its lease has passed, another worker delivers the message exactly once; two workers draining the same
outbox at once never deliver anything twice."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter

import pytest

from core.db import db
from core.messages import send
from core.messages.models import Delivery
from core.timeutil import utcnow
from tests.conftest import USING_PG
from tests.messages.conftest import deliver, mail_ready, worker_process

pytestmark = pytest.mark.slow


@pytest.fixture
def event(factory):
    school = factory.school()
    return factory.event(school["school"], title="教工运动会")


def _wait(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_kill_9_mid_delivery_then_exactly_once_after_the_lease(app, event, factory, mailbox, tmp_path):
    member = factory.member(event.unit, name="赵敏")
    mail_ready(member, "zhaomin@example.com")
    app.config.update(WECOM_ROBOT_URL="", DINGTALK_ROBOT_URL="")
    send(member, "registration.promoted", {}, event=event, dedupe="kill-test")
    db.close()  # let the other process write (SQLite)
    mailbox.stall_next = True  # the server takes the mail and then says nothing
    lease = 4
    process = worker_process(app, "--once", "--batch", "1", "--lease", lease, log=tmp_path / "worker.log")
    try:
        assert mailbox.stalling.wait(60), (tmp_path / "worker.log").read_text()
        # the worker is inside smtplib's send, waiting for the server's answer to DATA
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    mailbox.release.set()  # the stalled server gives up: that mail was never accepted
    db.connect(reuse_if_open=True)
    killed_at = utcnow()
    delivery = Delivery.get()
    assert delivery.status == "sending" and delivery.attempts == 1  # claimed, not lost, not sent
    assert delivery.locked_until > killed_at
    assert deliver() == []  # nobody takes it while the lease holds
    assert mailbox.mails == []
    _wait(lambda: utcnow() > delivery.locked_until, timeout=lease + 5, what="the lease to pass")
    lines = deliver()
    assert len(lines) == 1 and lines[0].startswith("已发送"), lines
    assert len(mailbox.to("zhaomin@example.com")) == 1
    delivery = Delivery.get()
    assert delivery.status == "sent" and delivery.attempts == 2
    assert deliver() == [] and len(mailbox.mails) == 1


def _queue_many(factory, event, count: int):
    members = [factory.member(event.unit) for _ in range(10)]
    for member in members:
        mail_ready(member, f"m{member.id}@example.com")
    with db.atomic():
        for n in range(count):
            send(members[n % 10], "event.broadcast", {"title": f"第 {n} 条", "text": "内容"}, event=event,
                 dedupe=f"many:{n}", group=False)


def _drain_with_two_workers(app, factory, event, mailbox, tmp_path, count: int):
    """Start two looping workers, queue ``count`` mails once both run, wait until all are sent."""
    db.close()
    logs = [tmp_path / f"w{i}.log" for i in range(2)]
    processes = [worker_process(app, "--interval", "0.2", "--batch", 10, log=log) for log in logs]
    try:
        _wait(lambda: all("已启动" in log.read_text() for log in logs), timeout=60, what="both workers")
        db.connect(reuse_if_open=True)
        _queue_many(factory, event, count)
        db.close()
        _wait(lambda: len(mailbox.mails) >= count, timeout=300, what=f"{count} mails")
        time.sleep(1)  # a duplicate would arrive now
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(20)
            except Exception:
                process.kill()
    db.connect(reuse_if_open=True)
    received = Counter(mailbox.delivery_ids())
    assert len(received) == count and set(received.values()) == {1}, Counter(received.values())
    assert Delivery.select().where(Delivery.status == "sent").count() == count
    return [log.read_text().count("已发送") for log in logs]


@pytest.mark.skipif(not USING_PG, reason="several workers share the outbox on PostgreSQL (row locks)")
def test_two_worker_processes_on_postgres_deliver_each_message_once(app, event, factory, mailbox, tmp_path):
    mailbox.delay = 0.005  # a server that takes its time: the workers overlap
    sent_by = _drain_with_two_workers(app, factory, event, mailbox, tmp_path, 600)
    assert sum(sent_by) == 600 and all(sent_by), sent_by  # both took part, together once each


def test_two_worker_processes_on_sqlite_never_double(app, event, factory, mailbox, tmp_path):
    """On SQLite one worker is the rule, but a second one started by mistake must not double anything."""
    if USING_PG:
        pytest.skip("the PostgreSQL case above")
    sent_by = _drain_with_two_workers(app, factory, event, mailbox, tmp_path, 200)
    assert sum(sent_by) == 200


def test_worker_command_prints_each_outcome(app, event, factory, mailbox):
    from tests.support import run_cli

    member = factory.member(event.unit)
    mail_ready(member, "bounce@example.com")
    send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="cli", group=False)
    env = {f"HUODONG_{k}": str(app.config[k]) for k in ("MAIL_URL", "MESSAGE_SEND_TIMEOUT")}
    result = run_cli(app, "worker", "--once", env=env)
    assert result.exit_code == 0, result.output
    assert "失败 #1 mail → bounce@example.com：收件地址被拒绝：550" in result.output
    assert "本轮处理 1 条" in result.output


def test_a_claim_takes_at_most_its_batch(app, event, factory):
    """PostgreSQL once ran the claim's ``IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`` once per row and
    took the whole queue: a claim must leave the rest to other workers."""
    from core.messages.worker import Worker

    _queue_many(factory, event, 30)
    claimed = Worker(batch=10).claim()
    assert len(claimed) == 10 and len({token for _d, _m, token in claimed}) == 1
    assert Delivery.select().where(Delivery.status == "queued").count() == 20
    assert Delivery.select().where(Delivery.status == "sending").count() == 10


def test_the_demo_delivers_in_its_own_process(app, event, factory, mailbox):
    """``huodong demo`` runs the worker in a thread of the serving process: no second command."""
    from core.messages.worker import start_background

    member = factory.member(event.unit)
    mail_ready(member, "demo@example.com")
    send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="demo", group=False)
    lines: list[str] = []
    thread = start_background(app, interval=0.1, echo=lines.append)
    try:
        _wait(lambda: len(mailbox.to("demo@example.com")) == 1, timeout=30, what="the thread's delivery")
    finally:
        thread.stop()
    assert not thread.is_alive()
    assert any(line.startswith("已发送") for line in lines)
