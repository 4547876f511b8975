"""The hooks the sign-in plugin implements and fires, each through the real plugin manager."""

import io
import types

from openpyxl import load_workbook

from core import hookimpl
from core.db import db
from plugins.checkin.models import MODELS
from tests.plugins.checkin.helpers import code_of, scan, setup
from tests.support import text_of


def test_hook_attendance(app, client, factory):
    s = setup(factory)
    pm = app.extensions["huodong_pm"]
    scan(client, s, code_of(s.registrations[0]))
    assert pm.hook.huodong_attendance(event=s.event, member=s.members[0], checkpoint=None) == "on_time"
    assert pm.hook.huodong_attendance(event=s.event, member=s.members[1], checkpoint=None) is None
    assert pm.hook.huodong_attendance(event=s.event, member=s.members[0], checkpoint="nope") is None


def test_hook_attendance_many(app, client, factory):
    s = setup(factory)
    pm = app.extensions["huodong_pm"]
    ids = [m.id for m in s.members]
    assert pm.hook.huodong_attendance_many(event=s.event, member_ids=ids, checkpoint=None) is None
    scan(client, s, code_of(s.registrations[0]))
    answer = pm.hook.huodong_attendance_many(event=s.event, member_ids=ids, checkpoint=None)
    assert answer == {s.members[0].id: "on_time"}  # the others may still come


def test_a_database_error_is_not_taken_for_an_event_without_sign_in(app, client, factory):
    """Prize rules read "no answer" as "sign-in not used" and pay everybody: a failing database must
    fail the request instead."""
    import peewee
    import pytest

    s = setup(factory)
    pm = app.extensions["huodong_pm"]
    scan(client, s, code_of(s.registrations[0]))
    table = MODELS[0]._meta.table_name
    db.execute_sql(f'ALTER TABLE "{table}" RENAME TO "{table}_away"')
    try:
        with pytest.raises(peewee.DatabaseError):
            pm.hook.huodong_attendance(event=s.event, member=s.members[0], checkpoint="nope")
        with pytest.raises(peewee.DatabaseError):
            pm.hook.huodong_attendance_many(event=s.event, member_ids=[s.members[0].id], checkpoint="nope")
    finally:
        db.execute_sql(f'ALTER TABLE "{table}_away" RENAME TO "{table}"')


def test_hook_checked_in(app, make_app):
    calls = []
    recorder = types.ModuleType("recorder")
    recorder.__file__ = __file__

    @hookimpl
    def huodong_checked_in(event, member, checkpoint, status, at):
        calls.append((event.id, member.name, checkpoint, status, at))

    recorder.huodong_checked_in = huodong_checked_in
    app = make_app(extra_plugins=[("recorder", recorder)])
    with app.app_context():
        db.connect(reuse_if_open=True)
        from tests.support import Factory

        s = setup(Factory(app))
        client = app.test_client()
        scan(client, s, code_of(s.registrations[0]))
        scan(client, s, code_of(s.registrations[0]))  # already: not announced again
        db.close()
    assert len(calls) == 1
    event_id, name, checkpoint, status, at = calls[0]
    assert (event_id, name, checkpoint, status) == (s.event.id, "教师1", None, "on_time") and at is not None


def test_hook_models(app):
    assert set(MODELS) <= set(m for part in app.extensions["huodong_pm"].hook.huodong_models() for m in part)


def test_hook_permissions(app):
    perms = app.extensions["huodong_permissions"]
    assert "volunteer" in perms["checkin.scan"].roles and "referee" in perms["checkin.scan"].roles
    assert perms["checkin.manage"].roles == ("organizer",)


