"""A demo event that shows the registration rules of the seed plans, as an event of the core's
``general`` type: a spring outing (members free, family members 25 yuan of the 50 yuan cost, 40 places
with a waiting list). The staff sports day (篇二) and the cadres' fun sports meet (篇九) come from the
sports_day plugin's presets.
"""Demo events that show the registration rules of the seed plans, as events of the core's
``general`` type: the staff sports day (篇二: teams by office, 拔河 and 迎面接力 10 per team with at
least 2 women, 3 / 3 / 5 places per team in the individual items), the union cadres' fun sports meet
(篇九: 7 items, at most 3 per person, one of the starred items 1–3, drivers and staff on duty
excluded). The spring outing with family prices is the outing plugin's 野狸岛 preset event.

It is titled 【报名演示】 and kept apart from the activity plugins' own demo events, so that a
plugin's presets can replace it.
"""

from __future__ import annotations

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
def sports_day(demo) -> None:
    """篇二: 教职工体育竞赛, teams by office with captains."""
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "general", None, title=PREFIX + "教职工体育竞赛（篇二）", starts_at=demo.local(21, 8, 30),
        ends_at=demo.local(21, 17, 0), venue="学校田径场、体育馆",
        registration_opens_at=demo.local(-3, 8, 0), registration_closes_at=demo.local(14, 17, 0),
        description="以办公室为单位组队，办公室负责人任队长并组建队伍。集体项目：拔河、50米迎面接力（每队10人，"
                    "至少2名女教师）；个人项目：乒乓球单打、羽毛球单打（每队3人）、定点投篮（每队5人，每人投10球）。",
    )
    service.save_rules(event, {"team_required": True, "max_items": None}, account=admin)
    items = _items(event, [
        {"name": "拔河", "kind": "team", "team_size_min": 10, "team_size_max": 10, "min_women": 2},
        {"name": "迎面接力", "kind": "team", "team_size_min": 10, "team_size_max": 10, "min_women": 2},
        {"name": "乒乓球单打", "per_team": 3},
        {"name": "羽毛球单打", "per_team": 3},
        {"name": "定点投篮", "per_team": 5},
    ])
    groups = list(demo.groups)
    offices = {"二楼办公室": groups[0:3], "三楼办公室": groups[3:6], "行政办公室": groups[6:8]}
    teams = {}
    for name, group_names in offices.items():
        people = [m for g in group_names for m in demo.members_of(g)]
        captain = people[0]
        teams[name] = service.save_team(event, name=name, unit_ids=[demo.groups[g].id for g in group_names],
                                        captain=captain, account=admin)
    # 三楼办公室 has handed in its roster; 二楼办公室 is head1's to do (he is its captain).
    third = [m for g in offices["三楼办公室"] for m in demo.members_of(g)]
    tug = _pick(third, 7, 3)
    requests = [(m.name, service.Request(member=m, items=[items["拔河"].id], team=teams["三楼办公室"])) for m in tug]
    requests[0][1].items.append(items["乒乓球单打"].id)
    requests[1][1].items.append(items["定点投篮"].id)
    service.register_batch(event, requests, account=admin)


def fun_meet(demo) -> None:
    """篇九: 工会干部趣味运动会."""
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "general", None, title=PREFIX + "工会干部趣味运动会（篇九）", starts_at=demo.local(12, 8, 30),
        ends_at=demo.local(12, 11, 30), venue="学校体育馆",
        registration_opens_at=demo.local(-2, 8, 0), registration_closes_at=demo.local(9, 17, 0),
        description="8:00 签到，8:30 开始。每人限报 3 项，须报 1–3 项（★）中的一项；人人有纪念品；"
                    "名次根据报名情况录取，一人多项获奖按最好名次奖励。司机、值班人员不参加。",
    )
    service.save_rules(event, {"max_items": 3, "min_items": 1, "min_starred": 1,
                               "exclude_jobs": ["司机", "值班"]}, account=admin)
    items = _items(event, [
        {"name": "托球跑（20米）", "starred": True},
        {"name": "一分钟跳绳", "starred": True},
        {"name": "定点投篮（10球）", "starred": True},
        {"name": "一分钟踢毽子"},
        {"name": "金鸡独立"},
        {"name": "筷子夹球（2分钟）"},
        {"name": "一分钟呼啦圈"},
    ])
    names = list(items)
    people = [m for m in demo.members_of("初二年级组") + demo.members_of("高一年级组")
              if m.id != demo.accounts["teacher"].member_id][:8]
    for index, member in enumerate(people):
        chosen = [items[names[index % 3]].id, items[names[3 + index % 4]].id]
        service.register(event, service.Request(member=member, items=chosen), account=admin)


def build_registration_demo(demo) -> None:
    """Add the two registration demo events."""
    sports_day(demo)
    fun_meet(demo)
