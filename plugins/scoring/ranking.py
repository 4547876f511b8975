"""Place the entries of one item, with a stated rule for ties.

Places follow the standard competition numbering: entries sharing a place take the
best of the places they cover and the next place is skipped (1, 2, 2, 4). Entries
without a value (foul, disqualified, did not start) get no place and come last.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core.records import maker
from plugins.scoring.measures import (
    EntryId,
    MeasureKind,
    Result,
    ResultStatus,
    id_order,
)

__all__ = ["DecidedBy", "Placing", "TieRule", "place_in_order", "rank"]


class TieRule(StrEnum):
    """What happens when two entries have the same value."""

    SHARE = "share"  # shared place, next place skipped: 1, 2, 2, 4
    SHARE_SPLIT = "share_split"  # shared place; points/prizes of the covered places split evenly
    FIRST_TO_REACH = "first_to_reach"  # who reached the value first is placed first
    COUNTBACK = "countback"  # compare secondary values one by one


class DecidedBy(StrEnum):
    """What decided an entry's place, shown next to it in the standings."""

    VALUE = "value"
    SHARED = "shared"
    SPLIT = "split"
    FIRST_TO_REACH = "first_to_reach"
    COUNTBACK = "countback"
    MATCH = "match"
    NO_RESULT = "no_result"

    @property
    def label(self) -> str:
        """Chinese wording for the standings."""
        return _DECIDED_LABELS[self]


_DECIDED_LABELS = {
    DecidedBy.VALUE: "按成绩",
    DecidedBy.SHARED: "并列",
    DecidedBy.SPLIT: "并列（积分均分）",
    DecidedBy.FIRST_TO_REACH: "成绩相同，先达者列前",
    DecidedBy.COUNTBACK: "成绩相同，比较次项成绩",
    DecidedBy.MATCH: "按比赛结果",
    DecidedBy.NO_RESULT: "无成绩",
}

_TIE_DECIDED = {
    TieRule.FIRST_TO_REACH: DecidedBy.FIRST_TO_REACH,
    TieRule.COUNTBACK: DecidedBy.COUNTBACK,
}


@dataclass(frozen=True, slots=True)
class Placing:
    """An entry's place in one item (``None`` without a result).

    ``tied`` is how many entries share this place; with ``decided_by == SPLIT`` the
    points (and prizes) of places ``place .. place + tied - 1`` are split among them.
    """

    entry: EntryId
    place: int | None
    value: Decimal | None = None
    status: ResultStatus = ResultStatus.OK
    decided_by: DecidedBy = DecidedBy.VALUE
    tied: int = 1


_make_placing = maker(Placing)


def _tiebreak_key(result: Result, rule: TieRule, higher: bool) -> Any:
    if rule is TieRule.FIRST_TO_REACH:
        return (1,) if result.reached_at is None else (0, result.reached_at)
    if rule is TieRule.COUNTBACK:
        return tuple((0, -v if higher else v) for v in result.countback)
    return ()


def _pad(keys: list[Any]) -> None:
    """Countback sequences of different lengths: a missing value counts as worst."""
    width = max((len(k) for k in keys), default=0)
    for i, key in enumerate(keys):
        if len(key) < width:
            keys[i] = key + ((1, 0),) * (width - len(key))


