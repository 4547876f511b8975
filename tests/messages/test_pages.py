"""The message pages through the Flask test client: 我的消息 and its unread count, a member's channels on
/account, an organizer's notice to the registrants and the delivery log with failures and reads."""

from __future__ import annotations

import pytest

from core.messages import send
from core.messages.models import Delivery, Message, MessagePreference
from core.services import registrations as service
from tests.messages.conftest import deliver, free_port
from tests.support import login, text_of


@pytest.fixture
def world(factory):
    school = factory.school()
    event = factory.event(school["school"], title="教工篮球赛", venue="体育馆")
    organizer = factory.account("org", roles=[("organizer", school["school"])])
    members = [factory.member(school["g1"], name=n) for n in ("赵一", "钱二", "孙三")]
    for n, member in enumerate(members):
        factory.account(f"p{n}", member=member)
        service.register(event, service.Request(member=member), account=organizer)
    return {"school": school, "event": event, "organizer": organizer, "members": members}


def test_inbox_lists_opens_and_marks_read(app, world):
    client = login(app.test_client(), "p0")
    page = client.get("/messages")
    assert page.status_code == 200
    assert "报名成功：教工篮球赛" in text_of(page) and "1 条未读" in text_of(page)
    html = client.get("/").get_data(as_text=True)
    assert 'aria-label="我的消息（1 条未读）"' in html
    client.post("/messages/read")
    assert Message.select().where(Message.read_at.is_null(), Message.member == world["members"][0]).count() == 0
    assert 'class="badge count"' not in client.get("/").get_data(as_text=True)
    assert "还没有消息" in text_of(login(app.test_client(), "org").get("/messages"))


def test_a_message_of_someone_else_is_not_found(app, world):
    other = Message.get(Message.member == world["members"][1])
    client = login(app.test_client(), "p0")
    assert client.get(f"/messages/{other.id}").status_code == 404
    assert Message.get_by_id(other.id).read_at is None


def test_inbox_in_english(app, world):
    client = login(app.test_client(), "p0")
    client.get("/lang/en")
    page = text_of(client.get("/messages"))
    assert "My messages" in page and "1 unread" in page


def test_member_chooses_mail_on_his_account_page(app, world, mailbox):
    client = login(app.test_client(), "p1")
    assert "通知方式" in text_of(client.get("/account"))
    refused = client.post("/account/messages", data={"email": "", "channels": ["mail"]}, follow_redirects=True)
    assert "选择邮件通知时请填写电子邮箱" in text_of(refused)
    bad = client.post("/account/messages", data={"email": "not-an-address", "channels": ["mail"]},
                      follow_redirects=True)
    assert "请填写有效的电子邮箱地址" in text_of(bad)
    assert MessagePreference.select().count() == 0
    saved = client.post("/account/messages", data={"email": "qian@example.com", "channels": ["mail"]},
                        follow_redirects=True)
    assert "通知方式已保存" in text_of(saved)
    pref = MessagePreference.get(MessagePreference.member == world["members"][1])
    assert (pref.email, pref.channels) == ("qian@example.com", ["mail"])
    send(world["members"][1], "event.broadcast", {"title": "a", "text": "b"}, event=world["event"], dedupe="x",
         group=False)
    deliver()
    assert [m["Subject"] for m in mailbox.to("qian@example.com")] == ["请验证您的电子邮箱", "教工篮球赛：a"]


def test_organizer_notice_goes_once_to_every_registrant_and_the_group(app, world, robots, mailbox):
    event = world["event"]
    MessagePreference.create(member=world["members"][2], email="sun@example.com", channels=["mail"])
    client = login(app.test_client(), "org")
    page = client.get(f"/events/{event.id}/messages")
    assert page.status_code == 200 and "发给 3 位报名者" in text_of(page)
    form = {"title": "改期", "text": "比赛改到周五下午 3 点", "nonce": "form-1"}
    answer = client.post(f"/events/{event.id}/messages", data=form, follow_redirects=True)
    assert "通知已排队发送给 3 人" in text_of(answer)
    again = client.post(f"/events/{event.id}/messages", data=form, follow_redirects=True)  # sent twice
    assert "通知已排队发送给 0 人" in text_of(again)
    notices = Message.select().where(Message.kind == "event.broadcast")
    assert sorted(m.member.name for m in notices if m.member) == ["孙三", "赵一", "钱二"]
    assert sum(1 for m in notices if m.member is None) == 1
    deliver()
    assert [m["Subject"] for m in mailbox.to("sun@example.com")] == ["教工篮球赛：改期"]
    assert len(robots.at("/wecom")) == 1 and len(robots.at("/dingtalk")) == 1
    assert client.post(f"/events/{event.id}/messages", data={"title": "", "text": ""}).status_code == 422
    # the event page shows the organizer the block that leads there
    assert "发通知、查看发送记录" in text_of(client.get(f"/events/{event.id}"))
    assert "发通知、查看发送记录" not in text_of(login(app.test_client(), "p0").get(f"/events/{event.id}"))


