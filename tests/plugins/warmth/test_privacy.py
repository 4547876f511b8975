"""Private data stays private: encrypted at rest, masked for those who need no more, every full
view logged, and nothing at all for participants or other units."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from core.services.accounts import issue_token
from tests.plugins.warmth.conftest import account_number, id_number
from tests.support import login, text_of


def test_id_numbers_and_bank_accounts_are_not_in_the_database_in_clear(world):
    from core.db import db

    household = world.household(worker_name="张建明", phone="13900001111", address="东湖路1号")
    row = db.execute_sql(f"SELECT * FROM warmth_household WHERE id = {int(household.id)}").fetchone()
    dump = " ".join(str(v) for v in row)
    for secret in (id_number(1), account_number(1), "13900001111", "东湖路1号"):
        assert secret not in dump
    from core import privacy

    assert privacy.keyed_hash(id_number(1)) in dump


def test_full_file_only_for_reviewers_and_officers_and_every_view_logged(app, client, world):
    from core.models import AuditLog

    household = world.household(worker_name="张建明")
    views = AuditLog.select().where(AuditLog.action == "warmth.household.view_private")
    login(client, "township")
    page = text_of(client.get(f"/warmth/households/{household.id}"))
    assert "张建明" in page and id_number(1) in page and account_number(1) in page
    assert views.count() == 1 and views.get().account_name == "township"
    token = issue_token(world.accounts["county"])
    body = client.get(f"/api/v1/warmth/households/{household.id}",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["id_number"] == id_number(1) and body["bank_account"] == account_number(1)
    assert views.count() == 2

    organizer = app.test_client()
    login(organizer, "bus_org")
    page = text_of(organizer.get(f"/warmth/households/{household.id}"))
    assert "张*明" in page and "张建明" not in page and id_number(1) not in page
    assert "4404**********" in page and "因病" not in page and account_number(1) not in page
    assert views.count() == 2  # a masked view is not a full view
    token = issue_token(world.accounts["bus_organizer"])
    body = organizer.get(f"/api/v1/warmth/households/{household.id}",
                         headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["name"] == "张*明" and "bank_account" not in body and body["id_number"].startswith("4404****")
    assert organizer.get("/warmth/export/archive.xlsx").status_code == 403


def test_participants_and_other_units_see_nothing(app, world):
    household = world.approve(world.household(worker_name="张建明"))
    world.fund("district", "5000", "grant")
    campaign = world.campaign("district")
    for who in ("participant", "plant_organizer", "west_officer", "west_township", "plant_grassroots"):
        client = app.test_client()
        login(client, world.accounts[who].username)
        token = {"Authorization": f"Bearer {issue_token(world.accounts[who])}"}
        for url in (f"/warmth/households/{household.id}", f"/warmth/households/{household.id}/edit",
                    f"/warmth/campaigns/{campaign.id}", f"/warmth/campaigns/{campaign.id}/payments.xlsx"):
            response = client.get(url)
            assert response.status_code in (403, 404), (who, url)
            assert "张建明" not in response.get_data(as_text=True)
        export = client.get("/warmth/export/archive.xlsx")
        assert export.status_code == 403 or load_workbook(io.BytesIO(export.data)).active.max_row == 1, who
        for url in ("/warmth/", "/warmth/reviews", "/warmth/reports", "/warmth/cadres"):
            response = client.get(url)
            assert response.status_code == 403 or "张*明" not in text_of(response), (who, url)
        for method, url, body in (("get", f"/api/v1/warmth/households/{household.id}", None),
                                  ("post", f"/api/v1/warmth/households/{household.id}/review",
                                   {"action": "return_county", "comment": "x"}),
                                  ("post", f"/api/v1/warmth/campaigns/{campaign.id}/payments",
                                   {"household_id": household.id, "bank_account": household.bank_account})):
            response = getattr(client, method)(url, headers=token, json=body)
            assert response.status_code in (403, 404), (who, url, response.get_json())
        listing = client.get("/api/v1/warmth/households", headers=token)
        assert listing.status_code == 403 or listing.get_json()["households"] == []
    anonymous = app.test_client()
    assert anonymous.get(f"/warmth/households/{household.id}").status_code == 302
    assert anonymous.get(f"/api/v1/warmth/households/{household.id}").status_code == 401


def test_a_reviewer_acts_only_at_his_level_and_within_his_units(world):
    import pytest

    from core.errors import Forbidden
    from plugins.warmth.services import review

    household = world.household()
    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    with pytest.raises(Forbidden):
        review.act(household, "pass", "", account=world.accounts["west_township"])  # another street
    with pytest.raises(Forbidden):
        review.act(household, "pass", "", account=world.accounts["county"])  # another level
    with pytest.raises(Forbidden):
        review.act(household, "pass", "", account=world.accounts["grassroots_school"])
    review.act(household, "reject_township", "经核实不具有职工身份", account=world.accounts["township"])
    assert household.stage == "rejected"
