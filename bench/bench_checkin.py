"""Sign-ins per second through the real HTTP stack, beside a trivial endpoint of the same app.

For SQLite and then PostgreSQL: build a database with many registrations (migrations + bulk insert),
start gunicorn with 2 workers, drive ``POST /api/v1/checkins`` with 8 concurrent keep-alive clients
(wrk, each request a distinct registration's code) and ``GET /healthz`` the same way, and print
requests per second, p50 and p99 latency, errors, the ratio of the two, and each worker's peak RSS.

Targets (2 cores): at least 540 sign-ins/s, p99 under 50 ms, no errors, at least 70% of the trivial
endpoint's throughput, under 150 MB per worker.

    python bench/bench_checkin.py                 full run (about a minute per database)
    python bench/bench_checkin.py --smoke         a few seconds on small data (CI)
    python bench/bench_checkin.py --database-url postgresql://postgres@127.0.0.1:5432/NAME

PostgreSQL is used when ``--database-url`` (or ``HUODONG_BENCH_PG_URL``) names one; its tables are
dropped. The load generator is wrk:
``apt-get install -y wrk`` (Debian/Ubuntu). The server listens on a free port from 8150 up
(``--port`` to choose).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from report import figure  # noqa: E402

SECRET = "bench-secret-key"
CLIENTS = 8
WORKERS = 2
TARGETS = {"rps": 540, "p99_ms": 50, "ratio": 0.70, "rss_mb": 150}

SCAN_LUA = r"""
local codes = {}
for line in io.lines("%(codes)s") do codes[#codes + 1] = line end
local threads = {}
local auth = "Bearer %(token)s"
local prefix = '{"event_id":%(event)d,"code":"'
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  counter = id * math.floor(#codes / %(threads)d)
  bad = 0
  refused = 0
end
function request()
  counter = counter + 1
  local code = codes[(counter %% #codes) + 1]
  return wrk.format("POST", "/api/v1/checkins",
    {["Content-Type"] = "application/json", ["Authorization"] = auth}, prefix .. code .. '"}')
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1
  elseif not string.find(body, '"ok":%%s*true') then refused = refused + 1 end
end
function done(summary, latency, requests)
  local b, r = 0, 0
  for _, t in ipairs(threads) do b = b + t:get("bad"); r = r + t:get("refused") end
  io.write(string.format("LUA bad=%%d refused=%%d\n", b, r))
end
"""

TRIVIAL_LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function request() return wrk.format("GET", "/healthz") end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("LUA bad=%d refused=0\n", b))
end
"""


@dataclass
class Figures:
    endpoint: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    refused: int


def _ms(text: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:  # wrk prints -nan when nothing was answered
        return float("inf")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(endpoint: str, output: str) -> Figures:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"99%\s+(\S+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    lua = re.search(r"LUA bad=(\d+) refused=(\d+)", output)
    bad = int(lua.group(1)) if lua else 0
    errors += max(bad, int(non2xx.group(1)) if non2xx else 0)
    return Figures(endpoint, rps, p50, p99, requests, errors, int(lua.group(2)) if lua else 0)


def free_port(start: int) -> int:
    for port in range(start, start + 50):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port from {start}")


def build_database(url: str, instance: Path, people: int) -> dict:
    """Migrate ``url`` and fill it in bulk: units, ``people`` members and registrations, a scanner token."""
    from core.app import create_app
    from core.db import db, is_postgres
    from core.migrate import migrate
    from core.models import Event, Member, Registration, Unit
    from core.services.accounts import create_account, issue_token
    from core.timeutil import utcnow
    from plugins.checkin import checkpoints
    from plugins.checkin.tokens import personal_token

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(instance),
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    with app.app_context(), app.test_request_context():
        if is_postgres():
            with db.connection_context():
                db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            with db.atomic():
                school = Unit.create_child("海城实验中学工会", None, kind="grassroots")
                groups = [Unit.create_child(f"年级组{i + 1}", school, kind="department") for i in range(8)]
                start = utcnow().replace(microsecond=0) + timedelta(minutes=10)
                event = Event.create(activity_type="general", title="全体教职工大会", unit=school,
                                     starts_at=start, ends_at=start + timedelta(hours=3), status="published")
                for first in range(0, people, 2000):
                    Member.insert_many([
                        {"name": f"教师{n}", "gender": "MF"[n % 2], "staff_no": f"T{n:06d}",
                         "unit": groups[n % 8].id, "phone": f"139{n:08d}"}
                        for n in range(first, min(people, first + 2000))]).execute()
                member_ids = [m for (m,) in Member.select(Member.id).order_by(Member.id).tuples()]
                for first in range(0, len(member_ids), 2000):
                    Registration.insert_many([{"event": event.id, "member": m, "status": "active"}
                                              for m in member_ids[first:first + 2000]]).execute()
                checkpoints.ensure_main(event)
                scanner = create_account("scanner", "bench-password", roles=[("organizer", school)])
                token = issue_token(scanner, "bench")
            registrations = [r for (r,) in Registration.select(Registration.id).order_by(Registration.id).tuples()]
            if is_postgres():
                db.execute_sql("ANALYZE")
    if is_postgres():
        db.obj.close_all()
    codes = [personal_token(r, 1, secret=SECRET) for r in registrations]
    return {"event": event.id, "token": token, "codes": codes}


def count_checkins(url: str, instance: Path) -> int:
    from core.app import create_app
    from core.db import db, is_postgres
    from plugins.checkin.models import CheckIn

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(instance)})
    with app.app_context(), db.connection_context():
        count = CheckIn.select().count()
    if is_postgres():
        db.obj.close_all()
    return count


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(url: str, instance: Path, port: int, worker_class: str, threads: int) -> subprocess.Popen:
    env = dict(os.environ, HUODONG_DATABASE_URL=url, HUODONG_SECRET_KEY=SECRET, HUODONG_DATA_KEY="bench-data-key",
               HUODONG_INSTANCE_PATH=str(instance))
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--worker-class", worker_class,
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "256",
               "--keep-alive", "30"]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    command.append("core.app:create_app()")
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200 and len(children(server.pid)) >= WORKERS:
                    return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_wrk(port: int, script: Path, path: str, seconds: int) -> str:
    command = ["wrk", "-t", "2", "-c", str(CLIENTS), "-d", f"{seconds}s", "--latency", "-s", str(script),
               f"http://127.0.0.1:{port}{path}"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if completed.returncode:
        raise SystemExit(f"wrk failed: {completed.stderr.strip()}")
    return completed.stdout


def bench_backend(name: str, url: str, folder: Path, args) -> dict:
    instance = folder / f"instance-{name}"
    instance.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    data = build_database(url, instance, args.people)
    print(f"{name}: {args.people} registrations built in {time.perf_counter() - began:.1f}s", flush=True)
    codes = data["codes"]
    warm = max(200, len(codes) // 20)
    (folder / "warm.txt").write_text("\n".join(codes[-warm:]) + "\n")
    (folder / "codes.txt").write_text("\n".join(codes[:-warm]) + "\n")
    scripts = {}
    for key, codes_file in (("warm", "warm.txt"), ("scan", "codes.txt")):
        scripts[key] = folder / f"{key}.lua"
        scripts[key].write_text(SCAN_LUA % {"codes": folder / codes_file, "token": data["token"],
                                            "event": data["event"], "threads": 2})
    trivial = folder / "trivial.lua"
    trivial.write_text(TRIVIAL_LUA)
    port = args.port or free_port(8150)
    before = count_checkins(url, instance)
    server = start_server(url, instance, port, args.worker_class, args.threads)
    try:
        run_wrk(port, trivial, "/healthz", args.warmup)
        run_wrk(port, scripts["warm"], "/api/v1/checkins", args.warmup)
        first = parse_wrk("/healthz", run_wrk(port, trivial, "/healthz", args.seconds))
        scans = parse_wrk("/api/v1/checkins", run_wrk(port, scripts["scan"], "/api/v1/checkins", args.seconds))
        second = parse_wrk("/healthz", run_wrk(port, trivial, "/healthz", args.seconds))
        rss = [peak_rss_mb(pid) for pid in children(server.pid)]
    finally:
        stop_server(server)
    inserted = count_checkins(url, instance) - before
    trivial_rps = (first.rps + second.rps) / 2
    return {"name": name, "rows": [first, scans, second], "ratio": scans.rps / trivial_rps if trivial_rps else 0,
            "trivial_rps": trivial_rps, "scans": scans, "rss": rss, "inserted": inserted,
            "errors": first.errors + scans.errors + second.errors}


def report(result: dict) -> list[str]:
    name, scans = result["name"], result["scans"]
    print(f"\n{name}: gunicorn {WORKERS} workers, {CLIENTS} keep-alive clients (wrk)")
    print(f"  {'endpoint':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7} {'refused':>8}")
    for row in result["rows"]:
        print(f"  {row.endpoint:<18} {row.rps:>9.0f} {row.p50_ms:>8.2f} {row.p99_ms:>8.2f} {row.requests:>9} "
              f"{row.errors:>7} {row.refused:>8}")
    rss = " / ".join(f"{mb:.0f}" for mb in result["rss"])
    print(f"  sign-ins stored: {result['inserted']}; sign-ins / trivial: {result['ratio']:.0%}; "
          f"worker peak RSS (MB): {rss}")
    misses = []
    if scans.rps < TARGETS["rps"]:
        misses.append(f"{scans.rps:.0f}/s < {TARGETS['rps']}/s")
    if scans.p99_ms >= TARGETS["p99_ms"]:
        misses.append(f"p99 {scans.p99_ms:.1f} ms >= {TARGETS['p99_ms']} ms")
    if result["errors"]:
        misses.append(f"{result['errors']} errors")
    if result["ratio"] < TARGETS["ratio"]:
        misses.append(f"ratio {result['ratio']:.0%} < {TARGETS['ratio']:.0%}")
    if any(mb >= TARGETS["rss_mb"] for mb in result["rss"]):
        misses.append(f"RSS {rss} MB >= {TARGETS['rss_mb']} MB")
    print("  targets: " + ("met" if not misses else "MISSED: " + "; ".join(misses)))
    return misses


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="small data, a few seconds per run")
    parser.add_argument("--database-url", default=os.environ.get("HUODONG_BENCH_PG_URL"),
                        help="PostgreSQL to use (its tables are dropped); default $HUODONG_BENCH_PG_URL")
    parser.add_argument("--people", type=int, help="registrations (default 60000; smoke 2000)")
    parser.add_argument("--seconds", type=int, help="seconds per measured run (default 10; smoke 2)")
    parser.add_argument("--port", type=int, help="port for gunicorn (default: a free one from 8150)")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.people = args.people or (2000 if args.smoke else 60000)
    args.seconds = args.seconds or (2 if args.smoke else 10)
    args.warmup = 1 if args.smoke else 3
    if shutil.which("wrk") is None:
        print("bench_checkin needs the load generator wrk: apt-get install -y wrk  (Debian/Ubuntu)")
        return 2
    backends = []
    with tempfile.TemporaryDirectory(prefix="hd-bench-checkin-") as tmp:
        folder = Path(tmp)
        if args.only in (None, "sqlite"):
            backends.append(("sqlite", f"sqlite:///{folder / 'bench.sqlite3'}"))
        if args.only in (None, "postgresql"):
            if args.database_url and args.database_url.startswith("postgres"):
                backends.append(("postgresql", args.database_url))
            else:
                print("postgresql: skipped (give --database-url or HUODONG_BENCH_PG_URL)")
        results = [bench_backend(name, url, folder, args) for name, url in backends]
    failed = errors = 0
    for result in results:
        misses = report(result)
        failed += bool(misses)
        errors += result["errors"]
    for result in results:
        s = result["scans"]
        print(f"result: {result['name']}: {s.rps:.0f} sign-ins/s, p50 {s.p50_ms:.1f} ms, p99 {s.p99_ms:.1f} ms, "
              f"{result['errors']} errors, {result['ratio']:.0%} of /healthz ({result['trivial_rps']:.0f}/s), "
              f"RSS {'/'.join(f'{mb:.0f}' for mb in result['rss'])} MB")
        figure(f"{result['name']}: sign-ins/s", round(s.rps), "req/s", baseline=round(result["trivial_rps"]),
               target=None if args.smoke else TARGETS["rps"], higher_is_better=True, note="baseline: /healthz")
        figure(f"{result['name']}: p99", round(s.p99_ms, 1), "ms", target=None if args.smoke else TARGETS["p99_ms"])
    if errors:
        return 1
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
