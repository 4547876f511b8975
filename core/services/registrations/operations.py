"""What the views and the API call to change registrations: register one member or many at once,
withdraw, fill places from the waiting list, record a payment; and the teams still short of people."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _

from core.db import db
from core.errors import Forbidden, Invalid, Refused
from core.messages import registration_notices as notices
from core.models import Entry, Event, Member, Registration, Team
from core.models.registrations import PAYMENT_STATUSES
from core.services import audit
from core.services import registration_rules as rules_mod
from core.services.registration_rules import ItemRule
from core.services.registrations.changes import ACTIVE, Batch, apply_request, lock_event, promote, snapshot
from core.services.registrations.event_rules import event_rules, item_rules
from core.services.registrations.permissions import may_manage, may_register_for
from core.services.registrations.requests import Request
from core.services.registrations.window import gate
from core.timeutil import utcnow


def register(event: Event, req: Request, *, account=None, reason: str = "") -> Registration:
    """Register (or change the registration of) ``req.member``; returns it, ``active`` or ``waitlisted``.

    Raises :class:`Forbidden` when ``account`` may not register this member, :class:`Refused` with
    every broken rule's message otherwise.
    """
    if not may_register_for(account, event, req.member):
        raise Forbidden(_("你不能为%(name)s报名", name=req.member.name))
    gate(event, account, reason)
    batch = Batch()
    with db.atomic():
        locked = lock_event(event)
        reg = apply_request(locked, event_rules(locked), item_rules(locked), req, account, batch, reason)
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
    gate(event, account, reason)
    batch = Batch()
    with db.atomic():
        locked = lock_event(event)
        reg = Registration.get_by_id(registration.id)
        if reg.status == "withdrawn":
            raise Refused(_("该报名已退出"))
        before = snapshot(reg)
        reg.status, reg.waitlist_position, reg.withdrawn_at, reg.updated_at = "withdrawn", None, utcnow(), utcnow()
        reg.save()
        Entry.delete().where(Entry.registration == reg).execute()
        cause = audit.record("registration.withdrawn", reg, before=before, after=snapshot(reg), reason=reason,
                             account=account, event=event)
        batch.changes.append((reg, "withdrawn"))
        notices.queue(reg, "withdrawn", cause, event=locked, account=account, reason=reason)
        promoted = promote(locked, account, batch)
    batch.notify(account)
    registration.status = "withdrawn"
    return promoted


def promote_waitlist(event: Event, *, account=None) -> list[Registration]:
    """Fill free places from the waiting list (after the organizer raised the capacity)."""
    batch = Batch()
    with db.atomic():
        promoted = promote(lock_event(event), account, batch)
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
    gate(event, account, reason)
    batch = Batch()
    registrations = []
    with db.atomic():
        locked = lock_event(event)
        rules, items = event_rules(locked), item_rules(locked)
        for member in withdraw_others:
            reg = Registration.get_or_none(Registration.event == locked, Registration.member == member)
            if reg is not None and reg.status != "withdrawn":
                problem = rules_mod.withdrawal_problem(starts=locked.starts_at, now=utcnow(),
                                                       by_organizer=may_manage(account, locked), reason=reason)
                if problem:
                    raise Refused(problem)
                before = snapshot(reg)
                reg.status, reg.waitlist_position, reg.withdrawn_at = "withdrawn", None, utcnow()
                reg.save()
                Entry.delete().where(Entry.registration == reg).execute()
                cause = audit.record("registration.withdrawn", reg, before=before, after=snapshot(reg),
                                     reason=reason, account=account, event=locked)
                batch.changes.append((reg, "withdrawn"))
                notices.queue(reg, "withdrawn", cause, event=locked, account=account, reason=reason)
        for label, req in allowed:
            try:
                with db.atomic():
                    registrations.append(apply_request(locked, rules, items, req, account, batch, reason))
            except (Refused, Invalid) as exc:
                errors[label] = exc.message
        errors = {label: errors[label] for label, _req in requests if label in errors} | errors
        if not errors and complete_teams:
            errors.update(_incomplete_teams(locked, items, {r.team_id for r in registrations if r.team_id}))
        if errors:  # leaving the transaction by an exception rolls back every row
            raise Invalid(_("报名未保存：%(n)s 处有误", n=len(errors)), errors)
        promote(locked, account, batch)
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
