"""The demo's teacher skills contest (seed 002 篇一): the coming 5-26 mobilization, 三字 on 5-29 in
二楼物理实验室, the micro-lessons handed in and judged in June; teachers of several grade groups
registered, three judges on each 三字 panel and on the 微型课 panel (one of them the demo login
``judge1``), and a 摄像 on the organizing committee."""

from __future__ import annotations

from datetime import datetime

from core.demo import DEMO_PASSWORD
from core.models import Account, CommitteeRole
from core.services import registrations as service
from core.services.accounts import create_account
from core.timeutil import from_local, to_local, utcnow
from plugins.skills_contest import items as item_service
from plugins.skills_contest.items import contest_items

DESCRIPTION = ("为了进一步弘扬“xx”精神，深入我校教育教学改革，提高教师业务水平，培养教学骨干，比赛促练，"
               "促进我校青年教师尽快成长，特举行教师基本功大赛。比赛内容“三字一课”：粉笔字、钢笔字、毛笔字和微型课。"
               "“两字”采用现场书写形式，在规定时间内完成粉笔字和毛笔字书写（临时提供书写内容）；钢笔字及微课教师可自行完成上交。"
               "学校设各单项比赛一、二、三等奖若干，对获奖者颁发获奖证书，分发鼓励奖品。")


def _next_may(day: int) -> int:
    today = to_local(utcnow()).date()
    return today.year if (today.month, today.day) < (5, day) else today.year + 1


def build(demo) -> None:
    """Add the contest to the demo."""
    admin = demo.accounts["admin"]
    year = _next_may(26)
    event = demo.create_event(
        "skills_contest", "teacher_skills", title=f"{year}年教师基本功大赛",
        starts_at=from_local(datetime(year, 5, 26, 15, 30)), ends_at=from_local(datetime(year, 6, 30, 17, 0)),
        venue="学校报告厅", registration_opens_at=demo.local(-1, 8, 0),
        registration_closes_at=from_local(datetime(year, 5, 25, 17, 0)), description=DESCRIPTION)
    items = {ci.item.name: ci for ci in contest_items(event)}
    # Judges: senior teachers of 综合学科组 and 高三年级组 (they do not compete in the items they judge).
    senior = demo.members_of("综合学科组")[:3] + demo.members_of("高三年级组")[:3]
    judge1 = demo.add_login("judge1", "评委（教师基本功大赛：粉笔字、毛笔字、钢笔字）", member=senior[0])
    panels = {"粉笔字": senior[:3], "毛笔字": senior[:3], "钢笔字": senior[:3], "微型课": senior[3:]}
    accounts = {judge1.member_id: judge1}
    for member in senior[1:]:
        accounts[member.id] = Account.get_or_none(Account.member == member.id) or create_account(
            f"judge-{member.staff_no.lower()}", DEMO_PASSWORD, member=member)
    for name, members in panels.items():
        for member in members:
            item_service.add_judge(items[name].item, accounts[member.id], by=admin)
    CommitteeRole.create(event=event, member=demo.members_of("行政后勤组")[2], role="摄像")
    CommitteeRole.create(event=event, member=demo.members_of("行政后勤组")[4], role="组长")
    # Young teachers of the grade groups enter the 三字 and some the 微型课.
    taken = {m.id for m in senior} | {demo.accounts["teacher"].member_id}
    chosen = []
    for group in ("初一年级组", "初二年级组", "初三年级组", "高一年级组"):
        chosen += [m for m in demo.members_of(group) if m.id not in taken][:4]
    script = [items[n].item_id for n in ("粉笔字", "毛笔字", "钢笔字")]
    for index, member in enumerate(chosen):
        ids = script + ([items["微型课"].item_id] if index % 2 == 0 else [])
        service.register(event, service.Request(member=member, items=ids), account=admin)
