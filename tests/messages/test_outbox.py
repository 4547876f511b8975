"""The outbox's promises: written in the cause's transaction (a rollback queues nothing, a commit is
never lost), one message per cause, texts in the recipient's language."""

from __future__ import annotations

import pytest

from core.db import db
from core.messages import send
from core.messages.models import Delivery, Message
from core.models import Account
from tests.messages.conftest import deliver, mail_ready


@pytest.fixture
def person(factory):
    school = factory.school()
    member = factory.member(school["g1"], name="王小明")
    account = factory.account("xiaoming", member=member)
    mail_ready(member, "xiaoming@example.com")
    event = factory.event(school["school"], title="教工篮球赛", venue="学校体育馆")
    return member, account, event


def test_a_rolled_back_change_sends_nothing(person, mailbox):
    member, _account, event = person
    with pytest.raises(RuntimeError), db.atomic():
        send(member, "event.broadcast", {"title": "改期", "text": "改到周五"}, event=event, dedupe="t:1")
        assert Message.select().count() >= 1  # visible inside the transaction ...
        raise RuntimeError("the change failed")
    assert Message.select().count() == 0  # ... and gone with it
    assert Delivery.select().count() == 0
    deliver()
    assert mailbox.mails == []


def test_a_committed_message_is_delivered(person, mailbox):
    member, _account, event = person
    with db.atomic():
        send(member, "event.broadcast", {"title": "改期", "text": "改到周五"}, event=event, dedupe="t:2")
    lines = deliver()
    assert [m["To"] for m in mailbox.mails] == ["xiaoming@example.com"]
    assert mailbox.mails[0]["Subject"] == "教工篮球赛：改期"
    assert "改到周五" in mailbox.mails[0].get_content()
    assert any(line.startswith("已发送") and "mail → xiaoming@example.com" in line for line in lines), lines
    assert Delivery.get(Delivery.channel == "mail").status == "sent"


def test_the_same_cause_queues_once(person, mailbox):
    member, _account, event = person
    first = send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="same")
    again = send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="same")
    assert first is not None and again is None
    assert Message.select().where(Message.member == member).count() == 1
    deliver()
    deliver()
    assert len(mailbox.to("xiaoming@example.com")) == 1


def test_a_duplicate_inside_a_postgres_transaction_does_not_abort_it(person):
    member, _account, event = person
    with db.atomic():
        send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="tx")
        send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="tx")
        Account.update(display_name="还能写").where(Account.username == "xiaoming").execute()
    assert Account.get(Account.username == "xiaoming").display_name == "还能写"


def test_texts_follow_the_members_language(person, factory):
    member, account, event = person
    chinese = send(member, "registration.promoted", {}, event=event, dedupe="zh")
    account.language = "en"
    account.save()
    english = send(member, "registration.promoted", {}, event=event, dedupe="en")
    assert chinese.subject == "候补转正：教工篮球赛" and chinese.language == "zh"
    assert english.language == "en"
    assert english.subject == "Off the waiting list: 教工篮球赛"
    assert "王小明" in english.body and "学校体育馆" in english.body


def test_without_a_chosen_channel_the_message_is_in_the_inbox_only(factory):
    school = factory.school()
    member = factory.member(school["g1"])
    event = factory.event(school["school"])
    message = send(member, "event.broadcast", {"title": "a", "text": "b"}, event=event, dedupe="inbox-only")
    assert message.read_at is None
    assert not list(message.deliveries)
