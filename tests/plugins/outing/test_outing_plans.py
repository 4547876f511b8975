"""The presets, eligibility, itinerary changes with their calendar entries, the safety notice and the
finance statement read back as xlsx."""

from __future__ import annotations

import io
from decimal import Decimal

from icalendar import Calendar
from openpyxl import load_workbook

from core.models import Event
from core.services import feed_tokens
from core.timeutil import to_local
from plugins.outing.models import CostItem, Stop, Vehicle
from tests.plugins.outing.support import bearer, outing, register
from tests.support import text_of


def test_heyuan_preset_builds_the_two_day_plan(app, factory):
    _school, _organizer, event = outing(factory, "heyuan")
    event = Event.get_by_id(event.id)
    assert event.fee == Decimal("290.00")
    stops = list(Stop.select().where(Stop.event == event).order_by(Stop.starts_at))
    times = [(to_local(s.starts_at).date() - to_local(event.starts_at).date(), to_local(s.starts_at).strftime("%H:%M"))
             for s in stops]
    assert [(d.days, t) for d, t in times] == [(0, "09:30"), (0, "12:00"), (0, "13:30"), (0, "18:00"), (0, "20:00"),
                                               (1, "08:00"), (1, "09:00"), (1, "15:00")]
    per_person = sum((c.per_person for c in CostItem.select().where(CostItem.event == event) if c.per_person), Decimal(0))
    assert per_person == Decimal("290.00")
    bus = CostItem.get(CostItem.event == event, CostItem.category == "transport")
    assert bus.per_person is None  # the bus is not in the 290 yuan
    assert [v.name for v in Vehicle.select().where(Vehicle.event == event)] == ["中巴车"]
    rules = event.settings["rules"]
    assert rules["exclude_jobs"] == ["司机", "值班"] and rules["family"]["allowed"] is False
    assert "自带泳衣" in event.settings["outing"]["notice"] and "私自脱离集体" in event.settings["outing"]["notice"]


def test_shenlongzhai_has_four_departures_and_the_prize_budget(app, factory, client):
    _school, organizer, event = outing(factory, "shenlongzhai")
    vehicles = list(Vehicle.select().where(Vehicle.event == event).order_by(Vehicle.departs_at))
    assert [to_local(v.departs_at).strftime("%H:%M") for v in vehicles] == ["09:30", "10:30", "11:30", "12:30"]
    assert {v.dispatcher for v in vehicles} == {"龙秋花、吴如喜"}
    report = client.get(f"/api/v1/outing/events/{event.id}/costs", headers=bearer(organizer)).get_json()
    prizes = next(i for i in report["items"] if i["category"] == "prizes")
    assert prizes["budget"] == "6750.00" and "一等奖400" in prizes["name"]
    assert report["totals"]["union_total"] == "6750.00"


def test_late_bus_takes_a_later_departure(app, factory, client):
    school, organizer, event = outing(factory, "shenlongzhai")
    headers = bearer(organizer)
    early, late = factory.member(school["g1"], "早班"), factory.member(school["g1"], "有课")
    register(client, event, early, headers)
    assert register(client, event, late, headers, extra={"late_bus": True}).status_code == 201
    client.post(f"/api/v1/outing/events/{event.id}/seats/auto", json={}, headers=headers)
    vehicles = client.get(f"/api/v1/outing/events/{event.id}", headers=headers).get_json()["vehicles"]
    last = client.get(f"/api/v1/outing/events/{event.id}/vehicles/{vehicles[-1]['id']}/passengers",
                      headers=headers).get_json()
    first = client.get(f"/api/v1/outing/events/{event.id}/vehicles/{vehicles[0]['id']}/passengers",
                       headers=headers).get_json()
    assert [p["name"] for p in first["passengers"]] == ["早班"] and [p["name"] for p in last["passengers"]] == ["有课"]


def test_driver_and_family_refused_with_the_rule(app, factory, client):
    school, organizer, event = outing(factory, "heyuan")
    headers = bearer(organizer)
    driver = factory.member(school["g1"], "王司机", job="司机")
    r = register(client, event, driver, headers)
    assert r.status_code == 409
    assert "【不参加人员】岗位为“司机”的人员不参加本活动" in r.get_json()["message"]
    r = register(client, event, factory.member(school["g1"]), headers, [{"name": "家属"}])
    assert r.status_code == 409 and "【家属】本活动不接受携带家属" in r.get_json()["message"]
    r = register(client, event, factory.member(school["g1"]), headers, extra={"emergency_phone": "12345"})
    assert r.status_code == 409 and "紧急联系人电话应为 11 位手机号码" in r.get_json()["message"]


