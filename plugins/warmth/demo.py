"""Demo data: 东湖街道's winter campaign, from the archive to the visit, through the real services.

Households come from 海城公交公司's drivers and the school's staff; reviewers sit at the three
levels (公交公司/实验中学 基层工会, 东湖街道工会, 海城区总工会); the district holds the funds
(a 400,000-yuan donation among them) and pays 1,500 yuan each to 250 sanitation workers, 50
auxiliary police and 100 bus drivers at 1,500 yuan each (the seed's 37.5万 is the sanitation workers'
250 × 1,500; the police and drivers come on top, paid out of the grant).
"""

from __future__ import annotations

import datetime as dt

from core.services.accounts import grant_role
from core.timeutil import utcnow
from plugins.warmth.models import Notice
from plugins.warmth.services import archive, campaigns, funds, notices, people, review, standards

REGION = "440402"


def _household(demo, member, filer, *, incomes, spendings=(), members_count=3, cause="illness", account_no,
               **flags):
    data = {"unit": filer["unit"], "member_id": member.id, "region_code": REGION, "year": demo_year(),
            "members_count": members_count, "main_cause": cause, "employer": filer["unit"].name,
            "bank_name": "海城农商银行", "bank_account": account_no, "situation": "家庭成员患病，开支较大。", **flags}
    household = archive.save_household(None, data, account=filer["account"])
    for category, amount in incomes:
        archive.add_money_line(household, {"kind": "income", "category": category, "amount": amount},
                               account=filer["account"])
    for category, amount in spendings:
        archive.add_money_line(household, {"kind": "spending", "category": category, "amount": amount},
                               account=filer["account"])
    return household


def demo_year() -> int:
    return utcnow().year


