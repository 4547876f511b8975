"""Judged items (毛笔字 etc.): weighted criteria, trimmed mean, deviations, blind numbers."""

from decimal import Decimal

import pytest

from plugins.scoring.judging import (
    Criterion,
    blind_numbers,
    judge_deviations,
    panel_score,
    score_entry,
    weighted_score,
)

D = Decimal
BRUSH = [Criterion("笔法", 30), Criterion("字法", 30), Criterion("章法", 20), Criterion("特色", 20)]

E1_SHEETS = {
    "J1": {"笔法": 90, "字法": 85, "章法": 80, "特色": 70},  # 27 + 25.5 + 16 + 14 = 82.50
    "J2": {"笔法": 88, "字法": 80, "章法": 85, "特色": 75},  # 26.4 + 24 + 17 + 15 = 82.40
    "J3": {"笔法": 95, "字法": 92, "章法": 90, "特色": 88},  # 28.5 + 27.6 + 18 + 17.6 = 91.70
    "J4": {"笔法": 70, "字法": 72, "章法": 65, "特色": 60},  # 21 + 21.6 + 13 + 12 = 67.60
    "J5": {"笔法": 85, "字法": 85, "章法": 80, "特色": 80},  # 25.5 + 25.5 + 16 + 16 = 83.00
}


def test_weighted_score():
    assert weighted_score({"笔法": 90, "字法": 80, "章法": 70, "特色": 60}, BRUSH) == D("77.00")
    assert weighted_score(E1_SHEETS["J3"], BRUSH) == D("91.70")
    # Weights need not add up to 100.
    assert weighted_score({"a": 80, "b": 91}, [Criterion("a", 1), Criterion("b", 2)]) == D("87.33")


def test_weighted_score_validates_marks():
    with pytest.raises(ValueError, match="章法"):
        weighted_score({"笔法": 90, "字法": 80, "特色": 60}, BRUSH)
    with pytest.raises(ValueError, match="outside"):
        weighted_score({"笔法": 101, "字法": 80, "章法": 70, "特色": 60}, BRUSH)
    with pytest.raises(ValueError, match="unknown"):
        weighted_score({"笔法": 90, "字法": 80, "章法": 70, "特色": 60, "速度": 1}, BRUSH)
    with pytest.raises(TypeError):
        weighted_score({"笔法": 90.0, "字法": 80, "章法": 70, "特色": 60}, BRUSH)


def test_panel_drops_highest_and_lowest_and_keeps_every_mark():
    panel = score_entry(E1_SHEETS, BRUSH)
    assert panel.marks == (
        ("J1", D("82.50")),
        ("J2", D("82.40")),
        ("J3", D("91.70")),
        ("J4", D("67.60")),
        ("J5", D("83.00")),
    )
    assert panel.dropped_high == ("J3",)
    assert panel.dropped_low == ("J4",)
    assert [j for j, _ in panel.kept] == ["J1", "J2", "J5"]
    assert panel.score == D("82.63")  # 247.90 / 3 = 82.633...
    assert panel.note == ""
    assert panel.deviations() == {
        "J1": D("-0.13"), "J2": D("-0.23"), "J3": D("9.07"), "J4": D("-15.03"), "J5": D("0.37"),
    }  # fmt: skip


def test_panel_drop_counts_are_configurable():
    marks = {"J1": 80, "J2": 81, "J3": 95, "J4": 60, "J5": 79, "J6": 82, "J7": 50}
    two_each = panel_score(marks, drop_high=2, drop_low=2)
    assert set(two_each.dropped_high) == {"J3", "J6"}
    assert set(two_each.dropped_low) == {"J7", "J4"}
    assert two_each.score == D("80.00")  # (80 + 81 + 79) / 3
    assert panel_score(marks, 0, 0).score == D("75.29")  # 527 / 7 = 75.2857...


def test_too_few_judges_drop_nothing_and_say_so():
    panel = panel_score({"J1": 80, "J2": 91})
    assert panel.score == D("85.50")
    assert panel.dropped_high == panel.dropped_low == ()
    assert "评委仅2人" in panel.note
    three = panel_score({"J1": 80, "J2": 91, "J3": 85})
    assert three.score == D("85.00") and three.note == ""
    with pytest.raises(ValueError):
        panel_score({})


def test_equal_scores_drop_the_judge_listed_first():
    panel = panel_score({"J1": 80, "J2": 80, "J3": 70, "J4": 70})
    assert panel.dropped_high == ("J1",)
    assert panel.dropped_low == ("J3",)
    assert panel.score == D("75.00")


def test_judge_deviations_show_the_outlier():
    e1 = score_entry(E1_SHEETS, BRUSH)
    e2 = panel_score({"J1": 80, "J2": 78, "J3": 90, "J4": 60, "J5": 79})  # score 79.00
    devs = judge_deviations([e1, e2])
    assert [(d.judge, d.entries, d.mean, d.mean_abs, d.max_abs) for d in devs] == [
        ("J4", 2, D("-17.02"), D("17.02"), D("19.00")),
        ("J3", 2, D("10.04"), D("10.04"), D("11.00")),
        ("J2", 2, D("-0.62"), D("0.62"), D("1.00")),
        ("J1", 2, D("0.44"), D("0.57"), D("1.00")),
        ("J5", 2, D("0.19"), D("0.19"), D("0.37")),
    ]


def test_blind_numbers_are_reproducible_from_the_seed():
    teachers = ["王老师", "李老师", "张老师", "陈老师", "刘老师"]
    numbers = blind_numbers(teachers, seed=20240529)
    # Pinned: the same seed must give the same numbers on every machine and release.
    assert numbers == {"刘老师": 1, "张老师": 5, "李老师": 4, "王老师": 3, "陈老师": 2}
    assert blind_numbers(list(reversed(teachers)), seed=20240529) == numbers
    assert blind_numbers(teachers, seed="20240529") == blind_numbers(teachers, seed="20240529")
    others = [blind_numbers(teachers, seed=s) for s in range(20)]
    assert len({tuple(sorted(o.items())) for o in others}) > 1
    assert sorted(blind_numbers(teachers, seed=1, start=101).values()) == [101, 102, 103, 104, 105]
