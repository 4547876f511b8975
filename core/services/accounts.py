"""Accounts, role grants and API tokens."""

from __future__ import annotations

import secrets

from flask import current_app, has_app_context
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from core.access import token_hash
from core.db import db
from core.errors import Invalid, NotFound
from core.i18n import LANGUAGES
from core.models import Account, ApiToken, RoleGrant
from core.models.accounts import ROLES
from core.services import audit


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
                                 language=language)
        for grant in roles:
            role, unit, event = (grant, None, None) if isinstance(grant, str) else (tuple(grant) + (None, None))[:3]
            grant_role(account, role, unit=unit, event=event)
    return account


def grant_role(account: Account, role: str, *, unit=None, event=None, detail: str = "") -> RoleGrant:
    if role not in ROLES:
        raise Invalid(_("未知的角色：%(role)s", role=role))
    grant, _created = RoleGrant.get_or_create(account=account, role=role, unit=unit, event=event, detail=detail)
    return grant


def set_password(account: Account, password: str) -> None:
    if len(password or "") < 8:
        raise Invalid(_("密码至少 8 位"))
    account.password_hash = hash_password(password)
    account.session_version += 1
    account.save()


def change_password(account: Account, current: str, new: str) -> None:
    """Change the password after checking the current one; every other session is logged out."""
    if not check_password_hash(account.password_hash, current or ""):
        raise Invalid(_("当前密码不正确"), {"current": _("当前密码不正确")})
    if new == current:
        raise Invalid(_("新密码不能与当前密码相同"), {"new": _("新密码不能与当前密码相同")})
    with db.atomic():
        set_password(account, new)
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
