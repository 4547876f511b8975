"""Which events an account may see: published events open to his unit, and all events he manages."""

from __future__ import annotations

from core.access import managed_event_ids, managed_unit_ids
from core.models import Event, Member, Unit


def visible_events(account):
    """A query of the events ``account`` may see (``None``: an anonymous visitor sees published ones)."""
    query = Event.select(Event, Unit).join(Unit)
    public_statuses = ("published", "closed", "running", "finished", "cancelled")
    managed = managed_unit_ids(account, "events.manage") if account is not None else []
    if managed is None:
        return query
    cond = Event.status.in_(public_statuses)
    if account is not None and account.member_id:
        member_unit = Unit.select(Unit.path).join(Member, on=(Member.unit == Unit.id)).where(
            Member.id == account.member_id).scalar()
        if member_unit:
            # Open to units below the owner: the member's unit path starts with the owner's path.
            ancestors = [int(p) for p in member_unit.strip("/").split("/") if p]
            cond = cond & Event.unit.in_(ancestors)
    if managed:
        cond = cond | Event.unit.in_(managed)
    events = managed_event_ids(account, "events.manage")
    if events:
        cond = cond | Event.id.in_(events)
    return query.where(cond)


def can_view_event(account, event: Event) -> bool:
    return visible_events(account).where(Event.id == event.id).exists()
