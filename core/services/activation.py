"""Accounts for the whole roster: opened in bulk for a unit, activated by their holders.

An organizer opens accounts for every member of a unit (and the units below it) at once. Each account
waits with no usable password until its holder activates it, either with the one-time code on the slip he
was handed (or its QR) or by proving who he is with what the union already holds: his staff number and the
last four characters of his ID number or phone. A reset code works the same way for a forgotten password.

A code is used by a conditional update (``used_at IS NULL``), so it works once however many requests carry
it at the same moment; every activation and reset is in the audit log and ends the account's other sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from peewee import IntegrityError

from core.db import db
from core.errors import Invalid, NotFound
from core.models import Account, ActivationCode, Member, Unit
from core.services import audit
from core.services.accounts import in_scope, managed_among, set_password
from core.timeutil import utcnow

# Without 0/O, 1/I/L: read off a paper slip and typed on a phone.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10  # about 50 bits; tries are limited like logins
# A slip's code (activate, reset) is handed over in person; a code mailed on request (mail) lives an hour.
LIFETIME = {"activate": timedelta(days=30), "reset": timedelta(days=3), "mail": timedelta(hours=1)}
HANDED_OUT = ("activate", "reset")
UNUSABLE_PASSWORD = "!"  # no password hash looks like this: nobody logs in before activating


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    """The code as printed: two groups of five."""
    return f"{code[:5]}-{code[5:]}"


def normalize(text: str | None) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalize(code).encode()).hexdigest()


def is_waiting(account: Account) -> bool:
    """Opened for its holder, who has not chosen a password yet."""
    return account.activated_at is None and account.password_hash == UNUSABLE_PASSWORD


def _issue(account_ids: list[int], purpose: str, by: Account | None) -> dict[int, str]:
    """New codes for ``account_ids``; their earlier unused codes of the same purpose stop working.
    Returns ``{account id: code}``."""
    now = utcnow()
    issued = {}
    for first in range(0, len(account_ids), 500):
        chunk = account_ids[first:first + 500]
        ActivationCode.update(expires_at=now).where(
            ActivationCode.account.in_(chunk), ActivationCode.purpose == purpose,
            ActivationCode.used_at.is_null(), ActivationCode.expires_at > now).execute()
        rows = []
        for account_id in chunk:
            code = issued[account_id] = new_code()
            rows.append({"account": account_id, "purpose": purpose, "code_hash": code_hash(code), "code": code,
                         "created_at": now, "created_by": by.id if by else None,
                         "expires_at": now + LIFETIME[purpose]})
        ActivationCode.insert_many(rows).execute()
    return issued


@dataclass
class Opened:
    """What opening a unit's accounts did."""

    unit: Unit
    opened: int  # new accounts
    reissued: int  # accounts still waiting for their holder: a new code replaces the old one
    active: int  # members who already use their account: nothing done


def _username_for(member_id: int, staff_no: str, taken: set[str]) -> str:
    name = staff_no if staff_no not in taken else f"{staff_no}-{member_id}"
    taken.add(name)
    return name


def open_accounts(unit: Unit, *, by: Account) -> Opened:
    """Open an account (username: the staff number) for every active member of ``unit``'s subtree who has
    none, and issue an activation code to each account still waiting for its holder."""
    subtree = {u for (u,) in Unit.select(Unit.id).where(Unit.path.startswith(unit.path)).tuples()}
    members = list(Member.select(Member.id, Member.staff_no, Member.name).join(Unit)
                   .where(Unit.path.startswith(unit.path), Member.is_active == True)  # noqa: E712
                   .order_by(Member.id).tuples())
    ids = [m[0] for m in members]
    existing = {}
    for first in range(0, len(ids), 500):
        for account in Account.select(Account, Member).join(Member).where(Account.member.in_(ids[first:first + 500])):
            existing[account.member_id] = account
    with db.atomic():
        fresh = [m for m in members if m[0] not in existing]
        if fresh:
            staff_numbers = [m[1] for m in fresh]
            taken = set()
            for first in range(0, len(staff_numbers), 500):
                taken |= {u for (u,) in Account.select(Account.username).where(
                    Account.username.in_(staff_numbers[first:first + 500])).tuples()}
            now = utcnow()
            rows = [{"username": _username_for(member_id, staff_no, taken), "password_hash": UNUSABLE_PASSWORD,
                     "display_name": name, "member": member_id, "created_at": now}
                    for member_id, staff_no, name in fresh]
            for first in range(0, len(rows), 500):
                Account.insert_many(rows[first:first + 500]).execute()
        # An account holding roles beyond this unit is not the organizer's to hand out.
        waiting_accounts = [a for a in existing.values() if is_waiting(a)]
        managed = managed_among(waiting_accounts, subtree)
        waiting = [a.id for a in waiting_accounts if a.id in managed]
        new_ids = []
        fresh_ids = [m[0] for m in fresh]
        for first in range(0, len(fresh_ids), 500):
            new_ids += [a for (a,) in Account.select(Account.id).where(
                Account.member.in_(fresh_ids[first:first + 500])).tuples()]
        _issue(new_ids + waiting, "activate", by)
        result = Opened(unit, len(new_ids), len(waiting), len(existing) - len(waiting))
        audit.record("accounts.open", unit, after={"opened": result.opened, "reissued": result.reissued,
                                                   "already_active": result.active}, account=by)
    return result


