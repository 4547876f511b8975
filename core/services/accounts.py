"""Accounts, role grants and API tokens."""

from __future__ import annotations

import secrets

from flask import current_app, has_app_context
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from core.access import token_hash
from core.db import db
from core.errors import Invalid
from core.models import Account, ApiToken, RoleGrant
from core.models.accounts import ROLES


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


def issue_token(account: Account, name: str = "") -> str:
    """Create an API token and return it; only its hash is stored."""
    token = "hd_" + secrets.token_urlsafe(32)
    ApiToken.create(account=account, name=name, token_hash=token_hash(token))
    return token
