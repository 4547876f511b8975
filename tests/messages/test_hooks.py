"""The two message hooks, through the example plugin installed by its entry point: its own kind of
message (in the member's language, with a group text) and its own channel (短信 through a provider's
HTTP API, here the local endpoint), chosen by the member like mail."""

from __future__ import annotations

import pytest

from core.db import close_all, db
from core.messages import send
from core.messages.channels import person_channels
from core.messages.kinds import all_kinds
from core.messages.models import Delivery
from core.messages.preferences import save
from core.migrate import migrate
from tests.conftest import USING_PG, _truncate_postgres
from tests.messages.conftest import deliver, message_settings
from tests.support import Factory


@pytest.fixture
def sms_app(example_installed, make_app, smtp_server, robot_server):
    port = robot_server.server_address[1]
    application = make_app(**message_settings(smtp_server, robot_server), EXAMPLE_SMS_URL=f"http://127.0.0.1:{port}/sms")
    with application.app_context():
        migrate(application.extensions["huodong_pm"])
    if USING_PG:
        _truncate_postgres()
    ctx = application.app_context()
    ctx.push()
    db.connect(reuse_if_open=True)
    yield application
    if not db.is_closed():
        db.close()
    ctx.pop()
    close_all()


def test_hook_message_kinds(sms_app, robots, mailbox):
    kind = all_kinds()["example.book_chosen"]
    assert kind.label == "书目已选定"
    f = Factory(sms_app)
    school = f.school()
    member = f.member(school["g1"], name="孙丽")
    account = f.account("sunli", member=member)
    account.language = "en"
    account.save()
    event = f.event(school["school"], title="四月读书会")
    message = send(member, "example.book_chosen", {"title": "平凡的世界"}, event=event, dedupe="book:1")
    assert message.subject == "Book chosen: 四月读书会"
    assert message.body == "孙丽, this meeting reads “平凡的世界”: please read it before."
    deliver()
    texts = [p["json"]["text"]["content"] for p in robots.posts]
    assert len(texts) == 2 and all(t.startswith("【四月读书会】本次书目：《平凡的世界》") for t in texts)


def test_hook_message_channels(sms_app, robots, client_for_sms):
    assert "example_sms" in {c.name for c in person_channels()}
    f = Factory(sms_app)
    school = f.school()
    member = f.member(school["g1"], name="周杰", phone="13912345678")
    f.account("zhoujie", member=member)
    client = client_for_sms("zhoujie")
    page = client.get("/account")
    assert "短信" in page.get_data(as_text=True)
    answer = client.post("/account/messages", data={"email": "", "channels": ["example_sms"]})
    assert answer.status_code == 302
    event = f.event(school["school"], title="四月读书会")
    send(member, "registration.received", {}, event=event, dedupe="sms:1", group=False)
    lines = deliver()
    [post] = robots.at("/sms")
    assert post["json"]["phone"] == "13912345678"
    assert post["json"]["text"].startswith("报名成功：四月读书会\n周杰，您已报名“四月读书会”。")
    assert Delivery.get().status == "sent" and lines[0].startswith("已发送 #1 example_sms → 13912345678")
    robots.answers[:] = [(503, {})]
    save(member, email="", channels=["example_sms"])
    send(member, "registration.promoted", {}, event=event, dedupe="sms:2", group=False)
    lines = deliver()
    assert "短信接口 127.0.0.1" in lines[0] and "答复 HTTP 503" in lines[0] and "秒后重试" in lines[0]
    assert Delivery.select().where(Delivery.status == "queued").count() == 1


@pytest.fixture
def client_for_sms(sms_app):
    from tests.support import login

    def make(username):
        return login(sms_app.test_client(), username)

    return make


def test_hook_scheduled(sms_app):
    from datetime import timedelta

    from huodong_example.models import BookPick

    from core.messages.models import Message
    from core.messages.reminders import queue_reminders
    from core.timeutil import utcnow

    f = Factory(sms_app)
    school = f.school()
    member = f.member(school["g1"], name="孙丽")
    now = utcnow()
    club = f.event(school["school"], activity_type="reading", title="四月读书会", starts_at=now + timedelta(minutes=40))
    later = f.event(school["school"], activity_type="reading", title="五月读书会", starts_at=now + timedelta(days=20))
    for event in (club, later):
        BookPick.create(event=event, member=member, title="平凡的世界")
    assert queue_reminders(now) == 1  # the plugin's hour-before notice (the club is today: no day-before one)
    assert queue_reminders(now + timedelta(minutes=10)) == 0
    [message] = Message.select().where(Message.kind == "example.book_chosen")
    assert message.event_id == club.id and "《平凡的世界》" in message.body


def test_hook_reminder_context(sms_app):
    from datetime import datetime, timedelta

    from core.messages.models import Message
    from core.messages.reminders import queue_reminders
    from core.models import Registration
    from core.timeutil import from_local, to_local, utcnow

    f = Factory(sms_app)
    school = f.school()
    day = to_local(utcnow()).date() + timedelta(days=1)
    club = f.event(school["school"], activity_type="reading", title="四月读书会",
                   starts_at=from_local(datetime(day.year, day.month, day.day, 15, 0)))
    chinese, english = f.member(school["g1"], name="孙丽"), f.member(school["g1"], name="周杰")
    account = f.account("zhoujie", member=english)
    account.language = "en"
    account.save()
    for member in (chinese, english):
        Registration.create(event=club, member=member)
    queue_reminders()
    bodies = {m.member_id: m.body for m in Message.select().where(Message.kind == "event.reminder",
                                                                  Message.member.is_null(False))}
    assert "请带上您推荐的书。" in bodies[chinese.id]
    assert "Please bring the book you picked." in bodies[english.id]
