"""Tests for the regional threshold sets of the 送温暖 plugin (plugins.warmth.thresholds)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from plugins.warmth.thresholds import (
    ThresholdNotFoundError,
    ThresholdSet,
    ThresholdTable,
)

D = Decimal


def thresholds(**changes: Any) -> ThresholdSet:
    base: dict[str, Any] = {
        "region_code": "410101",
        "region_name": "XX县",
        "year": 2024,
        "version": "第1版",
        "dibao_monthly": D("760"),
        "near_line_multiple": D("1.5"),
        "medical_share": D("0.50"),
        "tuition_share": D("0.50"),
        "disaster_share": D("0.50"),
    }
    base.update(changes)
    return ThresholdSet(**base)


def test_defaults_and_derived_figures() -> None:
    ts = thresholds()
    assert ts.dibao_monthly == D("760.00")
    assert ts.dibao_monthly.as_tuple().exponent == -2
    assert ts.starts == dt.date(2024, 1, 1)
    assert ts.near_line_limit == D("1140.00")
    assert ts.reference == "XX县（410101）2024年 第1版"
    assert ts.describe() == (
        "XX县（410101）2024年 第1版：低保线 760.00 元/人·月，略高于低保线上限 1.5 倍，"
        "医疗费 50%，学费 50%，灾害或丧失劳动能力支出 50%，自 2024年1月1日 起执行"
    )


def test_odd_shares_are_shown_as_percentages() -> None:
    ts = thresholds(
        medical_share=D("0.333"), tuition_share=D("1"), near_line_multiple=D("2")
    )
    assert "略高于低保线上限 2 倍" in ts.describe()
    assert "医疗费 33.3%，学费 100%" in ts.describe()


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"dibao_monthly": D("0")}, ValueError, "低保线必须大于 0"),
        ({"dibao_monthly": D("-1")}, ValueError, "低保线不能为负数：-1"),
        ({"dibao_monthly": 760}, TypeError, "低保线必须是 Decimal 类型，收到 int"),
        (
            {"near_line_multiple": D("0.9")},
            ValueError,
            "略高于低保线的倍数必须不小于 1，收到 0.9",
        ),
        (
            {"medical_share": D("0")},
            ValueError,
            "医疗费占家庭年收入比例必须大于 0 且不超过 100%，收到 0",
        ),
        (
            {"disaster_share": D("1.2")},
            ValueError,
            "灾害或丧失劳动能力支出占家庭年收入比例必须大于 0 且不超过 100%，收到 1.2",
        ),
        ({"region_code": " "}, ValueError, "地区代码不能为空"),
        ({"version": ""}, ValueError, "标准版本号不能为空"),
        ({"year": 1800}, ValueError, "年度 1800 不在合理范围内"),
        (
            {"effective_from": dt.date(2023, 12, 1)},
            ValueError,
            "生效日期 2023年12月1日 不在标准年度 2024 年内",
        ),
    ],
)
def test_invalid_thresholds_are_refused_in_chinese(
    changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        thresholds(**changes)
    assert str(caught.value) == message


def test_table_refuses_duplicate_versions() -> None:
    table = ThresholdTable([thresholds()])
    with pytest.raises(ValueError, match="已有自 2024年1月1日 起执行的标准"):
        table.add(thresholds(version="第2版"))
    with pytest.raises(ValueError, match="已有版本“第1版”"):
        table.add(thresholds(effective_from=dt.date(2024, 7, 1)))
    assert len(table) == 1


def test_table_keeps_regions_and_years_apart() -> None:
    xx_2023 = thresholds(year=2023, dibao_monthly=D("720"))
    xx_2024 = thresholds()
    yy_2024 = thresholds(
        region_code="410102", region_name="YY区", dibao_monthly=D("800")
    )
    table = ThresholdTable([xx_2024, yy_2024, xx_2023])
    assert table.lookup("410101", 2023) is xx_2023
    assert table.lookup("410101", 2024) is xx_2024
    assert table.lookup("410102", 2024) is yy_2024
    assert list(table) == [xx_2023, xx_2024, yy_2024]


def test_lookup_before_the_first_version_of_the_year_raises() -> None:
    late = thresholds(effective_from=dt.date(2024, 3, 1))
    table = ThresholdTable([late])
    with pytest.raises(ThresholdNotFoundError) as caught:
        table.lookup("410101", 2024, on=dt.date(2024, 2, 1))
    assert str(caught.value) == (
        "XX县（410101）2024年的标准自 2024年3月1日 起执行，2024年2月1日 尚无生效的标准"
    )


def test_lookup_never_falls_back_to_another_year() -> None:
    table = ThresholdTable([thresholds(year=2023)])
    with pytest.raises(ThresholdNotFoundError, match="已录入的年度：2023"):
        table.lookup("410101", 2024)


def test_lookup_date_must_be_in_the_year() -> None:
    with pytest.raises(ValueError, match="查询日期 2025年1月1日 不在 2024 年内"):
        ThresholdTable([thresholds()]).lookup("410101", 2024, on=dt.date(2025, 1, 1))


def test_next_year_can_be_derived_from_this_year() -> None:
    next_year = dataclasses.replace(thresholds(), year=2025, dibao_monthly=D("790"))
    assert next_year.starts == dt.date(2025, 1, 1)
    assert ThresholdTable([thresholds(), next_year]).lookup("410101", 2025) is next_year


def test_replace_revalidates() -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(thresholds(), tuition_share=D("0"))
