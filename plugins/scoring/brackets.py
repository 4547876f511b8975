"""Knockout brackets (淘汰赛): draw by lot, byes, best-of-three matches, final places.

Players draw numbers (抽签得号) that are slots 1..S of a bracket whose size S is the
next power of two; adjacent numbers meet in the first round (1v2, 3v4, ...), then
winners of neighbouring matches meet. When the field is not a power of two the
bracket has S - n empty slots (byes, 轮空): they are the slots that the standard
seeding table gives to the lowest seeds, so byes are spread over both halves and
never meet each other; a player next to an empty slot goes through without playing.

Matches are keyed ``(round, match)`` from 1: round 1 match 1 is slots 1v2. In the
last round match 1 is the final and match 2 the third-place match (if played).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from plugins.scoring.measures import EntryId, id_order
from plugins.scoring.ranking import DecidedBy, Placing

__all__ = [
    "BADMINTON",
    "TABLE_TENNIS",
    "Bracket",
    "Draw",
    "GameRule",
    "Match",
    "MatchKey",
    "ThirdPlace",
    "bye_slots",
    "draw_lots",
    "final_places",
    "match_winner",
    "play",
]

MatchKey = tuple[int, int]
Game = tuple[int, int]


class ThirdPlace(StrEnum):
    """How third place is decided."""

    SHARED = "shared"  # both semifinal losers are third
    MATCH = "match"  # a third-place match: winner third, loser fourth


@dataclass(frozen=True, slots=True)
class GameRule:
    """Points needed to win one game, the margin, and an optional cap (badminton 30)."""

    points: int = 11
    win_by: int = 2
    cap: int | None = None

    def check(self, game: Game) -> None:
        """Raise ``ValueError`` if ``game`` cannot be a finished game under this rule."""
        a, b = game
        high, low = max(a, b), min(a, b)
        if low < 0:
            raise ValueError(f"game {a}:{b} has a negative score")
        if high == low:
            raise ValueError(f"game {a}:{b} has no winner")
        if self.cap is not None and high > self.cap:
            raise ValueError(f"game {a}:{b} goes beyond {self.cap}")
        if high < self.points:
            raise ValueError(f"game {a}:{b}: nobody reached {self.points}")
        if high == self.points:
            if high - low < self.win_by:
                raise ValueError(f"game {a}:{b}: must win by {self.win_by}")
            return
        if self.cap is not None and high == self.cap:
            if high - low > self.win_by:
                raise ValueError(f"game {a}:{b} should have ended earlier")
            return
        if high - low != self.win_by:
            raise ValueError(f"game {a}:{b}: after deuce the game ends at a {self.win_by}-point lead")


TABLE_TENNIS = GameRule(11, 2)
BADMINTON = GameRule(21, 2, cap=30)


def match_winner(games: Sequence[Game], best_of: int = 3, rule: GameRule | None = None) -> int:
    """Side (0 or 1) that won a best-of-``best_of`` match (三局两胜 by default).

    Every game needs a winner (and must be valid under ``rule`` if given); the match
    must be decided, and no game may follow the deciding one.
    """
    if best_of < 1 or best_of % 2 == 0:
        raise ValueError("best_of must be an odd number")
    need = best_of // 2 + 1
    wins = [0, 0]
    for number, game in enumerate(games, start=1):
        if max(wins) == need:
            raise ValueError(f"game {number} was played after the match was decided")
        a, b = game
        if isinstance(a, bool) or isinstance(b, bool) or not (isinstance(a, int) and isinstance(b, int)):
            raise TypeError("game scores are whole numbers")
        if rule is not None:
            rule.check(game)
        elif a == b or min(a, b) < 0:
            raise ValueError(f"game {a}:{b} has no winner")
        wins[0 if a > b else 1] += 1
    if max(wins) < need:
        raise ValueError(f"the match is not decided: {wins[0]}:{wins[1]} in games")
    return 0 if wins[0] == need else 1


def _seed_order(size: int) -> list[int]:
    """Seed at each slot of the standard bracket: size 8 gives [1, 8, 4, 5, 2, 7, 3, 6]."""
    order = [1]
    while len(order) < size:
        n = 2 * len(order)
        order = [x for s in order for x in (s, n + 1 - s)]
    return order


def _size_for(players: int) -> int:
    size = 1
    while size < players:
        size *= 2
    return max(size, 2)


def bye_slots(players: int) -> tuple[int, ...]:
    """Slots (1-based) left empty in a bracket for ``players`` players."""
    if players < 2:
        raise ValueError("a knockout needs at least two players")
    size = _size_for(players)
    return tuple(slot for slot, seed in enumerate(_seed_order(size), start=1) if seed > players)


@dataclass(frozen=True, slots=True)
class Draw:
    """Who holds which slot; ``None`` is a bye."""

    slots: tuple[EntryId | None, ...]

    @classmethod
    def from_numbers(cls, numbers: Mapping[EntryId, int]) -> Draw:
        """A draw from numbers drawn on site; they must be exactly the non-bye slots."""
        size = _size_for(len(numbers))
        free = set(range(1, size + 1)) - set(bye_slots(len(numbers)))
        if set(numbers.values()) != free or len(set(numbers.values())) != len(numbers):
            raise ValueError(f"numbers must be the slots {sorted(free)}, each once")
        slots: list[EntryId | None] = [None] * size
        for player, number in numbers.items():
            slots[number - 1] = player
        return cls(tuple(slots))

    @property
    def numbers(self) -> dict[EntryId, int]:
        """Each player's drawn number."""
        return {p: i for i, p in enumerate(self.slots, start=1) if p is not None}


