"""The scanner page in headless Chromium on a phone-sized screen: a typed code, then the offline queue."""

import pytest

from plugins.checkin.models import CheckIn
from tests.browser_support import browser_login
from tests.plugins.checkin.helpers import code_of, setup

pytestmark = pytest.mark.browser


def _scan(page, text):
    page.fill("#code", text)
    page.press("#code", "Enter")


def test_scanner_typed_code_then_offline_queue_syncs_once(app, factory, live_server, page):
    s = setup(factory)
    first, second = s.registrations[0], s.registrations[1]
    browser_login(page, live_server, s.organizer.username)
    page.goto(f"{live_server}/checkin/events/{s.event.id}/scan")
    page.wait_for_function("document.getElementById('list-count').textContent === '4'")
    assert page.evaluate("window.innerWidth") == 390

    _scan(page, code_of(first))
    page.wait_for_function("document.getElementById('result-message').textContent.includes('签到成功')")
    assert page.text_content("#result-name") == "教师1"
    assert "初一年级组" in page.text_content("#result-where")
    _scan(page, code_of(first))
    page.wait_for_function("document.getElementById('result-message').textContent.includes('已于')")

    page.context.set_offline(True)
    _scan(page, code_of(second).lower())  # a scanner with caps lock on still reads
    page.wait_for_function("document.getElementById('queue-count').textContent === '1'")
    assert page.text_content("#result-name") == "教师2"
    assert "离线" in page.text_content("#result-message")
    _scan(page, code_of(second))  # scanned twice while offline: kept once
    page.wait_for_function("document.getElementById('result-message').textContent.includes('离线记录')")
    assert page.text_content("#queue-count") == "1"
    assert CheckIn.select().where(CheckIn.registration == second.id).count() == 0

    page.context.set_offline(False)
    page.click("#sync")
    page.wait_for_function("document.getElementById('queue-count').textContent === '0'")
    rows = list(CheckIn.select().where(CheckIn.registration == second.id))
    assert len(rows) == 1 and rows[0].source == "offline" and rows[0].scanned_at < rows[0].created_at
    assert CheckIn.select().count() == 2


def test_name_search_on_the_scanner(app, factory, live_server, page):
    s = setup(factory)
    browser_login(page, live_server, s.organizer.username)
    page.goto(f"{live_server}/checkin/events/{s.event.id}/scan")
    page.wait_for_function("document.getElementById('list-count').textContent === '4'")
    _scan(page, "教师3")
    page.click("#matches button")
    page.wait_for_function("document.getElementById('result-message').textContent.includes('签到成功')")
    assert CheckIn.get().registration_id == s.registrations[2].id
