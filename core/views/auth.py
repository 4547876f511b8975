"""Logging in and out, and choosing the language."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from core import sessions
from core.access import current_account, login_session, public
from core.db import db
from core.forms import LoginForm
from core.i18n import LANGUAGES
from core.models import Account, LoginAttempt
from core.security import safe_next, same_site_referrer
from core.timeutil import utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    return safe_next(target) or url_for("main.dashboard")


def too_many_attempts(username_key: str, address_key: str) -> bool:
    """More attempts in the window than the limits allow, this one included.

    Attempts are counted in the database so that every app process sees them. Each attempt is
    written (and committed) before it is counted and before its password is checked, so that of
    many attempts sent at once only the first ``LOGIN_MAX_FAILURES`` can reach a password check.
    A username is locked after ``LOGIN_MAX_FAILURES``; an address gets more tries
    (``LOGIN_MAX_FAILURES_PER_ADDRESS``) because a whole school often shares one address.
    """
    window = utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    limits = ((username_key, current_app.config["LOGIN_MAX_FAILURES"]),
              (address_key, current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return any(
        LoginAttempt.select().where(LoginAttempt.key == key, LoginAttempt.at >= window).count() > limit
        for key, limit in limits
    )


def note_attempt(key: str) -> tuple[bool, int]:
    """Write an attempt for ``key`` (``user:name``, ``activate:...``) and this address, committed before
    anything is checked; return whether they are over the limits, and the address's attempt, which a
    success forgives (:func:`forgive_attempts`): a school behind one address is not locked by its users."""
    keys = (key, f"addr:{request.remote_addr}")
    with db.atomic():
        address_attempt = [LoginAttempt.create(key=k) for k in keys][1]
    return too_many_attempts(*keys), address_attempt.id


def forgive_attempts(key: str, address_attempt: int) -> None:
    with db.atomic():
        LoginAttempt.delete().where((LoginAttempt.key == key) | (LoginAttempt.id == address_attempt)).execute()


_DUMMY_HASHES: dict[str, str] = {}


def _password_matches(account: Account | None, password: str) -> bool:
    """Check ``password``; an unknown username costs the same hash work as a known one."""
    if account is None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        if method not in _DUMMY_HASHES:
            _DUMMY_HASHES[method] = generate_password_hash(secrets.token_hex(16), method=method)
        check_password_hash(_DUMMY_HASHES[method], password)
        return False
    return check_password_hash(account.password_hash, password)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        over, address_attempt = note_attempt(f"user:{username}")
        if over:
            flash(_("登录失败次数过多，请 15 分钟后再试"), "error")
            return render_template("core/login.html", form=form), 429
        account = Account.get_or_none(Account.username == username)
        if _password_matches(account, form.password.data) and account.is_active:
            forgive_attempts(f"user:{username}", address_attempt)
            login_session(account)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("用户名或密码不正确"), "error")
    return render_template("core/login.html", form=form, forget_device=session.pop("forget_device", False),
                           methods=login_methods())


def login_methods() -> list[dict]:
    """The login page's other ways in: the union's OpenID Connect when configured, and the plugins'."""
    from core.contrib import LoginMethod
    from core.plugins import flatten
    from core.views import oidc

    methods = [LoginMethod(current_app.config["OIDC_NAME"], "oidc.start", order=10)] if oidc.enabled() else []
    methods += flatten(current_app.extensions["huodong_pm"].hook.huodong_login_methods())
    next_url = safe_next(request.args.get("next"))
    out = []
    for method in sorted(methods, key=lambda m: m.order):
        values = {**method.values, **({"next": next_url} if next_url and method.endpoint else {})}
        out.append({"label": method.label, "url": method.url or url_for(method.endpoint, **values)})
    return out


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """End the session; the login page it leads to makes the phone forget what pages kept for this user
    (huodong.js), and the browser drops its HTTP cache of the user's pages."""
    sessions.end()
    session["forget_device"] = True
    response = redirect(url_for("auth.login"))
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/lang/<code>")
@public
def set_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        account = current_account()
        if account is not None:
            with db.atomic():
                Account.update(language=code).where(Account.id == account.id).execute()
    return redirect(_safe_next(safe_next(request.args.get("next")) or same_site_referrer()))
