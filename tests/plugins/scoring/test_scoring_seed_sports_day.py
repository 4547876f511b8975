"""The staff sports day of seed 002 篇二, worked out by hand.

Three office teams; 拔河 and 迎面接力 are collective (5/3/1 points); 乒乓球 and 羽毛球
singles (knockout, 三局两胜) and 定点投篮 are individual (3/2/1 points, 30/20/10 yuan);
投篮 also ranks the teams on their baskets (5/3/1). Team prizes 300/260/200; 50 yuan
participation, half for late arrival or early leave, nothing when absent.

Rosters are kept small (five or six a team) so every figure can be checked by hand.
"""

from decimal import Decimal
from fractions import Fraction

from plugins.scoring.brackets import (
    BADMINTON,
    TABLE_TENNIS,
    Draw,
    ThirdPlace,
    final_places,
    play,
)
from plugins.scoring.measures import MeasureKind, Result, ResultStatus
from plugins.scoring.payout import PayoutRules, Person, compute_payout
from plugins.scoring.points import COLLECTIVE_POINTS, INDIVIDUAL_POINTS
from plugins.scoring.prizes import (
    INDIVIDUAL_PRIZES,
    TEAM_PRIZES,
    Attendance,
    AwardKind,
    BudgetItem,
    ParticipationRule,
    budget_preview,
)
from plugins.scoring.ranking import DecidedBy, TieRule, place_in_order
from plugins.scoring.standings import Item, compute_standings

D = Decimal
A, B, C = "二楼办公室", "三楼办公室", "行政办公室"

PEOPLE = [
    Person("A1", "张伟", A), Person("A2", "王芳", A), Person("A3", "李娜", A),
    Person("A4", "刘强", A), Person("A5", "陈静", A),
    Person("B1", "杨洋", B), Person("B2", "赵敏", B), Person("B3", "黄磊", B),
    Person("B4", "周杰", B), Person("B5", "吴丹", B),
    Person("C1", "徐明", C), Person("C2", "孙丽", C), Person("C3", "马超", C),
    Person("C4", "朱琳", C), Person("C5", "胡军", C), Person("C6", "林涛", C),
]  # fmt: skip
TEAM_OF = {p.id: p.team for p in PEOPLE}

ATTENDANCE = {p.id: Attendance.ON_TIME for p in PEOPLE}
ATTENDANCE["A2"] = Attendance.LATE  # 迟到: 25 yuan
ATTENDANCE["B4"] = Attendance.EARLY_LEAVE  # 早退: 25 yuan
ATTENDANCE["C6"] = Attendance.ABSENT  # registered, did not come: nothing

ITEMS = [
    Item("tug", "拔河", MeasureKind.MATCH, COLLECTIVE_POINTS, collective=True),
    Item("relay", "迎面接力", MeasureKind.TIME, COLLECTIVE_POINTS, collective=True),
    Item("tt", "乒乓球单打", MeasureKind.MATCH, INDIVIDUAL_POINTS, prizes=INDIVIDUAL_PRIZES),
    Item("bad", "羽毛球单打", MeasureKind.MATCH, INDIVIDUAL_POINTS, prizes=INDIVIDUAL_PRIZES),
    Item(
        "shoot", "定点投篮", MeasureKind.COUNT, INDIVIDUAL_POINTS,
        tie_rule=TieRule.FIRST_TO_REACH,
        prizes=INDIVIDUAL_PRIZES, team_points=COLLECTIVE_POINTS,
    ),
]  # fmt: skip

# 乒乓球: nine players, drawn numbers are the free slots of a 16 bracket.
TT_NUMBERS = {"A1": 1, "B1": 3, "C1": 4, "A2": 5, "B2": 7, "C2": 9, "A3": 11, "B3": 13, "C3": 15}
TT_GAMES = {
    (1, 2): [(11, 5), (11, 7)],  # B1 beats C1; all other first-round slots are byes
    (2, 1): [(11, 9), (8, 11), (11, 6)],  # A1 beats B1 in three games
    (2, 2): [(7, 11), (9, 11)],  # B2 beats A2
    (2, 3): [(11, 4), (11, 8)],  # C2 beats A3
    (2, 4): [(5, 11), (12, 14)],  # C3 beats B3 (deuce)
    (3, 1): [(11, 3), (11, 2)],  # A1 beats B2
    (3, 2): [(9, 11), (11, 7), (8, 11)],  # C3 beats C2
    (4, 1): [(6, 11), (11, 13)],  # final: C3 beats A1
}

