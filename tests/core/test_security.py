"""Safety on every response: security headers and the Content-Security-Policy nonce, session cookie
flags, login rate limits held in the database (so every process sees them), CSRF on forms."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, render_template_string

from core import hookimpl
from core.access import public
from core.models import LoginAttempt
from core.timeutil import utcnow
from tests.support import PASSWORD, login, text_of

ROOT = Path(__file__).resolve().parents[2]


def script_plugin():
    """A plugin page with an inline script carrying the request's nonce."""
    bp = Blueprint("scripted", __name__)

    @bp.route("/scripted")
    @public
    def page():
        return render_template_string('<script nonce="{{ csp_nonce() }}">document.title = "ok";</script>')

    module = types.ModuleType("scripted")
    module.huodong_blueprints = hookimpl(lambda: [bp])
    return module


def assert_safe_headers(response):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[\w-]{20,}'", policy["script-src"])  # no 'unsafe-inline' for scripts
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] in ("'self'", "'none'")
    assert policy["base-uri"] == "'self'"


def test_security_headers_on_every_kind_of_response(make_app, factory):
    app = make_app(PROPAGATE_UNEXPECTED=False)
    client = app.test_client()
    for url, status in [("/", 200), ("/login", 200), ("/static/huodong.css", 200), ("/members/", 302),
                        ("/no-such-page", 404), ("/api/v1/events", 200), ("/api/v1/me", 401),
                        ("/api/v1/no-such", 404)]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_safe_headers(response)
    assert client.get("/api/v1/events").headers["Cache-Control"] == "no-store"


def test_inline_scripts_run_with_the_requests_nonce(make_app):
    client = make_app(extra_plugins=[("scripted", script_plugin())]).test_client()
    first, second = client.get("/scripted"), client.get("/scripted")
    nonces = []
    for response in (first, second):
        nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
        assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]  # a new nonce for every request


def test_templates_have_no_inline_script_without_nonce_and_no_inline_handlers():
    """The policy blocks both, so a page would silently lose its script in the browser."""
    folders = [ROOT / "templates", *ROOT.glob("plugins/*/templates"), ROOT / "tests" / "example_plugin"]
    offenders = []
    for folder in folders:
        for path in folder.rglob("*.html"):
            html = path.read_text(encoding="utf-8")
            for tag in re.findall(r"<script\b[^>]*>", html):
                if "src=" not in tag and 'nonce="{{ csp_nonce() }}"' not in tag:
                    offenders.append(f"{path.relative_to(ROOT)}: {tag}")
            for handler in re.findall(r"<[^>]*\son[a-z]+\s*=", html):
                offenders.append(f"{path.relative_to(ROOT)}: inline handler in {handler}")
    assert not offenders, "\n".join(offenders)


def _set_cookie(response) -> str:
    return next(v for k, v in response.headers.items() if k == "Set-Cookie" and v.startswith("session="))


def test_session_cookie_flags(make_app, factory):
    factory.account("teacher")
    response = make_app().test_client().post("/login", data={"username": "teacher", "password": PASSWORD})
    cookie = _set_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Strict-Transport-Security" not in response.headers


