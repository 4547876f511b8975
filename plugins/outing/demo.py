"""Demo outings: the three seed plans with registrations, family members, seats and rooms."""

from __future__ import annotations

from core.models import CommitteeRole
from core.services import registrations as service
from plugins.outing import rooms, transport


def _going(demo, groups, *, skip_jobs=("司机", "值班")):
    return [m for g in groups for m in demo.members_of(g) if m.job not in skip_jobs]


def yelidao(demo) -> None:
    """篇五: registered by the department unions, families at 25 yuan, a team leader per department."""
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "outing", "yelidao", title="珠海野狸岛春季踏青", starts_at=demo.local(16, 8, 15), ends_at=demo.local(16, 16, 0),
        venue="珠海野狸岛", registration_opens_at=demo.local(-5, 8, 0),
        description="以部门工会为单位组织报名，截止前由部门工会负责人报学校工会并收取活动费用；报名过时人员不再变动。"
                    "教职工（工会会员）免费；家属按成本半价每人 25 元，其余由学校工会补贴；单车环岛游等自费。")
    for group in ("高二年级组", "高三年级组", "综合学科组"):
        people = _going(demo, [group])[:8]
        requests = []
        for index, member in enumerate(people):
            guests = []
            if index % 3 == 0:
                guests.append(service.GuestData(name=member.name[0] + "家属", relation="配偶",
                                                gender="F" if member.gender == "M" else "M"))
            if index % 4 == 0:
                guests.append(service.GuestData(name=member.name[0] + "小朋友", relation="子女", is_child=True))
            requests.append((member.name, service.Request(member=member, guests=guests,
                                                          extra={"emergency_contact": member.name[0] + "家属",
                                                                 "emergency_phone": "13800000000"})))
        service.register_batch(event, requests, account=admin)
        CommitteeRole.create(event=event, member=people[0], role="领队")
    transport.auto_assign(event, account=admin)


def heyuan(demo) -> None:
    """篇四: two days, one minibus, twin rooms; drivers and staff on duty stay home."""
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "outing", "heyuan", title="河源两日游", starts_at=demo.local(30, 9, 30), ends_at=demo.local(31, 18, 0),
        venue="万绿湖、野趣沟、镜花缘", registration_opens_at=demo.local(-2, 8, 0),
        registration_closes_at=demo.local(20, 17, 0))
    people = _going(demo, ["行政后勤组", "初三年级组"])[:16]
    for index, member in enumerate(people):
        extra = {"emergency_contact": member.name[0] + "家属", "emergency_phone": "13900000000"}
        if index == 1 and len(people) > 3:
            extra["roommate"] = people[3].staff_no
        service.register(event, service.Request(member=member, extra=extra), account=admin)
    transport.auto_assign(event, account=admin)
    rooms.auto_assign(event, account=admin)


def shenlongzhai(demo) -> None:
    """篇八: four departures with dispatchers; teachers with morning classes take a later bus."""
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "outing", "shenlongzhai", title="神龙寨观光园户外休闲拓展", starts_at=demo.local(45, 9, 30),
        ends_at=demo.local(45, 18, 0), venue="神龙寨观光园", registration_opens_at=demo.local(-1, 8, 0),
        registration_closes_at=demo.local(40, 17, 0))
    people = _going(demo, ["初一年级组", "初二年级组", "高一年级组"])
    for index, member in enumerate(people):
        guests = [service.GuestData(name=member.name[0] + "小朋友", relation="子女", is_child=True)] if index % 5 == 0 else []
        service.register(event, service.Request(member=member, guests=guests,
                                                extra={"late_bus": index % 4 == 1}), account=admin)
    transport.auto_assign(event, account=admin)


def build(demo) -> None:
    yelidao(demo)
    heyuan(demo)
    shenlongzhai(demo)
