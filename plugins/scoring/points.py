"""Placings to points, team totals, team ranking, yearly activity points per unit.

Points tables list the points for place 1, 2, 3, ...; places beyond the table score 0.
A shared place scores that place's points for everyone (rule ``share``), or, when
the placing was decided by ``share_split``, the points of the places it covers are
added and split evenly (two decimals, ROUND_HALF_UP).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from plugins.scoring.measures import (
    EntryId,
    MeasureKind,
    Result,
    ResultStatus,
    TeamId,
    id_order,
    quick_result,
    to_decimal,
)
from plugins.scoring.ranking import DecidedBy, Placing, TieRule, rank

__all__ = [
    "COLLECTIVE_POINTS",
    "EIGHT_GROUP_POINTS",
    "INDIVIDUAL_POINTS",
    "PointsTable",
    "UnitPoints",
    "place_counts",
    "placing_points",
    "points_table",
    "rank_teams",
    "team_totals",
    "yearly_points",
]

PointsTable = tuple[Decimal, ...]
_ZERO = Decimal(0)
_TWO_PLACES = Decimal("0.01")


def points_table(*points: int | str | Decimal) -> PointsTable:
    """A points table from the points of place 1, 2, 3, ... (non-increasing, not negative)."""
    table = tuple(to_decimal(p, "points") for p in points)
    if any(p < 0 for p in table) or any(a < b for a, b in pairwise(table)):
        raise ValueError("a points table must not increase and must not be negative")
    return table


INDIVIDUAL_POINTS = points_table(3, 2, 1)
COLLECTIVE_POINTS = points_table(5, 3, 1)
EIGHT_GROUP_POINTS = points_table(10, 9, 8, 7, 6, 5, 4, 3)


def _covered(values: Sequence[Decimal], place: int, tied: int) -> list[Decimal]:
    return list(values[place - 1 : place - 1 + tied])


def placing_points(placings: Iterable[Placing], table: PointsTable) -> dict[EntryId, Decimal]:
    """Points per placed entry (entries without a place or beyond the table are left out)."""
    out: dict[EntryId, Decimal] = {}
    size = len(table)
    for p in placings:
        place = p.place
        if place is None or place > size:
            continue
        if p.decided_by is DecidedBy.SPLIT and p.tied > 1:
            share = sum(_covered(table, place, p.tied), _ZERO) / p.tied
            points = share.quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)
        else:
            points = table[place - 1]
        if points:
            out[p.entry] = points
    return out


def team_totals(
    awards: Iterable[tuple[TeamId, Decimal]], teams: Iterable[TeamId] = ()
) -> dict[TeamId, Decimal]:
    """Sum of points per team; every team in ``teams`` appears, with 0 if it scored nothing."""
    totals: dict[TeamId, Decimal] = dict.fromkeys(teams, _ZERO)
    for team, points in awards:
        totals[team] = totals.get(team, _ZERO) + points
    return totals


def place_counts(
    placings: Iterable[tuple[TeamId, Placing]], depth: int = 3
) -> dict[TeamId, tuple[int, ...]]:
    """How many 1st, 2nd, ... ``depth``-th places each team won (for countback)."""
    counts: dict[TeamId, list[int]] = {}
    for team, placing in placings:
        row = counts.get(team)
        if row is None:
            row = counts[team] = [0] * depth
        place = placing.place
        if place is not None and place <= depth:
            row[place - 1] += 1
    return {team: tuple(row) for team, row in counts.items()}


def rank_teams(
    totals: Mapping[TeamId, Decimal],
    tie_rule: TieRule = TieRule.SHARE,
    *,
    countback: Mapping[TeamId, Sequence[int]] | None = None,
) -> tuple[Placing, ...]:
    """Rank teams on their total points, higher first.

    With ``TieRule.COUNTBACK`` equal totals are separated by ``countback`` (usually
    :func:`place_counts`: more first places first, then more second places, ...).
    ``first_to_reach`` makes no sense for totals and raises ``ValueError``.
    """
    if tie_rule is TieRule.FIRST_TO_REACH:
        raise ValueError("team totals cannot be separated by who reached them first")
    if tie_rule is TieRule.COUNTBACK and countback is None:
        raise ValueError("the countback rule needs the countback figures")
    ok = ResultStatus.OK
    results = [
        (quick_result if isinstance(total, Decimal) else Result)(
            team,
            total,
            ok,
            None,
            tuple(Decimal(c) for c in countback.get(team, ())) if countback else (),
        )
        for team, total in totals.items()
    ]
    return rank(results, MeasureKind.COUNT, tie_rule)


@dataclass(frozen=True, slots=True)
class UnitPoints:
    """A unit's yearly activity points (工会活动积分), per event and in all."""

    unit: TeamId
    total: Decimal
    by_event: tuple[tuple[str, Decimal], ...]
    place: int


def yearly_points(events: Mapping[str, Mapping[TeamId, Decimal]]) -> tuple[UnitPoints, ...]:
    """Add up each unit's points over the year's events and place the units (ties shared).

    ``events`` maps an event's name or id to that event's points per unit, in the
    order the events took place. The answer lists units best first.
    """
    by_unit: dict[TeamId, list[tuple[str, Decimal]]] = {}
    for event, points in events.items():
        for unit, value in points.items():
            by_unit.setdefault(unit, []).append((event, value))
    totals = {unit: sum((v for _, v in rows), _ZERO) for unit, rows in by_unit.items()}
    placings = rank_teams(totals)
    return tuple(
        UnitPoints(p.entry, totals[p.entry], tuple(by_unit[p.entry]), p.place or 0)
        for p in sorted(placings, key=lambda p: (p.place or 0, id_order(p.entry)))
    )
