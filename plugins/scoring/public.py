"""What activity plugins (sports day, skills contest, fun games, outing games) use from scoring.

Import only this module. Items are core :class:`core.models.Item` rows of your event; entrants
are members (individual items) or teams (collective items). Amounts are yuan given as ``str``,
``int`` or ``Decimal`` (never ``float``). Errors are :class:`core.errors.Invalid` /
``Refused`` / ``Forbidden`` / ``NotFound`` with a message for the user.

Typical use in ``huodong_event_created`` (the seed's staff sports day)::

    from plugins.scoring import public as scoring

    scoring.configure_event(event, team_prizes=scoring.TEAM_PRIZES, participation_amount="50")
    scoring.configure_item(tug, measure="place", points=scoring.COLLECTIVE_POINTS, collective=True)
    scoring.configure_item(table_tennis, measure="match", points=scoring.INDIVIDUAL_POINTS,
                           prizes=scoring.INDIVIDUAL_PRIZES, game_rule="table_tennis")
    scoring.configure_item(shooting, measure="count", points=scoring.INDIVIDUAL_POINTS,
                           prizes=scoring.INDIVIDUAL_PRIZES, tie_rule="first_to_reach",
                           team_points=scoring.COLLECTIVE_POINTS)

and for a judged item (教师基本功大赛)::

    scoring.configure_item(brush, measure="marks", criteria=[("笔法", 30), ("字法", 30), ("章法", 20), ("特色", 20)],
                           bands=[("一等奖", 1), ("二等奖", 2), ("三等奖", "1/3")], band_cap="2/3",
                           blind=True, recusal=True)
    scoring.assign_judge(brush, judge_account)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from flask_babel import gettext as _

from plugins.scoring import config as _config
from plugins.scoring import panel as _panel
from plugins.scoring import results as _results
from plugins.scoring import tally as _tally
from plugins.scoring.models import MEASURES, TIE_RULES, EventScoring, ItemScoring, ScoringResult

__all__ = [
    "COLLECTIVE_POINTS", "EIGHT_GROUP_POINTS", "INDIVIDUAL_POINTS", "INDIVIDUAL_PRIZES", "MEASURES", "TEAM_PRIZES",
    "TIE_RULES", "assign_judge", "budget", "configure_event", "configure_item", "draw_blind_numbers", "draw_bracket",
    "enter_marks", "enter_match", "enter_result", "event_scoring", "item_awards", "item_scoring", "judge_distance",
    "judge_sheet", "judged_items", "names_sealed", "on_panel", "panel", "panel_distances", "payout", "publish_item",
    "remove_judge", "standings", "store_payout", "submit_marks", "unlock_item", "yearly_points",
]

INDIVIDUAL_POINTS = ("3", "2", "1")  # 个人项目前三名
COLLECTIVE_POINTS = ("5", "3", "1")  # 集体项目前三名
EIGHT_GROUP_POINTS = ("10", "9", "8", "7", "6", "5", "4", "3")  # 八个组 10..3
INDIVIDUAL_PRIZES = ("30", "20", "10")  # 个人 30/20/10 元
TEAM_PRIZES = ("300", "260", "200")  # 团体 300/260/200 元


def _criteria(criteria) -> list[dict]:
    out = []
    for c in criteria or ():
        if isinstance(c, dict):
            out.append(c)
        else:
            name, weight, *rest = c
            out.append({"name": name, "weight": str(weight), "max_mark": str(rest[0]) if rest else "100"})
    return out


def _bands(bands) -> list[dict]:
    out = []
    for b in bands or ():
        if isinstance(b, dict):
            out.append(b)
            continue
        name, size, *rest = b
        entry = {"name": name}
        entry |= {"count": size} if isinstance(size, int) else {"share": str(size)}
        if rest:
            entry["amount"] = str(rest[0])
        out.append(entry)
    return out


def configure_item(item, *, measure: str, points: Sequence = (), prizes: Sequence = (), tie_rule: str = "share",
                   collective: bool | None = None, team_points: Sequence = (), criteria: Iterable = (),
                   drop_high: int = 1, drop_low: int = 1, bands: Iterable = (), band_cap: str = "",
                   threshold: dict | None = None, answer_award: dict | None = None, blind: bool = False,
                   recusal: bool = False, best_of: int = 3, game_rule: str = "", third_place: str = "shared",
                   unit_label: str = "", account=None, **more) -> ItemScoring:
    """Say how ``item`` is scored (call again to change it).

    ``measure``: ``time`` (lower wins), ``count``, ``distance``, ``marks`` (judges), ``match``
    (knockout bracket) or ``place`` (referees enter places, e.g. a tug-of-war round robin).
    ``points`` and ``prizes`` per place 1, 2, 3 ...; ``tie_rule``: ``share``, ``share_split``,
    ``first_to_reach`` (give ``reached_at`` with results) or ``countback``. ``collective``
    defaults to ``item.kind == "team"``. ``team_points`` also ranks teams on the sum of their
    members' values (投篮). ``criteria``: ``[(name, weight[, max_mark]), ...]`` for ``marks``,
    with ``drop_high``/``drop_low`` judges' scores left out. ``bands``: ``[(name, count or
    "1/10"[, amount]), ...]`` (一、二、三等奖) with an optional ``band_cap`` such as ``"2/3"``.
    ``threshold``: ``{"value": "30", "label": ..., "souvenirs": 1, "amount": "0"}``;
    ``answer_award``: ``{"label": ..., "souvenirs": 1}`` per correct answer (the result value is
    the number of correct answers). ``blind`` judging by drawn numbers; ``recusal`` of judges
    from their own department. Knockouts: ``best_of`` (3), ``game_rule`` (``table_tennis``,
    ``badminton`` or ``""``), ``third_place`` (``shared`` or ``match``).
    """
    settings = dict(measure=measure, points=list(points), prizes=list(prizes), tie_rule=tie_rule,
                    team_points=list(team_points), criteria=_criteria(criteria), drop_high=drop_high,
                    drop_low=drop_low, bands=_bands(bands), band_cap=band_cap, threshold=threshold,
                    answer_award=answer_award, blind=blind, recusal=recusal, best_of=best_of, game_rule=game_rule,
                    third_place=third_place, unit_label=unit_label, **more)
    if collective is not None:
        settings["collective"] = collective
    return _config.configure_item(item, account=account, **settings)


def configure_event(event, *, team_prizes: Sequence = (), participation: bool = True,
                    participation_amount="50", late_rate: str = "1/2", early_leave_rate: str = "1/2",
                    excused_rate: str = "0", unknown_attendance_on_time: bool = False,
                    best_placing_only: bool = False, split_team_prizes: bool = False, team_tie_rule: str = "share",
                    souvenir_each: int = 0, activity_points: bool = True, participation_needs_entry: bool = False,
                    account=None) -> EventScoring:
    """Set the event's prize rules.

    ``team_prizes`` per team place (团体奖); ``participation_amount`` per person (参与奖, 50 yuan),
    paid at ``late_rate`` / ``early_leave_rate`` / ``excused_rate`` of the amount, nothing when
    absent. Attendance comes from the sign-in plugin through the ``huodong_attendance`` hook; when
    nobody answers, people count as on time only with ``unknown_attendance_on_time``.
    ``best_placing_only``: a person placing in several items is paid for his best placing only.
    ``split_team_prizes`` shares team money among the members who attended. ``souvenir_each``:
    souvenirs for everybody who came. ``activity_points``: the event's team points count toward
    the units' yearly activity points. ``participation_needs_entry`` (不参赛的不计发): the participation
    award only for those entered in at least one item.
    """
    return _config.configure_event(
        event, account=account, team_prizes=list(team_prizes), participation=participation,
        participation_amount=str(participation_amount), late_rate=late_rate, early_leave_rate=early_leave_rate,
        excused_rate=excused_rate, unknown_attendance_on_time=unknown_attendance_on_time,
        best_placing_only=best_placing_only, split_team_prizes=split_team_prizes, team_tie_rule=team_tie_rule,
        souvenir_each=souvenir_each, activity_points=activity_points,
        participation_needs_entry=participation_needs_entry)


def event_scoring(event) -> EventScoring:
    """The event's prize rules (the seed's defaults, unsaved, when none were set)."""
    return _config.event_config(event)


def item_scoring(item) -> ItemScoring:
    """The item's scoring configuration (``NotFound`` when it has none)."""
    return _results.item_config(item)


