"""The payout sheet (奖金发放表): every person's lines and total, team lines, grand total."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.money import ZERO, split_yuan
from core.records import maker
from plugins.scoring.measures import EntryId, TeamId, id_order
from plugins.scoring.prizes import (
    Attendance,
    Award,
    AwardKind,
    ParticipationRule,
    PrizeTiers,
    best_placing_only,
    placing_prizes,
)
from plugins.scoring.ranking import Placing
from plugins.scoring.standings import Standings

NOT_COMPETED_NOTE = "未参赛，不计发"

__all__ = [
    "PayoutRules",
    "PayoutSheet",
    "Person",
    "PersonPayout",
    "TeamPayout",
    "compute_payout",
]


@dataclass(frozen=True, slots=True)
class Person:
    """A person on the sheet and his team (``None`` when he has none)."""

    id: EntryId
    name: str = ""
    team: TeamId | None = None


@dataclass(frozen=True, slots=True)
class PayoutRules:
    """What is paid.

    ``team_prizes`` are paid on the team ranking (团体奖). Money won by a team (team
    prizes and prizes of collective items) stays a team line, or with
    ``split_team_prizes`` is split evenly among the team's members who attended
    (anything but absent), with :func:`core.money.split_yuan`: each gets the amount
    rounded down to the fen and the odd fen go one each to the members first in id
    order. ``best_placing_only`` pays each person his best item prize only.
    """

    participation: ParticipationRule | None = field(default_factory=ParticipationRule)
    team_prizes: PrizeTiers = ()
    split_team_prizes: bool = False
    best_placing_only: bool = False


@dataclass(frozen=True, slots=True)
class PersonPayout:
    """One person's lines and total."""

    person: Person
    lines: tuple[Award, ...]
    total: Decimal
    souvenirs: int


@dataclass(frozen=True, slots=True)
class TeamPayout:
    """Money paid to a team as a whole."""

    team: TeamId
    lines: tuple[Award, ...]
    total: Decimal


@dataclass(frozen=True, slots=True)
class PayoutSheet:
    """The whole sheet; ``total`` = people's totals + teams' totals."""

    people: tuple[PersonPayout, ...]
    teams: tuple[TeamPayout, ...]
    total: Decimal
    souvenirs: int

    def person(self, person_id: EntryId) -> PersonPayout:
        """The payout of one person."""
        for row in self.people:
            if row.person.id == person_id:
                return row
        raise KeyError(person_id)


_make_award = maker(Award)
_make_person_payout = maker(PersonPayout)


def _place_label(name: str, place: int, tied: int) -> str:
    return f"{name} 第{place}名" + ("（并列）" if tied > 1 else "")


def _prize_awards(
    placings: Sequence[Placing], tiers: PrizeTiers, kind: AwardKind, name: str, item: str | None
) -> list[Award]:
    money = placing_prizes(placings, tiers)
    return [
        Award(p.entry, kind, _place_label(name, p.place, p.tied), money[p.entry], 0, item, p.place)  # type: ignore[arg-type]
        for p in placings
        if p.entry in money
    ]


