"""Accounts, role grants and API tokens."""

from __future__ import annotations

import secrets

from flask import current_app, has_app_context
from flask_babel import gettext as _
from peewee import JOIN
from werkzeug.security import check_password_hash, generate_password_hash

from core import sessions
from core.access import token_hash
from core.db import db
from core.errors import Forbidden, Invalid, NotFound
from core.i18n import LANGUAGES
from core.models import Account, ApiToken, RoleGrant
from core.roles import all_roles
from core.services import audit
from core.timeutil import utcnow


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def create_account(username: str, password: str, *, member=None, display_name: str = "",
                   roles=(), language: str = "zh") -> Account:
    """Create an account; ``roles`` are ``role`` names or ``(role, unit, event)`` tuples."""
    username = (username or "").strip()
    if not username:
        raise Invalid(_("请填写用户名"))
    if len(password or "") < 8:
        raise Invalid(_("密码至少 8 位"))
    if Account.select().where(Account.username == username).exists():
        raise Invalid(_("用户名 %(name)s 已存在", name=username))
    with db.atomic():
        account = Account.create(username=username, password_hash=hash_password(password), member=member,
                                 display_name=display_name or (member.name if member else username),
                                 language=language, activated_at=utcnow())
        for grant in roles:
            role, unit, event = (grant, None, None) if isinstance(grant, str) else (tuple(grant) + (None, None))[:3]
            grant_role(account, role, unit=unit, event=event)
    return account


def grant_role(account: Account, role: str, *, unit=None, event=None, detail: str = "", by=None) -> RoleGrant:
    """Give ``account`` ``role`` over ``unit``'s subtree, over one ``event``, or everywhere (neither); a grant
    it already holds is kept as it is. A new grant is in the audit log (``by``: who gave it; default the
    request's account). Plugins grant their roles through this, never by writing ``RoleGrant`` rows."""
    if role not in all_roles():
        raise Invalid(_("未知的角色：%(role)s", role=role))
    unit_id, event_id = getattr(unit, "id", unit), getattr(event, "id", event)
    # Looked up with IS NULL: PostgreSQL's unique index treats empty units and events as distinct.
    found = RoleGrant.get_or_none(RoleGrant.account == account, RoleGrant.role == role, RoleGrant.detail == detail,
                                  _same(RoleGrant.unit, unit_id), _same(RoleGrant.event, event_id))
    if found is not None:
        return found
    with db.atomic():
        grant = RoleGrant.create(account=account, role=role, unit=unit_id, event=event_id, detail=detail)
        audit.record("account.role.grant", account, after={"grant": _grant_label(grant)}, account=by,
                     event=event_id)
    return grant


def revoke_role(account: Account, role: str, *, unit=None, event=None, by=None) -> int:
    """Take ``role`` over ``unit`` / ``event`` (as granted, any detail) from ``account``; each grant taken is
    in the audit log. Returns how many grants were taken."""
    unit_id, event_id = getattr(unit, "id", unit), getattr(event, "id", event)
    grants = list(RoleGrant.select().where(RoleGrant.account == account, RoleGrant.role == role,
                                           _same(RoleGrant.unit, unit_id), _same(RoleGrant.event, event_id)))
    with db.atomic():
        for grant in grants:
            label = _grant_label(grant)
            grant.delete_instance()
            audit.record("account.role.revoke", account, before={"grant": label}, account=by, event=event_id)
    return len(grants)


def _same(column, value):
    return column.is_null() if value is None else column == value


def set_password(account: Account, password: str) -> None:
    if len(password or "") < 8:
        raise Invalid(_("密码至少 8 位"))
    account.password_hash = hash_password(password)
    account.session_version += 1
    account.save()
    sessions.end_all(account.id)


