"""Real receivers for messages: an SMTP server (aiosmtpd) and an HTTP endpoint standing in for the
企业微信 and 钉钉 robots, both on free loopback ports; the app's settings point at them."""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from aiosmtpd.controller import Controller

from core.db import close_all, db
from tests.conftest import TEST_CONFIG, USING_PG, _truncate_postgres

PORTS = range(5101, 5200)
DINGTALK_SECRET = "SECtest-secret-0123456789"
_taken: set[int] = set()


def free_port() -> int:
    for port in PORTS:
        if port in _taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken.add(port)
        return port
    raise RuntimeError("no free port in 5101-5199")


class Mailbox:
    """An SMTP server's handler: keeps every accepted mail; refuses listed addresses with 550; can stall
    the next DATA (the server neither accepts nor refuses until released)."""

    def __init__(self):
        self.mails: list[email.message.EmailMessage] = []
        self.refuse = {"bounce@example.com"}
        self.stall_next = False
        self.delay = 0.0  # seconds the server takes over each mail
        self.stalling = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall_next:
            self.stall_next = False
            self.stalling.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "421 4.3.0 stalled, not accepted"
        if self.delay:
            await asyncio.sleep(self.delay)
        mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.mails.append(mail)
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.mails if m["To"] == address]

    def delivery_ids(self) -> list[str]:
        return [m["X-Huodong-Delivery"] for m in self.mails]


@pytest.fixture(scope="session")
def smtp_server():
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    handler.release.set()
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    box = smtp_server.handler
    box.mails.clear()
    box.stall_next = False
    box.delay = 0.0
    box.stalling.clear()
    box.release.clear()
    yield box
    box.release.set()


class Robots(ThreadingHTTPServer):
    """Receives robot posts at /wecom and /dingtalk; answers with ``self.answers`` (status, body) in turn,
    then 200 ``{"errcode": 0}``."""

    daemon_threads = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), RobotHandler)
        self.posts: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        self.lock = threading.Lock()

    def reset(self):
        self.posts.clear()
        self.answers.clear()

    def at(self, path: str) -> list[dict]:
        return [p for p in self.posts if p["path"] == path]


class RobotHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        parsed = urlparse(self.path)
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.server.lock:
            answer = self.server.answers.pop(0) if self.server.answers else (200, {"errcode": 0, "errmsg": "ok"})
            if answer[0] == 200 and answer[1].get("errcode", 0) == 0:
                self.server.posts.append({"path": parsed.path, "query": parse_qs(parsed.query),
                                          "json": json.loads(raw), "content_type": self.headers["Content-Type"]})
        body = json.dumps(answer[1]).encode()
        self.send_response(answer[0])
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def dingtalk_signature_ok(post: dict, secret: str = DINGTALK_SECRET) -> bool:
    """Check a post's ``timestamp``/``sign`` as 钉钉 does: base64(HMAC-SHA256(secret, "ts\\nsecret"))."""
    timestamp = post["query"]["timestamp"][0]
    wanted = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(),
                                       hashlib.sha256).digest()).decode()
    fresh = abs(int(timestamp) - time.time() * 1000) < 3_600_000  # 钉钉 refuses signatures over an hour old
    return fresh and hmac.compare_digest(post["query"]["sign"][0], wanted)


@pytest.fixture(scope="session")
def robot_server():
    server = Robots(free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def robots(robot_server):
    robot_server.reset()
    return robot_server


def message_settings(smtp_server, robot_server) -> dict:
    base = f"http://127.0.0.1:{robot_server.server_address[1]}"
    return {"MAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}", "MAIL_FROM": "工会 <union@huodong.test>",
            "WECOM_ROBOT_URL": f"{base}/wecom?key=test-key", "DINGTALK_ROBOT_URL": f"{base}/dingtalk?access_token=t",
            "DINGTALK_ROBOT_SECRET": DINGTALK_SECRET, "MESSAGE_SEND_TIMEOUT": 10}


@pytest.fixture
def app(make_app, smtp_server, robot_server):
    """The app with mail and both robots pointed at the local receivers (overrides the shared ``app``)."""
    application = make_app(**message_settings(smtp_server, robot_server))
    if USING_PG:
        _truncate_postgres()
    ctx = application.app_context()
    ctx.push()
    db.connect(reuse_if_open=True)
    yield application
    if not db.is_closed():
        db.close()
    ctx.pop()
    close_all()


def deliver(**kwargs) -> list[str]:
    """Run one worker round in this process; return its output lines."""
    from core.messages.worker import Worker

    lines: list[str] = []
    Worker(echo=lines.append, **kwargs).run_once()
    return lines


def worker_process(app, *args, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """``huodong worker ARGS`` as its own process on the test app's database and settings."""
    script = Path(sys.executable).parent / "huodong"
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from core.cli import main; main()"]
    environ = {**os.environ, "HUODONG_DATABASE_URL": app.config["DATABASE_URL"],
               "HUODONG_INSTANCE_PATH": app.instance_path, "HUODONG_DATA_KEY": TEST_CONFIG["DATA_KEY"],
               "HUODONG_SECRET_KEY": TEST_CONFIG["SECRET_KEY"], "HUODONG_BASE_URL": TEST_CONFIG["BASE_URL"]}
    for key in ("MAIL_URL", "MAIL_FROM", "WECOM_ROBOT_URL", "DINGTALK_ROBOT_URL", "DINGTALK_ROBOT_SECRET",
                "MESSAGE_SEND_TIMEOUT", "MESSAGE_MAX_ATTEMPTS", "MESSAGE_RETRY_SECONDS"):
        environ[f"HUODONG_{key}"] = str(app.config[key])
    environ.update(env or {})
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 (the process owns it)
    return subprocess.Popen([*command, "worker", *map(str, args)], env=environ, stdout=out, stderr=subprocess.STDOUT,
                            cwd=str(Path(__file__).parents[2]))


def mail_ready(member, address: str, channels=("mail",)):
    """``member`` set up mail earlier and verified his address (no verification mail is waiting)."""
    from core.messages.models import MessagePreference
    from core.timeutil import utcnow

    MessagePreference.create(member=member, email=address, channels=list(channels), email_verified_at=utcnow())
    return member
