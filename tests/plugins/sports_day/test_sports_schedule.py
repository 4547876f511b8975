"""The running order: printable page, xlsx sheet, calendar entries (the event's and a person's own),
and the referee rule holding when a proposal and a registration race for the same person."""

from __future__ import annotations

import threading
from datetime import datetime
from io import BytesIO

import icalendar
from openpyxl import load_workbook

from core.calendar import FeedItem, build_calendar
from core.models import Entry, Item
from core.timeutil import aware_utc, from_local
from plugins.sports_day.models import Referee
from tests.plugins.sports_day.helpers import account_for, login_client, post, school_with_offices, set_teams
from tests.support import text_of


def staff_day(factory, app=None):
    sd = school_with_offices(factory, men=3, women=2, spare=1)
    sd.org_account = factory.account("org", roles=[("organizer", sd.school["school"])])
    sd.event = factory.event(sd.school["school"], activity_type="sports_day", preset="staff_sports_day",
                             title="教职工“庆五一”体育竞赛", starts_at=from_local(datetime(2030, 4, 28, 8, 30)),
                             ends_at=from_local(datetime(2030, 4, 28, 12, 30)))
    sd.teams = set_teams(sd.event, sd, {"A": "A1", "B": "B1", "C": "C1"})
    sd.items = {i.name: i for i in Item.select().where(Item.event == sd.event)}
    return sd


def test_running_order_page_sheet_and_calendar(app, client, factory, login_as):
    sd = staff_day(factory)
    account_for(factory, sd, "A2")
    a2 = login_client(app, "ua2")
    post(a2, f"/api/v1/events/{sd.event.id}/registrations",
         {"items": [sd.items["定点投篮"].id], "team_id": sd.teams["A"].id}, 201)
    login_as("org")
    page = text_of(client.get(f"/sports/events/{sd.event.id}/schedule"))
    assert page.index("08:30–09:00 拔河") < page.index("09:00–09:30 迎面接力（50米）") < page.index("11:00–11:40 定点投篮")
    assert "二楼办公室（队长 二楼A1）" in page
    sheet = client.get(f"/events/{sd.event.id}/export/sports_day_order.xlsx")
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("开始", "结束", "项目", "地点")
    assert ("11:00", "11:40", "定点投篮", "篮球场") == rows[5][:4] and rows[5][5] == 1

    pm = app.extensions["huodong_pm"]
    everyone = [f for answer in pm.hook.huodong_calendar_components(event=sd.event, member=None) for f in answer]
    assert [f.summary.split(" · ")[1] for f in everyone] == [
        "拔河", "迎面接力（50米）", "乒乓球单打", "羽毛球单打", "定点投篮"]
    mine = [f for answer in pm.hook.huodong_calendar_components(event=sd.event, member=sd.people["A2"]) for f in answer]
    assert [f.uid for f in mine] == [f"event-{sd.event.id}-item-{sd.items['定点投篮'].id}@huodong"]
    parent = FeedItem(uid=f"event-{sd.event.id}@huodong", summary=sd.event.title, start=aware_utc(sd.event.starts_at),
                      end=aware_utc(sd.event.ends_at), last_modified=aware_utc(sd.event.updated_at), extra=mine)
    calendar = icalendar.Calendar.from_ical(build_calendar([parent], name=sd.event.title))
    events = [c for c in calendar.walk("VEVENT")]
    shoot = next(e for e in events if "定点投篮" in str(e["SUMMARY"]))
    assert str(shoot["LOCATION"]) == "篮球场"
    start = shoot.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (11, 0, "Asia/Shanghai")


