"""An event's registration rules, and the facts they read about a member."""

from __future__ import annotations

from peewee import JOIN

from core.db import db
from core.errors import Invalid
from core.models import Account, CommitteeRole, Event, Item, Member, RoleGrant, Unit
from core.services import audit
from core.services import registration_rules as rules_mod
from core.services.registration_rules import ItemRule, Person, Rules
from core.timeutil import to_local


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
