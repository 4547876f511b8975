"""The demo: a school union with the seed plans' offices and grade groups, about 80 staff of both
sexes, demo logins for every role, and (through ``huodong_demo_data``) one event of each activity
type built from its preset.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from core import privacy
from core.models import Account, Event, Member, Unit
from core.services import events as event_service
from core.services.accounts import create_account, grant_role, hash_password
from core.timeutil import from_local, to_local, utcnow

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN_M = ["伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "建国", "志强", "海峰", "文博", "振华", "国庆", "子轩", "浩然", "俊杰"]
GIVEN_F = ["芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "丽华", "玉兰", "晓燕", "雅琴", "婷婷", "思雨", "欣怡", "梦瑶", "慧敏"]
GRADE_GROUPS = ["初一年级组", "初二年级组", "初三年级组", "高一年级组", "高二年级组", "高三年级组", "行政后勤组", "综合学科组"]
OFFICES = ["二楼办公室", "三楼办公室", "行政办公室"]
DEMO_PASSWORD = "huodong2024"


def make_id_number(rng: random.Random, birth: date, male: bool, region: str = "440402") -> str:
    seq = rng.randrange(10, 99)
    sex_digit = rng.choice("13579" if male else "02468")
    first17 = f"{region}{birth:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + privacy.id_check_char(first17)


@dataclass
class Demo:
    """What plugins receive in ``huodong_demo_data``: the demo's units, people and logins."""

    school: Unit
    groups: dict[str, Unit]
    members: list[Member]
    accounts: dict[str, Account]
    units: dict[str, Unit]
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, what for)
    notes: list[str] = field(default_factory=list)  # printed after the logins
    rng: random.Random = field(default_factory=lambda: random.Random(2024))

    def members_of(self, group: str) -> list[Member]:
        unit = self.groups[group]
        return [m for m in self.members if m.unit_id == unit.id]

    def office_of(self, member: Member) -> str:
        """The office a member sits in (the seed's sports-day teams): grade groups share floors."""
        index = list(self.groups).index(next(k for k, u in self.groups.items() if u.id == member.unit_id))
        return OFFICES[0] if index < 3 else OFFICES[1] if index < 6 else OFFICES[2]

    def local(self, days_from_now: int, hour: int, minute: int = 0) -> datetime:
        """A UTC datetime ``days_from_now`` days ahead at ``hour:minute`` Beijing time."""
        today = to_local(utcnow()).date() + timedelta(days=days_from_now)
        return from_local(datetime(today.year, today.month, today.day, hour, minute))

    def create_event(self, activity_type: str, preset: str | None, *, title: str, starts_at: datetime,
                     ends_at: datetime, unit: Unit | None = None, status: str = "published", **fields) -> Event:
        data = {"title": title, "unit": unit or self.school, "starts_at": starts_at, "ends_at": ends_at} | fields
        event = event_service.create_event(activity_type_key=activity_type, preset_key=preset, data=data,
                                           account=self.accounts["admin"])
        if status != "draft":
            event_service.change_status(event, "published", account=self.accounts["admin"])
            if status != "published":
                event.status = status
                event.save()
        return event

    def add_login(self, username: str, what: str, *, member: Member | None = None, roles=()) -> Account:
        waiting = Account.get_or_none(Account.member == member.id) if member is not None else None
        if waiting is not None:  # opened for him when another part of the demo gave him a role
            Account.update(username=username, password_hash=hash_password(DEMO_PASSWORD),
                           activated_at=utcnow()).where(Account.id == waiting.id).execute()
            account = Account.get_by_id(waiting.id)
            for role in roles:
                role, unit = (role, None) if isinstance(role, str) else role[:2]
                grant_role(account, role, unit=unit)
        else:
            account = create_account(username, DEMO_PASSWORD, member=member, roles=roles)
        self.accounts[username] = account
        self.logins.append((username, DEMO_PASSWORD, what))
        return account


