"""Registrations at the last places under contention, through the real HTTP stack.

Many members press "报名" at once for the last few places: gunicorn (2 workers, 4 threads each)
serves ``POST /api/v1/events/<id>/registrations``; one Python thread per member, each with its own
API token and connection, all released together by a barrier. Two cases:

* the event's last places: capacity C, C - k already taken, no waiting list (the rest are refused);
* an item's last places (乒乓球单打, capacity K, K - k taken) in an event without a capacity.

Printed per case: answers per second over the burst (wall time from the release to the last
answer), p50 and p99 latency, how many were accepted and refused, and the count read back from
the database afterwards, which must be exactly the capacity: no overbooking, no lost place, no
error answer.

    python bench/bench_registration.py                      200 clients per case, SQLite
    python bench/bench_registration.py --smoke              30 clients (CI)
    python bench/bench_registration.py --database-url postgresql://postgres@127.0.0.1:5432/NAME

PostgreSQL is used when ``--database-url`` (or ``HUODONG_BENCH_PG_URL``) names one; its tables are dropped.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_checkin import SECRET, free_port, start_server, stop_server  # noqa: E402
from report import figure, load_average  # noqa: E402

TARGET_RPS = 20  # answers per second over the burst, 2 workers on 2 shared cores


def build(url: str, instance: Path, clients: int, capacity: int, left: int) -> dict:
    """Two events (event capacity, item capacity), their taken places, and ``clients`` members with tokens."""
    from core.access import token_hash
    from core.app import create_app
    from core.db import db, is_postgres
    from core.migrate import migrate
    from core.models import Account, ApiToken, Entry, Event, Item, Member, Registration, Unit
    from core.services.registrations import save_rules
    from core.timeutil import utcnow

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(instance),
                      "DATA_KEY": "bench-data-key"})
    with app.app_context(), app.test_request_context():
        if is_postgres():
            with db.connection_context():
                db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrate(app.extensions["huodong_pm"])
        with db.connection_context(), db.atomic():
            school = Unit.create_child("海城实验中学工会", None, kind="grassroots")
            group = Unit.create_child("初一年级组", school, kind="department")
            start = utcnow().replace(microsecond=0) + timedelta(days=7)
            full = Event.create(activity_type="general", title="教职工趣味运动会（限额）", unit=school,
                                starts_at=start, ends_at=start + timedelta(hours=3), status="published",
                                capacity=capacity)
            save_rules(full, {"waitlist": False})
            open_event = Event.create(activity_type="general", title="教职工乒乓球赛", unit=school,
                                      starts_at=start, ends_at=start + timedelta(hours=3), status="published")
            ping = Item.create(event=open_event, name="乒乓球单打", kind="individual", capacity=capacity)
            taken = capacity - left
            Member.insert_many([{"name": f"教师{n}", "gender": "MF"[n % 2], "staff_no": f"R{n:06d}",
                                 "unit": group.id} for n in range(2 * taken + clients)]).execute()
            ids = [m for (m,) in Member.select(Member.id).order_by(Member.id).tuples()]
            early_full, early_item, crowd = ids[:taken], ids[taken:2 * taken], ids[2 * taken:]
            Registration.insert_many([{"event": full.id, "member": m, "status": "active"} for m in early_full]).execute()
            Registration.insert_many([{"event": open_event.id, "member": m, "status": "active"}
                                      for m in early_item]).execute()
            Entry.insert_many([{"item": ping.id, "registration": r, "member": m} for r, m in
                               Registration.select(Registration.id, Registration.member)
                               .where(Registration.event == open_event).tuples()]).execute()
            Account.insert_many([{"username": f"r{m}", "password_hash": "!", "member": m} for m in crowd]).execute()
            accounts = dict(Account.select(Account.member, Account.id).where(Account.member.in_(crowd)).tuples())
            tokens = ["hd_" + secrets.token_urlsafe(32) for _ in crowd]
            ApiToken.insert_many([{"account": accounts[m], "name": "bench", "token_hash": token_hash(t)}
                                  for m, t in zip(crowd, tokens, strict=True)]).execute()
    if is_postgres():
        db.obj.close_all()
    return {"full": full.id, "open": open_event.id, "item": ping.id, "tokens": tokens}


def count(url: str, instance: Path, data: dict) -> tuple[int, int]:
    """(active registrations of the capped event, entries of the capped item), read back."""
    from core.app import create_app
    from core.db import db, is_postgres
    from core.models import Entry, Registration

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET, "INSTANCE_PATH": str(instance)})
    with app.app_context(), db.connection_context():
        active = Registration.select().where(Registration.event == data["full"], Registration.status == "active").count()
        entries = Entry.select().where(Entry.item == data["item"]).count()
    if is_postgres():
        db.obj.close_all()
    return active, entries


def burst(port: int, path: str, tokens: list[str], body: dict) -> tuple[float, list[tuple[int, float, dict]]]:
    """POST ``body`` once per token, every client on its own connection, all released together."""
    ready = threading.Barrier(len(tokens) + 1)
    answers: list[tuple[int, float, dict] | None] = [None] * len(tokens)
    payload = json.dumps(body)

    def client(index: int, token: str) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.connect()
        ready.wait()
        began = time.perf_counter()
        try:
            connection.request("POST", path, body=payload, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            raw = response.read()
            status = response.status
        except OSError as exc:
            status, raw = 0, json.dumps({"message": str(exc)}).encode()
        finally:
            connection.close()
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {"message": raw[:200].decode(errors="replace")}
        answers[index] = (status, time.perf_counter() - began, answer)

    threads = [threading.Thread(target=client, args=(i, t)) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    ready.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, answers  # type: ignore[return-value]


def report_case(name: str, seconds: float, answers, counted: int, capacity: int, left: int, smoke: bool) -> bool:
    statuses = [status for status, _s, _a in answers]
    accepted = sum(1 for s in statuses if s in (200, 201))
    refused = sum(1 for s in statuses if s == 409)
    errors = len(statuses) - accepted - refused
    latencies = sorted(s * 1000 for _st, s, _a in answers)
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    rps = len(answers) / seconds
    print(f"{name}: {len(answers)} clients at once for the last {left} of {capacity} places: "
          f"{rps:.1f} answers/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms; {accepted} accepted, {refused} refused, "
          f"{errors} errors; {counted} in the database afterwards")
    if errors:
        print("  first error answers:", [a for s, _t, a in answers if s not in (200, 201, 409)][:3])
    exact = counted == capacity and accepted == left and errors == 0
    ok = figure(f"{name}: places held", counted, "of " + str(capacity), target=capacity,
                note=f"{accepted} accepted, {refused} refused, {errors} errors")
    ok = ok and exact
    if not exact:
        print(f"  FAILED: expected exactly {capacity} places taken, {left} accepted and no errors")
    figure(f"{name}: answers/s", round(rps, 1), "req/s", target=None if smoke else TARGET_RPS, higher_is_better=True,
           note=f"p50 {p50:.0f} ms, p99 {p99:.0f} ms")
    return exact


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="30 clients per case (CI)")
    parser.add_argument("--clients", type=int, default=None)
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--left", type=int, default=5, help="free places when the burst starts")
    parser.add_argument("--database-url", default=os.environ.get("HUODONG_BENCH_PG_URL", ""))
    parser.add_argument("--port", type=int)
    args = parser.parse_args(argv)
    clients = args.clients or (30 if args.smoke else 200)
    folder = Path(tempfile.mkdtemp(prefix="hd-bench-registration-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    instance = folder / "instance"
    instance.mkdir()
    data = build(url, instance, clients, args.capacity, args.left)
    print(f"{backend}; load average {load_average()}; gunicorn 2 workers x 4 threads", flush=True)
    port = args.port or free_port(8190)
    server = start_server(url, instance, port, instance / "serve.log")  # huodong serve: gthread, 4 threads
    try:
        full = burst(port, f"/api/v1/events/{data['full']}/registrations", data["tokens"], {})
        item = burst(port, f"/api/v1/events/{data['open']}/registrations", data["tokens"], {"items": [data["item"]]})
    finally:
        stop_server(server)
    active, entries = count(url, instance, data)
    ok = report_case(f"{backend} event", *full, active, args.capacity, args.left, args.smoke)
    ok = report_case(f"{backend} item", *item, entries, args.capacity, args.left, args.smoke) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
