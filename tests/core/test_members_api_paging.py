"""``GET /api/v1/members`` a page at a time: every member reachable by walking the pages in staff-number
order, the total with each page, the limits refused with 422 and described in the OpenAPI document."""

from __future__ import annotations

import pytest

from core.models import Member
from core.services.accounts import issue_token
from tests.support import count_queries


@pytest.fixture
def school(factory):
    return factory.school()


def add_members(school, count: int, start: int = 0) -> None:
    """``count`` members straight into the database, half in each grade group, staff numbers out of order."""
    Member.insert_many([
        {"name": f"会员{n}", "gender": "M", "staff_no": f"T{(n * 7919) % 100000:05d}",
         "unit": school["g1" if n % 2 else "g2"], "phone": f"139{n:08d}"}
        for n in range(start, start + count)
    ]).execute()


def bearer(factory, roles=("admin",)) -> dict:
    return {"Authorization": f"Bearer {issue_token(factory.account(roles=list(roles)))}"}


def test_walking_the_pages_reaches_every_member_once_in_staff_number_order(client, school, factory):
    add_members(school, 250)
    admin = bearer(factory)
    first = client.get("/api/v1/members", headers=admin).json
    assert (len(first["members"]), first["page"], first["per_page"], first["total"], first["pages"]) == \
        (100, 1, 100, 250, 3)
    seen = []
    for page in range(1, 4):
        body = client.get(f"/api/v1/members?page={page}&per_page=100", headers=admin).json
        seen += [m["staff_no"] for m in body["members"]]
    assert seen == sorted(m.staff_no for m in Member.select()) and len(set(seen)) == 250
    past = client.get("/api/v1/members?page=4", headers=admin).json
    assert past["members"] == [] and past["total"] == 250 and past["pages"] == 3
    assert len(client.get("/api/v1/members?per_page=500", headers=admin).json["members"]) == 250


def test_a_search_and_the_callers_units_set_the_total(client, school, factory):
    add_members(school, 30)
    head = bearer(factory, roles=[("dept_head", school["g1"])])
    body = client.get("/api/v1/members?per_page=10", headers=head).json
    assert body["total"] == 15 and body["pages"] == 2 and len(body["members"]) == 10
    assert {m["unit"]["id"] for m in body["members"]} == {school["g1"].id}
    found = client.get("/api/v1/members", query_string={"q": "会员2"}, headers=bearer(factory)).json
    assert found["total"] == 11 and {m["name"] for m in found["members"]} == {"会员2"} | {f"会员2{n}" for n in range(10)}
    one = client.get("/api/v1/members", query_string={"q": "T07919"}, headers=bearer(factory)).json
    assert [m["name"] for m in one["members"]] == ["会员1"] and one["members"][0]["phone"] == "139****0001"


@pytest.mark.parametrize("query", ["per_page=501", "per_page=0", "page=0", "page=abc", "per_page=-1",
                                   f"page={2**31}", "q=" + "长" * 51])
def test_limits_are_refused_with_422(client, school, factory, query):
    response = client.get(f"/api/v1/members?{query}", headers=bearer(factory))
    assert response.status_code == 422 and response.json["error"] == "invalid"


def test_a_page_costs_the_same_queries_for_any_number_of_members(client, school, factory):
    admin = bearer(factory)
    add_members(school, 150)
    client.get("/api/v1/members", headers=admin)
    with count_queries() as few:
        client.get("/api/v1/members", headers=admin)
    add_members(school, 300, start=150)
    with count_queries() as many:
        assert len(client.get("/api/v1/members", headers=admin).json["members"]) == 100
    assert many.count == few.count


def test_the_openapi_document_describes_the_paging(client):
    operation = client.get("/api/v1/openapi.json").json["paths"]["/api/v1/members"]["get"]
    params = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert params["per_page"]["maximum"] == 500 and params["per_page"]["default"] == 100
    assert params["page"]["minimum"] == 1 and "q" in params
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"members", "page", "per_page", "total", "pages"}
    assert "500" in operation["summary"]


def test_the_members_page_links_its_neighbours_not_every_page(client, school, factory, login_as):
    add_members(school, 260)
    login_as(factory.account("admin1", roles=["admin"]))
    html = client.get("/members/?page=3").get_data(as_text=True)
    assert "第 3 / 6 页，共 260 条" in html
    assert 'href="/members/?page=2"' in html and 'href="/members/?page=4"' in html
    assert "page=5" not in html
    with count_queries() as few:
        client.get("/members/?page=3")
    add_members(school, 300, start=260)
    with count_queries() as many:
        client.get("/members/?page=3")
    assert many.count == few.count
