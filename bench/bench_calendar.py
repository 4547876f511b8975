"""Time the calendar feed: build, the 304 path, and icalendar's serializer as a baseline.

Run from the repository root:

    python bench/bench_calendar.py [--events 5000] [--repeat 7]

Prints medians (and minima) in milliseconds; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import figure

from core.calendar import (
    FeedItem,
    _vtimezone,
    build_calendar,
    feed_etag,
    feed_keys,
    feed_last_modified,
    reference_calendar,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
DESCRIPTION = (
    "签到 8:00，开始 8:30。每人限报 3 项，其中 1–3 项必须报 1 项；"
    "报名截止 9 月 18 日。拔河、迎面接力每队 10 人（女子不少于 2 人），"
    "乒乓球、羽毛球单打抽签定号，三局两胜淘汰。"
)


def make_items(count: int) -> list[FeedItem]:
    """``count`` events as a union's year might hold them: mostly timed in Shanghai,
    every 10th all-day (outings), every 25th in Berlin, every 10th with two extras."""
    base = datetime(2024, 1, 8, 8, 30, tzinfo=SHANGHAI)
    stamp = datetime(2024, 1, 1, tzinfo=UTC)
    items: list[FeedItem] = []
    for n in range(count):
        start = base + timedelta(hours=7 * n)
        common = {
            "uid": f"event-{n}@huodong",
            "summary": f"第{n}场 教职工趣味运动会：定点投篮，跳绳",
            "location": "学校体育馆（东区）, 二楼",
            "url": f"https://huodong.example.org/events/{n}",
            "description": DESCRIPTION,
            "sequence": n % 4,
            "last_modified": stamp + timedelta(minutes=n),
            "created": stamp,
            "status": "CANCELLED" if n % 50 == 0 else "CONFIRMED",
            "alarm_minutes": 30 if n % 3 == 0 else None,
            "categories": ("体育", "教职工"),
        }
        if n % 10 == 0:
            day = start.date()
            extra = [
                FeedItem(uid=f"event-{n}-stop-{k}@huodong", summary=f"集合点 {k}：行政楼前",
                         start=start + timedelta(hours=k), end=start + timedelta(hours=k, minutes=30),
                         last_modified=stamp + timedelta(minutes=n))
                for k in (1, 2)
            ]
            items.append(FeedItem(**common, all_day=True, start=day,
                                  end=day + timedelta(days=1), extra=extra))
        elif n % 25 == 0:
            local = start.astimezone(BERLIN)
            items.append(FeedItem(**common, tz="Europe/Berlin", start=local,
                                  end=local + timedelta(hours=2)))
        else:
            items.append(FeedItem(**common, start=start, end=start + timedelta(hours=2)))
    return items


def measure(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, min) wall time in milliseconds."""
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        function()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="500 events, 2 repeats")
    args = parser.parse_args()
    if args.smoke:
        args.events, args.repeat = 500, 2
    params = {"name": "校工会活动", "description": "全部活动", "method": "PUBLISH"}

    begin = time.perf_counter()
    items = make_items(args.events)
    made = (time.perf_counter() - begin) * 1000
    components = sum(1 + len(item.extra) for item in items)
    print(f"{args.events} events ({components} VEVENTs incl. extras), "
          f"Python {sys.version.split()[0]}, median/min of {args.repeat}")
    print(f"  make_items (data + FeedItem checks) {made:8.1f} ms (once)")

    _vtimezone.cache_clear()
    begin = time.perf_counter()
    feed = build_calendar(items, **params)
    cold = (time.perf_counter() - begin) * 1000
    print(f"  build_calendar, cold VTIMEZONE cache {cold:8.1f} ms  ({len(feed) / 1e6:.2f} MB)")
    built, built_min = measure(lambda: build_calendar(items, **params), args.repeat)
    print(f"  build_calendar                      {built:8.1f} ms  (min {built_min:.1f})")
    etag, etag_min = measure(lambda: feed_etag(items, **params), args.repeat * 3)
    print(f"  feed_etag (304 path)                {etag:8.2f} ms  (min {etag_min:.2f})")
    keys = feed_keys(items)
    by_keys, by_keys_min = measure(lambda: feed_etag(keys, **params), args.repeat * 3)
    print(f"  feed_etag from key tuples           {by_keys:8.2f} ms  (min {by_keys_min:.2f})")
    last, last_min = measure(lambda: feed_last_modified(items), args.repeat * 3)
    print(f"  feed_last_modified                  {last:8.2f} ms  (min {last_min:.2f})")

    dicts, _ = measure(
        lambda: [{"uid": i.uid, "summary": i.summary, "start": i.start.isoformat(),
                  "end": i.end.isoformat()} for i in items],
        args.repeat,
    )
    print(f"  baseline: list of {args.events} dicts            {dicts:8.1f} ms")
    reference, _ = measure(lambda: reference_calendar(items, **params).to_ical(), 1)
    print(f"  baseline: icalendar objects + to_ical {reference:8.1f} ms (1 run)")
    smoke = "--smoke" in sys.argv
    figure(f"build_calendar of {args.events} events", round(built, 1), "ms", baseline=round(reference, 1),
           target=None if smoke else 500, note="baseline: icalendar's own objects and serializer")
    # A unit feed's 304 reads its units' change stamps (bench_feeds.py times it through the app, target
    # 5 ms); feed_etag over the items serves event and personal feeds, a few dozen items each.
    figure(f"feed_etag over {args.events} items (event and personal feeds' 304 path)", round(etag, 2), "ms")
    print(f"  icalendar / build_calendar = {reference / built:.1f}x; "
          f"build_calendar / dicts = {built / dicts:.1f}x; build / etag = {built / etag:.0f}x")


if __name__ == "__main__":
    main()