def test_itinerary_change_moves_the_feed_and_tells_registrants(app, factory, client, login_as):
    school, organizer, event = outing(factory, "yelidao")
    member = factory.member(school["g1"], "张老师")
    teacher = factory.account("zhang", member=member)
    outsider = factory.member(school["g2"])
    register(client, event, member, bearer(organizer),
             extra={"emergency_contact": "张家属", "emergency_phone": "13800001111"})
    stop = Stop.select().where(Stop.event == event).order_by(Stop.starts_at).first()
    before = Event.get_by_id(event.id).sequence
    local = to_local(stop.starts_at).replace(tzinfo=None)
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{stop.id}",
                    json={"starts_at": local.replace(hour=7, minute=45).isoformat(), "place": "国交正门"},
                    headers=bearer(organizer))
    assert r.status_code == 200
    event = Event.get_by_id(event.id)
    assert event.sequence == before + 1

    pm = app.extensions["huodong_pm"]
    assert not any(pm.hook.huodong_calendar_components(event=event, member=outsider))
    with app.test_request_context():
        token = feed_tokens.feed_token(member)
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.data)
    vevents = {str(c["UID"]): c for c in calendar.walk("VEVENT")}
    moved = vevents[f"event-{event.id}-stop-{stop.id}@huodong.test"]
    assert moved["DTSTART"].dt.strftime("%H:%M") == "07:45" and str(moved["LOCATION"]) == "国交正门"
    assert int(moved["SEQUENCE"]) == event.sequence
    stops = Stop.select().where(Stop.event == event).count()
    assert len([uid for uid in vevents if uid.startswith(f"event-{event.id}-stop-")]) == stops
    # A gathering stop is a sign-in checkpoint too, but the feed shows it once, as the stop.
    assert not [uid for uid in vevents if uid.startswith(f"event-{event.id}-checkpoint-")]
    assert not calendar.get_missing_tzids()

    login_as(teacher)
    page = text_of(client.get(f"/events/{event.id}"))
    assert "行程有变更" in page and "国交正门" in page
    assert "07:45" in page


def test_safety_notice_acknowledged_once_with_time(app, factory, client, login_as):
    school, organizer, event = outing(factory, "heyuan")
    member = factory.member(school["g1"], "李老师")
    teacher = factory.account("li", member=member)
    register(client, event, member, bearer(organizer))
    login_as(teacher)
    page = text_of(client.get(f"/events/{event.id}"))
    assert "安全告知" in page and "自带泳衣" in page and "我已阅读并遵守安全告知" in page
    client.post(f"/outing/{event.id}/acknowledge")
    first = client.post(f"/api/v1/outing/events/{event.id}/acknowledge", json={}).get_json()["acknowledged_at"]
    again = client.post(f"/api/v1/outing/events/{event.id}/acknowledge", json={}).get_json()["acknowledged_at"]
    assert first == again
    assert "确认安全告知" in text_of(client.get(f"/events/{event.id}"))
    stranger = factory.account("wang", member=factory.member(school["g2"]))
    login_as(stranger)
    r = client.post(f"/api/v1/outing/events/{event.id}/acknowledge", json={})
    assert r.status_code == 403 and "只有已报名的参加人员" in r.get_json()["message"]
    assert client.post(f"/outing/{event.id}/acknowledge").status_code == 403


def test_finance_statement_xlsx(app, factory, client, login_as):
    school, organizer, event = outing(factory, "yelidao")
    headers = bearer(organizer)
    register(client, event, factory.member(school["g1"], "甲老师"), headers, [{"name": "甲妻"}])
    register(client, event, factory.member(school["g2"], "乙老师", "F"), headers)
    login_as(organizer)
    r = client.get(f"/events/{event.id}/export/outing_finance.xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("序号", "部门", "姓名", "身份", "费用", "个人承担", "工会承担")
    people = {row[2]: row for row in rows[1:4]}
    assert people["甲妻"][3:7] == ("家属", 50, 25, 25)
    assert people["乙老师"][3:7] == ("会员", 50, 0, 50)
    total = next(row for row in rows if row[0] == "合计")
    assert total[2:7] == ("3人", None, 150, 25, 125)
    budget = next(row for row in rows if row[0] == "预算合计")
    assert budget[5] == 150
    lunch = next(row for row in rows if row[0] == "午餐")
    assert lunch[1:6] == ("餐费", "工会经费", 30, 3, 90)
