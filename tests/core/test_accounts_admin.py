"""The administrator's accounts page through the test client: what is refused and why, and that a
disabled account or a reset password ends the sessions it had."""

from __future__ import annotations

from core.models import Account, RoleGrant
from tests.support import login, text_of


def _admin(app, factory):
    admin = factory.account("admin", roles=["admin"])
    return admin, login(app.test_client(), "admin")


def test_bad_accounts_are_refused_with_a_message_and_nothing_is_written(app, factory):
    school = factory.school()
    member = factory.member(school["g1"], name="张三明", staff_no="T001")
    factory.account("zhang", member=member)
    _admin_account, client = _admin(app, factory)
    cases = [
        ({"username": "", "password": "long-enough-1"}, "请填写用户名"),
        ({"username": "new1", "password": "short"}, "密码至少 8 位"),
        ({"username": "zhang", "password": "long-enough-1"}, "用户名 zhang 已存在"),
        ({"username": "new2", "password": "long-enough-1", "staff_no": "T001"}, "张三明 已有账号"),
        ({"username": "new3", "password": "long-enough-1", "staff_no": "X404"}, "工号 X404 不存在"),
        ({"username": "new4", "password": "long-enough-1", "role": "king"}, "未知的角色：king"),
    ]
    for data, message in cases:
        response = client.post("/accounts/", data=data)
        assert response.status_code == 422 and message in text_of(response), (data, text_of(response)[:300])
    assert Account.select().count() == 2


def test_an_admin_cannot_lock_himself_out(app, factory):
    admin, client = _admin(app, factory)
    grant = RoleGrant.get(RoleGrant.account == admin)
    assert "不能撤销自己的管理员角色" in text_of(
        client.post(f"/accounts/{admin.id}/roles/{grant.id}/revoke", follow_redirects=True))
    assert "不能停用自己的账号" in text_of(
        client.post(f"/accounts/{admin.id}/active", data={"active": "0"}, follow_redirects=True))
    assert RoleGrant.select().where(RoleGrant.account == admin, RoleGrant.role == "admin").exists()
    assert Account.get_by_id(admin.id).is_active


def test_disabling_an_account_or_resetting_its_password_ends_its_sessions(app, factory):
    factory.account("teacher")
    teacher = login(app.test_client(), "teacher")
    assert teacher.get("/account").status_code == 200
    target = Account.get(Account.username == "teacher")
    _admin_account, client = _admin(app, factory)

    client.post(f"/accounts/{target.id}/password", data={"password": "new-pass-2030"})
    assert teacher.get("/account").status_code == 302  # logged out
    assert client.post("/logout").status_code in (200, 302)
    login(teacher, "teacher", "new-pass-2030")
    assert teacher.get("/account").status_code == 200

    client = login(app.test_client(), "admin")
    client.post(f"/accounts/{target.id}/active", data={"active": "0"})
    assert teacher.get("/account").status_code == 302
    response = app.test_client().post("/login", data={"username": "teacher", "password": "new-pass-2030"})
    assert response.status_code == 200 and "用户名或密码不正确" in text_of(response)
    client.post(f"/accounts/{target.id}/active", data={"active": "1"})
    login(app.test_client(), "teacher", "new-pass-2030")


def test_roles_are_granted_over_a_unit_and_a_reviewer_keeps_his_level(app, factory):
    school = factory.school()
    target = factory.account("reviewer")
    _admin_account, client = _admin(app, factory)
    client.post(f"/accounts/{target.id}/roles", data={"role": "reviewer", "unit": str(school["school"].id),
                                                       "detail": "grassroots"})
    client.post(f"/accounts/{target.id}/roles", data={"role": "king"})
    grants = [(g.role, g.unit_id, g.detail) for g in RoleGrant.select().where(RoleGrant.account == target)]
    assert grants == [("reviewer", school["school"].id, "grassroots")]
    page = text_of(client.get("/accounts/?q=reviewer"))
    assert "审核人（基层工会） · 实验中学工会" in page
    assert "共 1 个账号" in page
