"""Demo events built from the presets: the staff sports day (篇二, head1 captains 二楼办公室 and still has
his roster to hand in), the union cadres' fun sports meet (篇九), and the fun games for eight groups and
the fitness games (篇七), each with entries, referees and a referee login."""

from __future__ import annotations

from core.models import Item, Member, Team
from core.services import registrations as service
from plugins.sports_day import referees

# The demo's grade groups by office floor (as core.demo.Demo.office_of places them).
OFFICE_GROUPS = {"二楼办公室": (0, 1, 2), "三楼办公室": (3, 4, 5), "行政办公室": (6, 7)}


def _items(event) -> dict[str, Item]:
    return {i.name: i for i in event.items}


def _pick(people: list[Member], men: int, women: int, skip=()) -> list[Member]:
    pool = [m for m in people if m.id not in set(skip)]
    return [m for m in pool if m.gender == "M"][:men] + [m for m in pool if m.gender == "F"][:women]


def staff_sports_day(demo) -> None:
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "sports_day", "staff_sports_day", title="教职工“庆五一”体育竞赛", starts_at=demo.local(21, 8, 30),
        ends_at=demo.local(21, 12, 30), venue="学校操场", registration_opens_at=demo.local(-3, 8, 0),
        registration_closes_at=demo.local(14, 17, 0),
        description="以办公室为单位组队，办公室负责人任队长并牵头组队。团体总分：个人项目前三名计3、2、1分，"
                    "集体项目计5、3、1分（投篮也计集体名次）。参与奖每人50元（迟到、早退减半），"
                    "单项奖30、20、10元，团体奖300、260、200元。",
    )
    items = _items(event)
    groups = list(demo.groups)
    people = {}
    for team in Team.select().where(Team.event == event).order_by(Team.id):
        names = [groups[i] for i in OFFICE_GROUPS[team.name]]
        people[team.name] = [m for g in names for m in demo.members_of(g)]
        service.save_team(event, name=team.name, team=team, unit_ids=[demo.groups[g].id for g in names],
                          captain=people[team.name][0], account=admin)
    teams = {t.name: t for t in event.teams}
    # 三楼办公室 handed in its roster; 二楼办公室 is head1's to do (he is its captain).
    third = people["三楼办公室"]
    tug = _pick(third, 7, 3)
    relay = _pick(third, 6, 4)
    chosen: dict[int, list[int]] = {}
    for member in tug:
        chosen.setdefault(member.id, []).append(items["拔河"].id)
    for member in relay:
        chosen.setdefault(member.id, []).append(items["迎面接力（50米）"].id)
    for member in third[:3]:
        chosen.setdefault(member.id, []).append(items["乒乓球单打"].id)
    for member in third[3:8]:
        chosen.setdefault(member.id, []).append(items["定点投篮"].id)
    by_id = {m.id: m for m in third}
    service.register_batch(event, [(by_id[mid].name, service.Request(member=by_id[mid], items=ids,
                                                                     team=teams["三楼办公室"]))
                                   for mid, ids in chosen.items()], account=admin)
    # Referees from 行政办公室 staff who do not compete; one of them logs in as the demo referee.
    admin_staff = [m for m in people["行政办公室"] if m.job not in ("司机", "值班")]
    referee_member = admin_staff[1]
    demo.add_login("referee1", "裁判（体育竞赛：定点投篮、拔河）", member=referee_member)
    for item_name, member in (("定点投篮", referee_member), ("拔河", referee_member),
                              ("迎面接力（50米）", admin_staff[2]), ("乒乓球单打", admin_staff[3]),
                              ("羽毛球单打", admin_staff[4])):
        referees.propose(event, items[item_name], member, account=admin)


def cadres_fun_meet(demo) -> None:
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "sports_day", "cadres_fun_meet", title="区直单位工会干部趣味运动会", starts_at=demo.local(12, 8, 30),
        ends_at=demo.local(12, 11, 30), venue="双兴小学田径场", unit=demo.units["district"],
        registration_opens_at=demo.local(-2, 8, 0),
        description="8:00签到，8:30比赛。每人限报3项，其中必选一项带*项目（1-3项）。根据报名情况录取相应名次；"
                    "获奖选手取最好名次给予奖励；参赛选手均有纪念奖。",
    )
    items = list(event.items.order_by(Item.sort))
    people = [m for g in ("初二年级组", "高一年级组") for m in demo.members_of(g)
              if m.id != demo.accounts["teacher"].member_id][:9]
    for index, member in enumerate(people):
        chosen = [items[index % 3].id, items[3 + index % 4].id]
        service.register(event, service.Request(member=member, items=chosen), account=admin)
    referees.propose(event, items[0], demo.members_of("高二年级组")[0], account=admin)


def eight_groups(demo) -> None:
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "fun_games", "eight_groups", title="教职工趣味游戏", starts_at=demo.local(9, 15, 30),
        ends_at=demo.local(9, 17, 30), venue="学校操场", registration_opens_at=demo.local(-1, 8, 0),
        registration_closes_at=demo.local(7, 17, 0),
        description="本着娱乐第一、比赛第二、重在参与的原则，以年级为单位分八组。每个项目参加人员尽量不要重复；"
                    "负责游戏的工会成员不参与他负责的游戏。活动结束后饭堂共聚晚餐。",
    )
    items = _items(event)
    teams = {t.name: t for t in event.teams}
    # The union members who run the games are their referees and so may not play in them.
    runners = demo.members_of("综合学科组")
    for name, member in zip(("顶橘子", "搭桥过河", "大家乐套圈"), runners[:3], strict=True):
        referees.propose(event, items[name], member, account=admin)
    for group in ("初一年级组", "初二年级组", "高一年级组"):
        team = teams[group]
        people = [m for m in demo.members_of(group) if m.id != demo.accounts["teacher"].member_id]
        service.register_batch(event, [(m.name, service.Request(member=m, items=[items["顶橘子"].id], team=team))
                                       for m in people[:8]], account=admin)


def fitness_fun(demo) -> None:
    admin = demo.accounts["admin"]
    event = demo.create_event(
        "fun_games", "fitness_fun", title="教职工健身趣味活动", starts_at=demo.local(30, 8, 30),
        ends_at=demo.local(30, 11, 30), venue="学校操场", registration_opens_at=demo.local(-1, 8, 0),
        registration_closes_at=demo.local(25, 17, 0),
        description="强身健体营造温馨团队，心手相牵构建和谐校园。跳绳、踢毽、猜谜、滚铁环接力赛、羊角球竞速接力。",
    )
    items = _items(event)
    for group in ("高二年级组", "高三年级组"):
        for index, member in enumerate(demo.members_of(group)[:6]):
            chosen = [items["跳绳"].id if index % 2 == 0 else items["踢毽"].id, items["猜谜"].id]
            service.register(event, service.Request(member=member, items=chosen), account=admin)


def build(demo) -> None:
    """Add the sports day and fun games demo events."""
    staff_sports_day(demo)
    cadres_fun_meet(demo)
    eight_groups(demo)
    fitness_fun(demo)
