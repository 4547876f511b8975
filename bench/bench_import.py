"""Roster import at scale: a 10,000-row 会员名册 through ``huodong import-members``.

    python bench/bench_import.py                 10,000 rows into a fresh SQLite database
    python bench/bench_import.py --smoke         a few hundred rows (CI)
    HUODONG_BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432/hd_bench python bench/bench_import.py
                                                 also into that PostgreSQL database (its tables are DROPPED)

The roster is realistic: two schools with the same grade-group names (so units are written as
paths), ID numbers with their check characters, phones, posts and dues dates. The import runs
through the command's own code (click's runner, in this process), first into an empty roster,
then again with nothing changed. The baseline, measured in the same run, is only reading the
same file with openpyxl; the ratio says what checking and writing cost on top of that. Lines
starting with ``result:`` are what ``bench/run.py`` collects into its table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import figure  # noqa: E402

TARGET_SECONDS = 8.0


def make_roster(path: Path, rows: int) -> None:
    """Write a roster of ``rows`` members to ``path`` as Excel does (shared strings, a dimension)."""
    import random

    from openpyxl import Workbook

    from core import privacy
    from core.demo import GIVEN_F, GIVEN_M, GRADE_GROUPS, SURNAMES
    from core.services.member_import import HEADERS

    rng = random.Random(2024)
    wb = Workbook()
    ws = wb.active
    ws.title = "会员名册"
    ws.append(list(HEADERS))
    schools = ["海城实验中学工会", "海城第二中学工会"]
    for i in range(rows):
        male = rng.random() < 0.45
        birth = date(1965, 1, 1) + timedelta(days=(i // 100) * 97 % 12000)
        first17 = f"440402{birth:%Y%m%d}{i % 100:02d}{rng.choice('13579' if male else '02468')}"
        ws.append([
            rng.choice(SURNAMES) + rng.choice(GIVEN_M if male else GIVEN_F),
            "男" if male else "女",
            f"H{i:06d}",
            f"{schools[i % 2]}/{GRADE_GROUPS[i % len(GRADE_GROUPS)]}",
            f"139{i:08d}",
            first17 + privacy.id_check_char(first17),
            "教师" if i % 7 else "行政",
            date(2025, 12, 31) if i % 10 else "2024-12",
        ])
    wb.save(path)


def read_baseline(path: Path) -> float:
    from openpyxl import load_workbook

    started = time.perf_counter()
    wb = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert count > 1
    return time.perf_counter() - started


def fresh_database(url: str, instance: Path) -> None:
    """Migrate an empty database and add the union tree the roster names."""
    from core.app import create_app
    from core.db import db
    from core.demo import GRADE_GROUPS, build_units
    from core.migrate import migrate
    from core.models import Unit

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "DATA_KEY": "bench-data-key"})
    with app.app_context():
        if url.startswith("postgres"):
            with db.connection_context():
                db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            units = build_units()
            second = Unit.create_child("海城第二中学工会", units["street"], kind="grassroots")
            for name in GRADE_GROUPS:
                Unit.create_child(name, second, kind="department")
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def import_through_cli(url: str, instance: Path, roster: Path, rows: int) -> tuple[float, str]:
    from click.testing import CliRunner

    from core.cli import cli

    env = {"HUODONG_DATABASE_URL": url, "HUODONG_INSTANCE_PATH": str(instance), "HUODONG_DATA_KEY": "bench-data-key"}
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["import-members", str(roster)], env=env, catch_exceptions=False)
    seconds = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"import failed:\n{result.output[-2000:]}")
    return seconds, result.output.strip().splitlines()[-1]


def check_database(rows: int) -> None:
    """The members are all there and an encrypted ID number reads back."""
    from core import privacy
    from core.db import db
    from core.models import Member

    with db.connection_context():
        assert Member.select().count() == rows, Member.select().count()
        member = Member.get(Member.staff_no == "H000000")
        assert privacy.is_valid_id_number(member.id_number)
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a few hundred rows, for CI")
    parser.add_argument("--rows", type=int, default=None)
    args = parser.parse_args(argv)
    rows = args.rows or (300 if args.smoke else 10000)

    with tempfile.TemporaryDirectory(prefix="huodong-bench-import-") as tmp:
        tmp = Path(tmp)
        roster = tmp / "roster.xlsx"
        make_roster(roster, rows)
        baseline = read_baseline(roster)
        targets = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
        if os.environ.get("HUODONG_BENCH_PG_URL"):
            targets.append(("PostgreSQL", os.environ["HUODONG_BENCH_PG_URL"]))

        print(f"roster import: {rows} rows, {roster.stat().st_size // 1024} KB xlsx, 2 schools with the same group names")
        print(f"{'case':<42}{'seconds':>9}{'ratio':>9}")
        print(f"{'baseline: read the xlsx with openpyxl':<42}{baseline:>9.2f}{1:>8.1f}x")
        slow = []
        results = []
        for name, url in targets:
            instance = tmp / f"instance-{name}"
            fresh_database(url, instance)
            for case in ("new", "unchanged"):
                seconds, summary = import_through_cli(url, instance, roster, rows)
                print(f"{name + ': import-members (' + case + ')':<42}{seconds:>9.2f}{seconds / baseline:>8.1f}x"
                      f"   {summary}")
                results.append((f"import {rows} rows, {name}, {case}", seconds))
                if seconds > TARGET_SECONDS and not args.smoke:
                    slow.append(f"{name} {case}")
            check_database(rows)
        for case, seconds in results:
            figure(case, round(seconds, 2), "s", baseline=round(baseline, 2),
                   target=None if args.smoke else TARGET_SECONDS, note="baseline: reading the xlsx with openpyxl")
        if not args.smoke:
            print(f"target: under {TARGET_SECONDS:.0f} s for 10,000 rows: " + ("missed by " + ", ".join(slow) if slow else "met"))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
