"""POST /api/v1/checkins and the attendance listing, through the test client and a real database."""

from core.models import Registration
from plugins.checkin.models import CheckIn, FailedScan
from tests.plugins.checkin.helpers import code_of, event_now, register, scan, setup


def test_scan_signs_in_once_and_the_second_scan_says_already(app, client, factory):
    s = setup(factory)
    reg = s.registrations[0]
    first = scan(client, s, code_of(reg))
    assert first.status_code == 200
    body = first.get_json()
    assert body["ok"] and body["result"] == "ok" and not body["already"]
    assert body["name"] == "教师1" and body["unit"] == "初一年级组" and body["status"] == "on_time"
    second = scan(client, s, code_of(reg)).get_json()
    assert second["ok"] and second["already"] and second["result"] == "already"
    assert second["at"] == body["at"]
    assert f"已于 {body['at_local']} 签到" == second["message"]
    assert CheckIn.select().where(CheckIn.registration == reg.id).count() == 1


def test_codes_of_another_event_or_withdrawn_or_forged_are_refused_and_logged(app, client, factory):
    s = setup(factory)
    other = event_now(factory, s.school, title="另一个活动")
    stranger = register(other, [factory.member(s.school["g1"], name="外人")])[0]
    answer = scan(client, s, code_of(stranger)).get_json()
    assert not answer["ok"] and answer["result"] == "wrong_event" and answer["name"] == "外人"
    Registration.update(status="withdrawn").where(Registration.id == s.registrations[1].id).execute()
    answer = scan(client, s, code_of(s.registrations[1])).get_json()
    assert answer["result"] == "not_registered"
    forged = code_of(s.registrations[2])[:-1] + ("A" if code_of(s.registrations[2])[-1] != "A" else "B")
    assert scan(client, s, forged).get_json()["result"] == "invalid"
    assert scan(client, s, "随便什么").get_json()["result"] == "invalid"
    assert CheckIn.select().count() == 0
    assert sorted(f.result for f in FailedScan.select()) == ["invalid", "invalid", "not_registered", "wrong_event"]


def test_revoked_code_is_refused_and_reissued_code_works(app, client, factory):
    from plugins.checkin import overrides

    s = setup(factory)
    reg = s.registrations[0]
    old = code_of(reg)
    overrides.revoke(reg, reason="二维码截图外传", account=s.organizer)
    assert code_of(reg) is None
    assert scan(client, s, old).get_json()["result"] == "revoked"
    new = overrides.reissue(reg, account=s.organizer)
    assert new != old
    assert scan(client, s, old).get_json()["result"] == "revoked"
    assert scan(client, s, new).get_json()["result"] == "ok"


def test_name_search_path_signs_in_by_registration_id(app, client, factory):
    s = setup(factory)
    answer = scan(client, s, registration_id=s.registrations[3].id).get_json()
    assert answer["ok"] and answer["name"] == "教师4"


def test_bad_bodies_get_a_message_not_a_500(app, client, factory):
    s = setup(factory)
    response = client.post("/api/v1/checkins", json={"code": "x"}, headers=s.headers)
    assert response.status_code == 422 and "event_id" in response.get_json()["message"]
    response = client.post("/api/v1/checkins", json={"event_id": s.event.id}, headers=s.headers)
    assert response.status_code == 422
    response = client.post("/api/v1/checkins", data="not json", headers=s.headers)
    assert response.status_code == 422
    response = scan(client, s, code_of(s.registrations[0]), scanned_at="yesterday")
    assert response.status_code == 422
    response = client.post("/api/v1/checkins", json={"event_id": 99999, "code": "x"}, headers=s.headers)
    assert response.status_code == 404


def test_who_may_scan(app, client, factory):
    from core.services.accounts import issue_token

    s = setup(factory)
    code = code_of(s.registrations[0])
    assert client.post("/api/v1/checkins", json={"event_id": s.event.id, "code": code}).status_code == 401
    participant = factory.account("t1", member=s.members[0])
    headers = {"Authorization": f"Bearer {issue_token(participant)}"}
    assert client.post("/api/v1/checkins", json={"event_id": s.event.id, "code": code},
                       headers=headers).status_code == 403
    other = event_now(factory, s.school, title="别的活动")
    volunteer = factory.account("vol", roles=[("volunteer", None, other)])
    headers = {"Authorization": f"Bearer {issue_token(volunteer)}"}
    assert client.post("/api/v1/checkins", json={"event_id": s.event.id, "code": code},
                       headers=headers).status_code == 403
    mine = factory.account("vol2", roles=[("volunteer", None, s.event)])
    headers = {"Authorization": f"Bearer {issue_token(mine)}"}
    response = client.post("/api/v1/checkins", json={"event_id": s.event.id, "code": code}, headers=headers)
    assert response.status_code == 200 and response.get_json()["ok"]
    assert CheckIn.get().account_id == mine.id


def test_attendance_listing(app, client, factory):
    s = setup(factory)
    scan(client, s, code_of(s.registrations[1]))
    data = client.get(f"/api/v1/events/{s.event.id}/attendance", headers=s.headers).get_json()
    by_name = {p["name"]: p for p in data["attendance"]}
    assert len(by_name) == 4
    assert by_name["教师2"]["status"] == "on_time" and by_name["教师2"]["signed_in_at"]
    assert by_name["教师1"]["status"] is None and by_name["教师1"]["signed_in_at"] is None


def test_openapi_lists_the_endpoints(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "post" in paths["/api/v1/checkins"] and "get" in paths["/api/v1/events/{event_id}/attendance"]
    assert "/api/v1/checkins/batch" in paths


def test_healthz_is_public_and_trivial(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.data == b"ok"