def change_password(account: Account, current: str, new: str) -> None:
    """Change the password after checking the current one; every other session is logged out."""
    if not check_password_hash(account.password_hash, current or ""):
        raise Invalid(_("当前密码不正确"), {"current": _("当前密码不正确")})
    if new == current:
        raise Invalid(_("新密码不能与当前密码相同"), {"new": _("新密码不能与当前密码相同")})
    with db.atomic():
        set_password(account, new)
        Account.update(must_change_password=False, activated_at=account.activated_at or utcnow()).where(
            Account.id == account.id).execute()
        account.must_change_password = False
        audit.record("account.password", account, account=account)


def set_language(account: Account, language: str) -> None:
    if language not in LANGUAGES:
        raise Invalid(_("不支持的语言：%(code)s", code=language))
    Account.update(language=language).where(Account.id == account.id).execute()
    account.language = language


def issue_token(account: Account, name: str = "") -> str:
    """Create an API token and return it; only its hash is stored, so it can be shown only once."""
    token = "hd_" + secrets.token_urlsafe(32)
    with db.atomic():
        created = ApiToken.create(account=account, name=(name or "").strip()[:60], token_hash=token_hash(token))
        audit.record("token.create", created, after={"name": created.name}, account=account)
    return token


def tokens_of(account: Account) -> list[ApiToken]:
    return list(ApiToken.select().where(ApiToken.account == account).order_by(ApiToken.created_at.desc(),
                                                                              ApiToken.id.desc()))


def revoke_token(account: Account, token_id: int) -> ApiToken:
    """Revoke one of ``account``'s own tokens; another account's token is not found."""
    token = ApiToken.get_or_none(ApiToken.id == token_id, ApiToken.account == account)
    if token is None:
        raise NotFound(_("找不到该令牌"))
    with db.atomic():
        changed = ApiToken.update(revoked=True).where(ApiToken.id == token.id, ApiToken.revoked == False).execute()  # noqa: E712
        if changed:
            audit.record("token.revoke", token, before={"revoked": False}, after={"revoked": True}, account=account)
    token.revoked = True
    return token


# ---------------------------------------------------------------- administration (the 账号 page)

def _grant_label(grant: RoleGrant) -> str:
    where = grant.unit.name if grant.unit_id else (grant.event.title if grant.event_id else "")
    return f"{grant.role}@{where}" if where else grant.role


def check_grant(role: str, unit, within: set[int] | None) -> None:
    """Refuse a grant that somebody who manages only the units ``within`` may not give or take: the
    administrator's role, or a role over anything but one of his units (None: he manages everything)."""
    if within is None:
        return
    if role == "admin":
        raise Forbidden(_("只有系统管理员可以授予或撤销管理员角色"))
    if unit is None or unit.id not in within:
        raise Forbidden(_("只能授予或撤销本单位及下级单位范围内的角色"))


def in_scope(account: Account, within: set[int] | None) -> bool:
    """Whether somebody who manages the units ``within`` (None: everywhere) manages ``account``: it belongs
    to a member of those units and holds no role beyond them (so that nobody resets the password of an
    account that can do more than he can)."""
    return within is None or account.id in managed_among([account], within)


def managed_among(accounts, within: set[int] | None) -> set[int]:
    """The ids of ``accounts`` that somebody managing the units ``within`` manages (see :func:`in_scope`),
    their grants read in one query."""
    accounts = list(accounts)
    if within is None:
        return {a.id for a in accounts}
    candidates = {a.id for a in accounts if a.member_id is not None and a.member.unit_id in within}
    if not candidates:
        return set()
    from core.models import Event

    beyond = set()
    grants = (RoleGrant.select(RoleGrant.account, RoleGrant.role, RoleGrant.unit, RoleGrant.event, Event.unit)
              .join(Event, JOIN.LEFT_OUTER).where(RoleGrant.account.in_(candidates)).tuples())
    for account_id, role, unit_id, event_id, event_unit_id in grants:
        if (role == "admin" or (unit_id is None and event_id is None)
                or (unit_id is not None and unit_id not in within)
                or (event_id is not None and event_unit_id not in within)):
            beyond.add(account_id)
    return candidates - beyond


