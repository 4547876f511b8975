"""Twin rooms by sex with wished roommates, staff on duty left out, and a paid withdrawal after the
deadline (nothing back: buses and meals are booked) against one before it."""

from __future__ import annotations

from datetime import timedelta

from core.models import Event, Registration
from core.services import registrations as reg_service
from core.timeutil import utcnow
from plugins.outing.models import Bed, Refund, Seat
from tests.plugins.outing.support import bearer, outing, register


def test_twin_rooms_by_sex_with_wished_roommates(app, factory, client):
    school, organizer, event = outing(factory, "heyuan")
    headers = bearer(organizer)
    g1 = school["g1"]
    a, b, c = (factory.member(g1, name, "M") for name in ("王一", "王二", "王三"))
    d, e = factory.member(g1, "李四", "F"), factory.member(school["g2"], "赵五", "F")
    f = factory.member(school["g2"], "钱六", "M")
    register(client, event, a, headers, extra={"roommate": c.staff_no})  # 王一 wishes 王三
    register(client, event, b, headers)
    register(client, event, c, headers)
    register(client, event, d, headers)
    register(client, event, e, headers)
    register(client, event, f, headers, extra={"roommate": d.staff_no})  # a wish across sexes is not kept
    r = client.post(f"/api/v1/outing/events/{event.id}/rooms/auto", json={}, headers=headers)
    assert r.get_json() == {"placed": 6, "rooms": 3}
    rooms = client.get(f"/api/v1/outing/events/{event.id}/rooms", headers=headers).get_json()["rooms"]
    together = {frozenset(p["name"] for p in room["people"]): room["gender"] for room in rooms}
    assert together == {frozenset({"王一", "王三"}): "M", frozenset({"王二", "钱六"}): "M",
                        frozenset({"李四", "赵五"}): "F"}
    # By hand: a woman cannot be put in a men's room, nor a third person in a full twin room.
    men = next(room for room in rooms if room["gender"] == "M")
    spare = client.post(f"/api/v1/outing/events/{event.id}/rooms", json={"name": "308", "gender": "M"},
                        headers=headers).get_json()
    key_d = next(p["key"] for room in rooms for p in room["people"] if p["name"] == "李四")
    r = client.post(f"/api/v1/outing/events/{event.id}/beds", json={"person": key_d, "room_id": spare["id"]},
                    headers=headers)
    assert r.status_code == 409 and "男房间" in r.get_json()["message"]
    assert Bed.get(Bed.person == key_d).room_id != spare["id"]  # she keeps her bed
    third = factory.member(g1, "孙七", "M")
    r = register(client, event, third, headers)
    key = f"r{r.get_json()['id']}"
    r = client.post(f"/api/v1/outing/events/{event.id}/beds", json={"person": key, "room_id": men["id"]},
                    headers=headers)
    assert r.status_code == 409 and "已住满" in r.get_json()["message"]
    assert Bed.select().where(Bed.room == men["id"]).count() == 2


def test_staff_on_duty_stay_home(app, factory, client):
    school, organizer, event = outing(factory, "shenlongzhai")
    r = register(client, event, factory.member(school["g1"], "值班老师", job="值班"), bearer(organizer))
    assert r.status_code == 409 and "岗位为“值班”的人员不参加本活动" in r.get_json()["message"]
    # The 神龙寨 plan leaves out only staff on duty: a driver may come along.
    assert register(client, event, factory.member(school["g1"], "王司机", job="司机"),
                    bearer(organizer)).status_code == 201


def test_paid_withdrawal_after_the_deadline_gets_nothing_back(app, factory, client):
    school, organizer, event = outing(factory, "yelidao")
    headers = bearer(organizer)
    member = factory.member(school["g1"], "甲老师")
    r = register(client, event, member, headers, [{"name": "甲妻", "relation": "配偶", "gender": "F"}])
    reg = Registration.get_by_id(r.get_json()["id"])
    reg_service.set_payment(reg, "paid", account=organizer)
    client.post(f"/api/v1/outing/events/{event.id}/seats/auto", json={}, headers=headers)
    assert Seat.select().where(Seat.registration == reg.id).count() == 2
    Event.update(registration_closes_at=utcnow() - timedelta(hours=1)).where(Event.id == event.id).execute()
    # After the deadline the list is frozen: the organizer withdraws him with a reason.
    r = client.post(f"/api/v1/registrations/{reg.id}/withdraw", json={}, headers=headers)
    assert r.status_code == 409 and "须填写原因" in r.get_json()["message"]
    r = client.post(f"/api/v1/registrations/{reg.id}/withdraw", json={"reason": "临时有事"}, headers=headers)
    assert r.status_code == 200, r.get_json()
    assert Refund.select().where(Refund.registration == reg.id).count() == 1
    assert Registration.get_by_id(reg.id).payment_status == "paid"
    assert Seat.select().where(Seat.registration == reg.id).count() == 0
    report = client.get(f"/api/v1/outing/events/{event.id}/costs", headers=headers).get_json()
    assert report["refunds"] == [{"registration_id": reg.id, "amount": "0.00",
                                  "note": "报名截止后退出，费用不退（车辆、用餐已预订）"}]
    assert (report["totals"]["people"], report["totals"]["refunded"]) == (0, "0.00")
