"""Building an event from its preset's plan (called from ``huodong_event_created``): registration rules,
teams, items with their times, places and scoring, and the event's prize rules."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.models import Event, Team, Unit
from core.services import registrations as reg_service
from core.timeutil import from_local, to_local
from plugins.scoring import public as scoring
from plugins.sports_day.items import save_item
from plugins.sports_day.presets import Plan


def _closing(event: Event, days: int) -> datetime:
    """17:00 local time ``days`` days before the event's day (篇九: 9-18 for a 9-23 meet)."""
    day = to_local(event.starts_at, event.timezone).date() - timedelta(days=days)
    return from_local(datetime(day.year, day.month, day.day, 17, 0), event.timezone)


def _teams(event: Event, plan: Plan, account) -> None:
    if plan.teams_from_units:
        units = (Unit.select().where(Unit.parent == event.unit_id, Unit.kind.in_(("department", "group")),
                                     Unit.is_active == True)  # noqa: E712
                 .order_by(Unit.sort, Unit.id))
        for unit in units:
            reg_service.save_team(event, name=unit.name, unit_ids=[unit.id], account=account)
        return
    for name in plan.teams:
        if not Team.select().where(Team.event == event, Team.name == name).exists():
            reg_service.save_team(event, name=name, account=account)


def build(event: Event, plan: Plan, account=None) -> None:
    """Give ``event`` everything ``plan`` describes; runs inside the event's creating transaction."""
    event.settings = dict(event.settings or {}) | {"sports_day": {
        "plan": plan.key, "places_by_entries": plan.places_by_entries, "sign_in_minutes": plan.sign_in_minutes,
        "warn_repeats": plan.warn_repeats}}
    if plan.closes_days_before is not None and event.registration_closes_at is None:
        event.registration_closes_at = _closing(event, plan.closes_days_before)
    event.save()
    if plan.rules:
        reg_service.save_rules(event, plan.rules, account=account)
    _teams(event, plan, account)
    scoring.configure_event(event, account=account, **plan.prizes)
    for spec in plan.items:
        data = {
            "name": spec.name, "rule": spec.rule, "kind": spec.kind, "starred": spec.starred, "group": spec.group,
            "per_team": spec.per_team, "team_size_min": spec.team_size_min, "team_size_max": spec.team_size_max,
            "min_women": spec.min_women, "place": spec.place or event.venue,
            "starts_at": event.starts_at + timedelta(minutes=spec.start),
            "ends_at": event.starts_at + timedelta(minutes=spec.start + spec.minutes),
            "points": list(spec.points), "prizes": list(spec.prizes), "measure": spec.measure,
            "unit_label": spec.unit_label, "tie_rule": spec.tie_rule, "team_points": list(spec.team_points),
            "game_rule": spec.game_rule, "third_place": spec.third_place, "bands": list(spec.bands),
            "threshold": spec.threshold, "answer_award": spec.answer_award, "sign_in": spec.sign_in,
        }
        save_item(event, data, account=account)
