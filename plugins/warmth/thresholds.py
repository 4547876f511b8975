"""Regional thresholds for 送温暖 eligibility, kept as data and versioned by region and year.

Each region (a 县区 or 城市, keyed by its administrative division code) publishes its own
最低生活保障线 (低保线) and may revise it during the year; the plans also leave the shares
("超过家庭年收入的50%") and the "略高于低保线" multiple to local rules. A
:class:`ThresholdSet` holds one published version; a :class:`ThresholdTable` picks the one
that applies to a region, a year and optionally a date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from plugins.warmth.money import fmt_money, fmt_number, fmt_percent, to_money


def fmt_date(day: dt.date) -> str:
    """Format a date the Chinese way without leading zeros, e.g. ``2024年7月1日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def _check_ratio(value: Decimal, label: str) -> None:
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise TypeError(f"{label}必须是 Decimal 类型，不能使用浮点数")
    if not value.is_finite():
        raise ValueError(f"{label}必须是有限的数值")


@dataclass(frozen=True, kw_only=True)
class ThresholdSet:
    """One published version of a region's thresholds for one year.

    ``dibao_monthly`` is the 低保线 per person per month in yuan. ``near_line_multiple`` bounds
    "略高于低保线": a per-head monthly income below ``multiple × 低保线`` counts as slightly
    above the line. ``medical_share``, ``tuition_share`` and ``disaster_share`` are the shares of
    the household's yearly income that family-paid medical costs, tuition beyond compulsory
    education, and disaster / loss-of-working-ability spending must exceed (0.50 in the
    provincial plan). ``effective_from`` of ``None`` means 1 January of ``year`` (see :attr:`starts`).
    """

    region_code: str
    region_name: str
    year: int
    version: str
    dibao_monthly: Decimal
    near_line_multiple: Decimal
    medical_share: Decimal
    tuition_share: Decimal
    disaster_share: Decimal
    effective_from: dt.date | None = None
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.region_code.strip():
            raise ValueError("地区代码不能为空")
        if not self.region_name.strip():
            raise ValueError("地区名称不能为空")
        if not self.version.strip():
            raise ValueError("标准版本号不能为空")
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise TypeError("年度必须是整数")
        if not 1990 <= self.year <= 2200:
            raise ValueError(f"年度 {self.year} 不在合理范围内")
        object.__setattr__(
            self, "dibao_monthly", to_money(self.dibao_monthly, "低保线")
        )
        if self.dibao_monthly <= 0:
            raise ValueError("低保线必须大于 0")
        _check_ratio(self.near_line_multiple, "略高于低保线的倍数")
        if self.near_line_multiple < 1:
            raise ValueError(
                f"略高于低保线的倍数必须不小于 1，收到 {fmt_number(self.near_line_multiple)}"
            )
        for name, label in (
            ("medical_share", "医疗费占家庭年收入比例"),
            ("tuition_share", "学费占家庭年收入比例"),
            ("disaster_share", "灾害或丧失劳动能力支出占家庭年收入比例"),
        ):
            share: Decimal = getattr(self, name)
            _check_ratio(share, label)
            if not 0 < share <= 1:
                raise ValueError(f"{label}必须大于 0 且不超过 100%，收到 {share}")
        if self.effective_from is not None and self.effective_from.year != self.year:
            raise ValueError(
                f"生效日期 {fmt_date(self.effective_from)} 不在标准年度 {self.year} 年内"
            )

    @property
    def starts(self) -> dt.date:
        """The first day this version applies (1 January of the year unless revised mid-year)."""
        return self.effective_from or dt.date(self.year, 1, 1)

    @property
    def near_line_limit(self) -> Decimal:
        """The per-head monthly income below which a household is "slightly above the line"."""
        return to_money(
            self.dibao_monthly * self.near_line_multiple, "略高于低保线上限"
        )

    @property
    def reference(self) -> str:
        """A Chinese reference to this version for traces, e.g. ``XX县（410101）2024年 第1版``."""
        return f"{self.region_name}（{self.region_code}）{self.year}年 {self.version}"

    def describe(self) -> str:
        """One line summarising every figure of this version, in Chinese."""
        return (
            f"{self.reference}：低保线 {fmt_money(self.dibao_monthly)} 元/人·月，"
            f"略高于低保线上限 {fmt_number(self.near_line_multiple)} 倍，"
            f"医疗费 {fmt_percent(self.medical_share)}，学费 {fmt_percent(self.tuition_share)}，"
            f"灾害或丧失劳动能力支出 {fmt_percent(self.disaster_share)}，"
            f"自 {fmt_date(self.starts)} 起执行"
        )


