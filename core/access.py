"""Who may do what.

Every view declares its rule with one of the decorators here (``public``, ``login_required``,
``permission_required``); the app refuses to start when a view has none. Object-level checks
(this event, this unit) are made inside the view with :func:`require` or :func:`can`.

A grant covers: everything (no unit, no event), a unit and the units below it (and their
events), or one event. ``admin`` holds every permission.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from flask import abort, current_app, g, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from peewee import JOIN

from core import sessions
from core.contrib import Permission
from core.db import model_from_row, prepared, stored_datetime
from core.models import Account, ApiToken, Event, LoginSession, RoleGrant, Unit
from core.timeutil import utcnow

CORE_PERMISSIONS = (
    Permission("units.manage", "管理组织架构", ()),
    Permission("accounts.manage", "管理账号与角色", ("organizer",)),  # organizers: their own units' members
    Permission("accounts.open", "为本单位会员开通账号、发放激活码和重置码", ("organizer",)),
    Permission("members.view", "查看会员", ("organizer", "dept_head")),
    Permission("members.manage", "管理会员", ("organizer",)),
    Permission("members.private", "查看身份证号等隐私信息", ()),
    Permission("events.manage", "管理活动", ("organizer",)),
    Permission("registrations.manage", "代部门报名与管理报名", ("organizer", "dept_head")),
    Permission("audit.view", "查看审计日志", ("organizer",)),
    Permission("messages.broadcast", "给本单位会员发通知", ("organizer",)),
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _with_grants(query):
    """``query`` on Account, with each of the account's role grants and its unit on its own row."""
    return (query.select_extend(*RoleGrant._meta.sorted_fields, *Unit._meta.sorted_fields)
            .join(RoleGrant, JOIN.LEFT_OUTER, on=(RoleGrant.account == Account.id))
            .join(Unit, JOIN.LEFT_OUTER, on=(RoleGrant.unit == Unit.id)))


# Run on nearly every request, so built once (see core.db.Prepared): the account and its grants in one
# query; a token's lookup also reads the token's id and last use (see core.security), after the account.
_ACCOUNT_BY_TOKEN = prepared(lambda: _with_grants(
    Account.select(*Account._meta.sorted_fields, ApiToken.id, ApiToken.last_used_at)
    .join(ApiToken, on=(ApiToken.account == Account.id)).switch(Account)
).where(ApiToken.token_hash == "", ApiToken.revoked == False))  # noqa: E712
_TOKEN_COLUMNS = 2
_ACCOUNT_BY_SESSION = prepared(lambda: _with_grants(
    Account.select(*Account._meta.sorted_fields, LoginSession.id, LoginSession.created_at, LoginSession.last_seen_at)
    .join(LoginSession, on=(LoginSession.account == Account.id)).switch(Account)
).where(LoginSession.key_hash == ""))
_SESSION_COLUMNS = 3
_GRANTS = prepared(lambda: RoleGrant.select(RoleGrant, Unit).join(
    Unit, join_type=JOIN.LEFT_OUTER, on=(RoleGrant.unit == Unit.id)).where(RoleGrant.account == 0))


def _read_grants(account: Account, rows, start: int) -> list[RoleGrant]:
    width = len(RoleGrant._meta.sorted_fields)
    found = []
    for row in rows:
        if row[start] is None:  # an account without grants
            continue
        grant = model_from_row(RoleGrant, row, start)
        grant.account = account
        if grant.unit_id is not None:
            grant.unit = model_from_row(Unit, row, start + width)
        found.append(grant)
    return found


# Accounts and grants built from the rows of a lookup, by those rows: the same rows (the same account,
# grants and token state, read afresh on every request) give the same objects without building them again.
_BUILT: dict[tuple, tuple[Account, list[RoleGrant]]] = {}
_BUILT_MAX = 512


def _account_from(rows, extra: int = 0) -> Account | None:
    """The account of ``rows`` (its columns, ``extra`` more, then one grant per row), grants cached on ``g``.

    The grants are shared between requests that read the same rows and must not be changed; the
    account is a copy of its own for each request (views may change and save it).
    """
    if not rows:
        return None
    key = tuple(rows)
    built = _BUILT.get(key)
    if built is None:
        account = model_from_row(Account, rows[0])
        built = (account, _read_grants(account, rows, len(Account._meta.sorted_fields) + extra))
        if len(_BUILT) >= _BUILT_MAX:
            _BUILT.clear()
        _BUILT[key] = built
    shared, found_grants = built
    account = Account.__new__(Account)
    account.__data__, account._dirty, account.__rel__ = dict(shared.__data__), set(), {}
    g.setdefault("_grants", {})[account.id] = found_grants
    return account


def presented_token() -> tuple[int, object] | None:
    """``(id, last_used_at)`` of the valid API token this request presents, as read with its account."""
    current_account()
    return g.get("_token")


