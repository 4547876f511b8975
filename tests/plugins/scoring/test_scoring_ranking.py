"""Ranking one item: directions, the four tie rules, results without a value."""

import random
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.scoring.measures import (
    MeasureKind,
    Result,
    ResultStatus,
    format_time,
    parse_time,
)
from plugins.scoring.ranking import DecidedBy, TieRule, place_in_order, rank

D = Decimal


def _summary(placings):
    return [(p.entry, p.place, p.decided_by.value, p.tied) for p in placings]


def test_time_lower_wins_and_share_skips_the_next_place():
    results = [Result("a", D("12.3")), Result("b", D("11.9")), Result("c", D("12.3")),
               Result("d", D("13.0"))]  # fmt: skip
    assert _summary(rank(results, MeasureKind.TIME)) == [
        ("b", 1, "value", 1),
        ("a", 2, "shared", 2),
        ("c", 2, "shared", 2),
        ("d", 4, "value", 1),
    ]


def test_count_and_distance_higher_wins():
    results = [Result("a", 30), Result("b", 45), Result("c", 12)]
    assert [p.entry for p in rank(results, MeasureKind.COUNT)] == ["b", "a", "c"]
    assert [p.entry for p in rank(results, MeasureKind.DISTANCE)] == ["b", "a", "c"]
    assert [p.entry for p in rank(results, MeasureKind.MARKS)] == ["b", "a", "c"]
    assert [p.entry for p in rank(results, MeasureKind.TIME)] == ["c", "a", "b"]


def test_share_split_marks_the_tie_for_splitting():
    results = [Result("a", 9), Result("b", 7), Result("c", 9), Result("d", 5)]
    assert _summary(rank(results, MeasureKind.COUNT, TieRule.SHARE_SPLIT)) == [
        ("a", 1, "split", 2),
        ("c", 1, "split", 2),
        ("b", 3, "value", 1),
        ("d", 4, "value", 1),
    ]


def test_first_to_reach_breaks_ties_by_time_of_reaching():
    t = datetime(2024, 9, 23, 9, 0)
    results = [
        Result("late", 8, reached_at=t.replace(minute=5)),
        Result("early", 8, reached_at=t.replace(minute=2)),
        Result("same1", 6, reached_at=t),
        Result("same2", 6, reached_at=t),
        Result("unknown", 6),
    ]
    assert _summary(rank(results, MeasureKind.COUNT, TieRule.FIRST_TO_REACH)) == [
        ("early", 1, "first_to_reach", 1),
        ("late", 2, "first_to_reach", 1),
        ("same1", 3, "shared", 2),
        ("same2", 3, "shared", 2),
        ("unknown", 5, "first_to_reach", 1),
    ]


def test_first_to_reach_refuses_mixed_kinds_of_time():
    results = [Result("a", 8, reached_at=3), Result("b", 8, reached_at=datetime(2024, 1, 1))]
    with pytest.raises(ValueError, match="one type"):
        rank(results, MeasureKind.COUNT, TieRule.FIRST_TO_REACH)


def test_countback_compares_secondary_values_in_order():
    results = [
        Result("a", 20, countback=(D(9), D(6))),
        Result("b", 20, countback=(D(9), D(7))),
        Result("c", 20, countback=(D(10),)),
        Result("d", 20, countback=(D(9),)),  # missing second value counts as worst
        Result("e", 20, countback=(D(9), D(6))),
    ]
    assert _summary(rank(results, MeasureKind.COUNT, TieRule.COUNTBACK)) == [
        ("c", 1, "countback", 1),
        ("b", 2, "countback", 1),
        ("a", 3, "shared", 2),
        ("e", 3, "shared", 2),
        ("d", 5, "countback", 1),
    ]


def test_countback_direction_can_differ_from_the_item():
    # Equal totals in a timed event, separated by the number of clean runs (more is better).
    results = [Result("a", D("50.0"), countback=(D(2),)), Result("b", D("50.0"), countback=(D(3),))]
    placed = rank(results, MeasureKind.TIME, TieRule.COUNTBACK, countback_higher_wins=True)
    assert [p.entry for p in placed] == ["b", "a"]


