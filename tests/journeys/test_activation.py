"""Accounts for the roster on phones, in headless Chromium: the organizer opens a unit's accounts and prints the
slips, a teacher scans his slip's QR and chooses his password, another activates with his staff number, a third
gets a reset code after forgetting his password."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest

from tests.support import id_number

pytestmark = pytest.mark.browser
NEW = "my-own-secret-9"


def _decode(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


def _set_password(phone, *fields: tuple[str, str]) -> None:
    for name, value in fields:
        phone.page.fill(f"input[name={name}]", value)
    phone.page.fill("input[name=password]", NEW)
    phone.page.fill("input[name=confirm]", NEW)
    phone.page.click("main form button[type=submit]")
    phone.page.wait_for_load_state("load")


def test_a_unit_gets_its_accounts_and_its_teachers_activate_them_on_their_phones(app, factory, phone_for):
    school = factory.school()
    wang = factory.member(school["g1"], name="王晓红", staff_no="T1001", id_number=id_number(seq=7))
    factory.member(school["g1"], name="李建国", staff_no="T1002", phone="13900005678")
    factory.account("organizer", roles=[("organizer", school["school"])])
    desk = phone_for()

    desk.login("organizer")
    desk.goto("/members/")
    desk.page.click("text=开通账号与激活码")
    desk.check()
    desk.page.select_option("select[name=unit]", str(school["g1"].id))
    desk.page.click("main form button[type=submit]")
    desk.check()
    assert "新开通 2 个账号" in desk.text()
    slip = desk.page.locator(".slip", has_text="王晓红")
    assert "T1001" in slip.inner_text()
    link = _decode(slip.locator("svg").screenshot())  # the printed QR, read as a phone camera would
    assert link.startswith(app.config["BASE_URL"].rstrip("/") + "/activate/")

    # 王晓红 scans the slip: the page knows the code, he only chooses his password.
    teacher = phone_for()
    teacher.goto(urlparse(link).path)
    assert "王*红" in teacher.text() and "T1001" in teacher.text()
    _set_password(teacher)
    teacher.check()
    assert "账号已激活" in teacher.text() or "密码已设置" in teacher.text()
    assert "王晓红" in teacher.page.text_content("header")  # 退出（王晓红） in the menu

    # 李建国 lost his slip: from the login page, with his staff number and his phone's last four.
    other = phone_for()
    other.goto("/login")
    other.page.click("text=第一次使用？激活账号")
    other.check()
    _set_password(other, ("staff_no", "T1002"), ("last_four", "1234"))
    other.check(refused=True)
    assert "信息不符" in other.text()
    _set_password(other, ("staff_no", "T1002"), ("last_four", "5678"))
    other.check()
    assert "账号已激活，用户名为 T1002" in other.text()

    # 王晓红 forgets his password: the organizer makes a reset code on his member page.
    desk.goto(f"/members/{wang.id}/edit")
    desk.page.once("dialog", lambda dialog: dialog.accept())
    desk.page.click("text=生成重置码")
    desk.check()
    code = desk.page.inner_text(".slip .code")
    again = phone_for()
    again.goto("/login")
    again.page.click("text=用激活码或重置码设置密码")
    again.check()
    _set_password(again, ("code", code))
    again.check()
    assert "密码已设置" in again.text()
    teacher.page.goto(teacher.base_url + "/account")
    assert "/login" in teacher.page.url  # his old phone's session ended with the reset
