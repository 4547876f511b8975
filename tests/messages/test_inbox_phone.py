"""我的消息 on a phone (Chromium, 390×844, the real CSP, axe-core on every page): the unread count in the
menu, opening a message, choosing mail on /account; the organizer's notice and delivery log."""

from __future__ import annotations

import time

import pytest

from core.messages.models import Message
from core.services import registrations as service
from tests.messages.conftest import deliver

pytestmark = pytest.mark.browser


def _until(phone, script: str, timeout: float = 10.0):
    """Poll a page expression with page.evaluate (the site's CSP refuses wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = phone.page.evaluate(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out: {script}")


def test_inbox_on_a_phone(app, factory, phone_for, mailbox):
    school = factory.school()
    organizer = factory.account("org", roles=[("organizer", school["school"])])
    event = factory.event(school["school"], title="秋季趣味运动会", venue="学校操场")
    member = factory.member(school["g1"], name="韩梅梅")
    factory.account("meimei", member=member)
    service.register(event, service.Request(member=member), account=organizer)

    phone = phone_for()
    phone.login("meimei")
    badge = phone.page.locator("nav a", has_text="我的消息")
    assert badge.get_attribute("aria-label") == "我的消息（1 条未读）"
    phone.goto("/messages")
    assert "报名成功：秋季趣味运动会" in phone.text()
    phone.page.click("text=报名成功：秋季趣味运动会")
    phone.check()
    assert "学校操场" in phone.text()
    assert Message.get(Message.member == member).read_at is not None

    phone.goto("/account")
    phone.page.fill("#email", "meimei@example.com")
    phone.page.check("input[value=mail]")
    phone.page.click("#message-channels button[type=submit]")
    phone.check()
    assert "通知方式已保存" in phone.text()

    boss = phone_for()
    boss.login("org")
    boss.goto(f"/events/{event.id}/messages")
    boss.page.fill("#title", "雨天改期")
    boss.page.fill("#text", "运动会改到下周五")
    boss.page.click("main form button[type=submit]")
    boss.check()
    assert "通知已排队发送给 1 人" in boss.text()
    deliver()
    # A new address is asked to prove itself first; the notice goes to it meanwhile, as she chose.
    assert [m["Subject"] for m in mailbox.to("meimei@example.com")] == ["请验证您的电子邮箱", "秋季趣味运动会：雨天改期"]
    boss.goto(f"/events/{event.id}/messages")
    assert "电子邮件meimei@example.com：已发送" in "".join(boss.text().split())

    phone.goto("/")
    count = "document.querySelector('nav .badge.count') && document.querySelector('nav .badge.count').textContent"
    assert _until(phone, count) == "1"  # the notice, unread
