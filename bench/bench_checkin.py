"""Sign-ins per second through the real HTTP stack, beside a trivial endpoint of the same app.

For SQLite and then PostgreSQL: build a database with many registrations (migrations + bulk insert),
start ``huodong serve --workers 2`` (gunicorn, as the README runs it), drive ``POST /api/v1/checkins``
with 8 concurrent keep-alive clients (wrk, each request a distinct registration's code) and
``GET /healthz`` the same way, and print requests per second, p50 and p99 latency, errors, the ratio
of the two, each worker's peak RSS, and the CPU time the server's processes (and PostgreSQL's
backends) spent per request, which other load on the machine moves far less than the rates.

Then, for scale, the same measurement of ``bench/write_floor.py``: the app with one bare endpoint
that reads one registration and inserts one row, nothing else, beside ``/healthz`` of that server.
Its ratio is the ceiling of any sign-in that writes before it answers.

Targets (2 cores): at least 540 sign-ins/s, p99 under 50 ms, no errors, at least 70% of the trivial
endpoint's throughput, under 150 MB per worker.

    python bench/bench_checkin.py                 full run (about a minute per database)
    python bench/bench_checkin.py --smoke         a few seconds on small data (CI)
    python bench/bench_checkin.py --database-url postgresql://postgres@127.0.0.1:5432/NAME

PostgreSQL is used when ``--database-url`` (or ``HUODONG_BENCH_PG_URL``) names one; its tables are
dropped. The load generator is wrk:
``apt-get install -y wrk`` (Debian/Ubuntu). The server listens on a free port from 8150 up
(``--port`` to choose). ``result:`` lines (for bench/run.py) give each figure and PASS/FAIL per target.
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

import write_floor  # noqa: E402
from report import figure  # noqa: E402

SECRET = "bench-secret-key"
CLIENTS = 8
WORKERS = 2
SERVE_THREADS = 4  # huodong serve's default
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

# Counts the answers that are not 200 for parse_wrk (the end of the plain scripts below).
COUNT_BAD_LUA = r"""
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("LUA bad=%d refused=0\n", b))
end
"""

FLOOR_LUA = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args) n = id * 100000000; bad = 0 end
function request()
  n = n + 1
  return wrk.format("POST", "/bench/write-floor", {["Content-Type"] = "application/json"}, '{"n":' .. n .. '}')
end
""" + COUNT_BAD_LUA

TRIVIAL_LUA = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function request() return wrk.format("GET", "/healthz") end
""" + COUNT_BAD_LUA


@dataclass
class Figures:
    endpoint: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    refused: int
    cpu_ms: float = 0.0  # CPU of the server's processes per request (all cores), robust to other load
    db_cpu_ms: float = 0.0  # CPU of PostgreSQL's server processes per request


def _ms(text: str) -> float:
    found = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:  # wrk prints -nan when nothing was answered
        return float("inf")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(endpoint: str, output: str) -> Figures:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # The percentiles of "Latency Distribution" are alone on their lines ("+/- Stdev" columns also end in %).
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
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
            db.execute_sql(write_floor.TABLE_SQL["postgresql" if is_postgres() else "sqlite"])
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


def cpu_seconds(pids) -> float:
    """User + system CPU seconds used so far by the processes ``pids`` (all their threads)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def database_backends(url: str) -> list[int]:
    """PostgreSQL's server processes holding the app's pooled connections (none for SQLite)."""
    if not url.startswith("postgres"):
        return []
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid()").fetchall()
    return [pid for (pid,) in rows]


def huodong_command() -> list[str]:
    """The ``huodong`` command of this Python's environment."""
    script = Path(sys.executable).with_name("huodong")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from core.cli import main; main()"]