def assign_judge(item, account, *, role: str = "judge", by=None):
    """Put a judge (评委, role ``judge``) or referee (裁判, ``referee``) on the item's panel."""
    return _panel.assign_judge(item, account, role=role, by=by)


def remove_judge(item, account, *, by=None) -> None:
    """Take a judge or referee off the item's panel (refused once he has given marks)."""
    _panel.remove_judge(item, account, by=by)


def enter_result(item, *, member=None, team=None, value=None, status: str = "ok", reached_at=None,
                 countback: Sequence = (), version: int | None = None, account=None) -> ScoringResult:
    """Enter (or correct, with the result's ``version``) one result: ``value`` is text like ``"12.5"``,
    ``"1:05.3"`` or ``"7"``; ``status`` ``foul``/``dq``/``dns`` has no value."""
    return _results.enter_result(item, member=member, team=team, value=value, status=status, reached_at=reached_at,
                                 countback=countback, version=version, account=account)


def enter_marks(item, judge, entrant: str, marks: dict):
    """A judge's marks for one entrant (``"m<member id>"``/``"t<team id>"`` or its blind number)."""
    return _panel.enter_marks(item, judge, entrant, marks)


def submit_marks(item, judge):
    """A judge hands in his marks for the item (every entrant he may mark must be marked); after that
    his marks cannot change and he may see his distance from the panel."""
    return _panel.submit_marks(item, judge)


def judge_sheet(item, judge) -> list:
    """The entrants a judge marks, as :class:`~plugins.scoring.panel.SheetRow` (``label`` is the blind
    number while names are sealed, ``recused`` for his own department, ``marks`` and ``score`` so far)."""
    return _panel.judge_sheet(item, judge)


