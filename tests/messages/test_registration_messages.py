"""What registrations tell their members, end to end through the real pages: registered, waitlisted,
promoted when someone withdraws (inbox, a real SMTP server's mailbox and the robots), changed or
withdrawn by the organizer (with his reason); a refused registration queues nothing."""

from __future__ import annotations

import pytest

from core.errors import Invalid
from core.messages.models import Delivery, Message
from core.models import Registration
from core.services import registrations as service
from core.services.registrations import save_rules
from tests.messages.conftest import deliver, dingtalk_signature_ok, mail_ready
from tests.support import login, text_of


@pytest.fixture
def school(factory):
    return factory.school()


def person(factory, school, username, name, email=None):
    member = factory.member(school["g1"], name=name)
    factory.account(username, member=member)
    if email:
        mail_ready(member, email)
    return member


def subjects(member) -> list[str]:
    return [m.subject for m in Message.select().where(Message.member == member).order_by(Message.id)]


def test_waitlisted_member_is_promoted_when_someone_withdraws(app, factory, school, mailbox, robots):
    event = factory.event(school["school"], title="秋季登山", capacity=1, venue="白云山南门")
    first = person(factory, school, "first", "钱一")
    second = person(factory, school, "second", "孙二强", email="sun@example.com")
    client_first = login(app.test_client(), "first")
    client_second = login(app.test_client(), "second")
    assert client_first.post(f"/events/{event.id}/register", data={}).status_code == 302
    assert client_second.post(f"/events/{event.id}/register", data={}).status_code == 302
    assert subjects(first) == ["报名成功：秋季登山"]
    assert subjects(second) == ["已进入候补：秋季登山"]
    assert "候补名单第 1 位" in Message.get(Message.member == second).body
    deliver()
    assert [m["Subject"] for m in mailbox.to("sun@example.com")] == ["已进入候补：秋季登山"]

    # the first withdraws on his own page: the second moves up and is told
    assert client_first.post(f"/events/{event.id}/withdraw", data={}).status_code == 302
    assert Registration.get(Registration.member == second).status == "active"
    assert subjects(first) == ["报名成功：秋季登山"]  # his own withdrawal tells him nothing new
    assert subjects(second)[-1] == "候补转正：秋季登山"
    lines = deliver()
    assert [m["Subject"] for m in mailbox.to("sun@example.com")] == ["已进入候补：秋季登山", "候补转正：秋季登山"]
    assert "白云山南门" in mailbox.to("sun@example.com")[-1].get_content()
    assert f"http://huodong.test/events/{event.id}" in mailbox.to("sun@example.com")[-1].get_content()
    # the group robots hear of it, naming him only masked
    texts = {p["path"]: p["json"]["text"]["content"] for p in robots.posts}
    assert set(texts) == {"/wecom", "/dingtalk"}, lines
    assert all(t.startswith("【秋季登山】候补递补：孙*强 已转为正式报名。") for t in texts.values())
    assert dingtalk_signature_ok(robots.at("/dingtalk")[0])

    # and in his inbox, with the unread count in the menu
    page = client_second.get("/messages")
    assert "候补转正：秋季登山" in text_of(page)
    assert 'class="badge count" aria-hidden="true">2</span>' in page.get_data(as_text=True)
    promoted = Message.get(Message.member == second, Message.kind == "registration.promoted")
    assert "有人退出，您已由候补转为正式报名" in text_of(client_second.get(f"/messages/{promoted.id}"))
    assert Message.get_by_id(promoted.id).read_at is not None
    assert 'class="badge count" aria-hidden="true">1</span>' in client_second.get("/").get_data(as_text=True)


def test_organizer_changes_and_withdrawals_tell_the_member_with_the_reason(app, factory, school, mailbox):
    event = factory.event(school["school"], title="教工合唱比赛")
    member = person(factory, school, "singer", "李唱", email="li@example.com")
    organizer = factory.account("org", roles=[("organizer", school["school"])])
    reg = service.register(event, service.Request(member=member), account=organizer)
    service.register(event, service.Request(member=member, extra={"note": "x"}), account=organizer,
                     reason="调整声部")
    service.withdraw(reg, account=organizer, reason="名额调整给初三年级组")
    kinds = [m.kind for m in Message.select().where(Message.member == member).order_by(Message.id)]
    assert kinds == ["registration.received", "registration.changed", "registration.withdrawn"]
    received, changed, withdrawn = Message.select().where(Message.member == member).order_by(Message.id)
    assert "由org代为报名。" in received.body
    assert "原因：调整声部" in changed.body
    assert withdrawn.subject == "报名已被取消：教工合唱比赛" and "原因：名额调整给初三年级组" in withdrawn.body
    deliver()
    assert [m["Subject"] for m in mailbox.to("li@example.com")] == [received.subject, changed.subject,
                                                                     withdrawn.subject]


def test_a_refused_registration_queues_nothing(app, factory, school):
    event = factory.event(school["school"], capacity=1)
    save_rules(event, {"waitlist": False})
    organizer = factory.account("org", roles=[("organizer", school["school"])])
    service.register(event, service.Request(member=factory.member(school["g1"])), account=organizer)
    late = person(factory, school, "late", "周迟")
    client = login(app.test_client(), "late")
    page = client.post(f"/events/{event.id}/register", data={}, follow_redirects=True)
    assert "名额已满" in text_of(page)
    assert subjects(late) == []
    assert Delivery.select().count() == 0


def test_a_department_batch_that_fails_queues_nothing(app, factory, school):
    event = factory.event(school["school"], capacity=1)
    save_rules(event, {"waitlist": False})
    organizer = factory.account("org", roles=[("organizer", school["school"])])
    members = [factory.member(school["g1"]) for _ in range(2)]
    requests = [(m.name, service.Request(member=m)) for m in members]
    with pytest.raises(Invalid):  # the second does not fit: nothing is saved
        service.register_batch(event, requests, account=organizer)
    assert Message.select().count() == 0
