"""A process killed in the middle of writing leaves nothing half-written (PostgreSQL).

Each test stops the writer at the worst moment: another connection holds an exclusive lock on the
audit log, so the writer does all its other work inside its transaction (every member of the roster,
the money drawn from the fund and the payment, the payout sheet) and then waits on its audit row.
Once PostgreSQL shows it waiting there, the process is killed with SIGKILL and the database is read
back: none of its work is there, and the same work succeeds afterwards.

SQLite has one writer at a time and no lock another connection could hold in the middle of a
transaction; there the in-process failures (tests/core/test_member_import.py) cover it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from decimal import Decimal

import pytest

from core.models import AuditLog, Member
from core.services.accounts import issue_token
from tests.conftest import PG_URL, TEST_CONFIG, USING_PG
from tests.integration.conftest import _huodong_command, post_json
from tests.plugins.warmth.conftest import YEAR, account_number
from tests.support import id_number, xlsx_bytes

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not USING_PG, reason="needs PostgreSQL (HUODONG_TEST_DATABASE_URL)")]
WAIT = 240


class AuditLock:
    """A second connection holding ``LOCK TABLE <audit log> IN EXCLUSIVE MODE`` until released."""

    def __init__(self):
        import psycopg

        self.connection = psycopg.connect(PG_URL)
        self.table = AuditLog._meta.table_name
        self.connection.execute(f'LOCK TABLE "{self.table}" IN EXCLUSIVE MODE')
        # pg_stat_activity is a snapshot per transaction: watch from a connection outside the lock's
        self.watcher = psycopg.connect(PG_URL, autocommit=True)

    def wait_for_writer(self, process: subprocess.Popen | None = None) -> int:
        """The backend pid of the connection waiting for the lock, once there is one."""
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                output = process.stdout.read().decode() if process.stdout else ""
                raise AssertionError(f"the writer ended before it reached the audit log: {output[-2000:]}")
            row = self.watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE %s",
                (f'%INSERT INTO "{self.table}"%',)).fetchone()
            if row:
                return row[0]
            time.sleep(0.1)
        waiting = self.watcher.execute("SELECT pid, wait_event_type, wait_event, state, left(query, 120) "
                                       "FROM pg_stat_activity WHERE datname = current_database()").fetchall()
        raise AssertionError(f"no writer waited on the audit log: {waiting}")

    def release(self, writer_pid: int) -> None:
        """Roll the lock back and wait until the killed writer's backend is gone."""
        self.connection.rollback()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if not self.watcher.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (writer_pid,)).fetchone():
                break
            self.watcher.execute("SELECT pg_terminate_backend(%s)", (writer_pid,))
            time.sleep(0.1)
        self.connection.close()
        self.watcher.close()


def _descendants(pid: int) -> list[int]:
    """The process ids below ``pid`` (gunicorn's workers below its master), from /proc."""
    try:
        children = [int(c) for c in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except FileNotFoundError:
        return []
    return [grandchild for child in children for grandchild in _descendants(child)] + children


def kill_server(server) -> None:
    """SIGKILL a ``huodong serve`` process and its workers, as a power cut or the OOM killer would."""
    for pid in [*_descendants(server.process.pid), server.process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    server.process.wait(WAIT)


def _env(app, tmp_path) -> dict:
    return {**os.environ, "HUODONG_DATABASE_URL": app.config["DATABASE_URL"],
            "HUODONG_INSTANCE_PATH": str(tmp_path / "cli"), "HUODONG_SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
            "HUODONG_DATA_KEY": TEST_CONFIG["DATA_KEY"]}


def _commit_test_connection():
    from core.db import db

    if not db.in_transaction():
        return
    db.commit()


def test_import_members_killed_after_writing_every_row_leaves_no_member(app, factory, tmp_path):
    from core.services import member_import

    school = factory.school()
    rows = [[f"会员{i}", "男", f"T{i:05d}", "初一年级组" if i % 2 else "初二年级组", "",
             id_number(f"1980{1 + i % 12:02d}01", seq=i)] for i in range(1200)]
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(xlsx_bytes(rows, member_import.HEADERS[:6]))
    _commit_test_connection()
    lock = AuditLock()
    process = subprocess.Popen([*_huodong_command(), "import-members", str(roster)], env=_env(app, tmp_path),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        writer = lock.wait_for_writer(process)
        process.send_signal(signal.SIGKILL)
        process.wait(WAIT)
    finally:
        if process.poll() is None:
            process.kill()
    lock.release(writer)
    output = process.stdout.read().decode()
    assert process.returncode == -signal.SIGKILL and "导入完成" not in output

    assert Member.select().count() == 0
    assert not AuditLog.select().where(AuditLog.action == "member.import").exists()
    assert school["g1"].members.count() == 0

    again = subprocess.run([*_huodong_command(), "import-members", str(roster)], env=_env(app, tmp_path),
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "新增 1200 人" in again.stdout
    assert Member.select().count() == 1200


def _request_in_thread(url, body, token):
    answer = {}

    def send():
        try:
            answer["result"] = post_json(url, body, token)
        except Exception as exc:  # the server is killed while the request waits: the connection drops
            answer["error"] = exc

    thread = threading.Thread(target=send)
    thread.start()
    return thread, answer


def test_a_server_killed_in_the_middle_of_a_payment_draws_no_money(servers, world):
    from plugins.warmth.models import FundSource, Payment

    household = world.approve(world.household("bus"))
    world.fund("district", "400000", "donation")
    campaign = world.campaign("district", standard="1000")
    token = issue_token(world.accounts["officer"])
    body = {"household_id": household.id, "amount": "1000", "bank_account": account_number(1),
            "paid_on": f"{YEAR}-01-21"}
    url = f"/api/v1/warmth/campaigns/{campaign.id}/payments"
    _commit_test_connection()
    lock = AuditLock()
    thread, answer = _request_in_thread(servers[0].url + url, body, token)
    try:
        writer = lock.wait_for_writer(servers[0].process)
        kill_server(servers[0])
    finally:
        thread.join(WAIT)
    lock.release(writer)
    assert "result" not in answer or answer["result"][0] != 201

    assert Payment.select().where(Payment.household == household).count() == 0
    assert sum(f.spent for f in FundSource.select()) == Decimal("0.00")

    status, paid = post_json(servers[1].url + url, body, token)
    assert status == 201, paid
    assert Payment.select().where(Payment.household == household).count() == 1
    assert sum(f.spent for f in FundSource.select()) == Decimal("1000.00")


def test_a_server_killed_while_storing_a_payout_sheet_keeps_no_version(servers, factory):
    from plugins.scoring.models import PayoutRecord

    school = factory.school()
    event = factory.event(school["school"], activity_type="sports_day", preset="staff_sports_day",
                          title="教职工“庆五一”体育竞赛")
    token = issue_token(factory.account("org", roles=[("organizer", school["school"])]))
    url = f"/api/v1/scoring/events/{event.id}/payouts"
    _commit_test_connection()
    lock = AuditLock()
    thread, answer = _request_in_thread(servers[0].url + url, {}, token)
    try:
        writer = lock.wait_for_writer(servers[0].process)
        kill_server(servers[0])
    finally:
        thread.join(WAIT)
    lock.release(writer)
    assert "result" not in answer or answer["result"][0] != 201

    assert PayoutRecord.select().where(PayoutRecord.event == event).count() == 0
    status, stored = post_json(servers[1].url + url, {}, token)
    assert status == 201 and stored["version"] == 1, stored
    assert [r.version for r in PayoutRecord.select().where(PayoutRecord.event == event)] == [1]
