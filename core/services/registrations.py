"""Registrations: a member for himself, a captain or department head for many in one batch, family
members, the registration window and freeze, capacity with a waiting list, fees and payments.

Every change runs in one transaction that first locks the event (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite's write transactions are serialised by ``BEGIN IMMEDIATE``), so capacity, team
sizes and places per team hold however many people register at once. The rules themselves are the
pure functions of :mod:`core.services.registration_rules`; plugins add theirs through
``huodong_registration_check`` and hear of every change through ``huodong_registration_changed``
(called after the transaction commits). What each change tells the member (received, waitlisted,
promoted, changed or withdrawn by someone else) is queued inside the same transaction
(:mod:`core.messages.registration_notices`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from peewee import JOIN, fn

from core import access
from core.db import db, is_postgres
from core.errors import Forbidden, Invalid, NotFound, Refused
from core.messages import registration_notices as notices
from core.models import (
    Account,
    AuditLog,
    CommitteeRole,
    Entry,
    Event,
    Guest,
    Item,
    Member,
    Registration,
    RoleGrant,
    Team,
    Unit,
)
from core.models.registrations import PAYMENT_STATUSES
from core.plugins import event_hooks
from core.services import audit
from core.services import registration_rules as rules_mod
from core.services.registration_rules import ItemRule, Person, Rules
from core.timeutil import format_datetime, to_local, utcnow
from core.xlsx import append, header_row, read_rows

ACTIVE = ("active", "waitlisted")  # registrations that hold their item places
SHEET_HEADERS = ["工号", "姓名", "项目", "队伍"]
SHEET_MAX_ROWS = 5000  # people in one department's 报名表; a bigger sheet is refused before it is held


@dataclass
class GuestData:
    """A family member as submitted."""

    name: str
    relation: str = ""
    gender: str = ""
    is_child: bool = False


@dataclass
class Request:
    """What one registration asks for. ``items`` are item ids; ``team`` a Team or ``None`` (automatic)."""

    member: Member
    items: list[int] = field(default_factory=list)
    team: Team | None = None
    guests: list[GuestData] | None = None  # None: keep the family members already there
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- reading an event's rules


def event_rules(event: Event) -> Rules:
    """The event's rules (``Event.settings["rules"]``), read leniently: a bad stored value is ignored."""
    try:
        return rules_mod.parse_rules(event.setting("rules"))
    except Invalid:
        return Rules()


def save_rules(event: Event, data: dict, *, account=None) -> Rules:
    """Check and store an event's rules (audited)."""
    parsed = rules_mod.parse_rules(data)
    before = (event.settings or {}).get("rules")
    with db.atomic():
        event.settings = dict(event.settings or {}) | {"rules": parsed.to_settings()}
        event.save(only=[Event.settings])
        audit.record("registration.rules", event, before=before, after=parsed.to_settings(), account=account,
                     event=event)
    return parsed


def item_rules(event: Event) -> list[ItemRule]:
    return [ItemRule.from_item(i) for i in event.items.order_by(Item.sort, Item.id)]


def person_of(member: Member, event: Event) -> Person:
    """The facts the rules read about ``member`` for ``event``: unit, sex, job, dues, roles."""
    unit = member.unit
    roles = {r for (r,) in CommitteeRole.select(CommitteeRole.role).where(
        CommitteeRole.event == event, CommitteeRole.member == member).tuples()}
    grants = (RoleGrant.select(RoleGrant, Unit).join(Account, on=(RoleGrant.account == Account.id))
              .switch(RoleGrant).join(Unit, JOIN.LEFT_OUTER, on=(RoleGrant.unit == Unit.id))
              .where(Account.member == member))
    owner_path = event.unit.path
    for grant in grants:
        if grant.event_id is not None and grant.event_id != event.id:
            continue
        if grant.unit_id is not None and not owner_path.startswith(grant.unit.path):
            continue
        roles.add(grant.role)
    day = to_local(event.starts_at, event.timezone).date()
    return Person(name=member.name, unit_path=unit.path, gender=member.gender, job=(member.job or "").strip(),
                  dues_paid=member.dues_paid_until is not None and member.dues_paid_until >= day,
                  roles=frozenset(roles))


def allowed_units(rules: Rules) -> list[tuple[str, str]]:
    if not rules.units:
        return []
    return [(u.path, u.name) for u in Unit.select().where(Unit.id.in_(rules.units)).order_by(Unit.path)]