def account_for_member(member: Member) -> Account:
    """``member``'s account, opened for him (waiting for him to activate it) when he has none yet: a role
    given to him now (a proposed referee, a judge) is his as soon as he activates it. Call it inside the
    caller's transaction."""
    account = Account.get_or_none(Account.member == member.id)
    if account is None:
        taken = {u for (u,) in Account.select(Account.username).where(Account.username == member.staff_no).tuples()}
        account = Account.create(username=_username_for(member.id, member.staff_no, taken),
                                 password_hash=UNUSABLE_PASSWORD, display_name=member.name, member=member)
    return account


def issue_reset(account: Account, *, by: Account) -> str:
    """A one-time code with which ``account``'s holder chooses a new password; returns it."""
    if account.member_id is None:
        raise Invalid(_("该账号未关联会员，请由管理员重置密码"))
    with db.atomic():
        purpose = "activate" if is_waiting(account) else "reset"
        _issue([account.id], purpose, by)
        audit.record("account.reset_code" if purpose == "reset" else "account.activation_code", account,
                     account=by)
    return latest_code(account).code


def latest_code(account: Account) -> ActivationCode | None:
    return (ActivationCode.select().where(ActivationCode.account == account, ActivationCode.used_at.is_null(),
                                          ActivationCode.expires_at > utcnow(),
                                          ActivationCode.purpose.in_(HANDED_OUT))
            .order_by(ActivationCode.id.desc()).first())


@dataclass
class Slip:
    """One paper slip: who it is for and the code that opens his account."""

    name: str
    unit: str
    username: str
    code: str
    purpose: str
    expires_at: object
    code_id: int


def slips(unit: Unit) -> list[Slip]:
    """The codes not used yet of the accounts of ``unit``'s subtree, by unit and name."""
    now = utcnow()
    query = (ActivationCode.select(ActivationCode, Account, Member, Unit)
             .join(Account).join(Member).join(Unit)
             .where(Unit.path.startswith(unit.path), ActivationCode.used_at.is_null(),
                    ActivationCode.expires_at > now, ActivationCode.purpose.in_(HANDED_OUT))
             .order_by(Unit.path, Member.name, ActivationCode.id.desc()))
    out, seen = [], set()
    for row in query:
        account = row.account
        if account.id in seen:
            continue
        seen.add(account.id)
        member = account.member
        out.append(Slip(member.name, member.unit.name, account.username, shown(row.code), row.purpose,
                        row.expires_at, row.id))
    return out


def find(code: str) -> ActivationCode | None:
    """The usable code ``code`` (typed with or without its dash, in any case), or None."""
    if len(normalize(code)) != CODE_LENGTH:
        return None
    return (ActivationCode.select(ActivationCode, Account).join(Account)
            .where(ActivationCode.code_hash == code_hash(code), ActivationCode.used_at.is_null(),
                   ActivationCode.expires_at > utcnow(), Account.is_active == True)  # noqa: E712
            .first())


def _check_password(password: str, confirm: str) -> None:
    if len(password or "") < 8:
        raise Invalid(_("密码至少 8 位"), {"password": _("密码至少 8 位")})
    if password != confirm:
        raise Invalid(_("两次输入的密码不一致"), {"confirm": _("两次输入的密码不一致")})


def _choose_password(account: Account, password: str, action: str) -> None:
    set_password(account, password)  # ends every session of the account
    Account.update(activated_at=account.activated_at or utcnow(), must_change_password=False).where(
        Account.id == account.id).execute()
    audit.record(action, account, after={"by": "code"}, account=account)


