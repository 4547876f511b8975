"""Fifty scanners read the same code at once: the database keeps exactly one sign-in.

Each thread has its own test client against the same app, so the requests reach the real database
(SQLite file, or PostgreSQL with HUODONG_TEST_DATABASE_URL) concurrently.
"""

import threading

from plugins.checkin.models import CheckIn
from tests.plugins.checkin.helpers import code_of, setup


def _fire(app, requests):
    barrier = threading.Barrier(len(requests))
    answers = [None] * len(requests)

    def worker(index, payload, headers):
        client = app.test_client()
        barrier.wait()
        response = client.post("/api/v1/checkins", json=payload, headers=headers)
        answers[index] = (response.status_code, response.get_json())

    threads = [threading.Thread(target=worker, args=(i, *r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def test_fifty_concurrent_scans_of_one_code_make_one_sign_in(app, factory):
    s = setup(factory, people=2)
    reg = s.registrations[0]
    payload = {"event_id": s.event.id, "code": code_of(reg)}
    answers = _fire(app, [(payload, s.headers)] * 50)
    assert all(status == 200 and body["ok"] for status, body in answers), answers[:3]
    assert sum(not body["already"] for _s, body in answers) == 1
    assert len({body["at"] for _s, body in answers}) == 1
    assert CheckIn.select().where(CheckIn.registration == reg.id).count() == 1


def test_concurrent_scans_of_many_codes_each_count_once(app, factory):
    s = setup(factory, people=10)
    requests = [({"event_id": s.event.id, "code": code_of(r)}, s.headers) for r in s.registrations] * 4
    answers = _fire(app, requests)
    assert all(status == 200 and body["ok"] for status, body in answers)
    assert sum(not body["already"] for _s, body in answers) == 10
    assert CheckIn.select().count() == 10
