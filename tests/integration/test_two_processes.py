"""Two real app processes on one database: rules that must hold under concurrency hold across
processes too (registrations at the last places, one 送温暖 payment per household and campaign, one
sign-in per person and checkpoint however many scanners read the code at once)."""

from __future__ import annotations

from collections import Counter

import pytest

from core.models import Registration
from core.services import registrations as service
from core.services.accounts import issue_token
from core.services.registrations import save_rules
from tests.integration.conftest import fire
from tests.plugins.warmth.conftest import YEAR, account_number

pytestmark = pytest.mark.slow


def test_last_places_across_two_processes(servers, factory):
    school = factory.school()
    event = factory.event(school["school"], capacity=10)
    save_rules(event, {"waitlist": False})
    admin = factory.account(roles=["admin"])
    for _ in range(5):
        service.register(event, service.Request(member=factory.member(school["g1"])), account=admin)
    members = [factory.member(school["g2"]) for _ in range(20)]
    tokens = [issue_token(factory.account(member=m)) for m in members]
    # every member sends the same registration to both processes at once
    calls = [(f"{server.url}/api/v1/events/{event.id}/registrations", {}, token)
             for token in tokens for server in servers]

    results = fire(calls)

    assert {status for status, _body in results} <= {200, 201, 409}, results
    accepted = {body["member"]["id"] for status, body in results if status in (200, 201)}
    refused = [body["message"] for status, body in results if status == 409]
    assert len(accepted) == 5
    assert refused and set(refused) == {"【名额】本活动限 10 人，名额已满"}
    active = list(Registration.select().where(Registration.event == event, Registration.status == "active"))
    assert len(active) == 10
    rows_per_member = Counter(r.member_id for r in Registration.select().where(Registration.event == event))
    assert max(rows_per_member.values()) == 1
    assert accepted <= {r.member_id for r in active}


def test_one_payment_per_household_across_two_processes(servers, world):
    household = world.approve(world.household("bus"))
    world.fund("district", "400000", "donation")
    campaign = world.campaign("district", standard="1000")
    tokens = [issue_token(world.accounts["officer"]), issue_token(world.accounts["district_officer"])]
    body = {"household_id": household.id, "amount": "1000", "bank_account": account_number(1),
            "paid_on": f"{YEAR}-01-21"}
    calls = [(f"{server.url}/api/v1/warmth/campaigns/{campaign.id}/payments", body, token)
             for server in servers for token in tokens for _ in range(3)]

    results = fire(calls)

    from plugins.warmth.models import Payment

    statuses = sorted(status for status, _body in results)
    assert statuses == [201] + [409] * (len(calls) - 1), results
    assert Payment.select().where(Payment.household == household).count() == 1


def test_one_sign_in_per_person_and_checkpoint_across_two_processes(servers, factory):
    from plugins.checkin import checkpoints
    from plugins.checkin.models import CheckIn
    from tests.plugins.checkin.helpers import code_of, setup

    s = setup(factory, people=12)
    checkpoints.save(s.event, {"key": "gate", "name": "东门集合", "place": "学校东门"})
    second_token = issue_token(s.organizer, "second scanner")
    first = s.registrations[0]
    # the same code scanned at both doors of both processes at once, by two scanners each
    same_code = [(f"{server.url}/api/v1/checkins", {"event_id": s.event.id, "code": code_of(first),
                                                    "checkpoint": checkpoint}, token)
                 for server in servers for token in (s.token, second_token)
                 for checkpoint in ("main", "gate") for _ in range(3)]
    # and every other code, each sent to both processes at the main checkpoint
    many_codes = [(f"{server.url}/api/v1/checkins", {"event_id": s.event.id, "code": code_of(r)}, token)
                  for r in s.registrations[1:] for server, token in zip(servers, (s.token, second_token), strict=True)]

    results = fire(same_code + many_codes)

    assert all(status == 200 and body["ok"] for status, body in results), results
    firsts = Counter((body["registration_id"], body["checkpoint"]) for _s, body in results if not body["already"])
    assert set(firsts.values()) == {1}  # every person and checkpoint signed in once, the others "already"
    assert set(firsts) == ({(first.id, "main"), (first.id, "gate")}
                           | {(r.id, "main") for r in s.registrations[1:]})
    rows = Counter((c.registration_id, c.checkpoint.key) for c in CheckIn.select())
    assert rows == Counter(firsts)  # nothing lost, nothing doubled
    # every answer for one person and checkpoint names the same sign-in time
    times = {}
    for _s, body in results:
        times.setdefault((body["registration_id"], body["checkpoint"]), set()).add(body["at"])
    assert all(len(found) == 1 for found in times.values())