def use_code(code: str, password: str, confirm: str) -> Account:
    """Activate an account or reset its password with a one-time code; returns the account."""
    _check_password(password, confirm)
    found = find(code)
    refused = Invalid(_("激活码无效、已使用或已过期，请向本单位工会索取新的"), {"code": _("激活码无效")})
    if found is None:
        raise refused
    with db.atomic():
        used = ActivationCode.update(used_at=utcnow()).where(ActivationCode.id == found.id,
                                                             ActivationCode.used_at.is_null()).execute()
        if not used:
            raise refused  # another request used it a moment ago
        account = Account.get_by_id(found.account_id)
        action = {"activate": "account.activate", "mail": "account.password.reset_by_mail"}.get(
            found.purpose, "account.password.reset_by_code")
        _choose_password(account, password, action)
    return account


def _last_four_match(member: Member, last_four: str) -> bool:
    wanted = normalize(last_four)
    if len(wanted) != 4:
        return False
    candidates = [normalize(member.id_number)[-4:] if member.id_number else "",
                  "".join(ch for ch in (member.phone or "") if ch.isdigit())[-4:]]
    return any(len(c) == 4 and secrets.compare_digest(c, wanted) for c in candidates)


def activate_by_identity(staff_no: str, last_four: str, password: str, confirm: str) -> Account:
    """Activate the account of the member with ``staff_no`` (opening it if the unit has not yet), when
    ``last_four`` are the last four characters of his ID number or phone. The refusal never says which
    fact was wrong, nor whether the staff number exists."""
    _check_password(password, confirm)
    refused = Invalid(_("信息不符，或该账号已激活（已激活的请直接登录，忘记密码请向本单位工会索取重置码）"))
    member = Member.get_or_none(Member.staff_no == (staff_no or "").strip(), Member.is_active == True)  # noqa: E712
    if member is None or not _last_four_match(member, last_four):
        raise refused
    with db.atomic():
        try:
            with db.atomic():
                account = account_for_member(member)
        except IntegrityError:  # opened by a request at the same moment: that one activates it
            raise refused from None
        # Only a waiting account: the conditional update makes two activations at once count once.
        claimed = Account.update(activated_at=utcnow()).where(
            Account.id == account.id, Account.activated_at.is_null(), Account.is_active == True,  # noqa: E712
            Account.password_hash == UNUSABLE_PASSWORD).execute()
        if not claimed:
            raise refused
        account = Account.get_by_id(account.id)
        set_password(account, password)
        ActivationCode.update(expires_at=utcnow()).where(ActivationCode.account == account,
                                                         ActivationCode.used_at.is_null()).execute()
        audit.record("account.activate", account, after={"by": "identity"}, account=account)
    return account


def account_in_scope(account_id: int, unit_ids: set[int] | None) -> Account:
    """The account ``account_id`` when somebody managing ``unit_ids`` (None: all) manages it (see
    :func:`core.services.accounts.in_scope`: never an account that can do more than he can)."""
    account = Account.get_or_none(Account.id == account_id)
    if account is None or not in_scope(account, unit_ids):
        raise NotFound(_("找不到该账号"))
    return account


def account_named(identifier: str) -> Account | None:
    """The active account whose username, or whose member's staff number, is ``identifier``."""
    name = (identifier or "").strip()
    if not name:
        return None
    account = Account.get_or_none(Account.username == name, Account.is_active == True)  # noqa: E712
    if account is None:
        account = (Account.select().join(Member).where(Member.staff_no == name, Account.is_active == True)  # noqa: E712
                   .first())
    return account


def mail_reset(identifier: str) -> bool:
    """Mail a one-hour reset link to the verified address of the account named ``identifier``.

    Returns whether one was sent; the page says the same either way, so that nobody learns from it who has
    an account or an address. An account still waiting for its holder has no verified address.
    """
    from core.messages.outbox import link_to, send
    from core.messages.preferences import verified_email

    account = account_named(identifier)
    if account is None or account.member_id is None or is_waiting(account):
        return False
    email = verified_email(account.member_id)
    if email is None:
        return False
    with db.atomic():
        code = _issue([account.id], "mail", None)[account.id]
        send(Member.get_by_id(account.member_id), "account.reset",
             {"username": account.username, "url": link_to("activation.use_code", code=code)},
             dedupe=f"reset-mail:{code_hash(code)}", link="", group=False, to={"mail": email})
        audit.record("account.password.reset_mailed", account, after={"to": email}, account=account)
    return True
