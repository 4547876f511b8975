"""The participant's and the department head's journeys on a phone, in headless Chromium."""

from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest

from core.models import Registration

pytestmark = pytest.mark.browser


def _path(url: str) -> str:
    parsed = urlparse(url)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def test_a_participant_registers_opens_his_qr_code_and_his_calendar(app, factory, phone_for):
    import icalendar
    import zxingcpp
    from PIL import Image

    from plugins.checkin.public import personal_code

    school = factory.school()
    zhang = factory.member(school["g1"], name="张三明")
    factory.account("zhang", member=zhang)
    event = factory.event(school["school"], title="全体教职工大会", capacity=200, venue="学校报告厅")
    phone = phone_for()

    phone.login("zhang")
    phone.goto("/events/")
    phone.page.click(f"text={event.title}")
    phone.check()
    assert "学校报告厅" in phone.text() and "0 / 200" in phone.text()
    phone.page.click("button:has-text('我要报名')")
    phone.check()
    page = phone.text()
    assert "报名成功" in page and "已报名" in page and "1 / 200" in page
    registration = Registration.get(Registration.event == event, Registration.member == zhang)
    assert registration.status == "active"

    # His QR code is on the event page; the image he can download decodes to his own code.
    assert "我的签到码" in page and personal_code(registration) in page
    png = phone.get(_path(phone.page.get_attribute("a:has-text('下载二维码图片')", "href")))
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [code.text for code in decoded] == [personal_code(registration)]

    phone.goto("/registrations/mine")
    assert event.title in phone.text() and "已报名" in phone.text()

    phone.goto("/calendar")
    feed = phone.page.get_attribute("a:has-text('下载 .ics 文件') >> nth=0", "href")
    calendar = icalendar.Calendar.from_ical(phone.get(_path(feed)))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [event.title]


def test_a_department_head_registers_his_people_in_one_batch(app, factory, phone_for):
    school = factory.school()
    people = [factory.member(school["g1"], name=name, gender=g)
              for name, g in (("王老师", "M"), ("李老师", "F"), ("赵老师", "F"), ("钱老师", "M"))]
    factory.member(school["g2"], name="别组的人")
    factory.account("head", member=people[0], roles=[("dept_head", school["g1"])])
    event = factory.event(school["school"], title="教职工健身趣味活动", capacity=50)
    phone = phone_for()

    phone.login("head")
    phone.goto(f"/events/{event.id}")
    phone.page.click("a:has-text('代部门 / 队伍报名')")
    phone.check()
    table = phone.text("table")
    assert all(p.name in table for p in people) and "别组的人" not in table
    for person in people[1:]:
        phone.page.check(f"input[name=go_{person.id}]")
    phone.page.click("form.card button:has-text('保存')")
    phone.check()
    assert "已保存：新报名 3 人，修改 0 人，退出 0 人" in phone.text()
    assert phone.page.locator("tbody .badge").count() == 3
    active = {r.member_id for r in Registration.select().where(Registration.event == event,
                                                                Registration.status == "active")}
    assert active == {p.id for p in people[1:]}

    phone.goto(f"/events/{event.id}")
    assert "3 / 50" in phone.text()

    # His people's list: on a phone each registration is a card, nothing cut off at the right.
    phone.goto(f"/events/{event.id}/registrations")
    cards = phone.page.locator("table.stack tbody tr")
    assert cards.count() == 3
    width = phone.page.viewport_size["width"]
    for box in (cell.bounding_box() for cell in phone.page.locator("table.stack tbody td, table.stack tbody th").all()
                if cell.is_visible()):
        assert 0 <= box["x"] and box["x"] + box["width"] <= width, box
    labels = phone.page.eval_on_selector("table.stack tbody tr", "row => [...row.querySelectorAll('td')].map("
                                         "td => getComputedStyle(td, '::before').content)")
    assert '"状态"' in labels and '"缴费"' in labels  # each line says what it is
    assert phone.page.locator("table.stack tbody .badge:has-text('已报名')").count() == 3
