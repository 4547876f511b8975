"""Pure eligibility engine for 送温暖 hardship aid (困难职工认定).

The rules come from the unions' plans (seeds 000, 003, 004 and 002 篇十):

* eligible if any rule holds — household income per head below the 低保线; slightly above it
  with a hardship cause; family-paid medical costs, tuition beyond compulsory education, or
  disaster / loss-of-working-ability spending above a share of the yearly household income;
  a migrant worker (农民工) in hardship;
* excluded if any exclusion applies — the applicant is not a worker, dues unpaid, the illness was
  cured or closed last year, hardship caused by an offence, or in the year: a business with
  employees, a car or premium motorbike, commercial housing or premium decoration, stocks,
  paid school choice or study abroad, a falsified application.

:func:`assess` evaluates every exclusion and every rule, so a reviewer sees all of them, and
returns a :class:`Decision` with a trace in Chinese. :func:`self_test` serves the anonymous
self-test page with the same engine. Money is ``Decimal`` with two places throughout; figures
are rounded half up to the fen *before* they are compared, so the trace always shows the
numbers that decided the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Literal

from plugins.warmth.money import (
    CENT,
    ZERO,
    MoneyInput,
    fmt_money,
    fmt_number,
    fmt_percent,
    parse_money,
    to_money,
)
from plugins.warmth.thresholds import ThresholdSet

__all__ = [
    "EXCLUSIONS",
    "RULES",
    "Decision",
    "HardshipCause",
    "HouseholdFacts",
    "Offence",
    "TraceEntry",
    "assess",
    "self_test",
]


class HardshipCause(StrEnum):
    """Classified cause of hardship (致困原因), as in the provincial plan (seed 002 篇十)."""

    ILLNESS = "illness"
    EDUCATION = "education"
    EMPLOYMENT = "employment"
    DISASTER = "disaster"

    @property
    def label(self) -> str:
        """Chinese label, e.g. ``因病``."""
        return _CAUSE_LABELS[self]


_CAUSE_LABELS: Mapping[HardshipCause, str] = MappingProxyType(
    {
        HardshipCause.ILLNESS: "因病",
        HardshipCause.EDUCATION: "因学",
        HardshipCause.EMPLOYMENT: "因业",
        HardshipCause.DISASTER: "因灾",
    }
)


class Offence(StrEnum):
    """Behaviour whose consequences are not aided (seed 004: 不享受贫困帮扶 ③)."""

    FAMILY_PLANNING = "family_planning"
    SUICIDE = "suicide"
    DRUNKENNESS = "drunkenness"
    FIGHTING = "fighting"
    GAMBLING = "gambling"
    DRUGS = "drugs"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Chinese label, e.g. ``赌博``."""
        return _OFFENCE_LABELS[self]


_OFFENCE_LABELS: Mapping[Offence, str] = MappingProxyType(
    {
        Offence.FAMILY_PLANNING: "违反计划生育",
        Offence.SUICIDE: "自杀",
        Offence.DRUNKENNESS: "醉酒",
        Offence.FIGHTING: "打架斗殴",
        Offence.GAMBLING: "赌博",
        Offence.DRUGS: "吸毒",
        Offence.OTHER: "其他违法行为",
    }
)

RULES: Mapping[str, str] = MappingProxyType(
    {
        "income_below_line": "家庭人均收入低于当地低保线",
        "income_near_line_with_cause": "家庭人均收入略高于低保线，但因下岗失业、重大疾病、意外事故、灾害或子女教育等原因生活困难",
        "medical_costs_over_share": "年医疗费个人累计支出超过家庭年收入的规定比例",
        "tuition_over_share": "子女接受义务教育以外的全日制学历教育，支付学费超过家庭年收入的规定比例",
        "disaster_or_disability_over_share": "因灾害事故造成财产重大损失或丧失劳动能力，支出超过家庭年收入的规定比例",
        "migrant_worker_hardship": "生活困难的农民工",
    }
)
"""Eligibility rules, stable code → Chinese label, in evaluation order."""

