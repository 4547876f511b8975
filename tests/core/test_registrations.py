"""Registrations through the pages: each rule broken and its message read, the waiting list, the freeze
and audited organizer edits, fees, payments, the department head's batch and the 报名表 in and out."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core import hookimpl
from core.models import AuditLog, CommitteeRole, Entry, Guest, Item, Registration
from core.services import registrations as service
from tests.support import text_of


@pytest.fixture
def school(factory):
    return factory.school()


@pytest.fixture
def organizer(factory, school):
    return factory.account("org", roles=[("organizer", school["school"])])


def rules(event, **data):
    from core.services.registrations import save_rules

    save_rules(event, data)
    return event


def people(factory, unit, men=0, women=0, **fields):
    return ([factory.member(unit, gender="M", **fields) for _ in range(men)]
            + [factory.member(unit, gender="F", **fields) for _ in range(women)])


def sign_up(client, event, items=(), **form):
    data = {"items": [str(i) for i in items], **form}
    return client.post(f"/events/{event.id}/register", data=data, follow_redirects=True)


def as_member(factory, login_as, unit, **fields):
    member = factory.member(unit, **fields)
    login_as(factory.account(member=member))
    return member


# ---------------------------------------------------------------- who may join


def test_member_registers_himself_and_sees_it_on_my_registrations(client, factory, login_as, school):
    event = factory.event(school["school"], title="工会会员代表大会")
    member = as_member(factory, login_as, school["g1"], name="王芳")
    page = text_of(sign_up(client, event))
    assert "报名成功" in page
    assert Registration.get(event=event, member=member).status == "active"
    mine = text_of(client.get("/registrations/mine"))
    assert "工会会员代表大会" in mine and "已报名" in mine


def test_outside_the_owner_refused_with_the_rule_named(client, factory, login_as, school):
    event = factory.event(school["g2"])
    as_member(factory, login_as, school["g1"])
    # the event is not visible to him at all: an owner's event is open to its own subtree
    assert client.post(f"/events/{event.id}/register").status_code == 404
    event = factory.event(school["school"])
    rules(event, units=[school["g2"].id])
    page = text_of(sign_up(client, event))
    assert "【参加范围】本活动只接受以下单位的会员报名：初二年级组" in page
    assert not Registration.select().exists()


def test_dues_unpaid_refused(client, factory, login_as, school):
    event = rules(factory.event(school["school"]), dues_paid=True)
    as_member(factory, login_as, school["g1"], name="欠费者", dues_paid_until=date(2020, 12, 31))
    assert "【会员状态】欠费者未按时足额缴纳会费，不能报名" in text_of(sign_up(client, event))


def test_drivers_excluded(client, factory, login_as, school):
    event = rules(factory.event(school["school"]), exclude_jobs=["司机", "值班"])
    as_member(factory, login_as, school["g1"], job="司机")
    assert "【不参加人员】岗位为“司机”的人员不参加本活动" in text_of(sign_up(client, event))


def test_referees_and_committee_roles_excluded(client, factory, login_as, school):
    event = rules(factory.event(school["school"]), exclude_roles=["referee", "摄像"])
    member = factory.member(school["g1"])
    login_as(factory.account(member=member, roles=[("referee", None, event)]))
    assert "【不参加人员】担任“裁判”的人员不参加本活动" in text_of(sign_up(client, event))
    other = factory.event(school["school"])
    rules(other, exclude_roles=["摄像"])
    CommitteeRole.create(event=other, member=member, role="摄像")
    assert "【不参加人员】担任“摄像”的人员不参加本活动" in text_of(sign_up(client, other))
    assert not Registration.select().exists()


# ---------------------------------------------------------------- items and teams


@pytest.fixture
def sports_day(factory, school, organizer):
    """篇二: teams by grade group, 拔河 10 per team with at least 2 women, 乒乓球 3 and 定点投篮 5 per team."""
    event = factory.event(school["school"], title="教职工体育竞赛")
    items = {
        "拔河": Item.create(event=event, name="拔河", kind="team", team_size_min=10, team_size_max=10, min_women=2),
        "乒乓球单打": Item.create(event=event, name="乒乓球单打", per_team=3, sort=3),
        "定点投篮": Item.create(event=event, name="定点投篮", per_team=5, sort=5),
    }
    captain = factory.member(school["g1"], name="队长甲")
    team = service.save_team(event, name="二楼办公室", unit_ids=[school["g1"].id], captain=captain)
    return {"event": event, "items": items, "team": team, "captain": captain}


def test_places_per_team_refused_with_message(client, factory, login_as, school, sports_day):
    event, ping = sports_day["event"], sports_day["items"]["乒乓球单打"]
    org = factory.account(roles=["admin"])
    for member in people(factory, school["g1"], men=3):
        service.register(event, service.Request(member=member, items=[ping.id]), account=org)
    as_member(factory, login_as, school["g1"])
    page = text_of(sign_up(client, event, [ping.id]))
    assert "【每队名额】“乒乓球单打”每队限报 3 人，二楼办公室将有 4 人" in page
    assert Entry.select().where(Entry.item == ping).count() == 3


def test_tug_of_war_keeps_places_for_two_women(client, factory, login_as, school, sports_day):
    event, tug = sports_day["event"], sports_day["items"]["拔河"]
    org = factory.account(roles=["admin"])
    for member in people(factory, school["g1"], men=8):
        service.register(event, service.Request(member=member, items=[tug.id]), account=org)
    as_member(factory, login_as, school["g1"], gender="M")
    page = text_of(sign_up(client, event, [tug.id]))
    assert "【女性人数】“拔河”每队至少 2 名女性，二楼办公室最多只能报 8 名男性" in page
    as_member(factory, login_as, school["g1"], gender="F")
    assert "报名成功" in text_of(sign_up(client, event, [tug.id]))


def test_captain_batch_checks_the_whole_roster(client, factory, login_as, school, sports_day):
    event, tug, team = sports_day["event"], sports_day["items"]["拔河"], sports_day["team"]
    login_as(factory.account("captain", member=sports_day["captain"]))
    squad = people(factory, school["g1"], men=7, women=2)
    form = {f"go_{m.id}": "1" for m in squad} | {f"item_{m.id}_{tug.id}": "1" for m in squad}
    page = text_of(client.post(f"/events/{event.id}/department", data=form))
    assert "【队伍人数】“拔河”每队 10 人，二楼办公室只有 9 人" in page
    assert not Registration.select().exists()
    tenth = factory.member(school["g1"], gender="M")
    form |= {f"go_{tenth.id}": "1", f"item_{tenth.id}_{tug.id}": "1"}
    response = client.post(f"/events/{event.id}/department", data=form, follow_redirects=True)
    assert "已保存" in text_of(response)
    assert Entry.select().where(Entry.item == tug, Entry.team == team).count() == 10


def test_at_most_three_items_and_one_starred(client, factory, login_as, school):
    event = rules(factory.event(school["school"]), max_items=3, min_starred=1)
    items = [Item.create(event=event, name=f"项目{i}", starred=i <= 3, sort=i) for i in range(1, 8)]
    as_member(factory, login_as, school["g1"])
    page = text_of(sign_up(client, event, [i.id for i in items[:4]]))
    assert "【限报项目数】每人最多报 3 个项目，已选 4 个" in page
    page = text_of(sign_up(client, event, [items[4].id, items[5].id]))
    assert "【必报项目】每人须至少报 1 个带★的项目：项目1、项目2、项目3" in page
    assert "报名成功" in text_of(sign_up(client, event, [items[0].id, items[4].id, items[5].id]))


def test_no_repeat_within_a_group(client, factory, login_as, school):
    event = factory.event(school["school"])
    a = Item.create(event=event, name="跳绳", group="第一组")
    b = Item.create(event=event, name="踢毽子", group="第一组")
    as_member(factory, login_as, school["g1"])
    assert "【项目不可兼报】“跳绳”、“踢毽子” 同属“第一组”，同一人只能报其中一项" in text_of(sign_up(client, event, [a.id, b.id]))


# ---------------------------------------------------------------- family and fees


def test_family_not_allowed_or_too_many(client, factory, login_as, school):
    event = factory.event(school["school"])
    as_member(factory, login_as, school["g1"])
    assert "【家属】本活动不接受携带家属" in text_of(sign_up(client, event, guest_name="李小明"))
    rules(event, family={"allowed": True, "max_per_member": 1})
    page = text_of(sign_up(client, event, guest_name=["李小明", "李小红"], guest_relation=["子女", "子女"]))
    assert "【家属】每位会员最多携带 1 名家属" in page
    assert not Guest.select().exists()


def test_members_free_family_25_yuan_and_payment_recorded(client, factory, login_as, school, organizer):
    event = factory.event(school["school"], fee=Decimal("50.00"))
    rules(event, family={"allowed": True, "max_per_member": 2}, prices={"member": "0", "family": "25"})
    member = as_member(factory, login_as, school["g1"])
    sign_up(client, event, guest_name=["配偶", "孩子"], guest_relation=["配偶", "子女"], guest_kind=["adult", "child"])
    reg = Registration.get(event=event, member=member)
    assert (reg.fee_total, reg.union_share, reg.member_share) == (Decimal("150.00"), Decimal("100.00"),
                                                                  Decimal("50.00"))
    assert reg.payment_status == "unpaid"
    guests = list(reg.guests.order_by(Guest.id))
    assert [(g.fee, g.member_share, g.union_share) for g in guests] == [
        (Decimal("50.00"), Decimal("25.00"), Decimal("25.00"))] * 2
    assert guests[1].is_child
    page = text_of(client.get(f"/events/{event.id}"))
    assert "费用合计 ¥150.00：工会承担 ¥100.00，个人承担 ¥50.00" in page
    login_as(organizer)
    client.post(f"/events/{event.id}/registrations/{reg.id}/payment", data={"payment_status": "paid"})
    assert Registration.get_by_id(reg.id).payment_status == "paid"
    row = AuditLog.get(AuditLog.action == "registration.payment")
    assert row.after["payment_status"] == "paid" and row.account_name == "org"
    listing = text_of(client.get(f"/events/{event.id}/registrations"))
    assert "已收 ¥50.00" in listing


def test_a_member_alone_is_free(client, factory, login_as, school):
    event = rules(factory.event(school["school"], fee=Decimal("50.00")), prices={"member": "0"})
    member = as_member(factory, login_as, school["g1"])
    sign_up(client, event)
    reg = Registration.get(event=event, member=member)
    assert (reg.member_share, reg.union_share, reg.payment_status) == (Decimal("0.00"), Decimal("50.00"), "free")


# ---------------------------------------------------------------- window, freeze and audited edits


def test_window_not_open_and_closed(client, factory, login_as, school, now):
    early = factory.event(school["school"], registration_opens_at=now + timedelta(days=1))
    as_member(factory, login_as, school["g1"])
    assert "【报名时间】报名尚未开始" in text_of(sign_up(client, early))
    late = factory.event(school["school"], registration_closes_at=now - timedelta(hours=1))
    assert "【报名时间】报名已截止" in text_of(sign_up(client, late))
    assert not Registration.select().exists()


def test_frozen_list_withdraw_refused_but_organizer_edits_with_reason(client, factory, login_as, school, organizer,
                                                                      now):
    from core.models import Event

    event = factory.event(school["school"], registration_closes_at=now + timedelta(days=1))
    member = as_member(factory, login_as, school["g1"], name="刘洋")
    sign_up(client, event)
    reg = Registration.get(event=event, member=member)
    Event.update(registration_closes_at=now - timedelta(minutes=1)).where(Event.id == event.id).execute()
    page = text_of(client.post(f"/events/{event.id}/withdraw", follow_redirects=True))
    assert "名单已锁定" in page and Registration.get_by_id(reg.id).status == "active"
    login_as(organizer)
    page = text_of(client.post(f"/events/{event.id}/registrations/{reg.id}/withdraw", follow_redirects=True))
    assert "组织者修改须填写原因" in page and Registration.get_by_id(reg.id).status == "active"
    client.post(f"/events/{event.id}/registrations/{reg.id}/withdraw", data={"reason": "临时出差"})
    assert Registration.get_by_id(reg.id).status == "withdrawn"
    row = AuditLog.get(AuditLog.action == "registration.withdrawn")
    assert row.reason == "临时出差" and row.before["status"] == "active" and row.after["status"] == "withdrawn"
    assert "临时出差" in text_of(client.get(f"/events/{event.id}/registrations"))


def test_history_names_the_change_in_words_with_who_acted_and_whose(client, factory, login_as, school, organizer):
    event = factory.event(school["school"])
    member = as_member(factory, login_as, school["g1"], name="孙丽")
    sign_up(client, event)
    reg = Registration.get(event=event, member=member)
    login_as(organizer)
    client.post(f"/events/{event.id}/registrations/{reg.id}/withdraw", data={"reason": "临时出差"})
    page = text_of(client.get(f"/events/{event.id}/registrations"))
    assert "registration." not in page
    assert "报名 · 孙丽" in page and "退出报名 · 孙丽 · 原因：临时出差" in page
    assert f"{organizer} · 退出报名" in page
    english = text_of(client.get(f"/events/{event.id}/registrations?lang=en"))
    assert "registration." not in english and "Withdraw · 孙丽" in english


def test_hook_audit_labels(client, factory, login_as, school, organizer):
    """The sign-in plugin labels its changes to a registration; the history reads them in words."""
    event = factory.event(school["school"])
    member = as_member(factory, login_as, school["g1"], name="周敏")
    sign_up(client, event)
    reg = Registration.get(event=event, member=member)
    login_as(organizer)
    client.post(f"/checkin/registrations/{reg.id}/code", data={"action": "revoke", "reason": "二维码外传"})
    assert AuditLog.select().where(AuditLog.action == "checkin.revoke").exists()
    page = text_of(client.get(f"/events/{event.id}/registrations"))
    assert f"{organizer} · 作废二维码 · 周敏 · 原因：二维码外传" in page and "checkin." not in page


# ---------------------------------------------------------------- capacity and the waiting list


class Recorder:
    """A plugin that hears every registration change."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def huodong_registration_changed(self, registration, action, account):
        self.calls.append((registration.member.name, action))


