"""The locked transaction every change runs in: lock the event, check one request against every rule,
write it, and move the waiting list up while places are free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from flask import current_app
from flask_babel import gettext as _
from peewee import fn

from core.db import is_postgres
from core.errors import NotFound, Refused
from core.messages import registration_notices as notices
from core.models import Entry, Event, Guest, Member, Registration, Team
from core.plugins import event_hooks
from core.services import audit
from core.services import registration_rules as rules_mod
from core.services.registration_rules import ItemRule, Rules
from core.services.registrations.event_rules import allowed_units, person_of
from core.services.registrations.permissions import may_manage
from core.services.registrations.requests import GuestData, Request
from core.services.registrations.teams import team_for, team_holds
from core.timeutil import utcnow

ACTIVE = ("active", "waitlisted")  # registrations that hold their item places


def lock_event(event: Event) -> Event:
    """Lock the event's row for the rest of the transaction and return it fresh."""
    query = Event.select().where(Event.id == event.id)
    if is_postgres():
        query = query.for_update()
    locked = query.first()
    if locked is None:
        raise NotFound(_("找不到该活动"))
    return locked


def people_taken(event: Event, exclude: Registration | None = None) -> int:
    """Places used in the event: active registrations and their family members."""
    regs = Registration.select(Registration.id).where(Registration.event == event, Registration.status == "active")
    if exclude is not None:
        regs = regs.where(Registration.id != exclude.id)
    members = regs.count()
    guests = Guest.select().where(Guest.registration.in_(regs)).count()
    return members + guests


def snapshot(reg: Registration) -> dict:
    return {
        "status": reg.status,
        "team": reg.team_id,
        "items": sorted(e.item_id for e in Entry.select(Entry.item).where(Entry.registration == reg)),
        "guests": [g.name for g in Guest.select(Guest.name).where(Guest.registration == reg).order_by(Guest.id)],
        "fee_total": str(reg.fee_total),
        "member_share": str(reg.member_share),
        "payment_status": reg.payment_status,
    }


@dataclass
class Batch:
    """What one transaction changed, told to plugins once it commits."""

    changes: list[tuple[Registration, str]] = field(default_factory=list)

    def notify(self, account) -> None:
        pm = current_app.extensions["huodong_pm"]
        for reg, action in self.changes:
            event_hooks(pm, reg.event).huodong_registration_changed(registration=reg, action=action, account=account)


def _team_label(event: Event, team: Team | None, member: Member) -> str:
    return team.name if team else member.unit.name


def _roster_genders(item: ItemRule, team: Team | None, member: Member, *, exclude_member: int) -> list[str]:
    """Sexes of the people who already hold ``item`` for ``team`` (or the member's unit without teams)."""
    query = (Entry.select(Member.gender).join(Registration, on=(Entry.registration == Registration.id))
             .switch(Entry).join(Member, on=(Entry.member == Member.id))
             .where(Entry.item == item.id, Registration.status.in_(ACTIVE), Entry.member != exclude_member))
    if team is not None:
        query = query.where(Entry.team == team.id)
    else:
        query = query.where(Entry.team.is_null(), Member.unit == member.unit_id)
    return [g for (g,) in query.tuples()]


def _item_taken(item: ItemRule, exclude_member: int) -> int:
    return (Entry.select().join(Registration, on=(Entry.registration == Registration.id))
            .where(Entry.item == item.id, Registration.status.in_(ACTIVE), Entry.member != exclude_member).count())


def _problems(event: Event, rules: Rules, items: list[ItemRule], req: Request, existing: Registration | None,
              team: Team | None) -> list[str]:
    """Every rule's verdict on one request (in the locked transaction)."""
    member = req.member
    person = person_of(member, event)
    problems = rules_mod.eligibility_problems(rules, person, owner=(event.unit.path, event.unit.name),
                                              allowed_units=allowed_units(rules))
    problems += rules_mod.item_choice_problems(rules, items, req.items, person)
    if rules.team_required and team is None:
        problems.append(_("【队伍】本活动须以队伍报名：%(name)s不属于任何队伍，请联系队长", name=member.name))
    by_id = {i.id: i for i in items}
    for item_id in req.items:
        item = by_id.get(item_id)
        if item is None:
            continue
        genders = _roster_genders(item, team, member, exclude_member=member.id) + [member.gender]
        problems += rules_mod.team_place_problems(item, _team_label(event, team, member), genders)
        problems += rules_mod.item_capacity_problems(item, _item_taken(item, member.id) + 1)
    guests = req.guests if req.guests is not None else (list(existing.guests) if existing else [])
    problems += rules_mod.family_problems(rules, len(guests))
    for guest in req.guests or ():
        if not guest.name.strip():
            problems.append(_("【家属】请填写家属姓名"))
    pm = current_app.extensions["huodong_pm"]
    data = {"items": list(req.items), "team": team.id if team else None, "extra": dict(req.extra),
            "guests": [g.__dict__ for g in req.guests] if req.guests is not None else None}
    for answer in event_hooks(pm, event).huodong_registration_check(event=event, member=member, data=data,
                                                                   registration=existing):
        problems += list(answer or ())
    return list(dict.fromkeys(problems))


