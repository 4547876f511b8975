"""Real app processes for integration tests: ``huodong serve`` (gunicorn, one worker each) on the test
database, on free loopback ports, always stopped when the test ends (also when it fails)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import TEST_CONFIG
from tests.plugins.warmth.conftest import world  # noqa: F401  (the 送温暖 union tree, reused here)

PORTS = range(9100, 9200)
START_TIMEOUT = 60
STOP_TIMEOUT = 10
REQUEST_TIMEOUT = 60


def _free_port(taken: set[int]) -> int:
    for port in PORTS:
        if port in taken:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        taken.add(port)
        return port
    raise RuntimeError("no free port in 9100-9199")


def _huodong_command() -> list[str]:
    script = Path(sys.executable).parent / "huodong"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from core.cli import main; main()"]


class Server:
    """One ``huodong serve`` process; ``url`` is its base address."""

    def __init__(self, port: int, env: dict, log: Path, workers: int = 1):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115  (closed in stop())
        self.process = subprocess.Popen(
            [*_huodong_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env=env, stdout=self._log_file, stderr=subprocess.STDOUT, cwd=str(Path(__file__).parents[2]))

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server on {self.port} exited: {self.output()}")
            # Another run on this machine may hold the port (gunicorn retries the bind for a while before
            # it gives up): only an answer after our own process says it listens there is ours.
            if f"Listening at: {self.url}" not in self.log.read_text(errors="replace"):
                time.sleep(0.2)
                continue
            try:
                with urllib.request.urlopen(self.url + "/api/v1/openapi.json", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"server on {self.port} not ready after {START_TIMEOUT} s: {self.output()}")

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT)
        self._log_file.close()


def server_env(app, tmp_path) -> dict:
    """The environment of a ``huodong serve`` on the test app's database."""
    env = {**os.environ,
           "HUODONG_DATABASE_URL": app.config["DATABASE_URL"],
           "HUODONG_INSTANCE_PATH": str(tmp_path / "served"),
           "HUODONG_SECRET_KEY": TEST_CONFIG["SECRET_KEY"],
           "HUODONG_DATA_KEY": TEST_CONFIG["DATA_KEY"],
           "HUODONG_BASE_URL": TEST_CONFIG["BASE_URL"]}
    env.pop("HUODONG_ACCESS_LOG", None)
    return env


@pytest.fixture
def servers(app, tmp_path):
    """Two app processes on the test app's database (SQLite file or PostgreSQL), stopped afterwards."""
    env = server_env(app, tmp_path)
    taken: set[int] = set()
    started: list[Server] = []
    try:
        for index in range(2):
            started.append(Server(_free_port(taken), env, tmp_path / f"server{index}.log"))
        deadline = time.monotonic() + START_TIMEOUT
        for server in started:
            server.wait_ready(deadline)
        yield started
    finally:
        for server in started:
            server.stop()


def post_json(url: str, body: dict, token: str) -> tuple[int, dict | None]:
    """POST ``body`` as JSON with a Bearer token; return (status, decoded JSON or None)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, None


def fire(calls: list[tuple[str, dict, str]]) -> list[tuple[int, dict | None]]:
    """Send every (url, body, token) at once from its own thread; return the answers in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, url, body, token):
        barrier.wait()
        results[index] = post_json(url, body, token)

    threads = [threading.Thread(target=worker, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT * 2)
    assert all(r is not None for r in results), "a request did not come back"
    return results
