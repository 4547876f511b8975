"""The core's models: the union tree, people, accounts, events, registrations, the audit log, feed tokens and stamps."""

from core.models.accounts import (
    Account,
    AccountIdentity,
    ActivationCode,
    ApiToken,
    LoginAttempt,
    LoginSession,
    RoleGrant,
)
from core.models.audit import AuditLog
from core.models.events import CommitteeRole, Event, Item
from core.models.feeds import FeedStamp, FeedToken
from core.models.members import Member
from core.models.registrations import Entry, Guest, Registration, Team
from core.models.units import Unit

CORE_MODELS = [
    Unit,
    Member,
    Account,
    RoleGrant,
    ApiToken,
    LoginAttempt,
    LoginSession,
    ActivationCode,
    AccountIdentity,
    Event,
    CommitteeRole,
    Item,
    Team,
    Registration,
    Guest,
    Entry,
    AuditLog,
    FeedToken,
    FeedStamp,
]

__all__ = [m.__name__ for m in CORE_MODELS] + ["CORE_MODELS"]
