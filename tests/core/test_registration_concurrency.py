"""Capacity and places per team hold under concurrent submissions: threads, each with its own test
client, hit the same app and the real database (SQLite file, or PostgreSQL when configured) at once."""

from __future__ import annotations

import threading

from core.models import Entry, Item, Registration
from core.services import registrations as service
from core.services.accounts import issue_token
from core.services.registrations import save_rules


def _crowd(factory, unit, n):
    """``n`` members, each with an API token."""
    return [issue_token(factory.account(member=factory.member(unit))) for _ in range(n)]


def _fire(app, url, tokens, body):
    """POST ``body`` to ``url`` once per token, all threads released together; return the responses."""
    barrier = threading.Barrier(len(tokens))
    results = [None] * len(tokens)

    def worker(index, token):
        client = app.test_client()
        barrier.wait()
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=worker, args=(i, t)) for i, t in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _fill(factory, event, unit, n, items=()):
    admin = factory.account(roles=["admin"])
    for _ in range(n):
        service.register(event, service.Request(member=factory.member(unit), items=list(items)), account=admin)


def test_fifty_at_the_last_five_places_waitlist(app, factory):
    school = factory.school()
    event = factory.event(school["school"], capacity=10)
    _fill(factory, event, school["g1"], 5)
    tokens = _crowd(factory, school["g2"], 50)
    results = _fire(app, f"/api/v1/events/{event.id}/registrations", tokens, {})
    assert all(status == 201 for status, _body in results), results[:3]
    statuses = [body["status"] for _status, body in results]
    assert statuses.count("active") == 5 and statuses.count("waitlisted") == 45
    assert Registration.select().where(Registration.event == event, Registration.status == "active").count() == 10
    positions = [r.waitlist_position for r in Registration.select().where(Registration.status == "waitlisted")]
    assert len(set(positions)) == 45
    assert sorted(body["waitlist_rank"] for _s, body in results if body["status"] == "waitlisted") == list(range(1, 46))


def test_fifty_at_the_last_five_places_refused(app, factory):
    school = factory.school()
    event = factory.event(school["school"], capacity=10)
    save_rules(event, {"waitlist": False})
    _fill(factory, event, school["g1"], 5)
    tokens = _crowd(factory, school["g2"], 50)
    results = _fire(app, f"/api/v1/events/{event.id}/registrations", tokens, {})
    accepted = [body for status, body in results if status == 201]
    refused = [body for status, body in results if status == 409]
    assert len(accepted) == 5 and len(refused) == 45
    assert {body["message"] for body in refused} == {"【名额】本活动限 10 人，名额已满"}
    assert Registration.select().where(Registration.event == event).count() == 10


def test_places_per_team_hold_under_concurrency(app, factory):
    school = factory.school()
    event = factory.event(school["school"])
    ping = Item.create(event=event, name="乒乓球单打", per_team=3)
    service.save_team(event, name="二楼办公室", unit_ids=[school["g1"].id])
    _fill(factory, event, school["g1"], 1, items=[ping.id])
    tokens = _crowd(factory, school["g1"], 20)
    results = _fire(app, f"/api/v1/events/{event.id}/registrations", tokens, {"items": [ping.id]})
    assert [s for s, _b in results].count(201) == 2
    assert {body["message"] for s, body in results if s == 409} == {
        "【每队名额】“乒乓球单打”每队限报 3 人，二楼办公室将有 4 人"}
    assert Entry.select().where(Entry.item == ping).count() == 3


def test_team_size_holds_under_concurrency(app, factory):
    school = factory.school()
    event = factory.event(school["school"])
    tug = Item.create(event=event, name="拔河", kind="team", team_size_min=10, team_size_max=10, min_women=2)
    service.save_team(event, name="三楼办公室", unit_ids=[school["g1"].id])
    _fill(factory, event, school["g1"], 6, items=[tug.id])  # six men: two more men, then only women
    men = [issue_token(factory.account(member=factory.member(school["g1"], gender="M"))) for _ in range(10)]
    women = [issue_token(factory.account(member=factory.member(school["g1"], gender="F"))) for _ in range(10)]
    results = _fire(app, f"/api/v1/events/{event.id}/registrations", men + women, {"items": [tug.id]})
    assert [s for s, _b in results].count(201) == 4
    genders = [e.member.gender for e in Entry.select().where(Entry.item == tug)]
    assert len(genders) == 10 and genders.count("M") <= 8