class ThresholdNotFoundError(LookupError):
    """No threshold set has been entered for the requested region and year (or date)."""

    def __init__(self, message: str, region_code: str, year: int) -> None:
        super().__init__(message)
        self.region_code = region_code
        self.year = year


class ThresholdTable:
    """All threshold versions known to the system, looked up by region code and year."""

    def __init__(self, sets: Iterable[ThresholdSet] = ()) -> None:
        """Build a table from ``sets``; duplicates are refused as in :meth:`add`."""
        self._sets: list[ThresholdSet] = []
        for threshold_set in sets:
            self.add(threshold_set)

    def add(self, threshold_set: ThresholdSet) -> None:
        """Add one version; refuse a second version with the same start date or label."""
        for existing in self._sets:
            if (existing.region_code, existing.year) != (
                threshold_set.region_code,
                threshold_set.year,
            ):
                continue
            if existing.starts == threshold_set.starts:
                raise ValueError(
                    f"{existing.region_name}（{existing.region_code}）{existing.year}年"
                    f"已有自 {fmt_date(existing.starts)} 起执行的标准（{existing.version}）"
                )
            if existing.version == threshold_set.version:
                raise ValueError(
                    f"{existing.region_name}（{existing.region_code}）{existing.year}年"
                    f"已有版本“{existing.version}”"
                )
        self._sets.append(threshold_set)

    def __iter__(self) -> Iterator[ThresholdSet]:
        return iter(sorted(self._sets, key=lambda s: (s.region_code, s.year, s.starts)))

    def __len__(self) -> int:
        return len(self._sets)

    def lookup(
        self, region_code: str, year: int, on: dt.date | None = None
    ) -> ThresholdSet:
        """Return the threshold set for ``region_code`` in ``year``.

        Without ``on`` the latest version of that year is returned; with ``on`` (a date inside
        ``year``) the version in force on that day. Raises :class:`ThresholdNotFoundError`
        with a Chinese message when nothing applies; thresholds of another year are never
        used in place of the requested one.
        """
        if on is not None and on.year != year:
            raise ValueError(f"查询日期 {fmt_date(on)} 不在 {year} 年内")
        in_region = [s for s in self._sets if s.region_code == region_code]
        candidates = [s for s in in_region if s.year == year]
        if not candidates:
            if in_region:
                name = in_region[0].region_name
                years = "、".join(str(y) for y in sorted({s.year for s in in_region}))
                message = (
                    f"未找到{name}（{region_code}）{year}年的困难职工认定标准（低保线等），"
                    f"已录入的年度：{years}。请先录入该地区{year}年的标准"
                )
            else:
                message = (
                    f"未找到地区代码 {region_code} 的困难职工认定标准（低保线等），"
                    f"请先录入该地区{year}年的标准"
                )
            raise ThresholdNotFoundError(message, region_code, year)
        if on is not None:
            candidates = [s for s in candidates if s.starts <= on]
            if not candidates:
                first = min(
                    s.starts
                    for s in self._sets
                    if s.region_code == region_code and s.year == year
                )
                raise ThresholdNotFoundError(
                    f"{in_region[0].region_name}（{region_code}）{year}年的标准"
                    f"自 {fmt_date(first)} 起执行，{fmt_date(on)} 尚无生效的标准",
                    region_code,
                    year,
                )
        return max(candidates, key=lambda s: s.starts)
