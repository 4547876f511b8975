"""送温暖 in the permissions matrix.

Files are in 实验中学工会 (a grassroots union under 区总工会). Roles of its own:
- ``aid_officer``: 帮扶专干 of 区总工会 (files, sees full files, funds, thresholds, campaigns);
- ``aid_officer_other``: 帮扶专干 of 别的学校工会 only;
- ``reviewer_grassroots``: core ``reviewer`` with detail ``grassroots`` over 实验中学工会;
- ``reviewer_township``: ``township`` over 区总工会 (the school has no street union above it);
- ``reviewer_county``: ``county`` over 区总工会;
- ``reviewer_other_unit``: ``township`` over 别的学校工会 only.

Organizers see masked files of their units and run campaigns; a reviewer acts only at his level
(another level's step answers 403) and only within his units (another unit's file is not found);
the public notice and the self-test are for everybody. Bodies are valid, so that a role passing the
coarse permission check meets the level and unit checks.
"""

from __future__ import annotations

from tests.permissions import EVERYONE, LOGGED_IN, NOBODY, SCHOOL_MEMBERS, allow

REGION = "440402"
ADMIN = {"admin"}
OFFICERS = {"aid_officer", "aid_officer_other"}
REVIEWERS = {"reviewer_grassroots", "reviewer_township", "reviewer_county", "reviewer_other_unit"}
# may see the archive somewhere (masked for organizers): the page then shows his units only
VIEWERS = {"organizer", "organizer_other", *OFFICERS, *REVIEWERS, *ADMIN}
# hold the full-file permission somewhere
PRIVATE = {*OFFICERS, *REVIEWERS, *ADMIN}
# over 实验中学工会's files: everyone who may see them, and who may file and see them in full
SCHOOL_VIEW = {"organizer", "aid_officer", "reviewer_grassroots", "reviewer_township", "reviewer_county", *ADMIN}
SCHOOL_FILE = {"aid_officer", "reviewer_grassroots", "reviewer_township", "reviewer_county", *ADMIN}
# campaigns: organizers of the school and the district's officer
CAMPAIGNERS = {"organizer", "organizer_other", *OFFICERS, *ADMIN}
SCHOOL_CAMPAIGN = {"organizer", "aid_officer", *ADMIN}
COUNTY = {"reviewer_county", *ADMIN}


def _id_number(seq: int) -> str:
    from core import privacy

    first17 = f"{REGION}19800101{seq:03d}"
    return first17 + privacy.id_check_char(first17)


def _bank_account(seq: int) -> str:
    return f"62305800000{seq:08d}"


def _file(world, seq: int, name: str):
    from plugins.warmth.services import archive

    filer = world.accounts["reviewer_grassroots"]
    household = archive.save_household(None, {
        "unit": world.school, "worker_name": name, "id_number": _id_number(seq), "region_code": REGION,
        "year": world.warmth_year, "members_count": 3, "main_cause": "illness", "bank_name": "海城农商银行",
        "bank_account": _bank_account(seq)}, account=filer)
    archive.add_money_line(household, {"kind": "income", "category": "wage", "amount": "30000"}, account=filer)
    return household


