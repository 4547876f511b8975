"""Judged items: weighted criteria, a panel's trimmed mean, judges' deviations, blind numbers.

A judge gives each entry a mark per criterion (0–100 unless stated); the judge's
score is the weighted mean of those marks. The panel's score is the mean of the
judges' scores after dropping the highest and lowest (去掉最高分、最低分), to two
decimals, ROUND_HALF_UP. Every judge's mark is kept for display.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from plugins.scoring.measures import EntryId, id_order, to_decimal

__all__ = [
    "Criterion",
    "JudgeDeviation",
    "JudgeId",
    "PanelScore",
    "blind_numbers",
    "judge_deviations",
    "panel_score",
    "score_entry",
    "weighted_score",
]

JudgeId = str | int
TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)


def _two(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One judging criterion (e.g. 笔法 weight 30) with its mark range 0..``max_mark``."""

    name: str
    weight: Decimal
    max_mark: Decimal = HUNDRED

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", to_decimal(self.weight, "weight"))
        object.__setattr__(self, "max_mark", to_decimal(self.max_mark, "max_mark"))
        if self.weight <= 0:
            raise ValueError(f"criterion {self.name!r} needs a positive weight")


def weighted_score(marks: Mapping[str, Decimal | int | str], criteria: Sequence[Criterion]) -> Decimal:
    """One judge's score: marks per criterion weighted by the criteria's weights.

    With weights 30/30/20/20 and marks 90/80/70/60 the score is 77.00. Every criterion
    needs a mark within its range and no other mark is allowed (``ValueError``).
    """
    names = {c.name for c in criteria}
    extra = set(marks) - names
    if extra:
        raise ValueError(f"marks for unknown criteria: {sorted(extra)}")
    if not criteria:
        raise ValueError("no criteria")
    total_weight = sum((c.weight for c in criteria), Decimal(0))
    total = Decimal(0)
    for criterion in criteria:
        if criterion.name not in marks:
            raise ValueError(f"no mark for {criterion.name!r}")
        mark = to_decimal(marks[criterion.name], "mark")
        if not 0 <= mark <= criterion.max_mark:
            raise ValueError(
                f"mark {mark} for {criterion.name!r} is outside 0–{criterion.max_mark}"
            )
        total += mark * criterion.weight
    return _two(total / total_weight)


@dataclass(frozen=True, slots=True)
class PanelScore:
    """A panel's score for one entry.

    ``marks`` keeps every judge's score in the judges' order; ``dropped_high`` and
    ``dropped_low`` name the judges whose scores were left out; ``note`` says why
    nothing was dropped when the panel was too small.
    """

    marks: tuple[tuple[JudgeId, Decimal], ...]
    dropped_high: tuple[JudgeId, ...]
    dropped_low: tuple[JudgeId, ...]
    score: Decimal
    note: str = ""

    @property
    def kept(self) -> tuple[tuple[JudgeId, Decimal], ...]:
        """The judges' scores that count towards the mean."""
        dropped = set(self.dropped_high) | set(self.dropped_low)
        return tuple((j, m) for j, m in self.marks if j not in dropped)

    def deviations(self) -> dict[JudgeId, Decimal]:
        """Each judge's score minus the panel score (positive: more generous)."""
        return {judge: mark - self.score for judge, mark in self.marks}


def panel_score(
    marks: Mapping[JudgeId, Decimal | int | str], drop_high: int = 1, drop_low: int = 1
) -> PanelScore:
    """Mean of the judges' scores after dropping the ``drop_high`` highest and ``drop_low`` lowest.

    With no more judges than would be dropped, nothing is dropped and ``note`` says so.
    Among equal scores the judge listed first is dropped first (the mean is the same
    either way). The score has two decimals, ROUND_HALF_UP.
    """
    if drop_high < 0 or drop_low < 0:
        raise ValueError("cannot drop a negative number of scores")
    if not marks:
        raise ValueError("no judge has scored this entry")
    listed = tuple((judge, to_decimal(mark, "mark")) for judge, mark in marks.items())
    note = ""
    high: tuple[JudgeId, ...] = ()
    low: tuple[JudgeId, ...] = ()
    if len(listed) <= drop_high + drop_low:
        if drop_high or drop_low:
            note = (
                f"评委仅{len(listed)}人，未去掉最高分和最低分"
                f"（需多于{drop_high + drop_low}人）"
            )
        kept = [m for _, m in listed]
    else:
        # Among equal scores the judge listed first is dropped first.
        lowest = sorted(range(len(listed)), key=lambda i: (listed[i][1], i))
        low_idx = lowest[:drop_low]
        highest = sorted(range(len(listed)), key=lambda i: (-listed[i][1], i))
        high_idx = [i for i in highest if i not in low_idx][:drop_high]
        high = tuple(listed[i][0] for i in high_idx)
        low = tuple(listed[i][0] for i in low_idx)
        gone = set(high_idx) | set(low_idx)
        kept = [m for i, (_, m) in enumerate(listed) if i not in gone]
    score = _two(sum(kept, Decimal(0)) / len(kept))
    return PanelScore(listed, high, low, score, note)


def score_entry(
    sheets: Mapping[JudgeId, Mapping[str, Decimal | int | str]],
    criteria: Sequence[Criterion],
    drop_high: int = 1,
    drop_low: int = 1,
) -> PanelScore:
    """Panel score of one entry from each judge's marks per criterion."""
    return panel_score(
        {judge: weighted_score(sheet, criteria) for judge, sheet in sheets.items()},
        drop_high,
        drop_low,
    )


@dataclass(frozen=True, slots=True)
class JudgeDeviation:
    """How far a judge's scores lie from the panel scores, over the entries he scored."""

    judge: JudgeId
    entries: int
    mean: Decimal  # signed: positive means generous
    mean_abs: Decimal
    max_abs: Decimal


def judge_deviations(scores: Iterable[PanelScore]) -> tuple[JudgeDeviation, ...]:
    """Each judge's deviation from the panel score, largest mean absolute deviation first.

    Use it to spot an outlier judge; figures have two decimals.
    """
    sums: dict[JudgeId, list[Decimal]] = {}
    for panel in scores:
        for judge, deviation in panel.deviations().items():
            sums.setdefault(judge, []).append(deviation)
    out = []
    for judge, devs in sums.items():
        n = len(devs)
        absolute = [abs(d) for d in devs]
        out.append(
            JudgeDeviation(
                judge,
                n,
                _two(sum(devs, Decimal(0)) / n),
                _two(sum(absolute, Decimal(0)) / n),
                _two(max(absolute)),
            )
        )
    out.sort(key=lambda d: (-d.mean_abs, id_order(d.judge)))
    return tuple(out)


def blind_numbers(entries: Iterable[EntryId], seed: int | str, start: int = 1) -> dict[EntryId, int]:
    """Give each entry a blind number (盲评编号) ``start .. start + n - 1`` drawn from ``seed``.

    The same entries and seed always give the same numbers, whatever the input order.
    """
    ordered = sorted(set(entries), key=id_order)
    numbers = list(range(start, start + len(ordered)))
    random.Random(f"blind:{seed}").shuffle(numbers)
    return dict(zip(ordered, numbers, strict=True))
