"""Demo data modelled on the seeds: the district union's 我为群众办实事 programme for this year
(four quarterly projects of the 四季歌 and the 微心愿 project, cadres' pledges, monthly checks with one
follow-up overdue), last month's 三个一天 logs from the 武进 report (one cadre missing a day) and a
volunteer team with its activities."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from core.models import Member, Registration
from core.timeutil import from_local, to_local, utcnow
from plugins.practical import grassroots, pledges, projects, supervision, volunteers

PROJECTS = [
    # quarter, theme, title, owner, people, money, wishes, description
    (1, "春送岗位", "春送岗位点希望", "权益保障部", 600, "0", 0,
     "联合县人社局开展“促进转移就业，助力乡村振兴”春送岗位活动，帮助下岗失业人员、农民工就业，做好招工稳岗。"),
    (2, "夏送清凉", "夏送清凉润心田", "办公室", 2000, "200000", 0,
     "深入交警大队、环卫公司、建筑工地、园区企业，向高温一线职工送去防暑降温用品。"),
    (3, "秋送助学", "秋送助学圆梦想", "权益保障部", 40, "120000", 0,
     "高考结束后上门走访建档困难职工家庭，为符合条件的大学新生每人发放 3000 元助学金。"),
    (4, "冬送温暖", "冬送温暖暖人心", "权益保障部", 400, "600000", 0,
     "“两节”期间入户走访慰问困难职工家庭，集中慰问企事业单位困难职工，发放慰问金及物资。"),
    (None, "微心愿", "认领微心愿 帮扶“穷亲戚”", "组织宣传部", 0, "0", 40,
     "工会党员志愿者服务队每季度为孤寡空巢老人、困难职工、残障人士、留守困境儿童兑现 10 个微心愿。"),
]

CADRES = [("蒋亚诚", "M", "主席"), ("吴志伟", "M", "副主席"), ("汤俊涛", "M", "办公室主任"), ("周敏", "F", "权益保障部部长")]

PLEDGES = [
    (0, "带头开展“三个一天”学习实践活动，每月深入基层企业至少三天", 1, "kept",
     "全年每月均完成三个一天，走访企业 30 余家，形成调研报告 2 篇"),
    (0, "推动高新区建立企业工会情况数据库，明确组建工会、建立工会工作办公室的目标任务", None, "partly",
     "数据库已建立，覆盖规模企业 80%，其余企业明年一季度完成"),
    (1, "牵头办好春送岗位招聘会，帮助 600 名求职者对接岗位", 0, "kept", "招聘会两场，进场求职者 640 人，达成意向 210 人"),
    (2, "每季度为结对的困难职工兑现一个微心愿", 4, "kept", "四个季度兑现心愿 4 个，有照片和签收单"),
    (3, "秋季助学金在开学前全部发放到位", 2, "not_kept", "因两户材料补交，两名学生助学金于 9 月 20 日发放，晚于开学"),
]

DAYS = [
    # cadre index, role, day of month, place, with whom, discussed, promised, follow-up
    (0, "chairman", 6, "高新区总工会", "专职工会副主席吴允超、高新区管委会党政领导",
     "研究高新区总工会年度工作思路：建立企业工会情况数据库，加强总工会自身建设，选树典型，建设企业工会工作办公室，"
     "选配培养企业工会干部，开展“三个100”评选。",
     "协助高新区总工会建立企业工会情况数据库", "已派员指导，数据库框架已建成"),
    (0, "clerk", 13, "五洋纺织机械有限公司工会工作办公室", "企业工会专职干部向保年",
     "开展工会活动时间受限、经费不足，企业工会如何制定工作计划，如何处理行政、工会、职工三者关系。",
     "送一套工会台账和资料范本", "范本已送达"),
    (0, "worker", 20, "科能电子有限公司生产车间", "一线职工、总经理唐芬",
     "体验装配岗位一天，了解职工加班、休息和食堂情况。", "推动企业职工食堂延长供餐时间", ""),
    (1, "chairman", 8, "东湖街道工会", "街道工会主席", "街道企业建会进度和职工之家建设。", "", ""),
    (1, "clerk", 15, "海城公交公司工会办公室", "工会专职干部", "驾驶员轮休和高温补贴发放情况。",
     "协调为驾驶员休息室配空调", "已协调落实两间休息室"),
    (1, "worker", 22, "海城公交公司驾驶员班组", "驾驶员", "跟车一天，了解驾驶员如厕难、就餐难。", "", ""),
    (2, "chairman", 9, "开发区总工会", "开发区工会主席", "开发区工会经费收缴和使用。", "", ""),
    (2, "clerk", 16, "海城实验中学工会", "学校工会干部", "教职工趣味运动会和踏青活动的组织。", "", ""),
    (2, "worker", 23, "园区物流企业仓库", "搬运职工", "高温时段作业安排。", "反映给企业调整高温作业时间", ""),
    (3, "chairman", 10, "东湖街道工会", "街道工会主席", "困难职工建档和送温暖对象摸底。", "", ""),
    (3, "clerk", 17, "海城公交公司工会办公室", "工会专职干部", "困难职工档案的一户一档整理。", "", ""),
    # 周敏 has not logged her day as an ordinary worker: the month view shows it missing.
]


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return from_local(datetime(year, month, day, hour, minute))


def _event(demo, preset, title, start, hours, venue, unit, activity="general", people=()):
    now = utcnow()
    event = demo.create_event(activity, preset, title=title, starts_at=start, ends_at=start + timedelta(hours=hours),
                              venue=venue, unit=unit, status="finished" if start + timedelta(hours=hours) < now
                              else "published")
    for member in people:
        Registration.create(event=event, member=member, status="active", registered_by=demo.accounts["admin"])
    return event


def build(demo) -> None:
    admin = demo.accounts["admin"]
    district = demo.units["district"]
    today = to_local(utcnow()).date()
    year = today.year

    made = {}
    for index, (quarter, theme, title, owner, people, money, wishes, text) in enumerate(PROJECTS):
        made[index] = projects.save_project(None, district, {
            "year": year, "quarter": quarter, "theme": theme, "title": title, "owner": owner,
            "target_people": people, "target_money": money, "target_wishes": wishes, "description": text}, admin)
        made[index].sort = index
        made[index].save()

    teachers = [m for m in demo.members if m.staff_no.startswith("T")]
    fair = _event(demo, "meeting", "春风行动·促进转移就业招聘会", _at(year, 3, 12, 9), 4, "县人社局人力资源市场",
                  district, people=teachers[:30])
    projects.link_event(made[0], fair, admin)
    entries = [
        (0, date(year, 3, 20), 610, "0", 0, "第二场招聘会进场求职者（人社局统计）"),
        (1, date(year, 7, 10), 250, "375000", 0, "向 250 名环卫工人每人送去 1500 元防暑降温慰问"),
        (1, date(year, 7, 18), 1500, "0", 0, "向交警大队、建筑工地、园区企业一线职工送清凉用品"),
        (2, date(year, 8, 25), 38, "114000", 0, "38 名困难职工家庭大学新生每人 3000 元助学金"),
        (4, date(year, 3, 30), 0, "0", 10, "一季度微心愿"),
        (4, date(year, 6, 28), 0, "0", 10, "二季度微心愿"),
        (4, date(year, 9, 28), 0, "0", 9, "三季度微心愿"),
    ]
    for index, on, people, money, wishes, note in entries:
        if on <= today:
            projects.add_entry(made[index], {"on": on, "people": people, "money": money, "wishes": wishes,
                                             "note": note}, admin)

    # Monthly supervision: one check a month on the quarter's project; the latest follow-up is overdue.
    checks = []
    for month in range(1, 13):
        on = date(year, month, 25)
        if on > today - timedelta(days=20):
            break
        project = made[(month - 1) // 3]
        problems = "慰问对象名单未在单位公示栏公示" if month % 3 == 0 else ""
        checks.append(supervision.add_check(project, {
            "checked_on": on, "checkers": "督查组 吴志伟、汤俊涛", "problems": problems,
            "advice": "按要求张榜公示，并留存照片" if problems else "按计划推进",
            "follow_up_due": on + timedelta(days=15) if problems else None}, admin))
    late_on = today - timedelta(days=20)
    late = supervision.add_check(made[(today.month - 1) // 3], {
        "checked_on": late_on, "checkers": "督查组 蒋亚诚", "problems": "部分慰问金发放签收单缺少本人签字",
        "advice": "逐户补签并建立台账", "follow_up_due": late_on + timedelta(days=10)}, admin)
    for record in checks:
        if record.follow_up_due and record.id != late.id:
            supervision.close_follow_up(record, "已在公示栏公示七天，无异议", admin)

    # Cadres, their pledges and last month's three days.
    cadres = []
    for index, (name, gender, position) in enumerate(CADRES):
        member = Member.create(name=name, gender=gender, staff_no=f"Q{index + 1:03d}", unit=district,
                               phone=f"1380000{index + 1:04d}", job="工会干部")
        cadres.append(grassroots.add_cadre(district, member.staff_no, position, admin))
    demo.add_login("cadre", "区总工会干部（三个一天、承诺）", member=cadres[0].member)
    for cadre_index, text, project_index, outcome, evidence in PLEDGES:
        pledge = pledges.add_pledge(cadres[cadre_index], year, {
            "content": text, "project": made[project_index].id if project_index is not None else None}, admin)
        if outcome:
            pledges.assess(pledge, outcome, evidence, admin)
    pledges.publish(district, year, "pledges", admin)

    last = (today.replace(day=1) - timedelta(days=1))
    for cadre_index, role, day, place, with_whom, discussed, promised, follow_up in DAYS:
        grassroots.log_day(cadres[cadre_index], {
            "role": role, "on": date(last.year, last.month, day), "place": place, "with_whom": with_whom,
            "discussed": discussed, "promised": promised, "follow_up": follow_up}, admin)

    # The volunteer team and its activities (tree planting, blood donation, legal advice).
    team = volunteers.create_team(district, "海城区总工会党员志愿者服务队",
                                  "义务植树、无偿献血、法律宣讲、文明劝导，结对帮扶孤寡空巢老人和困难职工", admin)
    for member in teachers[:12]:
        volunteers.add_volunteer(team, member.staff_no, admin)
    plans = [("tree_planting", "义务植树志愿服务", _at(year, 3, 12, 8, 30), 4, "城郊植树基地", teachers[:10]),
             ("blood_donation", "无偿献血志愿服务", _at(year, 6, 14, 9), 3, "中心血站献血屋", teachers[2:8]),
             ("legal_advice", "职工法律知识宣讲", demo.local(12, 14, 30), 3, "职工之家", teachers[:5])]
    for preset, title, start, hours, venue, people in plans:
        # The event joins the team by itself: it is the only team of the district union.
        _event(demo, preset, title, start, hours, venue, district, activity="volunteer", people=people)

    # Last year's totals, so that the summary compares: about +30% people and +152% money.
    this = [projects.progress(p) for p in made.values()]
    people = sum(p.people for p in this)
    money = sum((p.money for p in this), Decimal("0.00"))
    previous = projects.save_project(None, district, {"year": year - 1, "title": "上年度办实事项目（合计）",
                                                      "theme": "四季歌"}, admin)
    if people or money:
        projects.add_entry(previous, {"on": date(year - 1, 12, 31), "people": round(people / 1.3),
                                      "money": (money / Decimal("2.52")).quantize(Decimal("0.01")),
                                      "note": "上年度总结数据"}, admin)