def setup(world):
    from core.services.accounts import grant_role
    from core.timeutil import utcnow
    from plugins.warmth.models import Household
    from plugins.warmth.services import campaigns, evidence, funds, notices, people, review, standards
    from tests.plugins.warmth.conftest import published_ago

    f = world.factory
    year = world.warmth_year = utcnow().year
    for role, unit in (("aid_officer", world.district), ("aid_officer_other", world.other_school)):
        world.add_role(role, f.account(role, roles=[("aid_officer", unit)]))
    for role, level, unit in (("reviewer_grassroots", "grassroots", world.school),
                              ("reviewer_township", "township", world.district),
                              ("reviewer_county", "county", world.district),
                              ("reviewer_other_unit", "township", world.other_school)):
        account = f.account(role)
        grant_role(account, "reviewer", unit=unit, detail=level)
        world.add_role(role, account)
    acc = world.accounts
    standards.add_version({"region_code": REGION, "region_name": "海城区", "year": year, "version": "第1版",
                           "dibao_monthly": "1000", "near_line_multiple": "1.5", "medical_share": "0.5",
                           "tuition_share": "0.5", "disaster_share": "0.5"}, account=acc["admin"])

    # a file being filled in, with one evidence file: the archive's pages and forms
    world.hh_draft = _file(world, 1, "张建明")
    world.evidence = evidence.upload(world.hh_draft, "诊断证明", "诊断证明.pdf", b"%PDF-1.4\n%%EOF\n",
                                     account=acc["reviewer_grassroots"])
    world.hh_closed = _file(world, 2, "李秀英")
    from plugins.warmth.services import archive

    archive.close(world.hh_closed, "recovered", "已再就业", account=acc["reviewer_grassroots"])
    world.hh_to_close = _file(world, 9, "吴海燕")
    world.warmth_cadre = acc["reviewer_grassroots"]

    # files waiting at each level
    world.hh_to_submit = _file(world, 3, "王桂兰")
    world.hh_submitted = _file(world, 4, "赵志强")
    review.act(world.hh_submitted, "submit", "申报", account=acc["reviewer_grassroots"])
    world.hh_first_reviewed = _file(world, 5, "陈国平")
    world.hh_for_notice = _file(world, 6, "刘桂芳")
    for household in (world.hh_first_reviewed, world.hh_for_notice):
        review.act(household, "submit", "申报", account=acc["reviewer_grassroots"])
        review.act(household, "pass", "属实", account=acc["reviewer_township"])

    # an approved file (noticed 20 days ago), paid in the school's winter campaign
    world.hh_approved = _file(world, 7, "周建华")
    with published_ago(20):
        review.act(world.hh_approved, "submit", "申报", account=acc["reviewer_grassroots"])
        review.act(world.hh_approved, "pass", "属实", account=acc["reviewer_township"])
        world.old_notice = notices.publish(world.district, {"title": "困难职工公示", "working_days": 5},
                                           [world.hh_approved.id], account=acc["reviewer_county"])
    review.act(world.hh_approved, "approve", "审定", account=acc["reviewer_county"])
    world.hh_approved_account = _bank_account(7)

    # a notice open now, with an objection from the public
    world.hh_noticed = _file(world, 8, "孙丽华")
    review.act(world.hh_noticed, "submit", "申报", account=acc["reviewer_grassroots"])
    review.act(world.hh_noticed, "pass", "属实", account=acc["reviewer_township"])
    world.notice = notices.publish(world.district, {"title": "困难职工认定公示", "working_days": 5},
                                   [world.hh_noticed.id], account=acc["reviewer_county"])
    world.objection = notices.object_to(world.notice, {"content": "该职工家中有商铺出租", "household_id": world.hh_noticed.id})
    assert Household.get_by_id(world.hh_noticed.id).stage == "noticed"

    funds.add_source(world.school, {"year": year, "kind": "donation", "name": "社会捐助", "amount": "400000",
                                    "received_on": f"{year}-01-05"}, account=acc["aid_officer"])
    world.campaign = campaigns.create(world.school, {"year": year, "season": "winter", "standard": "500"},
                                      account=acc["aid_officer"])
    world.wish_open = people.add_wish(world.school, {"group": "elderly", "beneficiary": "王奶奶",
                                                     "content": "一台收音机"}, account=acc["organizer"])
    world.wish_claimed = people.add_wish(world.school, {"group": "children", "beneficiary": "小明",
                                                        "content": "一套课外书"}, account=acc["organizer"])
    people.claim_wish(world.wish_claimed, account=acc["participant"])


def _new_file(seq: int) -> dict:
    return {"unit": "$school", "worker_name": f"新建档{seq}", "id_number": _id_number(seq), "region_code": REGION,
            "year": "$warmth_year", "members_count": 3, "main_cause": "illness"}


