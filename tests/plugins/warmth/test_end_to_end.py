"""From the archive to the visit: households filed through the API, one per rule and one per
exclusion, assessed with the regional thresholds, reviewed at three levels, published with an
objection, approved, visited and paid in the winter campaign; a second payment at another level is
refused (also when both arrive at once) and the reports add up. People of other units see nothing."""

from __future__ import annotations

import datetime as dt
import io
import threading
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from openpyxl import load_workbook

from core.services.accounts import issue_token
from plugins.warmth.eligibility import EXCLUSIONS, RULES
from tests.plugins.warmth.conftest import REGION, YEAR, account_number, id_number
from tests.support import login, text_of

D = Decimal
NAMES = ["张建明", "李国强", "王秀英", "刘海峰", "陈丽华", "杨志强", "赵玉兰", "黄振华", "周晓燕", "吴文博",
         "徐雅琴", "孙国庆", "马婷婷", "朱子轩", "胡慧敏", "郭浩然"]
BASE = {"region_code": REGION, "year": YEAR, "members_count": 3, "bank_name": "海城农商银行"}

# One household per rule: (figures, the rule it meets). Line 1,000 yuan; "slightly above" below 1,500; shares 50%.
RULE_CASES = {
    "income_below_line": ({"incomes": [{"category": "wage", "amount": "30000"}], "main_cause": "illness"},
                          "人均月收入 833.33 元 < 低保线 1000.00 元"),
    "income_near_line_with_cause": ({"incomes": [{"category": "wage", "amount": "45000"}], "main_cause": "employment",
                                     "unemployed": True}, "低保线 1000.00 元 ≤ 人均月收入 1250.00 元 < 低保线 1000.00 元 × 1.5"),
    "medical_costs_over_share": ({"incomes": [{"category": "wage", "amount": "72000"}], "main_cause": "illness",
                                  "spendings": [{"category": "medical", "amount": "40000"}]},
                                 "家庭自付医疗费 40000.00 元 > 家庭年收入 72000.00 元 × 50% = 36000.00 元"),
    "tuition_over_share": ({"incomes": [{"category": "wage", "amount": "72000"}], "main_cause": "education",
                            "spendings": [{"category": "tuition", "amount": "37000"}]},
                           "义务教育以外学费 37000.00 元 > 家庭年收入 72000.00 元 × 50% = 36000.00 元"),
    "disaster_or_disability_over_share": ({"incomes": [{"category": "wage", "amount": "72000"}],
                                           "main_cause": "disaster",
                                           "spendings": [{"category": "disaster", "amount": "40000"}]},
                                          "灾害损失或丧失劳动能力支出 40000.00 元 > 家庭年收入 72000.00 元 × 50%"),
    "migrant_worker_hardship": ({"incomes": [{"category": "wage", "amount": "72000"}], "main_cause": "employment",
                                 "is_migrant_worker": True}, "农民工；致困原因：因业（主要）"),
}
# One household per exclusion, each otherwise below the line.
EXCLUSION_FLAGS = {
    "excl_not_a_worker": {"is_worker": False},
    "excl_dues_unpaid": {"dues_paid": False},
    "excl_illness_closed_last_year": {"illness_closed_last_year": True},
    "excl_offence": {"offence": "gambling"},
    "excl_business_with_employees": {"has_business_with_employees": True},
    "excl_car_or_premium_motorbike": {"owns_car_or_premium_motorbike": True},
    "excl_commercial_housing_or_premium_decoration": {"bought_commercial_housing_or_premium_decoration": True},
    "excl_stock_investment": {"invests_in_stocks": True},
    "excl_school_choice_or_study_abroad": {"paid_school_choice_or_study_abroad": True},
    "excl_falsified_application": {"falsified_application": True},
}


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_from_filing_to_payment_and_reports(app, client, world):
    from core.models import AuditLog
    from plugins.warmth.models import Household, Notice, Payment, ReviewStep
    from plugins.warmth.services import notices

    acc = world.accounts
    tokens = {k: issue_token(acc[k]) for k in ("grassroots_bus", "township", "county", "street_organizer",
                                                 "district_officer", "officer")}
    assert set(RULE_CASES) == set(RULES) and set(EXCLUSION_FLAGS) == set(EXCLUSIONS)

    # --- filing through the API: one household per rule, one per exclusion ---
    ids, seq = {}, 100
    cases = [(code, body) for code, (body, _f) in RULE_CASES.items()]
    cases += [(code, {"incomes": [{"category": "wage", "amount": "30000"}], "main_cause": "illness", **flags})
              for code, flags in EXCLUSION_FLAGS.items()]
    for code, body in cases:
        seq += 1
        response = client.post("/api/v1/warmth/households", headers=bearer(tokens["grassroots_bus"]), json={
            **BASE, **body, "unit": world.units["bus"].id, "worker_name": NAMES[seq - 101], "id_number": id_number(seq),
            "bank_account": account_number(seq)})
        assert response.status_code == 201, response.get_json()
        ids[code] = response.get_json()["id"]
    assert Household.select().count() == 16
    assert Household.get_by_id(ids["income_below_line"]).filled_by_name == "grassroots_bus"  # 谁填报、谁负责

    # --- eligibility with its trace ---
    reference = f"海城区（{REGION}）{YEAR}年 第1版"
    for code, (_body, figures) in RULE_CASES.items():
        result = client.post(f"/api/v1/warmth/households/{ids[code]}/assess",
                             headers=bearer(tokens["grassroots_bus"])).get_json()
        assert result["eligible"] is True and result["matched"] == [code], (code, result)
        assert result["threshold"] == reference
        (entry,) = [e for e in result["trace"] if e["code"] == code]
        assert figures in entry["figures"] and entry["threshold_version"] == reference
    for code in EXCLUSION_FLAGS:
        result = client.post(f"/api/v1/warmth/households/{ids[code]}/assess",
                             headers=bearer(tokens["grassroots_bus"])).get_json()
        assert result["eligible"] is False and result["exclusions"] == [code], (code, result)
        assert "income_below_line" in result["matched"]  # the reviewer still sees the whole picture

    # --- review: 基层工会 submits, 乡镇街道 first review; excluded files cannot be submitted ---
    def review(who, code, action, comment=""):
        return client.post(f"/api/v1/warmth/households/{ids[code]}/review", headers=bearer(tokens[who]),
                           json={"action": action, "comment": comment})

    refused = review("grassroots_bus", "excl_dues_unpaid", "submit", "申报")
    assert refused.status_code == 409 and "未按时足额缴纳会费" in refused.get_json()["message"]
    for code in RULES:
        assert review("grassroots_bus", code, "submit", "材料齐全").status_code == 200
    assert review("grassroots_bus", "income_below_line", "pass").status_code == 403  # not his level
    assert review("township", "tuition_over_share", "return_township").status_code == 422  # a reason is required
    assert review("township", "tuition_over_share", "return_township", "缺学费发票").get_json()["stage"] == "returned"
    assert review("grassroots_bus", "tuition_over_share", "submit", "已补学费发票").status_code == 200
    for code in RULES:
        assert review("township", code, "pass", "入户核实属实").get_json()["stage"] == "first_reviewed"
    assert review("township", "income_below_line", "approve").status_code == 403

    # --- notice: county publishes the list; masked names and IDs, no causes, complaint phone ---
    county = app.test_client()
    login(county, "county")
    response = county.post("/warmth/notices/new", data={
        "unit": world.units["district"].id, "title": f"{YEAR}年困难职工认定公示", "working_days": "5",
        "household_ids": [str(ids[c]) for c in RULES]})
    assert response.status_code == 302
    notice = Notice.get()
    assert notice.closes_on == notices.add_working_days(notice.opens_on, 5) and notice.phone == "12351"
    public = app.test_client()
    page = text_of(public.get(f"/warmth/public/notices/{notice.id}"))
    assert "张*明" in page and "张建明" not in page and "刘*峰" in page and "刘海峰" not in page
    assert id_number(101) not in page and id_number(101)[:4] + "**********" + id_number(101)[-4:] in page
    assert "12351" in page and "因病" not in page and "因学" not in page and "833" not in page

    objection = public.post(f"/warmth/public/notices/{notice.id}", data={
        "household_id": str(ids["medical_costs_over_share"]), "content": "其家属开有门店，请核实。"})
    assert objection.status_code == 302
    public.post(f"/warmth/public/notices/{notice.id}", data={
        "household_id": str(ids["migrant_worker_hardship"]), "content": "此人已不在本市务工。"})

    # the period is not over yet: no approval
    early = review("county", "income_below_line", "approve", "审定")
    assert early.status_code == 409 and "公示期满后" in early.get_json()["message"]
    # ... the working days pass (the clock moves on: nobody backdates a notice)
    after_notice = dt.datetime.combine(notice.closes_on + dt.timedelta(days=1), dt.time(10, 0),
                                       tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(after_notice, tick=True):
        county = login(app.test_client(), "county")  # a new day, a new login
        assert review("county", "income_below_line", "approve", "公示期满无异议").get_json()["stage"] == "approved"
        blocked = review("county", "medical_costs_over_share", "approve", "审定")
        assert blocked.status_code == 409 and "异议尚未处理" in blocked.get_json()["message"]

        from plugins.warmth.models import Objection

        first, second = list(Objection.select().order_by(Objection.id))
        assert county.post(f"/warmth/objections/{first.id}/resolve", data={
            "upheld": "0", "resolution": "入户核实，门店为亲属所有，异议不成立"}).status_code == 302
        assert county.post(f"/warmth/objections/{second.id}/resolve", data={
            "upheld": "1", "resolution": "核实已离开本市，取消认定"}).status_code == 302
        assert Household.get_by_id(ids["migrant_worker_hardship"]).stage == "rejected"
        for code in RULES:
            if code not in ("migrant_worker_hardship", "income_below_line"):
                assert review("county", code, "approve", "公示期满无异议").get_json()["stage"] == "approved"
        assert county.post(f"/warmth/notices/{notice.id}/take-down").status_code == 302
        assert public.get(f"/warmth/public/notices/{notice.id}").status_code == 404
    steps = ReviewStep.select().where(ReviewStep.household == ids["tuition_over_share"]).order_by(ReviewStep.id)
    assert [s.action for s in steps] == ["submit", "return_township", "submit", "pass", "notice", "approve"]
    assert AuditLog.select().where(AuditLog.action.startswith("warmth.review.")).count() == 6 + 2 + 6 + 5 + 1

    # --- winter campaign: funds, a visit with money at the street, nobody twice at the district ---
    world.fund("street", "50000", "budget")
    world.fund("district", "300000", "grant")
    world.fund("district", "400000", "donation")
    street = world.campaign("street", standard="500", title="东湖街道冬送温暖")
    district = world.campaign("district", standard="1000", title="海城区两节送温暖")
    below = ids["income_below_line"]
    visit = client.post(f"/api/v1/warmth/campaigns/{street.id}/visits", headers=bearer(tokens["officer"]), json={
        "household_id": below, "visited_on": f"{YEAR}-01-20", "visitors": "街道工会主席、公交公司工会主席",
        "money": "500", "goods": "米、油", "bank_account": account_number(101),
        "learned": "家属住院", "follow_up": "协助申请医疗救助"})
    assert visit.status_code == 201, visit.get_json()
    again = client.post(f"/api/v1/warmth/campaigns/{district.id}/payments", headers=bearer(tokens["officer"]),
                        json={"household_id": below, "amount": "1000", "bank_account": account_number(101)})
    assert again.status_code == 409
    assert "东湖街道工会" in again.get_json()["message"] and f"{YEAR}-01-20" in again.get_json()["message"]

    # twice at once, at two levels: exactly one payment
    near = ids["income_near_line_with_cause"]
    results = []
    barrier = threading.Barrier(2)

    def pay(campaign, token):
        c = app.test_client()
        barrier.wait()
        r = c.post(f"/api/v1/warmth/campaigns/{campaign.id}/payments", headers=bearer(token),
                   json={"household_id": near, "amount": "800", "bank_account": account_number(102),
                         "paid_on": f"{YEAR}-01-21"})
        results.append(r.status_code)

    threads = [threading.Thread(target=pay, args=(street, tokens["officer"])),
               threading.Thread(target=pay, args=(district, tokens["district_officer"]))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409]
    assert Payment.select().where(Payment.household == near).count() == 1

    paid = client.post(f"/api/v1/warmth/campaigns/{district.id}/payments", headers=bearer(tokens["officer"]),
                       json={"household_id": ids["medical_costs_over_share"], "bank_account": account_number(103),
                             "paid_on": f"{YEAR}-01-22"})
    assert paid.status_code == 201 and paid.get_json()["amount"] == "1000.00"
    from plugins.warmth.services import campaigns as campaign_service

    campaign_service.collective_visit(district, {"group_name": "环卫工人", "enterprise": "海城环卫公司", "people": 250,
                                                 "amount_each": "1500", "visited_on": f"{YEAR}-01-25"},
                                      account=acc["officer"])

    # --- reports, worked by hand: 3 households + 250 workers; 500 + 800 + 1,000 + 375,000 yuan ---
    report = client.get(f"/api/v1/warmth/reports/campaigns?year={YEAR}", headers=bearer(tokens["officer"])).get_json()
    rows = report["campaigns"]
    assert sum(r["households"] for r in rows) == 3
    assert sum(r["people"] for r in rows) == 253
    assert sum(D(r["money"]) for r in rows) == D("377300.00")
    assert {r["level"] for r in rows} == {"乡镇街道工会", "县区总工会"}
    district_row = next(r for r in rows if r["unit"] == "海城区总工会")
    assert district_row["enterprises"] == 1

    from plugins.warmth.services import funds

    ledger = funds.ledger(world.units["district"], YEAR)
    assert ledger["balances"] and ledger["received"] == D("700000.00")
    assert ledger["balance"] == ledger["received"] - ledger["spent"]

    # --- nobody else sees any of it ---
    for who in ("participant", "plant_organizer", "west_officer"):
        other = app.test_client()
        login(other, acc[who].username)
        token = issue_token(acc[who])
        for url in (f"/warmth/households/{below}", f"/warmth/notices/{notice.id}",
                    f"/warmth/campaigns/{street.id}", f"/warmth/campaigns/{district.id}", f"/warmth/households/{below}/evidence/1",
                    f"/warmth/campaigns/{street.id}/payments.xlsx"):
            assert other.get(url).status_code in (403, 404), (who, url)
        export = other.get("/warmth/export/archive.xlsx")
        if export.status_code == 200:  # his own units' archive: none of these files
            sheet = load_workbook(io.BytesIO(export.data)).active
            assert sheet.max_row == 1, who
        else:
            assert export.status_code == 403
        assert other.get(f"/api/v1/warmth/households/{below}", headers=bearer(token)).status_code in (403, 404)
        listing = other.get("/api/v1/warmth/households", headers=bearer(token))
        assert listing.status_code == 403 or listing.get_json()["households"] == [], who
        page = other.get("/warmth/")
        assert page.status_code == 403 or "张*明" not in text_of(page), who
    # the bus company's own organizer sees its files, masked only
    organizer = app.test_client()
    login(organizer, acc["bus_organizer"].username)
    page = text_of(organizer.get(f"/warmth/households/{below}"))
    assert "张*明" in page and id_number(101) not in page and account_number(101) not in page and "因病" not in page