def build(demo) -> None:
    units = demo.units
    year = demo_year()
    admin = demo.accounts["admin"]
    for y in (year - 1, year):
        standards.add_version({"region_code": REGION, "region_name": "海城区", "year": y, "version": "第1版",
                               "dibao_monthly": "1000" if y == year else "950", "near_line_multiple": "1.5",
                               "medical_share": "50%", "tuition_share": "50%", "disaster_share": "50%",
                               "source": f"海城区民政局关于公布{y}年城乡低保标准的通知"}, account=admin)

    officer = demo.add_login("aid_officer", "帮扶专干（海城区总工会）", roles=[("aid_officer", units["district"])])
    logins = {}
    for key, level, unit, what in (
        ("reviewer_bus", "grassroots", units["bus"], "基层工会审核人（海城公交公司）"),
        ("reviewer_school", "grassroots", units["school"], "基层工会审核人（海城实验中学）"),
        ("reviewer_street", "township", units["street"], "乡镇街道初审人（东湖街道工会）"),
        ("reviewer_district", "county", units["district"], "县区审定人（海城区总工会）"),
    ):
        account = demo.add_login(key, what)
        grant_role(account, "reviewer", unit=unit, detail=level)
        logins[key] = account
    street_org = demo.add_login("street", "东湖街道工会组织者", roles=[("organizer", units["street"])])

    drivers = [m for m in demo.members if m.staff_no.startswith("B")]
    staff = demo.members_of("行政后勤组")
    bus = {"unit": units["bus"], "account": logins["reviewer_bus"]}
    school = {"unit": units["school"], "account": logins["reviewer_school"]}
    files = [
        _household(demo, drivers[0], bus, incomes=[("wage", "30000")], account_no="6230580000000000011"),
        _household(demo, drivers[1], bus, incomes=[("wage", "48000")], spendings=[("medical", "30000")],
                   account_no="6230580000000000029"),
        _household(demo, drivers[2], bus, incomes=[("wage", "42000")], members_count=4, cause="employment",
                   unemployed=True, account_no="6230580000000000037"),
        _household(demo, staff[3], school, incomes=[("wage", "50000")], spendings=[("tuition", "28000")],
                   cause="education", account_no="6230580000000000045"),
        _household(demo, staff[4], school, incomes=[("wage", "33000")], account_no="6230580000000000052"),
    ]
    # B006 has not paid his dues: the engine excludes him and he stays a draft file.
    excluded = _household(demo, drivers[5], bus, incomes=[("wage", "24000")], dues_paid=False,
                          account_no="6230580000000000060")
    archive.decide(excluded, account=logins["reviewer_bus"])

    for household, filer in zip(files, (bus, bus, bus, school, school), strict=True):
        review.act(household, "submit", "材料齐全，申报认定", account=filer["account"])
    for household in files[:4]:
        review.act(household, "pass", "经入户核实，情况属实", account=logins["reviewer_street"])
    notice = notices.publish(units["district"], {"title": f"{year}年东湖街道困难职工认定公示", "working_days": 5},
                             [h.id for h in files[:4]], account=logins["reviewer_district"])
    # The demo tells a season already under way: this notice ran two weeks ago. Nobody can publish a
    # notice dated in the past (the service refuses it), so the demo's history is written as such.
    opens = notices.today() - dt.timedelta(days=14)
    Notice.update(opens_on=opens, closes_on=notices.add_working_days(opens, 5)).where(Notice.id == notice.id).execute()
    notice = Notice.get_by_id(notice.id)
    objection = notices.object_to(notice, {"household_id": files[0].id, "content": "该职工家属有经营性收入，请核实。"})
    notices.resolve(objection, False, "经入户核实，家属无经营性收入，异议不成立。", account=logins["reviewer_district"])
    for household in files[:4]:
        review.act(household, "approve", "公示无异议，审定通过", account=logins["reviewer_district"])
    notices.take_down(notice, account=logins["reviewer_district"])

    funds.add_source(units["district"], {"year": year, "kind": "grant", "name": "全总、省总送温暖拨款",
                                         "amount": "300000", "received_on": f"{year}-01-05"}, account=officer)
    funds.add_source(units["district"], {"year": year, "kind": "donation", "name": "卓燃铁人志愿者爱心基金捐款",
                                         "amount": "400000", "received_on": f"{year}-01-08"}, account=officer)
    funds.add_source(units["street"], {"year": year, "kind": "budget", "name": "东湖街道工会本级投入",
                                       "amount": "50000", "received_on": f"{year}-01-06"}, account=officer)

    event = demo.create_event("general", None, title="两节送温暖走访慰问", starts_at=demo.local(3, 9, 0),
                              ends_at=demo.local(3, 17, 0), unit=units["street"], venue="东湖街道辖区",
                              description="入户走访慰问困难职工家庭。")
    street = campaigns.create(units["street"], {"year": year, "season": "winter", "title": f"{year}年东湖街道冬送温暖",
                                                "standard": "500", "goods": "米、油、棉被", "quota": 20,
                                                "event_id": event.id}, account=street_org)
    plan = campaigns.add_plan(street, {"title": "公交公司困难职工走访", "leader": "东湖街道工会主席",
                                       "team": "街道工会副主席、公交公司工会主席", "planned_on": f"{year}-01-20",
                                       "targets": "公交公司建档困难职工"}, account=street_org)
    for household, account_no in ((files[0], "6230580000000000011"), (files[1], "6230580000000000029")):
        campaigns.record_visit(street, {"household_id": household.id, "plan_id": plan.id,
                                        "visited_on": f"{year}-01-20", "visitors": "东湖街道工会主席、公交公司工会主席",
                                        "money": "500", "goods": "米、油", "bank_account": account_no,
                                        "learned": "家属住院治疗，医药费负担重。", "follow_up": "协助申请医疗救助。"},
                               account=street_org)
    campaigns.record_visit(street, {"enterprise": "海城公交公司", "visited_on": f"{year}-01-20",
                                    "visitors": "东湖街道工会主席", "learned": "企业经营平稳，一线驾驶员春节坚守岗位。"},
                           account=street_org)

    district = campaigns.create(units["district"], {"year": year, "season": "winter", "standard": "1000",
                                                    "title": f"{year}年海城区两节送温暖"}, account=demo.accounts["district"])
    campaigns.pay(district, files[3], {"amount": "1000", "bank_account": "6230580000000000045",
                                       "paid_on": f"{year}-01-22"}, account=officer)
    for group, enterprise, people_count in (("环卫工人", "海城环卫公司", 250), ("困难协警员", "海城公安分局", 50),
                                            ("公交驾驶员", "海城公交公司", 100)):
        campaigns.collective_visit(district, {"group_name": group, "enterprise": enterprise, "people": people_count,
                                              "amount_each": "1500", "visited_on": f"{year}-01-25",
                                              "visitors": "区总工会主席"}, account=demo.accounts["district"])

    people.assign_responsible(files[0], {"cadre_id": logins["reviewer_bus"].id, "role": "head"},
                              account=logins["reviewer_bus"])
    people.solve_problem(files[0], {"description": "协调孩子转学", "solved_on": f"{year}-03-02"},
                         account=logins["reviewer_bus"])
    wishes = [
        people.add_wish(units["street"], {"group": "elderly", "beneficiary": "王奶奶", "content": "一台收音机"},
                        account=street_org),
        people.add_wish(units["street"], {"group": "children", "beneficiary": "小明", "content": "一套课外书"},
                        account=street_org),
        people.add_wish(units["street"], {"group": "disabled", "beneficiary": "李师傅", "content": "一副新拐杖"},
                        account=street_org),
    ]
    people.claim_wish(wishes[1], account=demo.accounts["teacher"])
    people.fulfil_wish(wishes[1], "已送到", account=demo.accounts["teacher"])
    people.claim_wish(wishes[2], account=demo.accounts["organizer"])