# ---------------------------------------------------------------- teams


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


# ---------------------------------------------------------------- who may do what


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


# ---------------------------------------------------------------- window and freeze


def window_problem(event: Event, now=None) -> str | None:
    return rules_mod.window_problem(
        opens=event.registration_opens_at, closes=event.registration_closes_at, status=event.status,
        now=now or utcnow(), opens_text=format_datetime(event.registration_opens_at, event.timezone),
        closes_text=format_datetime(event.registration_closes_at, event.timezone), ends=event.ends_at)


def is_frozen(event: Event, now=None) -> bool:
    return rules_mod.is_frozen(closes=event.registration_closes_at, status=event.status, now=now or utcnow(),
                               ends=event.ends_at)


def _gate(event: Event, account, reason: str) -> None:
    """Members and department heads act inside the window; organizers any time, with a reason once frozen."""
    if may_manage(account, event):
        if event.status == "cancelled":
            raise Refused(_("【报名时间】活动已取消"))
        if is_frozen(event) and not (reason or "").strip():
            raise Refused(_("报名已截止，名单已锁定：组织者修改须填写原因"))
        return
    problem = window_problem(event)
    if problem:
        raise Refused(problem)


# ---------------------------------------------------------------- the transaction


def _lock(event: Event) -> Event:
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


def _snapshot(reg: Registration) -> dict:
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
class _Batch:
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


def _apply(event: Event, rules: Rules, items: list[ItemRule], req: Request, account, batch: _Batch,
           reason: str = "") -> Registration:
    """Check and write one registration inside the locked transaction; raise :class:`Refused` when a rule says no."""
    member = req.member
    existing = Registration.get_or_none(Registration.event == event, Registration.member == member)
    if existing is not None and existing.status == "withdrawn":
        existing_active = None
    else:
        existing_active = existing
    team = req.team if req.team is not None else team_for(event, member)
    if req.team is not None and not team_holds(req.team, member) and not may_manage(account, event):
        raise Refused(_("【队伍】%(name)s不属于队伍“%(team)s”", name=member.name, team=req.team.name))
    req.items = list(dict.fromkeys(int(i) for i in req.items))
    problems = _problems(event, rules, items, req, existing_active, team)
    if problems:
        raise Refused("；".join(problems), {"rules": problems})

    guests = req.guests if req.guests is not None else (
        [GuestData(g.name, g.relation, g.gender, g.is_child) for g in existing_active.guests] if existing_active else [])
    need = 1 + len(guests)
    before = _snapshot(existing) if existing is not None else None
    now = utcnow()
    status = existing_active.status if existing_active else None
    if event.capacity is not None:
        taken = people_taken(event, exclude=existing_active)
        fits = taken + need <= event.capacity
        if status in (None, "waitlisted"):
            if fits and not _waiting_ahead(event, existing_active):
                status = "active"
            elif rules.waitlist:
                status = "waitlisted"
            else:
                raise Refused(_("【名额】本活动限 %(n)s 人，名额已满", n=event.capacity))
        elif not fits:
            raise Refused(_("【名额】本活动限 %(n)s 人，剩余名额不够再添加家属", n=event.capacity))
    else:
        status = "active"

    reg = existing or Registration(event=event, member=member, created_at=now)
    reg.status = status
    if status == "waitlisted":
        if existing_active is None or existing_active.status != "waitlisted":
            last = (Registration.select(fn.MAX(Registration.waitlist_position))
                    .where(Registration.event == event).scalar() or 0)
            reg.waitlist_position = last + 1
    else:
        reg.waitlist_position = None
    reg.team = team
    reg.extra = dict(reg.extra or {}) | dict(req.extra or {}) if existing else dict(req.extra or {})
    reg.updated_at = now
    reg.withdrawn_at = None
    if existing is None or existing.status == "withdrawn":
        reg.registered_by = account.id if account is not None else None
        reg.created_at = now
    _set_fees(reg, rules, event, guests)
    reg.save()
    Entry.delete().where(Entry.registration == reg, Entry.item.not_in(req.items or [0])).execute()
    held = {e.item_id: e for e in Entry.select().where(Entry.registration == reg)}
    for item_id in req.items:
        if item_id in held:
            if held[item_id].team_id != (team.id if team else None):
                Entry.update(team=team).where(Entry.id == held[item_id].id).execute()
        else:
            Entry.create(item=item_id, registration=reg, member=member, team=team)
    if req.guests is not None or existing is None or existing.status == "withdrawn":
        Guest.delete().where(Guest.registration == reg).execute()
        member_share, family = rules_mod.fees(rules, event.fee, [g.is_child for g in guests])
        for guest, cost in zip(guests, family, strict=True):
            Guest.create(registration=reg, name=guest.name.strip(), relation=guest.relation.strip(),
                         gender=guest.gender, is_child=guest.is_child, fee=cost.cost, member_share=cost.own,
                         union_share=cost.union)
    action = "created" if existing is None or existing.status == "withdrawn" else "updated"
    cause = audit.record(f"registration.{action}", reg, before=before, after=_snapshot(reg), reason=reason,
                         account=account, event=event)
    batch.changes.append((reg, action))
    notices.queue(reg, action, cause, event=event, account=account, reason=reason)
    return reg


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