def current_account() -> Account | None:
    """The account of this request (session cookie or Bearer token) and its grants, loaded once."""
    if "_account" in g:
        return g._account
    account = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        rows = _ACCOUNT_BY_TOKEN.run(token_hash(header[7:].strip()), False).fetchall()
        found = _account_from(rows, _TOKEN_COLUMNS)
        if found and found.is_active:
            account = found
            width = len(Account._meta.sorted_fields)
            g._token = (rows[0][width], stored_datetime(rows[0][width + 1]))
    elif "HTTP_COOKIE" in request.environ and sessions.KEY in session:  # no cookie, no session to open
        rows = _ACCOUNT_BY_SESSION.run(sessions.key_hash(session[sessions.KEY])).fetchall()
        found = _account_from(rows, _SESSION_COLUMNS)
        if found and found.is_active and found.session_version == session.get("sv"):
            width = len(Account._meta.sorted_fields)
            session_id, created, seen = rows[0][width:width + _SESSION_COLUMNS]
            if sessions.still_valid(session_id, stored_datetime(created), stored_datetime(seen)):
                account = found
    g._account = account
    return account


def grants(account: Account | None) -> list[RoleGrant]:
    if account is None:
        return []
    cache = g.setdefault("_grants", {})
    if account.id not in cache:
        cache[account.id] = _read_grants(account, _GRANTS.run(account.id).fetchall(), 0)
    return cache[account.id]


def permission_roles(name: str) -> tuple[str, ...]:
    registry = current_app.extensions["huodong_permissions"]
    if name not in registry:
        raise KeyError(f"unknown permission {name!r}")
    return registry[name].roles


def _covers(grant: RoleGrant, unit: Unit | None, event: Event | None) -> bool:
    if grant.unit_id is None and grant.event_id is None:
        return True
    if grant.event_id is not None:
        if unit is None and event is None:
            return True  # a coarse question: "anywhere?" (a judge or a scanning volunteer of one event)
        return event is not None and grant.event_id == event.id
    target = unit if unit is not None else (event.unit if event is not None else None)
    if target is None:
        return True  # a coarse question: "anywhere?"
    return target.path.startswith(grant.unit.path)


def is_admin(account: Account | None) -> bool:
    return any(gr.role == "admin" for gr in grants(account))


def can(account: Account | None, permission: str, *, unit: Unit | None = None, event: Event | None = None) -> bool:
    """May ``account`` use ``permission`` over ``unit`` or ``event`` (or anywhere, when neither is given)?"""
    if account is None:
        return False
    roles = permission_roles(permission)
    for grant in grants(account):
        if grant.role == "admin":
            return True
        if grant.role in roles and _covers(grant, unit, event):
            return True
    return False


def managed_unit_ids(account: Account | None, permission: str) -> list[int] | None:
    """Ids of units where ``account`` holds ``permission``; ``None`` means everywhere."""
    if account is None:
        return []
    roles = permission_roles(permission)
    paths = []
    for grant in grants(account):
        if grant.role == "admin" or (grant.role in roles and grant.unit_id is None and grant.event_id is None):
            return None
        if grant.role in roles and grant.unit_id is not None:
            paths.append(grant.unit.path)
    if not paths:
        return []
    query = Unit.select(Unit.id)
    cond = None
    for p in paths:
        c = Unit.path.startswith(p)
        cond = c if cond is None else (cond | c)
    return [u.id for u in query.where(cond)]


def managed_event_ids(account: Account | None, permission: str) -> list[int]:
    """Ids of the single events where ``account`` holds ``permission`` through an event grant."""
    if account is None:
        return []
    roles = permission_roles(permission)
    return [gr.event_id for gr in grants(account) if gr.event_id is not None and gr.role in roles]


def wants_json() -> bool:
    return request.path.startswith("/api/")


def _refuse_anonymous():
    if wants_json():
        response = jsonify(error="unauthorized", message=_("请先登录或提供有效的 API 令牌"))
        response.status_code = 401
        abort(response)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def require(permission: str, *, unit: Unit | None = None, event: Event | None = None) -> Account:
    """Abort with 401/403 unless the current account may use ``permission`` here."""
    account = current_account()
    if account is None:
        abort(401)
    if not can(account, permission, unit=unit, event=event):
        abort(403)
    return account


def _mark(view, rule):
    view._access = rule
    return view


def public(view):
    """Anybody, logged in or not."""
    return _mark(view, "public")


def login_required(view):
    """Any logged-in account (or API token)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_account() is None:
            return _refuse_anonymous()
        return view(*args, **kwargs)

    return _mark(wrapper, "login")


def permission_required(permission: str):
    """An account holding ``permission`` somewhere; the view narrows it to the object with :func:`require`."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            account = current_account()
            if account is None:
                return _refuse_anonymous()
            if not can(account, permission):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, f"permission:{permission}")

    return decorator


def login_session(account: Account) -> None:
    """Log ``account`` in on this browser (a new server-side session)."""
    sessions.start(account)
    Account.update(last_login_at=utcnow()).where(Account.id == account.id).execute()
    g._account = account
