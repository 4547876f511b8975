"""Message delivery at scale: 10,000 queued mails to a local SMTP server (aiosmtpd) and 1,000 group
notices to a local robot endpoint, delivered by the worker, beside a bare send loop in the same run.

    python bench/bench_messages.py               10,000 mails + 1,000 robot posts, SQLite
    python bench/bench_messages.py --smoke       300 + 30 (CI)
    HUODONG_BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432/hd_bench python bench/bench_messages.py
                                                 also on that PostgreSQL database (its tables are DROPPED)
    HUODONG_BENCH_PORTS=5160-5199                the receivers' ports (default: any free port)

Queueing goes through ``core.messages.send`` (500 per transaction, as a broadcast does); delivery
through ``Worker.run_once`` in this process (claims of 100, one SMTP connection per claim, each
delivery marked sent on its own). The baseline, measured in the same run, is the bare loop: the same
number of mails sent with ``smtplib`` over one connection and the same robot posts with ``urllib``,
no database. The receivers count every delivery id: the check is that each arrived exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import smtplib
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import figure  # noqa: E402

TARGET_RATIO = 3.0  # the worker may cost at most 3 times the bare send loop


def free_port() -> int:
    spec = os.environ.get("HUODONG_BENCH_PORTS")
    if not spec:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]
    low, high = (int(p) for p in spec.split("-"))
    for port in range(low, high + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {spec}")


class Counting:
    """aiosmtpd handler: counts mails by their delivery id (or their subject for the bare loop)."""

    def __init__(self):
        self.seen: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        key = None
        for line in envelope.content.split(b"\r\n"):
            if not line:
                break
            if line.startswith(b"X-Huodong-Delivery:") and key is None:
                key = line.split(b":", 1)[1].strip().decode()
        with self.lock:
            self.seen[key] += 1
        return "250 OK"


class Robot(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), RobotHandler)
        self.seen: Counter = Counter()
        self.lock = threading.Lock()


class RobotHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            self.server.seen[body["text"]["content"]] += 1
        answer = b'{"errcode":0,"errmsg":"ok"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


def bare_loop(smtp_port: int, robot_url: str, mails: int, posts: int) -> float:
    """What delivery costs without the outbox: the same mails over one connection, the same posts."""
    from core.messages.channels import Outgoing, compose_mail

    started = time.perf_counter()
    smtp = smtplib.SMTP("127.0.0.1", smtp_port, timeout=20)
    for n in range(mails):
        # the same mail the worker sends (headers, encoded Chinese subject and sender), without the outbox
        outgoing = Outgoing(delivery_id=-n, message_id=-n, channel="mail", address=f"m{n % 100}@example.com",
                            kind="event.broadcast", language="zh", subject=f"教工运动会：第 {n} 条",
                            body="比赛改到周五下午 3 点", link="http://huodong.test/events/1")
        mail = compose_mail(outgoing, "工会活动 <noreply@huodong.test>", "huodong.test")
        mail["X-Bare"] = f"bare-{n}"
        smtp.send_message(mail)
    smtp.quit()
    for n in range(posts):
        data = json.dumps({"msgtype": "text", "text": {"content": f"bare-{n}"}}).encode()
        request = urllib.request.Request(robot_url, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=20) as response:
            response.read()
    return time.perf_counter() - started


def run_case(name: str, url: str, tmp: Path, smtp_port: int, robot: Robot, mails: int, posts: int) -> dict:
    from core.app import create_app
    from core.db import db
    from core.messages.models import Delivery, MessagePreference
    from core.messages.outbox import notify_group, send
    from core.messages.worker import Worker
    from core.migrate import migrate
    from core.models import Member, Unit
    from core.timeutil import utcnow

    robot_url = f"http://127.0.0.1:{robot.server_address[1]}/wecom?key=bench"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(tmp / f"instance-{name}"), "DATA_KEY": "bench-key",
                      "SECRET_KEY": "bench", "MAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
                      "WECOM_ROBOT_URL": robot_url, "BASE_URL": "http://huodong.test"})
    with app.app_context():
        if url.startswith("postgres"):
            with db.connection_context():
                db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            unit = Unit.create_child("海城实验中学工会", None, kind="grassroots")
            members = [Member.create(name=f"教师{i}", gender="M", staff_no=f"T{i:04d}", unit=unit) for i in range(100)]
            # Members who chose mail and verified their address long ago (no verification mail is due).
            MessagePreference.insert_many([{"member": m.id, "email": f"m{m.id}@example.com", "channels": ["mail"],
                                            "email_verified_at": utcnow()} for m in members]).execute()
            from core.models import Event

            event = Event.create(title="教工运动会", unit=unit, activity_type="general", starts_at=utcnow(), ends_at=utcnow(),
                                 status="published")
            started = time.perf_counter()
            for start in range(0, mails, 500):
                with db.atomic():
                    for n in range(start, min(mails, start + 500)):
                        send(members[n % 100], "event.broadcast", {"title": f"第 {n} 条", "text": "比赛改到周五下午 3 点"},
                             event=event, dedupe=f"bench:{n}", group=False)
            with db.atomic():
                for n in range(posts):
                    notify_group("event.broadcast", {"title": f"群通知 {n}", "text": "请准时到场"}, event=event,
                                 dedupe=f"bench:group:{n}")
            queued = time.perf_counter() - started

            lines: list[str] = []
            cpu = time.process_time()
            started = time.perf_counter()
            handled = Worker(batch=100, echo=lines.append).run_once()
            delivered = time.perf_counter() - started
            cpu = time.process_time() - cpu
            sent = Delivery.select().where(Delivery.status == "sent").count()
            ids = {str(i) for (i,) in Delivery.select(Delivery.id).where(Delivery.channel == "mail").tuples()}
        if hasattr(db.obj, "close_all"):
            db.obj.close_all()
    return {"queued": queued, "delivered": delivered, "cpu": cpu, "handled": handled, "sent": sent, "ids": ids,
            "failures": [line for line in lines if not line.startswith("已发送")]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="300 mails and 30 posts, for CI")
    args = parser.parse_args(argv)
    mails, posts = (300, 30) if args.smoke else (10000, 1000)

    from aiosmtpd.controller import Controller

    handler = Counting()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    robot = Robot(free_port())
    threading.Thread(target=robot.serve_forever, daemon=True).start()
    problems = []
    try:
        with tempfile.TemporaryDirectory(prefix="huodong-bench-messages-") as tmp:
            tmp = Path(tmp)
            targets = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
            if os.environ.get("HUODONG_BENCH_PG_URL"):
                targets.append(("PostgreSQL", os.environ["HUODONG_BENCH_PG_URL"]))
            baseline = bare_loop(controller.port, f"http://127.0.0.1:{robot.server_address[1]}/bare", mails, posts)
            print(f"messages: {mails} mails to aiosmtpd on :{controller.port}, {posts} posts to a robot endpoint")
            print(f"{'case':<40}{'seconds':>9}{'per s':>9}{'ratio':>8}")
            print(f"{'baseline: bare smtplib + urllib loop':<40}{baseline:>9.2f}{(mails + posts) / baseline:>9.0f}{1:>7.1f}x")
            for name, url in targets:
                handler.seen.clear()
                robot.seen.clear()
                result = run_case(name, url, tmp, controller.port, robot, mails, posts)
                total = mails + posts
                rate = total / result["delivered"]
                ratio = result["delivered"] / baseline
                print(f"{name + ': queue (send, 500 per transaction)':<40}{result['queued']:>9.2f}"
                      f"{total / result['queued']:>9.0f}")
                print(f"{name + ': worker delivers':<40}{result['delivered']:>9.2f}{rate:>9.0f}{ratio:>7.1f}x"
                      f"   cpu {result['cpu']:.2f} s")
                mail_counts = Counter({k: v for k, v in handler.seen.items() if k in result["ids"]})
                doubled = [k for k, v in mail_counts.items() if v > 1]
                missing = len(result["ids"]) - len(mail_counts)
                robot_doubled = [k for k, v in robot.seen.items() if v > 1]
                print(f"{name}: {result['sent']}/{total} sent, {len(mail_counts)} distinct mails received, "
                      f"{missing} missing, {len(doubled)} doubled; {sum(robot.seen.values())} robot posts, "
                      f"{len(robot_doubled)} doubled; {len(result['failures'])} failures")
                if doubled or missing or robot_doubled or result["sent"] != total or sum(robot.seen.values()) != posts:
                    problems.append(name)
                figure(f"deliver {mails} mails + {posts} robot posts, {name}", round(result["delivered"], 2), "s",
                       baseline=round(baseline, 2), target=None if args.smoke else round(baseline * TARGET_RATIO, 2),
                       note="baseline: bare smtplib/urllib loop in the same run; target: 3x the baseline")
                figure(f"no delivery doubled or lost, {name}", 0 if name not in problems else 1, "problems",
                       target=0)
    finally:
        controller.stop()
        robot.shutdown()
    if problems:
        print("FAILED: doubled, missing or unsent deliveries on " + ", ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
