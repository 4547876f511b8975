"""Prizes: tiers on shared places, award bands with a cap, best placing only, budget."""

from dataclasses import fields, is_dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.scoring.measures import MeasureKind, Result, ResultStatus
from plugins.scoring.payout import PayoutRules, Person, compute_payout
from plugins.scoring.points import INDIVIDUAL_POINTS
from plugins.scoring.prizes import (
    INDIVIDUAL_PRIZES,
    TEAM_PRIZES,
    Attendance,
    Award,
    AwardKind,
    Band,
    BudgetItem,
    award_bands,
    best_placing_only,
    budget_preview,
    placing_prizes,
    prize_tiers,
)
from plugins.scoring.ranking import TieRule, place_in_order, rank
from plugins.scoring.standings import Item, compute_standings

D = Decimal


def test_shared_place_pays_each_and_split_shares_the_covered_prizes():
    shared = place_in_order(["a", ["b", "c"], "d"])
    assert placing_prizes(shared, INDIVIDUAL_PRIZES) == {"a": 30, "b": 20, "c": 20}
    results = [Result("a", 9), Result("b", 9), Result("c", 9), Result("d", 1)]
    split = rank(results, MeasureKind.COUNT, TieRule.SHARE_SPLIT)
    assert placing_prizes(split, INDIVIDUAL_PRIZES) == {"a": 20, "b": 20, "c": 20}
    odd = rank(results, MeasureKind.COUNT, TieRule.SHARE_SPLIT)
    money = placing_prizes(odd, prize_tiers(100, 0, 0))  # 100 over three: the odd fen to "a"
    assert money == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    assert sum(money.values()) == 100


def _marks(n, ties=()):
    """n entrants with distinct marks, except the given groups of equal marks."""
    values = {f"t{i:02d}": D(100 - i) for i in range(n)}
    for group in ties:
        for name in group:
            values[name] = values[group[0]]
    return rank([Result(k, v) for k, v in values.items()], MeasureKind.MARKS)


def test_award_bands_by_count():
    placed = _marks(10)
    bands = award_bands(placed, [Band("一等奖", 1), Band("二等奖", 2), Band("三等奖", 3)])
    assert [bands.get(f"t{i:02d}") for i in range(7)] == [
        "一等奖", "二等奖", "二等奖", "三等奖", "三等奖", "三等奖", None,
    ]  # fmt: skip


def test_award_bands_by_share_under_the_two_thirds_cap():
    placed = _marks(12)
    shares = [Band("一等奖", share="0.1"), Band("二等奖", share="0.2"), Band("三等奖", share="0.4")]
    bands = award_bands(placed, shares, cap="2/3")
    # 10% of 12 = 1.2 → 1; 30% → 3.6 → 4; 70% → 8.4 → 8; cap 2/3 of 12 = 8.
    counts = {name: list(bands.values()).count(name) for name in ("一等奖", "二等奖", "三等奖")}
    assert counts == {"一等奖": 1, "二等奖": 3, "三等奖": 4}
    generous = [Band("一等奖", share=Fraction(1, 5)), Band("二等奖", share=D("0.3")),
                Band("三等奖", share="0.5")]  # fmt: skip
    capped = award_bands(placed, generous, cap=Fraction(2, 3))
    counts = {name: list(capped.values()).count(name) for name in ("一等奖", "二等奖", "三等奖")}
    assert counts == {"一等奖": 2, "二等奖": 4, "三等奖": 2}  # 2.4 → 2, 6, 12 → capped at 8
    assert len(capped) == 8


def test_award_bands_ties():
    # A tie across the first boundary gets the better band.
    placed = _marks(12, ties=[("t00", "t01")])
    bands = award_bands(placed, [Band("一等奖", 1), Band("二等奖", 2)])
    assert bands["t00"] == bands["t01"] == "一等奖"
    assert [k for k, v in bands.items() if v == "二等奖"] == ["t02"]
    # A tie that would cross the 2/3 cap (8 of 12) is left out as a whole.
    placed = _marks(12, ties=[("t07", "t08")])
    capped = award_bands(placed, [Band("三等奖", 12)], cap="2/3")
    assert sorted(capped) == [f"t{i:02d}" for i in range(7)]
    # Entries without a result are never awarded but count as entrants.
    placed = rank([Result("a", 5), Result("b", status=ResultStatus.FOUL), Result("c", 3)],
                  MeasureKind.COUNT)  # fmt: skip
    assert award_bands(placed, [Band("奖", share="1")], cap="2/3") == {"a": "奖", "c": "奖"}


def test_band_validation():
    with pytest.raises(ValueError):
        Band("x")
    with pytest.raises(ValueError):
        Band("x", count=1, share="0.1")
    with pytest.raises(TypeError):
        Band("x", share=0.1)
    with pytest.raises(ValueError):
        Band("x", share="3/2")