def test_proposal_and_registration_racing_for_one_person(make_app, factory):
    sd = staff_day(factory)
    app = make_app()
    account_for(factory, sd, "A3")
    shoot = sd.items["定点投篮"]
    results = {}

    def propose():
        client = login_client(app, "org")
        results["referee"] = client.post(f"/api/v1/sports/events/{sd.event.id}/referees",
                                         json={"item": shoot.id, "member": sd.people["A3"].id}).status_code

    def register():
        client = login_client(app, "ua3")
        results["entry"] = client.post(f"/api/v1/events/{sd.event.id}/registrations",
                                       json={"items": [shoot.id], "team_id": sd.teams["A"].id}).status_code

    for _round in range(3):
        Referee.delete().execute()
        Entry.delete().where(Entry.item == shoot.id).execute()
        threads = [threading.Thread(target=propose), threading.Thread(target=register)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        referee = Referee.select().where(Referee.item == shoot.id, Referee.member == sd.people["A3"].id).exists()
        entered = Entry.select().where(Entry.item == shoot.id, Entry.member == sd.people["A3"].id).exists()
        assert referee != entered, results
        assert sorted(results.values()) == [201, 409], results
        if entered:
            # withdraw so the next round starts clean
            from core.models import Registration

            Registration.update(status="withdrawn").where(Registration.member == sd.people["A3"].id).execute()
        results.clear()


def test_pages_render_for_organizer_captain_and_visitor(app, client, factory, login_as):
    sd = staff_day(factory)
    account_for(factory, sd, "A1")
    login_as("org")
    for url in (f"/sports/events/{sd.event.id}", f"/sports/events/{sd.event.id}/items/new",
                f"/sports/items/{sd.items['拔河'].id}/edit", f"/sports/events/{sd.event.id}/prizes",
                f"/sports/events/{sd.event.id}/referees", f"/events/{sd.event.id}"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "项目与秩序册" in text_of(client.get(f"/events/{sd.event.id}"))
    bad = client.post(f"/sports/events/{sd.event.id}/items/new", data={"name": "跳远", "start": "9点", "end": ""})
    assert bad.status_code == 422 and "时间应写成 时:分" in text_of(bad)
    assert not Item.select().where(Item.name == "跳远").exists()
    client.post("/logout")
    login_as("ua1")
    assert client.get(f"/sports/events/{sd.event.id}/referees").status_code == 200
    assert client.get(f"/sports/events/{sd.event.id}/prizes").status_code == 403
    client.post("/logout")
    assert client.get(f"/sports/events/{sd.event.id}/schedule").status_code == 200


def test_calendar_feeds_of_a_sports_day_carry_its_kind(app, client, factory):
    """The event's own .ics and its unit's feed: the activity type's label (a lazy string) is the category."""
    school = factory.school()["school"]
    event = factory.event(school, activity_type="sports_day", preset="staff_sports_day", starts_in_days=30)
    for url in (f"/events/{event.id}.ics", f"/units/{school.id}/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        calendar = icalendar.Calendar.from_ical(response.data)
        parent = next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"event-{event.id}@"))
        assert [str(c) for c in parent["CATEGORIES"].cats] == ["教职工体育竞赛"]
        items = [e for e in calendar.walk("VEVENT") if "-item-" in str(e["UID"])]
        assert len(items) == 5 and all(str(e["CATEGORIES"].cats[0]) == "体育竞赛" for e in items)


def test_the_knockouts_have_their_own_sign_in_for_their_entrants_only(app, client, factory, login_as):
    from plugins.checkin import checkpoints
    from plugins.checkin.attendance import attendances
    from plugins.checkin.models import Checkpoint

    sd = staff_day(factory)
    own = {cp.item_id: cp for cp in Checkpoint.select().where(Checkpoint.event == sd.event.id,
                                                               Checkpoint.item.is_null(False))}
    assert set(own) == {sd.items["乒乓球单打"].id, sd.items["羽毛球单打"].id}
    table_tennis = own[sd.items["乒乓球单打"].id]
    assert (table_tennis.name, table_tennis.place) == ("检录：乒乓球单打", "乒乓球室")
    assert table_tennis.starts_at == sd.items["乒乓球单打"].starts_at and not table_tennis.in_calendar
    account_for(factory, sd, "A2")
    account_for(factory, sd, "A3")
    post(login_client(app, "ua2"), f"/api/v1/events/{sd.event.id}/registrations",
         {"items": [sd.items["乒乓球单打"].id], "team_id": sd.teams["A"].id}, 201)
    post(login_client(app, "ua3"), f"/api/v1/events/{sd.event.id}/registrations",
         {"items": [sd.items["定点投篮"].id], "team_id": sd.teams["A"].id}, 201)
    expected = [p.name for p in attendances(sd.event, table_tennis)]
    assert expected == [sd.people["A2"].name]
    assert len(attendances(sd.event, checkpoints.ensure_main(sd.event))) == 2
    # the organizer turns it off on the item's page: the checkpoint goes (nobody signed in there yet)
    login_as("org")
    item = sd.items["羽毛球单打"]
    form = {"name": item.name, "kind": "individual", "start": "09:40", "end": "11:00", "place": "羽毛球馆",
            "per_team": "3", "measure": "match", "tie_rule": "share", "game_rule": "badminton",
            "points": "3/2/1", "prizes": "30/20/10"}
    client.post(f"/sports/items/{item.id}/edit", data=form)
    assert not Checkpoint.select().where(Checkpoint.item == item.id).exists()
    client.post(f"/sports/items/{item.id}/edit", data={**form, "sign_in": "1"})
    assert Checkpoint.get(Checkpoint.item == item.id).key == f"item-{item.id}"