def start_server(url: str, instance: Path, port: int, log: Path, threads: int | None = None,
                 floor: bool = False) -> subprocess.Popen:
    """``huodong serve`` as the README runs it, on ``url``; returns once every worker answers.

    ``threads`` per worker, when given, instead of the command's default. ``floor`` serves
    ``bench/write_floor.py`` (the app plus its bare writing endpoint) through gunicorn with the
    settings of ``huodong serve`` instead."""
    env = dict(os.environ, HUODONG_DATABASE_URL=url, HUODONG_SECRET_KEY=SECRET, HUODONG_DATA_KEY="bench-data-key",
               HUODONG_INSTANCE_PATH=str(instance))
    env.pop("HUODONG_ACCESS_LOG", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])  # this checkout
    command = huodong_command() + ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
    if threads:
        command += ["--threads", str(threads)]
    if floor:
        env["PYTHONPATH"] += os.pathsep + str(ROOT / "bench")
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                   "--worker-class", "gthread", "--threads", str(threads or SERVE_THREADS), "write_floor:create_floor_app()"]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True, stdout=output, stderr=output)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200 and len(children(server.pid)) >= WORKERS:
                    return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"huodong serve exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    stop_server(server)
    raise SystemExit("huodong serve did not answer /healthz within 30 s")


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


def measured(endpoint: str, port: int, script: Path, seconds: int, server_pids, database_pids) -> Figures:
    """One wrk run, with the CPU the app's processes (and PostgreSQL's) spent on each request."""
    app_before, db_before = cpu_seconds(server_pids), cpu_seconds(database_pids)
    figures = parse_wrk(endpoint, run_wrk(port, script, endpoint, seconds))
    if figures.requests:
        figures.cpu_ms = (cpu_seconds(server_pids) - app_before) * 1000 / figures.requests
        figures.db_cpu_ms = (cpu_seconds(database_pids) - db_before) * 1000 / figures.requests
    return figures


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
    load = os.getloadavg()[0]
    server = start_server(url, instance, port, folder / f"serve-{name}.log", args.threads)
    try:
        run_wrk(port, trivial, "/healthz", args.warmup)
        run_wrk(port, scripts["warm"], "/api/v1/checkins", args.warmup)
        pids = [server.pid, *children(server.pid)]
        backends = database_backends(url)
        first = measured("/healthz", port, trivial, args.seconds, pids, backends)
        scans = measured("/api/v1/checkins", port, scripts["scan"], args.seconds, pids, backends)
        second = measured("/healthz", port, trivial, args.seconds, pids, backends)
        rss = [peak_rss_mb(pid) for pid in children(server.pid)]
    finally:
        stop_server(server)
    inserted = count_checkins(url, instance) - before
    floor_rows = measure_floor(url, instance, port, folder, name, trivial, args)
    trivial_rps = (first.rps + second.rps) / 2
    floor_trivial = (floor_rows[0].rps + floor_rows[2].rps) / 2
    return {"name": name, "rows": [first, scans, second], "ratio": scans.rps / trivial_rps if trivial_rps else 0,
            "trivial_rps": trivial_rps, "scans": scans, "rss": rss, "inserted": inserted,
            "errors": first.errors + scans.errors + second.errors, "load": (load + os.getloadavg()[0]) / 2,
            "trivial_cpu_ms": (first.cpu_ms + second.cpu_ms) / 2, "floor_rows": floor_rows, "floor": floor_rows[1],
            "floor_trivial_rps": floor_trivial,
            "floor_ratio": floor_rows[1].rps / floor_trivial if floor_trivial else 0}


def measure_floor(url: str, instance: Path, port: int, folder: Path, name: str, trivial: Path, args) -> list[Figures]:
    """``/healthz``, the bare writing endpoint of bench/write_floor.py, ``/healthz`` again, on a server
    like the sign-ins' one: what a sign-in could reach at best on this machine and database."""
    script = folder / "floor.lua"
    script.write_text(FLOOR_LUA)
    server = start_server(url, instance, port, folder / f"floor-{name}.log", args.threads, floor=True)
    try:
        run_wrk(port, script, "/bench/write-floor", args.warmup)
        pids = [server.pid, *children(server.pid)]
        backends = database_backends(url)
        return [measured("/healthz", port, trivial, args.seconds, pids, backends),
                measured("/bench/write-floor", port, script, args.seconds, pids, backends),
                measured("/healthz", port, trivial, args.seconds, pids, backends)]
    finally:
        stop_server(server)


