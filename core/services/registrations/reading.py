"""Reading an event's registrations: the lists, their items and family members, the waiting list's order,
the organizer's counts and the history of changes."""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from peewee import JOIN

from core.errors import NotFound
from core.models import AuditLog, Entry, Event, Guest, Item, Member, Registration, Team, Unit
from core.services import registration_rules as rules_mod


def event_registrations(event: Event, *, unit_ids: list[int] | None = None, include_withdrawn=False):
    """The event's registrations with member and unit, in order (``unit_ids``: only those units)."""
    query = (Registration.select(Registration, Member, Unit, Team)
             .join(Member, on=(Registration.member == Member.id)).join(Unit, on=(Member.unit == Unit.id))
             .switch(Registration).join(Team, JOIN.LEFT_OUTER, on=(Registration.team == Team.id))
             .where(Registration.event == event))
    if not include_withdrawn:
        query = query.where(Registration.status != "withdrawn")
    if unit_ids is not None:
        query = query.where(Member.unit.in_(unit_ids or [0]))
    return query.order_by(Registration.status, Registration.waitlist_position, Unit.path, Member.staff_no)


def entries_by_registration(regs: Sequence[Registration]) -> dict[int, list[Item]]:
    found: dict[int, list[Item]] = {}
    query = (Entry.select(Entry, Item).join(Item).where(Entry.registration.in_([r.id for r in regs] or [0]))
             .order_by(Item.sort, Item.id))
    for entry in query:
        found.setdefault(entry.registration_id, []).append(entry.item)
    return found


def guests_by_registration(regs: Sequence[Registration]) -> dict[int, list[Guest]]:
    found: dict[int, list[Guest]] = {}
    for guest in Guest.select().where(Guest.registration.in_([r.id for r in regs] or [0])).order_by(Guest.id):
        found.setdefault(guest.registration_id, []).append(guest)
    return found


def waitlist_rank(reg: Registration) -> int | None:
    """1 for the first in line."""
    if reg.status != "waitlisted":
        return None
    return Registration.select().where(Registration.event == reg.event_id, Registration.status == "waitlisted",
                                       Registration.waitlist_position < reg.waitlist_position).count() + 1


def summary(event: Event) -> dict:
    """Counts for the organizer: by status, unit, sex and item, family members and money."""
    regs = list(event_registrations(event))
    active = [r for r in regs if r.status == "active"]
    guests = Guest.select().join(Registration).where(Registration.event == event, Registration.status == "active")
    by_unit: dict[str, int] = {}
    by_sex = {"M": 0, "F": 0}
    for reg in active:
        by_unit[reg.member.unit.name] = by_unit.get(reg.member.unit.name, 0) + 1
        by_sex[reg.member.gender] = by_sex.get(reg.member.gender, 0) + 1
    by_item = []
    for item in event.items.order_by(Item.sort, Item.id):
        rows = list(Entry.select(Member.gender).join(Member, on=(Entry.member == Member.id)).switch(Entry)
                    .join(Registration, on=(Entry.registration == Registration.id))
                    .where(Entry.item == item, Registration.status == "active").tuples())
        by_item.append({"item": item, "count": len(rows), "women": sum(1 for (g,) in rows if g == "F")})
    money = {"cost": sum((r.fee_total for r in active), rules_mod.ZERO),
             "own": sum((r.member_share for r in active), rules_mod.ZERO),
             "union": sum((r.union_share for r in active), rules_mod.ZERO),
             "paid": sum((r.member_share for r in active if r.payment_status == "paid"), rules_mod.ZERO)}
    return {"active": len(active), "waitlisted": sum(1 for r in regs if r.status == "waitlisted"),
            "guests": guests.count(), "by_unit": sorted(by_unit.items()), "by_sex": by_sex, "by_item": by_item,
            "money": money}


# What the history of changes calls each audited action of the core; plugins label theirs through
# ``huodong_audit_labels``, and actions not labelled read as 其他修改.
EDIT_LABELS = {
    "registration.created": _l("报名"), "registration.updated": _l("修改报名"),
    "registration.withdrawn": _l("退出报名"), "registration.promoted": _l("由候补转为正式"),
    "registration.payment": _l("登记缴费"),
}


def audit_labels() -> dict:
    """The labels plugins give their audit actions (``huodong_audit_labels``)."""
    labels = {}
    for part in current_app.extensions["huodong_pm"].hook.huodong_audit_labels():
        labels.update(part or {})
    return labels


def edits(event: Event):
    """The audit rows of this event's registrations, newest first."""
    return (AuditLog.select().where(AuditLog.event_id == event.id, AuditLog.object_type == "Registration")
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()))


def edit_history(event: Event, limit: int = 50) -> list[dict]:
    """The latest ``limit`` changes as the organizer reads them: when, who acted, what was done
    (in words), whose registration and why."""
    rows = list(edits(event).limit(limit))
    ids = {int(r.object_id) for r in rows if r.object_id.isdigit()}
    names = dict(Registration.select(Registration.id, Member.name).join(Member).where(Registration.id.in_(ids))
                 .tuples()) if ids else {}
    labels = {**audit_labels(), **EDIT_LABELS}
    return [{"at": r.at, "by": r.account_name or _("系统"), "action": str(labels.get(r.action, _l("其他修改"))),
             "member": names.get(int(r.object_id)) if r.object_id.isdigit() else None, "reason": r.reason}
            for r in rows]


def member_by_id(member_id: int) -> Member:
    member = Member.select(Member, Unit).join(Unit).where(Member.id == member_id).first()
    if member is None:
        raise NotFound(_("找不到该会员"))
    return member