def test_waiting_list_promotes_in_order(client, factory, login_as, school, app):
    recorder = Recorder()
    app.extensions["huodong_pm"].register(recorder, name="recorder")
    event = factory.event(school["school"], capacity=2)
    admin = factory.account(roles=["admin"])
    names = ["甲", "乙", "丙", "丁"]
    regs = {}
    for name in names:
        member = factory.member(school["g1"], name=name)
        regs[name] = service.register(event, service.Request(member=member), account=admin)
    assert [regs[n].status for n in names] == ["active", "active", "waitlisted", "waitlisted"]
    assert [service.waitlist_rank(Registration.get_by_id(regs[n].id)) for n in ("丙", "丁")] == [1, 2]
    promoted = service.withdraw(regs["乙"], account=admin)
    assert [p.member.name for p in promoted] == ["丙"]
    assert Registration.get_by_id(regs["丁"].id).status == "waitlisted"
    service.withdraw(regs["甲"], account=admin)
    assert Registration.get_by_id(regs["丁"].id).status == "active"
    assert recorder.calls[-4:] == [("乙", "withdrawn"), ("丙", "promoted"), ("甲", "withdrawn"), ("丁", "promoted")]
    assert AuditLog.select().where(AuditLog.action == "registration.promoted").count() == 2