def verdicts(result: dict) -> list[tuple[str, bool]]:
    """Each target with whether this run met it."""
    scans = result["scans"]
    return [
        (f"sign-ins/s >= {TARGETS['rps']}", scans.rps >= TARGETS["rps"]),
        (f"p99 < {TARGETS['p99_ms']} ms", scans.p99_ms < TARGETS["p99_ms"]),
        ("no errors", result["errors"] == 0 and scans.refused == 0),
        (f"ratio >= {TARGETS['ratio']:.0%}", result["ratio"] >= TARGETS["ratio"]),
        (f"RSS < {TARGETS['rss_mb']} MB", bool(result["rss"]) and all(mb < TARGETS["rss_mb"] for mb in result["rss"])),
    ]


def report(result: dict) -> list[str]:
    name = result["name"]
    print(f"\n{name}: huodong serve, {WORKERS} workers, {CLIENTS} keep-alive clients (wrk); "
          f"load average {result['load']:.1f}")
    print(f"  {'endpoint':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7} {'refused':>8}"
          f" {'app CPU ms':>11} {'db CPU ms':>10}")
    for row in result["rows"]:
        print(f"  {row.endpoint:<18} {row.rps:>9.0f} {row.p50_ms:>8.2f} {row.p99_ms:>8.2f} {row.requests:>9} "
              f"{row.errors:>7} {row.refused:>8} {row.cpu_ms:>11.2f} {row.db_cpu_ms:>10.2f}")
    for row in result["floor_rows"]:
        label = "bare write" if row.endpoint == "/bench/write-floor" else "its /healthz"
        print(f"  {label:<18} {row.rps:>9.0f} {row.p50_ms:>8.2f} {row.p99_ms:>8.2f} {row.requests:>9} "
              f"{row.errors:>7} {row.refused:>8} {row.cpu_ms:>11.2f} {row.db_cpu_ms:>10.2f}")
    print(f"  bare write floor / its /healthz: {result['floor_ratio']:.0%}; "
          f"sign-ins / bare write floor: {result['scans'].rps / result['floor'].rps:.0%}")
    rss = " / ".join(f"{mb:.0f}" for mb in result["rss"])
    print(f"  sign-ins stored: {result['inserted']}; sign-ins / trivial: {result['ratio']:.0%}; "
          f"worker peak RSS (MB): {rss}")
    misses = [target for target, met in verdicts(result) if not met]
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
    parser.add_argument("--threads", type=int, help="threads per worker (default: huodong serve's)")
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
        name, full = result["name"], not args.smoke
        figure(f"{name}: sign-ins/s", round(s.rps), "req/s", baseline=round(result["trivial_rps"]),
               target=TARGETS["rps"] if full else None, higher_is_better=True, note="baseline: /healthz")
        figure(f"{name}: ratio to /healthz", round(result["ratio"], 2), "", target=TARGETS["ratio"] if full else None,
               higher_is_better=True)
        figure(f"{name}: bare write floor/s", round(result["floor"].rps), "req/s",
               baseline=round(result["floor_trivial_rps"]), higher_is_better=True,
               note="one SELECT + one INSERT, no token or checks; baseline: /healthz of that server")
        figure(f"{name}: floor's ratio to /healthz", round(result["floor_ratio"], 2), "", higher_is_better=True)
        figure(f"{name}: p50", round(s.p50_ms, 1), "ms")
        figure(f"{name}: p99", round(s.p99_ms, 1), "ms", target=TARGETS["p99_ms"] if full else None)
        figure(f"{name}: errors", result["errors"] + s.refused, "", target=0)
        figure(f"{name}: peak RSS per worker", round(max(result["rss"] or [0])), "MB", target=TARGETS["rss_mb"])
        print(f"{name}: CPU per request: sign-in {s.cpu_ms:.2f} ms app + {s.db_cpu_ms:.2f} ms database, "
              f"/healthz {result['trivial_cpu_ms']:.2f} ms (load {result['load']:.1f}); "
              + ", ".join(f"{target} {'PASS' if met else 'FAIL'}" for target, met in verdicts(result)))
    errors += sum(row.errors for result in results for row in result["floor_rows"])
    if errors:
        return 1
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