def build_units() -> dict[str, Unit]:
    city = Unit.create_child("海城市总工会", None, kind="federation")
    district = Unit.create_child("海城区总工会", city, kind="district")
    street = Unit.create_child("东湖街道工会", district, kind="township")
    school = Unit.create_child("海城实验中学工会", street, kind="grassroots")
    bus = Unit.create_child("海城公交公司工会", street, kind="grassroots")
    units = {"city": city, "district": district, "street": street, "school": school, "bus": bus}
    for name in GRADE_GROUPS:
        units[name] = Unit.create_child(name, school, kind="department")
    units["drivers"] = Unit.create_child("驾驶员班组", bus, kind="group")
    return units


def build_members(units: dict[str, Unit], rng: random.Random, per_group: int = 10) -> list[Member]:
    members = []
    number = 0
    today = date.today()
    for group in GRADE_GROUPS:
        for i in range(per_group):
            number += 1
            male = i % 2 == 0  # half men, half women in every group
            name = rng.choice(SURNAMES) + rng.choice(GIVEN_M if male else GIVEN_F)
            birth = date(rng.randrange(1968, 1999), rng.randrange(1, 13), rng.randrange(1, 29))
            job = "教师"
            if group == "行政后勤组":
                job = ["司机", "值班", "行政", "后勤", "行政", "后勤", "校医", "行政", "后勤", "行政"][i % 10]
            member = Member(name=name, gender="M" if male else "F", staff_no=f"T{number:03d}", unit=units[group],
                            phone=f"139{rng.randrange(10**7, 10**8)}", job=job,
                            dues_paid_until=date(today.year, 12, 31))
            member.set_id_number(make_id_number(rng, birth, male))
            member.save()
            members.append(member)
    for i in range(12):
        male = i % 4 != 0
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_M if male else GIVEN_F)
        birth = date(rng.randrange(1965, 1995), rng.randrange(1, 13), rng.randrange(1, 29))
        member = Member(name=name, gender="M" if male else "F", staff_no=f"B{i + 1:03d}", unit=units["drivers"],
                        phone=f"137{rng.randrange(10**7, 10**8)}", job="公交驾驶员",
                        dues_paid_until=date(today.year, 12, 31) if i != 5 else date(today.year - 2, 12, 31))
        member.set_id_number(make_id_number(rng, birth, male))
        member.save()
        members.append(member)
    return members


def build(pm) -> Demo:
    """Fill an empty, migrated database with the demo."""
    rng = random.Random(2024)
    units = build_units()
    members = build_members(units, rng)
    groups = {name: units[name] for name in GRADE_GROUPS}
    admin = create_account("admin", DEMO_PASSWORD, display_name="系统管理员", roles=["admin"])
    demo = Demo(school=units["school"], groups=groups, members=members, accounts={"admin": admin}, units=units,
                rng=rng)
    demo.logins.append(("admin", DEMO_PASSWORD, "系统管理员"))
    school_members = [m for m in members if m.staff_no.startswith("T")]
    demo.add_login("organizer", "学校工会组织者", member=school_members[-1], roles=[("organizer", units["school"])])
    head = demo.members_of("初一年级组")[0]
    demo.add_login("head1", "部门负责人（初一年级组）", member=head, roles=[("dept_head", units["初一年级组"])])
    demo.add_login("teacher", "参与者（教师）", member=demo.members_of("初二年级组")[1])
    demo.add_login("district", "区总工会组织者", roles=[("organizer", units["district"])])
    pm.hook.huodong_demo_data(demo=demo)
    _open_accounts(demo, "初三年级组")
    return demo


def _open_accounts(demo: Demo, group: str) -> None:
    """A grade group's accounts opened by the organizer, waiting for their holders (the activation slips)."""
    from core.services.activation import open_accounts

    unit = demo.groups[group]
    open_accounts(unit, by=demo.accounts["organizer"])
    first = next(m for m in demo.members_of(group) if Account.get_or_none(Account.member == m).activated_at is None)
    demo.notes.append(f"{group}的账号已批量开通：激活码见 /accounts/slips?unit={unit.id}（organizer 登录）；"
                      f"或在 /activate 用工号 {first.staff_no} 和手机号后四位 {first.phone[-4:]} 自助激活")


def demo_people_summary() -> str:
    return f"{Member.select().count()} 名会员，{Unit.select().count()} 个单位，{Event.select().count()} 个活动"


__all__ = ["Demo", "build", "grant_role", "DEMO_PASSWORD"]
