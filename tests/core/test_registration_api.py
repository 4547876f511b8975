"""Registrations through ``/api/v1``: the same rules and messages as the pages, as JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.models import Item, Registration
from core.services.accounts import issue_token
from core.services.registrations import save_rules


@pytest.fixture
def school(factory):
    return factory.school()


def bearer(account):
    return {"Authorization": f"Bearer {issue_token(account)}"}


def member_with_token(factory, unit, **fields):
    member = factory.member(unit, **fields)
    return member, bearer(factory.account(member=member))


def test_register_self_and_read_mine(client, factory, school):
    event = factory.event(school["school"], fee=Decimal("50.00"))
    save_rules(event, {"family": {"allowed": True}, "prices": {"member": "0", "family": "25"}})
    item = Item.create(event=event, name="定点投篮")
    member, headers = member_with_token(factory, school["g1"], name="王芳")
    response = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers,
                           json={"items": [item.id], "guests": [{"name": "王小芳", "relation": "子女", "is_child": True}]})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "active" and body["items"] == [{"id": item.id, "name": "定点投篮"}]
    assert (body["fee_total"], body["member_share"], body["union_share"]) == ("100.00", "25.00", "75.00")
    assert body["guests"][0]["member_share"] == "25.00"
    mine = client.get("/api/v1/registrations/mine", headers=headers).json["registrations"]
    assert [r["event_id"] for r in mine] == [event.id]
    again = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={"items": []})
    assert again.status_code == 200 and again.json["items"] == []


def test_rule_message_comes_back_as_json(client, factory, school):
    event = factory.event(school["school"])
    save_rules(event, {"max_items": 1, "exclude_jobs": ["值班"]})
    a = Item.create(event=event, name="跳绳")
    b = Item.create(event=event, name="踢毽子")
    _member, headers = member_with_token(factory, school["g1"], job="值班")
    response = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={"items": [a.id, b.id]})
    assert response.status_code == 409
    assert response.json["error"] == "refused"
    assert "【不参加人员】岗位为“值班”的人员不参加本活动" in response.json["message"]
    assert "【限报项目数】每人最多报 1 个项目，已选 2 个" in response.json["errors"]["rules"]
    assert not Registration.select().exists()


def test_bad_body_is_a_422_naming_the_field(client, factory, school):
    event = factory.event(school["school"])
    _member, headers = member_with_token(factory, school["g1"])
    response = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={"items": "all"})
    assert response.status_code == 422 and "items" in response.json["message"]


def test_department_head_registers_a_member_of_his_department_only(client, factory, school):
    event = factory.event(school["school"])
    mine = factory.member(school["g1"])
    other = factory.member(school["g2"], name="李四")
    headers = bearer(factory.account("head", roles=[("dept_head", school["g1"])]))
    url = f"/api/v1/events/{event.id}/registrations"
    assert client.post(url, headers=headers, json={"member_id": mine.id}).status_code == 201
    refused = client.post(url, headers=headers, json={"member_id": other.id})
    assert refused.status_code == 403 and refused.json["message"] == "你不能为李四报名"
    listing = client.get(url, headers=headers).json["registrations"]
    assert [r["member"]["id"] for r in listing] == [mine.id]


def test_withdraw_promotes_and_list_for_organizer(client, factory, school):
    event = factory.event(school["school"], capacity=1)
    first, first_headers = member_with_token(factory, school["g1"])
    second, second_headers = member_with_token(factory, school["g2"])
    url = f"/api/v1/events/{event.id}/registrations"
    reg = client.post(url, headers=first_headers, json={}).json
    waiting = client.post(url, headers=second_headers, json={}).json
    assert waiting["status"] == "waitlisted" and waiting["waitlist_rank"] == 1
    response = client.post(f"/api/v1/registrations/{reg['id']}/withdraw", headers=first_headers, json={})
    assert response.status_code == 200 and response.json["promoted"] == [waiting["id"]]
    organizer = bearer(factory.account("org", roles=[("organizer", school["school"])]))
    listing = client.get(url, headers=organizer).json["registrations"]
    assert [(r["member"]["id"], r["status"]) for r in listing] == [(second.id, "active")]
    again = client.post(f"/api/v1/registrations/{reg['id']}/withdraw", headers=first_headers, json={})
    assert again.status_code == 409


def test_someone_else_cannot_withdraw_me(client, factory, school):
    event = factory.event(school["school"])
    _member, headers = member_with_token(factory, school["g1"])
    reg = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={}).json
    _other, other_headers = member_with_token(factory, school["g1"])
    response = client.post(f"/api/v1/registrations/{reg['id']}/withdraw", headers=other_headers, json={})
    assert response.status_code == 403


def test_messages_in_english(client, factory, school):
    event = factory.event(school["school"], capacity=0)
    save_rules(event, {"waitlist": False})
    member = factory.member(school["g1"])
    account = factory.account(member=member)
    account.language = "en"
    account.save()
    response = client.post(f"/api/v1/events/{event.id}/registrations", json={}, headers=bearer(account))
    assert response.status_code == 409
    assert response.json["message"] == "[Places] This event takes 0 people and is full"


def test_operations_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/events/{event_id}/registrations"]
    assert "get" in paths["/api/v1/events/{event_id}/registrations"]
    assert "post" in paths["/api/v1/registrations/{registration_id}/withdraw"]
    assert "get" in paths["/api/v1/registrations/mine"]


def test_query_parameters_are_checked_against_their_schema(client, factory):
    from core.services.accounts import issue_token

    token = issue_token(factory.account(roles=["admin"]))
    headers = {"Authorization": f"Bearer {token}"}
    too_late = client.get("/api/v1/warmth/reports/campaigns?year=3000", headers=headers)
    assert too_late.status_code == 422 and "year" in too_late.get_json()["message"]
    huge = client.get("/api/v1/warmth/reports/campaigns?year=99999999999999999999", headers=headers)
    assert huge.status_code == 422
    not_a_number = client.get("/api/v1/warmth/reports/campaigns?year=next", headers=headers)
    assert not_a_number.status_code == 422
    assert client.get("/api/v1/warmth/reports/campaigns?year=2025", headers=headers).status_code == 200


def test_an_integer_too_large_for_the_database_is_refused(client, factory):
    from core.services.accounts import issue_token

    token = issue_token(factory.account(roles=["admin"]))
    response = client.post("/api/v1/members", json={"unit": 2**64, "name": "张三"},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and "数值超出范围" in response.get_json()["message"]


def test_an_event_list_is_refused_to_heads_and_organizers_of_other_schools(client, factory, school):
    event = factory.event(school["school"])
    member, headers = member_with_token(factory, school["g2"], name="李四光")
    assert client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={}).status_code == 201
    other_school = factory.unit("别的学校工会", school["district"], "grassroots")
    other_dept = factory.unit("别校语文组", other_school)
    for roles in ([("organizer", other_school)], [("dept_head", other_dept)]):
        answer = client.get(f"/api/v1/events/{event.id}/registrations", headers=bearer(factory.account(roles=roles)))
        assert answer.status_code == 403, roles
    head = bearer(factory.account(roles=[("dept_head", school["g2"])]))
    names = [r["member"]["name"] for r in client.get(f"/api/v1/events/{event.id}/registrations",
                                                     headers=head).json["registrations"]]
    assert names == ["李四光"]