@dataclass
class _Parsed:
    """One request read against the event: the member's registration already stored and the team it goes to."""

    req: Request
    existing: Registration | None  # the member's registration on the event, withdrawn or not
    current: Registration | None  # the same while it is not withdrawn (it holds or awaits a place)
    team: Team | None  # the team asked for, or the one whose units hold the member

    @property
    def is_new(self) -> bool:
        """Nothing held yet: no registration, or a withdrawn one that starts again."""
        return self.current is None

    @cached_property
    def guests(self) -> list[GuestData]:
        """The family members the registration will have: those asked for, else those it has."""
        if self.req.guests is not None:
            return self.req.guests
        if self.current is None:
            return []
        return [GuestData(g.name, g.relation, g.gender, g.is_child) for g in self.current.guests]


def apply_request(event: Event, rules: Rules, items: list[ItemRule], req: Request, account, batch: Batch,
                  reason: str = "") -> Registration:
    """Check and write one registration inside the locked transaction; raise :class:`Refused` when a rule says no.

    Parse the request against what is stored, authorise it (the team asked for, every rule, the places
    left), then apply it.
    """
    parsed = _parse(event, req)
    _authorise_team(event, parsed, account)
    req.items = list(dict.fromkeys(int(i) for i in req.items))  # each item once, in the order asked
    _check_rules(event, rules, items, parsed)
    status = _status(event, rules, parsed)
    return _apply(event, rules, parsed, status, account, batch, reason)


def _parse(event: Event, req: Request) -> _Parsed:
    """Find the member's registration on ``event`` and the team the request goes to."""
    existing = Registration.get_or_none(Registration.event == event, Registration.member == req.member)
    current = None if existing is not None and existing.status == "withdrawn" else existing
    team = req.team if req.team is not None else team_for(event, req.member)
    return _Parsed(req=req, existing=existing, current=current, team=team)


def _authorise_team(event: Event, parsed: _Parsed, account) -> None:
    """A team asked for must hold the member, unless an organizer puts him there."""
    req = parsed.req
    if req.team is not None and not team_holds(req.team, req.member) and not may_manage(account, event):
        raise Refused(_("【队伍】%(name)s不属于队伍“%(team)s”", name=req.member.name, team=req.team.name))


def _check_rules(event: Event, rules: Rules, items: list[ItemRule], parsed: _Parsed) -> None:
    """Refuse the request with the message of every rule it breaks, the core's and the plugins'."""
    problems = _problems(event, rules, items, parsed.req, parsed.current, parsed.team)
    if problems:
        raise Refused("；".join(problems), {"rules": problems})


def _status(event: Event, rules: Rules, parsed: _Parsed) -> str:
    """``active`` or ``waitlisted`` by the places left; refused when full and the event keeps no waiting list.

    A newcomer (or one still waiting) gets a place only if it fits and nobody waits ahead of him; an
    active registration keeps its place only while its family members still fit.
    """
    if event.capacity is None:
        return "active"
    status = parsed.current.status if parsed.current else None
    need = 1 + len(parsed.guests)
    fits = people_taken(event, exclude=parsed.current) + need <= event.capacity
    if status in (None, "waitlisted"):
        if fits and not _waiting_ahead(event, parsed.current):
            return "active"
        if rules.waitlist:
            return "waitlisted"
        raise Refused(_("【名额】本活动限 %(n)s 人，名额已满", n=event.capacity))
    if not fits:
        raise Refused(_("【名额】本活动限 %(n)s 人，剩余名额不够再添加家属", n=event.capacity))
    return status


def _apply(event: Event, rules: Rules, parsed: _Parsed, status: str, account, batch: Batch,
           reason: str) -> Registration:
    """Write the authorised request: the registration, its entries and family members, the audit row
    and the notice to the member."""
    existing, req = parsed.existing, parsed.req
    before = snapshot(existing) if existing is not None else None
    reg = _save_registration(event, rules, parsed, status, account)
    _save_entries(reg, req.member, req.items, parsed.team)
    if req.guests is not None or parsed.is_new:
        _save_guests(reg, rules, event, parsed.guests)
    action = "created" if parsed.is_new else "updated"
    cause = audit.record(f"registration.{action}", reg, before=before, after=snapshot(reg), reason=reason,
                         account=account, event=event)
    batch.changes.append((reg, action))
    notices.queue(reg, action, cause, event=event, account=account, reason=reason)
    return reg