def test_the_earliest_trusted_scan_counts_when_devices_upload_at_once_to_two_processes(servers, factory):
    """Offline phones upload scans of the same person read at different times, all at once to both
    processes: whatever the order in which they land, the earliest trusted time is the one kept."""
    from datetime import timedelta

    from plugins.checkin.models import CheckIn
    from tests.plugins.checkin.helpers import code_of, event_now, list_token_of, setup

    school = factory.school()
    s = setup(factory, people=1, school=school,
              event=event_now(factory, school, start_offset=timedelta(minutes=-40)))
    token = list_token_of(s.event, None, s.event.starts_at - timedelta(hours=1))
    reads = [s.event.starts_at + timedelta(minutes=m) for m in (25, 3, 14, -6, 9, 20, -2, 30)]
    calls = [(f"{servers[i % 2].url}/api/v1/checkins/batch",
              {"event_id": s.event.id, "list_token": token,
               "scans": [{"code": code_of(s.registrations[0]), "client_scan_id": f"phone-{i}",
                          "scanned_at": at.isoformat() + "+00:00"}]}, s.token)
             for i, at in enumerate(reads)]

    results = fire(calls)

    assert {status for status, _body in results} == {200}, results
    assert all(body["results"][0]["ok"] for _status, body in results)
    row = CheckIn.get()
    assert CheckIn.select().count() == 1
    assert (row.scanned_at, row.status, row.client_scan_id) == (min(reads), "on_time", "phone-3")


def _form_poster(url: str):
    """A browser of its own (cookie jar) that has opened the form at ``url``: returns a function that posts
    the form's fields with its CSRF token and gives back the status (redirects not followed)."""
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
    page = opener.open(url, timeout=30).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def post(fields: dict) -> int:
        data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
        try:
            with opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    return post


def test_one_activation_code_sets_one_password_across_two_processes(servers, app, factory):
    """A slip's code typed on several phones at once (both processes): one password is set, the others are
    refused, and the account logs in with that one only."""
    import threading

    from core.models import Account, ActivationCode
    from core.services import activation
    from tests.support import login

    school = factory.school()
    factory.member(school["g1"], name="王晓红", staff_no="T1001")
    organizer = factory.account("organizer", roles=[("organizer", school["school"])])
    activation.open_accounts(school["g1"], by=organizer)
    code = activation.latest_code(Account.get(Account.username == "T1001")).code
    # as many phones as one code may be tried in the window (more are told to wait: 429)
    posters = [_form_poster(f"{servers[i % 2].url}/activate/code") for i in range(app.config["LOGIN_MAX_FAILURES"])]
    barrier = threading.Barrier(len(posters))
    statuses = [None] * len(posters)

    def phone(index):
        barrier.wait()
        password = f"password-of-phone-{index}"
        statuses[index] = posters[index]({"code": code, "password": password, "confirm": password})

    threads = [threading.Thread(target=phone, args=(i,)) for i in range(len(posters))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sorted(statuses) == [302] + [422] * (len(posters) - 1), statuses
    winner = statuses.index(302)
    assert ActivationCode.get().used_at is not None
    login(app.test_client(), "T1001", f"password-of-phone-{winner}")


def test_the_workers_of_one_serve_share_no_database_connection(app, factory, tmp_path):
    """``huodong serve`` checks for pending migrations before it forks its workers: what that check opened
    must not be inherited by both (two processes on one PostgreSQL connection fail at random)."""
    import time

    from plugins.checkin.models import CheckIn
    from tests.integration.conftest import START_TIMEOUT, Server, _free_port, server_env
    from tests.plugins.checkin.helpers import code_of, setup

    s = setup(factory, people=40)
    server = Server(_free_port(set()), server_env(app, tmp_path), tmp_path / "serve.log", workers=2)
    try:
        server.wait_ready(time.monotonic() + START_TIMEOUT)
        calls = [(f"{server.url}/api/v1/checkins", {"event_id": s.event.id, "code": code_of(r)}, s.token)
                 for r in s.registrations] * 3
        results = fire(calls)
    finally:
        server.stop()
    assert [status for status, _body in results] == [200] * len(calls), server.output()
    assert CheckIn.select().count() == 40
