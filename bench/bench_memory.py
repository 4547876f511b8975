"""Peak memory (RSS) of one app process after the demo data, a unit feed and a sports day's standings.

A fresh process (this script again, with ``--child``) creates the app on a new SQLite file, reads
its peak RSS (``VmHWM``) as the baseline, then loads the demo data, answers the school's calendar
feed through the app, and computes the standings and payout sheet of the demo sports day. The full
run then adds the large data sets of the other benchmarks (a unit feed of 5,000 events, standings
of 200 teams × 40 items × 10,000 results) and does the same. Printed: the peak RSS at each step.
Target: under 150 MB for the process (the budget of one gunicorn worker, see bench_checkin.py).

    python bench/bench_memory.py            demo data, then the large feed and standings
    python bench/bench_memory.py --smoke    small data instead of the demo (CI)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from report import figure, load_average  # noqa: E402

TARGET_MB = 150


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(smoke: bool) -> None:
    """Do the work in this process and print the peak RSS after each step as JSON."""
    steps = {}
    folder = Path(tempfile.mkdtemp(prefix="hd-bench-memory-"))
    from core.app import create_app
    from core.db import db
    from core.demo import build
    from core.migrate import migrate
    from core.models import Event, Unit

    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}", "INSTANCE_PATH": str(folder),
                      "SECRET_KEY": "bench", "DATA_KEY": "bench", "BASE_URL": "https://huodong.example.org"},
                     extra_plugins=[("bench_attendance", sys.modules["bench_scoring"])])
    steps["app created"] = peak_mb()
    pm = app.extensions["huodong_pm"]
    client = app.test_client()
    import bench_feeds
    import bench_scoring

    with app.app_context(), app.test_request_context():
        migrate(pm)
        with db.connection_context():
            if not smoke:
                build(pm)
            school = Unit.get(Unit.name == "海城实验中学工会").id if not smoke else bench_feeds.fill(200).id
            sports = (Event.get(Event.title == "教职工体育竞赛（成绩演示）").id if not smoke
                      else bench_scoring.build(10, 5, 6, 2, 120).id)
    steps["demo data loaded" if not smoke else "small data loaded"] = peak_mb()
    feed = client.get(f"/units/{school}/calendar.ics")
    assert feed.status_code == 200, feed.status_code
    with app.app_context(), app.test_request_context(), db.connection_context():
        standings_and_payout(sports)
    steps["feed + standings + payout"] = peak_mb()
    if not smoke:
        with app.app_context(), db.connection_context():
            group = bench_feeds.fill(5000).id
        feed = client.get(f"/units/{group}/calendar.ics")
        assert feed.status_code == 200 and len(feed.data) > 1_000_000
        del feed
        steps["+ unit feed of 5,000 events"] = peak_mb()
        with app.app_context(), app.test_request_context(), db.connection_context():
            event = bench_scoring.build(200, 20, 40, 8, 10_000)
            standings_and_payout(event)
        steps["+ standings of 200 teams, 10,000 results"] = peak_mb()
    print(json.dumps(steps, ensure_ascii=False))


def standings_and_payout(event) -> None:
    from core.models import Event
    from plugins.scoring import tally

    event = Event.get_by_id(getattr(event, "id", event))
    loaded = tally.load_tally(event)
    data = tally.payout_data(tally.compute_event_payout(event, loaded))
    assert data["people"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small data instead of the demo (CI)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        import bench_scoring  # noqa: F401  (its attendance stand-in is registered as a plugin)

        child(args.smoke)
        return 0
    command = [sys.executable, str(Path(__file__).resolve()), "--child"] + (["--smoke"] if args.smoke else [])
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        return done.returncode
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"one app process, SQLite; load average {load_average()}")
    for step, mb in steps.items():
        print(f"  {step:<45} peak RSS {mb:7.1f} MB")
    baseline = steps["app created"]
    last = list(steps)[-1]
    ok = figure(f"peak RSS after {last}", round(steps[last], 1), "MB", baseline=round(baseline, 1), target=TARGET_MB)
    return 0 if ok or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main())
