"""The union's own login, against a real OpenID Connect provider started here (the npm package oidc-provider,
tests/oidc/provider.mjs) and the app's real Authlib client, on a phone in headless Chromium: the first login
links the identity to the member the provider's claim names, the next goes straight in; a stranger and a
disabled account stay out."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from core.models import Account, AccountIdentity, AuditLog
from tests.support import text_of

pytestmark = pytest.mark.browser
PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def oidc_provider(app, live_server, tmp_path):
    """oidc-provider on a free port, its client registered with this live server's callback; the app is
    configured for it (and its public address is the live server's)."""
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        pytest.skip("the test OpenID provider needs Node.js and `npm ci --prefix tests/oidc`")
    port = _free_port()
    log = open(tmp_path / "oidc-provider.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen([node, "provider.mjs", str(port), f"{live_server}/login/oidc/callback"],
                               cwd=PROVIDER_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        discovery = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(discovery, timeout=2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "oidc-provider.log").read_text()
                time.sleep(0.1)
        issuer = f"http://127.0.0.1:{port}"
        app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID="huodong", OIDC_CLIENT_SECRET="huodong-test-secret",
                          BASE_URL=live_server)
        yield issuer
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def _through_the_provider(phone, login_name: str) -> None:
    """On the provider's own pages: sign in as ``login_name`` (when asked) and allow huodong (when asked)."""
    page = phone.page
    page.wait_for_load_state("load")
    if page.locator("input[name=login]").count():
        page.fill("input[name=login]", login_name)
        page.fill("input[name=password]", "any")
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
    if page.locator("text=Continue").count():
        page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.startswith(phone.base_url))
    page.wait_for_load_state("load")
    phone.errors.clear()  # the provider's development pages ask for fonts on the internet; not ours


def test_a_teacher_logs_in_with_the_unions_own_login(app, factory, phone_for, oidc_provider):
    school = factory.school()
    wang = factory.member(school["g1"], name="王晓红", staff_no="T1001")
    phone = phone_for()

    phone.goto("/login")
    phone.page.click("text=用统一身份认证登录")
    _through_the_provider(phone, "t1001")
    assert "/login/oidc/link" in phone.page.url
    phone.check()
    assert "王*红" in phone.text() and "T1001" in phone.text()
    phone.page.click("text=是我，关联并登录")
    phone.check()
    assert "王晓红" in phone.page.text_content("header")
    account = Account.get(Account.member == wang.id)
    assert AccountIdentity.get(AccountIdentity.account == account).subject == "t1001"
    assert account.activated_at is not None
    assert AuditLog.select().where(AuditLog.action == "account.identity.link").count() == 1

    # The next time: straight in, no question.
    phone.page.click("button.nav-button")
    phone.page.click("nav form button[type=submit]")
    phone.page.wait_for_url(lambda url: "/login" in url)
    phone.page.click("text=用统一身份认证登录")
    _through_the_provider(phone, "t1001")
    assert "/login/oidc/link" not in phone.page.url and "王晓红" in phone.page.text_content("header")
    assert AccountIdentity.select().count() == 1

    # Somebody the roster does not know stays out, with the reason.
    stranger = phone_for()
    stranger.goto("/login")
    stranger.page.click("text=用统一身份认证登录")
    _through_the_provider(stranger, "t9999")
    assert "/login" in stranger.page.url and "会员名册中没有与您的身份对应的会员" in stranger.text()
    assert Account.select().where(Account.username == "T9999").count() == 0

    # A disabled account stays out whichever way it comes.
    Account.update(is_active=False).where(Account.id == account.id).execute()
    again = phone_for()
    again.goto("/login")
    again.page.click("text=用统一身份认证登录")
    _through_the_provider(again, "t1001")
    assert "该账号已停用" in again.text() and "王晓红" not in again.page.text_content("header")


def test_a_forged_or_replayed_answer_logs_nobody_in(app, factory, client, oidc_provider):
    """The callback without the state Authlib kept for this browser, or with an error from the provider."""
    factory.member(factory.school()["g1"], staff_no="T1001")
    forged = client.get("/login/oidc/callback?code=made-up&state=made-up", follow_redirects=True)
    assert "登录未完成" in text_of(forged) and AccountIdentity.select().count() == 0
    denied = client.get("/login/oidc/callback?error=access_denied&error_description=refused", follow_redirects=True)
    assert "登录未完成：refused" in text_of(denied)
    assert client.get("/login/oidc/link").status_code == 302  # nothing pending: back to the login page
    assert client.post("/login/oidc/link").status_code == 302
