"""Run every benchmark in bench/ and print one table of their figures.

    python bench/run.py            the full runs (several minutes on 2 cores)
    python bench/run.py --smoke    small data, a few seconds each: shows they still run (CI)
    python bench/run.py checkin    only the benchmarks whose name contains "checkin"

Each benchmark is a script ``bench/bench_*.py`` that accepts ``--smoke`` and prints its figures.
Lines ``result: {json}`` (written by :func:`report.figure`) become rows of one table: case,
figure, baseline, ratio, target and PASS/FAIL; other ``result:`` lines are shown as they are, and a
script without any shows its last lines. The load average is printed before and after: on a shared
machine the figures depend on it, and the baselines are measured in the same run for that reason.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(pattern: str | None) -> list[Path]:
    return [p for p in sorted(HERE.glob("bench_*.py")) if not pattern or pattern in p.stem]


def run_one(script: Path, smoke: bool) -> tuple[int, float, list[str]]:
    command = [sys.executable, str(script)] + (["--smoke"] if smoke else [])
    begin = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
    elapsed = time.perf_counter() - begin
    output = completed.stdout.splitlines()
    sys.stdout.write(completed.stdout)
    if completed.returncode:
        sys.stdout.write(completed.stderr[-3000:])
    return completed.returncode, elapsed, output


def _number(value) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}" if isinstance(value, float) and abs(value) < 100 else f"{value:,.0f}" \
        if isinstance(value, float) else str(value)


def row_of(script: str, line: str) -> tuple[str, ...]:
    """One table row from a ``result:`` line: JSON from report.figure, or free text."""
    text = line.split(":", 1)[1].strip()
    try:
        data = json.loads(text)
    except ValueError:
        return (script, text, "", "", "", "")
    value, baseline, target = data["value"], data.get("baseline"), data.get("target")
    unit = data.get("unit", "")
    ratio = f"{value / baseline:.2f}x" if baseline else ""
    sign = ">=" if data.get("higher_is_better") else "<="
    verdict = {True: "PASS", False: "FAIL", None: "-"}[data.get("passed")]
    return (f"{script}: {data['case']}", f"{_number(value)} {unit}".strip(),
            f"{_number(baseline)}" if baseline is not None else "", ratio,
            f"{sign} {_number(target)}" if target is not None else "", verdict)


def _load() -> str:
    try:
        return " ".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the huodong benchmarks.")
    parser.add_argument("pattern", nargs="?", help="only benchmarks whose name contains this")
    parser.add_argument("--smoke", action="store_true", help="small data: check that they run")
    args = parser.parse_args(argv)
    rows: list[tuple[str, ...]] = []
    failed = 0
    began = time.perf_counter()
    print(f"load average before: {_load()}")
    for script in discover(args.pattern):
        print(f"\n=== {script.stem}{' (smoke)' if args.smoke else ''}", flush=True)
        code, elapsed, output = run_one(script, args.smoke)
        failed += code != 0
        name = script.stem.removeprefix("bench_")
        results = [row_of(name, line) for line in output if line.startswith("result:")]
        if not results:
            results = [(name, line.strip(), "", "", "", "") for line in output[-2:]]
        status = "ok" if code == 0 else f"exit {code}"
        rows.append((f"{name} ({status}, {elapsed:.0f} s)", "", "", "", "", "" if code == 0 else "FAIL"))
        rows.extend(("  " + r[0].removeprefix(name + ": "), *r[1:]) for r in results)
    print("\n" + "=" * 100)
    print(f"load average after: {_load()}; {time.perf_counter() - began:.0f} s in all")
    header = ("case", "figure", "baseline", "ratio", "target", "verdict")
    table = [header, *(r for r in rows if any(r[1:]))]  # free text and headings do not set the widths
    widths = [max(len(r[i]) for r in table) for i in range(6)]
    for r in [header, *rows]:
        if not any(r[1:]):
            print(r[0])
            continue
        print("  ".join(cell[:widths[i]].ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                        for i, cell in enumerate(r)).rstrip())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