def test_results_without_value_get_no_place_and_come_last():
    results = [
        Result("x", status=ResultStatus.FOUL),
        Result("a", D("20.1")),
        Result("w", status=ResultStatus.DNS),
        Result("b", D("19.5")),
    ]
    assert _summary(rank(results, MeasureKind.TIME)) == [
        ("b", 1, "value", 1),
        ("a", 2, "value", 1),
        ("w", None, "no_result", 1),
        ("x", None, "no_result", 1),
    ]


def test_result_validation():
    with pytest.raises(ValueError):
        Result("a")
    with pytest.raises(ValueError):
        Result("a", D(3), status=ResultStatus.FOUL)
    with pytest.raises(TypeError):
        Result("a", 3.5)
    with pytest.raises(TypeError):
        Result("a", 3, reached_at=1.5)
    assert Result("a", "12.5").value == D("12.5")
    with pytest.raises(ValueError, match="two results"):
        rank([Result("a", 1), Result("a", 2)], MeasureKind.COUNT)
    with pytest.raises(ValueError, match="match"):
        rank([Result("a", 1)], MeasureKind.MATCH)


def test_place_in_order():
    placed = place_in_order(["C", ["B", "A"], "D"], unplaced=["E"])
    assert _summary(placed) == [
        ("C", 1, "match", 1),
        ("A", 2, "shared", 2),
        ("B", 2, "shared", 2),
        ("D", 4, "match", 1),
        ("E", None, "no_result", 1),
    ]
    with pytest.raises(ValueError):
        place_in_order(["A", "A"])


def test_times():
    assert parse_time("65.3") == D("65.3")
    assert parse_time("1:05.3") == D("65.3")
    assert format_time(D("65.3")) == "1:05.3"
    assert format_time(D("9.87")) == "9.87"
    with pytest.raises(ValueError):
        parse_time("1:75")


values = st.integers(min_value=0, max_value=6).map(Decimal)
result_lists = st.lists(
    st.tuples(values, st.integers(min_value=0, max_value=3), st.booleans()),
    max_size=25,
).map(
    lambda rows: [
        Result(f"e{i}", v, reached_at=at)
        if ok
        else Result(f"e{i}", status=ResultStatus.FOUL)
        for i, (v, at, ok) in enumerate(rows)
    ]
)


@given(result_lists, st.sampled_from(list(TieRule)), st.sampled_from(
    [MeasureKind.TIME, MeasureKind.COUNT]), st.randoms(use_true_random=False))
def test_ranking_properties(results, rule, kind, rnd):
    placed = rank(results, kind, rule)
    # Every entry exactly once; the input order does not matter.
    assert sorted(p.entry for p in placed) == sorted(r.entry for r in results)
    shuffled = list(results)
    rnd.shuffle(shuffled)
    assert rank(shuffled, kind, rule) == placed
    valued = {r.entry: r for r in results if r.status is ResultStatus.OK}
    places = [p.place for p in placed if p.place is not None]
    assert places == sorted(places)
    assert len(places) == len(valued)
    sign = 1 if kind.higher_wins else -1
    for p in placed:
        if p.place is None:
            assert p.entry not in valued and p.decided_by is DecidedBy.NO_RESULT
            continue
        better = [q for q in valued.values() if sign * q.value > sign * valued[p.entry].value]
        same = [q for q in placed if q.place == p.place]
        if rule in (TieRule.SHARE, TieRule.SHARE_SPLIT):
            # Standard competition ranking: 1 + number strictly better.
            assert p.place == 1 + len(better)
        else:
            assert p.place >= 1 + len(better)
        assert p.tied == len(same)
        assert all(isinstance(x, Decimal) for x in (p.value,))


def test_large_field_is_consistent():
    rnd = random.Random(7)
    results = [Result(i, rnd.randint(0, 50)) for i in range(2000)]
    placed = rank(results, MeasureKind.COUNT)
    assert placed[0].value == max(r.value for r in results)
    assert len({p.entry for p in placed}) == 2000
