"""Prize money and souvenirs: tiers, award bands, participation, thresholds, budget.

Every amount is yuan as ``Decimal`` (see :mod:`core.money`). An :class:`Award` is one
line of the payout sheet (奖金发放表): who, what for, how much money, how many souvenirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import floor

from core.money import ZERO, MoneyInput, split_yuan, yuan
from plugins.scoring.measures import EntryId, MeasureKind, Result, ResultStatus
from plugins.scoring.ranking import DecidedBy, Placing

__all__ = [
    "INDIVIDUAL_PRIZES",
    "TEAM_PRIZES",
    "Attendance",
    "Award",
    "AwardKind",
    "Band",
    "Budget",
    "BudgetItem",
    "BudgetLine",
    "ParticipationRule",
    "PrizeTiers",
    "answer_awards",
    "award_bands",
    "best_placing_only",
    "budget_preview",
    "placing_prizes",
    "prize_tiers",
    "threshold_awards",
]

PrizeTiers = tuple[Decimal, ...]


def prize_tiers(*amounts: MoneyInput) -> PrizeTiers:
    """Prize money in yuan for place 1, 2, 3, ..."""
    tiers = tuple(yuan(a) for a in amounts)
    if any(a < 0 for a in tiers):
        raise ValueError("a prize cannot be negative")
    return tiers


INDIVIDUAL_PRIZES = prize_tiers(30, 20, 10)
TEAM_PRIZES = prize_tiers(300, 260, 200)


class AwardKind(StrEnum):
    """What a payout line is for."""

    PARTICIPATION = "participation"
    ITEM_PRIZE = "item_prize"
    TEAM_PRIZE = "team_prize"
    TEAM_SHARE = "team_share"
    THRESHOLD = "threshold"
    ANSWER = "answer"
    SOUVENIR = "souvenir"

    @property
    def label(self) -> str:
        """Chinese column name on the payout sheet."""
        return _AWARD_LABELS[self]


_AWARD_LABELS = {
    AwardKind.PARTICIPATION: "参与奖",
    AwardKind.ITEM_PRIZE: "单项奖",
    AwardKind.TEAM_PRIZE: "团体奖",
    AwardKind.TEAM_SHARE: "团体奖分配",
    AwardKind.THRESHOLD: "达标纪念品",
    AwardKind.ANSWER: "猜谜纪念品",
    AwardKind.SOUVENIR: "纪念奖",
}


@dataclass(frozen=True, slots=True)
class Award:
    """One payout line: ``payee`` (a person or a team) gets ``amount`` yuan and ``souvenirs``."""

    payee: EntryId
    kind: AwardKind
    label: str
    amount: Decimal = ZERO
    souvenirs: int = 0
    item: str | None = None
    place: int | None = None
    note: str = ""


def placing_prizes(placings: Iterable[Placing], tiers: PrizeTiers) -> dict[EntryId, Decimal]:
    """Prize money per placed entry; entries without money are left out.

    A shared place pays that place's prize to each entry sharing it; a place decided
    by ``share_split`` pays the prizes of the covered places added together and split
    with :func:`core.money.split_yuan` (the odd fen to the entries first in id order).
    """
    out: dict[EntryId, Decimal] = {}
    split_groups: dict[int, list[EntryId]] = {}
    size = len(tiers)
    for p in placings:
        if p.place is None or p.place > size:
            continue
        if p.decided_by is DecidedBy.SPLIT and p.tied > 1:
            split_groups.setdefault(p.place, []).append(p.entry)
        elif tiers[p.place - 1]:
            out[p.entry] = tiers[p.place - 1]
    for place, entries in split_groups.items():
        total = sum(tiers[place - 1 : place - 1 + len(entries)], ZERO)
        for entry, share in zip(entries, split_yuan(total, len(entries)), strict=True):
            if share:
                out[entry] = share
    return out


def _fraction(value: Fraction | Decimal | int | str, what: str) -> Fraction:
    if isinstance(value, bool | float):
        raise TypeError(f"{what} must be a Fraction, Decimal, int or str like '2/3'")
    result = Fraction(value)
    if not 0 <= result <= 1:
        raise ValueError(f"{what} must lie between 0 and 1")
    return result


def _round_half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class Band:
    """An award band (一等奖 ...) given to a number of entrants or a share of them."""

    name: str
    count: int | None = None
    share: Fraction | Decimal | str | None = None

    def __post_init__(self) -> None:
        if (self.count is None) == (self.share is None):
            raise ValueError(f"band {self.name!r} needs a count or a share, not both")
        if self.count is not None and self.count < 0:
            raise ValueError(f"band {self.name!r} has a negative count")
        if self.share is not None:
            object.__setattr__(self, "share", _fraction(self.share, "share"))


def award_bands(
    placings: Sequence[Placing],
    bands: Sequence[Band],
    *,
    cap: Fraction | Decimal | str | None = None,
    entrants: int | None = None,
) -> dict[EntryId, str]:
    """Give award bands (一、二、三等奖) down the standings.

    Band k reaches down to a cumulative boundary: the counts added up, or the shares
    added up times the number of entrants, rounded half up (so rounding does not
    drift from band to band). ``entrants`` defaults to every listed entry, placed or
    not. An entry gets the first band whose boundary its place is within, so a tie
    across a boundary gets the better band. ``cap`` (e.g. ``"2/3"``) bounds how many
    entrants may be awarded, rounded down; a tie that would cross the cap is left out
    entirely. Entries without a place get nothing. Returns entry → band name.
    """
    total = len(placings) if entrants is None else entrants
    boundaries: list[tuple[int, str]] = []
    reach = Fraction(0)
    count = 0
    for band in bands:
        if band.count is not None:
            count += band.count
            boundaries.append((count, band.name))
        else:
            reach += band.share  # type: ignore[operator]
            boundaries.append((_round_half_up(reach * total), band.name))
    limit = total if cap is None else floor(_fraction(cap, "cap") * total)
    out: dict[EntryId, str] = {}
    for p in placings:
        if p.place is None or p.place - 1 + p.tied > limit:
            continue
        for boundary, name in boundaries:
            if p.place <= boundary:
                out[p.entry] = name
                break
    return out


class Attendance(StrEnum):
    """Attendance as the sign-in plugin reports it."""

    ON_TIME = "on_time"
    LATE = "late"
    EARLY_LEAVE = "early_leave"
    LATE_EARLY_LEAVE = "late_early_leave"
    NO_SIGN_OUT = "no_sign_out"
    LATE_NO_SIGN_OUT = "late_no_sign_out"
    ABSENT = "absent"
    EXCUSED = "excused"

    @property
    def label(self) -> str:
        """Chinese wording for the payout sheet."""
        return _ATTENDANCE_LABELS[self]


_ATTENDANCE_LABELS = {
    Attendance.ON_TIME: "按时",
    Attendance.LATE: "迟到",
    Attendance.EARLY_LEAVE: "早退",
    Attendance.LATE_EARLY_LEAVE: "迟到且早退",
    Attendance.NO_SIGN_OUT: "未签退",
    Attendance.LATE_NO_SIGN_OUT: "迟到且未签退",
    Attendance.ABSENT: "缺席",
    Attendance.EXCUSED: "请假",
}


@dataclass(frozen=True, slots=True)
class ParticipationRule:
    """Participation award (参与奖) and the share paid for each attendance.

    The seed's rule: 50 yuan each; nothing for those who do not take part; half for
    late arrival or early leave. A sign-out that was asked for and never made (未签退) is paid
    like an early leave; late arrival together with an early leave or a missing sign-out is paid
    the lower of the two shares (half, by the seed's rule). Whether an excused absence (请假) is
    paid is the organizer's choice (``excused``, default nothing).
    """

    amount: Decimal = field(default_factory=lambda: yuan(50))
    late: Fraction = Fraction(1, 2)
    early_leave: Fraction = Fraction(1, 2)
    excused: Fraction = Fraction(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", yuan(self.amount))
        for name in ("late", "early_leave", "excused"):
            object.__setattr__(self, name, _fraction(getattr(self, name), name))

    def award(self, attendance: Attendance) -> Decimal:
        """Yuan paid for ``attendance`` (rounded half up to the fen)."""
        rate = {
            Attendance.ON_TIME: Fraction(1),
            Attendance.LATE: self.late,
            Attendance.EARLY_LEAVE: self.early_leave,
            Attendance.NO_SIGN_OUT: self.early_leave,
            Attendance.LATE_EARLY_LEAVE: min(self.late, self.early_leave),
            Attendance.LATE_NO_SIGN_OUT: min(self.late, self.early_leave),
            Attendance.ABSENT: Fraction(0),
            Attendance.EXCUSED: self.excused,
        }[attendance]
        return yuan(self.amount * rate.numerator / rate.denominator)


def threshold_awards(
    results: Iterable[Result],
    kind: MeasureKind,
    threshold: int | Decimal,
    *,
    item: str,
    label: str,
    amount: MoneyInput = 0,
    souvenirs: int = 1,
) -> tuple[Award, ...]:
    """An award for every entry whose valid result reaches ``threshold``.

    For counts and distances reaching means at least the threshold (30 jumps, 20
    kicks); for times, at most. Fouls and other results without a value get nothing.
    """
    higher = kind.higher_wins
    limit = Decimal(threshold)
    money = yuan(amount)
    return tuple(
        Award(r.entry, AwardKind.THRESHOLD, label, money, souvenirs, item)
        for r in results
        if r.status is ResultStatus.OK
        and (r.value >= limit if higher else r.value <= limit)  # type: ignore[operator]
    )


def answer_awards(
    correct: Mapping[EntryId, int],
    *,
    item: str,
    label: str,
    amount_per_answer: MoneyInput = 0,
    souvenirs_per_answer: int = 1,
) -> tuple[Award, ...]:
    """One souvenir (and/or an amount) per correct answer, e.g. riddles (猜谜)."""
    per = yuan(amount_per_answer)
    out = []
    for person, n in correct.items():
        if n < 0:
            raise ValueError(f"{person!r} cannot have {n} correct answers")
        if n:
            out.append(
                Award(person, AwardKind.ANSWER, label, per * n, souvenirs_per_answer * n, item,
                      note=f"答对{n}题")
            )
    return tuple(out)


BEST_ONLY_NOTE = "取最好名次，此项不重复奖励"


def best_placing_only(awards: Sequence[Award]) -> tuple[Award, ...]:
    """Keep only each person's best item prize (获奖选手取最好名次给予奖励).

    Best means the highest amount, then the most souvenirs, then the better place,
    then the item listed first. The other item prizes stay on the sheet with amount
    0, no souvenirs and a note, so the sheet shows why they were not paid. Lines of
    other kinds are untouched; the order of lines is kept.
    """
    best: dict[EntryId, int] = {}
    for i, award in enumerate(awards):
        if award.kind is not AwardKind.ITEM_PRIZE:
            continue
        j = best.get(award.payee)
        if j is None or _better(award, awards[j]):
            best[award.payee] = i
    keep = set(best.values())
    return tuple(
        a
        if a.kind is not AwardKind.ITEM_PRIZE or i in keep
        else replace(a, amount=ZERO, souvenirs=0, note=BEST_ONLY_NOTE)
        for i, a in enumerate(awards)
    )


def _better(a: Award, b: Award) -> bool:
    place_a = a.place if a.place is not None else 10**9
    place_b = b.place if b.place is not None else 10**9
    return (-a.amount, -a.souvenirs, place_a) < (-b.amount, -b.souvenirs, place_b)


@dataclass(frozen=True, slots=True)
class BudgetItem:
    """An item's prize tiers and the places that will be paid.

    ``places`` defaults to one entry per tier (1, 2, 3); a knockout whose semifinal
    losers share third pays (1, 2, 3, 3). With ``entrants`` fewer than the places,
    only the first ``entrants`` places are paid.
    """

    label: str
    tiers: PrizeTiers
    places: tuple[int, ...] | None = None
    entrants: int | None = None

    def paid_places(self) -> tuple[int, ...]:
        """The places that can be paid, one number per entry paid."""
        places = self.places or tuple(range(1, len(self.tiers) + 1))
        places = tuple(p for p in places if p <= len(self.tiers))
        return places if self.entrants is None else places[: self.entrants]

    def maximum(self) -> Decimal:
        """The most this item can pay when no unforeseen tie shares a place."""
        return sum((self.tiers[p - 1] for p in self.paid_places()), ZERO)


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """One line of the budget: ``count`` times something, ``amount`` in all."""

    label: str
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Budget:
    """The most an event can pay, before it takes place."""

    lines: tuple[BudgetLine, ...]
    total: Decimal
    souvenirs: int


def budget_preview(
    *,
    participants: int = 0,
    participation: ParticipationRule | None = None,
    items: Iterable[BudgetItem] = (),
    teams: int = 0,
    team_prizes: PrizeTiers = (),
    souvenirs: int = 0,
) -> Budget:
    """Maximum payout before the event: participation, item prizes, team prizes.

    Assumes everyone registered attends on time and that no tie nobody planned for
    shares a paid place (a ``share`` tie pays the shared place's prize to each entry;
    ``share_split`` never pays more than planned). ``souvenirs`` is a count carried
    through for the souvenir order.
    """
    lines: list[BudgetLine] = []
    if participation is not None and participants:
        lines.append(BudgetLine("参与奖", participants, participation.amount * participants))
    for item in items:
        lines.append(BudgetLine(item.label, len(item.paid_places()), item.maximum()))
    if teams and team_prizes:
        paid = team_prizes[:teams]
        lines.append(BudgetLine("团体奖", len(paid), sum(paid, ZERO)))
    return Budget(tuple(lines), sum((line.amount for line in lines), ZERO), souvenirs)