def test_full_event_without_waiting_list_refuses(client, factory, login_as, school):
    event = rules(factory.event(school["school"], capacity=1), waitlist=False)
    admin = factory.account(roles=["admin"])
    service.register(event, service.Request(member=factory.member(school["g1"])), account=admin)
    as_member(factory, login_as, school["g1"])
    assert "【名额】本活动限 1 人，名额已满" in text_of(sign_up(client, event))


def test_waitlisted_member_sees_his_place(client, factory, login_as, school):
    event = factory.event(school["school"], capacity=1)
    service.register(event, service.Request(member=factory.member(school["g1"])),
                     account=factory.account(roles=["admin"]))
    as_member(factory, login_as, school["g1"])
    assert "名额已满，你已进入候补名单（第 1 位）" in text_of(sign_up(client, event))


# ---------------------------------------------------------------- hooks


class Checker:
    @hookimpl
    def huodong_registration_check(self, event, member, data, registration):
        if not (data["extra"].get("emergency") or "").strip():
            return ["请填写紧急联系人"]
        return []

    @hookimpl
    def huodong_registration_fields(self, event):
        from wtforms import StringField

        from core.contrib import RegistrationField

        return [RegistrationField("emergency", lambda: StringField("紧急联系人"))]


def test_hook_registration_check(client, factory, login_as, school, app):
    app.extensions["huodong_pm"].register(Checker(), name="checker")
    event = factory.event(school["school"])
    member = as_member(factory, login_as, school["g1"])
    assert "请填写紧急联系人" in text_of(sign_up(client, event))
    assert "报名成功" in text_of(sign_up(client, event, emergency="13900000000"))
    assert Registration.get(event=event, member=member).extra == {"emergency": "13900000000"}


