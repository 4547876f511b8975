"""Who may register whom: the member himself, his department head, his team's captain, the organizer."""

from __future__ import annotations

from core import access
from core.models import Event, Member, Unit
from core.services.registrations.teams import captain_teams, team_holds, team_units


def may_manage(account, event: Event) -> bool:
    """Organizers of the event manage every registration, also after the freeze."""
    return access.can(account, "events.manage", event=event)


def may_register_for(account, event: Event, member: Member) -> bool:
    """Himself; a department head over the member's unit; the captain of the member's team; the organizer."""
    if account is None:
        return False
    if account.member_id == member.id or may_manage(account, event):
        return True
    if access.can(account, "registrations.manage", unit=member.unit):
        return True
    return any(team_holds(team, member) for team in captain_teams(account, event))


def managed_members(account, event: Event):
    """The members a department head or captain registers on ``event`` (organizers: everyone eligible)."""
    query = Member.select(Member, Unit).join(Unit).where(Member.is_active == True)  # noqa: E712
    if may_manage(account, event):
        return query.where(Unit.path.startswith(event.unit.path)).order_by(Unit.path, Member.staff_no)
    ids = access.managed_unit_ids(account, "registrations.manage")
    cond = None
    if ids is None:
        return query.order_by(Unit.path, Member.staff_no)
    if ids:
        cond = Member.unit.in_(ids)
    for team in captain_teams(account, event):
        units = team_units(team)
        if units:
            for path in Unit.select(Unit.path).where(Unit.id.in_(units)).tuples():
                c = Unit.path.startswith(path[0])
                cond = c if cond is None else cond | c
    if cond is None:
        return query.where(Member.id == 0)
    return query.where(cond).order_by(Unit.path, Member.staff_no)


def heads_within(account, event: Event) -> bool:
    """Does ``account`` hold ``registrations.manage`` over the event, or over a unit below its owner?

    A department head of 初一年级组 manages his department's part of the school's events; the head
    (or organizer) of another school has no part in them.
    """
    if account is None:
        return False
    if access.can(account, "registrations.manage", event=event):
        return True
    ids = access.managed_unit_ids(account, "registrations.manage")
    if ids is None:
        return True
    return bool(ids) and Unit.select().where(Unit.id.in_(ids), Unit.path.startswith(event.unit.path)).exists()


def can_register_others(account, event: Event) -> bool:
    return account is not None and (may_manage(account, event) or heads_within(account, event)
                                    or bool(captain_teams(account, event)))
