"""A referee enters a result on a phone-sized page in headless Chromium and the big-screen scoreboard
shows the new team total: the test app served on a free port from a thread, driven by Playwright."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.models import Event, Item, Team
from core.timeutil import from_local
from tests.plugins.sports_day.helpers import account_for, school_with_offices, set_teams

pytestmark = [pytest.mark.browser]


def test_referee_enters_a_result_on_a_phone_and_the_scoreboard_changes(live_server, browser, phone_for, factory):
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
    try:
        board = board_context.new_page()
        board.goto(f"{live_server}/scoring/events/{event.id}/scoreboard")
        board.wait_for_selector("#teams tr")
        assert "5" not in board.inner_text("#teams")

        # On every page of the phone: nothing wider than the screen, no console error (CSP in force).
        referee = phone_for()
        referee.login("ub5")
        referee.goto("/sports/mine")
        phone = referee.page
        phone.click("text=录入成绩")
        referee.check()
        row = phone.locator("form.inline-form").filter(
            has=phone.locator(f"input[name=entrant][value=t{third_floor.id}]"))
        row.locator("input[name=value]").fill("1")
        row.locator("button[type=submit]").click()
        referee.check()
        assert "成绩已保存" in phone.inner_text("main")

        board.reload()
        board.wait_for_selector("#teams tr")
        first = board.locator("#teams tr").first.inner_text()
        assert "三楼办公室" in first and "5" in first
    finally:
        board_context.close()
