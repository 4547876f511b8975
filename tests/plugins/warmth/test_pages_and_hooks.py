"""The pages as each role meets them, the thresholds page, the public self-test, notices' working
days, and the plugin's hooks (menu, permissions, dashboard, event figures, demo)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import Invalid
from tests.plugins.warmth.conftest import REGION, YEAR
from tests.support import login, text_of


def test_every_page_renders_for_the_officer(app, client, world):
    from plugins.warmth.services import people

    household = world.approve(world.household(worker_name="张建明"))
    world.fund("district", "5000", "grant")
    campaign = world.campaign("district")
    people.add_wish(world.units["street"], {"group": "children", "beneficiary": "小明", "content": "一套课外书"},
                    account=world.accounts["street_organizer"])
    login(client, "officer")
    for url in ("/warmth/", "/warmth/?report=stale", "/warmth/households/new", f"/warmth/households/{household.id}",
                "/warmth/campaigns", f"/warmth/campaigns/{campaign.id}", "/warmth/funds", "/warmth/thresholds",
                "/warmth/self-test", "/warmth/wishes", "/warmth/reports", "/warmth/cadres", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "张建明" in text_of(client.get(f"/warmth/households/{household.id}"))
    assert "一套课外书" in text_of(client.get("/warmth/wishes")) and "小*" in text_of(client.get("/warmth/wishes"))
    english = text_of(client.get("/warmth/?lang=en"))
    assert "Hardship files" in english


def test_review_queue_and_dashboard_widget_for_reviewers(app, client, world):
    household = world.household(worker_name="张建明")
    from plugins.warmth.services import review

    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    login(client, "township")
    page = text_of(client.get("/warmth/reviews"))
    assert "张建明" in page
    dashboard = text_of(client.get("/"))
    assert "待审核的困难职工档案" in dashboard and "1 户待处理" in dashboard
    other = app.test_client()
    login(other, "west_township")
    assert "1 户待处理" not in text_of(other.get("/"))
    assert "张建明" not in text_of(other.get("/warmth/reviews"))


def test_menu_and_permissions(app, client, world):
    perms = app.extensions["huodong_permissions"]
    assert perms["warmth.view_private"].roles == ("reviewer", "aid_officer")
    anonymous = text_of(client.get("/"))
    assert "困难自测" in anonymous and "送温暖" not in anonymous
    login(client, "driver")
    page = text_of(client.get("/"))
    assert "微心愿" in page and "帮扶审核" not in page and "四季送温暖" not in page
    assert client.get("/warmth/").status_code == 403


def test_thresholds_are_versioned_data_with_an_admin_page(app, client, world):
    from plugins.warmth.models import ThresholdVersion
    from plugins.warmth.services import standards

    login(client, "officer")
    response = client.post("/warmth/thresholds", data={
        "region_code": REGION, "region_name": "海城区", "year": YEAR, "version": "第2版", "dibao_monthly": "1100",
        "near_line_multiple": "1.5", "medical_share": "60%", "tuition_share": "50%", "disaster_share": "50%",
        "effective_from": f"{YEAR}-07-01", "source": "年中调整"})
    assert response.status_code == 302
    assert standards.lookup(REGION, YEAR).version == "第2版"
    assert standards.lookup(REGION, YEAR, dt.date(YEAR, 3, 1)).version == "第1版"
    assert ThresholdVersion.get(ThresholdVersion.version == "第2版").medical_share == Decimal("0.6")
    again = client.post("/warmth/thresholds", data={
        "region_code": REGION, "region_name": "海城区", "year": YEAR, "version": "第2版", "dibao_monthly": "-5",
        "near_line_multiple": "1.5", "medical_share": "50%", "tuition_share": "50%", "disaster_share": "50%"})
    assert again.status_code == 200 and "低保线应为不小于 0" in text_of(again)
    with pytest.raises(Invalid, match="已有版本"):
        standards.add_version({"region_code": REGION, "region_name": "海城区", "year": YEAR, "version": "第1版",
                               "dibao_monthly": "900", "near_line_multiple": "1.5", "medical_share": "0.5",
                               "tuition_share": "0.5", "disaster_share": "0.5", "effective_from": f"{YEAR}-09-01"})
    other = app.test_client()
    login(other, "bus_org")
    assert other.get("/warmth/thresholds").status_code == 403


def test_anonymous_self_test_page_and_api(app, client, world):
    page = text_of(client.post("/warmth/self-test", data={
        "region_code": REGION, "year": YEAR, "members": "3", "yearly_income": "30,000 元"}))
    assert "可能符合帮扶条件" in page and "人均月收入 833.33 元 &lt; 低保线 1000.00 元" in page
    page = text_of(client.post("/warmth/self-test", data={
        "region_code": REGION, "year": YEAR, "members": "三", "yearly_income": "30000"}))
    assert "家庭人口数“三”不是有效的整数" in page
    body = client.post("/api/v1/warmth/self-test", json={
        "region_code": REGION, "year": YEAR, "members": 4, "yearly_income": "72000", "tuition": "40000",
        "main_cause": "因学"}).get_json()
    assert body["eligible"] and body["matched_rules"] == ["tuition_over_share"] and body["is_self_test"]
    bad = client.post("/api/v1/warmth/self-test", json={"region_code": "000000", "members": 1, "yearly_income": "1"})
    assert bad.status_code == 404 and "000000" in bad.get_json()["message"]
    from core.models import AuditLog

    assert AuditLog.select().where(AuditLog.action.startswith("warmth.household")).count() == 0


def test_notice_lasts_working_days():
    from plugins.warmth.services.notices import add_working_days

    friday = dt.date(2025, 1, 17)
    assert add_working_days(friday, 5) == dt.date(2025, 1, 23)  # Fri, Mon, Tue, Wed, Thu
    assert add_working_days(dt.date(2025, 1, 18), 1) == dt.date(2025, 1, 20)  # a Saturday start moves to Monday


def test_event_figures_of_a_linked_campaign(app, world, factory):
    from plugins.warmth.services import campaigns

    event = factory.event(world.units["street"], title="两节送温暖走访慰问")
    world.fund("street", "5000", "budget")
    campaign = world.campaign("street", event_id=event.id)
    household = world.approve(world.household())
    campaigns.pay(campaign, household, {"bank_account": household.bank_account}, account=world.accounts["officer"])
    campaigns.collective_visit(campaign, {"group_name": "公交驾驶员", "people": 2, "amount_each": "1500",
                                          "visited_on": f"{YEAR}-01-25"}, account=world.accounts["officer"])
    pm = app.extensions["huodong_pm"]
    ours = pm.get_plugin("warmth").huodong_event_figures(event=event)
    assert ours == {"people": 3, "money": Decimal("3500.00")}
    assert ours in pm.hook.huodong_event_figures(event=event)
    other = factory.event(world.units["street"], title="别的活动")
    assert pm.get_plugin("warmth").huodong_event_figures(event=other) is None


def test_responsible_cadre_is_kept_and_problems_are_counted(app, client, world):
    from core.errors import Invalid as InvalidError
    from plugins.warmth.services import people

    household = world.household(worker_name="张建明")
    bus = world.accounts["grassroots_bus"]
    people.assign_responsible(household, {"cadre_id": bus.id, "role": "head"}, account=bus)
    with pytest.raises(InvalidError, match="保持不变"):
        people.assign_responsible(household, {"cadre_id": world.accounts["township"].id}, account=bus)
    people.solve_problem(household, {"description": "协调孩子转学", "solved_on": f"{YEAR}-03-02"}, account=bus)
    people.solve_problem(household, {"description": "申请医疗救助", "solved_on": f"{YEAR - 1}-10-02"}, account=bus)
    login(client, "officer")
    page = text_of(client.get(f"/warmth/cadres?year={YEAR}"))
    assert "grassroots_bus 1 部室负责人 1 1" in page


def test_demo_builds_the_winter_campaign(make_app, tmp_path):
    from core.db import db
    from core.demo import build
    from core.migrate import migrate
    from plugins.warmth.models import CollectiveVisit, Household, Payment

    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with app.app_context(), app.test_request_context():
        migrate(app.extensions["huodong_pm"])
        with db.connection_context():
            demo = build(app.extensions["huodong_pm"])
            assert {"aid_officer", "reviewer_bus", "reviewer_school", "reviewer_street",
                    "reviewer_district"} <= {name for name, _p, _w in demo.logins}
            assert Household.select().where(Household.stage == "approved").count() == 4
            assert Payment.select().count() == 3
            assert sum(c.total for c in CollectiveVisit.select()) == Decimal("600000.00")
            assert sum(c.total for c in CollectiveVisit.select().where(CollectiveVisit.people == 250)) == Decimal(
                "375000.00")


def test_a_notice_counts_chinese_working_days_with_holidays_and_worked_weekends(app):
    from plugins.warmth.services.notices import add_working_days, is_working_day

    # Spring Festival 2026: 02-14 (a Saturday) is worked, 02-15..23 are holidays
    assert add_working_days(dt.date(2026, 2, 12), 5) == dt.date(2026, 2, 25)
    assert is_working_day(dt.date(2026, 2, 14)) and not is_working_day(dt.date(2026, 2, 18))
    # National Day 2025: 10-01..08 off, Saturday 10-11 worked
    assert add_working_days(dt.date(2025, 9, 29), 5) == dt.date(2025, 10, 11)


def test_a_year_nobody_knows_is_refused_until_its_schedule_is_given(make_app):
    import pytest

    from core.errors import Refused
    from plugins.warmth.services.notices import add_working_days

    app = make_app(EXTRA_WORKDAYS={})
    with app.app_context(), pytest.raises(Refused) as refused:
        add_working_days(dt.date(2099, 3, 2), 5)
    assert "尚未收录 2099 年" in refused.value.message
    app = make_app(EXTRA_WORKDAYS={2099: {"holidays": ["2099-03-03"], "workdays": ["2099-03-07"]}})
    with app.app_context():
        # Mon 03-02, (Tue off), Wed, Thu, Fri, Sat 03-07 worked
        assert add_working_days(dt.date(2099, 3, 2), 5) == dt.date(2099, 3, 7)


def test_a_notice_cannot_open_in_the_past(app, world):
    import pytest

    from core.errors import Invalid, Refused
    from plugins.warmth.models import Notice
    from plugins.warmth.services import notices, review

    household = world.household()
    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    review.act(household, "pass", "属实", account=world.accounts["township"])
    yesterday = notices.today() - dt.timedelta(days=1)
    with pytest.raises(Invalid) as refused:
        notices.publish(world.units["district"], {"title": "公示", "working_days": 5, "opens_on": yesterday.isoformat()},
                        [household.id], account=world.accounts["county"])
    assert "不能早于今天" in refused.value.message and Notice.select().count() == 0
    notice = notices.publish(world.units["district"], {"title": "公示", "working_days": 5}, [household.id],
                             account=world.accounts["county"])
    assert notice.opens_on == notices.today() and notice.closes_on > notices.today()
    with pytest.raises(Refused) as early:
        review.act(household, "approve", "审定", account=world.accounts["county"])
    assert "公示期满后才能审定" in early.value.message
