"""Logging in and out, and choosing the language."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from core.access import current_account, login_session, public
from core.db import db
from core.forms import LoginForm
from core.i18n import LANGUAGES
from core.models import Account, LoginAttempt
from core.timeutil import utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.dashboard")


def too_many_failures(username_key: str, address_key: str) -> bool:
    """Failed logins in the window, counted in the database so that every app process sees them.

    A username is locked after ``LOGIN_MAX_FAILURES``; an address gets more tries
    (``LOGIN_MAX_FAILURES_PER_ADDRESS``) because a whole school often shares one address.
    """
    window = utcnow() - timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    limits = ((username_key, current_app.config["LOGIN_MAX_FAILURES"]),
              (address_key, current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return any(
        LoginAttempt.select().where(LoginAttempt.key == key, LoginAttempt.at >= window).count() >= limit
        for key, limit in limits
    )


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data.strip()
        keys = (f"user:{username}", f"addr:{request.remote_addr}")
        if too_many_failures(*keys):
            flash(_("登录失败次数过多，请 15 分钟后再试"), "error")
            return render_template("core/login.html", form=form), 429
        account = Account.get_or_none(Account.username == username)
        if account and account.is_active and check_password_hash(account.password_hash, form.password.data):
            with db.atomic():
                LoginAttempt.delete().where(LoginAttempt.key == keys[0]).execute()
            login_session(account)
            return redirect(_safe_next(request.args.get("next")))
        with db.atomic():
            LoginAttempt.insert_many([{"key": k} for k in keys]).execute()
        flash(_("用户名或密码不正确"), "error")
    return render_template("core/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>")
@public
def set_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        account = current_account()
        if account is not None:
            with db.atomic():
                Account.update(language=code).where(Account.id == account.id).execute()
    return redirect(_safe_next(request.args.get("next") or request.referrer and request.referrer.split(request.host, 1)[-1]))