def add_account(data: dict, *, by: Account, within: set[int] | None = None) -> Account:
    """Open an account: username, initial password, display name, optionally the member (by staff number)
    it belongs to and a first role over a unit. An organizer (``within``: the ids of his units) opens
    accounts of his own units' members only, with roles over his units."""
    from core.models import Member, Unit

    errors = {}
    staff_no = (data.get("staff_no") or "").strip()
    member = None
    if staff_no:
        member = Member.get_or_none(Member.staff_no == staff_no)
        if member is None or (within is not None and member.unit_id not in within):
            errors["staff_no"] = _("工号 %(no)s 不存在", no=staff_no)
        elif Account.select().where(Account.member == member).exists():
            errors["staff_no"] = _("%(name)s 已有账号", name=member.name)
    elif within is not None:
        errors["staff_no"] = _("请填写本单位会员的工号")
    role, unit = (data.get("role") or "").strip(), None
    if role:
        if role not in all_roles():
            errors["role"] = _("未知的角色：%(role)s", role=role)
        if data.get("unit"):
            unit = Unit.get_or_none(Unit.id == int(data["unit"]))
        if not errors:
            check_grant(role, unit, within)
    if errors:
        raise Invalid(next(iter(errors.values())), errors)
    with db.atomic():
        account = create_account(data.get("username", ""), data.get("password", ""), member=member,
                                 display_name=(data.get("display_name") or "").strip())
        if role:
            grant_role(account, role, unit=unit, detail=(data.get("detail") or "").strip())
        # The initial password was chosen by the administrator: its holder chooses his own at first login.
        Account.update(must_change_password=True, activated_at=None).where(Account.id == account.id).execute()
        audit.record("account.create", account, after={"username": account.username, "role": role,
                                                       "unit": unit.name if unit else None}, account=by)
    return account


def give_role(account: Account, role: str, *, unit=None, detail: str = "", by: Account,
              within: set[int] | None = None) -> RoleGrant:
    """Grant ``role`` over ``unit`` (everything when none) and record who did it; ``within`` as for
    :func:`check_grant`."""
    if not in_scope(account, within):
        raise NotFound(_("找不到该账号"))
    check_grant(role, unit, within)
    return grant_role(account, role, unit=unit, detail=detail, by=by)


def take_role(account: Account, grant_id: int, *, by: Account, within: set[int] | None = None) -> None:
    """Revoke one of ``account``'s grants; an administrator cannot take away his own admin role."""
    grant = RoleGrant.get_or_none(RoleGrant.id == grant_id, RoleGrant.account == account)
    if grant is None or not in_scope(account, within):
        raise NotFound(_("找不到该角色"))
    if grant.event_id is None:
        check_grant(grant.role, grant.unit, within)
    elif within is not None and grant.event.unit_id not in within:
        raise Forbidden(_("只能授予或撤销本单位及下级单位范围内的角色"))
    if grant.role == "admin" and account.id == by.id:
        raise Invalid(_("不能撤销自己的管理员角色"))
    with db.atomic():
        label = _grant_label(grant)
        grant.delete_instance()
        audit.record("account.role.revoke", account, before={"grant": label}, account=by)


def set_active(account: Account, active: bool, *, by: Account) -> None:
    """Disable an account (its sessions end and it cannot log in) or enable it again."""
    if not active and account.id == by.id:
        raise Invalid(_("不能停用自己的账号"))
    with db.atomic():
        Account.update(is_active=active, session_version=Account.session_version + 1).where(
            Account.id == account.id).execute()
        sessions.end_all(account.id)
        audit.record("account.enable" if active else "account.disable", account,
                     before={"active": account.is_active}, after={"active": active}, account=by)
    account.is_active = active


def reset_password(account: Account, password: str, *, by: Account) -> None:
    """Give ``account`` a new password chosen by an administrator; its sessions end, and its holder must
    choose his own at his next login."""
    with db.atomic():
        set_password(account, password)
        Account.update(must_change_password=True).where(Account.id == account.id).execute()
        audit.record("account.password.reset", account, account=by)