def test_hook_registration_fields(client, factory, login_as, school, app):
    app.extensions["huodong_pm"].register(Checker(), name="checker")
    event = factory.event(school["school"])
    as_member(factory, login_as, school["g1"])
    html = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert 'name="emergency"' in html and "紧急联系人" in html


def test_hook_registration_changed(client, factory, login_as, school, app):
    recorder = Recorder()
    app.extensions["huodong_pm"].register(recorder, name="recorder")
    event = factory.event(school["school"])
    as_member(factory, login_as, school["g1"], name="赵敏")
    sign_up(client, event)
    sign_up(client, event)
    client.post(f"/events/{event.id}/withdraw")
    assert recorder.calls == [("赵敏", "created"), ("赵敏", "updated"), ("赵敏", "withdrawn")]


# ---------------------------------------------------------------- the department head and the 报名表


def sheet_bytes(rows, headers=("工号", "姓名", "项目", "队伍")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, event, data):
    return client.post(f"/events/{event.id}/department/upload", data={"file": (io.BytesIO(data), "报名表.xlsx")},
                       content_type="multipart/form-data")


def test_department_head_uploads_a_sheet_bad_rows_write_nothing(client, factory, login_as, school):
    event = rules(factory.event(school["school"]), max_items=2, min_starred=1)
    run = Item.create(event=event, name="托球跑", starred=True, sort=1)
    Item.create(event=event, name="踢毽子", sort=2)
    staff = people(factory, school["g1"], men=2, women=1)
    outsider = factory.member(school["g2"], name="外人")
    login_as(factory.account("head", roles=[("dept_head", school["g1"])]))
    template = client.get(f"/events/{event.id}/department/template.xlsx")
    wb = load_workbook(io.BytesIO(template.data))
    assert [c.value for c in wb["报名表"][1]] == ["工号", "姓名", "项目", "队伍"]
    assert {r[0].value for r in wb["名单"].iter_rows(min_row=2)} == {m.staff_no for m in staff}
    bad = sheet_bytes([
        (staff[0].staff_no, staff[0].name, "托球跑、踢毽子", None),
        (staff[1].staff_no, staff[1].name, "踢毽子", None),
        ("X999", "无名氏", "托球跑", None),
        (staff[2].staff_no, staff[2].name, "游泳", None),
        (outsider.staff_no, outsider.name, "托球跑", None),
    ])
    response = upload(client, event, bad)
    page = text_of(response)
    assert response.status_code == 422
    assert "第 4 行：工号 X999 不存在" in page and "第 5 行：没有项目“游泳”" in page
    assert not Registration.select().exists()
    bad = sheet_bytes([(staff[0].staff_no, staff[0].name, "托球跑", None),
                       (staff[1].staff_no, staff[1].name, "踢毽子", None),
                       (outsider.staff_no, outsider.name, "托球跑", None)])
    page = text_of(upload(client, event, bad))
    assert "第 3 行：【必报项目】每人须至少报 1 个带★的项目：托球跑" in page
    assert "第 4 行：你不能为外人报名" in page
    assert not Registration.select().exists()
    clean = sheet_bytes([(staff[0].staff_no, staff[0].name, "托球跑、踢毽子", None),
                         (staff[1].staff_no, staff[1].name, "托球跑", None)])
    response = upload(client, event, clean)
    assert response.status_code == 302
    assert Registration.select().count() == 2
    assert Entry.select().where(Entry.item == run).count() == 2


