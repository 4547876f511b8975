"""The demo holds the seed contest (篇一): 5-26 动员, 5-29 三字 in 二楼物理实验室, the micro-lessons handed
in and judged in June, judges on every panel and a 摄像; its pages render for every kind of visitor and
its dates reach the calendar feeds (parsed back with icalendar)."""

from __future__ import annotations

import icalendar

from core.calendar import FeedItem, build_calendar
from core.demo import DEMO_PASSWORD
from core.models import Account, CommitteeRole, Entry, Event
from core.timeutil import aware_utc, to_local
from plugins.scoring import public as scoring
from plugins.skills_contest.items import contest_items


def _login(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_the_demo_contest_follows_the_seed(app, make_app):
    from core.demo import build

    with app.test_request_context():
        demo = build(app.extensions["huodong_pm"])
    event = Event.get(Event.activity_type == "skills_contest")
    local = to_local(event.starts_at, event.timezone)
    assert event.title.endswith("年教师基本功大赛") and (local.month, local.day, local.hour) == (5, 26, 15)
    items = {ci.item.name: ci for ci in contest_items(event)}
    assert list(items) == ["粉笔字", "毛笔字", "钢笔字", "微型课"]
    assert [items[n].mode for n in items] == ["onsite", "onsite", "submission", "submission"]
    chalk = to_local(items["粉笔字"].starts_at, event.timezone)
    assert (chalk.month, chalk.day) == (5, 29) and items["粉笔字"].room == "二楼物理实验室"
    assert items["毛笔字"].text == "师德" and "日照香炉生紫烟" in items["粉笔字"].text
    assert to_local(items["微型课"].ends_at, event.timezone).month == 6
    assert [c["name"] for c in scoring.item_scoring(items["毛笔字"].item).criteria] == ["笔法", "字法", "章法", "特色"]
    milestones = [m["name"] for m in event.settings["skills_contest"]["milestones"]]
    assert milestones == ["全体会动员", "评委进行评比三字", "微课上交截止", "微型课评比"]
    judge = Account.get(Account.username == "judge1")
    assert all(scoring.on_panel(items[n].item, judge) for n in ("粉笔字", "毛笔字", "钢笔字"))
    assert not scoring.on_panel(items["微型课"].item, judge)
    assert all(len(scoring.panel(ci.item)) == 3 for ci in items.values())
    assert CommitteeRole.select().where(CommitteeRole.event == event, CommitteeRole.role == "摄像").count() == 1
    assert Entry.select().where(Entry.item == items["粉笔字"].item_id).count() == 16
    assert ("judge1", DEMO_PASSWORD) in [(u, p) for u, p, _w in demo.logins]

    web = make_app()
    anonymous = web.test_client()
    teacher = _login(web, "teacher")
    judge_client = _login(web, "judge1")
    organizer = _login(web, "organizer")
    for client in (anonymous, teacher, judge_client, organizer):
        for url in (f"/events/{event.id}", f"/contest/events/{event.id}", f"/contest/items/{items['粉笔字'].item_id}",
                    f"/contest/items/{items['微型课'].item_id}/results"):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    page = organizer.get(f"/contest/events/{event.id}").get_data(as_text=True)
    assert "全体会动员" in page and "摄像" in page
    # The text of an on-site item stays hidden from the teacher until 5-29, not from the judge.
    assert "日照香炉生紫烟" not in teacher.get(f"/contest/items/{items['粉笔字'].item_id}").get_data(as_text=True)
    assert "日照香炉生紫烟" in judge_client.get(f"/contest/items/{items['粉笔字'].item_id}").get_data(as_text=True)
    assert "我的评审项目" in judge_client.get("/").get_data(as_text=True)
    english = _login(web, "teacher")
    english.get("/lang/en")
    page = english.get(f"/contest/items/{items['粉笔字'].item_id}").get_data(as_text=True)
    assert "The text to write will be given when the on-site session starts" in page and "Criteria" in page

    # Calendar: everybody's feed has the milestones, the sessions and the deadlines; a teacher's his items.
    pm = app.extensions["huodong_pm"]
    with app.test_request_context():
        everyone = [f for answer in pm.hook.huodong_calendar_components(event=event, member=None) for f in answer]
        entrant = Entry.get(Entry.item == items["微型课"].item_id).member
        mine = [f for answer in pm.hook.huodong_calendar_components(event=event, member=entrant) for f in answer]
        other = Entry.select().where(Entry.item == items["粉笔字"].item_id,
                                     Entry.member.not_in([e.member for e in Entry.select().where(
                                         Entry.item == items["微型课"].item_id)])).first().member
        theirs = [f for answer in pm.hook.huodong_calendar_components(event=event, member=other) for f in answer]
    names = [f.summary.split(" · ")[1] for f in everyone]
    assert names[0] == "全体会动员" and "粉笔字现场比赛" in names and "微型课作品上交截止" in names
    assert "微型课作品上交截止" in [f.summary.split(" · ")[1] for f in mine]
    assert "微型课作品上交截止" not in [f.summary.split(" · ")[1] for f in theirs]
    parent = FeedItem(uid=f"event-{event.id}@huodong", summary=event.title, start=aware_utc(event.starts_at),
                      end=aware_utc(event.ends_at), last_modified=aware_utc(event.updated_at), extra=everyone)
    calendar = icalendar.Calendar.from_ical(build_calendar([parent], name=event.title))
    chalk_event = next(e for e in calendar.walk("VEVENT") if "粉笔字现场比赛" in str(e["SUMMARY"]))
    assert str(chalk_event["LOCATION"]) == "二楼物理实验室"
    start = chalk_event.decoded("DTSTART")
    assert (start.month, start.day, start.hour, start.minute, str(start.tzinfo)) == (5, 29, 14, 30, "Asia/Shanghai")
