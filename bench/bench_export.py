"""The member roster export (``GET /members/export.xlsx``) at county size: time and peak memory.

For each size a fresh process builds a database holding that many members (bulk inserts: a county
federation with 100 grassroots unions of 10 departments each, ID numbers encrypted as the app
stores them), then another fresh process creates the app, notes its peak RSS (``VmHWM``) as the
baseline, and downloads the roster through the Flask test client as an admin, reading the body as
a browser would. Printed per size: seconds, rows per second, the file's size, peak RSS and what
the export added to it. The file is read back (its header and its row count) to show it is whole.
Targets: 200,000 members in under 60 s and under 200 MB of peak RSS.

    python bench/bench_export.py                        10,000, 50,000 and 200,000 members (SQLite)
    python bench/bench_export.py --rows 5000 10000      other sizes
    python bench/bench_export.py --smoke                2,000 members (CI)
    HUODONG_BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432/hd_bench python bench/bench_export.py
                                                        on that PostgreSQL database (its tables are DROPPED)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from report import figure, load_average  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_MB = 200.0
TARGET_ROWS = 200_000
SIZES = (10_000, 50_000, 200_000)
SMOKE_SIZES = (2_000,)
GROUPS = ("初一年级组", "初二年级组", "初三年级组", "高一年级组", "高二年级组", "高三年级组", "行政后勤组",
          "体育组", "艺术组", "信息组")
CHUNK = 2_000


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def make_app(url: str, instance: Path):
    from core.app import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "SECRET_KEY": "bench",
                       "DATA_KEY": "bench-data-key", "BASE_URL": "https://huodong.example.org"})


def build(url: str, instance: Path, rows: int) -> None:
    """A fresh database: the county's unit tree, ``rows`` members spread over it, one admin account."""
    import random
    from datetime import date, timedelta

    from core import privacy
    from core.db import db
    from core.demo import GIVEN_F, GIVEN_M, SURNAMES
    from core.migrate import migrate
    from core.models import Member, Unit
    from core.services.accounts import create_account

    app = make_app(url, instance)
    rng = random.Random(2025)
    with app.app_context():
        if url.startswith("postgres"):
            with db.connection_context():
                db.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            county = Unit.create_child("海城县总工会", None, kind="district")
            groups = []
            for school in range(100):
                union = Unit.create_child(f"第{school + 1}基层工会", county, kind="grassroots")
                groups += [Unit.create_child(name, union, kind="department").id for name in GROUPS]
            create_account("bench-admin", "bench-pass-1", roles=("admin",))
            batch = []
            for n in range(rows):
                birth = date(1965, 1, 1) + timedelta(days=n // 1000 * 13)  # unique with the 3-digit sequence
                male = n % 2 == 1  # the sequence's last digit: odd for men
                first17 = f"440402{birth:%Y%m%d}{n % 1000:03d}"
                id_number = first17 + privacy.id_check_char(first17)
                batch.append({
                    "name": rng.choice(SURNAMES) + rng.choice(GIVEN_M if male else GIVEN_F),
                    "gender": "M" if male else "F", "staff_no": f"C{n:07d}", "unit": groups[n % len(groups)],
                    "phone": f"139{n:08d}", "id_number": id_number, "id_hash": privacy.keyed_hash(id_number),
                    "birth_date": birth, "job": "教师" if n % 7 else "=行政",
                    "dues_paid_until": date(2026, 12, 31) if n % 10 else None,
                })
                if len(batch) == CHUNK or n == rows - 1:
                    with db.atomic():
                        Member.insert_many(batch).execute()
                    batch = []
    close_pool()


def close_pool() -> None:
    from core.db import db

    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def export(url: str, instance: Path, out: Path) -> dict:
    """Download the roster as the admin; the figures of that one request."""
    import secrets

    from core import sessions
    from core.db import db
    from core.models import Account, LoginSession

    app = make_app(url, instance)
    client = app.test_client()
    with app.app_context(), db.connection_context():
        key = secrets.token_urlsafe(32)
        account = Account.get(Account.username == "bench-admin")
        LoginSession.create(key_hash=sessions.key_hash(key), account=account)
    with client.session_transaction() as session:
        session[sessions.KEY], session["sv"] = key, account.session_version
    client.get("/")  # the first request pays for the app's lazy set-up, not the export
    baseline = peak_mb()
    started = time.perf_counter()
    response = client.get("/members/export.xlsx", buffered=False)
    assert response.status_code == 200, response.status_code
    size = 0
    with out.open("wb") as sink:
        for chunk in response.response:
            sink.write(chunk)
            size += len(chunk)
    response.close()
    seconds = time.perf_counter() - started
    peak = peak_mb()
    close_pool()
    return {"seconds": seconds, "bytes": size, "baseline_mb": baseline, "peak_mb": peak}


def count_rows(path: Path) -> tuple[list, int]:
    """The header and the number of rows of the downloaded file, read back with openpyxl."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = list(next(rows))
    count = sum(1 for _row in rows)
    wb.close()
    return header, count


def child(args) -> None:
    instance, url = Path(args.instance), args.url
    if args.child == "build":
        started = time.perf_counter()
        build(url, instance, args.child_rows)
        print(json.dumps({"seconds": time.perf_counter() - started}))
    else:
        print(json.dumps(export(url, instance, Path(args.out))))


def run_child(*extra: str) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    if done.returncode:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(done.returncode)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(rows: int, url: str, tmp: Path) -> dict:
    instance = tmp / f"instance-{rows}"
    instance.mkdir(exist_ok=True)
    out = tmp / f"roster-{rows}.xlsx"
    built = run_child("--child", "build", "--child-rows", str(rows), "--url", url, "--instance", str(instance))
    figures = run_child("--child", "export", "--url", url, "--instance", str(instance), "--out", str(out))
    figures["build_seconds"] = built["seconds"]
    if rows <= 50_000:  # reading back 200,000 rows takes longer than writing them
        header, count = count_rows(out)
        assert header[:3] == ["姓名", "性别", "工号"] and count == rows, (header, count)
    out.unlink()
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2,000 members (CI)")
    parser.add_argument("--rows", type=int, nargs="+", help="the sizes to export")
    parser.add_argument("--child", choices=("build", "export"), help=argparse.SUPPRESS)
    parser.add_argument("--child-rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0
    sizes = args.rows or (SMOKE_SIZES if args.smoke else SIZES)
    pg_url = os.environ.get("HUODONG_BENCH_PG_URL")
    missed = []
    with tempfile.TemporaryDirectory(prefix="scale-bench-export-") as tmp:
        tmp = Path(tmp)
        url = pg_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        print(f"roster export through GET /members/export.xlsx, {'PostgreSQL' if pg_url else 'SQLite'}; "
              f"load average {load_average()}")
        print(f"{'members':>9}{'build s':>9}{'export s':>10}{'rows/s':>9}{'file KB':>9}{'app MB':>8}{'peak MB':>9}")
        for rows in sizes:
            if not pg_url:
                Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
            f = measure(rows, url, tmp)
            print(f"{rows:>9,}{f['build_seconds']:>9.1f}{f['seconds']:>10.2f}{rows / f['seconds']:>9,.0f}"
                  f"{f['bytes'] // 1024:>9,}{f['baseline_mb']:>8.1f}{f['peak_mb']:>9.1f}", flush=True)
            judged = rows >= TARGET_ROWS and not args.smoke
            ok = figure(f"roster export, {rows:,} members", round(f["seconds"], 2), "s",
                        target=TARGET_SECONDS if judged else None)
            ok &= figure(f"peak RSS exporting {rows:,} members", round(f["peak_mb"], 1), "MB",
                         baseline=round(f["baseline_mb"], 1), target=TARGET_MB if judged else None,
                         note="baseline: the app's process before the export")
            if not ok:
                missed.append(f"{rows:,}")
    if not args.smoke and TARGET_ROWS in sizes:
        print(f"target: {TARGET_ROWS:,} members in under {TARGET_SECONDS:.0f} s and {TARGET_MB:.0f} MB: "
              + ("missed" if missed else "met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
