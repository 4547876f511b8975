"""An event's teams: the units each one holds, its captain, and the team a member belongs to."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid
from core.models import Event, Member, Team, Unit
from core.services import audit


def team_units(team: Team) -> list[int]:
    return ([team.unit_id] if team.unit_id else []) + [int(i) for i in team.unit_ids or []]


def team_for(event: Event, member: Member) -> Team | None:
    """The event's team whose units hold ``member`` (the nearest unit wins)."""
    path = member.unit.path
    best, depth = None, -1
    teams = list(event.teams)
    paths = {u.id: u.path for u in Unit.select(Unit.id, Unit.path).where(
        Unit.id.in_([i for t in teams for i in team_units(t)] or [0]))}
    for team in teams:
        for unit_id in team_units(team):
            unit_path = paths.get(unit_id, "")
            if unit_path and path.startswith(unit_path) and unit_path.count("/") > depth:
                best, depth = team, unit_path.count("/")
    return best


def team_holds(team: Team, member: Member) -> bool:
    units = team_units(team)
    if not units:
        return True
    paths = [u.path for u in Unit.select(Unit.path).where(Unit.id.in_(units))]
    return any(member.unit.path.startswith(p) for p in paths)


def captain_teams(account, event: Event) -> list[Team]:
    if account is None or not account.member_id:
        return []
    return list(Team.select().where(Team.event == event, Team.captain == account.member_id))


def save_team(event: Event, *, name: str, unit_ids: Sequence[int] = (), captain: Member | None = None,
              team: Team | None = None, account=None) -> Team:
    """Create or change a team of ``event`` (audited)."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("请填写队伍名称"))
    clash = Team.select().where(Team.event == event, Team.name == name, Team.id != (team.id if team else 0))
    if clash.exists():
        raise Invalid(_("队伍名称“%(name)s”已存在", name=name))
    with db.atomic():
        before = _team_snapshot(team) if team else None
        team = team or Team(event=event)
        team.name = name
        ids = [int(i) for i in unit_ids]
        team.unit = ids[0] if ids else None
        team.unit_ids = ids[1:]
        team.captain = captain
        team.save()
        audit.record("team.update" if before else "team.create", team, before=before, after=_team_snapshot(team),
                     account=account, event=event)
    return team


def _team_snapshot(team: Team) -> dict:
    return {"name": team.name, "units": team_units(team), "captain": team.captain_id}
