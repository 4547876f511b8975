"""Time a unit's calendar feed through the app: the full feed and the 304 answer.

Builds a database with one unit holding 5,000 published events (timed and all-day, some
cancelled, some with reminders, spread over the feed's window), then asks the Flask test client
for the unit's feed and for the same feed with ``If-None-Match`` (answered from the units' change
stamps, see :mod:`core.services.feeds`). The pure
:func:`core.calendar.build_calendar` over the same items is timed in the same run as the
baseline, and the ratios are printed. Run from the repository root:

    python bench/bench_feeds.py [--events 5000] [--repeat 15] [--database-url postgresql://...] [--smoke]

``--smoke`` runs 200 events twice, to check the script still works. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import figure  # noqa: E402

from core.app import create_app  # noqa: E402
from core.calendar import build_calendar  # noqa: E402
from core.db import db  # noqa: E402
from core.migrate import migrate  # noqa: E402
from core.models import Event, Unit  # noqa: E402
from core.services import feeds  # noqa: E402
from core.timeutil import utcnow  # noqa: E402

DESCRIPTION = (
    "签到 8:00，开始 8:30。每人限报 3 项，其中 1–3 项必须报 1 项；报名截止 9 月 18 日。"
    "拔河、迎面接力每队 10 人（女子不少于 2 人），乒乓球、羽毛球单打抽签定号，三局两胜淘汰。"
)


def fill(count: int) -> Unit:
    """A district → school → grade group tree; ``count`` events owned by the school."""
    district = Unit.create_child("海城区总工会", None, kind="district")
    school = Unit.create_child("海城实验中学工会", district, kind="grassroots")
    group = Unit.create_child("初一年级组", school, kind="department")
    now = utcnow().replace(microsecond=0)
    first = now - timedelta(days=80)
    step = timedelta(days=460) / max(count, 1)
    rows = []
    for n in range(count):
        start = first + step * n
        all_day = n % 10 == 0
        rows.append({
            "activity_type": "general", "title": f"第{n}场 教职工趣味运动会：定点投篮，跳绳",
            "description": DESCRIPTION, "unit": school.id, "venue": "学校体育馆（东区）, 二楼",
            "timezone": "Asia/Shanghai", "starts_at": start,
            "ends_at": start + (timedelta(days=1, hours=8) if all_day else timedelta(hours=3)),
            "all_day": all_day, "status": "cancelled" if n % 50 == 0 else "published",
            "cancelled_at": now - timedelta(days=1) if n % 50 == 0 else None,
            "reminder_minutes": 30 if n % 3 == 0 else None, "sequence": n % 4, "settings": {},
            "fee": Decimal("0.00"), "created_at": now - timedelta(days=100), "updated_at": now - timedelta(minutes=n),
        })
    with db.atomic():
        for start in range(0, len(rows), 500):
            Event.insert_many(rows[start:start + 500]).execute()
    return group


CPU: dict[str, float] = {}  # minimum CPU time (ms) per case: steadier than wall time on a loaded machine


def timed(run: Callable[[], object], repeat: int, case: str = "") -> tuple[float, float]:
    """(median, minimum) in milliseconds over ``repeat`` runs after one warm-up."""
    run()
    samples = []
    cpu = []
    for _ in range(repeat):
        start, began = time.perf_counter(), time.process_time()
        run()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - began) * 1000)
    if case:
        CPU[case] = min(cpu)
    return statistics.median(samples), min(samples)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default="", help="default: a new SQLite file")
    parser.add_argument("--smoke", action="store_true", help="200 events, 2 runs")
    args = parser.parse_args(argv)
    if args.smoke:
        args.events, args.repeat = 200, 2

    folder = Path(tempfile.mkdtemp(prefix="hd-bench-feeds-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                      "DATA_KEY": "bench", "BASE_URL": "https://huodong.example.org"})
    with app.app_context():
        if url.startswith("postgres"):
            with db.connection_context():
                db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            group = fill(args.events)

    client = app.test_client()
    path = f"/units/{group.id}/calendar.ics"
    first = client.get(path)
    assert first.status_code == 200, first.status_code
    etag = first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

    with app.test_request_context():
        db.connect(reuse_if_open=True)
        feed = feeds.unit_feed(group, rows=True)
        items = feeds.event_items(feed.rows)
        params = feed.params
        pure, pure_min = timed(lambda: build_calendar(items, **params), args.repeat, "pure")
        keys, keys_min = timed(lambda: feeds.unit_validators(group).etag, args.repeat)
        db.close()

    full, full_min = timed(lambda: client.get(path), args.repeat, "full")
    not_modified, nm_min = timed(lambda: client.get(path, headers={"If-None-Match": etag}), args.repeat)
    floor, floor_min = timed(lambda: client.get("/units/0/calendar.ics"), args.repeat)  # 404: no feed work

    events = len(items)
    components = sum(1 + len(i.extra) for i in items)
    print(f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}; "
          f"unit feed of {events} events ({components} components, {len(first.get_data()) / 1e6:.2f} MB); "
          f"median (min) of {args.repeat} runs")
    print(f"  build_calendar (pure, baseline)      {pure:8.2f} ms ({pure_min:.2f})")
    print(f"  GET full feed through the app        {full:8.2f} ms ({full_min:.2f})   "
          f"{full / pure:5.2f} x build_calendar   target < 500 ms")
    print(f"  GET with If-None-Match (304)         {not_modified:8.2f} ms ({nm_min:.2f})   "
          f"{not_modified / pure:5.3f} x build_calendar, {full / not_modified:6.1f} times faster than full"
          f"   target < 5 ms")
    print(f"  ETag from the units' stamps, no HTTP {keys:8.2f} ms ({keys_min:.2f})")
    print(f"  GET of an unknown unit (404), floor  {floor:8.2f} ms ({floor_min:.2f})   "
          f"the 304 costs {not_modified - floor:.2f} ms above the app's per-request floor")
    print(f"  CPU time (min): GET full feed {CPU['full']:.1f} ms, build_calendar {CPU['pure']:.1f} ms "
          f"({CPU['full'] / CPU['pure']:.2f}x)")
    figure(f"GET unit feed of {events} events", round(full, 1), "ms", baseline=round(pure, 1),
           target=None if args.smoke else 500,
           note=f"baseline: the pure build_calendar; CPU {CPU['full']:.0f} ms vs {CPU['pure']:.0f} ms")
    figure("304 answer", round(not_modified, 2), "ms", baseline=round(floor, 2), target=None if args.smoke else 5,
           note="baseline: the app's 404 floor")


if __name__ == "__main__":
    main()