OUTING_TIERS = prize_tiers(400, 350, 300, 300)  # seed 篇八: 一、二、三等奖 and 优胜奖


def test_best_placing_only_for_the_cadres_meet():
    """篇九: 获奖选手取最好名次给予奖励."""
    items = [
        Item("ball", "托球跑", MeasureKind.MATCH, prizes=OUTING_TIERS),
        Item("shoot", "定点投篮", MeasureKind.MATCH, prizes=OUTING_TIERS),
        Item("rope", "一分钟跳绳", MeasureKind.MATCH, prizes=OUTING_TIERS),
    ]
    placed = {
        "ball": place_in_order(["X", "V", "W", "Y"]),
        "shoot": place_in_order(["V", "W", "Y", "U"]),
        "rope": place_in_order(["W", "Z", "X", "U"]),
    }
    people = [Person(p) for p in "UVWXYZ"]
    standings = compute_standings(items, {}, {}, placed=placed)
    rules = PayoutRules(participation=None, best_placing_only=True)
    sheet = compute_payout(people, {}, standings, rules)
    totals = {row.person.id: row.total for row in sheet.people}
    # X: 1st 托球跑 (400) beats 3rd 跳绳 (300). Y: 4th 托球跑 and 3rd 投篮 pay 300 each:
    # the better place (3rd, 投篮) is kept. W: 1st 跳绳 400 over 3rd 托球跑 and 2nd 投篮.
    assert totals == {"U": 300, "V": 400, "W": 400, "X": 400, "Y": 300, "Z": 350}
    y_lines = [(line.item, line.amount, line.note) for line in sheet.person("Y").lines]
    assert y_lines == [("ball", 0, "取最好名次，此项不重复奖励"), ("shoot", 300, "")]
    everyone = compute_payout(people, {}, standings, PayoutRules(participation=None))
    assert everyone.total == 3 * (400 + 350 + 300 + 300)
    assert sheet.total == 2150


def test_best_placing_only_caps_award_band_money_too():
    """A double winner of award bands (一等奖 400 in two judged items) is paid his best once, not ¥800."""
    people = [Person("p"), Person("q")]
    bands = [Award("p", AwardKind.ITEM_PRIZE, "朗诵 一等奖", D(400), item="i1", place=1),
             Award("p", AwardKind.ITEM_PRIZE, "演讲 一等奖", D(400), item="i2", place=1),
             Award("q", AwardKind.ITEM_PRIZE, "朗诵 二等奖", D(350), item="i1", place=2),
             Award("p", AwardKind.THRESHOLD, "达标纪念品", D(0), 1, item="i3")]
    standings = compute_standings([], {}, {})
    capped = compute_payout(people, {}, standings, PayoutRules(participation=None, best_placing_only=True),
                            extras=bands)
    assert {row.person.id: row.total for row in capped.people} == {"p": 400, "q": 350}
    assert [(line.label, line.amount) for line in capped.person("p").lines] == [
        ("朗诵 一等奖", 400), ("演讲 一等奖", 0), ("达标纪念品", 0)]
    assert capped.person("p").souvenirs == 1  # a souvenir is not a placing: kept
    every = compute_payout(people, {}, standings, PayoutRules(participation=None), extras=bands)
    assert every.person("p").total == 800


def test_best_placing_only_prefers_money_then_place_then_order():
    awards = [
        Award("p", AwardKind.ITEM_PRIZE, "a", D(10), item="a", place=3),
        Award("p", AwardKind.PARTICIPATION, "参与奖", D(50)),
        Award("p", AwardKind.ITEM_PRIZE, "b", D(10), item="b", place=3),
        Award("p", AwardKind.ITEM_PRIZE, "c", D(10), item="c", place=2),
    ]
    kept = best_placing_only(awards)
    assert [(a.label, a.amount) for a in kept] == [("a", 0), ("参与奖", 50), ("b", 0), ("c", 10)]


def test_budget_preview_limits_places_to_entrants():
    budget = budget_preview(
        items=[BudgetItem("托球跑", OUTING_TIERS, entrants=2)], teams=2, team_prizes=TEAM_PRIZES
    )
    assert [(line.count, line.amount) for line in budget.lines] == [(2, D(750)), (2, D(560))]
    assert budget.total == D(1310)
    outing = budget_preview(items=[BudgetItem(f"游戏{i}", OUTING_TIERS) for i in range(5)])
    assert outing.total == D(6750)  # seed 篇八: 奖金合计 6750 元


