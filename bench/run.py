"""Run every benchmark in bench/ and print one table of their figures.

    python bench/run.py            the full runs (several minutes on 2 cores)
    python bench/run.py --smoke    small data, a few seconds each: shows they still run (CI)
    python bench/run.py checkin    only the benchmarks whose name contains "checkin"

Each benchmark is a script ``bench/bench_*.py`` that accepts ``--smoke`` and prints its figures;
lines starting with ``result:`` are collected into the table (otherwise its last lines are shown).
"""

from __future__ import annotations

import argparse
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the huodong benchmarks.")
    parser.add_argument("pattern", nargs="?", help="only benchmarks whose name contains this")
    parser.add_argument("--smoke", action="store_true", help="small data: check that they run")
    args = parser.parse_args(argv)
    rows = []
    failed = 0
    for script in discover(args.pattern):
        print(f"\n=== {script.stem}{' (smoke)' if args.smoke else ''}", flush=True)
        code, elapsed, output = run_one(script, args.smoke)
        failed += code != 0
        results = [line.split(":", 1)[1].strip() for line in output if line.startswith("result:")]
        rows.append((script.stem.removeprefix("bench_"), "ok" if code == 0 else f"FAILED ({code})",
                     f"{elapsed:.1f}s", results or output[-2:]))
    print("\n" + "=" * 78)
    print(f"{'benchmark':<18} {'status':<12} {'wall':>7}  figures")
    for name, status, wall, results in rows:
        print(f"{name:<18} {status:<12} {wall:>7}  {results[0] if results else ''}")
        for line in results[1:]:
            print(f"{'':<18} {'':<12} {'':>7}  {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
