"""Standings as plain data for pages, the scoreboard's JSON poll and the API."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from core.models import Item
from plugins.scoring.measures import format_time
from plugins.scoring.models import BlindNumber, ScoringResult
from plugins.scoring.tally import Tally


def show_value(value: Decimal | None, measure: str) -> str:
    """A value as people write it: times as ``1:05.3``, whole counts without decimals."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    else:
        value = value.normalize()
    return format_time(value) if measure == "time" else str(value)


def placing_row(p, tally: Tally, measure: str, points: dict) -> dict:
    return {"entrant": p.entry, "name": tally.name(p.entry), "place": p.place, "value": show_value(p.value, measure),
            "status": p.status.value, "status_label": p.status.label, "decided_by": p.decided_by.value,
            "decided_label": p.decided_by.label, "tied": p.tied, "points": str(points.get(p.entry, ""))}


def item_data(tally: Tally, loaded, *, organizer: bool = True) -> dict:
    """One item's placings. Judges' scores of an unpublished judged item are the organizer's only (a
    judge still marking must not see the panel), and a blind item shows numbers, not names, until
    its key is revealed."""
    standing = tally.standings.item(f"i{loaded.id}")
    c = loaded.config
    placings = [placing_row(p, tally, c.measure, standing.points) for p in standing.placings]
    if c.measure == "marks" and not c.published and not organizer:
        placings = []
    if c.blind and c.revealed_at is None:
        numbers = {b.entrant: b.number for b in BlindNumber.select().where(BlindNumber.item == loaded.id)}
        for row in placings:
            number = numbers.get(row["entrant"])
            row["name"] = _("%(n)s 号", n=number) if number is not None else "—"
    return {
        "id": loaded.id, "name": loaded.name, "measure": c.measure, "measure_label": c.measure_label,
        "unit_label": c.unit_label, "collective": c.collective, "state": c.state, "tie_rule": c.tie_rule,
        "placings": placings,
        "team_placings": [placing_row(p, tally, c.measure, standing.team_points) for p in standing.team_placings],
    }


def team_rows(tally: Tally) -> list[dict]:
    return [{"team": p.entry, "name": tally.name(p.entry), "place": p.place, "total": str(p.value),
             "decided_by": p.decided_by.value, "decided_label": p.decided_by.label, "tied": p.tied}
            for p in tally.standings.teams]


def standings_data(tally: Tally, *, organizer: bool = True) -> dict:
    """Every item's placings and points, the team totals and the team ranking with the rule that decided.

    ``organizer=False`` for anybody else: see :func:`item_data`."""
    return {"event": tally.event_id, "items": [item_data(tally, i, organizer=organizer) for i in tally.items],
            "teams": team_rows(tally),
            "team_tie_rule": tally.team_rule.value}


def latest_results(tally: Tally, limit: int = 8) -> list[dict]:
    """The most recently entered or corrected results, for the scoreboard."""
    ids = [i.id for i in tally.items]
    if not ids:
        return []
    measures = {i.id: i.config.measure for i in tally.items}
    rows = (ScoringResult.select(ScoringResult.item, Item.name, ScoringResult.entrant, ScoringResult.value,
                                 ScoringResult.status).join(Item)
            .where(ScoringResult.item.in_(ids)).order_by(ScoringResult.updated_at.desc(), ScoringResult.id.desc())
            .limit(limit).tuples())
    labels = {"ok": "", "foul": "犯规", "dq": "取消资格", "dns": "弃权"}
    return [{"item": name, "name": tally.name(entrant), "value": show_value(value, measures[item_id]),
             "status_label": labels.get(status, "")}
            for item_id, name, entrant, value, status in rows]
