"""An administrator manages accounts on his phone: opens one for a member with a role over his
department, takes a role away, resets a password and disables an account; the people concerned see it
when they log in."""

from __future__ import annotations

import pytest

from core.models import Account, AuditLog, RoleGrant

pytestmark = pytest.mark.browser


def test_an_admin_opens_an_account_grants_and_revokes_roles_and_disables_one(app, factory, phone_for):
    school = factory.school()
    head = factory.member(school["g1"], name="王主任", staff_no="T0101")
    factory.account("admin", roles=["admin"])
    leaver = factory.account("leaver", member=factory.member(school["g2"], name="调走的人"),
                             roles=[("organizer", school["school"])])
    phone = phone_for()

    phone.login("admin")
    phone.page.click("button.nav-button")  # the menu on a phone
    phone.page.click("nav a:has-text('账号')")
    phone.check()
    assert "共 2 个账号" in phone.text()

    form = phone.page.locator("#new-account")
    form.locator("input[name=username]").fill("wangzr")
    form.locator("input[name=password]").fill("short")
    form.locator("input[name=staff_no]").fill("T9999")
    form.locator("button[type=submit]").click()
    phone.check(refused=True)
    assert "工号 T9999 不存在" in phone.text()
    assert not Account.select().where(Account.username == "wangzr").exists()

    form = phone.page.locator("#new-account")
    assert form.locator("input[name=username]").input_value() == "wangzr"  # what he typed stays
    form.locator("input[name=password]").fill("wang-pass-2030")
    form.locator("input[name=staff_no]").fill("T0101")
    form.locator("select[name=role]").select_option("dept_head")
    form.locator("select[name=unit]").select_option(str(school["g1"].id))
    form.locator("button[type=submit]").click()
    phone.check()
    assert "已开通账号：wangzr" in phone.text()
    card = phone.page.locator("section.account-card[data-username=wangzr]")
    assert "部门负责人 · 初一年级组" in card.inner_text() and "王主任（T0101）" in card.inner_text()
    account = Account.get(Account.username == "wangzr")
    assert account.member_id == head.id
    assert [(g.role, g.unit_id) for g in account.grants] == [("dept_head", school["g1"].id)]

    # The organizer who moved away: his role goes, then his account.
    phone.goto("/accounts/?q=leaver")
    card = phone.page.locator("section.account-card[data-username=leaver]")
    card.locator("button:has-text('撤销')").click()
    phone.check()
    assert "已撤销 leaver 的角色" in phone.text() and "没有角色" in phone.text()
    card = phone.page.locator("section.account-card[data-username=leaver]")
    card.locator("summary").click()
    card.locator("input[name=password]").fill("reset-pass-2030")
    card.locator("button:has-text('重设密码')").click()
    phone.check()
    assert "已重设 leaver 的密码" in phone.text()
    card = phone.page.locator("section.account-card[data-username=leaver]")
    card.locator("summary").click()
    card.locator("button:has-text('停用账号')").click()
    phone.check()
    assert "已停用 leaver" in phone.text() and "已停用" in phone.text(".account-card .badge")
    assert not RoleGrant.select().where(RoleGrant.account == leaver.id).exists()
    assert not Account.get_by_id(leaver.id).is_active
    actions = {a.action for a in AuditLog.select().where(AuditLog.action.startswith("account."))}
    assert {"account.create", "account.role.revoke", "account.password.reset", "account.disable"} <= actions

    # The new department head logs in with what he was given; the one who left cannot.
    wang = phone_for()
    wang.page.goto(wang.base_url + "/login")
    wang.page.fill("input[name=username]", "wangzr")
    wang.page.fill("input[name=password]", "wang-pass-2030")
    wang.page.click("form button[type=submit]")
    wang.check()
    assert "/login" not in wang.page.url
    gone = phone_for()
    gone.page.goto(gone.base_url + "/login")
    gone.page.fill("input[name=username]", "leaver")
    gone.page.fill("input[name=password]", "reset-pass-2030")
    gone.page.click("form button[type=submit]")
    gone.page.wait_for_load_state("load")
    assert "/login" in gone.page.url and "用户名或密码不正确" in gone.text()