def test_delivery_log_shows_sent_failed_with_reason_and_read(app, world, mailbox):
    event = world["event"]
    zhao, qian, sun = world["members"]
    MessagePreference.create(member=zhao, email="zhao@example.com", channels=["mail"])
    MessagePreference.create(member=qian, email="bounce@example.com", channels=["mail"])
    MessagePreference.create(member=sun, email="sun@example.com", channels=["mail"])
    for member in (zhao, qian):
        send(member, "event.broadcast", {"title": "通知", "text": "带水杯"}, event=event, dedupe=f"n{member.id}",
             group=False)
    deliver()
    app.config.update(MAIL_URL=f"smtp://127.0.0.1:{free_port()}", MESSAGE_MAX_ATTEMPTS=1)  # the server is gone
    send(sun, "event.broadcast", {"title": "通知", "text": "带水杯"}, event=event, dedupe="down", group=False)
    deliver()
    login(app.test_client(), "p0").get(f"/messages/{Message.get(Message.dedupe_key == f'n{zhao.id}').id}")
    page = login(app.test_client(), "org").get(f"/events/{event.id}/messages")
    assert page.status_code == 200
    text = text_of(page)
    assert "已发送 1，失败 2，待发送 0，已读 1" in text
    assert "bounce@example.com： 失败 收件地址被拒绝：550 5.1.1 &lt;bounce@example.com&gt;: mailbox unavailable" in text
    assert "sun@example.com： 失败 无法连接邮件服务器 127.0.0.1" in text
    assert {d.status for d in Delivery.select()} == {"sent", "failed"}


def test_an_organizer_sends_a_notice_to_his_units_members_once(app, world, robots, mailbox, factory):
    school = world["school"]
    g2_member = factory.member(school["g2"], name="李四")
    head = login(app.test_client(), "org")
    page = head.get("/messages/notice")
    assert page.status_code == 200 and "初二年级组" in text_of(page)
    form = {"unit": school["g1"].id, "title": "体检通知", "text": "周三上午体检，请空腹", "nonce": "n-1"}
    answer = head.post("/messages/notice", data=form, follow_redirects=True)
    assert "通知已排队发送给 3 人" in text_of(answer)
    head.post("/messages/notice", data=form)  # the same form sent twice: once
    notices = Message.select().where(Message.kind == "unit.broadcast", Message.member.is_null(False))
    assert {m.member_id for m in notices} == {m.id for m in world["members"]}
    assert g2_member.id not in {m.member_id for m in notices}
    assert notices[0].subject == "初一年级组：体检通知" and notices[0].body == "周三上午体检，请空腹"
    assert "体检通知 · 3 人" in text_of(head.get("/messages/notice"))
    deliver()
    texts = [p["json"]["text"]["content"] for p in robots.posts]
    assert texts and all(t == "【初一年级组】体检通知\n周三上午体检，请空腹" for t in texts)

    # An organizer of another unit cannot send to this one, whatever he posts.
    from core.models import Unit

    other = Unit.create_child("外校工会", school["district"], kind="grassroots")
    factory.account("other_org", roles=[("organizer", other)])
    stranger = login(app.test_client(), "other_org")
    assert "初一年级组" not in text_of(stranger.get("/messages/notice"))
    refused = stranger.post("/messages/notice", data=form | {"nonce": "n-2"})
    assert refused.status_code in (404, 422)
    assert Message.select().where(Message.kind == "unit.broadcast", Message.member.is_null(False)).count() == 3
