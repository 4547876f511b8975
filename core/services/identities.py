"""Logins through outside providers: the union's OpenID Connect, or a 企业微信/钉钉 bridge a plugin brings.

A provider vouches for a person by a stable subject. The first time, his member is found by a claim the
provider sends (``OIDC_MATCH``, e.g. ``employee_number=staff_no``: the claim ``employee_number`` is the
member's staff number), he confirms the link, and the identity is kept; afterwards the subject alone logs
him in. A member without an account gets one (activated by this login; he may set a password later with
a reset code). A disabled account stays out, whichever way it logs in.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from peewee import IntegrityError

from core.db import db
from core.errors import Forbidden, Refused
from core.models import Account, AccountIdentity, Member
from core.services import audit
from core.services.activation import account_for_member
from core.timeutil import utcnow

MATCHABLE_FIELDS = {"staff_no": Member.staff_no, "phone": Member.phone}


@dataclass(frozen=True)
class Match:
    """Which claim of the provider finds a member, and which of the member's fields it is."""

    claim: str
    field: str

    @classmethod
    def parse(cls, setting: str) -> Match:
        claim, _sep, field = (setting or "").partition("=")
        if field.strip() not in MATCHABLE_FIELDS or not claim.strip():
            raise ValueError(f"OIDC_MATCH should read CLAIM=FIELD with FIELD one of {sorted(MATCHABLE_FIELDS)}: "
                             f"{setting!r}")
        return cls(claim.strip(), field.strip())


def account_of(provider: str, subject: str) -> Account | None:
    """The account the identity ``subject`` at ``provider`` logs in to, if it was linked; touched."""
    identity = (AccountIdentity.select(AccountIdentity, Account).join(Account)
                .where(AccountIdentity.provider == provider, AccountIdentity.subject == subject).first())
    if identity is None:
        return None
    if not identity.account.is_active:
        raise Forbidden(_("该账号已停用"))
    AccountIdentity.update(last_login_at=utcnow()).where(AccountIdentity.id == identity.id).execute()
    return identity.account


def member_for(claims: dict, match: Match) -> Member | None:
    """The active member the provider's ``claims`` name through ``match``, or None."""
    value = claims.get(match.claim)
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if match.field == "phone" and value.startswith("+86"):
        value = value[3:]
    return Member.get_or_none(MATCHABLE_FIELDS[match.field] == value, Member.is_active == True)  # noqa: E712


def link(provider: str, subject: str, member: Member) -> Account:
    """Link the identity to ``member``'s account (opened for him if he has none) and return the account."""
    with db.atomic():
        account = account_for_member(member)
        if not account.is_active:
            raise Forbidden(_("该账号已停用"))
        if AccountIdentity.select().where(AccountIdentity.account == account,
                                          AccountIdentity.provider == provider).exists():
            raise Refused(_("%(name)s的账号已关联了另一个统一身份认证账号，请联系本单位工会", name=member.name))
        try:
            with db.atomic():
                AccountIdentity.create(account=account, provider=provider, subject=subject, last_login_at=utcnow())
        except IntegrityError:  # the same subject linked by a request a moment ago
            raise Refused(_("此统一身份认证账号已关联过，请重新登录")) from None
        if account.activated_at is None:
            Account.update(activated_at=utcnow()).where(Account.id == account.id).execute()
        audit.record("account.identity.link", account, after={"provider": provider, "subject": subject},
                     account=account)
    return Account.get_by_id(account.id)
