"""A referee enters a result on a phone-sized page in headless Chromium and the big-screen scoreboard
shows the new team total: the test app served on a free port from a thread, driven by Playwright."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.models import Event, Item, Team
from core.timeutil import from_local
from tests.plugins.sports_day.helpers import account_for, school_with_offices, set_teams
from tests.support import PASSWORD

pytestmark = [pytest.mark.browser]


def test_referee_enters_a_result_on_a_phone_and_the_scoreboard_changes(live_server, browser, factory):
    sd = school_with_offices(factory, men=2, women=2, spare=1)
    event = factory.event(sd.school["school"], activity_type="sports_day", preset="staff_sports_day",
                          title="教职工“庆五一”体育竞赛", starts_at=from_local(datetime(2030, 4, 28, 8, 30)),
                          ends_at=from_local(datetime(2030, 4, 28, 12, 30)))
    set_teams(event, sd, {"A": "A1", "B": "B1", "C": "C1"})
    tug = Item.get(Item.event == event, Item.name == "拔河")
    account_for(factory, sd, "B5")
    from plugins.sports_day import referees

    organizer = factory.account("org", roles=[("organizer", sd.school["school"])])
    referees.propose(event, tug, sd.people["B5"], account=organizer)
    Event.update(status="running").where(Event.id == event.id).execute()
    third_floor = Team.get(Team.event == event, Team.name == "三楼办公室")

    board_context = browser.new_context(viewport={"width": 1280, "height": 720})
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        board = board_context.new_page()
        board.goto(f"{live_server}/scoring/events/{event.id}/scoreboard")
        board.wait_for_selector("#teams tr")
        assert "5" not in board.inner_text("#teams")

        phone = phone_context.new_page()
        phone.goto(f"{live_server}/login")
        phone.fill("input[name=username]", "ub5")
        phone.fill("input[name=password]", PASSWORD)
        phone.click("button[type=submit]")
        phone.goto(f"{live_server}/sports/mine")
        phone.click("text=录入成绩")
        row = phone.locator("form.inline-form").filter(
            has=phone.locator(f"input[name=entrant][value=t{third_floor.id}]"))
        row.locator("input[name=value]").fill("1")
        row.locator("button[type=submit]").click()
        assert "成绩已保存" in phone.inner_text("main")
        # The page fits a phone: nothing wider than the screen.
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390

        board.reload()
        board.wait_for_selector("#teams tr")
        first = board.locator("#teams tr").first.inner_text()
        assert "三楼办公室" in first and "5" in first
    finally:
        board_context.close()
        phone_context.close()