def _promote(event: Event, account, batch: _Batch) -> list[Registration]:
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


# ---------------------------------------------------------------- public operations


def register(event: Event, req: Request, *, account=None, reason: str = "") -> Registration:
    """Register (or change the registration of) ``req.member``; returns it, ``active`` or ``waitlisted``.

    Raises :class:`Forbidden` when ``account`` may not register this member, :class:`Refused` with
    every broken rule's message otherwise.
    """
    if not may_register_for(account, event, req.member):
        raise Forbidden(_("你不能为%(name)s报名", name=req.member.name))
    _gate(event, account, reason)
    batch = _Batch()
    with db.atomic():
        locked = _lock(event)
        reg = _apply(locked, event_rules(locked), item_rules(locked), req, account, batch, reason)
    batch.notify(account)
    return reg


def withdraw(registration: Registration, *, account=None, reason: str = "") -> list[Registration]:
    """Withdraw a registration; return those promoted from the waiting list in its place."""
    event = registration.event
    if not may_register_for(account, event, registration.member):
        raise Forbidden(_("你不能替%(name)s退出报名", name=registration.member.name))
    problem = rules_mod.withdrawal_problem(starts=event.starts_at, now=utcnow(),
                                           by_organizer=may_manage(account, event), reason=reason)
    if problem:
        raise Refused(problem)
    _gate(event, account, reason)
    batch = _Batch()
    with db.atomic():
        locked = _lock(event)
        reg = Registration.get_by_id(registration.id)
        if reg.status == "withdrawn":
            raise Refused(_("该报名已退出"))
        before = _snapshot(reg)
        reg.status, reg.waitlist_position, reg.withdrawn_at, reg.updated_at = "withdrawn", None, utcnow(), utcnow()
        reg.save()
        Entry.delete().where(Entry.registration == reg).execute()
        cause = audit.record("registration.withdrawn", reg, before=before, after=_snapshot(reg), reason=reason,
                             account=account, event=event)
        batch.changes.append((reg, "withdrawn"))
        notices.queue(reg, "withdrawn", cause, event=locked, account=account, reason=reason)
        promoted = _promote(locked, account, batch)
    batch.notify(account)
    registration.status = "withdrawn"
    return promoted


def promote_waitlist(event: Event, *, account=None) -> list[Registration]:
    """Fill free places from the waiting list (after the organizer raised the capacity)."""
    batch = _Batch()
    with db.atomic():
        promoted = _promote(_lock(event), account, batch)
    batch.notify(account)
    return promoted