# 羽毛球: nine players, with a third-place match.
BAD_NUMBERS = {"A4": 1, "B4": 3, "C4": 4, "A5": 5, "B5": 7, "C5": 9, "A3": 11, "B3": 13, "C3": 15}
BAD_GAMES = {
    (1, 2): [(15, 21), (18, 21)],  # C4 beats B4
    (2, 1): [(21, 19), (21, 17)],  # A4 beats C4
    (2, 2): [(10, 21), (12, 21)],  # B5 beats A5
    (2, 3): [(21, 11), (30, 29)],  # C5 beats A3 (capped at 30)
    (2, 4): [(21, 19), (23, 21)],  # B3 beats C3 (deuce)
    (3, 1): [(17, 21), (21, 18), (20, 22)],  # B5 beats A4
    (3, 2): [(21, 16), (21, 14)],  # C5 beats B3
    (4, 1): [(21, 15), (21, 19)],  # final: B5 beats C5
    (4, 2): [(21, 12), (21, 13)],  # third place: A4 beats B3
}

# 定点投篮: baskets of 10, and the shot at which the last basket went in.
SHOTS = {
    "A1": (6, 9), "A2": (4, 7), "A3": (7, 10), "A4": (3, 8), "A5": (5, 9),
    "B1": (7, 8), "B2": (5, 10), "B3": (2, 6), "B4": (6, 10), "B5": (4, 9),
    "C1": (8, 10), "C2": (3, 5), "C3": (5, 8), "C5": (6, 9),
}  # fmt: skip


def _standings():
    tt = final_places(play(Draw.from_numbers(TT_NUMBERS), TT_GAMES, rule=TABLE_TENNIS))
    bad = final_places(
        play(
            Draw.from_numbers(BAD_NUMBERS),
            BAD_GAMES,
            rule=BADMINTON,
            third_place=ThirdPlace.MATCH,
        )
    )
    shots = [Result(p, D(v), reached_at=at) for p, (v, at) in SHOTS.items()]
    shots.append(Result("C4", status=ResultStatus.FOUL))  # 踩线犯规: no result
    results = {
        "relay": [
            Result(A, D("95.3")),
            Result(B, D("92.8")),
            Result(C, status=ResultStatus.FOUL),  # 交接棒犯规
        ],
        "shoot": shots,
    }
    placed = {"tug": place_in_order([C, B, A]), "tt": tt, "bad": bad}
    return compute_standings(ITEMS, results, TEAM_OF, placed=placed)


def _places(placings):
    return {p.entry: p.place for p in placings}


def test_item_placings():
    s = _standings()
    assert _places(s.item("relay").placings) == {B: 1, A: 2, C: None}
    tt = s.item("tt").placings
    assert _places(tt) == {
        "C3": 1, "A1": 2, "B2": 3, "C2": 3,
        "A2": 5, "A3": 5, "B1": 5, "B3": 5, "C1": 9,
    }  # fmt: skip
    assert [p.decided_by for p in tt[:4]] == [DecidedBy.MATCH, DecidedBy.MATCH, DecidedBy.SHARED, DecidedBy.SHARED]
    assert _places(s.item("bad").placings)["A4"] == 3
    assert _places(s.item("bad").placings)["B3"] == 4
    shoot = {p.entry: p for p in s.item("shoot").placings}
    assert shoot["C1"].place == 1 and shoot["C1"].decided_by is DecidedBy.VALUE
    # 7 baskets each: B1 reached 7 at shot 8, A3 at shot 10.
    assert (shoot["B1"].place, shoot["B1"].decided_by) == (2, DecidedBy.FIRST_TO_REACH)
    assert (shoot["A3"].place, shoot["A3"].decided_by) == (3, DecidedBy.FIRST_TO_REACH)
    # 6 baskets: A1 and C5 both at shot 9 share 4th, B4 (shot 10) is 6th.
    assert (shoot["A1"].place, shoot["C5"].place, shoot["B4"].place) == (4, 4, 6)
    assert shoot["A1"].decided_by is DecidedBy.SHARED and shoot["A1"].tied == 2
    assert shoot["C4"].place is None and shoot["C4"].status is ResultStatus.FOUL