def rank(
    results: Iterable[Result],
    kind: MeasureKind,
    tie_rule: TieRule = TieRule.SHARE,
    *,
    countback_higher_wins: bool | None = None,
) -> tuple[Placing, ...]:
    """Place the results of one item, best first, then the entries without a result.

    ``kind`` says whether higher or lower values win; ``tie_rule`` separates equal
    values: ``first_to_reach`` by ``Result.reached_at`` (earlier first; entries without
    it come after those with it), ``countback`` by ``Result.countback`` compared in
    order (in the item's direction unless ``countback_higher_wins`` says otherwise; a
    missing value counts as worst). Entries still equal share a place. Within a shared
    place and among unplaced entries the order is by id, so the answer does not depend
    on the input order. Runs in O(n log n). Raises ``ValueError`` for duplicate entries
    and for match items (use :mod:`plugins.scoring.brackets`).
    """
    higher = kind.higher_wins
    tb_higher = higher if countback_higher_wins is None else countback_higher_wins
    results = list(results)
    entries = [r.entry for r in results]
    if len(set(entries)) != len(entries):
        seen: set[EntryId] = set()
        for entry in entries:
            if entry in seen:
                raise ValueError(f"entry {entry!r} has two results in one item")
            seen.add(entry)
    ok = ResultStatus.OK
    placed = [r for r in results if r.status is ok]
    unplaced = [r for r in results if r.status is not ok] if len(placed) < len(results) else []

    tie_break = tie_rule is TieRule.FIRST_TO_REACH or tie_rule is TieRule.COUNTBACK
    if tie_rule is TieRule.FIRST_TO_REACH:
        kinds = {type(r.reached_at) for r in placed if r.reached_at is not None}
        if len(kinds) > 1:
            raise ValueError("reached_at values of one item must all be of one type")
    values = [-r.value for r in placed] if higher else [r.value for r in placed]  # type: ignore[operator]
    # Ids of one type sort as themselves; mixed ids as id_order says (ints before strings).
    if all(type(e) is str for e in entries) or all(type(e) is int for e in entries):
        ids = [r.entry for r in placed]
    else:
        ids = [id_order(r.entry) for r in placed]
    # The input position last: entries are unique, so it never decides, and results are never compared.
    if tie_break:
        tie_keys = [_tiebreak_key(r, tie_rule, tb_higher) for r in placed]
        if tie_rule is TieRule.COUNTBACK:
            _pad(tie_keys)
        rows = sorted(zip(values, tie_keys, ids, range(len(placed)), strict=True))
    else:
        rows = sorted(zip(values, ids, range(len(placed)), strict=True))

    shared = DecidedBy.SPLIT if tie_rule is TieRule.SHARE_SPLIT else DecidedBy.SHARED
    broken = _TIE_DECIDED.get(tie_rule, shared)
    value_decided = DecidedBy.VALUE
    make = _make_placing
    out: list[Placing] = []
    append = out.append
    n = len(rows)
    start = 0
    while start < n:
        primary = rows[start][0]
        end = start + 1
        while end < n and rows[end][0] == primary:
            end += 1
        if end - start == 1:
            result = placed[rows[start][-1]]
            append(make(result.entry, start + 1, result.value, ok, value_decided, 1))
        elif not tie_break:
            tied = end - start
            for row in rows[start:end]:
                result = placed[row[-1]]
                append(make(result.entry, start + 1, result.value, ok, shared, tied))
        else:
            sub = start
            while sub < end:
                key = rows[sub][1]
                sub_end = sub + 1
                while sub_end < end and rows[sub_end][1] == key:
                    sub_end += 1
                tied = sub_end - sub
                decided = shared if tied > 1 else broken
                for row in rows[sub:sub_end]:
                    result = placed[row[-1]]
                    append(make(result.entry, sub + 1, result.value, ok, decided, tied))
                sub = sub_end
        start = end

    if unplaced:
        unplaced.sort(key=lambda r: id_order(r.entry))
        no_result = DecidedBy.NO_RESULT
        out.extend(make(r.entry, None, None, r.status, no_result, 1) for r in unplaced)
    return tuple(out)


def place_in_order(
    order: Sequence[EntryId | Sequence[EntryId]],
    decided_by: DecidedBy = DecidedBy.MATCH,
    *,
    unplaced: Iterable[EntryId] = (),
) -> tuple[Placing, ...]:
    """Placings from an order the referees decided (e.g. a tug-of-war round robin).

    Each element of ``order`` is an entry, or a list of entries sharing that place
    (``["A", ["B", "C"], "D"]`` gives places 1, 2, 2, 4). ``unplaced`` entries get no place.
    """
    out: list[Placing] = []
    seen: set[EntryId] = set()
    place = 1
    for element in order:
        group = [element] if isinstance(element, str | int) else list(element)
        if not group:
            raise ValueError("an empty group in the order")
        decided = DecidedBy.SHARED if len(group) > 1 else decided_by
        for entry in sorted(group, key=id_order):
            if entry in seen:
                raise ValueError(f"entry {entry!r} is placed twice")
            seen.add(entry)
            out.append(Placing(entry, place, None, ResultStatus.OK, decided, len(group)))
        place += len(group)
    for entry in sorted(unplaced, key=id_order):
        if entry in seen:
            raise ValueError(f"entry {entry!r} is placed and unplaced")
        out.append(Placing(entry, None, None, ResultStatus.DNS, DecidedBy.NO_RESULT, 1))
    return tuple(out)
