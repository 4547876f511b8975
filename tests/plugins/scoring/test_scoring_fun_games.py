"""Fun games of seed 002 篇七 (eight groups, 10..3 points) and the jump-rope/riddle variant."""

from decimal import Decimal

from plugins.scoring.measures import MeasureKind, Result
from plugins.scoring.payout import PayoutRules, Person, compute_payout
from plugins.scoring.points import EIGHT_GROUP_POINTS, placing_points, yearly_points
from plugins.scoring.prizes import Band, answer_awards, award_bands, threshold_awards
from plugins.scoring.ranking import DecidedBy, TieRule, rank
from plugins.scoring.standings import Item, compute_standings

D = Decimal
GROUPS = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "行政教辅", "综合科"]
G1, G2, G3, G4, G5, G6, G7, G8 = GROUPS

TIMES = {
    "orange": dict(zip(GROUPS, ["62.5", "58.1", "70.2", "55.0", "66.6", "59.9", "75.3", "61.0"], strict=True)),
    "bridge": dict(zip(GROUPS, ["120.4", "118.0", "131.7", "125.2", "118.0", "140.3", "122.9", "128.8"], strict=True)),
    "hoop": dict(zip(GROUPS, ["45.2", "50.3", "44.8", "48.0", "52.6", "47.1", "49.5", "46.4"], strict=True)),
}
ITEMS = [
    Item("orange", "顶橘子", MeasureKind.TIME, EIGHT_GROUP_POINTS, collective=True),
    Item("bridge", "搭桥过河", MeasureKind.TIME, EIGHT_GROUP_POINTS, collective=True),
    Item("hoop", "大家乐套圈", MeasureKind.TIME, EIGHT_GROUP_POINTS, collective=True),
]


def _results():
    return {code: [Result(g, D(t)) for g, t in times.items()] for code, times in TIMES.items()}


def test_each_item_scores_ten_down_to_three():
    s = compute_standings(ITEMS, _results(), {}, teams=GROUPS)
    assert s.item("orange").points == {G4: 10, G2: 9, G6: 8, G8: 7, G1: 6, G5: 5, G3: 4, G7: 3}
    # 二年级 and 五年级 share first place in 118.0 s: both score 10, nobody is 2nd.
    assert s.item("bridge").points == {G2: 10, G5: 10, G1: 8, G7: 7, G4: 6, G8: 5, G3: 4, G6: 3}
    assert s.item("hoop").points == {G3: 10, G1: 9, G8: 8, G6: 7, G4: 6, G7: 5, G2: 4, G5: 3}


def test_totals_decide_the_final_order_with_shared_places():
    s = compute_standings(ITEMS, _results(), {}, teams=GROUPS)
    assert s.totals == {G1: 23, G2: 23, G3: 18, G4: 22, G5: 18, G6: 18, G7: 15, G8: 20}
    assert sum(s.totals.values()) == 157  # 52 + 53 (shared first) + 52
    assert [(p.entry, p.place) for p in s.teams] == [
        (G1, 1), (G2, 1), (G4, 3), (G8, 4), (G3, 5), (G5, 5), (G6, 5), (G7, 8),
    ]  # fmt: skip


def test_team_countback_on_places_won():
    s = compute_standings(ITEMS, _results(), {}, teams=GROUPS, team_tie_rule=TieRule.COUNTBACK)
    # 二年级 won a (shared) first place, 一年级 none; among the 18s 三年级 and 五年级 have a
    # first each, then 五年级's 6th place beats 三年级's none; 六年级 has no first.
    assert [(p.entry, p.place, p.decided_by) for p in s.teams] == [
        (G2, 1, DecidedBy.COUNTBACK),
        (G1, 2, DecidedBy.COUNTBACK),
        (G4, 3, DecidedBy.VALUE),
        (G8, 4, DecidedBy.VALUE),
        (G5, 5, DecidedBy.COUNTBACK),
        (G3, 6, DecidedBy.COUNTBACK),
        (G6, 7, DecidedBy.COUNTBACK),
        (G7, 8, DecidedBy.VALUE),
    ]


def test_share_split_halves_the_points_of_the_covered_places():
    placed = rank(_results()["bridge"], MeasureKind.TIME, TieRule.SHARE_SPLIT)
    points = placing_points(placed, EIGHT_GROUP_POINTS)
    assert points[G2] == points[G5] == D("9.50")
    assert sum(points.values()) == 52


def test_yearly_activity_points_add_up_over_events():
    fun = compute_standings(ITEMS, _results(), {}, teams=GROUPS).totals
    tug = {G1: D(5), G4: D(3), G7: D(1)}
    year = yearly_points({"趣味游戏": fun, "拔河赛": tug})
    assert [(u.unit, u.total, u.place) for u in year[:3]] == [(G1, 28, 1), (G4, 25, 2), (G2, 23, 3)]
    assert year[0].by_event == (("趣味游戏", D(23)), ("拔河赛", D(5)))
    assert [(u.unit, u.total, u.place) for u in year[-1:]] == [(G7, 16, 8)]


JUMPS = {"P1": 128, "P2": 95, "P3": 30, "P4": 29, "P5": 143, "P6": 12, "P7": 64}


def test_jump_rope_prizes_and_the_30_jump_souvenir():
    results = [Result(p, n) for p, n in JUMPS.items()]
    placed = rank(results, MeasureKind.COUNT)
    bands = award_bands(placed, [Band("一等奖", 1), Band("二等奖", 1), Band("三等奖", 1)])
    assert bands == {"P5": "一等奖", "P1": "二等奖", "P2": "三等奖"}
    souvenirs = threshold_awards(results, MeasureKind.COUNT, 30, item="rope", label="跳绳达标纪念品")
    assert sorted(a.payee for a in souvenirs) == ["P1", "P2", "P3", "P5", "P7"]  # 29 is not enough
    # A timed threshold is reached at or under the time.
    runs = [Result("x", D("19.9")), Result("y", D("20.0")), Result("z", D("20.1"))]
    assert [a.payee for a in threshold_awards(runs, MeasureKind.TIME, 20, item="run", label="达标")] == ["x", "y"]


def test_riddles_give_a_souvenir_per_correct_answer_on_the_sheet():
    people = [Person(p) for p in JUMPS]
    results = [Result(p, n) for p, n in JUMPS.items()]
    extras = threshold_awards(results, MeasureKind.COUNT, 30, item="rope", label="跳绳达标纪念品")
    extras += answer_awards({"P1": 3, "P4": 1, "P6": 0}, item="riddle", label="猜谜纪念品")
    sheet = compute_payout(people, {}, compute_standings([], {}, {}), PayoutRules(participation=None),
                           extras=extras)  # fmt: skip
    assert {row.person.id: row.souvenirs for row in sheet.people} == {
        "P1": 4, "P2": 1, "P3": 1, "P4": 1, "P5": 1, "P6": 0, "P7": 1,
    }  # fmt: skip
    assert sheet.souvenirs == 9
    assert sheet.total == 0
    assert sheet.person("P1").lines[-1].note == "答对3题"
