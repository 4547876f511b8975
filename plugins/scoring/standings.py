"""Standings of an event: every item placed and scored, team totals, team ranking."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from plugins.scoring.measures import EntryId, MeasureKind, Result, ResultStatus, TeamId, quick_result
from plugins.scoring.points import (
    PointsTable,
    place_counts,
    placing_points,
    rank_teams,
    team_totals,
)
from plugins.scoring.prizes import PrizeTiers
from plugins.scoring.ranking import Placing, TieRule, rank

__all__ = ["Item", "ItemStanding", "Standings", "compute_standings"]


@dataclass(frozen=True, slots=True)
class Item:
    """An item of an event and how it is scored.

    ``collective`` items are entered by teams (拔河, 迎面接力); others by persons, whose
    points go to their team. A non-empty ``team_points`` also ranks the teams on the
    sum of their members' values (投篮 "也计集体名次得分"), with ``team_tie_rule``.
    ``prizes`` are the item's prize tiers in yuan (used by the payout).
    """

    code: str
    name: str
    kind: MeasureKind
    points: PointsTable = ()
    tie_rule: TieRule = TieRule.SHARE
    collective: bool = False
    prizes: PrizeTiers = ()
    team_points: PointsTable = ()
    team_tie_rule: TieRule = TieRule.SHARE
    countback_higher_wins: bool | None = None


@dataclass(frozen=True, slots=True)
class ItemStanding:
    """An item's placings and points, and its team ranking when it has one."""

    item: Item
    placings: tuple[Placing, ...]
    points: dict[EntryId, Decimal]
    team_placings: tuple[Placing, ...] = ()
    team_points: dict[TeamId, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Standings:
    """All items, each team's total points and the team ranking (团体总分)."""

    items: tuple[ItemStanding, ...]
    totals: dict[TeamId, Decimal]
    teams: tuple[Placing, ...]

    def item(self, code: str) -> ItemStanding:
        """The standing of the item with ``code``."""
        for standing in self.items:
            if standing.item.code == code:
                return standing
        raise KeyError(code)


def _team_results(
    results: Iterable[Result], team_of: Mapping[EntryId, TeamId], higher_wins: bool
) -> list[Result]:
    """One result per team: the sum of its members' values.

    Where higher wins (baskets) a member without a valid result adds nothing; where
    lower wins (times) he would make the sum look better, so his team gets no result.
    """
    sums: dict[TeamId, Decimal] = {}
    incomplete: set[TeamId] = set()
    for r in results:
        team = team_of.get(r.entry)
        if team is None:
            continue
        if r.status is ResultStatus.OK:
            sums[team] = sums.get(team, Decimal(0)) + r.value  # type: ignore[operator]
        else:
            sums.setdefault(team, Decimal(0))
            incomplete.add(team)
    ok, foul = ResultStatus.OK, ResultStatus.FOUL
    return [
        quick_result(team, None, foul, None, ())
        if team in incomplete and not higher_wins
        else quick_result(team, total, ok, None, ())
        for team, total in sums.items()
    ]


def compute_standings(
    items: Sequence[Item],
    results: Mapping[str, Sequence[Result]],
    team_of: Mapping[EntryId, TeamId],
    *,
    placed: Mapping[str, Sequence[Placing]] | None = None,
    teams: Iterable[TeamId] = (),
    team_tie_rule: TieRule = TieRule.SHARE,
) -> Standings:
    """Place every item, give points, add them up per team and rank the teams.

    ``results`` maps an item code to its results; ``placed`` gives ready placings
    (from a bracket, or an order the referees decided) and wins over ``results``.
    ``team_of`` maps a person to his team; a person with no team scores for no team.
    Every team in ``teams`` and in ``team_of`` is ranked, with 0 if it scored nothing.
    ``team_tie_rule`` separates equal totals; ``countback`` compares the numbers of
    1st, 2nd, 3rd ... places won (over items and item team rankings). O(n log n).
    """
    placed = placed or {}
    standings: list[ItemStanding] = []
    awards: list[tuple[TeamId, Decimal]] = []
    team_placings: list[tuple[TeamId, Placing]] = []
    depth = 1
    # The places each team won are only needed to separate equal totals by countback.
    countback = team_tie_rule is TieRule.COUNTBACK
    for item in items:
        if item.code in placed:
            placings = tuple(placed[item.code])
        else:
            item_results = results.get(item.code, ())
            placings = rank(item_results, item.kind, item.tie_rule,
                            countback_higher_wins=item.countback_higher_wins)
        points = placing_points(placings, item.points)
        depth = max(depth, len(item.points), len(item.team_points))
        if item.collective:
            if countback:
                team_placings += [(p.entry, p) for p in placings]
            awards += points.items()
        else:
            if countback:
                get = team_of.get
                team_placings += [(t, p) for p in placings if (t := get(p.entry)) is not None]
            awards += [(t, value) for entry, value in points.items() if (t := team_of.get(entry)) is not None]
        by_team: tuple[Placing, ...] = ()
        by_team_points: dict[TeamId, Decimal] = {}
        if item.team_points and not item.collective:
            team_results = _team_results(results.get(item.code, ()), team_of, item.kind.higher_wins)
            by_team = rank(team_results, item.kind, item.team_tie_rule)
            by_team_points = placing_points(by_team, item.team_points)
            awards.extend(by_team_points.items())
            if countback:
                team_placings.extend((p.entry, p) for p in by_team)
        standings.append(ItemStanding(item, placings, points, by_team, by_team_points))

    all_teams = dict.fromkeys(teams)
    all_teams.update(dict.fromkeys(team_of.values()))
    totals = team_totals(awards, all_teams)
    places_won = None
    if countback:
        counts = place_counts(team_placings, depth)
        places_won = {team: counts.get(team, (0,) * depth) for team in totals}
    ranking = rank_teams(totals, team_tie_rule, countback=places_won)
    return Standings(tuple(standings), totals, ranking)
