"""Each channel against a real receiver: mail to an SMTP server (aiosmtpd), 企业微信 and 钉钉 robots to a
local HTTP endpoint (钉钉's signature checked as 钉钉 checks it); bad settings, refusals and outages fail
with a reason, are retried when that can help, and never raise out of the worker."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.messages import send
from core.messages.channels import dingtalk_sign
from core.messages.models import Delivery, Message
from core.messages.outbox import notify_group
from core.timeutil import utcnow
from tests.messages.conftest import DINGTALK_SECRET, deliver, dingtalk_signature_ok, free_port, mail_ready


@pytest.fixture
def event(factory):
    school = factory.school()
    return factory.event(school["school"], title="教工篮球赛", venue="学校体育馆")


def member_with_mail(factory, event, address, name="李华"):
    member = factory.member(event.unit, name=name)
    mail_ready(member, address)
    return member


def test_group_notices_reach_both_robots(event, robots):
    notify_group("event.broadcast", {"title": "集合时间", "text": "8:00 东门集合"}, event=event, dedupe="g1")
    lines = deliver()
    wecom, dingtalk = robots.at("/wecom"), robots.at("/dingtalk")
    assert len(wecom) == 1 and len(dingtalk) == 1, lines
    for post in (wecom[0], dingtalk[0]):
        assert post["json"]["msgtype"] == "text"
        assert post["json"]["text"]["content"].startswith("【教工篮球赛】集合时间\n8:00 东门集合")
        assert post["content_type"].startswith("application/json")
    assert wecom[0]["query"] == {"key": ["test-key"]}
    assert dingtalk_signature_ok(dingtalk[0])
    assert not dingtalk_signature_ok(dingtalk[0], secret="SECwrong")


def test_dingtalk_sign_matches_the_documented_example():
    # HMAC-SHA256 over "timestamp\nsecret", base64: computed independently here
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest()).decode()
    assert dingtalk_sign("SECabc", 1700000000000) == expected


def test_a_personal_message_never_goes_to_a_group_robot(event, factory, robots, mailbox):
    member = member_with_mail(factory, event, "lihua@example.com")
    send(member, "registration.withdrawn", {"by": "组织者", "reason": "体检未通过"}, event=event, dedupe="p1")
    deliver()
    assert robots.posts == []
    assert len(mailbox.to("lihua@example.com")) == 1


def test_a_promotion_tells_the_group_with_a_masked_name_only(event, factory, robots):
    member = member_with_mail(factory, event, "lihua@example.com", name="李华强")
    send(member, "registration.promoted", {}, event=event, dedupe="promo")
    deliver()
    texts = [p["json"]["text"]["content"] for p in robots.posts]
    assert len(texts) == 2
    assert all("李*强" in t and "李华强" not in t for t in texts), texts


def test_a_refused_address_fails_at_once_with_the_servers_reason(event, factory, mailbox):
    member = member_with_mail(factory, event, "bounce@example.com")
    send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="bounce")
    lines = deliver()
    delivery = Delivery.get(Delivery.channel == "mail")
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.last_error.startswith("收件地址被拒绝：550")
    assert any("失败" in line and "不再重试" in line for line in lines), lines
    assert mailbox.mails == []


def test_an_unreachable_mail_server_is_retried_with_back_off_then_failed(app, event, factory, mailbox, smtp_server):
    closed = free_port()  # nothing listens there
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{closed}", MESSAGE_MAX_ATTEMPTS=3, MESSAGE_RETRY_SECONDS=60)
    member = member_with_mail(factory, event, "lihua@example.com")
    send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="down")
    before = utcnow()
    lines = deliver()
    delivery = Delivery.get(Delivery.channel == "mail")
    assert delivery.status == "queued" and delivery.attempts == 1
    assert delivery.last_error.startswith(f"无法连接邮件服务器 127.0.0.1:{closed}")
    assert timedelta(seconds=59) < delivery.next_attempt_at - before < timedelta(seconds=62)
    assert "60 秒后重试" in lines[0]
    assert deliver() == []  # not due yet
    Delivery.update(next_attempt_at=utcnow()).execute()
    deliver()
    delivery = Delivery.get(Delivery.channel == "mail")
    assert delivery.attempts == 2 and timedelta(seconds=119) < delivery.next_attempt_at - utcnow() < timedelta(seconds=122)
    Delivery.update(next_attempt_at=utcnow()).execute()
    lines = deliver()
    delivery = Delivery.get(Delivery.channel == "mail")
    assert delivery.status == "failed" and delivery.attempts == 3 and "不再重试" in lines[0]
    # the server comes back: nothing failed is sent behind the organizer's back, nothing was lost either
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    assert deliver() == []
    assert Message.select().where(Message.member == member).count() == 1


def test_bad_mail_settings_fail_with_a_reason(app, event, factory):
    app.config.update(MAIL_URL="union:s3cret@mail.example.com:25")
    member = member_with_mail(factory, event, "lihua@example.com")
    send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="bad")
    lines = deliver()
    delivery = Delivery.get(Delivery.channel == "mail")
    assert delivery.status == "failed"
    assert delivery.last_error == "HUODONG_MAIL_URL 无效：应为 smtp://用户:密码@主机:587"
    assert "s3cret" not in lines[0]  # the password in a bad setting is not repeated
    assert "不再重试" in lines[0]


def test_a_robot_that_answers_500_is_retried_and_an_errcode_is_a_reason(event, robots):
    robots.answers[:] = [(500, {"errmsg": "busy"}), (200, {"errcode": 310000, "errmsg": "sign not match"})]
    notify_group("event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="r1")
    deliver()
    failed = {d.channel: d for d in Delivery.select()}
    assert {d.status for d in failed.values()} == {"queued"}
    reasons = sorted(d.last_error for d in failed.values())
    assert any("HTTP 500" in r for r in reasons) and any("errcode 310000 sign not match" in r for r in reasons)
    Delivery.update(next_attempt_at=utcnow()).execute()
    deliver()
    assert {d.status for d in Delivery.select()} == {"sent"}
    assert len(robots.at("/wecom")) == 1 and len(robots.at("/dingtalk")) == 1


def test_without_robots_configured_no_group_notice_is_queued(app, event):
    app.config.update(WECOM_ROBOT_URL="", DINGTALK_ROBOT_URL="")
    assert notify_group("event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="none") is None
    assert Message.select().count() == 0


def test_a_channel_that_no_longer_exists_fails_with_a_reason(event, factory):
    member = member_with_mail(factory, event, "lihua@example.com")
    message = send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="gone")
    Delivery.update(channel="sms").where(Delivery.message == message).execute()
    lines = deliver()
    gone = Delivery.get(Delivery.channel == "sms")
    assert gone.status == "failed" and "没有名为 sms 的渠道" in gone.last_error
    assert lines


def test_the_dingtalk_secret_is_optional(app, event, robots):
    app.config.update(DINGTALK_ROBOT_SECRET="", WECOM_ROBOT_URL="")
    notify_group("event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="nosign")
    deliver()
    [post] = robots.at("/dingtalk")
    assert post["query"] == {"access_token": ["t"]}
    assert DINGTALK_SECRET  # the fixture's secret was not sent


def test_a_robot_address_that_is_no_address_fails_at_once(app, event, robots):
    app.config.update(WECOM_ROBOT_URL="qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", DINGTALK_ROBOT_URL="")
    notify_group("event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="badurl")
    lines = deliver()
    [delivery] = Delivery.select()
    assert delivery.status == "failed" and delivery.attempts == 1
    assert delivery.last_error == "企业微信群机器人地址无效：应以 https:// 开头"  # not the key it holds
    assert "不再重试" in lines[0] and robots.posts == []


def test_an_unreachable_robot_is_retried(app, event, robots):
    app.config.update(WECOM_ROBOT_URL=f"http://127.0.0.1:{free_port()}/wecom", DINGTALK_ROBOT_URL="")
    notify_group("event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="down-robot")
    deliver()
    [delivery] = Delivery.select()
    assert delivery.status == "queued" and delivery.last_error.startswith("无法连接企业微信群机器人 127.0.0.1:")
