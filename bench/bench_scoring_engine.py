"""Time standings and the payout sheet for a large sports day.

200 teams of 50 people, 40 items, 10,000 results in all: 8 collective items (200 team
results each) and 32 individual items (262 or 263 results each), with ties, fouls,
all four tie rules, shooting-style team rankings, late/absent attendance, team prizes
split among members and "best placing only". The data set is built from a fixed seed.

Run from the repository root: ``python bench/bench_scoring_engine.py``. It prints the
best of 5 runs next to a baseline, the time to sort the 10,000 results once.
"""

from __future__ import annotations

import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import figure

from plugins.scoring.measures import MeasureKind, Result, ResultStatus
from plugins.scoring.payout import PayoutRules, Person, compute_payout
from plugins.scoring.points import COLLECTIVE_POINTS, INDIVIDUAL_POINTS
from plugins.scoring.prizes import INDIVIDUAL_PRIZES, TEAM_PRIZES, Attendance
from plugins.scoring.ranking import TieRule
from plugins.scoring.standings import Item, compute_standings

TEAMS = 200
PER_TEAM = 50
ITEMS = 40
COLLECTIVE = 8
RESULTS = 10_000
RUNS = 5


def build(seed: int = 2024):
    """The data set: people, attendance, items, results per item, team of each person."""
    rnd = random.Random(seed)
    teams = [f"T{t:03d}" for t in range(TEAMS)]
    people = [Person(f"{team}-{i:02d}", f"队员{i}", team) for team in teams for i in range(PER_TEAM)]
    team_of = {p.id: p.team for p in people}
    statuses = [Attendance.ON_TIME] * 90 + [Attendance.LATE] * 4 + [Attendance.EARLY_LEAVE] * 2
    statuses += [Attendance.ABSENT] * 3 + [Attendance.EXCUSED]
    attendance = {p.id: rnd.choice(statuses) for p in people}
    rules = list(TieRule)
    items: list[Item] = []
    results: dict[str, list[Result]] = {}
    individual_left = RESULTS - COLLECTIVE * TEAMS
    individual_items = ITEMS - COLLECTIVE
    for n in range(ITEMS):
        code = f"item{n:02d}"
        kind = MeasureKind.TIME if n % 3 == 0 else MeasureKind.COUNT
        rule = rules[n % len(rules)]
        collective = n < COLLECTIVE
        items.append(
            Item(
                code,
                f"项目{n}",
                kind,
                COLLECTIVE_POINTS if collective else INDIVIDUAL_POINTS,
                rule,
                collective=collective,
                prizes=() if collective else INDIVIDUAL_PRIZES,
                team_points=COLLECTIVE_POINTS if not collective and n % 4 == 1 else (),
            )
        )
        if collective:
            entries = teams
        else:
            count = individual_left // individual_items + (n - COLLECTIVE < individual_left % individual_items)
            entries = rnd.sample([p.id for p in people], count)
        rows = []
        for entry in entries:
            if rnd.random() < 0.02:
                rows.append(Result(entry, status=ResultStatus.FOUL))
                continue
            if kind is MeasureKind.TIME:
                value = Decimal(rnd.randint(9000, 16000)) / 100
            else:
                value = Decimal(rnd.randint(0, 60))
            rows.append(
                Result(
                    entry,
                    value,
                    reached_at=rnd.randint(1, 10),
                    countback=(Decimal(rnd.randint(0, 10)), Decimal(rnd.randint(0, 10))),
                )
            )
        results[code] = rows
    assert sum(len(r) for r in results.values()) == RESULTS
    return people, attendance, items, results, team_of, teams


def run_once(data) -> float:
    people, attendance, items, results, team_of, teams = data
    start = time.perf_counter()
    standings = compute_standings(items, results, team_of, teams=teams, team_tie_rule=TieRule.COUNTBACK)
    rules = PayoutRules(team_prizes=TEAM_PRIZES, split_team_prizes=True, best_placing_only=True)
    sheet = compute_payout(people, attendance, standings, rules)
    elapsed = time.perf_counter() - start
    assert sheet.total > 0
    return elapsed


def baseline_once(data) -> float:
    results = [r for rows in data[3].values() for r in rows]
    start = time.perf_counter()
    sorted(results, key=lambda r: (r.value is None, r.value or 0))
    return time.perf_counter() - start


def main() -> None:
    if "--smoke" in sys.argv:
        global RUNS
        RUNS = 1
    data = build()
    engine = min(run_once(data) for _ in range(RUNS))
    baseline = min(baseline_once(data) for _ in range(RUNS))
    print(f"data set: {TEAMS} teams x {PER_TEAM} people, {ITEMS} items, {RESULTS} results")
    print(f"standings + payout sheet: {engine * 1000:8.1f} ms (best of {RUNS})")
    print(f"baseline, sort {RESULTS} results once: {baseline * 1000:8.1f} ms (best of {RUNS})")
    print(f"ratio: {engine / baseline:.1f}x the baseline; budget 200 ms")
    figure(f"engine standings + payouts, {TEAMS} teams x {ITEMS} items x {RESULTS} results", round(engine * 1000, 1),
           "ms", baseline=round(baseline * 1000, 1), target=None if "--smoke" in sys.argv else 200,
           note="baseline: one sort of the results")


if __name__ == "__main__":
    main()
