"""The account page: password, language, and personal API tokens shown once and revocable."""

from __future__ import annotations

import re
from datetime import timedelta

from core.access import token_hash
from core.models import Account, ApiToken, AuditLog
from tests.support import PASSWORD, login, text_of

NEW_PASSWORD = "new-secret-pass-2"


def new_token(client, name="签到机"):
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 200
    return re.search(r'<code class="token">(hd_[\w-]+)</code>', response.get_data(as_text=True)).group(1)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_the_account_page_needs_a_login(client):
    assert client.get("/account").headers["Location"].startswith("/login?next=/account")


def test_change_password_logs_out_other_sessions_but_not_this_one(app, factory):
    factory.account("teacher")
    here, elsewhere = login(app.test_client(), "teacher"), login(app.test_client(), "teacher")
    response = here.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "密码已修改" in text_of(here.get("/account"))
    assert elsewhere.get("/account").status_code == 302  # the other session ended
    assert app.test_client().post("/login", data={"username": "teacher", "password": PASSWORD}).status_code == 200
    login(app.test_client(), "teacher", NEW_PASSWORD)
    assert AuditLog.select().where(AuditLog.action == "account.password").count() == 1


def test_change_password_refuses_bad_input_with_messages(app, factory, client, login_as):
    factory.account("teacher")
    login_as("teacher")
    cases = [
        ({"current": "wrong-password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}, "当前密码不正确"),
        ({"current": PASSWORD, "new": NEW_PASSWORD, "confirm": "something-else"}, "两次输入的新密码不一致"),
        ({"current": PASSWORD, "new": "short", "confirm": "short"}, "密码至少 8 位"),
        ({"current": PASSWORD, "new": PASSWORD, "confirm": PASSWORD}, "新密码不能与当前密码相同"),
    ]
    for data, message in cases:
        response = client.post("/account/password", data=data)
        assert response.status_code == 422 and message in text_of(response), message
    assert client.get("/account").status_code == 200  # still logged in
    login(app.test_client(), "teacher")  # the password did not change


def test_choose_the_language(app, factory, client, login_as):
    factory.account("teacher")
    login_as("teacher")
    response = client.post("/account/language", data={"language": "en"}, follow_redirects=True)
    assert "Language changed" in text_of(response) and "My account" in text_of(response)
    assert Account.get(Account.username == "teacher").language == "en"
    assert client.post("/account/language", data={"language": "fr"}).status_code == 422


def test_a_token_is_shown_once_and_stored_hashed(app, factory, client, login_as):
    factory.account("teacher")
    login_as("teacher")
    token = new_token(client)
    stored = ApiToken.get()
    assert stored.name == "签到机" and stored.token_hash == token_hash(token) and token not in stored.token_hash
    page = client.get("/account").get_data(as_text=True)
    assert "签到机" in page and token not in page
    me = app.test_client().get("/api/v1/me", headers=bearer(token))
    assert me.status_code == 200 and me.get_json()["username"] == "teacher"
    assert ApiToken.get_by_id(stored.id).last_used_at is not None
    assert AuditLog.select().where(AuditLog.action == "token.create").count() == 1


def test_a_token_needs_a_name(app, factory, client, login_as):
    factory.account("teacher")
    login_as("teacher")
    response = client.post("/account/tokens", data={"name": ""})
    assert response.status_code == 422 and "请填写令牌用途" in text_of(response)
    assert ApiToken.select().count() == 0


def test_a_revoked_token_gets_401_json(app, factory, client, login_as):
    factory.account("teacher")
    login_as("teacher")
    token = new_token(client)
    stored = ApiToken.get()
    assert client.post(f"/account/tokens/{stored.id}/revoke").status_code == 302
    assert "已撤销" in text_of(client.get("/account"))
    api = app.test_client()
    for url in ("/api/v1/me", "/api/v1/events"):  # a bad token is refused even on a public endpoint
        response = api.get(url, headers=bearer(token))
        assert response.status_code == 401 and response.is_json, url
        assert response.get_json() == {"error": "invalid_token", "message": "API 令牌无效或已被撤销"}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    english = api.get("/api/v1/me", headers={**bearer(token), "Accept-Language": "en"})
    assert english.get_json()["message"] == "The API token is invalid or has been revoked"
    assert AuditLog.select().where(AuditLog.action == "token.revoke").count() == 1


def test_nobody_revokes_another_accounts_token(app, factory, client, login_as):
    factory.account("teacher")
    factory.account("intruder")
    teacher = login(app.test_client(), "teacher")
    token = new_token(teacher)
    stored = ApiToken.get()
    login_as("intruder")
    assert client.post(f"/account/tokens/{stored.id}/revoke").status_code == 404
    assert not ApiToken.get_by_id(stored.id).revoked
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert "签到机" not in text_of(client.get("/account"))


def test_a_tokens_last_use_is_written_at_most_once_a_minute(app, factory, client, login_as):
    factory.account("teacher")
    login_as("teacher")
    token = new_token(client)
    api = app.test_client()
    assert api.get("/api/v1/me", headers=bearer(token)).status_code == 200
    first = ApiToken.get().last_used_at
    assert api.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert ApiToken.get().last_used_at == first  # read with the account: nothing to write yet
    long_ago = first - timedelta(minutes=5)
    ApiToken.update(last_used_at=long_ago).execute()
    assert api.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert ApiToken.get().last_used_at > long_ago + timedelta(minutes=4)


def test_a_revoked_token_is_refused_on_the_next_call(app, factory, client, login_as):
    factory.account("teacher")
    login_as("teacher")
    token = new_token(client)
    api = app.test_client()
    assert api.get("/api/v1/me", headers=bearer(token)).status_code == 200
    ApiToken.update(revoked=True).execute()
    refused = api.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401 and refused.get_json()["error"] == "invalid_token"


def test_a_tokens_roles_are_read_afresh_on_every_call(app, factory, client, login_as):
    """The account and grants built for a token are reused only while the database says the same."""
    from core.models import RoleGrant

    school = factory.unit("海城实验中学工会", kind="grassroots")
    factory.account("clerk", roles=[("organizer", school)])
    login_as("clerk")
    token = new_token(client)
    api = app.test_client()
    for _ in range(2):
        assert api.get("/api/v1/members", headers=bearer(token)).status_code == 200
    RoleGrant.delete().execute()
    refused = api.get("/api/v1/members", headers=bearer(token))
    assert refused.status_code == 403
    Account.update(is_active=False).execute()
    assert api.get("/api/v1/members", headers=bearer(token)).status_code == 401


def test_a_view_changing_its_account_does_not_change_the_next_requests(app, factory, client, login_as):
    from flask import g

    from core.access import current_account

    factory.account("teacher")
    login_as("teacher")
    token = new_token(client)
    with app.test_request_context(headers=bearer(token)):
        stored = current_account().display_name
        current_account().display_name = "改过的名字"
    g.pop("_account", None)
    with app.test_request_context(headers=bearer(token)):
        assert current_account().display_name == stored != "改过的名字"
    answer = app.test_client().get("/api/v1/me", headers=bearer(token)).get_json()
    assert answer["username"] == "teacher" and "改过的名字" not in str(answer)