def test_upload_that_is_not_xlsx(client, factory, login_as, school):
    event = factory.event(school["school"])
    login_as(factory.account("head", roles=[("dept_head", school["g1"])]))
    page = text_of(upload(client, event, b"not a spreadsheet"))
    assert "文件不是有效的 Excel（.xlsx）文件" in page


def test_department_head_sees_and_edits_only_his_department(client, factory, login_as, school):
    event = factory.event(school["school"])
    mine = factory.member(school["g1"], name="本部门人")
    other = factory.member(school["g2"], name="别部门人")
    admin = factory.account(roles=["admin"])
    service.register(event, service.Request(member=other), account=admin)
    login_as(factory.account("head", roles=[("dept_head", school["g1"])]))
    page = text_of(client.get(f"/events/{event.id}/department"))
    assert "本部门人" in page and "别部门人" not in page
    client.post(f"/events/{event.id}/department", data={f"go_{mine.id}": "1"})
    assert Registration.get(event=event, member=mine).registered_by.username == "head"
    listing = text_of(client.get(f"/events/{event.id}/registrations"))
    assert "本部门人" in listing and "别部门人" not in listing
    client.post(f"/events/{event.id}/department", data={})
    assert Registration.get(event=event, member=mine).status == "withdrawn"
    assert Registration.get(event=event, member=other).status == "active"


