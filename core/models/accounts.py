"""Accounts, role grants scoped to a unit or an event, API tokens and login attempts."""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import EncryptedField
from core.models.events import Event
from core.models.members import Member
from core.models.units import Unit
from core.timeutil import utcnow

# The core's own roles; plugins add theirs through ``huodong_roles`` (all of them: core.roles.all_roles).
CORE_ROLES = {
    "admin": "系统管理员",
    "organizer": "组织者",
    "dept_head": "部门负责人",
    "participant": "参与者",
}


class Account(BaseModel):
    username = peewee.CharField(max_length=60, unique=True)
    password_hash = peewee.CharField(max_length=255)
    display_name = peewee.CharField(max_length=60, default="")
    member = peewee.ForeignKeyField(Member, null=True, unique=True, backref="accounts", on_delete="SET NULL")
    language = peewee.CharField(max_length=5, default="zh")
    is_active = peewee.BooleanField(default=True)
    # Bumped to log the account out everywhere (password change, deactivation).
    session_version = peewee.IntegerField(default=1)
    created_at = peewee.DateTimeField(default=utcnow)
    last_login_at = peewee.DateTimeField(null=True)
    # Set with an initial or reset password chosen by somebody else: he must choose his own first.
    must_change_password = peewee.BooleanField(default=False)
    # When its holder first chose his own password (an account opened for a whole unit waits for that).
    activated_at = peewee.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(BaseModel):
    """A role held over a unit's subtree, over one event, or everywhere (both empty)."""

    account = peewee.ForeignKeyField(Account, backref="grants", on_delete="CASCADE")
    role = peewee.CharField(max_length=20)
    unit = peewee.ForeignKeyField(Unit, null=True, backref="grants", on_delete="CASCADE")
    event = peewee.ForeignKeyField(Event, null=True, backref="grants", on_delete="CASCADE")
    # Free text for roles that need it, e.g. the review level of a reviewer.
    detail = peewee.CharField(max_length=40, default="")

    class Meta:
        indexes = ((("account", "role", "unit", "event", "detail"), True),)


class ActivationCode(BaseModel):
    """A one-time code handed to a member on a slip: it activates his account (``activate``) or lets him
    choose a new password (``reset``). It is kept sealed so that the slip can be printed again until it is
    used; its hash finds it. Using it is a conditional update of ``used_at``: once, however many try."""

    account = peewee.ForeignKeyField(Account, backref="activation_codes", on_delete="CASCADE")
    purpose = peewee.CharField(max_length=10)  # activate / reset
    code_hash = peewee.CharField(max_length=64, unique=True)
    code = EncryptedField()
    created_at = peewee.DateTimeField(default=utcnow)
    created_by = peewee.ForeignKeyField(Account, null=True, backref="+", on_delete="SET NULL")
    expires_at = peewee.DateTimeField(index=True)
    used_at = peewee.DateTimeField(null=True)


class AccountIdentity(BaseModel):
    """An identity at an outside login provider (the union's OpenID Connect, a 企业微信/钉钉 bridge) that
    logs in to an account: the provider's name and its stable subject for the person."""

    account = peewee.ForeignKeyField(Account, backref="identities", on_delete="CASCADE")
    provider = peewee.CharField(max_length=40)
    subject = peewee.CharField(max_length=255)
    created_at = peewee.DateTimeField(default=utcnow)
    last_login_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("provider", "subject"), True), (("account", "provider"), True))


class LoginSession(BaseModel):
    """A browser logged in to an account. The session cookie carries a random key; only its hash is kept.

    Deleting the row ends the session wherever its cookie was copied to: logging out, a password
    change, disabling the account, or the idle and absolute limits of ``core.sessions``.
    """

    key_hash = peewee.CharField(max_length=64, unique=True)
    account = peewee.ForeignKeyField(Account, backref="login_sessions", on_delete="CASCADE")
    created_at = peewee.DateTimeField(default=utcnow)
    last_seen_at = peewee.DateTimeField(default=utcnow, index=True)


class ApiToken(BaseModel):
    account = peewee.ForeignKeyField(Account, backref="tokens", on_delete="CASCADE")
    name = peewee.CharField(max_length=60, default="")
    token_hash = peewee.CharField(max_length=64, unique=True)
    created_at = peewee.DateTimeField(default=utcnow)
    last_used_at = peewee.DateTimeField(null=True)
    revoked = peewee.BooleanField(default=False)


class LoginAttempt(BaseModel):
    """Failed logins, kept in the database so that every app process sees them."""

    key = peewee.CharField(max_length=120, index=True)  # username or remote address
    at = peewee.DateTimeField(default=utcnow, index=True)
