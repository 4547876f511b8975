"""Volunteer teams, their members, their activities (core events of type ``volunteer``) and the
hours each volunteer served in a year.

Hours come from the events' durations. Whether a volunteer was there is asked through
``huodong_attendance`` (the sign-in plugin answers it); when no plugin answers, an active
registration counts as being there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import peewee
from flask import current_app
from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, Refused
from core.models import Event, Member, Registration, Unit
from core.plugins import event_hooks
from core.services import audit
from core.services.events import create_event
from core.timeutil import from_local, utcnow
from plugins.practical.models import Volunteer, VolunteerActivity, VolunteerTeam

# Every attendance of somebody who came (late, left early, missed the sign-out): not absent or excused.
NOT_PRESENT = ("absent", "excused")
TEAM_SETTING = "volunteer_team"


def teams(unit: Unit) -> list[VolunteerTeam]:
    return list(VolunteerTeam.select().where(VolunteerTeam.unit == unit).order_by(VolunteerTeam.id))


def create_team(unit: Unit, name: str, description: str = "", account=None) -> VolunteerTeam:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("请填写服务队名称"), {"name": _("必填")})
    try:
        with db.atomic():
            team = VolunteerTeam.create(unit=unit, name=name[:100], description=(description or "").strip())
            audit.record("practical.team.create", team, after={"name": name}, account=account)
    except peewee.IntegrityError:
        raise Invalid(_("已有同名服务队：%(name)s", name=name), {"name": _("重名")}) from None
    return team


def add_volunteer(team: VolunteerTeam, staff_no: str, account=None) -> Volunteer:
    staff_no = (staff_no or "").strip()
    member = Member.get_or_none(Member.staff_no == staff_no) if staff_no else None
    if member is None:
        raise Invalid(_("找不到工号为 %(no)s 的会员", no=staff_no or "—"), {"staff_no": _("无此会员")})
    inserted = (Volunteer.insert(team=team, member=member, joined_on=utcnow().date())
                .on_conflict_ignore().as_rowcount().execute())
    if not inserted:
        raise Refused(_("%(name)s 已是服务队队员", name=member.name))
    audit.record("practical.team.join", team, after={"member": member.id}, account=account)
    return Volunteer.get(Volunteer.team == team, Volunteer.member == member)


def members(team: VolunteerTeam) -> list[Member]:
    return list(Member.select().join(Volunteer).where(Volunteer.team == team).order_by(Member.staff_no))


def create_activity(team: VolunteerTeam, preset_key: str | None, data: dict, account=None) -> Event:
    """Create a volunteer activity of ``team`` as a core event (a draft the organizer publishes)."""
    data = dict(data, unit=team.unit)
    for key in ("starts_at", "ends_at"):
        if not isinstance(data.get(key), datetime):
            raise Invalid(_("请填写开始和结束时间"), {key: _("必填")})
        data[key] = from_local(data[key])
    return create_event(activity_type_key="volunteer", preset_key=preset_key, data=data, account=account,
                        settings={TEAM_SETTING: team.id})


def attach(event: Event) -> VolunteerActivity | None:
    """Link a new volunteer event to its team: the one named in its settings, or the only team of its unit."""
    team_id = event.setting(TEAM_SETTING)
    if team_id is None:
        candidates = list(VolunteerTeam.select(VolunteerTeam.id).where(VolunteerTeam.unit == event.unit_id))
        if len(candidates) != 1:
            return None
        team_id = candidates[0].id
    return VolunteerActivity.create(team=team_id, event=event)


def activities(team: VolunteerTeam, year: int | None = None) -> list[Event]:
    query = Event.select().join(VolunteerActivity).where(VolunteerActivity.team == team)
    if year is not None:
        start, end = from_local(datetime(year, 1, 1)), from_local(datetime(year + 1, 1, 1))
        query = query.where(Event.starts_at >= start, Event.starts_at < end)
    return list(query.order_by(Event.starts_at))


def duration_hours(event: Event) -> Decimal:
    seconds = Decimal(int((event.ends_at - event.starts_at).total_seconds()))
    return (seconds / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


def was_there(event: Event, member: Member) -> bool:
    answer = event_hooks(current_app.extensions["huodong_pm"], event).huodong_attendance(event=event, member=member,
                                                                          checkpoint=None)
    return answer not in NOT_PRESENT


@dataclass
class VolunteerHours:
    member: Member
    hours: Decimal = Decimal("0.0")
    activities: list = field(default_factory=list)


def hours(team: VolunteerTeam, year: int) -> list[VolunteerHours]:
    """Hours per volunteer in ``year``: the team's members (even with none) and anyone who served."""
    rows = {m.id: VolunteerHours(m) for m in members(team)}
    now = utcnow()
    for event in activities(team, year):
        if event.status in ("draft", "cancelled") or event.ends_at > now:
            continue
        registrations = (Registration.select(Registration, Member).join(Member)
                         .where(Registration.event == event, Registration.status == "active"))
        for registration in registrations:
            member = registration.member
            if not was_there(event, member):
                continue
            row = rows.setdefault(member.id, VolunteerHours(member))
            row.hours += duration_hours(event)
            row.activities.append(event)
    return sorted(rows.values(), key=lambda r: (-r.hours, r.member.staff_no))
