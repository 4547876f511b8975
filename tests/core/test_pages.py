"""The core pages through the Flask test client, as each role meets them."""

from tests.support import text_of


def test_anonymous_sees_published_events_and_login(client, factory):
    school = factory.school()
    factory.event(school["school"], title="工会会员代表大会")
    factory.event(school["school"], title="草稿活动", status="draft")
    page = text_of(client.get("/events/"))
    assert "工会会员代表大会" in page and "草稿活动" not in page
    assert client.get("/members/").status_code == 302


def test_organizer_creates_and_publishes_an_event(client, factory, login_as):
    from core.models import AuditLog, Event

    school = factory.school()
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    response = client.post("/events/new/general?preset=meeting", data={
        "title": "职工趣味运动会筹备会", "unit": school["school"].id, "venue": "报告厅",
        "starts_at": "2026-05-26T14:30", "ends_at": "2026-05-26T16:00", "capacity": "50", "fee": "0",
    })
    assert response.status_code == 302
    event = Event.get(Event.title == "职工趣味运动会筹备会")
    assert event.status == "draft" and event.preset == "meeting"
    assert event.starts_at.hour == 6 and event.starts_at.minute == 30  # 14:30 Beijing is 06:30 UTC
    page = text_of(client.get(f"/events/{event.id}"))
    assert "2026年5月26日（周二） 14:30" in page
    client.post(f"/events/{event.id}/status", data={"status": "published"})
    assert Event.get_by_id(event.id).status == "published"
    assert AuditLog.select().where(AuditLog.action == "event.status").count() == 1


def test_event_form_names_beijing_time_without_the_zone_key(client, factory, login_as):
    school = factory.school()
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    page = text_of(client.get("/events/new/general"))
    assert "时间按北京时间填写" in page and "Asia/Shanghai" not in page


def test_event_form_rejects_end_before_start_with_message(client, factory, login_as):
    school = factory.school()
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    response = client.post("/events/new/general", data={
        "title": "x", "unit": school["school"].id, "starts_at": "2026-05-26T14:30", "ends_at": "2026-05-26T12:00"})
    assert response.status_code == 200
    assert "结束时间不能早于开始时间" in text_of(response)


def test_organizer_cannot_create_events_for_another_unit(client, factory, login_as):
    school = factory.school()
    other = factory.unit("别的学校", school["district"], "grassroots")
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    response = client.get("/events/new/general")
    assert f'value="{other.id}"' not in response.get_data(as_text=True)
    response = client.post("/events/new/general", data={
        "title": "x", "unit": other.id, "starts_at": "2026-05-26T14:30", "ends_at": "2026-05-26T16:00"})
    assert response.status_code in (200, 403)
    from core.models import Event

    assert not Event.select().where(Event.unit == other).exists()


def test_participant_sees_masked_or_no_private_data(client, factory, login_as):
    school = factory.school()
    member = factory.member(school["g1"], name="张三明")
    member.set_id_number("11010519491231002X")
    member.save()
    login_as(factory.account("t1", member=member))
    assert client.get("/members/").status_code == 403
    assert client.get("/api/v1/members").status_code == 403


def test_department_head_sees_his_department_masked(client, factory, login_as):
    school = factory.school()
    mine = factory.member(school["g1"], name="张三明")
    mine.set_id_number("11010519491231002X")
    mine.save()
    factory.member(school["g2"], name="李四光")
    login_as(factory.account("head", roles=[("dept_head", school["g1"])]))
    page = text_of(client.get("/members/"))
    assert "张三明" in page and "李四光" not in page
    assert "1101**********002X" in page and "11010519491231002X" not in page


def test_english_switch(client, factory):
    client.get("/lang/en")
    page = text_of(client.get("/login"))
    assert "Log in" in page or "Username" in page


def test_an_id_too_large_for_the_database_is_not_found(client, login_as, factory):
    login_as(factory.account(roles=["admin"]))
    response = client.post("/api/v1/events/9223372036854775808/registrations", json={})
    assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert client.get("/api/v1/practical/1/days/99999999999999999999/1").status_code == 404


def test_every_page_names_an_icon_that_is_served(client):
    import re

    page = client.get("/events/").get_data(as_text=True)
    href = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', page).group(1)
    icon = client.get(href)
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert b"<svg" in icon.data
