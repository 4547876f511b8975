"""Accounts for the whole roster: an organizer opens a unit's accounts and prints the slips, a member activates
his own (with the slip's code or with what the union holds about him), forgets his password and gets a reset
code; a password chosen by somebody else is changed at the first login. Each bending attempt is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from core.models import Account, ActivationCode, AuditLog, LoginSession
from core.services import activation
from core.services.accounts import issue_token
from core.timeutil import utcnow
from tests.support import PASSWORD, id_number, login, read_xlsx, text_of

NEW = "my-own-secret-9"


def _roster(factory):
    school = factory.school()
    people = [factory.member(school["g1"], name="王老师", staff_no="T1001", phone="13900001234",
                             id_number=id_number(seq=7)),
              factory.member(school["g1"], name="李老师", staff_no="T1002", phone="13900005678"),
              factory.member(school["g2"], name="赵老师", staff_no="T2001", phone="13900009999")]
    organizer = factory.account("organizer", roles=[("organizer", school["school"])])
    return school, people, organizer


def _codes_on(page: str) -> list[str]:
    return re.findall(r'class="code">([A-Z0-9]{5}-[A-Z0-9]{5})<', page)


def _use(client, code, password=NEW, confirm=None):
    return client.post("/activate/code", data={"code": code, "password": password,
                                               "confirm": confirm if confirm is not None else password})


def test_an_organizer_opens_a_unit_and_prints_one_slip_a_member(app, factory):
    school, people, _organizer = _roster(factory)
    already = factory.account("zhao", member=people[2])  # uses his account already
    client = login(app.test_client(), "organizer")

    answer = client.post("/accounts/open", data={"unit": school["school"].id})
    assert answer.status_code == 302 and f"/accounts/slips?unit={school['school'].id}" in answer.headers["Location"]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert len(_codes_on(page)) == 2 and "王老师" in page and "李老师" in page and "赵老师" not in page
    assert page.count("<svg") >= 2  # one QR a slip
    opened = {a.username: a for a in Account.select().where(Account.member.in_([p.id for p in people[:2]]))}
    assert set(opened) == {"T1001", "T1002"}
    assert all(activation.is_waiting(a) for a in opened.values())
    assert not activation.is_waiting(Account.get_by_id(already.id))
    assert client.post("/login", data={"username": "T1001", "password": ""}).status_code == 200  # nobody logs in yet

    # The xlsx of the same slips: text, links under the public address, no formula.
    sheet = read_xlsx(client.get(f"/accounts/slips?unit={school['school'].id}&format=xlsx").data)
    assert sheet[0][:4] == ("单位", "姓名", "用户名", "激活码")
    rows = {row[1]: row for row in sheet[1:]}
    assert set(rows) == {"王老师", "李老师"}
    assert rows["王老师"][4].startswith(app.config["BASE_URL"].rstrip("/") + "/activate/")
    assert rows["王老师"][3] in page

    # Opening again gives new codes to those still waiting; the old ones stop working.
    old = _codes_on(page)
    client.post("/accounts/open", data={"unit": school["school"].id})
    new = _codes_on(client.get(f"/accounts/slips?unit={school['school'].id}").get_data(as_text=True))
    assert len(new) == 2 and not set(new) & set(old)
    assert _use(app.test_client(), old[0]).status_code == 422
    entry = AuditLog.select().where(AuditLog.action == "accounts.open").order_by(AuditLog.id.desc()).first()
    assert entry is not None and entry.account_id == _organizer.id


def test_a_member_activates_with_his_slip_once(app, factory):
    school, people, organizer = _roster(factory)
    activation.open_accounts(school["g1"], by=organizer)
    code = activation.latest_code(Account.get(Account.username == "T1001")).code
    phone = app.test_client()

    shown = phone.get(f"/activate/{code}")
    assert shown.status_code == 200 and "王*师" in text_of(shown) and "T1001" in text_of(shown)
    assert _use(phone, activation.shown(code).lower(), confirm="different-9").status_code == 422
    answer = _use(phone, activation.shown(code).lower())  # typed in lower case, with its dash
    assert answer.status_code == 302
    assert "王老师" in phone.get("/").get_data(as_text=True)  # logged in at once
    assert _use(app.test_client(), code, password="another-pass-1").status_code == 422  # once only
    login(app.test_client(), "T1001", NEW)
    assert AuditLog.select().where(AuditLog.action == "account.activate").count() == 1


def test_a_member_activates_with_what_the_union_holds(app, factory):
    _school, people, _organizer = _roster(factory)
    phone = app.test_client()
    last_of_id = id_number(seq=7)[-4:]
    form = {"staff_no": "T1001", "last_four": last_of_id, "password": NEW, "confirm": NEW}

    wrong = phone.post("/activate", data={**form, "last_four": "0000"})
    unknown = phone.post("/activate", data={**form, "staff_no": "T9999"})
    assert wrong.status_code == unknown.status_code == 422
    assert text_of(wrong).count("信息不符") == text_of(unknown).count("信息不符") == 1  # never says which was wrong
    assert Account.select().where(Account.member == people[0]).count() == 0

    assert phone.post("/activate", data=form).status_code == 302
    account = Account.get(Account.member == people[0])
    assert account.username == "T1001" and account.activated_at is not None
    login(app.test_client(), "T1001", NEW)
    # By the phone's last four (李老师 has no ID number on the roster).
    assert app.test_client().post("/activate", data={**form, "staff_no": "T1002", "last_four": "5678"}).status_code == 302

    # Activated already: activating again (to take the account over) is refused the same way.
    again = app.test_client().post("/activate", data={**form, "password": "taken-over-1", "confirm": "taken-over-1"})
    assert again.status_code == 422 and "信息不符" in text_of(again)
    login(app.test_client(), "T1001", NEW)


def test_guessing_the_last_four_is_limited(app, factory):
    _roster(factory)
    phone = app.test_client()
    form = {"staff_no": "T1002", "password": NEW, "confirm": NEW}
    statuses = [phone.post("/activate", data={**form, "last_four": f"{n:04d}"}).status_code for n in range(6)]
    assert statuses[:5] == [422] * 5 and statuses[5] == 429
    # the right answer now waits too
    assert phone.post("/activate", data={**form, "last_four": "5678"}).status_code == 429
    assert Account.select().where(Account.username == "T1002").count() == 0


def test_an_organizer_acts_only_on_his_own_units(app, factory):
    school, people, _organizer = _roster(factory)
    factory.account("g1head", roles=[("organizer", school["g1"])])
    client = login(app.test_client(), "g1head")
    assert client.post("/accounts/open", data={"unit": school["g2"].id}).status_code == 422  # not a choice
    assert client.get(f"/accounts/slips?unit={school['g2'].id}").status_code == 403
    zhao = factory.account("zhao", member=people[2])
    assert client.post(f"/accounts/{zhao.id}/reset-code").status_code == 404
    assert ActivationCode.select().count() == 0
    teacher = factory.account("teacher", member=factory.member(school["g1"]))
    plain = login(app.test_client(), teacher.username)
    assert plain.get("/accounts/open").status_code == 403


def test_a_reset_code_gives_a_new_password_and_ends_the_old_sessions(app, factory):
    school, people, _organizer = _roster(factory)
    member = factory.account("wang", member=people[0])
    old_phone = login(app.test_client(), "wang")
    token = issue_token(member)
    desk = login(app.test_client(), "organizer")

    slip = desk.post(f"/accounts/{member.id}/reset-code")
    assert slip.status_code == 200 and "重置码" in text_of(slip)
    [code] = _codes_on(slip.get_data(as_text=True))
    new_phone = app.test_client()
    assert _use(new_phone, code).status_code == 302
    assert old_phone.get("/account").status_code == 302  # the old session is over
    assert LoginSession.select().where(LoginSession.account == member).count() == 1  # the new phone's
    assert app.test_client().post("/login", data={"username": "wang", "password": PASSWORD}).status_code == 200
    login(app.test_client(), "wang", NEW)
    assert app.test_client().get("/api/v1/events", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert AuditLog.select().where(AuditLog.action == "account.password.reset_by_code").count() == 1
    assert AuditLog.select().where(AuditLog.action == "account.reset_code", AuditLog.account_id == _organizer.id).count() == 1


def test_a_code_expires(app, factory):
    school, _people, organizer = _roster(factory)
    activation.open_accounts(school["g1"], by=organizer)
    code = activation.latest_code(Account.get(Account.username == "T1002")).code
    with time_machine.travel(utcnow() + timedelta(days=31), tick=True):
        assert _use(app.test_client(), code).status_code == 422
    assert _use(app.test_client(), code).status_code == 302


def test_hostile_codes_get_a_clear_answer(app, factory):
    _roster(factory)
    phone = app.test_client()
    for code in ("", "x" * 500, "AAAAA-AAAAA", "' OR 1=1 --", "ＡＡＡＡＡ-ＡＡＡＡＡ"):
        answer = _use(phone, code)
        assert answer.status_code == 422, code
    assert phone.get("/activate/" + "Z" * 300).status_code == 200
    assert phone.post("/activate/code", data={"code": "AB\x00CD", "password": NEW, "confirm": NEW}).status_code == 422


def test_a_password_chosen_by_the_administrator_is_changed_at_first_login(app, factory):
    school, people, _organizer = _roster(factory)
    factory.account("root", roles=["admin"])
    admin = login(app.test_client(), "root")
    assert admin.post("/accounts/", data={"username": "T1002", "password": "initial-pass-1",
                                          "staff_no": "T1002"}).status_code == 302
    member = login(app.test_client(), "T1002", "initial-pass-1")
    for page in ("/", "/events/", "/registrations/mine"):
        answer = member.get(page)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/account"), page
    assert "请先设置您自己的密码" in text_of(member.get("/account"))
    member.post("/account/password", data={"current": "initial-pass-1", "new": NEW, "confirm": NEW})
    assert member.get("/").status_code == 200
    account = Account.get(Account.username == "T1002")
    assert not account.must_change_password and account.activated_at is not None


def test_a_whole_staff_meeting_activates_from_one_address_but_guessing_codes_is_limited(app, factory):
    school = factory.school()
    organizer = factory.account("organizer", roles=[("organizer", school["school"])])
    for n in range(12):
        factory.member(school["g1"], staff_no=f"S{n:03d}")
    activation.open_accounts(school["g1"], by=organizer)
    codes = [activation.latest_code(a).code for a in Account.select().where(Account.username.startswith("S"))]
    assert len(codes) == 12
    assert [_use(app.test_client(), code).status_code for code in codes] == [302] * 12  # all behind one NAT

    guesses = [_use(app.test_client(), activation.new_code()).status_code
               for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] + 1)]
    assert guesses[-1] == 429 and set(guesses[:-1]) == {422}
