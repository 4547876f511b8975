"""The core pages and API as each role meets them, and the scoping rules of core/access.py:
a grant over a unit covers the units below it; a grant over one event covers that event only.

Roles: anonymous, participant, department head of another department, organizer of another unit,
organizer of the owning unit (and of the district above it), admin.
"""

from __future__ import annotations

import pytest

from core.access import can, managed_unit_ids
from core.models import Event
from core.services.accounts import issue_token
from tests.support import login, text_of


@pytest.fixture
def tree(factory):
    school = factory.school()
    other = factory.unit("别的学校工会", school["district"], "grassroots")
    people = {
        "g1": factory.member(school["g1"], name="张三明"),
        "g2": factory.member(school["g2"], name="李四光"),
        "other": factory.member(other, name="王五"),
    }
    accounts = {
        "participant": factory.account("teacher", member=people["g2"]),
        "head": factory.account("head_g1", member=people["g1"], roles=[("dept_head", school["g1"])]),
        "org_other": factory.account("org_other", roles=[("organizer", other)]),
        "organizer": factory.account("organizer", roles=[("organizer", school["school"])]),
        "district": factory.account("district", roles=[("organizer", school["district"])]),
        "admin": factory.account("admin", roles=["admin"]),
    }
    return {**school, "other": other, "people": people, "accounts": accounts}


def as_user(app, username):
    return login(app.test_client(), username)


def names_on(client, url):
    return text_of(client.get(url))


def test_members_list_follows_the_unit_subtree(app, tree):
    everyone = ("张三明", "李四光", "王五")

    def seen(username):
        page = names_on(as_user(app, username), "/members/")
        return tuple(name for name in everyone if name in page)

    assert seen("head_g1") == ("张三明",)  # his department only
    assert seen("organizer") == ("张三明", "李四光")  # the school and both departments below it
    assert seen("org_other") == ("王五",)
    assert seen("district") == everyone  # the district covers both schools
    assert seen("admin") == everyone
    assert as_user(app, "teacher").get("/members/").status_code == 403
    assert app.test_client().get("/members/").headers["Location"].startswith("/login?next=")


def test_members_api_follows_the_unit_subtree_with_tokens(app, tree):
    def names(username):
        token = issue_token(tree["accounts"][username], "test")
        response = app.test_client().get("/api/v1/members", headers={"Authorization": f"Bearer {token}"})
        return response.status_code, sorted(m["name"] for m in (response.get_json() or {}).get("members", []))

    assert names("head") == (200, ["张三明"])
    assert names("organizer") == (200, ["张三明", "李四光"])
    assert names("org_other") == (200, ["王五"])
    assert names("participant")[0] == 403
    assert app.test_client().get("/api/v1/members").status_code == 401


def test_member_edit_is_limited_to_managed_units(app, tree):
    g2 = tree["people"]["g2"]
    url = f"/members/{g2.id}/edit"
    assert as_user(app, "organizer").get(url).status_code == 200
    assert as_user(app, "district").get(url).status_code == 200
    assert as_user(app, "org_other").get(url).status_code == 403
    assert as_user(app, "head_g1").get(url).status_code == 403  # heads see members, organizers edit them
    response = as_user(app, "org_other").post(url, data={"name": "改名", "gender": "M", "staff_no": g2.staff_no,
                                                         "unit": tree["other"].id})
    assert response.status_code == 403
    assert g2.__class__.get_by_id(g2.id).name == "李四光"


def test_organizer_manages_events_of_units_below_his(app, factory, tree):
    in_department = factory.event(tree["g1"], title="初一年级组教研活动")
    elsewhere = factory.event(tree["other"], title="别校运动会")
    organizer = as_user(app, "organizer")
    assert organizer.get(f"/events/{in_department.id}/edit").status_code == 200
    assert organizer.get(f"/events/{elsewhere.id}/edit").status_code == 403
    assert organizer.post(f"/events/{elsewhere.id}/status", data={"status": "cancelled"}).status_code == 403
    assert Event.get_by_id(elsewhere.id).status == "published"
    other = as_user(app, "org_other")
    assert other.get(f"/events/{in_department.id}/edit").status_code == 403
    assert other.get(f"/events/{elsewhere.id}/edit").status_code == 200


