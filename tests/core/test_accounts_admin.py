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


def test_an_organizer_manages_his_own_units_accounts_and_nothing_more(app, factory):
    from core.services import activation

    school = factory.school()
    g1, g2 = school["g1"], school["g2"]
    factory.account("g1org", roles=[("organizer", g1)])
    mine = factory.account("mine", member=factory.member(g1, name="本组教师"))
    theirs = factory.account("theirs", member=factory.member(g2, name="他组教师"))
    # a member of his group who holds more than he does: the school's organizer, an administrator
    boss = factory.account("boss", member=factory.member(g1, name="校工会主席"), roles=[("organizer", school["school"])])
    root = factory.account("root", member=factory.member(g1, name="信息老师"), roles=["admin"])
    client = login(app.test_client(), "g1org")

    page = text_of(client.get("/accounts/"))
    assert "本组教师" in page and "他组教师" not in page and "校工会主席" not in page and "信息老师" not in page
    assert "系统管理员" not in page  # not a role he can give

    def roles_of(account):
        return {(g.role, g.unit_id) for g in RoleGrant.select().where(RoleGrant.account == account)}

    client.post(f"/accounts/{mine.id}/roles", data={"role": "judge", "unit": g1.id})
    assert ("judge", g1.id) in roles_of(mine)
    for data in ({"role": "judge", "unit": g2.id}, {"role": "judge"}, {"role": "admin", "unit": g1.id}):
        answer = client.post(f"/accounts/{mine.id}/roles", data=data, follow_redirects=True)
        assert "只" in text_of(answer), data
    assert roles_of(mine) == {("judge", g1.id)}

    # Nothing of those who hold more, nor of another group: no password, no reset code, no disabling.
    for account in (theirs, boss, root):
        assert client.post(f"/accounts/{account.id}/password", data={"password": "taken-over-1"}).status_code == 404
        assert client.post(f"/accounts/{account.id}/active", data={"active": "0"}).status_code == 404
        assert client.post(f"/accounts/{account.id}/reset-code").status_code == 404
        assert client.post(f"/accounts/{account.id}/roles", data={"role": "judge", "unit": g1.id}).status_code == 404
    school_grant = RoleGrant.get(RoleGrant.account == boss)
    assert client.post(f"/accounts/{boss.id}/roles/{school_grant.id}/revoke").status_code == 404
    assert all(Account.get_by_id(a.id).is_active for a in (theirs, boss, root))
    assert not activation.latest_code(boss) and not activation.latest_code(root)

    # He opens one account for a member of his group; not for another group's member, not without a member.
    newcomer = factory.member(g1, name="新来的", staff_no="T0901")
    stranger = factory.member(g2, name="外组的", staff_no="T0902")
    assert client.post("/accounts/", data={"username": "t0901", "password": "initial-pass-1",
                                           "staff_no": newcomer.staff_no}).status_code == 302
    for data in ({"username": "t0902", "password": "initial-pass-1", "staff_no": stranger.staff_no},
                 {"username": "loose", "password": "initial-pass-1"}):
        assert client.post("/accounts/", data=data).status_code == 422
    assert {a.username for a in Account.select()} >= {"t0901"} and not Account.get_or_none(Account.username == "t0902")
    assert Account.get(Account.username == "t0901").must_change_password