def judged_items(account, event=None) -> list:
    """The core items ``account`` sits on the panel of (in ``event`` when given)."""
    return _panel.assigned_items(account, event)


def on_panel(item, account) -> bool:
    """True when ``account`` is on the item's panel (judge or referee)."""
    return account is not None and _panel.assignment(item, account) is not None


def panel(item) -> list:
    """The item's panel as ``[(account, role, submitted_at)]`` in the order they were put on it."""
    from plugins.scoring.models import PanelJudge

    config = _results.item_config(item)
    return [(seat.account, seat.role, seat.submitted_at)
            for seat in PanelJudge.select().where(PanelJudge.item == config.item_id).order_by(PanelJudge.id)]


def judge_distance(item, judge):
    """How far the judge's scores sit from the panel's (``entries``, signed ``mean``, ``mean_abs``,
    ``max_abs``, ``outlier``), available only after he submitted (``Refused`` before): he never
    sees the others' marks while he is marking. ``None`` when nothing is scored yet."""
    return _panel.my_distance(item, judge)


def panel_distances(item) -> list:
    """Every judge's distance from the panel, largest first, with ``outlier`` set beyond
    ``OUTLIER_POINTS`` (10 points on average): for the organizer."""
    return _panel.panel_distances(item)


def names_sealed(item) -> bool:
    """True while a blind item's name-number key is sealed (until its marks are locked)."""
    return _panel.blind_hidden(_results.item_config(item))


def item_awards(item) -> list[dict]:
    """The item's placings with their award band, best first: ``entrant``, ``member`` (id or ``None``),
    ``name`` (the blind number's label while names are sealed), ``number``, ``place``, ``score``,
    ``band`` (``""`` without one)."""
    from plugins.scoring.models import BlindNumber

    config = _results.item_config(item)
    t = _tally.load_tally(config.item.event_id)
    loaded = t.item(config.item_id)
    given = _tally.bands_of(t, loaded) if config.bands else {}
    numbers = {b.entrant: b.number for b in BlindNumber.select().where(BlindNumber.item == config.item_id)}
    sealed = _panel.blind_hidden(config)
    out = []
    for p in t.standings.item(f"i{config.item_id}").placings:
        number = numbers.get(p.entry)
        out.append({"entrant": p.entry, "member": int(p.entry[1:]) if p.entry.startswith("m") else None,
                    "name": _("%(n)s 号", n=number) if sealed else t.name(p.entry), "number": number, "place": p.place,
                    "score": p.value, "band": given.get(p.entry, "")})
    return out


def draw_blind_numbers(item, *, seed: str | None = None, account=None) -> dict[str, int]:
    """Draw blind numbers (盲评编号) for a judged item; names stay sealed until the item is published."""
    return _results.draw_blind_numbers(item, seed=seed, account=account)


def draw_bracket(item, *, seed: str | None = None, numbers: dict | None = None, account=None):
    """Draw the knockout by lot from ``seed`` (same seed, same draw), or take ``numbers`` drawn on site."""
    return _results.draw_bracket(item, seed=seed, numbers=numbers, account=account)


def enter_match(item, round_no: int, number: int, games, *, version: int | None = None, account=None):
    """Games of a knockout match, e.g. ``[(11, 9), (8, 11), (11, 6)]``; the winner advances."""
    return _results.enter_match(item, round_no, number, games, version=version, account=account)


def publish_item(item, *, account=None, announce: bool = True):
    """Publish (and lock) an item's results; with ``announce`` each placed member hears his place and prize.
    An activity that reveals results in a later step of its own (the skills contest) says ``False``."""
    return _results.publish_item(item, account=account, announce=announce)


def unlock_item(item, reason: str, *, account=None):
    """Unlock published results; ``reason`` is required and kept in the audit log."""
    return _results.unlock_item(item, reason, account=account)


def standings(event) -> dict:
    """The event's standings as plain data: items with placings and points, team totals and ranking."""
    from plugins.scoring.views_data import standings_data

    return standings_data(_tally.load_tally(event))


def payout(event) -> dict:
    """The payout sheet as plain data: one row per person with his lines and total, team rows, grand
    total in figures and in capital numerals (``capital``)."""
    return _tally.payout_data(_tally.compute_event_payout(event))


def store_payout(event, *, account=None) -> dict:
    """Generate the payout sheet and keep it on record as the next version; returns its data."""
    record = _tally.store_payout(event, account=account)
    return record.data | {"version": record.version}


def budget(event) -> dict:
    """The maximum payout before the event: ``{"lines": [(label, count, amount)], "total": Decimal}``."""
    result = _tally.budget(event)
    return {"lines": [(line.label, line.count, line.amount) for line in result.lines], "total": result.total,
            "souvenirs": result.souvenirs}


def yearly_points(year: int, unit=None) -> list[dict]:
    """Units' yearly activity points (工会活动积分) over the events of ``year``, best first."""
    return [{"unit": name, "unit_id": row.unit, "total": row.total, "place": row.place,
             "by_event": [(e, Decimal(v)) for e, v in row.by_event]}
            for row, name in _tally.yearly_activity_points(year, unit)]