def register_batch(event: Event, requests: Sequence[tuple[str, Request]], *, account, reason: str = "",
                   withdraw_others: Iterable[Member] = (), complete_teams: bool = True) -> list[Registration]:
    """Register many people at once (a captain's team, a department, an uploaded 报名表): all or nothing.

    ``requests`` pairs a label for messages (``第 3 行``, a name) with each request; ``withdraw_others``
    are members whose registrations end (unticked on the department form). With ``complete_teams`` the
    teams' rosters in team items must also reach their minimum size and women. Raises :class:`Invalid`
    whose ``errors`` map each label to its messages; nothing is written then.
    """
    errors: dict[str, str] = {}
    allowed = []
    for label, req in requests:
        if may_register_for(account, event, req.member):
            allowed.append((label, req))
        else:
            errors[label] = _("你不能为%(name)s报名", name=req.member.name)
    withdraw_others = list(withdraw_others)
    for member in withdraw_others:
        if not may_register_for(account, event, member):
            errors[member.name] = _("你不能替%(name)s退出报名", name=member.name)
    _gate(event, account, reason)
    batch = _Batch()
    registrations = []
    with db.atomic():
        locked = _lock(event)
        rules, items = event_rules(locked), item_rules(locked)
        for member in withdraw_others:
            reg = Registration.get_or_none(Registration.event == locked, Registration.member == member)
            if reg is not None and reg.status != "withdrawn":
                problem = rules_mod.withdrawal_problem(starts=locked.starts_at, now=utcnow(),
                                                       by_organizer=may_manage(account, locked), reason=reason)
                if problem:
                    raise Refused(problem)
                before = _snapshot(reg)
                reg.status, reg.waitlist_position, reg.withdrawn_at = "withdrawn", None, utcnow()
                reg.save()
                Entry.delete().where(Entry.registration == reg).execute()
                cause = audit.record("registration.withdrawn", reg, before=before, after=_snapshot(reg),
                                     reason=reason, account=account, event=locked)
                batch.changes.append((reg, "withdrawn"))
                notices.queue(reg, "withdrawn", cause, event=locked, account=account, reason=reason)
        for label, req in allowed:
            try:
                with db.atomic():
                    registrations.append(_apply(locked, rules, items, req, account, batch, reason))
            except (Refused, Invalid) as exc:
                errors[label] = exc.message
        errors = {label: errors[label] for label, _req in requests if label in errors} | errors
        if not errors and complete_teams:
            errors.update(_incomplete_teams(locked, items, {r.team_id for r in registrations if r.team_id}))
        if errors:  # leaving the transaction by an exception rolls back every row
            raise Invalid(_("报名未保存：%(n)s 处有误", n=len(errors)), errors)
        _promote(locked, account, batch)
    batch.notify(account)
    return registrations


def _incomplete_teams(event: Event, items: list[ItemRule], team_ids: set[int]) -> dict[str, str]:
    """Each touched team's roster in each team item, checked whole (size and women)."""
    errors = {}
    for team in Team.select().where(Team.id.in_(team_ids or [0])):
        problems = []
        for item in items:
            if item.kind != "team":
                continue
            genders = [g for (g,) in (Entry.select(Member.gender).join(Member, on=(Entry.member == Member.id))
                                       .switch(Entry).join(Registration, on=(Entry.registration == Registration.id))
                                       .where(Entry.item == item.id, Entry.team == team.id,
                                              Registration.status.in_(ACTIVE)).tuples())]
            if genders:
                problems += rules_mod.team_place_problems(item, team.name, genders, complete=True)
        if problems:
            errors[team.name] = "；".join(problems)
    return errors


def team_warnings(event: Event) -> list[str]:
    """Teams whose rosters are not yet complete (shown to organizers and captains)."""
    items = item_rules(event)
    found = _incomplete_teams(event, items, {t.id for t in event.teams})
    return [message for message in found.values()]


def set_payment(registration: Registration, status: str, *, account, reason: str = "") -> Registration:
    """Record a registration's payment status (organizers only; audited)."""
    event = registration.event
    if not may_manage(account, event):
        raise Forbidden(_("只有组织者可以登记缴费"))
    if status not in PAYMENT_STATUSES:
        raise Invalid(_("未知的缴费状态：%(status)s", status=status))
    with db.atomic():
        reg = Registration.get_by_id(registration.id)
        before = {"payment_status": reg.payment_status, "paid_at": reg.paid_at}
        reg.payment_status = status
        reg.paid_at = utcnow() if status == "paid" else None
        reg.save(only=[Registration.payment_status, Registration.paid_at])
        audit.record("registration.payment", reg, before=before,
                     after={"payment_status": status, "paid_at": reg.paid_at}, reason=reason, account=account,
                     event=event)
    return reg


# ---------------------------------------------------------------- reading


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


def edits(event: Event):
    """The audit rows of this event's registrations, newest first."""
    return (AuditLog.select().where(AuditLog.event_id == event.id, AuditLog.object_type == "Registration")
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()))


# ---------------------------------------------------------------- 报名表 xlsx


