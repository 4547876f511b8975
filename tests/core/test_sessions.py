"""Sessions end on the server: a copied cookie dies at logout, password change and disabling; idle
and absolute limits hold; every login starts a new session key. Logins are limited under
concurrency from two processes and cost the same for unknown names. Redirects stay on this site."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from flask.sessions import SecureCookieSessionInterface

from core.models import LoginAttempt, LoginSession
from core.services import accounts as account_service
from core.timeutil import utcnow
from tests.support import PASSWORD, login, text_of

ROOT = Path(__file__).resolve().parents[2]


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _copy(app, cookie: str):
    """A second browser holding a copy of ``cookie``."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def _key_of(app, cookie: str) -> str:
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    return serializer.loads(cookie)["sid"]


def test_a_copied_cookie_dies_at_logout(app, factory):
    factory.account("teacher")
    client = login(app.test_client(), "teacher")
    stolen = _copy(app, _cookie(client))
    assert _logged_in(stolen)
    client.post("/logout")
    assert not _logged_in(client)
    assert not _logged_in(stolen)
    assert LoginSession.select().count() == 0


def test_logout_tells_the_browser_to_forget_the_user_pages(app, factory):
    """The HTTP cache goes at once (Clear-Site-Data), what pages kept goes on the login page that follows (once)."""
    factory.account("teacher")
    client = login(app.test_client(), "teacher")
    answer = client.post("/logout")
    assert answer.headers["Clear-Site-Data"] == '"cache"'
    assert "data-forget-device" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "data-forget-device" not in client.get("/login").get_data(as_text=True)
    assert "data-forget-device" not in app.test_client().get("/login").get_data(as_text=True)


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, factory):
    factory.account("teacher")
    client = login(app.test_client(), "teacher")
    laptop = login(app.test_client(), "teacher")
    stolen = _copy(app, _cookie(client))
    response = client.post("/account/password", data={"current": PASSWORD, "new": "new-pass-2030",
                                                      "confirm": "new-pass-2030"})
    assert response.status_code == 302
    assert _logged_in(client)
    assert not _logged_in(laptop) and not _logged_in(stolen)
    assert LoginSession.select().count() == 1


def test_disabling_an_account_ends_its_sessions(app, factory):
    admin = factory.account("root", roles=["admin"])
    teacher = factory.account("teacher")
    client = login(app.test_client(), "teacher")
    account_service.set_active(teacher, False, by=admin)
    assert not _logged_in(client)
    assert LoginSession.select().where(LoginSession.account == teacher.id).count() == 0


def test_a_session_ends_after_the_idle_limit(app, factory):
    factory.account("teacher")
    client = login(app.test_client(), "teacher")
    idle = app.config["SESSION_IDLE_MINUTES"]
    LoginSession.update(last_seen_at=utcnow() - timedelta(minutes=idle - 2)).execute()
    assert _logged_in(client)  # still within the limit, and the visit counts as activity
    assert LoginSession.get().last_seen_at > utcnow() - timedelta(minutes=1)
    LoginSession.update(last_seen_at=utcnow() - timedelta(minutes=idle + 1)).execute()
    assert not _logged_in(client)
    assert LoginSession.select().count() == 0


def test_a_session_ends_after_the_absolute_limit_however_busy(app, factory):
    factory.account("teacher")
    client = login(app.test_client(), "teacher")
    hours = app.config["SESSION_MAX_HOURS"]
    LoginSession.update(created_at=utcnow() - timedelta(hours=hours, minutes=1), last_seen_at=utcnow()).execute()
    assert not _logged_in(client)


