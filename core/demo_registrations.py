"""A demo event that shows the registration rules of the seed plans, as an event of the core's
``general`` type: a spring outing (members free, family members 25 yuan of the 50 yuan cost, 40 places
with a waiting list). The staff sports day (篇二) and the cadres' fun sports meet (篇九) come from the
sports_day plugin's presets.

It is titled 【报名演示】 and kept apart from the activity plugins' own demo events, so that a
plugin's presets can replace it.
"""

from __future__ import annotations

from decimal import Decimal

from core.models import Item, Member
from core.services import registrations as service

PREFIX = "【报名演示】"


def _items(event, rows) -> dict[str, Item]:
    made = {}
    for sort, row in enumerate(rows, start=1):
        made[row["name"]] = Item.create(event=event, sort=sort, **row)
    return made


def _pick(members: list[Member], men: int, women: int) -> list[Member]:
    return [m for m in members if m.gender == "M"][:men] + [m for m in members if m.gender == "F"][:women]


def outing(demo) -> None:
    """A spring outing: members free, family members half of the 50 yuan cost, 40 places with a waiting list."""
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "general", None, title=PREFIX + "春季踏青（家属半价）", starts_at=demo.local(16, 9, 30),
        ends_at=demo.local(16, 17, 0), venue="东湖湿地公园", capacity=40, fee=Decimal("50.00"),
        registration_opens_at=demo.local(-5, 8, 0), registration_closes_at=demo.local(6, 17, 0),
        description="全体教职工参加（司机、值班人员除外）。会员免费，家属每人 25 元，其余由工会承担。"
                    "报名截止后名单锁定（车辆、用餐已预订）。",
    )
    service.save_rules(event, {"exclude_jobs": ["司机", "值班"], "family": {"allowed": True, "max_per_member": 2},
                               "prices": {"member": "0", "family": "25"}, "waitlist": True}, account=admin)
    people = [m for g in ("高二年级组", "高三年级组", "综合学科组") for m in demo.members_of(g)][:24]
    for index, member in enumerate(people):
        guests = [service.GuestData(name=member.name[0] + "家属", relation="配偶")] if index % 3 == 0 else []
        if index % 6 == 0:
            guests.append(service.GuestData(name=member.name[0] + "小朋友", relation="子女", is_child=True))
        service.register(event, service.Request(member=member, guests=guests), account=admin)


def build_registration_demo(demo) -> None:
    """Add the registration demo event (the sports days are the sports_day plugin's)."""
    outing(demo)
