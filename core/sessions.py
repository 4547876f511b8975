"""Sessions: a signed cookie that names a session kept in the database.

The cookie (Flask's, signed with the secret key) carries the language, flashed messages and a random
session key; the account it logs in is found through :class:`~core.models.LoginSession`, which keeps
only the key's hash. So a session ends on the server, for every copy of its cookie: at logout, when the
password changes, when the account is disabled, after ``SESSION_IDLE_MINUTES`` without a request and
``SESSION_MAX_HOURS`` after login whatever the activity (OWASP ASVS 3.3). Logging in always starts a
new key (no fixation).

API clients authenticate with a Bearer token and never send the session cookie; Flask would still
build the cookie's signer (its keys and serializer) on every request to find nothing. A request
without the cookie gets a fresh empty session straight away; a login then signs and sets it as
usual, and a request with the cookie is read exactly as Flask reads it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Flask, current_app, session
from flask.sessions import SecureCookieSessionInterface

from core.db import db, prepared
from core.models import Account, LoginSession
from core.timeutil import utcnow

# Record a session's last request at most this often: most page views need no write.
SEEN_RESOLUTION = timedelta(minutes=1)
KEY = "sid"

_TOUCH = prepared(lambda: LoginSession.update(last_seen_at=utcnow()).where(LoginSession.id == 0))


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def absolute_limit(app: Flask | None = None) -> timedelta:
    return timedelta(hours=(app or current_app).config["SESSION_MAX_HOURS"])


def start(account: Account) -> None:
    """Log ``account`` in on this browser with a new session key; the old cookie's contents go."""
    now = utcnow()
    key = secrets.token_urlsafe(32)
    with db.atomic():
        # Sessions past their limits are gone for good; clearing them here keeps the table small.
        LoginSession.delete().where((LoginSession.last_seen_at < now - idle_limit())
                                    | (LoginSession.created_at < now - absolute_limit())).execute()
        LoginSession.create(key_hash=key_hash(key), account=account, created_at=now, last_seen_at=now)
    session.clear()
    session[KEY] = key
    session["sv"] = account.session_version
    session["lang"] = account.language
    session.permanent = True


def end() -> None:
    """Log this browser out: its session row goes, so a copy of the cookie no longer logs anybody in."""
    key = session.get(KEY)
    if key:
        with db.atomic():
            LoginSession.delete().where(LoginSession.key_hash == key_hash(key)).execute()
    session.clear()


def end_all(account_id: int) -> None:
    """End every session of an account (inside the caller's transaction)."""
    LoginSession.delete().where(LoginSession.account == account_id).execute()


def still_valid(session_id: int, created_at, last_seen_at) -> bool:
    """Whether a session read with its account is within its limits; touch it when it is, drop it when not."""
    now = utcnow()
    if last_seen_at < now - idle_limit() or created_at < now - absolute_limit():
        with db.atomic():
            LoginSession.delete().where(LoginSession.id == session_id).execute()
        return False
    if last_seen_at < now - SEEN_RESOLUTION:
        _TOUCH.run(now, session_id)
    return True


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's ``SecureCookieSessionInterface``, skipping the signer when no session cookie came."""

    def open_session(self, app: Flask, request):
        if app.secret_key:
            name = self.get_cookie_name(app)
            # The raw header first: most API calls send no cookies at all, nothing to parse.
            if name not in request.environ.get("HTTP_COOKIE", "") or not request.cookies.get(name):
                return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessionInterface()
    app.permanent_session_lifetime = absolute_limit(app)