def _save_registration(event: Event, rules: Rules, parsed: _Parsed, status: str, account) -> Registration:
    """The registration's own row: status, place in the waiting list, team, extra answers and fees."""
    existing, req = parsed.existing, parsed.req
    now = utcnow()
    reg = existing or Registration(event=event, member=req.member, created_at=now)
    reg.status = status
    reg.waitlist_position = _waitlist_position(event, parsed, status)
    reg.team = parsed.team
    reg.extra = dict(reg.extra or {}) | dict(req.extra or {}) if existing else dict(req.extra or {})
    reg.updated_at = now
    reg.withdrawn_at = None
    if parsed.is_new:
        reg.registered_by = account.id if account is not None else None
        reg.created_at = now
    _set_fees(reg, rules, event, parsed.guests)
    reg.save()
    return reg


def _waitlist_position(event: Event, parsed: _Parsed, status: str) -> int | None:
    """Place in the waiting list: kept while it waits on, the end of the line when it starts waiting."""
    if status != "waitlisted":
        return None
    if parsed.current is not None and parsed.current.status == "waitlisted":
        return parsed.current.waitlist_position
    last = Registration.select(fn.MAX(Registration.waitlist_position)).where(Registration.event == event).scalar()
    return (last or 0) + 1


def _save_entries(reg: Registration, member: Member, item_ids: list[int], team: Team | None) -> None:
    """One entry per item asked for, in the registration's team; entries in other items go."""
    Entry.delete().where(Entry.registration == reg, Entry.item.not_in(item_ids or [0])).execute()
    held = {e.item_id: e for e in Entry.select().where(Entry.registration == reg)}
    for item_id in item_ids:
        if item_id in held:
            if held[item_id].team_id != (team.id if team else None):
                Entry.update(team=team).where(Entry.id == held[item_id].id).execute()
        else:
            Entry.create(item=item_id, registration=reg, member=member, team=team)


def _save_guests(reg: Registration, rules: Rules, event: Event, guests: Sequence[GuestData]) -> None:
    """Replace the registration's family members, each with his fee and the shares of it."""
    Guest.delete().where(Guest.registration == reg).execute()
    _member_share, family = rules_mod.fees(rules, event.fee, [g.is_child for g in guests])
    for guest, cost in zip(guests, family, strict=True):
        Guest.create(registration=reg, name=guest.name.strip(), relation=guest.relation.strip(),
                     gender=guest.gender, is_child=guest.is_child, fee=cost.cost, member_share=cost.own,
                     union_share=cost.union)


def _waiting_ahead(event: Event, reg: Registration | None) -> bool:
    """Someone else is already waiting: a newcomer queues behind him even if a place just opened."""
    query = Registration.select().where(Registration.event == event, Registration.status == "waitlisted")
    if reg is not None:
        query = query.where(Registration.id != reg.id)
        if reg.waitlist_position is not None:
            query = query.where(Registration.waitlist_position < reg.waitlist_position)
    return query.exists()


def _set_fees(reg: Registration, rules: Rules, event: Event, guests: Sequence[GuestData]) -> None:
    member_share, family = rules_mod.fees(rules, event.fee, [g.is_child for g in guests])
    total = rules_mod.totals(member_share, family)
    reg.fee_total, reg.member_share, reg.union_share = total.cost, total.own, total.union
    if reg.payment_status in ("unpaid", "free"):
        reg.payment_status = "free" if total.own == 0 else "unpaid"


def promote(event: Event, account, batch: Batch) -> list[Registration]:
    """Move waiting registrations up, in order, while the next one fits."""
    promoted = []
    waiting = (Registration.select().where(Registration.event == event, Registration.status == "waitlisted")
               .order_by(Registration.waitlist_position, Registration.id))
    for reg in waiting:
        need = 1 + Guest.select().where(Guest.registration == reg).count()
        if event.capacity is not None and people_taken(event) + need > event.capacity:
            break
        reg.status, reg.waitlist_position, reg.updated_at = "active", None, utcnow()
        reg.save()
        cause = audit.record("registration.promoted", reg, before={"status": "waitlisted"},
                             after={"status": "active"}, account=account, event=event)
        batch.changes.append((reg, "promoted"))
        notices.queue(reg, "promoted", cause, event=event, account=account)
        promoted.append(reg)
    return promoted
