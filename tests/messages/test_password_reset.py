"""A forgotten password, reset by the member himself through the mail address he proved his: the address is
verified by a link mailed to it (through the real SMTP server), and only a verified address receives a
reset link, which works once, for an hour, ends his other sessions and stays out of 我的消息.
The same answer whoever is named; forged, stale and replayed links fail."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine

from core.messages.models import Message, MessagePreference
from core.messages.preferences import save
from core.models import ActivationCode, AuditLog
from core.timeutil import utcnow
from tests.messages.conftest import deliver
from tests.support import login, text_of

NEW = "brand-new-secret-7"
LINK = re.compile(r"http://huodong\.test(/\S+)")


def _link(mail) -> str:
    return LINK.search(mail.get_content()).group(1)


@pytest.fixture
def teacher(app, factory):
    school = factory.school()
    member = factory.member(school["g1"], name="韩梅梅", staff_no="T2001")
    account = factory.account("meimei", member=member)
    return member, account


def test_an_address_is_verified_by_the_link_mailed_to_it(app, client, teacher, mailbox):
    member, _account = teacher
    login(client, "meimei")
    client.post("/account/messages", data={"email": "meimei@example.com", "channels": []})
    assert "邮箱未验证" in text_of(client.get("/account"))
    deliver()
    [mail] = mailbox.to("meimei@example.com")
    assert mail["Subject"] == "请验证您的电子邮箱"
    client.post("/account/email/verify")  # asked again within the hour: no second mail
    deliver()
    assert len(mailbox.to("meimei@example.com")) == 1

    answer = app.test_client().get(_link(mail))  # opened anywhere: holding the mailbox is the proof
    assert answer.status_code == 302
    assert MessagePreference.get(MessagePreference.member == member).email_verified_at is not None
    assert "邮箱已验证" in text_of(client.get("/account"))
    assert AuditLog.select().where(AuditLog.action == "account.email.verified").count() == 1


def test_forged_stale_and_superseded_verification_links_fail(app, client, teacher, mailbox):
    member, _account = teacher
    save(member, email="old@example.com", channels=[])
    deliver()
    old_link = _link(mailbox.to("old@example.com")[0])
    assert client.get("/account/email/verify/WyJmb3JnZWQiXQ.abc.def").status_code == 422
    save(member, email="new@example.com", channels=[])  # changed before opening the first link
    answer = client.get(old_link)
    assert answer.status_code == 422 and "该邮箱已不是账号中填写的邮箱" in text_of(answer)
    deliver()
    new_link = _link(mailbox.to("new@example.com")[0])
    with time_machine.travel(timedelta(days=4)):
        assert "验证链接已过期" in text_of(client.get(new_link))
    assert MessagePreference.get(MessagePreference.member == member).email_verified_at is None


def test_a_forgotten_password_is_reset_through_the_verified_address_only(app, teacher, mailbox):
    member, account = teacher
    save(member, email="meimei@example.com", channels=[])
    form = app.test_client()
    # Unverified: the same answer, and nothing is sent.
    page = text_of(form.post("/password/forgot", data={"identifier": "meimei"}))
    assert "如果该账号已验证电子邮箱" in page
    deliver()
    assert [m["Subject"] for m in mailbox.to("meimei@example.com")] == ["请验证您的电子邮箱"]
    form.get(_link(mailbox.to("meimei@example.com")[0]))

    other_session = login(app.test_client(), "meimei")
    for who in ("T2001", "nobody-here"):  # his staff number works too; a stranger's name reads the same
        assert "如果该账号已验证电子邮箱" in text_of(form.post("/password/forgot", data={"identifier": who}))
    deliver()
    [reset] = [m for m in mailbox.to("meimei@example.com") if m["Subject"] == "重设密码"]
    assert "meimei" in reset.get_content() and "1 小时内" in reset.get_content()
    link = _link(reset)
    assert Message.select().where(Message.kind == "account.reset", Message.member == member).count() == 1
    assert "申请了重设密码" not in text_of(other_session.get("/messages"))  # a key, not a message to keep

    code = urlparse(link).path.rsplit("/", 1)[1]
    answer = form.post("/activate/code", data={"code": code, "password": NEW, "confirm": NEW})
    assert answer.status_code == 302, text_of(answer)
    assert other_session.get("/account").status_code == 302  # his other sessions end
    login(app.test_client(), "meimei", NEW)
    again = form.post("/activate/code", data={"code": code, "password": "another-pass-1", "confirm": "another-pass-1"})
    assert again.status_code == 422  # once only
    assert AuditLog.select().where(AuditLog.action == "account.password.reset_by_mail").count() == 1
    assert AuditLog.select().where(AuditLog.action == "account.password.reset_mailed").count() == 1


def test_a_mailed_link_lasts_an_hour_and_never_appears_on_a_slip(app, client, teacher, mailbox, factory):
    member, account = teacher
    save(member, email="meimei@example.com", channels=[])
    MessagePreference.update(email_verified_at=utcnow()).where(MessagePreference.member == member).execute()
    client.post("/password/forgot", data={"identifier": "meimei"})
    deliver()
    [reset] = [m for m in mailbox.to("meimei@example.com") if m["Subject"] == "重设密码"]
    code = urlparse(_link(reset)).path.rsplit("/", 1)[1]
    assert ActivationCode.get(ActivationCode.account == account).purpose == "mail"
    factory.account("org", roles=[("organizer", member.unit)])
    desk = login(app.test_client(), "org")
    slips = desk.get(f"/accounts/slips?unit={member.unit_id}")
    assert slips.status_code == 200 and code not in text_of(slips).replace("-", "")
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        answer = client.post("/activate/code", data={"code": code, "password": NEW, "confirm": NEW})
    assert answer.status_code == 422


def test_asking_again_and_again_is_stopped(app, client, teacher):
    for _ in range(5):
        assert client.post("/password/forgot", data={"identifier": "meimei"}).status_code == 200
    answer = client.post("/password/forgot", data={"identifier": "meimei"})
    assert answer.status_code == 429 and "尝试次数过多" in text_of(answer)


def test_the_login_page_leads_to_the_reset(app, client):
    assert "/password/forgot" in client.get("/login").get_data(as_text=True)


@pytest.mark.browser
def test_a_member_verifies_his_address_and_resets_his_password_on_his_phone(app, teacher, mailbox, phone_for):
    phone = phone_for()
    phone.login("meimei")
    phone.goto("/account")
    phone.page.fill("#email", "meimei@example.com")
    phone.page.click("#message-channels button[type=submit]")
    phone.check()
    assert "验证邮件已发往 meimei@example.com" in phone.text()
    deliver()
    phone.goto(_link(mailbox.to("meimei@example.com")[0]))
    phone.check()
    assert "邮箱 meimei@example.com 已验证" in phone.text()

    stranger = phone_for()  # his own phone, logged out: he forgot his password
    stranger.goto("/login")
    stranger.page.click("text=忘记密码")
    stranger.check()
    stranger.page.fill("input[name=identifier]", "T2001")
    stranger.page.click("main form button[type=submit]")
    stranger.check()
    assert "重设密码的链接已发往该邮箱" in stranger.text()
    deliver()
    [reset] = [m for m in mailbox.to("meimei@example.com") if m["Subject"] == "重设密码"]
    stranger.goto(_link(reset))
    assert "韩*梅" in stranger.text()
    stranger.page.fill("input[name=password]", NEW)
    stranger.page.fill("input[name=confirm]", NEW)
    stranger.page.click("main form button[type=submit]")
    stranger.page.wait_for_load_state("load")
    stranger.check()
    assert "密码已设置" in stranger.text()
    phone.goto("/account")
    assert "/login" in phone.page.url  # the session on the other phone ended
