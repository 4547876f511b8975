"""From the roster to a promotion, as a new union would do it, in headless Chromium at phone size: the
organizer imports the roster from Excel and hands out activation slips; a teacher scans his slip, chooses
his password and his mail, registers for a full outing and waits; someone withdraws, and he hears he is
in — in 我的消息, in the real SMTP server's mailbox, and (masked) on the group robot."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from openpyxl import Workbook

from core.models import Member, Registration
from core.services import registrations as service
from tests.messages.conftest import deliver
from tests.support import id_number

pytestmark = pytest.mark.browser
HEADERS = ("姓名", "性别", "工号", "单位", "手机号", "身份证号", "岗位", "会费缴至")


def _roster(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    sheet.append(["赵子龙", "男", "T3001", "初一年级组", "13911112222", id_number(seq=11), "教师", "2030-12-31"])
    sheet.append(["钱多多", "女", "T3002", "初一年级组", "13911113333", id_number(seq=12, male=False), "教师",
                  "2030-12-31"])
    path = tmp_path / "名册.xlsx"
    book.save(path)
    return path


def _decode(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return code.text


def test_from_the_roster_to_a_promotion_told_everywhere(app, factory, phone_for, mailbox, robots, tmp_path):
    school = factory.school()
    organizer = factory.account("organizer", roles=[("organizer", school["school"])])
    outing = factory.event(school["school"], title="春季踏青", capacity=1, venue="白云山")
    first = factory.member(school["g2"], name="孙先到")
    service.register(outing, service.Request(member=first), account=organizer)

    desk = phone_for()
    desk.login("organizer")
    desk.goto("/members/import")
    desk.page.set_input_files("input[type=file]", str(_roster(tmp_path)))
    desk.page.click("main form button[type=submit]")
    desk.check()
    desk.page.click("button:has-text('确认导入')")
    desk.check()
    assert Member.select().where(Member.staff_no.in_(["T3001", "T3002"])).count() == 2
    desk.goto("/accounts/open")
    desk.page.select_option("select[name=unit]", str(school["g1"].id))
    desk.page.click("main form button[type=submit]")
    desk.check()
    slip = desk.page.locator(".slip", has_text="赵子龙")
    link = _decode(slip.locator("svg").screenshot())

    teacher = phone_for()
    teacher.goto(urlparse(link).path)
    teacher.page.fill("input[name=password]", "zilong-secret-1")
    teacher.page.fill("input[name=confirm]", "zilong-secret-1")
    teacher.page.click("main form button[type=submit]")
    teacher.page.wait_for_load_state("load")
    teacher.check()
    teacher.goto("/account")
    teacher.page.fill("#email", "zilong@example.com")
    teacher.page.check("input[value=mail]")
    teacher.page.click("#message-channels button[type=submit]")
    teacher.check()

    teacher.goto(f"/events/{outing.id}")
    teacher.page.click("button:has-text('我要报名')")
    teacher.check()
    zilong = Member.get(Member.staff_no == "T3001")
    assert Registration.get(Registration.event == outing, Registration.member == zilong).status == "waitlisted"

    service.withdraw(Registration.get(Registration.event == outing, Registration.member == first), account=organizer,
                     reason="临时出差")
    assert Registration.get(Registration.event == outing, Registration.member == zilong).status == "active"
    deliver()

    teacher.goto("/messages")
    inbox = teacher.text()
    assert "候补转正：春季踏青" in inbox and "已进入候补：春季踏青" in inbox
    subjects = [m["Subject"] for m in mailbox.to("zilong@example.com")]
    assert "候补转正：春季踏青" in subjects and "请验证您的电子邮箱" in subjects
    texts = [p["json"]["text"]["content"] for p in robots.posts]
    assert any("候补递补：赵*龙 已转为正式报名" in t for t in texts)
    assert not any("赵子龙" in t for t in texts)