def test_session_cookie_is_secure_when_configured(make_app, factory, monkeypatch):
    factory.account("teacher")
    monkeypatch.setenv("HUODONG_SESSION_COOKIE_SECURE", "1")
    app = make_app()
    response = app.test_client().post("/login", data={"username": "teacher", "password": PASSWORD},
                                      base_url="https://huodong.test")
    cookie = _set_cookie(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def _fail(client, username, times=1):
    for _ in range(times):
        response = client.post("/login", data={"username": username, "password": "wrong-password"})
        assert response.status_code == 200 and "用户名或密码不正确" in text_of(response)


def test_login_is_locked_after_five_failures(app, factory):
    factory.account("teacher")
    factory.account("colleague")
    client = app.test_client()
    _fail(client, "teacher", 5)
    refused = client.post("/login", data={"username": "teacher", "password": PASSWORD})
    assert refused.status_code == 429 and "登录失败次数过多" in text_of(refused)
    english = client.post("/login?lang=en", data={"username": "teacher", "password": PASSWORD})
    assert english.status_code == 429 and "Too many failed logins" in text_of(english)
    login(client, "colleague")  # other accounts from the same address still log in


def test_failures_older_than_the_window_do_not_count(app, factory):
    factory.account("teacher")
    long_ago = utcnow() - timedelta(seconds=app.config["LOGIN_WINDOW_SECONDS"] + 60)
    LoginAttempt.insert_many([{"key": "user:teacher", "at": long_ago}] * 5).execute()
    login(app.test_client(), "teacher")


def test_a_success_clears_the_accounts_failures(app, factory):
    factory.account("teacher")
    client = app.test_client()
    _fail(client, "teacher", 4)
    login(client, "teacher")
    _fail(app.test_client(), "teacher", 4)
    login(app.test_client(), "teacher")  # 4 + 4 failures, but never 5 in a row


def test_an_address_is_limited_too(make_app, factory):
    app = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    factory.account("teacher")
    client = app.test_client()
    for name in ("guess1", "guess2", "guess3"):
        _fail(client, name)
    assert client.post("/login", data={"username": "teacher", "password": PASSWORD}).status_code == 429
    other_address = app.test_client()
    response = other_address.post("/login", data={"username": "teacher", "password": PASSWORD},
                                  environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 302


CHILD = """
import sys
from core.app import create_app
app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE_URL": sys.argv[1],
                  "INSTANCE_PATH": sys.argv[2], "SECRET_KEY": "child", "DATA_KEY": "test-data-key"})
client = app.test_client()
codes = [client.post("/login", data={"username": "teacher", "password": "wrong-password"}).status_code
         for _ in range(5)]
print(codes)
"""


def test_the_limit_holds_across_processes_on_the_same_database(app, factory, database_url, tmp_path):
    """Five failures in another app process lock the account here too: the count is in the database."""
    factory.account("teacher")
    from core.db import db

    db.close()
    child = subprocess.run([sys.executable, "-c", CHILD, database_url, str(tmp_path / "child")],
                           env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "[200, 200, 200, 200, 200]"
    response = app.test_client().post("/login", data={"username": "teacher", "password": PASSWORD})
    assert response.status_code == 429


def test_forms_refuse_a_post_without_csrf_token(make_app, factory):
    factory.account("teacher")
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/login", data={"username": "teacher", "password": PASSWORD})
    assert refused.status_code == 400
    assert "表单已过期或来源无效，请刷新页面后重试" in text_of(refused)
    assert "session=" not in refused.headers.get("Set-Cookie", "")  # not logged in
    english = client.post("/login?lang=en", data={"username": "teacher", "password": PASSWORD})
    assert english.status_code == 400 and "The form has expired" in text_of(english)

    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    accepted = client.post("/login", data={"username": "teacher", "password": PASSWORD, "csrf_token": token})
    assert accepted.status_code == 302
    logout = client.post("/logout")
    assert logout.status_code == 400  # even logging out needs the token
    assert client.get("/api/v1/me").status_code == 200



def test_a_call_without_cookies_leaves_the_session_alone(make_app, factory):
    """No cookie, no session to read: such answers do not vary by cookie (caches and proxies may share them)."""
    client = make_app().test_client()
    english = client.get("/api/v1/events", headers={"Accept-Language": "en"})
    assert english.status_code == 200 and "Cookie" not in english.headers.get("Vary", "")
    assert "Set-Cookie" not in english.headers
    client.get("/lang/en")  # a visitor who chose English keeps it in his session
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_a_forged_forwarded_for_changes_no_address_without_a_proxy(make_app, factory):
    app = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=3)  # HUODONG_PROXY_COUNT=0: no proxy is believed
    factory.account("teacher")
    client = app.test_client()
    for n in range(3):
        client.post("/login", data={"username": f"guess{n}", "password": "x"},
                    headers={"X-Forwarded-For": f"10.0.0.{n}"})
    answer = client.post("/login", data={"username": "teacher", "password": PASSWORD},
                         headers={"X-Forwarded-For": "10.0.0.99"})
    assert answer.status_code == 429


def test_behind_one_proxy_its_forwarded_address_is_the_client(make_app, factory):
    app = make_app(LOGIN_MAX_FAILURES_PER_ADDRESS=3, PROXY_COUNT=1)
    factory.account("teacher")
    client = app.test_client()
    for n in range(3):  # the proxy appends the real address last; what the client wrote before it is ignored
        client.post("/login", data={"username": f"guess{n}", "password": "x"},
                    headers={"X-Forwarded-For": f"6.6.6.{n}, 10.0.0.5"})
    assert client.post("/login", data={"username": "teacher", "password": PASSWORD},
                       headers={"X-Forwarded-For": "10.0.0.5"}).status_code == 429
    assert client.post("/login", data={"username": "teacher", "password": PASSWORD},
                       headers={"X-Forwarded-For": "10.0.0.6"}).status_code == 302
