"""Roll call at the gathering stops through the sign-in plugin: the stops are its checkpoints and
follow the itinerary, the venue code and the organizer's excuses count at a stop, a volunteer
dispatcher may call the roll, and the outing's migration 002 turns the old roll-call rows into sign-ins."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

from core.db import db
from core.models import Account, Registration
from core.timeutil import from_local, to_local, utcnow
from plugins.checkin import checkpoints, public, selfservice
from plugins.checkin.models import CheckIn, Checkpoint
from plugins.outing import itinerary
from plugins.outing.models import Stop
from tests.plugins.outing.support import bearer, outing, register
from tests.support import text_of

ROLL_CALL_MIGRATION = Path(itinerary.__file__).parent / "migrations" / "002_roll_call_into_checkin.py"


def _migration(path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gathering(event):
    return list(Stop.select().where(Stop.event == event, Stop.gathering == True).order_by(Stop.starts_at))  # noqa: E712


def test_every_gathering_stop_of_the_seed_plans_is_a_checkpoint(app, factory):
    school = factory.school()
    for preset, count in (("heyuan", 5), ("yelidao", 2), ("shenlongzhai", 4)):
        event = factory.event(school["school"], activity_type="outing", preset=preset, starts_in_days=10, hours=8)
        stops = _gathering(event)
        assert len(stops) == count
        keys = dict(public.checkpoint_keys(event))
        for stop in stops:
            assert keys[stop.key] == f"集合点名：{stop.title}"
            cp = Checkpoint.get(Checkpoint.event == event.id, Checkpoint.key == stop.key)
            assert (cp.starts_at, cp.closes_at) == (stop.starts_at, stop.starts_at + timedelta(minutes=30))
            assert cp.place == stop.place[:100]


def test_stop_changes_move_add_and_remove_the_checkpoint(app, factory, client):
    school, organizer, event = outing(factory, "yelidao")
    headers = bearer(organizer)
    member = factory.member(school["g1"], "甲老师")
    register(client, event, member, headers)
    gather, back = _gathering(event)
    local = to_local(back.starts_at, event.timezone).replace(tzinfo=None)
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{back.id}",
                    json={"starts_at": local.replace(hour=15).isoformat(), "ends_at": local.replace(hour=16).isoformat(),
                          "title": "返程点名", "place": "野狸岛停车场"}, headers=headers)
    assert r.status_code == 200
    cp = Checkpoint.get(Checkpoint.event == event.id, Checkpoint.key == back.key)
    assert (cp.name, cp.place) == ("集合点名：返程点名", "野狸岛停车场")
    assert (cp.starts_at, cp.closes_at) == (from_local(local.replace(hour=15), event.timezone),
                                            from_local(local.replace(hour=16), event.timezone))
    # A new gathering stop becomes a checkpoint; a stop that is no longer one loses it.
    r = client.post(f"/api/v1/outing/events/{event.id}/stops", json={
        "starts_at": local.replace(hour=11).isoformat(), "title": "午餐集合", "gathering": True}, headers=headers)
    lunch = r.get_json()
    assert r.status_code == 201 and lunch["key"] in dict(public.checkpoint_keys(event))
    assert client.post(f"/api/v1/outing/events/{event.id}/stops/{lunch['id']}", json={"gathering": False},
                       headers=headers).status_code == 200
    assert lunch["key"] not in dict(public.checkpoint_keys(event))
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{lunch['id']}/roll-call",
                    json={"person": f"r{Registration.get(Registration.member == member).id}"}, headers=headers)
    assert r.status_code == 409 and "不是集合点" in r.get_json()["message"]
    # Once somebody signed in at a stop, it stays a gathering stop (attendance is not thrown away).
    person = f"r{Registration.get(Registration.member == member).id}"
    assert client.post(f"/api/v1/outing/events/{event.id}/stops/{gather.id}/roll-call", json={"person": person},
                       headers=headers).status_code == 200
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{gather.id}", json={"gathering": False},
                    headers=headers)
    assert r.status_code == 409 and "已有人签到" in r.get_json()["message"]
    assert Stop.get_by_id(gather.id).gathering is True
    assert gather.key in dict(public.checkpoint_keys(event))


def test_venue_code_and_excuses_count_at_a_stop(app, factory, client, login_as):
    school, organizer, event = outing(factory, "yelidao")
    headers = bearer(organizer)
    people = [factory.member(school["g1"], name) for name in ("甲老师", "乙老师", "丙老师")]
    for person in people:
        register(client, event, person, headers)
    gather = _gathering(event)[0]
    soon = to_local(utcnow() + timedelta(minutes=10), event.timezone).replace(tzinfo=None, microsecond=0)
    itinerary.update_stop(gather, {"starts_at": from_local(soon, event.timezone)}, account=organizer)
    # 甲 scans the venue code of the stop with his phone.
    info = checkpoints.info(event.id, gather.key)
    code, _left = selfservice.current_code(info)
    factory.account("jia", member=people[0])
    login_as(Account.get(Account.username == "jia"))
    page = client.get(f"/checkin/v/{code}").get_data(as_text=True)
    ticket = page.split('name="ticket" value="')[1].split('"')[0]
    page = client.post(f"/checkin/v/{code}", data={"ticket": ticket})
    assert "签到成功" in page.get_data(as_text=True)
    # 乙 asked for leave: the organizer excuses him on the sign-in pages.
    login_as(organizer)
    reg_b = Registration.get(Registration.member == people[1])
    client.post(f"/checkin/events/{event.id}/manual?checkpoint={gather.key}",
                data={"action": "excuse", "registration_id": reg_b.id, "reason": "家中有事"})
    result = client.get(f"/api/v1/outing/events/{event.id}/stops/{gather.id}/missing", headers=headers).get_json()
    assert (result["expected"], result["present"]) == (3, 1)
    assert [p["name"] for p in result["missing"]] == ["丙老师"] and [p["name"] for p in result["excused"]] == ["乙老师"]
    page = text_of(client.get(f"/outing/{event.id}/stops/{gather.id}/roll-call"))
    assert "应到 3 人，已到 1 人，未到 1 人" in page and "请假" in page and "扫码签到" in page
    assert public.attendance_status(event, people[0], gather.key) == "on_time"
    assert public.attendance_status(event, people[1], gather.key) == "excused"


def test_a_volunteer_dispatcher_calls_the_roll(app, factory, client, login_as):
    school, organizer, event = outing(factory, "shenlongzhai")
    member = factory.member(school["g1"], "甲老师")
    register(client, event, member, bearer(organizer))
    dispatcher = factory.account("longqiuhua", member=factory.member(school["g2"], "龙秋花", "F"),
                                 roles=[("volunteer", None, event)])
    stranger = factory.account("someone", member=factory.member(school["g2"], "路人"))
    stop = _gathering(event)[0]
    person = f"r{Registration.get(Registration.member == member).id}"
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{stop.id}/roll-call", json={"person": person},
                    headers=bearer(stranger))
    assert r.status_code == 403
    r = client.post(f"/api/v1/outing/events/{event.id}/stops/{stop.id}/roll-call", json={"person": person},
                    headers=bearer(dispatcher))
    assert r.status_code == 200
    assert CheckIn.get(CheckIn.member == member.id).account_id == dispatcher.id


def test_roll_call_migration_turns_roll_calls_into_sign_ins(app, factory):
    school, _organizer, event = outing(factory, None)
    start = event.starts_at
    first = Stop.create(event=event, starts_at=start, title="集合", place="学校东门", gathering=True)
    second = Stop.create(event=event, starts_at=start + timedelta(hours=6), title="返程集合", gathering=True)
    Stop.create(event=event, starts_at=start + timedelta(hours=1), title="午餐")
    a, b = factory.member(school["g1"], "甲老师"), factory.member(school["g1"], "乙老师")
    reg_a, reg_b = Registration.create(event=event, member=a), Registration.create(event=event, member=b)
    db.execute_sql('CREATE TABLE roll_call (id INTEGER PRIMARY KEY, stop_id INTEGER NOT NULL, '
                   'registration_id INTEGER NOT NULL, guest_id INTEGER, person VARCHAR(20) NOT NULL, '
                   '"at" TIMESTAMP NOT NULL, "by" VARCHAR(60) NOT NULL)')
    try:
        rows = [(1, first.id, reg_a.id, None, f"r{reg_a.id}", start - timedelta(minutes=5), "王珺"),
                (2, first.id, reg_a.id, 99, "g99", start - timedelta(minutes=3), "王珺"),  # his wife, later
                (3, first.id, reg_b.id, None, f"r{reg_b.id}", start + timedelta(minutes=4), ""),
                (4, second.id, reg_b.id, None, f"r{reg_b.id}", start + timedelta(hours=5), "")]
        p = db.param
        for row in rows:
            db.execute_sql(f"INSERT INTO roll_call VALUES ({', '.join([p] * 7)})", row)
        _migration(ROLL_CALL_MIGRATION).move_roll_calls(db)
    finally:
        db.execute_sql("DROP TABLE roll_call")
    keys = dict(public.checkpoint_keys(event))
    assert keys[first.key] == "集合点名：集合" and keys[second.key] == "集合点名：返程集合"
    assert len(keys) == 3  # the main one and the two gathering stops
    assert not Checkpoint.get(Checkpoint.event == event.id, Checkpoint.key == first.key).in_calendar
    rows = {(c.checkpoint.key, c.registration_id): c for c in CheckIn.select()}
    assert set(rows) == {(first.key, reg_a.id), (first.key, reg_b.id), (second.key, reg_b.id)}
    assert rows[(first.key, reg_a.id)].scanned_at == start - timedelta(minutes=5)
    assert (rows[(first.key, reg_a.id)].status, rows[(first.key, reg_b.id)].status) == ("on_time", "late")
    assert (rows[(first.key, reg_a.id)].source, rows[(first.key, reg_a.id)].reason) == ("manual", "集合点名（王珺）")
    assert public.attendance_status(event, b, second.key) == "on_time"


def test_two_dispatchers_calling_one_family_at_once_make_one_sign_in(app, factory, client):
    import threading

    school, organizer, event = outing(factory, "yelidao")
    headers = bearer(organizer)
    member = factory.member(school["g1"], "甲老师")
    r = register(client, event, member, headers, [{"name": "甲妻", "relation": "配偶", "gender": "F"},
                                                  {"name": "甲娃", "relation": "子女", "is_child": True}])
    reg_id = r.get_json()["id"]
    keys = [p["key"] for p in client.get(f"/api/v1/outing/events/{event.id}/costs", headers=headers)
            .get_json()["people"]]
    assert len(keys) == 3
    second = factory.account("dispatcher2", roles=[("volunteer", None, event)])
    callers = [headers, bearer(second)]
    stop = _gathering(event)[0]
    requests = [(keys[i % 3], callers[i % 2]) for i in range(12)]
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def worker(index, person, auth):
        mine = app.test_client()
        barrier.wait()
        response = mine.post(f"/api/v1/outing/events/{event.id}/stops/{stop.id}/roll-call", json={"person": person},
                             headers=auth)
        answers[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=worker, args=(i, *req)) for i, req in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(status == 200 for status, _body in answers), answers[:3]
    assert sum(not body["already"] for _status, body in answers) == 1
    assert len({body["at"] for _status, body in answers}) == 1
    assert CheckIn.select().where(CheckIn.registration == reg_id).count() == 1
