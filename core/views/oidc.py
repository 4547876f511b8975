"""The union's own login through OpenID Connect (Authlib's Flask client), on when ``OIDC_ISSUER`` is set.

``/login/oidc`` sends the browser to the provider; ``/login/oidc/callback`` takes its answer (the code,
checked against the state and nonce Authlib keeps in the session), reads the person's claims and logs in
the account linked to his subject. The first time, the member named by the ``OIDC_MATCH`` claim is shown
and the person confirms the link at ``/login/oidc/link``.
"""

from __future__ import annotations

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from requests.exceptions import RequestException

from core.access import login_session, public
from core.errors import UserError
from core.models import Member
from core.security import safe_next
from core.services import identities
from core.urls import public_url

bp = Blueprint("oidc", __name__, url_prefix="/login/oidc")
PROVIDER = "oidc"
_PENDING = "oidc_link"


def enabled(app=None) -> bool:
    config = (app or current_app).config
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID"))


def _client():
    """Authlib's client for the configured provider, made once per app and settings."""
    config = current_app.config
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config["OIDC_SCOPE"])
    made = current_app.extensions.get("huodong_oidc")
    if made is None or made[0] != key:
        oauth = OAuth(current_app)
        oauth.register(PROVIDER, client_id=config["OIDC_CLIENT_ID"], client_secret=config["OIDC_CLIENT_SECRET"],
                       server_metadata_url=config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
                       client_kwargs={"scope": config["OIDC_SCOPE"], "code_challenge_method": "S256"})
        made = (key, oauth.create_client(PROVIDER))
        current_app.extensions["huodong_oidc"] = made
    return made[1]


def _failed(message: str):
    flash(_("%(name)s登录未完成：%(reason)s", name=current_app.config["OIDC_NAME"], reason=message), "error")
    return redirect(url_for("auth.login"))


@bp.route("")
@public
def start():
    if not enabled():
        abort(404)
    session["oidc_next"] = safe_next(request.args.get("next")) or ""
    try:
        return _client().authorize_redirect(public_url("oidc.callback"))
    except (OAuthError, RequestException, ValueError):
        return _failed(_("无法连接统一身份认证服务，请稍后再试或用密码登录"))


@bp.route("/callback")
@public
def callback():
    if not enabled():
        abort(404)
    if request.args.get("error"):
        return _failed(request.args.get("error_description") or request.args["error"])
    try:
        client = _client()
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        claims.update(client.userinfo(token=token))
    except (OAuthError, RequestException, ValueError, KeyError) as exc:
        return _failed(getattr(exc, "description", None) or _("认证结果无效，请重新登录"))
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        return _failed(_("认证结果无效，请重新登录"))
    try:
        account = identities.account_of(PROVIDER, subject)
    except UserError as exc:
        return _failed(exc.message)
    if account is not None:
        return _logged_in(account)
    member = identities.member_for(claims, identities.Match.parse(current_app.config["OIDC_MATCH"]))
    if member is None:
        return _failed(_("会员名册中没有与您的身份对应的会员，请联系本单位工会"))
    session[_PENDING] = {"subject": subject, "member": member.id, "name": str(claims.get("name") or subject)}
    return redirect(url_for("oidc.confirm"))


@bp.route("/link", methods=["GET", "POST"])
@public
def confirm():
    """The first login: the person sees which member he is taken for and links his identity to him."""
    pending = session.get(_PENDING)
    member = Member.get_or_none(Member.id == pending["member"]) if pending else None
    if member is None:
        return redirect(url_for("auth.login"))
    if request.method == "POST":
        session.pop(_PENDING, None)
        try:
            account = identities.link(PROVIDER, pending["subject"], member)
        except UserError as exc:
            return _failed(exc.message)
        return _logged_in(account)
    return render_template("core/oidc_link.html", member=member, outside_name=pending["name"],
                           provider=current_app.config["OIDC_NAME"])


def _logged_in(account):
    target = safe_next(session.pop("oidc_next", "")) or url_for("main.dashboard")
    login_session(account)  # a new session: what the provider's round trip kept in the cookie goes
    return redirect(target)
