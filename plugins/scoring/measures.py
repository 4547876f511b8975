"""What is measured in an item and one entry's result.

An entry is a person (individual items) or a team (collective items); ids are the
caller's (``str`` or ``int``). Values are ``Decimal`` (seconds, counts, metres, marks);
``float`` is refused everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from core.records import maker

__all__ = [
    "EntryId",
    "MeasureKind",
    "ReachedAt",
    "Result",
    "ResultStatus",
    "TeamId",
    "format_time",
    "id_order",
    "parse_time",
    "quick_result",
    "to_decimal",
]

EntryId = str | int
TeamId = str | int
ReachedAt = datetime | int | Decimal


class MeasureKind(StrEnum):
    """How an item is measured, and which way is better."""

    TIME = "time"  # seconds, lower wins
    COUNT = "count"  # higher wins
    DISTANCE = "distance"  # metres, higher wins
    MARKS = "marks"  # judges' score, higher wins
    MATCH = "match"  # placed by match results (brackets), not by a value

    @property
    def higher_wins(self) -> bool:
        """True when a larger value is better; ``ValueError`` for match items."""
        if self is MeasureKind.MATCH:
            raise ValueError("match items are placed by their matches, not by a value")
        return self is not MeasureKind.TIME

    @property
    def label(self) -> str:
        """Chinese name of the measure."""
        return _KIND_LABELS[self]


_KIND_LABELS = {
    MeasureKind.TIME: "计时",
    MeasureKind.COUNT: "计数",
    MeasureKind.DISTANCE: "距离",
    MeasureKind.MARKS: "评分",
    MeasureKind.MATCH: "对抗赛",
}


class ResultStatus(StrEnum):
    """A result with a value (OK) or without one: no value means no place."""

    OK = "ok"
    FOUL = "foul"  # 犯规不记成绩
    DQ = "dq"  # 取消资格
    DNS = "dns"  # 弃权 / did not start

    @property
    def label(self) -> str:
        """Chinese name shown in the standings."""
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ResultStatus.OK: "有效",
    ResultStatus.FOUL: "犯规",
    ResultStatus.DQ: "取消资格",
    ResultStatus.DNS: "弃权",
}


def to_decimal(value: int | str | Decimal, what: str = "value") -> Decimal:
    """Return ``value`` as a finite ``Decimal``; ``float`` and ``bool`` raise ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise TypeError(f"{what} must be int, str or Decimal, not {type(value).__name__}")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{what} is not a finite number: {value!r}")
    return number


def id_order(entry: EntryId) -> tuple[bool, EntryId]:
    """Sort key giving one fixed order over ids (ints before strings)."""
    return (isinstance(entry, str), entry)


@dataclass(frozen=True, slots=True)
class Result:
    """One entry's result in one item.

    ``value`` is required when ``status`` is OK and must be absent otherwise.
    ``reached_at`` (a datetime, an attempt number or a Decimal time) says when the
    value was reached, for the ``first_to_reach`` tie rule; ``countback`` holds the
    secondary values compared one by one for the ``countback`` rule.
    """

    entry: EntryId
    value: Decimal | None = None
    status: ResultStatus = ResultStatus.OK
    reached_at: ReachedAt | None = None
    countback: tuple[Decimal, ...] = ()

    def __post_init__(self) -> None:
        if self.status is ResultStatus.OK:
            if self.value is None:
                raise ValueError(f"result of {self.entry!r} has no value")
            if not isinstance(self.value, Decimal):
                object.__setattr__(self, "value", to_decimal(self.value))
        elif self.value is not None:
            raise ValueError(f"a {self.status.value} result of {self.entry!r} has no value")
        if isinstance(self.reached_at, bool | float):
            raise TypeError("reached_at must be a datetime, int or Decimal")
        if self.countback and not all(isinstance(v, Decimal) for v in self.countback):
            object.__setattr__(
                self, "countback", tuple(to_decimal(v, "countback") for v in self.countback)
            )


quick_result = maker(Result)
quick_result.__doc__ = """Build a :class:`Result` from (entry, value, status, reached_at, countback) without checks.

For loaders whose values are already what ``Result`` would keep: a ``Decimal`` value exactly when
the status is OK, a tuple of ``Decimal`` as countback.
"""


_TIME_RE = re.compile(r"^(?:(\d+):)?(\d+(?:\.\d+)?)$")


def parse_time(text: str) -> Decimal:
    """Read a time as seconds: ``"65.3"`` or ``"1:05.3"`` give ``Decimal("65.3")``."""
    match = _TIME_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a time: {text!r}")
    minutes, seconds = match.groups()
    value = Decimal(seconds)
    if minutes is not None:
        if value >= 60:
            raise ValueError(f"seconds must be below 60 in {text!r}")
        value += 60 * int(minutes)
    return value


def format_time(seconds: Decimal) -> str:
    """Show seconds as ``65.3`` below a minute and ``1:05.3`` from a minute up."""
    if seconds < 60:
        return str(seconds)
    minutes, rest = divmod(seconds, 60)
    whole, _, fraction = str(rest).partition(".")
    text = f"{int(minutes)}:{int(whole):02d}"
    return f"{text}.{fraction}" if fraction else text
