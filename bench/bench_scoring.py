"""Standings and payouts of a large sports day, from the database, through the scoring services.

200 teams of 20 people, 40 items (8 collective, 32 individual, with every tie rule, fouls and a
shooting-style team ranking), 10,000 results, team prizes, best placing only and attendance
answered through the ``huodong_attendance`` hook. Times ``load_tally`` + ``compute_event_payout``
(queries + engine) and, in the same run on the same loaded data, the pure engine alone
(``compute_standings`` + ``compute_payout``), and prints both and their ratio. Budget: 200 ms.

Run from the repository root: ``python bench/bench_scoring.py`` (``--smoke`` for a quick check
with a small data set; ``--database-url postgresql://...`` to use PostgreSQL, whose tables are dropped).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import figure, load_average  # noqa: E402

from core import hookimpl  # noqa: E402

STATUSES: dict[int, str] = {}


@hookimpl
def huodong_attendance(event, member, checkpoint):
    """The bench's sign-in stand-in: a dict lookup, so the figure shows the hook's own cost."""
    return STATUSES.get(member.id)


@hookimpl
def huodong_attendance_many(event, member_ids, checkpoint):
    """The batch answer, as the sign-in plugin gives it from one query."""
    return {mid: STATUSES[mid] for mid in member_ids if mid in STATUSES}


def build(teams: int, per_team: int, items: int, collective: int, results: int, seed: int = 2024):
    """Fill the database through the models in bulk; return the event."""
    from datetime import timedelta

    from core.db import db
    from core.models import Entry, Event, Item, Member, Registration, Team, Unit
    from core.timeutil import utcnow
    from plugins.scoring import public as scoring
    from plugins.scoring.models import ScoringResult

    rnd = random.Random(seed)
    with db.atomic():
        school = Unit.create_child("海城实验中学工会", None, kind="grassroots")
        start = utcnow() - timedelta(days=1)
        event = Event.create(activity_type="general", title="大型运动会", unit=school, starts_at=start,
                             ends_at=start + timedelta(hours=8), status="running")
        team_rows = [Team.create(event=event, name=f"代表队{t:03d}", unit=school) for t in range(teams)]
        Member.insert_many([{"name": f"队员{t}-{i}", "gender": "MF"[i % 2], "staff_no": f"B{t:03d}{i:03d}",
                             "unit": school.id} for t in range(teams) for i in range(per_team)]).execute()
        members = list(Member.select(Member.id).where(Member.unit == school).order_by(Member.id).tuples())
        team_of = {mid: team_rows[n // per_team].id for n, (mid,) in enumerate(members)}
        Registration.insert_many([{"event": event.id, "member": mid, "team": team_of[mid]}
                                  for (mid,) in members]).execute()
        reg_of = dict(Registration.select(Registration.member, Registration.id).where(
            Registration.event == event).tuples())
        choices = ["on_time"] * 90 + ["late"] * 4 + ["early_leave"] * 2 + ["absent"] * 3 + ["excused"]
        STATUSES.update({mid: rnd.choice(choices) for (mid,) in members})
        scoring.configure_event(event, team_prizes=scoring.TEAM_PRIZES, best_placing_only=True,
                                team_tie_rule="countback")
        rules = ["share", "share_split", "first_to_reach", "countback"]
        individual_left = results - collective * teams
        rows = []
        for n in range(items):
            is_collective = n < collective
            item = Item.create(event=event, name=f"项目{n:02d}", kind="team" if is_collective else "individual",
                               sort=n)
            measure = "time" if n % 3 == 0 else "count"
            scoring.configure_item(
                item, measure=measure, tie_rule=rules[n % 4],
                points=scoring.COLLECTIVE_POINTS if is_collective else scoring.INDIVIDUAL_POINTS,
                prizes=() if is_collective else scoring.INDIVIDUAL_PRIZES,
                team_points=scoring.COLLECTIVE_POINTS if not is_collective and n % 4 == 1 else ())
            if is_collective:
                entrants = [(None, t.id) for t in team_rows]
            else:
                count = individual_left // (items - collective) + (n - collective < individual_left % (items - collective))
                picked = rnd.sample([mid for (mid,) in members], count)
                Entry.insert_many([{"item": item.id, "registration": reg_of[m], "member": m, "team": team_of[m]}
                                   for m in picked]).execute()
                entrants = [(m, None) for m in picked]
            for member, team in entrants:
                foul = rnd.random() < 0.02
                value = (rnd.randint(9000, 16000) / 100 if measure == "time" else rnd.randint(0, 60))
                rows.append({"item": item.id, "entrant": f"m{member}" if member else f"t{team}", "member": member,
                             "team": team, "status": "foul" if foul else "ok",
                             "value": None if foul else str(value), "reached_at": rnd.randint(1, 10),
                             "countback": [str(rnd.randint(0, 10)), str(rnd.randint(0, 10))]})
        for i in range(0, len(rows), 2000):
            ScoringResult.insert_many(rows[i:i + 2000]).execute()
    assert ScoringResult.select().join(Item).where(Item.event == event).count() == results
    return event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a small data set, one run")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()
    teams, per_team, items, collective, results, runs = (200, 20, 40, 8, 10_000, 5)
    if args.smoke:
        teams, per_team, items, collective, results, runs = (10, 5, 6, 2, 120, 1)

    from core.app import create_app
    from core.db import db
    from core.migrate import migrate
    from plugins.scoring import tally
    from plugins.scoring.payout import compute_payout
    from plugins.scoring.prizes import Attendance
    from plugins.scoring.standings import compute_standings

    folder = tempfile.mkdtemp(prefix="hd-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench", "DATA_KEY": "bench"},
                     extra_plugins=[("bench_attendance", sys.modules[__name__])])
    with app.app_context(), app.test_request_context():
        if url.startswith("postgres"):
            with db.connection_context():
                db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            event = build(teams, per_team, items, collective, results)
            service = []
            service_cpu = []
            engine = []
            for _ in range(runs):
                start, cpu = time.perf_counter(), time.process_time()
                loaded = tally.load_tally(event.id)
                payout = tally.compute_event_payout(event, loaded)
                service.append(time.perf_counter() - start)
                service_cpu.append(time.process_time() - cpu)
                assert payout.sheet.total > 0
                # The pure engine on the same data, already in memory.
                people, standings = loaded.people, loaded.standings
                team_of = {p.id: p.team for p in people if p.team}
                attendance = {k: Attendance(v) for k, v in payout.attendance.items() if v != "unknown"}
                placed = {s.item.code: s.placings for s in standings.items if s.item.kind.value == "match"}
                rules = tally.payout_rules(tally.event_config(event.id))
                start = time.perf_counter()
                again = compute_standings([i.engine for i in loaded.items], loaded.results, team_of, placed=placed,
                                          teams=list(standings.totals), team_tie_rule=loaded.team_rule)
                sheet = compute_payout(people, attendance, again, rules)
                engine.append(time.perf_counter() - start)
                assert sheet.total == payout.sheet.total
    best_service, best_engine = min(service) * 1000, min(engine) * 1000
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"data set: {teams} teams x {per_team} people, {items} items, {results} results ({backend})")
    print(f"service (database + engine): {best_service:8.1f} ms (best of {runs})")
    print(f"pure engine, same data:      {best_engine:8.1f} ms (best of {runs})")
    print(f"ratio: {best_service / best_engine:.2f}x the engine; budget 200 ms: "
          f"{'within' if best_service < 200 else 'OVER'}")
    print(f"CPU time of the service: {min(service_cpu) * 1000:.1f} ms; load average {load_average()}")
    figure(f"standings + payouts from the database ({backend})", round(best_service, 1), "ms",
           baseline=round(best_engine, 1), target=None if args.smoke else 200,
           note=f"baseline: the pure engine on the same data; CPU {min(service_cpu) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
