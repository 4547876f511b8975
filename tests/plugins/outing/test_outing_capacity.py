"""A vehicle's seats hold under concurrent assignments: threads, each with its own test client, give
different people seats in the same small bus at once (SQLite file, or PostgreSQL when configured)."""

from __future__ import annotations

import threading

from core.services import registrations as reg_service
from plugins.outing.models import Seat
from tests.plugins.outing.support import bearer, outing


def _fire(app, url, bodies, headers):
    barrier = threading.Barrier(len(bodies))
    results = [None] * len(bodies)

    def worker(index, body):
        client = app.test_client()
        barrier.wait()
        response = client.post(url, json=body, headers=headers)
        results[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=worker, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _people(factory, school, event, organizer, n):
    regs = [reg_service.register(event, reg_service.Request(member=factory.member(school["g1"])), account=organizer)
            for _ in range(n)]
    return [f"r{r.id}" for r in regs]


def test_eight_people_for_the_last_three_seats(app, factory, client):
    school, organizer, event = outing(factory, "heyuan")
    headers = bearer(organizer)
    keys = _people(factory, school, event, organizer, 9)
    bus = client.post(f"/api/v1/outing/events/{event.id}/vehicles",
                      json={"name": "小车", "seats": 4, "departs_at": "2030-05-01T09:30"}, headers=headers).get_json()
    assert client.post(f"/api/v1/outing/events/{event.id}/seats", json={"person": keys[0], "vehicle_id": bus["id"]},
                       headers=headers).status_code == 201
    results = _fire(app, f"/api/v1/outing/events/{event.id}/seats",
                    [{"person": k, "vehicle_id": bus["id"]} for k in keys[1:]], headers)
    codes = sorted(status for status, _body in results)
    assert codes == [201] * 3 + [409] * 5, results
    assert all("已坐满" in body["message"] for status, body in results if status == 409)
    numbers = sorted(s.number for s in Seat.select().where(Seat.vehicle == bus["id"]))
    assert numbers == [1, 2, 3, 4]


def test_two_people_for_one_seat_number(app, factory, client):
    school, organizer, event = outing(factory, "heyuan")
    headers = bearer(organizer)
    keys = _people(factory, school, event, organizer, 6)
    bus = client.post(f"/api/v1/outing/events/{event.id}/vehicles",
                      json={"name": "小车", "seats": 10, "departs_at": "2030-05-01T09:30"}, headers=headers).get_json()
    results = _fire(app, f"/api/v1/outing/events/{event.id}/seats",
                    [{"person": k, "vehicle_id": bus["id"], "number": 7} for k in keys], headers)
    assert sorted(status for status, _body in results) == [201] + [409] * 5, results
    assert Seat.select().where(Seat.vehicle == bus["id"]).count() == 1
    r = client.post(f"/api/v1/outing/events/{event.id}/seats", json={"person": keys[0], "vehicle_id": bus["id"],
                                                                   "number": 11}, headers=headers)
    assert r.status_code == 422 and "只有 1–10 号座位" in r.get_json()["message"]
