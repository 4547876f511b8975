"""Summaries worked by hand: change against last year, the spot-check sample, xlsx read back."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.plugins.warmth.conftest import YEAR, id_number
from tests.support import login, text_of

D = Decimal


def test_change_against_last_year_is_plus_30_percent_people_and_152_percent_money(app, client, world):
    from plugins.warmth.services import campaigns, reports

    officer = world.accounts["officer"]
    world.fund("district", "10000", "grant", year=YEAR - 1)
    world.fund("district", "30000", "grant")
    last = world.campaign("district", year=YEAR - 1)
    campaigns.collective_visit(last, {"group_name": "环卫工人", "people": 100, "amount_each": "100",
                                      "visited_on": f"{YEAR - 1}-01-20"}, account=officer)
    this = world.campaign("district")
    campaigns.collective_visit(this, {"group_name": "环卫工人", "people": 120, "amount_each": "200",
                                      "visited_on": f"{YEAR}-01-20"}, account=officer)
    campaigns.collective_visit(this, {"group_name": "困难协警员", "people": 10, "amount_each": "120",
                                      "visited_on": f"{YEAR}-01-21"}, account=officer)
    (row,) = reports.campaign_rows(YEAR, None)
    # people 100 → 130: +30%; money 10,000 → 24,000 + 1,200 = 25,200: +152%
    assert row["people"] == 130 and row["money"] == D("25200.00")
    assert row["people_change"] == D("30.0") and row["money_change"] == D("152.0")
    login(client, "officer")
    page = text_of(client.get(f"/warmth/reports?year={YEAR}"))
    assert "+30.0%" in page and "+152.0%" in page and "¥25,200.00" in page


def test_spot_check_draws_seven_percent_reproducibly(world):
    from plugins.warmth.models import Household
    from plugins.warmth.services import reports

    for _ in range(30):
        world.household()
    files = list(Household.select())
    first = reports.spot_check(files, D("0.07"), seed=2025)
    assert len(first) == 3  # 7% of 30 is 2.1: rounded up to 3
    assert [h.id for h in reports.spot_check(list(reversed(files)), D("0.07"), seed=2025)] == [h.id for h in first]
    others = {tuple(h.id for h in reports.spot_check(files, D("0.07"), seed=s)) for s in range(20)}
    assert len(others) > 1
    assert reports.spot_check([], D("0.07"), seed=1) == []


def test_archive_export_in_the_archive_layout_with_id_numbers_as_text(app, client, world):
    from core.models import AuditLog
    from plugins.warmth.services import reports

    world.household(worker_name="张建明", incomes=(("wage", "30000"),), spendings=(("medical", "2000"),))
    world.household("school", worker_name="李国强", members_count=4, cause="education",
                    incomes=(("wage", "48000"),))
    login(client, "officer")
    response = client.get("/warmth/export/archive.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == reports.ARCHIVE_HEADERS
    assert rows[1][1] == "张建明" and rows[1][3] == id_number(1) and isinstance(rows[1][3], str)
    assert sheet.cell(row=2, column=4).number_format == "@"
    assert rows[1][7] == 30000 and rows[1][8] == 2000 and rows[1][9] == 833.33 and rows[1][10] == "因病"
    assert rows[2][1] == "李国强" and rows[2][6] == 4 and rows[2][10] == "因学" and rows[2][13] == "6230580000000000002"
    assert AuditLog.select().where(AuditLog.action == "warmth.household.view_private").count() == 2


def test_payment_sheet_masks_for_organizers(app, client, world):
    from plugins.warmth.services import campaigns

    household = world.approve(world.household(worker_name="张建明"))
    world.fund("street", "1000", "budget")
    campaign = world.campaign("street")
    campaigns.pay(campaign, household, {"bank_account": household.bank_account}, account=world.accounts["officer"])
    login(client, "street_org")
    rows = list(load_workbook(io.BytesIO(client.get(f"/warmth/campaigns/{campaign.id}/payments.xlsx").data))
                .active.iter_rows(values_only=True))
    assert rows[1][3] == "张*明" and rows[1][4].startswith("4404****") and rows[1][5] == 500
