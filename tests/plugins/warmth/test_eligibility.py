"""Tests for the 送温暖 eligibility engine (plugins.warmth.eligibility)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.warmth.eligibility import (
    EXCLUSIONS,
    RULES,
    Decision,
    HardshipCause,
    HouseholdFacts,
    Offence,
    TraceEntry,
    assess,
    self_test,
)
from plugins.warmth.thresholds import (
    ThresholdNotFoundError,
    ThresholdSet,
    ThresholdTable,
)

D = Decimal

# A county with a 低保线 of 760 yuan per person per month; "slightly above" is below 1.5 × line
# (1,140 yuan); the provincial plan's 50% shares.
XX_2024 = ThresholdSet(
    region_code="410101",
    region_name="XX县",
    year=2024,
    version="第1版",
    dibao_monthly=D("760"),
    near_line_multiple=D("1.5"),
    medical_share=D("0.50"),
    tuition_share=D("0.50"),
    disaster_share=D("0.50"),
    source="XX县民政局关于公布2024年城乡低保标准的通知",
)
TABLE = ThresholdTable([XX_2024])
REF = "XX县（410101）2024年 第1版"


def household(**changes: Any) -> HouseholdFacts:
    """A three-person household that meets no rule and no exclusion.

    Yearly income 60,000 yuan = 1,666.67 yuan per head per month, above 1.5 × 760.
    """
    base: dict[str, Any] = {
        "members": 3,
        "yearly_income": D("60000.00"),
        "dues_paid_in_full_and_on_time": True,
        "is_worker": True,
    }
    base.update(changes)
    return HouseholdFacts(**base)


def eligible_household(**changes: Any) -> HouseholdFacts:
    """A household eligible under the income rule alone (620.00 yuan per head per month)."""
    return household(yearly_income=D("22320.00"), **changes)


def figures(decision: Decision, code: str) -> str:
    (entry,) = [e for e in decision.trace if e.code == code]
    return entry.figures


# --- baseline --------------------------------------------------------------------------------


def test_baseline_household_meets_nothing() -> None:
    decision = assess(household(), XX_2024)
    assert not decision.eligible
    assert decision.matched_codes == ()
    assert decision.exclusion_codes == ()
    assert decision.summary == "不符合困难职工帮扶条件：未满足任何一项认定条件。"


def test_trace_lists_every_exclusion_then_every_rule() -> None:
    decision = assess(household(), XX_2024)
    assert [e.code for e in decision.trace] == [*EXCLUSIONS, *RULES]
    assert all(e.kind == "exclusion" for e in decision.trace[: len(EXCLUSIONS)])
    assert all(e.threshold_version is None for e in decision.trace[: len(EXCLUSIONS)])
    assert all(e.threshold_version == REF for e in decision.trace[len(EXCLUSIONS) :])


def test_codes_are_stable() -> None:
    assert list(RULES) == [
        "income_below_line",
        "income_near_line_with_cause",
        "medical_costs_over_share",
        "tuition_over_share",
        "disaster_or_disability_over_share",
        "migrant_worker_hardship",
    ]
    assert list(EXCLUSIONS) == [
        "excl_not_a_worker",
        "excl_dues_unpaid",
        "excl_illness_closed_last_year",
        "excl_offence",
        "excl_business_with_employees",
        "excl_car_or_premium_motorbike",
        "excl_commercial_housing_or_premium_decoration",
        "excl_stock_investment",
        "excl_school_choice_or_study_abroad",
        "excl_falsified_application",
    ]


# --- rule: income below the 低保线 ------------------------------------------------------------


def test_income_below_line_meets_only_that_rule() -> None:
    decision = assess(household(yearly_income=D("22320.00")), XX_2024)  # 620.00 / head
    assert decision.eligible
    assert decision.matched_codes == ("income_below_line",)
    assert (
        figures(decision, "income_below_line")
        == "人均月收入 620.00 元 < 低保线 760.00 元"
    )


def test_income_below_line_one_fen_below_the_line() -> None:
    decision = assess(household(yearly_income=D("27359.64")), XX_2024)  # 759.99 / head
    assert decision.matched_codes == ("income_below_line",)


def test_income_below_line_edge_exactly_on_the_line_is_not_below() -> None:
    decision = assess(household(yearly_income=D("27360.00")), XX_2024)  # 760.00 / head
    assert not decision.eligible
    assert (
        figures(decision, "income_below_line")
        == "人均月收入 760.00 元 ≥ 低保线 760.00 元"
    )


def test_income_below_line_compares_the_rounded_figure_it_shows() -> None:
    # 27,359.83 / 36 = 759.995…, shown and compared as 760.00: the trace never contradicts itself.
    decision = assess(household(yearly_income=D("27359.83")), XX_2024)
    assert decision.per_head_monthly_income == D("760.00")
    assert not decision.eligible


def test_income_basis_shows_the_computation() -> None:
    decision = assess(household(yearly_income=D("22320.00")), XX_2024)
    assert decision.income_basis == (
        "家庭年收入 22320.00 元 ÷ 3 人 ÷ 12 个月 = 人均月收入 620.00 元"
    )


# --- rule: slightly above the line with a hardship cause ------------------------------------


def test_near_line_with_cause_meets_only_that_rule() -> None:
    facts = household(yearly_income=D("32400.00"), main_cause=HardshipCause.ILLNESS)
    decision = assess(facts, XX_2024)  # 900.00 / head
    assert decision.eligible
    assert decision.matched_codes == ("income_near_line_with_cause",)
    assert figures(decision, "income_near_line_with_cause") == (
        "低保线 760.00 元 ≤ 人均月收入 900.00 元 < 低保线 760.00 元 × 1.5 = 1140.00 元"
        "；致困原因：因病（主要）"
    )


def test_near_line_counts_unemployment_as_a_cause() -> None:
    decision = assess(household(yearly_income=D("32400.00"), unemployed=True), XX_2024)
    assert decision.matched_codes == ("income_near_line_with_cause",)
    assert figures(decision, "income_near_line_with_cause").endswith(
        "；致困原因：下岗失业"
    )


def test_near_line_one_fen_below_the_upper_limit() -> None:
    facts = household(yearly_income=D("41039.64"), main_cause=HardshipCause.EDUCATION)
    assert assess(facts, XX_2024).matched_codes == ("income_near_line_with_cause",)


def test_near_line_edge_at_the_upper_limit_is_not_slightly_above() -> None:
    facts = household(yearly_income=D("41040.00"), main_cause=HardshipCause.EDUCATION)
    decision = assess(facts, XX_2024)  # 1,140.00 / head
    assert not decision.eligible
    assert figures(decision, "income_near_line_with_cause") == (
        "人均月收入 1140.00 元 ≥ 低保线 760.00 元 × 1.5 = 1140.00 元"
    )


def test_near_line_without_a_cause_does_not_qualify() -> None:
    decision = assess(household(yearly_income=D("32400.00")), XX_2024)
    assert not decision.eligible
    assert figures(decision, "income_near_line_with_cause") == (
        "低保线 760.00 元 ≤ 人均月收入 900.00 元 < 低保线 760.00 元 × 1.5 = 1140.00 元"
        "；无下岗失业、疾病、灾害事故或子女教育等致困原因"
    )


def test_near_line_starts_at_the_line_below_it_the_income_rule_applies() -> None:
    facts = household(yearly_income=D("22320.00"), main_cause=HardshipCause.DISASTER)
    decision = assess(facts, XX_2024)
    assert decision.matched_codes == ("income_below_line",)
    assert figures(decision, "income_near_line_with_cause") == (
        "人均月收入 620.00 元 < 低保线 760.00 元，不属于略高于低保线"
    )
    on_the_line = household(
        yearly_income=D("27360.00"), main_cause=HardshipCause.DISASTER
    )
    assert assess(on_the_line, XX_2024).matched_codes == (
        "income_near_line_with_cause",
    )


# --- rules: costs above a share of the yearly income ----------------------------------------


def test_medical_costs_over_half_the_income_meets_only_that_rule() -> None:
    decision = assess(household(medical_costs=D("30000.01")), XX_2024)
    assert decision.eligible
    assert decision.matched_codes == ("medical_costs_over_share",)
    assert figures(decision, "medical_costs_over_share") == (
        "家庭自付医疗费 30000.01 元 > 家庭年收入 60000.00 元 × 50% = 30000.00 元"
    )


def test_medical_costs_edge_exactly_half_is_not_over() -> None:
    decision = assess(household(medical_costs=D("30000.00")), XX_2024)
    assert not decision.eligible
    assert figures(decision, "medical_costs_over_share") == (
        "家庭自付医疗费 30000.00 元 ≤ 家庭年收入 60000.00 元 × 50% = 30000.00 元"
    )


def test_tuition_over_half_the_income_meets_only_that_rule() -> None:
    decision = assess(household(tuition_beyond_compulsory=D("30000.01")), XX_2024)
    assert decision.eligible
    assert decision.matched_codes == ("tuition_over_share",)
    assert figures(decision, "tuition_over_share") == (
        "义务教育以外学费 30000.01 元 > 家庭年收入 60000.00 元 × 50% = 30000.00 元"
    )


def test_tuition_edge_exactly_half_is_not_over() -> None:
    decision = assess(household(tuition_beyond_compulsory=D("30000.00")), XX_2024)
    assert not decision.eligible
    assert decision.matched_codes == ()


def test_disaster_spending_over_half_the_income_meets_only_that_rule() -> None:
    decision = assess(household(disaster_or_disability_spending=D("30000.01")), XX_2024)
    assert decision.eligible
    assert decision.matched_codes == ("disaster_or_disability_over_share",)
    assert figures(decision, "disaster_or_disability_over_share") == (
        "灾害损失或丧失劳动能力支出 30000.01 元 > 家庭年收入 60000.00 元 × 50% = 30000.00 元"
    )


def test_disaster_spending_edge_exactly_half_is_not_over() -> None:
    decision = assess(household(disaster_or_disability_spending=D("30000.00")), XX_2024)
    assert not decision.eligible
    assert decision.matched_codes == ()


def test_share_comes_from_the_threshold_set() -> None:
    stricter = dataclasses.replace(XX_2024, version="第2版", medical_share=D("0.40"))
    facts = household(medical_costs=D("24000.01"))
    assert assess(facts, XX_2024).matched_codes == ()
    decision = assess(facts, stricter)
    assert decision.matched_codes == ("medical_costs_over_share",)
    assert figures(decision, "medical_costs_over_share") == (
        "家庭自付医疗费 24000.01 元 > 家庭年收入 60000.00 元 × 40% = 24000.00 元"
    )
    assert decision.threshold_version == "XX县（410101）2024年 第2版"


def test_zero_income_with_any_medical_cost_is_over_the_share() -> None:
    facts = household(members=1, yearly_income=D("0"), medical_costs=D("0.01"))
    assert "medical_costs_over_share" in assess(facts, XX_2024).matched_codes


# --- rule: migrant worker in hardship ---------------------------------------------------------


def test_migrant_worker_in_hardship_meets_only_that_rule() -> None:
    facts = household(is_migrant_worker=True, main_cause=HardshipCause.EMPLOYMENT)
    decision = assess(facts, XX_2024)
    assert decision.eligible
    assert decision.matched_codes == ("migrant_worker_hardship",)
    assert (
        figures(decision, "migrant_worker_hardship") == "农民工；致困原因：因业（主要）"
    )


def test_migrant_worker_without_hardship_does_not_qualify() -> None:
    decision = assess(household(is_migrant_worker=True), XX_2024)
    assert not decision.eligible
    assert figures(decision, "migrant_worker_hardship") == "农民工，但未登记致困原因"


def test_hardship_cause_without_being_a_migrant_worker_is_not_that_rule() -> None:
    decision = assess(household(main_cause=HardshipCause.EMPLOYMENT), XX_2024)
    assert not decision.eligible
    assert figures(decision, "migrant_worker_hardship") == "非农民工"


# --- exclusions -------------------------------------------------------------------------------

EXCLUSION_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("excl_not_a_worker", {"is_worker": False}, "申请人不具有职工身份"),
    (
        "excl_dues_unpaid",
        {"dues_paid_in_full_and_on_time": False},
        "未按时足额缴纳会费",
    ),
    (
        "excl_illness_closed_last_year",
        {"illness_closed_last_year": True},
        "重病或意外伤害已在上一年度治愈或治疗终结",
    ),
    (
        "excl_offence",
        {"hardship_from_offence": Offence.GAMBLING},
        "因赌博导致家庭生活困难",
    ),
    (
        "excl_business_with_employees",
        {"has_business_with_employees": True},
        "拥有固定经营场所且使用雇工",
    ),
    (
        "excl_car_or_premium_motorbike",
        {"owns_car_or_premium_motorbike": True},
        "购买并使用汽车或高档摩托车",
    ),
    (
        "excl_commercial_housing_or_premium_decoration",
        {"bought_commercial_housing_or_premium_decoration": True},
        "购买商品房或进行高档装修",
    ),
    ("excl_stock_investment", {"invests_in_stocks": True}, "有购买股票等投资行为"),
    (
        "excl_school_choice_or_study_abroad",
        {"paid_school_choice_or_study_abroad": True},
        "出资安排子女择校就读或自费出国留学",
    ),
    (
        "excl_falsified_application",
        {"falsified_application": True},
        "经核实申报材料弄虚作假",
    ),
]


def test_every_exclusion_has_a_case() -> None:
    assert [code for code, _, _ in EXCLUSION_CASES] == list(EXCLUSIONS)


@pytest.mark.parametrize(
    ("code", "change", "expected_figures"),
    EXCLUSION_CASES,
    ids=[code for code, _, _ in EXCLUSION_CASES],
)
def test_exclusion_excludes_an_otherwise_eligible_household(
    code: str, change: dict[str, Any], expected_figures: str
) -> None:
    decision = assess(eligible_household(**change), XX_2024)
    assert not decision.eligible
    assert decision.exclusion_codes == (code,)
    assert figures(decision, code) == expected_figures
    # The rules are still evaluated so the reviewer sees what would have matched.
    assert decision.matched_codes == ("income_below_line",)
    assert decision.summary == f"不予帮扶：{EXCLUSIONS[code]}。"


@pytest.mark.parametrize("offence", list(Offence), ids=[o.value for o in Offence])
def test_offence_exclusion_names_the_offence(offence: Offence) -> None:
    decision = assess(eligible_household(hardship_from_offence=offence), XX_2024)
    assert decision.exclusion_codes == ("excl_offence",)
    assert figures(decision, "excl_offence") == f"因{offence.label}导致家庭生活困难"


def test_offence_labels() -> None:
    assert [o.label for o in Offence] == [
        "违反计划生育",
        "自杀",
        "醉酒",
        "打架斗殴",
        "赌博",
        "吸毒",
        "其他违法行为",
    ]


def test_two_exclusions_are_both_reported() -> None:
    facts = eligible_household(
        dues_paid_in_full_and_on_time=False, owns_car_or_premium_motorbike=True
    )
    decision = assess(facts, XX_2024)
    assert not decision.eligible
    assert decision.exclusion_codes == (
        "excl_dues_unpaid",
        "excl_car_or_premium_motorbike",
    )
    assert decision.summary == (
        "不予帮扶：未按时足额缴纳会费；当年购买并使用汽车、高档摩托车。"
    )


def test_exclusion_without_any_rule_is_still_reported() -> None:
    decision = assess(household(is_worker=False), XX_2024)
    assert decision.exclusion_codes == ("excl_not_a_worker",)
    assert decision.matched_codes == ()


# --- the trace, word for word -----------------------------------------------------------------


def test_trace_word_for_word_for_a_sample_household() -> None:
    # 4 people, 40,800 yuan a year (850.00 per head per month), main cause illness, a child at
    # university, 23,000 yuan of family-paid medical costs, dues unpaid.
    facts = HouseholdFacts(
        members=4,
        yearly_income=D("40800"),
        medical_costs=D("23000"),
        tuition_beyond_compulsory=D("9600"),
        main_cause=HardshipCause.ILLNESS,
        secondary_causes=(HardshipCause.EDUCATION,),
        dues_paid_in_full_and_on_time=False,
        is_worker=True,
    )
    decision = assess(facts, XX_2024)
    assert [e.text for e in decision.trace] == [
        "申请人不具有职工身份【excl_not_a_worker】：申请人具有职工身份 → 不适用",
        "未按时足额缴纳会费【excl_dues_unpaid】：未按时足额缴纳会费 → 适用排除",
        (
            "本人或直系亲属重病或意外伤害在上一年度已治愈或治疗终结"
            "【excl_illness_closed_last_year】：无上一年度已治愈或治疗终结的情形 → 不适用"
        ),
        (
            "因违反计划生育、自杀、醉酒、打架斗殴、赌博、吸毒或其他违法行为导致家庭生活困难"
            "【excl_offence】：无因违法违规行为致困的情形 → 不适用"
        ),
        "当年拥有固定经营场所且使用雇工【excl_business_with_employees】：无雇工经营 → 不适用",
        (
            "当年购买并使用汽车、高档摩托车【excl_car_or_premium_motorbike】"
            "：未购买使用汽车或高档摩托车 → 不适用"
        ),
        (
            "当年购买商品房或进行高档装修【excl_commercial_housing_or_premium_decoration】"
            "：未购买商品房或进行高档装修 → 不适用"
        ),
        "当年有购买股票等投资行为【excl_stock_investment】：无股票等投资行为 → 不适用",
        (
            "当年出资安排子女择校就读或自费出国留学【excl_school_choice_or_study_abroad】"
            "：无择校或自费留学支出 → 不适用"
        ),
        "经核实属于弄虚作假欺骗审查【excl_falsified_application】：未发现弄虚作假 → 不适用",
        (
            "家庭人均收入低于当地低保线【income_below_line】（标准：XX县（410101）2024年 第1版）"
            "：人均月收入 850.00 元 ≥ 低保线 760.00 元 → 不符合"
        ),
        (
            "家庭人均收入略高于低保线，但因下岗失业、重大疾病、意外事故、灾害或子女教育等原因生活困难"
            "【income_near_line_with_cause】（标准：XX县（410101）2024年 第1版）"
            "：低保线 760.00 元 ≤ 人均月收入 850.00 元 < 低保线 760.00 元 × 1.5 = 1140.00 元"
            "；致困原因：因病（主要）、因学（次要） → 符合"
        ),
        (
            "年医疗费个人累计支出超过家庭年收入的规定比例【medical_costs_over_share】"
            "（标准：XX县（410101）2024年 第1版）"
            "：家庭自付医疗费 23000.00 元 > 家庭年收入 40800.00 元 × 50% = 20400.00 元 → 符合"
        ),
        (
            "子女接受义务教育以外的全日制学历教育，支付学费超过家庭年收入的规定比例"
            "【tuition_over_share】（标准：XX县（410101）2024年 第1版）"
            "：义务教育以外学费 9600.00 元 ≤ 家庭年收入 40800.00 元 × 50% = 20400.00 元 → 不符合"
        ),
        (
            "因灾害事故造成财产重大损失或丧失劳动能力，支出超过家庭年收入的规定比例"
            "【disaster_or_disability_over_share】（标准：XX县（410101）2024年 第1版）"
            "：灾害损失或丧失劳动能力支出 0.00 元 ≤ 家庭年收入 40800.00 元 × 50% = 20400.00 元"
            " → 不符合"
        ),
        (
            "生活困难的农民工【migrant_worker_hardship】（标准：XX县（410101）2024年 第1版）"
            "：非农民工 → 不符合"
        ),
    ]
    assert not decision.eligible
    assert decision.matched_codes == (
        "income_near_line_with_cause",
        "medical_costs_over_share",
    )
    assert decision.summary == "不予帮扶：未按时足额缴纳会费。"


def test_trace_entry_fields() -> None:
    decision = assess(household(yearly_income=D("22320.00")), XX_2024)
    (entry,) = decision.matched_rules
    assert entry == TraceEntry(
        code="income_below_line",
        label="家庭人均收入低于当地低保线",
        kind="rule",
        threshold_version="XX县（410101）2024年 第1版",
        figures="人均月收入 620.00 元 < 低保线 760.00 元",
        met=True,
    )
    assert entry.outcome == "符合"
    assert decision.summary == "符合困难职工帮扶条件：家庭人均收入低于当地低保线。"


def test_decision_to_dict_is_json_ready() -> None:
    import json

    decision = assess(household(yearly_income=D("22320.00")), XX_2024)
    data = decision.to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["per_head_monthly_income"] == "620.00"
    assert data["matched_rules"] == ["income_below_line"]
    assert data["trace"][10]["figures"] == "人均月收入 620.00 元 < 低保线 760.00 元"


# --- thresholds: lookup and the missing set ---------------------------------------------------


def test_lookup_finds_the_set_for_region_and_year() -> None:
    assert TABLE.lookup("410101", 2024) is XX_2024


def test_missing_threshold_set_for_the_year_raises_a_chinese_error() -> None:
    with pytest.raises(ThresholdNotFoundError) as caught:
        TABLE.lookup("410101", 2025)
    assert str(caught.value) == (
        "未找到XX县（410101）2025年的困难职工认定标准（低保线等），已录入的年度：2024。"
        "请先录入该地区2025年的标准"
    )
    assert (caught.value.region_code, caught.value.year) == ("410101", 2025)


def test_missing_region_raises_a_chinese_error() -> None:
    with pytest.raises(
        ThresholdNotFoundError, match="^未找到地区代码 320100 的困难职工认定标准"
    ):
        TABLE.lookup("320100", 2024)


def test_missing_threshold_set_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        ThresholdTable().lookup("410101", 2024)


def test_mid_year_revision_is_picked_by_date() -> None:
    july = dataclasses.replace(
        XX_2024,
        version="第2版",
        dibao_monthly=D("800"),
        effective_from=dt.date(2024, 7, 1),
    )
    table = ThresholdTable([XX_2024, july])
    assert table.lookup("410101", 2024, on=dt.date(2024, 6, 30)) is XX_2024
    assert table.lookup("410101", 2024, on=dt.date(2024, 7, 1)) is july
    assert table.lookup("410101", 2024) is july
    facts = household(yearly_income=D("28080.00"))  # 780.00 / head
    assert not assess(facts, XX_2024).eligible
    assert assess(facts, july).matched_codes == ("income_below_line",)


# --- self-test page ---------------------------------------------------------------------------


def test_self_test_returns_the_same_decision_shape() -> None:
    decision = self_test(
        XX_2024, members="3", yearly_income="32,400 元", main_cause="因病"
    )
    assert isinstance(decision, Decision)
    assert decision.is_self_test
    assert decision.eligible
    assert decision.matched_codes == ("income_near_line_with_cause",)
    assert decision.summary == (
        "自测结果（仅供参考，以工会审核为准）——您可能符合困难职工帮扶条件："
        "家庭人均收入略高于低保线，但因下岗失业、重大疾病、意外事故、灾害或子女教育等原因生活困难。"
        "请向所在基层工会提出申请。"
    )


def test_self_test_marks_the_exclusions_it_does_not_ask() -> None:
    decision = self_test(XX_2024, members=3, yearly_income=D("22320"))
    asked = {"excl_not_a_worker", "excl_dues_unpaid"}
    for entry in decision.trace[: len(EXCLUSIONS)]:
        if entry.code in asked:
            assert entry.figures != "自测未询问此项，按不适用计"
        else:
            assert entry.figures == "自测未询问此项，按不适用计"
            assert not entry.met


def test_self_test_reports_unpaid_dues() -> None:
    decision = self_test(
        XX_2024, members=3, yearly_income="22320", dues_paid_in_full_and_on_time=False
    )
    assert not decision.eligible
    assert decision.exclusion_codes == ("excl_dues_unpaid",)
    assert (
        decision.summary
        == "自测结果（仅供参考，以工会审核为准）——不予帮扶：未按时足额缴纳会费。"
    )


def test_self_test_accepts_fullwidth_digits_and_cause_values() -> None:
    decision = self_test(
        XX_2024,
        members="３",
        yearly_income="６００００",
        medical_costs="30,000.01",
        main_cause="illness",
    )
    assert decision.matched_codes == ("medical_costs_over_share",)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"members": "三", "yearly_income": "1000"}, "家庭人口数“三”不是有效的整数"),
        ({"members": 0, "yearly_income": "1000"}, "家庭人口数至少为 1 人，收到 0"),
        ({"members": 2, "yearly_income": "abc"}, "家庭年收入“abc”不是有效的金额"),
        ({"members": 2, "yearly_income": "-5"}, "家庭年收入不能为负数：-5"),
        (
            {"members": 2, "yearly_income": "100.005"},
            "家庭年收入最多保留两位小数：100.005",
        ),
        ({"members": 2, "yearly_income": ""}, "请填写家庭年收入"),
        (
            {"members": 2, "yearly_income": "1000", "main_cause": "因穷"},
            "致困原因“因穷”无效，应为因病、因学、因业或因灾",
        ),
    ],
)
def test_self_test_rejects_bad_input_in_chinese(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        self_test(XX_2024, **kwargs)
    assert str(caught.value) == message


def test_self_test_refuses_float() -> None:
    with pytest.raises(TypeError, match="浮点数"):
        self_test(XX_2024, members=3, yearly_income=22320.0)  # type: ignore[arg-type]


# --- validation: no float, sane facts ---------------------------------------------------------


def test_facts_refuse_float_money() -> None:
    with pytest.raises(TypeError, match="家庭年收入不能使用浮点数"):
        household(yearly_income=22320.0)


def test_thresholds_refuse_float() -> None:
    with pytest.raises(TypeError, match="低保线不能使用浮点数"):
        dataclasses.replace(XX_2024, dibao_monthly=760.0)
    with pytest.raises(TypeError, match="不能使用浮点数"):
        dataclasses.replace(XX_2024, medical_share=0.5)


def test_facts_refuse_truthy_strings_for_flags() -> None:
    with pytest.raises(TypeError, match="is_worker 必须是布尔值"):
        household(is_worker="否")


def test_facts_round_money_to_two_places() -> None:
    assert household(yearly_income=D("22320.005")).yearly_income == D("22320.01")


def test_secondary_cause_needs_a_main_cause() -> None:
    with pytest.raises(ValueError, match="填写次要致困原因前须先填写主要致困原因"):
        household(secondary_causes=(HardshipCause.ILLNESS,))
    with pytest.raises(ValueError, match="因病已是主要致困原因"):
        household(
            main_cause=HardshipCause.ILLNESS, secondary_causes=(HardshipCause.ILLNESS,)
        )


# --- properties -------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=500_000, places=2, allow_nan=False)
causes = st.lists(st.sampled_from(list(HardshipCause)), unique=True, max_size=4)


@st.composite
def facts_strategy(draw: st.DrawFn) -> HouseholdFacts:
    cause_list = draw(causes)
    return HouseholdFacts(
        members=draw(st.integers(min_value=1, max_value=9)),
        yearly_income=draw(money),
        essential_spending=draw(money),
        medical_costs=draw(money),
        tuition_beyond_compulsory=draw(money),
        disaster_or_disability_spending=draw(money),
        main_cause=cause_list[0] if cause_list else None,
        secondary_causes=tuple(cause_list[1:]),
        unemployed=draw(st.booleans()),
        is_migrant_worker=draw(st.booleans()),
        dues_paid_in_full_and_on_time=draw(st.booleans()),
        is_worker=draw(st.booleans()),
        illness_closed_last_year=draw(st.booleans()),
        hardship_from_offence=draw(st.none() | st.sampled_from(list(Offence))),
        has_business_with_employees=draw(st.booleans()),
        owns_car_or_premium_motorbike=draw(st.booleans()),
        bought_commercial_housing_or_premium_decoration=draw(st.booleans()),
        invests_in_stocks=draw(st.booleans()),
        paid_school_choice_or_study_abroad=draw(st.booleans()),
        falsified_application=draw(st.booleans()),
    )


thresholds_strategy = st.builds(
    ThresholdSet,
    region_code=st.just("410101"),
    region_name=st.just("XX县"),
    year=st.just(2024),
    version=st.just("第1版"),
    dibao_monthly=st.decimals(min_value=300, max_value=1500, places=2),
    near_line_multiple=st.decimals(min_value=1, max_value=3, places=2),
    medical_share=st.decimals(min_value=D("0.01"), max_value=1, places=2),
    tuition_share=st.decimals(min_value=D("0.01"), max_value=1, places=2),
    disaster_share=st.decimals(min_value=D("0.01"), max_value=1, places=2),
)


@given(facts_strategy(), thresholds_strategy, money)
def test_raising_income_never_turns_the_income_rule_on(
    facts: HouseholdFacts, ts: ThresholdSet, raise_by: Decimal
) -> None:
    richer = dataclasses.replace(facts, yearly_income=facts.yearly_income + raise_by)
    if "income_below_line" not in assess(facts, ts).matched_codes:
        assert "income_below_line" not in assess(richer, ts).matched_codes


@given(facts_strategy(), thresholds_strategy, money)
def test_raising_income_never_makes_an_ineligible_household_eligible(
    facts: HouseholdFacts, ts: ThresholdSet, raise_by: Decimal
) -> None:
    richer = dataclasses.replace(facts, yearly_income=facts.yearly_income + raise_by)
    if not assess(facts, ts).eligible:
        assert not assess(richer, ts).eligible


@given(facts_strategy(), thresholds_strategy, money)
def test_raising_medical_costs_never_makes_an_eligible_household_ineligible(
    facts: HouseholdFacts, ts: ThresholdSet, raise_by: Decimal
) -> None:
    sicker = dataclasses.replace(facts, medical_costs=facts.medical_costs + raise_by)
    if assess(facts, ts).eligible:
        assert assess(sicker, ts).eligible


@given(facts_strategy(), thresholds_strategy)
def test_eligible_iff_no_exclusion_and_some_rule(
    facts: HouseholdFacts, ts: ThresholdSet
) -> None:
    decision = assess(facts, ts)
    assert decision.eligible == (
        not decision.applied_exclusions and bool(decision.matched_rules)
    )
    assert [e.code for e in decision.trace] == [*EXCLUSIONS, *RULES]
    assert decision.matched_rules == tuple(
        e for e in decision.trace if e.kind == "rule" and e.met
    )
    assert decision.applied_exclusions == tuple(
        e for e in decision.trace if e.kind == "exclusion" and e.met
    )


@given(facts_strategy(), thresholds_strategy)
def test_income_rules_agree_with_the_displayed_figures(
    facts: HouseholdFacts, ts: ThresholdSet
) -> None:
    decision = assess(facts, ts)
    per_head = decision.per_head_monthly_income
    assert per_head.as_tuple().exponent == -2
    below = "income_below_line" in decision.matched_codes
    assert below == (per_head < ts.dibao_monthly)
    assert f"人均月收入 {per_head} 元" in figures(decision, "income_below_line")


def _walk(value: object) -> list[object]:
    found: list[object] = [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            found.extend(_walk(getattr(value, f.name)))
    elif isinstance(value, dict):
        for key, item in value.items():
            found.extend(_walk(key))
            found.extend(_walk(item))
    elif isinstance(value, list | tuple):
        for item in value:
            found.extend(_walk(item))
    return found


@settings(max_examples=200)
@given(facts_strategy(), thresholds_strategy)
def test_no_float_anywhere_and_money_has_two_places(
    facts: HouseholdFacts, ts: ThresholdSet
) -> None:
    decision = assess(facts, ts)
    values = _walk(decision) + _walk(decision.to_dict()) + _walk(facts)
    assert not any(isinstance(v, float) for v in values)
    for name in (
        "yearly_income",
        "essential_spending",
        "medical_costs",
        "tuition_beyond_compulsory",
        "disaster_or_disability_spending",
    ):
        assert getattr(facts, name).as_tuple().exponent == -2
    assert decision.per_head_monthly_income.as_tuple().exponent == -2


@given(
    st.integers(min_value=1, max_value=9),
    money,
    money,
    st.none() | st.sampled_from(list(HardshipCause)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_self_test_agrees_with_assess(
    members: int,
    income: Decimal,
    medical: Decimal,
    cause: HardshipCause | None,
    unemployed: bool,
    migrant: bool,
    dues_paid: bool,
) -> None:
    via_page = self_test(
        XX_2024,
        members=str(members),
        yearly_income=f"{income:,}",
        medical_costs=medical,
        main_cause=cause.label if cause else None,
        unemployed=unemployed,
        is_migrant_worker=migrant,
        dues_paid_in_full_and_on_time=dues_paid,
    )
    direct = assess(
        household(
            members=members,
            yearly_income=income,
            medical_costs=medical,
            main_cause=cause,
            unemployed=unemployed,
            is_migrant_worker=migrant,
            dues_paid_in_full_and_on_time=dues_paid,
        ),
        XX_2024,
    )
    assert via_page.eligible == direct.eligible
    assert via_page.matched_codes == direct.matched_codes
    assert via_page.exclusion_codes == direct.exclusion_codes
    assert via_page.per_head_monthly_income == direct.per_head_monthly_income