EXCLUSIONS: Mapping[str, str] = MappingProxyType(
    {
        "excl_not_a_worker": "申请人不具有职工身份",
        "excl_dues_unpaid": "未按时足额缴纳会费",
        "excl_illness_closed_last_year": "本人或直系亲属重病或意外伤害在上一年度已治愈或治疗终结",
        "excl_offence": "因违反计划生育、自杀、醉酒、打架斗殴、赌博、吸毒或其他违法行为导致家庭生活困难",
        "excl_business_with_employees": "当年拥有固定经营场所且使用雇工",
        "excl_car_or_premium_motorbike": "当年购买并使用汽车、高档摩托车",
        "excl_commercial_housing_or_premium_decoration": "当年购买商品房或进行高档装修",
        "excl_stock_investment": "当年有购买股票等投资行为",
        "excl_school_choice_or_study_abroad": "当年出资安排子女择校就读或自费出国留学",
        "excl_falsified_application": "经核实属于弄虚作假欺骗审查",
    }
)
"""Exclusions, stable code → Chinese label, in evaluation order (checked before the rules)."""

_MONEY_FIELDS: Mapping[str, str] = MappingProxyType(
    {
        "yearly_income": "家庭年收入",
        "essential_spending": "家庭刚性支出",
        "medical_costs": "家庭自付医疗费",
        "tuition_beyond_compulsory": "义务教育以外学费",
        "disaster_or_disability_spending": "灾害损失或丧失劳动能力支出",
    }
)

_BOOL_FIELDS: tuple[str, ...] = (
    "dues_paid_in_full_and_on_time",
    "is_worker",
    "is_migrant_worker",
    "unemployed",
    "illness_closed_last_year",
    "has_business_with_employees",
    "owns_car_or_premium_motorbike",
    "bought_commercial_housing_or_premium_decoration",
    "invests_in_stocks",
    "paid_school_choice_or_study_abroad",
    "falsified_application",
)


@dataclass(frozen=True, kw_only=True)
class HouseholdFacts:
    """What the archive (困难职工档案) records about a worker's household for one year.

    Amounts are yearly, in yuan, as ``Decimal`` (floats are refused) and are rounded half up to
    two places. ``medical_costs`` is what the family itself paid after insurance;
    ``tuition_beyond_compulsory`` is tuition for full-time education beyond the nine compulsory
    years; ``disaster_or_disability_spending`` is spending caused by a disaster, an accident
    or the loss of working ability. ``essential_spending`` (刚性支出) is recorded for the
    archive; none of the plans' rules uses it. ``dues_paid_in_full_and_on_time`` and
    ``is_worker`` have no default: an archive must state them.
    """

    members: int
    yearly_income: Decimal
    dues_paid_in_full_and_on_time: bool
    is_worker: bool
    essential_spending: Decimal = ZERO
    medical_costs: Decimal = ZERO
    tuition_beyond_compulsory: Decimal = ZERO
    disaster_or_disability_spending: Decimal = ZERO
    main_cause: HardshipCause | None = None
    secondary_causes: tuple[HardshipCause, ...] = ()
    is_migrant_worker: bool = False
    unemployed: bool = False
    illness_closed_last_year: bool = False
    hardship_from_offence: Offence | None = None
    has_business_with_employees: bool = False
    owns_car_or_premium_motorbike: bool = False
    bought_commercial_housing_or_premium_decoration: bool = False
    invests_in_stocks: bool = False
    paid_school_choice_or_study_abroad: bool = False
    falsified_application: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.members, bool) or not isinstance(self.members, int):
            raise TypeError("家庭人口数必须是整数")
        if self.members < 1:
            raise ValueError(f"家庭人口数至少为 1 人，收到 {self.members}")
        for name, label in _MONEY_FIELDS.items():
            object.__setattr__(self, name, to_money(getattr(self, name), label))
        for name in _BOOL_FIELDS:
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} 必须是布尔值（True/False）")
        if self.main_cause is not None and not isinstance(
            self.main_cause, HardshipCause
        ):
            raise TypeError("主要致困原因必须是 HardshipCause")
        if not isinstance(self.secondary_causes, tuple) or not all(
            isinstance(c, HardshipCause) for c in self.secondary_causes
        ):
            raise TypeError("次要致困原因必须是 HardshipCause 的元组")
        if self.secondary_causes and self.main_cause is None:
            raise ValueError("填写次要致困原因前须先填写主要致困原因")
        if self.main_cause in self.secondary_causes:
            raise ValueError(
                f"{self.main_cause.label}已是主要致困原因，不能同时作为次要原因"
            )
        if len(set(self.secondary_causes)) != len(self.secondary_causes):
            raise ValueError("次要致困原因不能重复")
        if self.hardship_from_offence is not None and not isinstance(
            self.hardship_from_offence, Offence
        ):
            raise TypeError("致困的违法违规行为必须是 Offence")

    @property
    def causes(self) -> tuple[HardshipCause, ...]:
        """Main cause first, then the secondary causes."""
        main = (self.main_cause,) if self.main_cause is not None else ()
        return main + self.secondary_causes