def draw_lots(players: Iterable[EntryId], seed: int | str) -> Draw:
    """Draw numbers by lot, reproducibly: the same players and seed give the same draw."""
    ordered = sorted(set(players), key=id_order)
    byes = set(bye_slots(len(ordered)))
    free = [s for s in range(1, _size_for(len(ordered)) + 1) if s not in byes]
    random.Random(f"draw:{seed}").shuffle(free)
    return Draw.from_numbers(dict(zip(ordered, free, strict=True)))


@dataclass(frozen=True, slots=True)
class Match:
    """One match; a player is ``None`` while not known yet; a bye has ``bye`` set."""

    key: MatchKey
    a: EntryId | None
    b: EntryId | None
    games: tuple[Game, ...] = ()
    winner: EntryId | None = None
    bye: bool = False

    @property
    def loser(self) -> EntryId | None:
        """The player who lost (``None`` for a bye or an unplayed match)."""
        if self.winner is None or self.bye:
            return None
        return self.b if self.winner == self.a else self.a


@dataclass(frozen=True, slots=True)
class Bracket:
    """All rounds of a knockout; ``third_place`` is the third-place match if played."""

    rounds: tuple[tuple[Match, ...], ...]
    third_place: Match | None = None

    @property
    def champion(self) -> EntryId | None:
        """Winner of the final, once played."""
        return self.rounds[-1][0].winner

    def matches(self) -> Iterable[Match]:
        """Every match, round by round, then the third-place match."""
        for round_ in self.rounds:
            yield from round_
        if self.third_place is not None:
            yield self.third_place


def _decide(
    key: MatchKey,
    a: EntryId | None,
    b: EntryId | None,
    results: Mapping[MatchKey, Sequence[Game]],
    best_of: int,
    rule: GameRule | None,
) -> Match:
    games = results.get(key)
    if a is None or b is None:
        if games:
            raise ValueError(f"match {key} has a result but not both players yet")
        return Match(key, a, b)
    side = match_winner(games, best_of, rule) if games else None
    winner = None if side is None else (a, b)[side]
    return Match(key, a, b, tuple(games or ()), winner)


def play(
    draw: Draw,
    results: Mapping[MatchKey, Sequence[Game]],
    *,
    best_of: int = 3,
    rule: GameRule | None = None,
    third_place: ThirdPlace = ThirdPlace.SHARED,
) -> Bracket:
    """Build the bracket from the draw and the games entered so far.

    ``results[(round, match)]`` lists the games as ``(score of a, score of b)`` where
    ``a`` is the player from the lower slot. Byes go through at once; a winner moves
    on to meet the winner of the neighbouring match. A result for a match whose
    players are not known yet, or for a match that does not exist, is a ``ValueError``.
    """
    rounds: list[tuple[Match, ...]] = []
    current: list[EntryId | None] = list(draw.slots)
    round_no = 1
    while len(current) > 1:
        matches: list[Match] = []
        for m in range(len(current) // 2):
            key = (round_no, m + 1)
            a, b = current[2 * m], current[2 * m + 1]
            # In round 1 an empty slot is a bye; later it is a winner not known yet.
            if round_no == 1 and (a is None or b is None):
                if key in results:
                    raise ValueError(f"match {key} is a bye and has no games")
                matches.append(Match(key, a, b, (), a if b is None else b, bye=True))
            else:
                matches.append(_decide(key, a, b, results, best_of, rule))
        rounds.append(tuple(matches))
        current = [m.winner for m in matches]
        round_no += 1

    third: Match | None = None
    last = len(rounds)
    # A third-place match needs two semifinal losers: not so when a semifinal is a bye.
    if third_place is ThirdPlace.MATCH and last >= 2 and not any(m.bye for m in rounds[-2]):
        a, b = (m.loser for m in rounds[-2])
        third = _decide((last, 2), a, b, results, best_of, rule)
    allowed = {m.key for r in rounds for m in r} | ({third.key} if third else set())
    unknown = set(results) - allowed
    if unknown:
        raise ValueError(f"no such match: {sorted(unknown)}")
    return Bracket(tuple(rounds), third)


def final_places(bracket: Bracket) -> tuple[Placing, ...]:
    """Places from a finished bracket, best first.

    Champion 1st, final loser 2nd; semifinal losers share 3rd, or are 3rd and 4th by
    the third-place match; losers of an earlier round with m matches share place
    m + 1 (quarter-final losers 5th, and so on). Raises ``ValueError`` while a match
    that decides a place is unplayed.
    """
    out: list[Placing] = []
    for index in range(len(bracket.rounds) - 1, -1, -1):
        round_ = bracket.rounds[index]
        unplayed = [m.key for m in round_ if m.winner is None]
        if unplayed:
            raise ValueError(f"matches not played yet: {unplayed}")
        if index == len(bracket.rounds) - 1:
            final = round_[0]
            out.append(Placing(final.winner, 1, None, decided_by=DecidedBy.MATCH))  # type: ignore[arg-type]
            out.append(Placing(final.loser, 2, None, decided_by=DecidedBy.MATCH))  # type: ignore[arg-type]
            continue
        losers = sorted((m.loser for m in round_ if m.loser is not None), key=id_order)
        place = len(round_) + 1
        third = bracket.third_place
        if index == len(bracket.rounds) - 2 and third is not None:
            if third.winner is None:
                raise ValueError(f"third-place match {third.key} not played yet")
            out.append(Placing(third.winner, 3, None, decided_by=DecidedBy.MATCH))
            out.append(Placing(third.loser, 4, None, decided_by=DecidedBy.MATCH))  # type: ignore[arg-type]
            continue
        decided = DecidedBy.SHARED if len(losers) > 1 else DecidedBy.MATCH
        out.extend(Placing(p, place, None, decided_by=decided, tied=len(losers)) for p in losers)
    return tuple(out)
