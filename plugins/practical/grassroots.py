"""The cadres' roster and their monthly 三个一天: a day as grassroots union chairman, as enterprise
union office clerk and as an ordinary worker."""

from __future__ import annotations

from dataclasses import dataclass, field

import peewee
from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, Refused
from core.models import Member, Unit
from core.services import audit
from plugins.practical import validation as check
from plugins.practical.models import DAY_ROLES, Cadre, GrassrootsDay


def cadres(unit: Unit, active_only: bool = True) -> list[Cadre]:
    query = Cadre.select(Cadre, Member).join(Member).where(Cadre.unit == unit)
    if active_only:
        query = query.where(Cadre.is_active == True)  # noqa: E712
    return list(query.order_by(Cadre.sort, Cadre.id))


def add_cadre(unit: Unit, staff_no: str, position: str, account=None) -> Cadre:
    """Put the member with ``staff_no`` on ``unit``'s roster of cadres."""
    staff_no = (staff_no or "").strip()
    member = Member.get_or_none(Member.staff_no == staff_no) if staff_no else None
    if member is None:
        raise Invalid(_("找不到工号为 %(no)s 的会员", no=staff_no or "—"), {"staff_no": _("无此会员")})
    position = (position or "").strip()[:60]
    try:
        with db.atomic():
            cadre = Cadre.create(unit=unit, member=member, position=position,
                                 sort=Cadre.select().where(Cadre.unit == unit).count())
            audit.record("practical.cadre.add", cadre, after={"member": member.id, "position": position},
                         account=account)
    except peewee.IntegrityError:
        raise Refused(_("%(name)s 已在干部名单中", name=member.name)) from None
    return cadre


def cadre_of(account, unit: Unit) -> Cadre | None:
    """The roster entry of the account's member in ``unit``, if he is a cadre there."""
    if account is None or not account.member_id:
        return None
    return Cadre.get_or_none(Cadre.unit == unit, Cadre.member == account.member_id, Cadre.is_active == True)  # noqa: E712


def log_day(cadre: Cadre, data: dict, account=None) -> GrassrootsDay:
    """Record one of ``cadre``'s three days; each role once a month (a unique index)."""
    role = data.get("role")
    if role not in DAY_ROLES:
        raise Invalid(_("请选择是哪一个“一天”"), {"role": _("必选")})
    on = check.day(data, "on", _("日期"))
    values = {
        "place": check.text(data, "place", _("地点（基层工会或企业）"), required=True, max_length=200),
        "with_whom": check.text(data, "with_whom", _("交流对象"), max_length=300),
        "discussed": check.text(data, "discussed", _("交流内容"), required=True),
        "promised": check.text(data, "promised", _("承诺事项")),
        "follow_up": check.text(data, "follow_up", _("落实情况")),
    }
    try:
        with db.atomic():
            day = GrassrootsDay.create(cadre=cadre, year=on.year, month=on.month, role=role, on=on,
                                       recorded_by=account, **values)
            audit.record("practical.day.log", day, after={"cadre": cadre.id, "role": role, "on": on.isoformat()},
                         account=account)
    except peewee.IntegrityError:
        raise Refused(_("%(name)s %(year)s年%(month)s月的“%(role)s”已经登记过了", name=cadre.member.name,
                        year=on.year, month=on.month, role=DAY_ROLES[role])) from None
    return day


def update_follow_up(day: GrassrootsDay, follow_up: str, account=None) -> GrassrootsDay:
    follow_up = (follow_up or "").strip()
    if not follow_up:
        raise Invalid(_("请填写落实情况"), {"follow_up": _("必填")})
    with db.atomic():
        before = day.follow_up
        day.follow_up = follow_up
        day.save()
        audit.record("practical.day.follow_up", day, before={"follow_up": before}, after={"follow_up": follow_up},
                     account=account)
    return day


@dataclass
class CadreMonth:
    cadre: Cadre
    days: dict = field(default_factory=dict)  # role -> GrassrootsDay

    @property
    def missing(self) -> list[str]:
        return [role for role in DAY_ROLES if role not in self.days]


def month_view(unit: Unit, year: int, month: int) -> list[CadreMonth]:
    """Every active cadre of ``unit`` with the days he logged in the month and those he has not."""
    if not 1 <= month <= 12:
        raise Invalid(_("月份应在 1 到 12 之间"))
    rows = {c.id: CadreMonth(c) for c in cadres(unit)}
    for day in GrassrootsDay.select().where(GrassrootsDay.cadre.in_(list(rows) or [0]),
                                            GrassrootsDay.year == year, GrassrootsDay.month == month):
        rows[day.cadre_id].days[day.role] = day
    return list(rows.values())


def year_days(unit: Unit, year: int) -> list[GrassrootsDay]:
    return list(GrassrootsDay.select(GrassrootsDay, Cadre).join(Cadre)
                .where(Cadre.unit == unit, GrassrootsDay.year == year)
                .order_by(GrassrootsDay.on, GrassrootsDay.id))
