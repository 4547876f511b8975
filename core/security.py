"""Safety on every response: security headers, a Content-Security-Policy with a per-request nonce,
and API token checks.

Inline scripts must carry the request's nonce, ``<script nonce="{{ csp_nonce() }}">``; scripts in
``core/static`` (or a plugin's static folder) need nothing. Inline event handlers (``onclick=``)
are blocked by the policy: attach listeners from a script instead (``core/static/huodong.js`` gives
``data-print`` buttons their print action).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Flask, abort, g, jsonify, request
from flask_babel import gettext as _

from core.access import current_account, token_hash
from core.db import db
from core.models import ApiToken
from core.timeutil import utcnow

# Record a token's last use at most this often, so that busy clients do not write on every call.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def csp_nonce() -> str:
    """The nonce of this request's Content-Security-Policy (one per request)."""
    if "_csp_nonce" not in g:
        g._csp_nonce = secrets.token_urlsafe(18)
    return g._csp_nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def _set_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    if request.path.startswith("/api/") or request.path.startswith("/account"):
        headers.setdefault("Cache-Control", "no-store")
    from flask import current_app

    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


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
    digest = token_hash(header[7:].strip())
    with db.atomic():
        ApiToken.update(last_used_at=utcnow()).where(
            ApiToken.token_hash == digest,
            ApiToken.last_used_at.is_null() | (ApiToken.last_used_at < utcnow() - TOKEN_USE_RESOLUTION),
        ).execute()
    return None


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.before_request(_check_bearer_token)
    app.after_request(_set_headers)
