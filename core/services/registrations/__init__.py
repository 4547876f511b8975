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

The package is read in this order: :mod:`.requests` (what a registration asks for), :mod:`.event_rules`
(an event's rules and the facts they read about a member), :mod:`.teams`, :mod:`.permissions` (who may
register whom), :mod:`.window` (the registration window and freeze), :mod:`.changes` (the locked
transaction), :mod:`.operations` (what the views and the API call), :mod:`.reading` and :mod:`.sheets`
(the 报名表 xlsx). Callers import the names below from the package itself.
"""

from core.services.registrations.changes import ACTIVE, lock_event, people_taken
from core.services.registrations.event_rules import (
    allowed_units,
    event_rules,
    item_rules,
    person_of,
    save_rules,
)
from core.services.registrations.operations import (
    promote_waitlist,
    register,
    register_batch,
    set_payment,
    team_warnings,
    withdraw,
)
from core.services.registrations.permissions import (
    can_register_others,
    heads_within,
    managed_members,
    may_manage,
    may_register_for,
)
from core.services.registrations.reading import (
    edit_history,
    edits,
    entries_by_registration,
    event_registrations,
    guests_by_registration,
    member_by_id,
    summary,
    waitlist_rank,
)
from core.services.registrations.requests import GuestData, Request
from core.services.registrations.sheets import (
    SHEET_HEADERS,
    SHEET_MAX_ROWS,
    read_sheet,
    sheet,
    template_workbook,
)
from core.services.registrations.teams import captain_teams, save_team, team_for, team_holds, team_units
from core.services.registrations.window import is_frozen, window_problem

__all__ = [
    "ACTIVE", "SHEET_HEADERS", "SHEET_MAX_ROWS", "GuestData", "Request",
    "allowed_units", "can_register_others", "captain_teams", "edit_history", "edits", "entries_by_registration",
    "event_registrations", "event_rules", "guests_by_registration", "heads_within", "is_frozen", "item_rules",
    "lock_event", "managed_members", "may_manage", "may_register_for", "member_by_id", "people_taken",
    "person_of", "promote_waitlist", "read_sheet", "register", "register_batch", "save_rules", "save_team",
    "set_payment", "sheet", "summary", "team_for", "team_holds", "team_units", "team_warnings",
    "template_workbook", "waitlist_rank", "window_problem", "withdraw",
]
