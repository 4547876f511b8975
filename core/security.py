"""Safety on every response: security headers, a Content-Security-Policy with a per-request nonce,
and API token checks.

Inline scripts must carry the request's nonce, ``<script nonce="{{ csp_nonce() }}">``; scripts in
``core/static`` (or a plugin's static folder) need nothing. Inline event handlers (``onclick=``)
are blocked by the policy: attach listeners from a script instead (``core/static/huodong.js`` gives
``data-print`` buttons their print action).
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, jsonify, request
from flask_babel import gettext as _

from core.access import current_account, presented_token
from core.db import prepared
from core.models import ApiToken
from core.timeutil import utcnow

# Record a token's last use at most this often, so that busy clients do not write on every call.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else ``None``.

    Browsers drop tabs and line breaks inside a URL and read a backslash as a slash, so
    ``/\t/evil.example`` and ``/\\evil.example`` lead off-site like ``//evil.example``: any of those
    characters, a scheme or a host refuses the target.
    """
    if not target or not target.startswith("/") or _UNSAFE_IN_PATH.search(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def same_site_referrer() -> str | None:
    """The path of the Referer when it is a page of this site (same host), else ``None``."""
    referrer = request.referrer
    if not referrer:
        return None
    parts = urlsplit(referrer)
    if parts.netloc != request.host:
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))


def csp_nonce() -> str:
    """The nonce of this request's Content-Security-Policy (one per request)."""
    if "_csp_nonce" not in g:
        g._csp_nonce = secrets.token_urlsafe(18)
    return g._csp_nonce


_POLICY = [
    "default-src 'self'",
    "script-src 'self' 'nonce-{nonce}'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
]
# The policy around its nonce, joined once.
_POLICY_HEAD, _POLICY_TAIL = "; ".join(_POLICY).split("{nonce}")


def content_security_policy(nonce: str) -> str:
    return f"{_POLICY_HEAD}{nonce}{_POLICY_TAIL}"


# Headers every response gets unless its view set them itself.
_FIXED_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "SAMEORIGIN"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"),
)


def _set_headers(response):
    headers = response.headers
    present = set(headers.keys(lower=True))
    for name, value in _FIXED_HEADERS:
        if name.lower() not in present:
            headers.add(name, value)
    if "content-security-policy" not in present:
        headers.add("Content-Security-Policy", content_security_policy(csp_nonce()))
    path = request.path
    if (path.startswith("/api/") or path.startswith("/account")) and "cache-control" not in present:
        headers.add("Cache-Control", "no-store")
    if current_app.config["SESSION_COOKIE_SECURE"] and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", "max-age=31536000")
    return response


_TOUCH_TOKEN = prepared(lambda: ApiToken.update(last_used_at=datetime(2000, 1, 1)).where(
    ApiToken.id == 0, ApiToken.last_used_at.is_null() | (ApiToken.last_used_at < datetime(2000, 1, 1))))


def _check_bearer_token():
    """A request that presents a token must present a valid one, even on public endpoints."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    account = current_account()
    if account is None:
        response = jsonify(error="invalid_token", message=_("API 令牌无效或已被撤销"))
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        abort(response)
    token_id, last_used_at = presented_token()
    now = utcnow()
    # The last use was read with the account: most calls of a busy client need no write at all. The
    # UPDATE repeats the condition, so that concurrent calls write it once.
    if last_used_at is None or last_used_at < now - TOKEN_USE_RESOLUTION:
        _TOUCH_TOKEN.run(now, token_id, now - TOKEN_USE_RESOLUTION)
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.before_request(_check_bearer_token)
    app.after_request(_set_headers)
