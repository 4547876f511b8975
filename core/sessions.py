"""The session: Flask's signed cookie, opened without cost for requests that send none.

API clients authenticate with a Bearer token and never send the session cookie; Flask would still
build the cookie's signer (its keys and serializer) on every request to find nothing. A request
without the cookie gets a fresh empty session straight away; a login then signs and sets it as
usual, and a request with the cookie is read exactly as Flask reads it.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


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
