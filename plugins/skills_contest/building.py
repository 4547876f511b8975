"""Building a contest from its preset's plan (called from ``huodong_event_created``, inside the event's
creating transaction): registration rules, the milestones of the schedule and the four items."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.services import registrations as reg_service
from core.timeutil import from_local, to_local
from plugins.scoring import public as scoring
from plugins.skills_contest.items import save_item
from plugins.skills_contest.presets import Plan


def at(event, day: int, minutes: int) -> datetime:
    """``day`` days after the event's first day at ``minutes`` after midnight, local time, as UTC."""
    first = to_local(event.starts_at, event.timezone).date() + timedelta(days=day)
    return from_local(datetime(first.year, first.month, first.day, minutes // 60, minutes % 60), event.timezone)


def build(event, plan: Plan, account=None) -> None:
    """Give ``event`` the plan's rules, milestones and items."""
    milestones = [{"name": m.name, "starts_at": at(event, m.day, m.start).isoformat(),
                   "ends_at": (at(event, m.day, m.start) + timedelta(minutes=m.minutes)).isoformat()}
                  for m in plan.milestones]
    event.settings = dict(event.settings or {}) | {"skills_contest": {"plan": plan.key, "milestones": milestones}}
    event.save()
    if plan.rules:
        reg_service.save_rules(event, plan.rules, account=account)
    scoring.configure_event(event, participation=False, activity_points=False, account=account)
    for spec in plan.items:
        start = at(event, spec.day, spec.start)
        onsite = spec.mode == "onsite"
        save_item(event, {
            "name": spec.name, "mode": spec.mode, "requirement": spec.requirement, "room": spec.room,
            "starts_at": start if onsite else None,
            "ends_at": start + timedelta(minutes=spec.minutes) if onsite else start,
            "text_title": spec.text_title, "text": spec.text, "kinds": list(spec.kinds),
            "extensions": list(spec.extensions), "max_mb": spec.max_mb, "criteria": list(spec.criteria),
            "bands": list(spec.bands), "encouragement": "鼓励奖",
        }, account=account)