def test_points_and_team_totals():
    s = _standings()
    assert s.item("tug").points == {C: 5, B: 3, A: 1}
    assert s.item("relay").points == {B: 5, A: 3}  # 行政 fouled: no points
    assert s.item("tt").points == {"C3": 3, "A1": 2, "B2": 1, "C2": 1}
    assert s.item("bad").points == {"B5": 3, "C5": 2, "A4": 1}
    assert s.item("shoot").points == {"C1": 3, "B1": 2, "A3": 1}
    # Team baskets: 二楼 6+4+7+3+5=25, 三楼 7+5+2+6+4=24, 行政 8+3+5+0+6=22.
    assert {p.entry: p.value for p in s.item("shoot").team_placings} == {A: 25, B: 24, C: 22}
    assert s.item("shoot").team_points == {A: 5, B: 3, C: 1}
    # 二楼 1+3+2+1+1+5, 三楼 3+5+1+3+2+3, 行政 5+0+(3+1)+2+3+1
    assert s.totals == {A: D(13), B: D(17), C: D(15)}
    assert _places(s.teams) == {B: 1, C: 2, A: 3}


EXPECTED_TOTALS = {
    "A1": "70.00",  # 50 + 乒乓 2nd 20
    "A2": "25.00",  # late
    "A3": "60.00",  # 50 + 投篮 3rd 10
    "A4": "60.00",  # 50 + 羽毛 3rd 10
    "A5": "50.00",
    "B1": "70.00",  # 50 + 投篮 2nd 20
    "B2": "60.00",  # 50 + 乒乓 shared 3rd 10
    "B3": "50.00",  # 羽毛 4th: no prize
    "B4": "25.00",  # early leave
    "B5": "80.00",  # 50 + 羽毛 1st 30
    "C1": "80.00",  # 50 + 投篮 1st 30
    "C2": "60.00",  # 50 + 乒乓 shared 3rd 10
    "C3": "80.00",  # 50 + 乒乓 1st 30
    "C4": "50.00",  # fouled, but took part
    "C5": "70.00",  # 50 + 羽毛 2nd 20
    "C6": "0.00",  # absent
}


def test_payout_sheet_by_hand():
    sheet = compute_payout(PEOPLE, ATTENDANCE, _standings(), PayoutRules(team_prizes=TEAM_PRIZES))
    assert {row.person.id: str(row.total) for row in sheet.people} == EXPECTED_TOTALS
    assert {t.team: t.total for t in sheet.teams} == {B: 300, C: 260, A: 200}
    assert sum(row.total for row in sheet.people) == D(890)
    assert sheet.total == D(1650)  # 700 participation + 190 item prizes + 760 team prizes
    a2 = sheet.person("A2")
    assert [(line.kind, line.amount, line.note) for line in a2.lines] == [
        (AwardKind.PARTICIPATION, D("25.00"), "迟到")
    ]
    b2 = sheet.person("B2")
    assert [line.label for line in b2.lines] == ["参与奖", "乒乓球单打 第3名（并列）"]


def test_payout_with_team_prizes_split_among_members():
    sheet = compute_payout(
        PEOPLE,
        ATTENDANCE,
        _standings(),
        PayoutRules(team_prizes=TEAM_PRIZES, split_team_prizes=True),
    )
    assert sheet.teams == ()
    # 三楼 300 / 5 = 60, 行政 260 / 5 attended (林涛 absent) = 52, 二楼 200 / 5 = 40.
    assert sheet.person("B4").total == D("85.00")
    assert sheet.person("C6").total == D("0.00")
    assert sheet.person("C1").total == D("132.00")
    assert sheet.person("A2").total == D("65.00")
    assert sheet.total == D(1650)


def test_budget_before_the_event():
    budget = budget_preview(
        participants=len(PEOPLE),
        participation=ParticipationRule(),
        items=[
            BudgetItem("乒乓球单打", INDIVIDUAL_PRIZES, places=(1, 2, 3, 3)),  # semifinal losers share 3rd
            BudgetItem("羽毛球单打", INDIVIDUAL_PRIZES),  # third-place match
            BudgetItem("定点投篮", INDIVIDUAL_PRIZES),
        ],
        teams=3,
        team_prizes=TEAM_PRIZES,
    )
    assert [(line.label, line.count, line.amount) for line in budget.lines] == [
        ("参与奖", 16, D(800)),
        ("乒乓球单打", 4, D(70)),
        ("羽毛球单打", 3, D(60)),
        ("定点投篮", 3, D(60)),
        ("团体奖", 3, D(760)),
    ]
    assert budget.total == D(1750)


def test_participation_rule_excused_is_configurable():
    default = ParticipationRule()
    assert default.award(Attendance.EXCUSED) == D("0.00")
    paid = ParticipationRule(excused=Fraction(1, 2))
    assert paid.award(Attendance.EXCUSED) == D("25.00")
    assert ParticipationRule(amount=D("25.01")).award(Attendance.LATE) == D("12.51")  # 12.505 half up