def compute_payout(
    people: Sequence[Person],
    attendance: Mapping[EntryId, Attendance],
    standings: Standings,
    rules: PayoutRules,
    *,
    extras: Iterable[Award] = (),
    competed: Collection[EntryId] | None = None,
) -> PayoutSheet:
    """Compute the payout sheet.

    Per person: the participation award by his attendance (a person missing from
    ``attendance`` counts as absent), each item prize of an individual item (only the
    best with ``best_placing_only``, award-band money among ``extras`` included), his
    shares of team money if split, and the ``extras`` addressed to him (award bands,
    threshold and per-answer souvenirs). Per team: team
    prizes and prizes of collective items not split. Each total is the sum of its
    lines. With ``competed`` (不参赛的不计发), the participation award goes only to those
    in it; the others get a zero line saying why. A prize or extra for a payee who is
    neither a listed person nor a team raises ``ValueError``. People keep the order given.
    """
    by_id = {p.id: p for p in people}
    if len(by_id) != len(people):
        raise ValueError("a person is listed twice")
    teams_known = {p.team for p in people if p.team is not None}
    teams_known.update(p.entry for p in standings.teams)
    lines: dict[EntryId, list[Award]] = {p.id: [] for p in people}
    team_lines: dict[TeamId, list[Award]] = {}
    rule = rules.participation
    absent = Attendance.ABSENT

    if rule is not None:
        amounts = {status: rule.award(status) for status in Attendance}
        labels = {status: status.label for status in Attendance}
        participation = AwardKind.PARTICIPATION
        title = participation.label
        for person in people:
            status = attendance.get(person.id, absent)
            if competed is not None and person.id not in competed and status is not absent:
                lines[person.id].append(_make_award(person.id, participation, title, ZERO, 0, None, None,
                                                    NOT_COMPETED_NOTE))
                continue
            lines[person.id].append(
                _make_award(person.id, participation, title, amounts[status], 0, None, None, labels[status])
            )

    item_awards: list[Award] = []
    team_money: list[Award] = []
    for standing in standings.items:
        item = standing.item
        if not item.prizes:
            continue
        kind = AwardKind.TEAM_PRIZE if item.collective else AwardKind.ITEM_PRIZE
        awards = _prize_awards(standing.placings, item.prizes, kind, item.name, item.code)
        (team_money if item.collective else item_awards).extend(awards)
    if rules.team_prizes:
        team_money.extend(
            _prize_awards(standings.teams, rules.team_prizes, AwardKind.TEAM_PRIZE, "团体总分", None)
        )
    extras = list(extras)
    if rules.best_placing_only:
        # Award-band money (一等奖 400 in a judged item) is an item prize too: the cap covers both.
        banded = [i for i, a in enumerate(extras) if a.kind is AwardKind.ITEM_PRIZE and a.payee in lines]
        capped = best_placing_only(item_awards + [extras[i] for i in banded])
        item_awards = list(capped[:len(item_awards)])
        for i, award in zip(banded, capped[len(item_awards):], strict=True):
            extras[i] = award
    for award in item_awards:
        if award.payee not in lines:
            raise ValueError(f"{award.label}: {award.payee!r} is not on the list of people")
        lines[award.payee].append(award)

    members: dict[TeamId, list[EntryId]] = {}
    if rules.split_team_prizes:
        for person in people:
            if person.team is not None and attendance.get(person.id, absent) is not absent:
                members.setdefault(person.team, []).append(person.id)
        for ids in members.values():
            ids.sort(key=id_order)
    for award in team_money:
        team = award.payee
        if team not in teams_known:
            raise ValueError(f"{award.label}: {team!r} is not a team")
        share_to = members.get(team)
        if not share_to:
            team_lines.setdefault(team, []).append(award)
            continue
        note = f"{award.label} {award.amount}元 由{len(share_to)}人均分"
        for person_id, share in zip(share_to, split_yuan(award.amount, len(share_to)), strict=True):
            lines[person_id].append(
                Award(person_id, AwardKind.TEAM_SHARE, award.label, share, 0, award.item,
                      award.place, note)
            )

    for award in extras:
        if award.payee in lines:
            lines[award.payee].append(award)
        elif award.payee in teams_known:
            team_lines.setdefault(award.payee, []).append(award)
        else:
            raise ValueError(f"{award.label}: {award.payee!r} is not on the list of people")

    rows = []
    total = ZERO
    souvenirs = 0
    for person in people:
        own = lines[person.id]
        money = ZERO
        gifts = 0
        for line in own:
            money += line.amount
            gifts += line.souvenirs
        rows.append(_make_person_payout(person, tuple(own), money, gifts))
        total += money
        souvenirs += gifts
    team_rows = []
    for team in sorted(team_lines, key=id_order):
        own = team_lines[team]
        money = sum((a.amount for a in own), ZERO)
        souvenirs += sum(a.souvenirs for a in own)
        team_rows.append(TeamPayout(team, tuple(own), money))
        total += money
    return PayoutSheet(tuple(rows), tuple(team_rows), total, souvenirs)
