"""Who may read and who may change a unit's programme.

Managers hold ``practical.manage`` over the unit; ``practical.view`` lets department heads read the
supervision records and the grassroots-day view. Members read the project list and the published
pledges of the unions they belong to (their own unit and the units above it).
"""

from __future__ import annotations

from flask import abort

from core.access import can, current_account
from core.models import Member, Unit


def can_manage(account, unit: Unit) -> bool:
    return can(account, "practical.manage", unit=unit)


def can_view_records(account, unit: Unit) -> bool:
    return can(account, "practical.view", unit=unit) or can_manage(account, unit)


def belongs_to(account, unit: Unit) -> bool:
    """True when ``account``'s member sits in ``unit`` or below it."""
    if account is None or not account.member_id:
        return False
    path = Unit.select(Unit.path).join(Member, on=(Member.unit == Unit.id)).where(
        Member.id == account.member_id).scalar()
    return bool(path) and path.startswith(unit.path)


def can_read(account, unit: Unit) -> bool:
    return belongs_to(account, unit) or can_view_records(account, unit)


def load_unit(unit_id: int) -> Unit:
    return Unit.get_or_none(Unit.id == unit_id) or abort(404)


def require_read(unit: Unit):
    """The current account if it may read ``unit``'s programme; 404 otherwise (nothing to see here)."""
    account = current_account()
    if not can_read(account, unit):
        abort(404)
    return account


def require_records(unit: Unit):
    account = current_account()
    if not can_view_records(account, unit):
        abort(403)
    return account


def require_manage(unit: Unit):
    account = current_account()
    if not can_manage(account, unit):
        abort(403)
    return account