def sheet(event: Event) -> tuple[list[str], list[list]]:
    """The 报名表 export: one row per registration (waiting list included)."""
    regs = list(event_registrations(event))
    entries, guests = entries_by_registration(regs), guests_by_registration(regs)
    headers = ["序号", "工号", "姓名", "性别", "单位", "队伍", "项目", "状态", "候补顺序", "家属", "费用合计",
               "工会承担", "个人承担", "缴费状态", "报名时间"]
    rows = []
    for number, reg in enumerate(regs, start=1):
        rows.append([
            number, reg.member.staff_no, reg.member.name, reg.member.gender_label, reg.member.unit.name,
            reg.team.name if reg.team else "", "、".join(i.name for i in entries.get(reg.id, [])), reg.status_label,
            waitlist_rank(reg) or "",
            "、".join(f"{g.name}（{g.relation}）" if g.relation else g.name for g in guests.get(reg.id, [])),
            reg.fee_total, reg.union_share, reg.member_share, reg.payment_label,
            format_datetime(reg.created_at, event.timezone),
        ])
    return headers, rows


def template_workbook(event: Event, members: Sequence[Member]) -> bytes:
    """The 报名表 template a department head fills in: one row per person; the second sheet lists his people."""
    wb = Workbook()
    ws = wb.active
    ws.title = "报名表"
    header_row(ws, SHEET_HEADERS)
    items = list(event.items.order_by(Item.sort, Item.id))
    info = wb.create_sheet("说明")
    append(info, [_("每行填写一人：工号、姓名；项目写项目名称，多个项目用“、”分隔；队伍可留空（按单位自动分队）。")])
    append(info, [_("可选项目"), "、".join(("★" if i.starred else "") + i.name for i in items)])
    append(info, [_("队伍"), "、".join(t.name for t in event.teams)])
    people = wb.create_sheet("名单")
    header_row(people, ["工号", "姓名", "性别", "单位"])
    for member in members:
        append(people, [member.staff_no, member.name, member.gender_label, member.unit.name])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _split(text) -> list[str]:
    if text is None:
        return []
    for sep in "，,;；/":
        text = str(text).replace(sep, "、")
    return [t.strip().lstrip("★") for t in str(text).split("、") if t.strip()]


def read_sheet(event: Event, data: bytes) -> list[tuple[str, Request]]:
    """Read an uploaded 报名表 into requests; raise :class:`Invalid` listing every bad row and why."""
    _headers, rows = read_rows(data, ["工号", "姓名", "项目"], max_rows=SHEET_MAX_ROWS)
    items = {i.name: i.id for i in event.items}
    items |= {i.code: i.id for i in event.items if i.code}
    teams = {t.name: t for t in event.teams}
    errors: dict[str, str] = {}
    requests: list[tuple[str, Request]] = []
    seen: dict[str, int] = {}
    if not rows:
        raise Invalid(_("表格中没有报名数据"))
    staff = {str(r.get("工号") or "").strip() for _n, r in rows}
    members = {m.staff_no: m for m in Member.select(Member, Unit).join(Unit).where(Member.staff_no.in_(staff))}
    for number, row in rows:
        label = _("第 %(n)s 行", n=number)
        problems = []
        staff_no = str(row.get("工号") or "").strip()
        if staff_no.endswith(".0"):
            staff_no = staff_no[:-2]
        name = str(row.get("姓名") or "").strip()
        member = members.get(staff_no)
        if not staff_no:
            problems.append(_("缺少工号"))
        elif member is None:
            problems.append(_("工号 %(no)s 不存在", no=staff_no))
        elif name and name != member.name:
            problems.append(_("工号 %(no)s 是%(real)s，不是%(name)s", no=staff_no, real=member.name, name=name))
        if staff_no in seen:
            problems.append(_("与第 %(n)s 行重复", n=seen[staff_no]))
        seen.setdefault(staff_no, number)
        chosen = []
        for item_name in _split(row.get("项目")):
            if item_name in items:
                chosen.append(items[item_name])
            else:
                problems.append(_("没有项目“%(item)s”", item=item_name))
        team = None
        team_name = str(row.get("队伍") or "").strip()
        if team_name:
            team = teams.get(team_name)
            if team is None:
                problems.append(_("没有队伍“%(team)s”", team=team_name))
        if problems:
            errors[label] = "；".join(problems)
        else:
            requests.append((label, Request(member=member, items=chosen, team=team)))
    if errors:
        raise Invalid(_("报名表未导入：%(n)s 行有误，请改正后重新上传", n=len(errors)), errors)
    return requests


def member_by_id(member_id: int) -> Member:
    member = Member.select(Member, Unit).join(Unit).where(Member.id == member_id).first()
    if member is None:
        raise NotFound(_("找不到该会员"))
    return member