@dataclass(frozen=True)
class TraceEntry:
    """How one rule or exclusion was evaluated.

    ``figures`` is the comparison in Chinese with the actual numbers, e.g.
    ``人均月收入 620.00 元 < 低保线 760.00 元``; ``threshold_version`` is the reference of the
    threshold set used, or ``None`` for checks that use no threshold.
    """

    code: str
    label: str
    kind: Literal["exclusion", "rule"]
    threshold_version: str | None
    figures: str
    met: bool

    @property
    def outcome(self) -> str:
        """The outcome in Chinese: 符合 / 不符合 for rules, 适用排除 / 不适用 for exclusions."""
        if self.kind == "exclusion":
            return "适用排除" if self.met else "不适用"
        return "符合" if self.met else "不符合"

    @property
    def text(self) -> str:
        """The whole entry as one Chinese line, for review pages and printed archives."""
        version = (
            f"（标准：{self.threshold_version}）" if self.threshold_version else ""
        )
        return f"{self.label}【{self.code}】{version}：{self.figures} → {self.outcome}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form of the entry."""
        return {
            "code": self.code,
            "label": self.label,
            "kind": self.kind,
            "threshold_version": self.threshold_version,
            "figures": self.figures,
            "met": self.met,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class Decision:
    """The engine's answer: eligible or not, why, and the full trace.

    ``eligible`` is true when no exclusion applies and at least one rule matches.
    ``matched_rules`` and ``applied_exclusions`` are the trace entries that were met, in
    evaluation order; ``trace`` holds every exclusion, then every rule.
    """

    eligible: bool
    matched_rules: tuple[TraceEntry, ...]
    applied_exclusions: tuple[TraceEntry, ...]
    trace: tuple[TraceEntry, ...]
    threshold_version: str
    per_head_monthly_income: Decimal
    income_basis: str
    is_self_test: bool = field(default=False)

    @property
    def matched_codes(self) -> tuple[str, ...]:
        """Codes of the rules that matched."""
        return tuple(e.code for e in self.matched_rules)

    @property
    def exclusion_codes(self) -> tuple[str, ...]:
        """Codes of the exclusions that applied."""
        return tuple(e.code for e in self.applied_exclusions)

    @property
    def summary(self) -> str:
        """A one-paragraph conclusion in Chinese."""
        if self.applied_exclusions:
            reasons = "；".join(e.label for e in self.applied_exclusions)
            text = f"不予帮扶：{reasons}。"
        elif self.matched_rules:
            reasons = "；".join(e.label for e in self.matched_rules)
            text = f"符合困难职工帮扶条件：{reasons}。"
        else:
            text = "不符合困难职工帮扶条件：未满足任何一项认定条件。"
        if self.is_self_test:
            prefix = "自测结果（仅供参考，以工会审核为准）——"
            if self.eligible:
                return f"{prefix}您可能{text}请向所在基层工会提出申请。"
            return prefix + text
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form of the decision (amounts as two-place strings, never floats)."""
        return {
            "eligible": self.eligible,
            "matched_rules": list(self.matched_codes),
            "applied_exclusions": list(self.exclusion_codes),
            "threshold_version": self.threshold_version,
            "per_head_monthly_income": fmt_money(self.per_head_monthly_income),
            "income_basis": self.income_basis,
            "is_self_test": self.is_self_test,
            "summary": self.summary,
            "trace": [e.to_dict() for e in self.trace],
        }


def _per_head_monthly(facts: HouseholdFacts) -> Decimal:
    return (facts.yearly_income / facts.members / 12).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def _share_of_income(income: Decimal, share: Decimal) -> Decimal:
    return (income * share).quantize(CENT, rounding=ROUND_HALF_UP)


def _causes_text(facts: HouseholdFacts) -> str:
    parts = []
    if facts.main_cause is not None:
        parts.append(f"{facts.main_cause.label}（主要）")
    parts.extend(f"{c.label}（次要）" for c in facts.secondary_causes)
    if facts.unemployed:
        parts.append("下岗失业")
    return "、".join(parts)


# --- exclusions ------------------------------------------------------------------------------

_ExclusionCheck = Callable[[HouseholdFacts], tuple[bool, str]]


def _flag(attr: str, when_true: str, when_false: str) -> _ExclusionCheck:
    def check(facts: HouseholdFacts) -> tuple[bool, str]:
        value: bool = getattr(facts, attr)
        return value, when_true if value else when_false

    return check


def _not_a_worker(facts: HouseholdFacts) -> tuple[bool, str]:
    if facts.is_worker:
        return False, "申请人具有职工身份"
    return True, "申请人不具有职工身份"


def _dues_unpaid(facts: HouseholdFacts) -> tuple[bool, str]:
    if facts.dues_paid_in_full_and_on_time:
        return False, "已按时足额缴纳会费"
    return True, "未按时足额缴纳会费"


def _offence(facts: HouseholdFacts) -> tuple[bool, str]:
    if facts.hardship_from_offence is None:
        return False, "无因违法违规行为致困的情形"
    return True, f"因{facts.hardship_from_offence.label}导致家庭生活困难"


_EXCLUSION_CHECKS: Mapping[str, _ExclusionCheck] = MappingProxyType(
    {
        "excl_not_a_worker": _not_a_worker,
        "excl_dues_unpaid": _dues_unpaid,
        "excl_illness_closed_last_year": _flag(
            "illness_closed_last_year",
            "重病或意外伤害已在上一年度治愈或治疗终结",
            "无上一年度已治愈或治疗终结的情形",
        ),
        "excl_offence": _offence,
        "excl_business_with_employees": _flag(
            "has_business_with_employees", "拥有固定经营场所且使用雇工", "无雇工经营"
        ),
        "excl_car_or_premium_motorbike": _flag(
            "owns_car_or_premium_motorbike",
            "购买并使用汽车或高档摩托车",
            "未购买使用汽车或高档摩托车",
        ),
        "excl_commercial_housing_or_premium_decoration": _flag(
            "bought_commercial_housing_or_premium_decoration",
            "购买商品房或进行高档装修",
            "未购买商品房或进行高档装修",
        ),
        "excl_stock_investment": _flag(
            "invests_in_stocks", "有购买股票等投资行为", "无股票等投资行为"
        ),
        "excl_school_choice_or_study_abroad": _flag(
            "paid_school_choice_or_study_abroad",
            "出资安排子女择校就读或自费出国留学",
            "无择校或自费留学支出",
        ),
        "excl_falsified_application": _flag(
            "falsified_application", "经核实申报材料弄虚作假", "未发现弄虚作假"
        ),
    }
)

_SELF_TEST_ASKED: frozenset[str] = frozenset({"excl_not_a_worker", "excl_dues_unpaid"})
_NOT_ASKED = "自测未询问此项，按不适用计"


# --- rules -----------------------------------------------------------------------------------

_RuleCheck = Callable[[HouseholdFacts, ThresholdSet, Decimal], tuple[bool, str]]


def _income_below_line(
    facts: HouseholdFacts, ts: ThresholdSet, per_head: Decimal
) -> tuple[bool, str]:
    line = fmt_money(ts.dibao_monthly)
    if per_head < ts.dibao_monthly:
        return True, f"人均月收入 {fmt_money(per_head)} 元 < 低保线 {line} 元"
    return False, f"人均月收入 {fmt_money(per_head)} 元 ≥ 低保线 {line} 元"


def _income_near_line(
    facts: HouseholdFacts, ts: ThresholdSet, per_head: Decimal
) -> tuple[bool, str]:
    line = fmt_money(ts.dibao_monthly)
    income = fmt_money(per_head)
    limit = f"低保线 {line} 元 × {fmt_number(ts.near_line_multiple)} = {fmt_money(ts.near_line_limit)} 元"
    if per_head < ts.dibao_monthly:
        return False, f"人均月收入 {income} 元 < 低保线 {line} 元，不属于略高于低保线"
    if per_head >= ts.near_line_limit:
        return False, f"人均月收入 {income} 元 ≥ {limit}"
    band = f"低保线 {line} 元 ≤ 人均月收入 {income} 元 < {limit}"
    causes = _causes_text(facts)
    if causes:
        return True, f"{band}；致困原因：{causes}"
    return False, f"{band}；无下岗失业、疾病、灾害事故或子女教育等致困原因"


def _share_rule(attr: str, label: str, share_attr: str) -> _RuleCheck:
    def check(
        facts: HouseholdFacts, ts: ThresholdSet, per_head: Decimal
    ) -> tuple[bool, str]:
        amount: Decimal = getattr(facts, attr)
        share: Decimal = getattr(ts, share_attr)
        bound = _share_of_income(facts.yearly_income, share)
        rhs = (
            f"家庭年收入 {fmt_money(facts.yearly_income)} 元 × {fmt_percent(share)}"
            f" = {fmt_money(bound)} 元"
        )
        if amount > bound:
            return True, f"{label} {fmt_money(amount)} 元 > {rhs}"
        return False, f"{label} {fmt_money(amount)} 元 ≤ {rhs}"

    return check


def _migrant_worker(
    facts: HouseholdFacts, ts: ThresholdSet, per_head: Decimal
) -> tuple[bool, str]:
    if not facts.is_migrant_worker:
        return False, "非农民工"
    causes = _causes_text(facts)
    if causes:
        return True, f"农民工；致困原因：{causes}"
    return False, "农民工，但未登记致困原因"


_RULE_CHECKS: Mapping[str, _RuleCheck] = MappingProxyType(
    {
        "income_below_line": _income_below_line,
        "income_near_line_with_cause": _income_near_line,
        "medical_costs_over_share": _share_rule(
            "medical_costs", "家庭自付医疗费", "medical_share"
        ),
        "tuition_over_share": _share_rule(
            "tuition_beyond_compulsory", "义务教育以外学费", "tuition_share"
        ),
        "disaster_or_disability_over_share": _share_rule(
            "disaster_or_disability_spending",
            "灾害损失或丧失劳动能力支出",
            "disaster_share",
        ),
        "migrant_worker_hardship": _migrant_worker,
    }
)


# --- engine ----------------------------------------------------------------------------------


def _evaluate(
    facts: HouseholdFacts, thresholds: ThresholdSet, *, asked: frozenset[str] | None
) -> Decision:
    if not isinstance(facts, HouseholdFacts):
        raise TypeError("facts 必须是 HouseholdFacts")
    if not isinstance(thresholds, ThresholdSet):
        raise TypeError("thresholds 必须是 ThresholdSet")
    exclusions: list[TraceEntry] = []
    for code, check in _EXCLUSION_CHECKS.items():
        if asked is not None and code not in asked:
            met, figures = False, _NOT_ASKED
        else:
            met, figures = check(facts)
        exclusions.append(
            TraceEntry(code, EXCLUSIONS[code], "exclusion", None, figures, met)
        )
    per_head = _per_head_monthly(facts)
    rules: list[TraceEntry] = []
    for code, rule in _RULE_CHECKS.items():
        met, figures = rule(facts, thresholds, per_head)
        rules.append(
            TraceEntry(code, RULES[code], "rule", thresholds.reference, figures, met)
        )
    applied = tuple(e for e in exclusions if e.met)
    matched = tuple(e for e in rules if e.met)
    basis = (
        f"家庭年收入 {fmt_money(facts.yearly_income)} 元 ÷ {facts.members} 人 ÷ 12 个月"
        f" = 人均月收入 {fmt_money(per_head)} 元"
    )
    return Decision(
        eligible=not applied and bool(matched),
        matched_rules=matched,
        applied_exclusions=applied,
        trace=tuple(exclusions + rules),
        threshold_version=thresholds.reference,
        per_head_monthly_income=per_head,
        income_basis=basis,
        is_self_test=asked is not None,
    )


def assess(facts: HouseholdFacts, thresholds: ThresholdSet) -> Decision:
    """Decide whether a household qualifies for 送温暖 aid under ``thresholds``.

    Every exclusion is checked first and every one that applies is reported; every rule is
    then evaluated (even when excluded, so the reviewer sees the whole picture). The household
    is eligible when no exclusion applies and at least one rule matches.

    Per-head monthly income is yearly income ÷ members ÷ 12, rounded half up to the fen before
    comparison. "Slightly above the line" means 低保线 ≤ per-head income < multiple × 低保线, with
    a classified cause (因病、因学、因业、因灾) or unemployment; a household below the line is
    covered by ``income_below_line`` instead. The share rules need the amount to be strictly
    greater than share × yearly income. A migrant worker is "in hardship" when a cause of
    hardship or unemployment is recorded.
    """
    return _evaluate(facts, thresholds, asked=None)


def self_test(
    thresholds: ThresholdSet,
    *,
    members: int | str,
    yearly_income: MoneyInput,
    medical_costs: MoneyInput = 0,
    tuition_beyond_compulsory: MoneyInput = 0,
    disaster_or_disability_spending: MoneyInput = 0,
    main_cause: HardshipCause | str | None = None,
    unemployed: bool = False,
    is_migrant_worker: bool = False,
    dues_paid_in_full_and_on_time: bool = True,
    is_worker: bool = True,
) -> Decision:
    """Run the engine for the anonymous self-test page (一键自测).

    Takes the few figures such a page asks, as typed into a form (amounts may be text such as
    ``"2,500.00 元"``; ``main_cause`` may be a :class:`HardshipCause`, its value or its Chinese
    label such as ``"因病"``), and returns the same :class:`Decision` as :func:`assess`, marked
    ``is_self_test``. Exclusions the page does not ask about are traced as not asked and
    treated as not applying, so the answer means "may qualify". Invalid input raises
    ``ValueError`` or ``TypeError`` with a Chinese message.
    """
    if isinstance(members, bool):
        raise TypeError("家庭人口数必须是整数")
    if isinstance(members, str):
        text = members.strip().removesuffix("人").strip()
        if not text.isdigit():
            raise ValueError(f"家庭人口数“{members}”不是有效的整数")
        members = int(text)
    facts = HouseholdFacts(
        members=members,
        yearly_income=parse_money(yearly_income, "家庭年收入"),
        medical_costs=parse_money(medical_costs, "家庭自付医疗费"),
        tuition_beyond_compulsory=parse_money(
            tuition_beyond_compulsory, "义务教育以外学费"
        ),
        disaster_or_disability_spending=parse_money(
            disaster_or_disability_spending, "灾害损失或丧失劳动能力支出"
        ),
        main_cause=_parse_cause(main_cause),
        unemployed=unemployed,
        is_migrant_worker=is_migrant_worker,
        dues_paid_in_full_and_on_time=dues_paid_in_full_and_on_time,
        is_worker=is_worker,
    )
    return _evaluate(facts, thresholds, asked=_SELF_TEST_ASKED)


def _parse_cause(value: HardshipCause | str | None) -> HardshipCause | None:
    if value is None or isinstance(value, HardshipCause):
        return value
    text = value.strip()
    if not text:
        return None
    for cause in HardshipCause:
        if text in (cause.value, cause.label):
            return cause
    raise ValueError(f"致困原因“{value}”无效，应为因病、因学、因业或因灾")
