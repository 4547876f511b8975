"""Keyboard only, on a phone-sized screen: a participant logs in, opens the menu and registers; a volunteer
signs people in and out on the scanner. No click and no mouse: Tab, Shift+Tab, arrows, Enter, Space, Escape
and typing. The menu also opens without JavaScript."""

from __future__ import annotations

import pytest

from core.models import Registration
from tests.browser_support import PHONE, focused, tab_to, wait_until
from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def keyboard_login(phone, username: str) -> None:
    page = phone.page
    page.goto(phone.base_url + "/login")
    assert page.evaluate("document.activeElement.name") == "username"  # the field has the focus at once
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    follow(phone)
    assert "/login" not in page.url


def follow(phone, key: str = "Enter") -> None:
    """Press ``key`` on what has the focus and wait for the page it leads to."""
    with phone.page.expect_navigation():
        phone.page.keyboard.press(key)
    phone.check()


def menu_state(page) -> tuple[str | None, bool]:
    return page.get_attribute("button.nav-button", "aria-expanded"), page.is_visible("#site-nav")


def test_a_participant_opens_the_menu_and_registers_with_the_keyboard(app, factory, phone_for):
    school = factory.school()
    zhang = factory.member(school["g1"], name="张三明")
    factory.account("zhang", member=zhang)
    event = factory.event(school["school"], title="全体教职工大会", capacity=200, venue="学校报告厅")
    phone = phone_for()
    page = phone.page

    keyboard_login(phone, "zhang")
    # The first Tab shows the skip link, then the brand, then the menu button (it was cut off before).
    page.keyboard.press("Tab")
    assert focused(page) == "跳到正文" and page.locator(".skip-link").bounding_box()["x"] >= 0
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == "菜单"
    assert menu_state(page) == ("false", False)
    page.keyboard.press("Enter")
    assert menu_state(page) == ("true", True)
    page.keyboard.press("Escape")  # closes it, and the focus stays on the button
    assert menu_state(page) == ("false", False) and focused(page) == "菜单"
    page.keyboard.press("Space")
    assert menu_state(page) == ("true", True)
    tab_to(page, "活动", exact=True)
    page.keyboard.press("Escape")  # from inside the menu: closed, the focus back on its button
    assert menu_state(page) == ("false", False) and focused(page) == "菜单"
    page.keyboard.press("Enter")
    tab_to(page, "活动", exact=True)
    follow(phone)
    assert phone.page.url.endswith("/events/")

    tab_to(page, event.title)
    follow(phone)
    tab_to(page, "我要报名")
    follow(phone)
    assert "报名成功" in phone.text() and "1 / 200" in phone.text()
    assert Registration.get(Registration.event == event, Registration.member == zhang).status == "active"


def test_a_volunteer_signs_people_in_and_out_on_the_scanner_with_the_keyboard(app, factory, phone_for):
    from plugins.checkin import checkpoints
    from plugins.checkin.models import CheckIn
    from tests.plugins.checkin.helpers import code_of, setup

    s = setup(factory)
    checkpoints.save(s.event, {"sign_out": True}, checkpoints.ensure_main(s.event))
    first, third = s.registrations[0], s.registrations[2]
    phone = phone_for()
    page = phone.page

    keyboard_login(phone, s.organizer.username)
    phone.goto(f"/events/{s.event.id}")
    tab_to(page, "签到", exact=True)  # the event's own menu
    follow(phone)
    tab_to(page, "扫码签到")
    follow(phone)
    assert f"/checkin/events/{s.event.id}/scan" in page.url
    wait_until(page, "document.getElementById('list-count').textContent === '4'")
    phone.check()

    def result(name: str, text: str) -> None:
        seen.append(name)  # each answer adds a line to the recent scans: this one is new, not the last one
        wait_until(page, "([name, text, n]) => document.getElementById('result-name').textContent === name"
                         " && document.getElementById('result-message').textContent.includes(text)"
                         " && document.getElementById('recent').children.length === n", [name, text, len(seen)])

    seen = []

    # A code, as a scanner gun types it: the field has the focus from the start.
    assert focused(page) == "签到码或姓名"
    page.keyboard.type(code_of(first))
    page.keyboard.press("Enter")
    result("教师1", "签到成功")

    # A name: the people found come right after the field's button.
    page.keyboard.type("教师3")
    page.keyboard.press("Enter")
    page.wait_for_selector("#matches button")
    tab_to(page, "教师3", limit=3)
    page.keyboard.press("Enter")
    result("教师3", "签到成功")
    assert focused(page) == "签到码或姓名"
    phone.check()

    # Sign-out: back to the radio buttons, an arrow key, then back to the field.
    tab_to(page, "签到", exact=True, backwards=True, limit=3)
    page.keyboard.press("ArrowRight")
    assert page.is_checked("input[name=kind][value=out]")
    tab_to(page, "签到码或姓名", limit=3)
    page.keyboard.type(code_of(first))
    page.keyboard.press("Enter")
    result("教师1", "签退")
    kinds = sorted(c.kind for c in CheckIn.select().where(CheckIn.registration == first.id))
    assert kinds == ["in", "out"]
    assert CheckIn.select().where(CheckIn.registration == third.id).count() == 1


def test_the_phone_menu_opens_without_javascript(app, factory, browser, live_server):
    factory.account("zhang", member=factory.member(factory.school()["g1"], name="张三明"))
    context = browser.new_context(**{**PHONE, "bypass_csp": False, "java_script_enabled": False})
    try:
        page = context.new_page()
        page.goto(live_server + "/")
        assert not page.is_visible("button.nav-button")  # the button needs the script
        tab_to(page, "菜单", limit=3)
        assert page.evaluate("document.activeElement.type") == "checkbox"
        assert not page.is_visible("#site-nav")
        page.keyboard.press("Space")
        assert page.is_visible("#site-nav")
        tab_to(page, "登录", exact=True)
        page.keyboard.press("Enter")
        page.wait_for_url("**/login")
    finally:
        context.close()


def test_a_table_wider_than_the_phone_scrolls_in_its_own_box_by_keyboard(app, factory, phone_for):
    school = factory.school()
    for n in range(3):
        factory.member(school["g1"], name=f"教师{n}", staff_no=f"T{n:04d}", phone="13800000000")
    factory.account("org", roles=[("organizer", school["school"])])
    phone = phone_for()
    page = phone.page
    phone.login("org")
    phone.goto("/members/")
    box = page.locator("main .table-wrap")
    wait_until(page, "document.querySelector('main .table-wrap').getAttribute('tabindex') === '0'")  # after a resize
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label").startswith("会员")  # the page's heading names it
    tab_to(page, box.get_attribute("aria-label"), exact=True)
    assert page.evaluate("document.activeElement.classList.contains('table-wrap')")
    page.keyboard.press("ArrowRight")
    wait_until(page, "document.querySelector('main .table-wrap').scrollLeft > 0")

    page.set_viewport_size({"width": 1280, "height": 800})  # room enough: no Tab stop, no region
    wait_until(page, "!document.querySelector('main .table-wrap').hasAttribute('tabindex')")
    assert box.get_attribute("role") is None