def test_team_prize_split_hands_out_the_odd_fen():
    items = [Item("relay", "接力", MeasureKind.TIME, INDIVIDUAL_POINTS, collective=True,
                  prizes=prize_tiers(100))]  # fmt: skip
    people = [Person("m3", team="T"), Person("m1", team="T"), Person("m2", team="T"),
              Person("m4", team="T")]  # fmt: skip
    attendance = dict.fromkeys(["m1", "m2", "m3"], Attendance.ON_TIME) | {"m4": Attendance.ABSENT}
    standings = compute_standings(items, {"relay": [Result("T", D("50.2"))]}, {})
    sheet = compute_payout(people, attendance, standings,
                           PayoutRules(participation=None, split_team_prizes=True))  # fmt: skip
    shares = {row.person.id: row.total for row in sheet.people}
    assert shares == {"m1": D("33.34"), "m2": D("33.33"), "m3": D("33.33"), "m4": D("0.00")}
    assert sheet.person("m1").lines[0].note == "接力 第1名 100.00元 由3人均分"
    unsplit = compute_payout(people, attendance, standings, PayoutRules(participation=None))
    assert [(t.team, t.total) for t in unsplit.teams] == [("T", D("100.00"))]


def test_unknown_payee_is_refused():
    items = [Item("x", "x", MeasureKind.COUNT, prizes=INDIVIDUAL_PRIZES)]
    standings = compute_standings(items, {"x": [Result("ghost", 3)]}, {})
    with pytest.raises(ValueError, match="ghost"):
        compute_payout([Person("p")], {}, standings, PayoutRules())


def _walk(obj):
    """Every value inside a result: dataclass fields, mappings and sequences."""
    yield obj
    if is_dataclass(obj):
        for f in fields(obj):
            yield from _walk(getattr(obj, f.name))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(obj, tuple | list):
        for v in obj:
            yield from _walk(v)


attendances = st.sampled_from(list(Attendance))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 3), attendances, st.booleans()),
             min_size=1, max_size=30),
    st.sampled_from(list(TieRule)),
    st.booleans(),
    st.booleans(),
)  # fmt: skip
def test_payout_totals_are_the_sum_of_their_lines_and_never_float(rows, rule, split, best_only):
    people = [Person(f"p{i}", team=f"T{team}") for i, (_, team, _, _) in enumerate(rows)]
    attendance = {f"p{i}": a for i, (_, _, a, _) in enumerate(rows)}
    items = [
        Item("a", "甲", MeasureKind.COUNT, INDIVIDUAL_POINTS, rule, prizes=INDIVIDUAL_PRIZES,
             team_points=INDIVIDUAL_POINTS),
        Item("b", "乙", MeasureKind.COUNT, INDIVIDUAL_POINTS, rule, prizes=INDIVIDUAL_PRIZES),
    ]  # fmt: skip
    results = {
        "a": [Result(f"p{i}", v) for i, (v, _, _, _) in enumerate(rows)],
        "b": [Result(f"p{i}", 12 - v) for i, (v, _, _, ok) in enumerate(rows) if ok],
    }
    team_of = {p.id: p.team for p in people}
    standings = compute_standings(items, results, team_of, team_tie_rule=TieRule.COUNTBACK)
    rules = PayoutRules(team_prizes=TEAM_PRIZES, split_team_prizes=split, best_placing_only=best_only)
    sheet = compute_payout(people, attendance, standings, rules)
    for row in sheet.people:
        assert row.total == sum(line.amount for line in row.lines)
        assert row.total >= 0
    for team in sheet.teams:
        assert team.total == sum(line.amount for line in team.lines)
    assert sheet.total == sum(r.total for r in sheet.people) + sum(t.total for t in sheet.teams)
    assert sum(standings.totals.values()) == sum(
        sum(s.points.values()) + sum(s.team_points.values()) for s in standings.items
    )
    assert not any(isinstance(v, float) for v in _walk((standings, sheet)))
    for value in _walk((standings, sheet)):
        if isinstance(value, Decimal):
            assert value.is_finite()


def test_team_ranking_on_members_values():
    team_of = {"a1": "A", "a2": "A", "b1": "B", "b2": "B"}
    counts = Item("shoot", "投篮", MeasureKind.COUNT, INDIVIDUAL_POINTS, team_points=INDIVIDUAL_POINTS)
    times = Item("run", "托球跑", MeasureKind.TIME, INDIVIDUAL_POINTS, team_points=INDIVIDUAL_POINTS)
    results = {
        "shoot": [Result("a1", 6), Result("a2", status=ResultStatus.FOUL), Result("b1", 3),
                  Result("b2", 2)],
        "run": [Result("a1", D("20.5")), Result("a2", status=ResultStatus.FOUL),
                Result("b1", D("22.0")), Result("b2", D("23.0"))],
    }  # fmt: skip
    s = compute_standings([counts, times], results, team_of)
    # Baskets: a foul adds nothing (A 6, B 5). Times: a foul leaves team A without a time.
    assert {p.entry: p.value for p in s.item("shoot").team_placings} == {"A": 6, "B": 5}
    assert {p.entry: p.place for p in s.item("run").team_placings} == {"B": 1, "A": None}