def test_hook_menu_items(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    page = client.get(f"/events/{s.event.id}").get_data(as_text=True)
    assert f'href="/checkin/events/{s.event.id}/"' in page
    assert client.get(f"/checkin/events/{s.event.id}/").status_code == 200


def test_hook_event_sections(app, client, factory, login_as):
    s = setup(factory)
    login_as(factory.account("t1", member=s.members[0]))
    assert "我的签到码" in text_of(client.get(f"/events/{s.event.id}"))
    client.post("/logout")
    login_as(factory.account("t9", member=factory.member(s.school["g1"])))
    assert "我的签到码" not in text_of(client.get(f"/events/{s.event.id}"))


def test_hook_export_sheets(app, client, factory, login_as):
    s = setup(factory)
    scan(client, s, code_of(s.registrations[0]))
    login_as(s.organizer)
    response = client.get(f"/events/{s.event.id}/export/checkin.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("签到点", "姓名", "工号", "单位")
    by_name = {r[1]: r for r in rows[1:]}
    assert len(by_name) == 4
    assert by_name["教师1"][6] == "准时" and by_name["教师1"][5] is not None
    assert by_name["教师2"][9] == "未签到" and by_name["教师2"][5] is None


def test_hook_demo_data(app):
    from core.demo import build
    from plugins.checkin.models import CheckIn, Checkpoint

    with app.test_request_context():
        build(app.extensions["huodong_pm"])
    assert Checkpoint.select().count() >= 2
    assert CheckIn.select().count() > 10
    assert CheckIn.select().where(CheckIn.status == "late").exists()


def test_hook_calendar_components(app, client, factory):
    from datetime import timedelta

    from icalendar import Calendar

    from core.calendar import build_calendar
    from core.models import Entry, Item
    from plugins.checkin import checkpoints

    s = setup(factory)
    item = Item.create(event=s.event, name="拔河", kind="team")
    Entry.create(item=item, registration=s.registrations[0], member=s.members[0])
    start = s.event.starts_at
    checkpoints.save(s.event, {"key": "gather", "name": "东门集合", "place": "学校东门",
                               "opens_at": start - timedelta(minutes=30), "starts_at": start})
    checkpoints.save(s.event, {"key": "tug", "name": "拔河检录", "item": item.id})
    pm = app.extensions["huodong_pm"]
    mine = [i for part in pm.hook.huodong_calendar_components(event=s.event, member=s.members[0]) for i in part]
    other = [i for part in pm.hook.huodong_calendar_components(event=s.event, member=s.members[1]) for i in part]
    assert sorted(i.summary.split(" · ")[1] for i in mine) == sorted(["拔河检录", "东门集合"])
    assert [i.summary.split(" · ")[1] for i in other] == ["东门集合"]
    gather = next(i for i in mine if "东门" in i.summary)
    assert gather.location == "学校东门" and (gather.end - gather.start) == timedelta(minutes=30)
    ics = build_calendar(mine, name="test")
    parsed = Calendar.from_ical(ics)
    assert len(list(parsed.walk("VEVENT"))) == 2


def test_hook_calendar_components_batch(app, client, factory):
    """Many events' checkpoints in one call, the same as asked one event at a time, and in the real feeds."""
    from datetime import timedelta

    from icalendar import Calendar

    from core.models import Entry, Item
    from core.services.feed_tokens import feed_token
    from plugins.checkin import checkpoints
    from tests.plugins.checkin.helpers import event_now

    s = setup(factory)
    second = event_now(factory, s.school, title="秋季健步走")
    quiet = event_now(factory, s.school, title="教职工大会")  # no checkpoint but the main one
    item = Item.create(event=s.event, name="拔河", kind="team")
    Entry.create(item=item, registration=s.registrations[0], member=s.members[0])
    start = s.event.starts_at
    checkpoints.save(s.event, {"key": "gather", "name": "东门集合", "place": "学校东门",
                               "opens_at": start - timedelta(minutes=30), "starts_at": start})
    checkpoints.save(s.event, {"key": "tug", "name": "拔河检录", "item": item.id})
    checkpoints.save(second, {"key": "gather", "name": "西门集合", "place": "学校西门"})
    pm = app.extensions["huodong_pm"]
    events = [s.event, second, quiet]
    for member in (None, s.members[0], s.members[1]):
        batch = {}
        for answer in pm.hook.huodong_calendar_components_batch(events=events, member=member):
            batch.update(answer)
        for event in events:
            single = [i for part in pm.hook.huodong_calendar_components(event=event, member=member) for i in part]
            assert batch.get(event.id, []) == single
    assert quiet.id not in batch and second.id not in batch  # members[1] is registered for s.event only

    feed = Calendar.from_ical(client.get(f"/units/{s.school['g1'].id}/calendar.ics").data)
    summaries = sorted(str(c["SUMMARY"]) for c in feed.walk("VEVENT"))
    assert f"{s.event.title} · 拔河检录" in summaries and "秋季健步走 · 西门集合" in summaries
    with app.test_request_context():
        token = feed_token(s.members[1])
    mine = Calendar.from_ical(client.get(f"/calendar/{token}.ics").data)
    assert sorted(str(c["SUMMARY"]) for c in mine.walk("VEVENT")) == sorted(
        [s.event.title, f"{s.event.title} · 东门集合"])
