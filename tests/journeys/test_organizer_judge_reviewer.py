"""On a phone, in headless Chromium: an organizer creates an event from a preset, opens registration and
publishes it; a judge enters his marks; a 送温暖 reviewer passes a case at his level."""

from __future__ import annotations

import pytest

from core.models import Entry, Event, Item, Registration
from tests.plugins.warmth.conftest import world  # noqa: F401  (the 送温暖 union tree)

pytestmark = pytest.mark.browser


def test_an_organizer_creates_an_event_from_a_preset_opens_registration_and_publishes(app, factory, phone_for):
    school = factory.school()
    factory.account("org", roles=[("organizer", school["school"])])
    phone = phone_for()

    phone.login("org")
    phone.goto("/events/new")
    phone.page.click("a:has-text('教职工“庆五一”体育竞赛')")
    phone.check()
    assert phone.page.input_value("input[name=title]")  # the preset fills the form in
    phone.page.fill("input[name=title]", "2030年教职工“庆五一”体育竞赛")
    phone.page.fill("input[name=starts_at]", "2030-04-28T08:30")
    phone.page.fill("input[name=ends_at]", "2030-04-28T12:30")
    phone.page.fill("input[name=registration_opens_at]", "2030-04-01T08:00")
    phone.page.fill("input[name=registration_closes_at]", "2030-04-18T17:00")
    phone.page.fill("input[name=capacity]", "60")
    phone.page.click("main form button[type=submit]")
    phone.check()
    assert "活动已创建（草稿）" in phone.text() and "草稿" in phone.text(".badge")
    event = Event.get(Event.title == "2030年教职工“庆五一”体育竞赛")
    assert event.preset == "staff_sports_day" and event.capacity == 60
    assert {"拔河", "迎面接力（50米）", "定点投篮"} <= {i.name for i in event.items}
    assert "2030年4月18日" in phone.text()  # the deadline, in Beijing time

    phone.page.select_option("select[name=status]", "published")
    phone.page.click("button:has-text('更改状态')")
    phone.check()
    assert "已发布" in phone.text(".badge")
    assert Event.get_by_id(event.id).status == "published"

    # A teacher sees it in the list of events.
    factory.account("teacher", member=factory.member(school["g1"], name="周老师"))
    teacher = phone_for()
    teacher.login("teacher")
    teacher.goto("/events/")
    assert "2030年教职工“庆五一”体育竞赛" in teacher.text()


def test_a_judge_enters_his_marks_on_a_phone(app, factory, phone_for):
    from plugins.scoring import public as scoring

    school = factory.school()
    event = factory.event(school["school"], title="教师基本功大赛", status="running")
    item = Item.create(event=event, name="毛笔字")
    criteria = [("笔法", 30), ("字法", 30), ("章法", 20), ("特色", 20)]
    scoring.configure_item(item, measure="marks", criteria=criteria)
    for unit, name in (("g1", "张书法"), ("g2", "李墨"), ("g2", "王砚")):
        member = factory.member(school[unit], name=name)
        Entry.create(item=item, registration=Registration.create(event=event, member=member), member=member)
    judge = factory.account("judge", member=factory.member(school["g1"], name="评委甲"),
                            roles=[("judge", school["school"])])
    scoring.assign_judge(item, judge)
    phone = phone_for()

    phone.login("judge")
    phone.goto("/scoring/mine")
    phone.page.click("a:has-text('毛笔字')")
    phone.check()
    assert phone.page.locator("section.card input[name='mark-笔法']").count() == 3
    for name, marks in (("张书法", (70, 70, 70, 70)), ("李墨", (80, 80, 80, 80)), ("王砚", (90, 80, 70, 60))):
        card = phone.page.locator("section.card").filter(has_text=name)
        for (criterion, _weight), mark in zip(criteria, marks, strict=True):
            card.locator(f"input[name='mark-{criterion}']").fill(str(mark))
        card.locator("button[type=submit]").click()
        phone.check()
        assert "评分已保存" in phone.text()
    phone.page.click("button:has-text('提交全部评分')")
    phone.check()
    assert "评分已提交" in phone.text() and "我与评委组的差异" in phone.text()
    deviations = phone.text("table")
    # his marks, weighted 30/30/20/20: 70.00, 80.00 and 90×.3+80×.3+70×.2+60×.2 = 77.00
    assert all(score in deviations for score in ("70.00", "80.00", "77.00"))


def test_a_township_reviewer_passes_a_case_at_his_level(app, world, phone_for):  # noqa: F811
    from plugins.warmth.models import Household
    from plugins.warmth.services import review

    household = world.household("bus", worker_name="刘师傅")
    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    other = world.household("bus", worker_name="陈师傅")  # still a draft at the grassroots: not his to review
    phone = phone_for()

    phone.login("township")
    phone.goto("/warmth/reviews")
    listing = phone.text()
    assert "刘师傅" in listing and "陈师傅" not in listing
    phone.page.click("a:has-text('刘师傅')")
    phone.check()
    assert "基层工会已申报" in phone.text("h1")
    options = phone.page.eval_on_selector_all("select[name=action] option", "els => els.map(e => e.value)")
    assert options == ["pass", "return_township", "reject_township"]  # his level's choices only
    phone.page.select_option("select[name=action]", "pass")
    phone.page.fill("input[name=comment]", "经走访核实，情况属实")
    phone.page.click("form:has(select[name=action]) button[type=submit]")
    phone.check()
    assert "经走访核实，情况属实" in phone.text()
    assert Household.get_by_id(household.id).stage == "first_reviewed"
    assert Household.get_by_id(other.id).stage == "draft"