def test_the_limits_are_settings(make_app, factory):
    app = make_app(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
    assert app.permanent_session_lifetime == timedelta(hours=1)
    factory.account("teacher")
    client = login(app.test_client(), "teacher")
    with app.app_context():
        LoginSession.update(last_seen_at=utcnow() - timedelta(minutes=6)).execute()
    assert not _logged_in(client)


def test_every_login_starts_a_new_session_key(app, factory):
    factory.account("teacher")
    client = app.test_client()
    client.get("/lang/en")  # an anonymous session cookie exists before the login
    before = _cookie(client)
    login(client, "teacher")
    first = _key_of(app, _cookie(client))
    assert _cookie(client) != before
    login(client, "teacher")
    assert _key_of(app, _cookie(client)) != first
    # the key is never stored, only its hash
    assert not LoginSession.select().where(LoginSession.key_hash == first).exists()


def test_a_session_cookie_forged_with_an_old_format_logs_nobody_in(app, factory):
    teacher = factory.account("teacher")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    forged = serializer.dumps({"aid": teacher.id, "sv": teacher.session_version})
    assert not _logged_in(_copy(app, forged))
    assert not _logged_in(_copy(app, serializer.dumps({"sid": "guessed-key", "sv": 1})))


# ---------------------------------------------------------------- redirects

OFFSITE = ["//evil.example/", "/\t/evil.example/", "/\\evil.example/", "\\\\evil.example", "/\r\n/evil.example",
           "https://evil.example/", "javascript:alert(1)", " //evil.example"]


@pytest.mark.parametrize("target", OFFSITE)
def test_login_never_redirects_off_site(app, factory, target):
    factory.account("teacher")
    response = app.test_client().post("/login", query_string={"next": target},
                                      data={"username": "teacher", "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", OFFSITE)
def test_the_language_switch_never_redirects_off_site(client, target):
    response = client.get("/lang/zh", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/" and "\r" not in location and "\n" not in location


def test_the_language_switch_goes_back_to_a_page_of_this_site_only(client):
    back = client.get("/lang/en", headers={"Referer": "http://localhost/events/?when=past"})
    assert back.headers["Location"] == "/events/?when=past"
    elsewhere = client.get("/lang/en", headers={"Referer": "http://evil.example/events/"})
    assert elsewhere.headers["Location"] == "/"
    tricky = client.get("/lang/en", headers={"Referer": "http://evil.example/localhost//evil.example/"})
    assert tricky.headers["Location"] == "/"
    assert client.get("/lang/en?next=/members/").headers["Location"] == "/members/"


def test_withdrawing_never_redirects_off_site(app, factory):
    school = factory.school()
    member = factory.member(school["g1"])
    factory.account("teacher", member=member)
    event = factory.event(school["school"])
    client = login(app.test_client(), "teacher")
    client.post(f"/events/{event.id}/register")
    response = client.post(f"/events/{event.id}/withdraw", data={"next": "/\t/evil.example/"})
    assert response.headers["Location"] == f"/events/{event.id}"


# ---------------------------------------------------------------- login limits

ATTACK = """
import sys, threading, time
from core.app import create_app
app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "DATABASE_URL": sys.argv[1],
                  "INSTANCE_PATH": sys.argv[2], "SECRET_KEY": "child", "DATA_KEY": "test-data-key",
                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:20000"})
start = float(sys.argv[3])
codes = []
def attempt():
    client = app.test_client()
    while time.time() < start:
        time.sleep(0.001)
    codes.append(client.post("/login", data={"username": "teacher", "password": "wrong-password"}).status_code)
threads = [threading.Thread(target=attempt) for _ in range(16)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(codes))
"""


def test_wrong_passwords_sent_at_once_from_two_processes_reach_at_most_the_limit(app, factory, database_url,
                                                                                  tmp_path):
    """32 wrong passwords at the same moment from two processes: at most 5 are checked (answered 200
    with "wrong password"), every other one is refused with 429 before its password is looked at."""
    import time

    from core.db import db

    factory.account("teacher")
    db.close()
    start = str(time.time() + 3)
    children = [subprocess.Popen([sys.executable, "-c", ATTACK, database_url, str(tmp_path / f"child{n}"), start],
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for n in range(2)]
    codes = []
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
        codes += eval(out.strip())  # noqa: S307 - the child's own printed list
    assert len(codes) == 32 and set(codes) <= {200, 429}
    assert codes.count(200) <= app.config["LOGIN_MAX_FAILURES"]
    assert codes.count(429) >= 32 - app.config["LOGIN_MAX_FAILURES"]
    assert app.test_client().post("/login", data={"username": "teacher", "password": PASSWORD}).status_code == 429


def test_an_unknown_username_costs_one_password_check_like_a_known_one(app, factory, monkeypatch):
    from core.views import auth

    factory.account("teacher")
    checked = []
    real = auth.check_password_hash
    monkeypatch.setattr(auth, "check_password_hash", lambda h, p: checked.append(h) or real(h, p))
    client = app.test_client()
    for name in ("teacher", "nobody-here"):
        response = client.post("/login", data={"username": name, "password": "wrong-password"})
        assert "用户名或密码不正确" in text_of(response)
    assert len(checked) == 2
    method = app.config["PASSWORD_HASH_METHOD"].split(":")[0]
    assert all(h.startswith(method) for h in checked)


def test_a_successful_login_leaves_no_attempt_of_its_own_behind(app, factory):
    factory.account("teacher")
    login(app.test_client(), "teacher")
    assert LoginAttempt.select().count() == 0
