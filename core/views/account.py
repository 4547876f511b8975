"""The account page: change the password, choose the language, create and revoke personal API tokens.

A new token is shown once, in the answer to the request that made it; only its hash is kept.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from core.access import current_account, login_required, login_session
from core.errors import UserError
from core.forms import LanguageForm, PasswordForm, TokenForm
from core.i18n import LANGUAGES
from core.messages.views import preferences_form
from core.services import accounts as account_service

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(account, *, password_form=None, language_form=None, token_form=None, new_token=None, status=200):
    language_form = language_form or LanguageForm(formdata=None, language=account.language)
    language_form.language.choices = list(LANGUAGES.items())
    return render_template(
        "core/account.html",
        account=account,
        password_form=password_form or PasswordForm(formdata=None),
        language_form=language_form,
        token_form=token_form or TokenForm(formdata=None),
        tokens=account_service.tokens_of(account),
        new_token=new_token,
        message_form=preferences_form(account),
    ), status


@bp.route("", methods=["GET"])
@login_required
def show():
    return _page(current_account())


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    account = current_account()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            account_service.change_password(account, form.current.data, form.new.data)
        except UserError as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        else:
            login_session(account)  # a new session here; every other one has ended
            flash(_("密码已修改，其他设备上的登录已退出"), "success")
            return redirect(url_for("account.show"))
    return _page(account, password_form=form, status=422)


@bp.route("/language", methods=["POST"])
@login_required
def change_language():
    account = current_account()
    form = LanguageForm()
    form.language.choices = list(LANGUAGES.items())
    if form.validate_on_submit():
        account_service.set_language(account, form.language.data)
        session["lang"] = form.language.data
        flash(_("界面语言已更改"), "success")
        return redirect(url_for("account.show"))
    return _page(account, language_form=form, status=422)


@bp.route("/tokens", methods=["POST"])
@login_required
def create_token():
    account = current_account()
    form = TokenForm()
    if form.validate_on_submit():
        token = account_service.issue_token(account, form.name.data)
        return _page(account, new_token=token)
    return _page(account, token_form=form, status=422)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = account_service.revoke_token(current_account(), token_id)
    flash(_("已撤销令牌：%(name)s", name=token.name), "success")
    return redirect(url_for("account.show"))