def test_an_event_grant_covers_that_event_only(app, factory, tree):
    mine = factory.event(tree["school"], title="教师基本功大赛", status="draft")
    sibling = factory.event(tree["school"], title="教职工运动会", status="draft")
    helper = factory.account("helper", roles=[("organizer", None, mine)])
    with app.test_request_context():
        assert can(helper, "events.manage", event=mine)
        assert not can(helper, "events.manage", event=sibling)
        assert not can(helper, "events.manage", unit=tree["school"])
        assert can(helper, "events.manage")  # "anywhere?": yes, so pages guarded by the permission open
        assert managed_unit_ids(helper, "events.manage") == []
    client = as_user(app, "helper")
    assert client.get(f"/events/{mine.id}").status_code == 200  # his draft is visible to him
    assert client.get(f"/events/{sibling.id}").status_code == 404
    assert client.get(f"/events/{mine.id}/edit").status_code == 200
    assert client.get(f"/events/{sibling.id}/edit").status_code == 403
    assert client.post(f"/events/{sibling.id}/status", data={"status": "published"}).status_code == 403
    assert client.post(f"/events/{mine.id}/status", data={"status": "published"}).status_code == 302
    assert Event.get_by_id(mine.id).status == "published"
    assert Event.get_by_id(sibling.id).status == "draft"
    assert client.get("/events/new").status_code == 403  # no unit to create events in
    assert client.get("/events/new/general").status_code == 403


def test_drafts_are_seen_by_managers_of_the_owning_subtree_only(app, factory, tree):
    draft = factory.event(tree["school"], title="草稿：秋季踏青", status="draft")
    url = f"/events/{draft.id}"
    assert app.test_client().get(url).status_code == 404
    for username in ("teacher", "head_g1", "org_other"):
        assert as_user(app, username).get(url).status_code == 404, username
        assert "草稿：秋季踏青" not in names_on(as_user(app, username), "/events/")
    for username in ("organizer", "district", "admin"):
        assert as_user(app, username).get(url).status_code == 200, username
    token = issue_token(tree["accounts"]["participant"])
    api = app.test_client().get(f"/api/v1/events/{draft.id}", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 404 and api.get_json()["error"] == "notfound"


def test_a_participant_sees_events_open_to_his_unit(app, factory, tree):
    factory.event(tree["school"], title="全校教职工大会")
    factory.event(tree["district"], title="全区工会干部趣味运动会")
    factory.event(tree["other"], title="别校踏青")
    page = names_on(as_user(app, "teacher"), "/events/")
    assert "全校教职工大会" in page and "全区工会干部趣味运动会" in page
    assert "别校踏青" not in page  # owned by a unit that is not above his


def test_units_page_is_for_admins(app, tree):
    assert as_user(app, "admin").get("/units/").status_code == 200
    for username in ("organizer", "district", "head_g1", "teacher"):
        assert as_user(app, username).get("/units/").status_code == 403, username


def test_the_menu_shows_what_the_role_may_open(app, tree):
    def menu(client):
        html = client.get("/").get_data(as_text=True)
        return {href for href in ("/members/", "/units/", "/account") if f'href="{href}"' in html}

    assert menu(app.test_client()) == set()
    assert menu(as_user(app, "teacher")) == {"/account"}
    assert menu(as_user(app, "head_g1")) == {"/members/", "/account"}
    assert menu(as_user(app, "admin")) == {"/members/", "/units/", "/account"}


def test_an_organizer_cannot_create_an_event_for_another_unit_through_the_form(app, tree):
    client = as_user(app, "org_other")
    response = client.post("/events/new/general", data={
        "title": "越权活动", "unit": tree["school"].id, "starts_at": "2026-05-26T14:30", "ends_at": "2026-05-26T16:00"})
    assert response.status_code in (200, 403)
    assert not Event.select().where(Event.title == "越权活动").exists()