def test_registration_sheet_export_read_back(client, factory, login_as, school, organizer):
    event = factory.event(school["school"], fee=Decimal("50.00"), capacity=2)
    rules(event, family={"allowed": True}, prices={"member": "0", "family": "25"})
    ball = Item.create(event=event, name="定点投篮")
    admin = factory.account(roles=["admin"])
    a = factory.member(school["g1"], name="张三", gender="M")
    b = factory.member(school["g2"], name="李四", gender="F")
    c = factory.member(school["g2"], name="王五", gender="M")
    service.register(event, service.Request(member=a, items=[ball.id], guests=[service.GuestData("张小", "子女")]),
                     account=admin)
    service.register(event, service.Request(member=b), account=admin)
    login_as(organizer)
    assert "报名表（xlsx）" in text_of(client.get(f"/events/{event.id}"))
    service.register(event, service.Request(member=c), account=admin)
    response = client.get(f"/events/{event.id}/export/registrations.xlsx")
    ws = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert rows[0][:8] == ["序号", "工号", "姓名", "性别", "单位", "队伍", "项目", "状态"]
    by_name = {r[2]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_name["张三"]["项目"] == "定点投篮" and by_name["张三"]["家属"] == "张小（子女）"
    assert by_name["张三"]["费用合计"] == 100 and by_name["张三"]["工会承担"] == 75 and by_name["张三"]["个人承担"] == 25
    assert by_name["李四"]["状态"] == "候补" and by_name["李四"]["候补顺序"] == 1
    assert by_name["王五"]["候补顺序"] == 2


def test_organizer_list_counts_by_unit_sex_and_item(client, factory, login_as, school, organizer):
    event = factory.event(school["school"])
    ball = Item.create(event=event, name="定点投篮")
    admin = factory.account(roles=["admin"])
    for member in people(factory, school["g1"], men=2, women=1) + people(factory, school["g2"], women=1):
        service.register(event, service.Request(member=member, items=[ball.id]), account=admin)
    login_as(organizer)
    page = text_of(client.get(f"/events/{event.id}/registrations"))
    assert "已报名 4 人" in page and "男 2 · 女 2" in page
    assert "初一年级组 3" in page and "初二年级组 1" in page and "定点投篮 4 2" in page


def test_organizer_sets_rules_items_and_teams_on_the_rules_page(client, factory, login_as, school, organizer):
    from core.models import Event, Team

    event = factory.event(school["school"])
    login_as(organizer)
    form = {
        "exclude_jobs": "司机、值班", "max_items": "3", "min_starred": "1", "waitlist": "1",
        "item_id": ["", ""], "item_name": ["托球跑", "踢毽子"], "item_kind": ["individual", "individual"],
        "item_starred": ["0"], "item_group": ["", ""], "item_capacity": ["", ""], "item_per_team": ["3", ""],
        "item_team_size_min": ["", ""], "item_team_size_max": ["", ""], "item_min_women": ["", ""],
        "item_exclude_jobs": ["", ""],
        "team_id": [""], "team_name": ["二楼办公室"], "team_units_0": [str(school["g1"].id)], "team_captain": [""],
    }
    response = client.post(f"/events/{event.id}/rules", data=form, follow_redirects=True)
    assert "报名规则已保存" in text_of(response)
    stored = Event.get_by_id(event.id).settings["rules"]
    assert stored["exclude_jobs"] == ["司机", "值班"] and stored["max_items"] == 3
    items = {i.name: i for i in Item.select().where(Item.event == event)}
    assert items["托球跑"].starred and items["托球跑"].per_team == 3 and not items["踢毽子"].starred
    assert Team.get(Team.event == event).unit_id == school["g1"].id
    page = text_of(client.post(f"/events/{event.id}/rules", data=form | {"max_items": "x"}, follow_redirects=True))
    assert "报名规则有误" in page


def test_pages_in_english(client, factory, login_as, school):
    event = rules(factory.event(school["school"]), exclude_jobs=["司机"])
    as_member(factory, login_as, school["g1"], job="司机")
    client.get("/lang/en")
    page = text_of(sign_up(client, event))
    assert "[Who may join] Staff whose post is “司机” do not take part in this event" in page
    assert "My registrations" in text_of(client.get("/registrations/mine"))


def test_every_registration_page_renders_for_its_users(client, factory, login_as, school, organizer, sports_day):
    event = sports_day["event"]
    rules(event, family={"allowed": True}, max_items=2)
    member = factory.member(school["g1"], name="周杰")
    reg = service.register(event, service.Request(member=member, items=[sports_day["items"]["定点投篮"].id],
                                                  guests=[service.GuestData("周小", "子女", is_child=True)]),
                           account=factory.account(roles=["admin"]))
    login_as(organizer)
    for url in (f"/events/{event.id}", f"/events/{event.id}/registrations", f"/events/{event.id}/rules",
                f"/events/{event.id}/registrations/{reg.id}/edit", f"/events/{event.id}/department"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "周杰" in text_of(response) or url.endswith(("/rules", f"/events/{event.id}"))
    html = client.get(f"/events/{event.id}/rules").get_data(as_text=True)
    assert 'value="拔河"' in html and 'value="二楼办公室"' in html
    client.get("/lang/en")
    assert "Registrations" in text_of(client.get(f"/events/{event.id}/registrations"))


def test_withdraw_from_my_registrations_stays_on_the_site(client, factory, login_as, school):
    event = factory.event(school["school"])
    as_member(factory, login_as, school["g1"])
    sign_up(client, event)
    response = client.post(f"/events/{event.id}/withdraw", data={"next": "//evil.example/"})
    assert response.headers["Location"].endswith(f"/events/{event.id}")
    response = client.post(f"/events/{event.id}/register")
    response = client.post(f"/events/{event.id}/withdraw", data={"next": "/registrations/mine"})
    assert response.headers["Location"].endswith("/registrations/mine")


def test_another_schools_organizer_has_no_part_in_this_schools_registrations(client, factory, login_as, school):
    """He holds registrations.manage over his own school only: the batch page, the template, the
    upload, the list and withdrawing someone are all refused, and nothing changes."""
    event = factory.event(school["school"], title="教职工气排球赛")
    other_school = factory.unit("别的学校工会", school["district"], "grassroots")
    factory.member(other_school, name="外校老师")
    teacher = factory.member(school["g2"], name="李四光")
    registration = service.register(event, service.Request(member=teacher), account=factory.account(member=teacher))
    login_as(factory.account("org_other", roles=[("organizer", other_school)]))
    for url in (f"/events/{event.id}/department", f"/events/{event.id}/department/template.xlsx",
                f"/events/{event.id}/registrations"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/events/{event.id}/department", data={}).status_code == 403
    assert client.post(f"/events/{event.id}/department/upload", data={}).status_code == 403
    answer = client.post(f"/events/{event.id}/registrations/{registration.id}/withdraw", data={"reason": "x"})
    assert answer.status_code == 403
    assert Registration.get_by_id(registration.id).status == "active"


def test_a_head_of_another_department_cannot_withdraw_someone_not_his(client, factory, login_as, school):
    event = factory.event(school["school"])
    teacher = factory.member(school["g2"], name="李四光")
    registration = service.register(event, service.Request(member=teacher), account=factory.account(member=teacher))
    login_as(factory.account("head_g1", roles=[("dept_head", school["g1"])]))
    answer = client.post(f"/events/{event.id}/registrations/{registration.id}/withdraw", data={"reason": "x"})
    assert answer.status_code == 403 and "李四光" in text_of(answer)
    assert Registration.get_by_id(registration.id).status == "active"


def test_an_account_without_a_member_is_refused_registering_himself(client, factory, login_as, school):
    event = factory.event(school["school"])
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    answer = client.post(f"/events/{event.id}/register", data={})
    assert answer.status_code == 403 and "没有关联会员" in text_of(answer)
    assert not Registration.select().where(Registration.event == event).exists()