RULES = {
    # the archive
    "GET /warmth/": [allow(VIEWERS)],
    "GET /warmth/households/new": [allow({*OFFICERS, *REVIEWERS, *ADMIN})],
    # the school's file: a reviewer or officer of another unit meets the unit check (the form is shown again)
    "POST /warmth/households/new": [allow(SCHOOL_FILE, data=_new_file(20))],
    "GET /warmth/households/<int:household_id>": [allow(SCHOOL_VIEW, household_id="$hh_draft")],
    "GET /warmth/households/<int:household_id>/edit": [allow(SCHOOL_FILE, household_id="$hh_draft")],
    "POST /warmth/households/<int:household_id>/edit": [
        allow(SCHOOL_FILE, household_id="$hh_draft", data={"members_count": 3, "situation": "妻子患病"}),
    ],
    "POST /warmth/households/<int:household_id>/family": [
        allow(SCHOOL_FILE, household_id="$hh_draft", data={"name": "张小明", "relation": "子"}),
    ],
    "POST /warmth/households/<int:household_id>/money": [
        allow(SCHOOL_FILE, household_id="$hh_draft",
              data={"kind": "spending", "category": "medical", "amount": "8000"}),
    ],
    "POST /warmth/households/<int:household_id>/evidence": [allow(SCHOOL_FILE, household_id="$hh_draft")],
    "GET /warmth/households/<int:household_id>/evidence/<int:attachment_id>": [
        allow(SCHOOL_FILE, household_id="$hh_draft", attachment_id="$evidence"),
    ],
    "POST /warmth/households/<int:household_id>/assess": [allow(SCHOOL_FILE, household_id="$hh_draft")],
    "POST /warmth/households/<int:household_id>/recheck": [
        allow(SCHOOL_FILE, household_id="$hh_draft", data={"year": "$warmth_year", "members_count": 3}),
    ],
    "POST /warmth/households/<int:household_id>/responsible": [
        allow(SCHOOL_FILE, household_id="$hh_draft", data={"cadre_id": "$warmth_cadre", "role": "head"}),
    ],
    "POST /warmth/households/<int:household_id>/problems": [
        allow(SCHOOL_FILE, household_id="$hh_draft", data={"description": "协调子女入学", "solved_on": "2026-03-01"}),
    ],
    "POST /warmth/households/<int:household_id>/close": [
        allow(SCHOOL_FILE, household_id="$hh_to_close", data={"kind": "withdrawn", "reason": "虚报收入"}),
    ],
    "POST /warmth/households/<int:household_id>/reopen": [
        allow(SCHOOL_FILE, household_id="$hh_closed", data={"reason": "再次失业"}),
    ],
    # review: the level of the step decides (the grassroots and county reviewers may not pass a file)
    "POST /warmth/households/<int:household_id>/review": [
        allow({"reviewer_township", *ADMIN}, household_id="$hh_submitted", data={"action": "pass", "comment": "属实"}),
    ],
    "GET /warmth/reviews": [allow({*REVIEWERS, *ADMIN})],
    "POST /warmth/notices/new": [
        allow(COUNTY, data={"unit": "$district", "title": "第二批困难职工公示", "working_days": 5,
                            "household_ids": "$hh_for_notice"}),
    ],
    "GET /warmth/notices/<int:notice_id>": [allow(COUNTY, notice_id="$notice")],
    "POST /warmth/objections/<int:objection_id>/resolve": [
        allow(COUNTY, objection_id="$objection", data={"upheld": "0", "resolution": "经核实商铺系租赁经营，情况属实"}),
    ],
    "POST /warmth/notices/<int:notice_id>/take-down": [allow(COUNTY, notice_id="$old_notice")],  # its period is over
    # the public side: the notice with masked names and the complaint phone, objections, the self-test
    "GET /warmth/public/notices/<int:notice_id>": [allow(EVERYONE, notice_id="$notice")],
    "POST /warmth/public/notices/<int:notice_id>": [
        allow(EVERYONE, notice_id="$notice", data={"content": "公示名单中有人开网店"}),
    ],
    "GET /warmth/self-test": [allow(EVERYONE)],
    "POST /warmth/self-test": [
        allow(EVERYONE, data={"region_code": REGION, "year": "$warmth_year", "members": "3",
                              "yearly_income": "30000"}),
    ],
    # standards, funds, campaigns
    "GET /warmth/thresholds": [allow({*OFFICERS, *ADMIN})],
    "POST /warmth/thresholds": [
        allow({*OFFICERS, *ADMIN}, data={"region_code": REGION, "region_name": "海城区", "year": "$warmth_year",
                                         "version": "第2版", "dibao_monthly": "1050", "near_line_multiple": "1.5",
                                         "medical_share": "0.5", "tuition_share": "0.5", "disaster_share": "0.5"}),
    ],
    "GET /warmth/funds": [allow({"aid_officer", *ADMIN}, unit="$school")],
    "POST /warmth/funds": [
        allow({"aid_officer", *ADMIN}, data={"unit": "$school", "year": "$warmth_year", "kind": "grant",
                                             "name": "区总工会拨款", "amount": "50000", "received_on": "2026-01-10"}),
    ],
    "GET /warmth/campaigns": [allow(CAMPAIGNERS)],
    "POST /warmth/campaigns": [
        allow(SCHOOL_CAMPAIGN, data={"unit": "$school", "year": "$warmth_year", "season": "summer",
                                     "standard": "200"}),
    ],
    "GET /warmth/campaigns/<int:campaign_id>": [allow(SCHOOL_CAMPAIGN, campaign_id="$campaign")],
    "POST /warmth/campaigns/<int:campaign_id>/plans": [
        allow(SCHOOL_CAMPAIGN, campaign_id="$campaign",
              data={"title": "春节前走访", "leader": "工会主席", "planned_on": "2026-01-20"}),
    ],
    "POST /warmth/campaigns/<int:campaign_id>/visits": [
        allow(SCHOOL_CAMPAIGN, campaign_id="$campaign",
              data={"enterprise": "海城公交公司", "visited_on": "2026-01-21", "visitors": "工会主席、副主席"}),
    ],
    "POST /warmth/campaigns/<int:campaign_id>/collective": [
        allow(SCHOOL_CAMPAIGN, campaign_id="$campaign",
              data={"group_name": "环卫工人", "people": 10, "amount_each": "1500", "visited_on": "2026-01-22"}),
    ],
    "GET /warmth/campaigns/<int:campaign_id>/payments.xlsx": [allow(SCHOOL_CAMPAIGN, campaign_id="$campaign")],
    # responsibility, wishes, reports, the archive sheet
    "GET /warmth/cadres": [allow(PRIVATE)],
    "GET /warmth/wishes": [allow(LOGGED_IN)],
    "POST /warmth/wishes": [
        allow({"organizer", "aid_officer", *ADMIN},
              data={"unit": "$school", "group": "disabled", "beneficiary": "李大爷", "content": "一副拐杖"}),
    ],
    "POST /warmth/wishes/<int:wish_id>/<string:step>": [
        # members of the school's union and those who manage its wishes; the first gets it, the others are told
        allow(SCHOOL_MEMBERS | {"organizer", "admin", "aid_officer"}, wish_id="$wish_open", step="claim"),
        allow({"participant"}, wish_id="$wish_claimed", step="fulfil", data={"note": "已送到"}),
        allow(NOBODY, wish_id="$wish_open", step="nosuch"),
    ],
    "GET /warmth/reports": [allow(CAMPAIGNERS)],
    "GET /warmth/export/archive.xlsx": [allow(PRIVATE)],
    # the API
    "GET /api/v1/warmth/households": [allow(VIEWERS)],
    "GET /api/v1/warmth/households/<int:household_id>": [allow(SCHOOL_VIEW, household_id="$hh_draft")],
    "POST /api/v1/warmth/households": [allow(SCHOOL_FILE, json=_new_file(21))],
    "POST /api/v1/warmth/households/<int:household_id>/assess": [allow(SCHOOL_FILE, household_id="$hh_draft")],
    "POST /api/v1/warmth/households/<int:household_id>/review": [
        # a 帮扶专干 of the unit submits like its grassroots union
        allow({"aid_officer", "reviewer_grassroots", *ADMIN}, household_id="$hh_to_submit",
              json={"action": "submit", "comment": "申报"}),
        allow(COUNTY, household_id="$hh_first_reviewed", json={"action": "return_county", "comment": "收入证明不全"}),
    ],
    "POST /api/v1/warmth/campaigns/<int:campaign_id>/payments": [
        allow(SCHOOL_CAMPAIGN, campaign_id="$campaign",
              json={"household_id": "$hh_approved", "bank_account": "$hh_approved_account"}),
    ],
    "POST /api/v1/warmth/campaigns/<int:campaign_id>/visits": [
        allow(SCHOOL_CAMPAIGN, campaign_id="$campaign",
              json={"enterprise": "实验中学食堂", "visited_on": "2026-01-23", "visitors": "工会主席"}),
    ],
    "GET /api/v1/warmth/reports/campaigns": [allow(CAMPAIGNERS)],
    "POST /api/v1/warmth/self-test": [
        allow(EVERYONE, json={"region_code": REGION, "members": 3, "yearly_income": "30000"}),
    ],
}
