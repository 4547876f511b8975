"""The organizer's pages: live counts, manual sign-in with a reason, the printable sheet, checkpoints."""

import re

from core.models import AuditLog, Team
from plugins.checkin.models import CheckIn, Checkpoint
from tests.plugins.checkin.helpers import code_of, scan, setup
from tests.support import text_of


def test_live_view_counts_by_unit_and_lists_who_is_missing(app, client, factory, login_as):
    s = setup(factory)
    team = Team.create(event=s.event, name="二楼办公室")
    for reg in s.registrations[:2]:
        reg.team = team
        reg.save()
    scan(client, s, code_of(s.registrations[0]))
    login_as(s.organizer)
    page = text_of(client.get(f"/checkin/events/{s.event.id}/live"))
    assert "1 / 4" in page and "初一年级组 1 / 2" in page and "初二年级组 0 / 2" in page
    assert "二楼办公室 1 / 2" in page
    missing = page.split("未到（3 人）")[1]
    assert "教师2" in missing and "教师3" in missing and "教师1" not in missing
    part = client.get(f"/checkin/events/{s.event.id}/live?part=1&big=1")
    assert part.status_code == 200 and "<html" not in part.get_data(as_text=True)
    assert "bigscreen" in client.get(f"/checkin/events/{s.event.id}/live?big=1").get_data(as_text=True)


def test_manual_sign_in_needs_a_reason_and_writes_an_audit_row(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    reg = s.registrations[2]
    url = f"/checkin/events/{s.event.id}/manual"
    client.post(url, data={"action": "in", "registration_id": reg.id, "reason": ""})
    assert CheckIn.select().count() == 0
    client.post(url, data={"action": "in", "registration_id": reg.id, "reason": "手机没电，工作人员核实身份"})
    row = CheckIn.get()
    assert row.source == "manual" and row.reason.startswith("手机没电") and row.account_id == s.organizer.id
    log = AuditLog.get(AuditLog.action == "checkin.manual_in")
    assert log.reason.startswith("手机没电") and log.event_id == s.event.id
    client.post(url, data={"action": "undo_in", "registration_id": reg.id, "reason": "登记错人"})
    assert CheckIn.select().count() == 0 and AuditLog.select().where(AuditLog.action == "checkin.undo").exists()


def test_printed_sheet_has_names_signature_column_and_each_qr(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    html = client.get(f"/checkin/events/{s.event.id}/sheet").get_data(as_text=True)
    assert "签到表" in html and "签名" in html
    for reg in s.registrations:
        assert reg.member.name in html
    assert len(re.findall(r'<svg[^>]*class="qr"', html)) == 4
    assert "@page" in client.get("/static/huodong.css").get_data(as_text=True)


def test_checkpoints_for_an_outing_each_with_its_window(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    response = client.post(f"/checkin/events/{s.event.id}/checkpoints", data={
        "key": "gather-2", "name": "景区门口集合", "item": "0", "opens_at": "2030-03-23T13:30",
        "starts_at": "2030-03-23T14:00", "closes_at": "2030-03-23T14:30", "grace_minutes": "0",
        "rotate_seconds": "30", "sort": "1"})
    assert response.status_code == 302
    cp = Checkpoint.get(Checkpoint.key == "gather-2")
    assert cp.starts_at.hour == 6  # 14:00 Beijing
    answer = scan(client, s, code_of(s.registrations[0]), checkpoint="gather-2").get_json()
    assert answer["result"] == "outside_window"
    assert answer["message"] == "不在签到时间内，签到时间为 2030年3月23日（周六） 13:30–14:30"
    response = client.post(f"/checkin/events/{s.event.id}/checkpoints", data={
        "key": "Bad Key", "name": "x", "item": "0", "rotate_seconds": "30"})
    assert not Checkpoint.select().where(Checkpoint.name == "x").exists()
    page = text_of(client.get(f"/checkin/events/{s.event.id}/"))
    assert "景区门口集合" in page and "活动签到" in page


def test_checkpoint_page_shows_names_and_failed_scans_in_words(app, client, factory, login_as):
    s = setup(factory)
    login_as(s.organizer)
    client.post(f"/checkin/events/{s.event.id}/checkpoints", data={
        "key": "gather-2", "name": "景区门口集合", "item": "0", "opens_at": "2030-03-23T13:30",
        "starts_at": "2030-03-23T14:00", "grace_minutes": "0", "rotate_seconds": "30", "sort": "1"})
    scan(client, s, code_of(s.registrations[0]), checkpoint="gather-2")
    scan(client, s, "not-a-code")
    page = text_of(client.get(f"/checkin/events/{s.event.id}/"))
    assert "gather-2" not in page and "main" not in page and "Asia/Shanghai" not in page
    assert "Asia/Shanghai" not in text_of(client.get(f"/checkin/events/{s.event.id}/checkpoints/gather-2"))
    failed = page.split("未成功的扫码")[1]
    assert "不在签到时间内" in failed and "无法识别的二维码" in failed and "扫码" in failed
    assert "outside_window" not in failed and "invalid" not in failed and "door" not in failed


def test_volunteer_granted_by_the_organizer_can_open_the_scanner(app, client, factory, login_as):
    s = setup(factory)
    factory.account("helper")
    login_as(s.organizer)
    client.post(f"/checkin/events/{s.event.id}/volunteers", data={"username": "helper", "action": "add"})
    client.post("/logout")
    login_as("helper")
    page = client.get(f"/checkin/events/{s.event.id}/scan")
    assert page.status_code == 200 and 'id="code"' in page.get_data(as_text=True)
    assert client.get(f"/checkin/events/{s.event.id}/people").status_code == 403


def test_a_volunteer_finds_his_scanner_in_the_main_menu(app, client, factory, login_as):
    from datetime import timedelta

    from core.models import Event

    s = setup(factory)
    later = factory.event(s.school["school"], title="下周讲座", starts_in_days=7)
    helper = factory.account("helper", roles=[("volunteer", None, later), ("volunteer", None, s.event)])
    login_as(helper)
    html = client.get("/").get_data(as_text=True)
    assert "扫码签到" in html and f'href="/checkin/events/{s.event.id}/scan"' in html
    Event.update(starts_at=s.event.starts_at - timedelta(days=2), ends_at=s.event.ends_at - timedelta(days=2)).where(
        Event.id == s.event.id).execute()
    html = client.get("/").get_data(as_text=True)
    assert f'href="/checkin/events/{later.id}/scan"' in html and f"/checkin/events/{s.event.id}/scan" not in html
    client.post("/logout")
    login_as(factory.account("bystander"))
    assert "扫码签到" not in client.get("/").get_data(as_text=True)
