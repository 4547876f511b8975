"""The figures a benchmark hands to ``bench/run.py``: one ``result:`` line of JSON per case.

    from report import figure
    figure("unit feed, 5,000 events", 312.4, "ms", baseline=180.2, target=500)

``run.py`` puts every case in one table (case, figure, baseline, ratio, target, PASS/FAIL). A case
passes when its figure is within the target (below it, or above it with ``higher_is_better``);
without a target it is shown without a verdict. Smoke runs (small data) report their figures but
are judged by running at all, not against the full-size targets.
"""

from __future__ import annotations

import json
import os


def load_average() -> str:
    """The machine's 1-minute load average (the figures depend on it on a shared machine)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def figure(case: str, value: float, unit: str, *, baseline: float | None = None, target: float | None = None,
           higher_is_better: bool = False, note: str = "") -> bool:
    """Print one result line; return whether the figure is within ``target`` (True without one)."""
    passed = None
    if target is not None:
        passed = value >= target if higher_is_better else value <= target
    line = {"case": case, "value": value, "unit": unit, "baseline": baseline, "target": target,
            "higher_is_better": higher_is_better, "passed": passed, "load": load_average(), "note": note}
    print("result: " + json.dumps(line, ensure_ascii=False), flush=True)
    return passed is not False
