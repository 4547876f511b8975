"""The archive: one file per worker, real names, evidence checked and stored in the instance folder,
yearly re-check, closing and reopening, and the reports of stale and never-aided files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core.errors import Invalid, NotFound, Refused
from tests.plugins.warmth.conftest import REGION, YEAR, id_number
from tests.support import login, text_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_filing_through_the_page_records_who_filled_it(app, client, world):
    from core.models import AuditLog
    from plugins.warmth.models import Household

    login(client, "grassroots_bus")
    response = client.post("/warmth/households/new", data={
        "unit": world.units["bus"].id, "worker_name": "张建明", "id_number": id_number(7), "region_code": REGION,
        "year": YEAR, "members_count": "3", "main_cause": "illness", "secondary_causes": ["education"],
        "bank_account": "6230 5800 0000 0000 07", "is_worker": "on", "dues_paid": "on"})
    assert response.status_code == 302
    household = Household.get()
    assert household.filled_by_name == "grassroots_bus" and household.secondary_causes == ["education"]
    assert household.bank_account == "623058000000000007" and household.gender == "M"
    assert AuditLog.select().where(AuditLog.action == "warmth.household.create").count() == 1


def test_bad_input_is_named_and_nothing_is_written(app, client, world):
    from plugins.warmth.models import Household

    login(client, "grassroots_bus")
    page = client.post("/warmth/households/new", data={
        "unit": world.units["bus"].id, "worker_name": "张建明", "id_number": "440402198001010010",
        "region_code": REGION, "year": YEAR, "members_count": "0", "bank_account": "123"})
    text = text_of(page)
    assert page.status_code == 200
    assert "身份证号校验位不正确" in text and "家庭人口不能小于 1" in text and "银行账号应为12到25位数字" in text
    assert Household.select().count() == 0
    with pytest.raises(NotFound, match="未找到地区代码 999999"):
        world.household(region_code="999999")
    assert Household.select().count() == 0


def test_one_file_per_worker(world):
    from plugins.warmth.services import archive

    first = world.household()
    with pytest.raises(Refused, match="一户一档"):
        archive.save_household(None, {"unit": world.units["school"], "worker_name": "同一人",
                                      "id_number": first.id_number, "region_code": REGION, "year": YEAR,
                                      "members_count": 2}, account=world.accounts["grassroots_school"])


def test_filing_only_within_ones_units(world):
    from core.errors import Forbidden

    with pytest.raises(Forbidden):
        world.household("bus", filer=world.accounts["plant_grassroots"])


def test_evidence_is_checked_stored_in_the_instance_and_its_download_logged(app, client, world):
    from core.models import AuditLog
    from plugins.warmth.models import Attachment

    household = world.household()
    login(client, "grassroots_bus")
    url = f"/warmth/households/{household.id}/evidence"
    ok = client.post(url, data={"title": "诊断证明", "file": (__import__("io").BytesIO(PDF), "诊断.pdf")},
                     content_type="multipart/form-data")
    assert ok.status_code == 302
    attachment = Attachment.get()
    stored = Path(app.instance_path) / "warmth_evidence" / attachment.stored_name
    assert stored.read_bytes() == PDF and attachment.content_type == "application/pdf"
    import io

    for name, data, message in (("x.exe", b"MZ....", "只能上传 PDF、JPG 或 PNG 文件"),
                                ("fake.pdf", PNG, "文件内容与扩展名不符"),
                                ("big.png", PNG + b"\x00" * (5 * 1024 * 1024), "文件不能超过 5 MB")):
        response = client.post(url, data={"title": "x", "file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data", follow_redirects=True)
        assert message in text_of(response)
    assert Attachment.select().count() == 1
    assert len(list((Path(app.instance_path) / "warmth_evidence").iterdir())) == 1

    before = AuditLog.select().where(AuditLog.action == "warmth.household.view_private").count()
    download = client.get(f"/warmth/households/{household.id}/evidence/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    after = AuditLog.select().where(AuditLog.action == "warmth.household.view_private").count()
    assert after == before + 1


def test_money_lines_feed_the_engine(world):
    from plugins.warmth.services import archive

    household = world.household(incomes=(("wage", "30000"), ("pension", "6000")),
                                spendings=(("medical", "20000"), ("living", "5000")))
    totals = archive.totals(household)
    assert totals["income"] == 36000 and totals["spending"] == 25000 and totals["medical"] == 20000
    decision = archive.decide(household, account=world.accounts["grassroots_bus"])
    # 36,000 ÷ 3 ÷ 12 = 1,000.00: on the line, so "slightly above" with a cause; 20,000 > 50% of 36,000
    assert decision.eligible and decision.matched == ["income_near_line_with_cause", "medical_costs_over_share"]
    assert decision.per_head_monthly == 1000
    assert decision.figures["threshold"] == f"海城区（{REGION}）{YEAR}年 第1版"


def test_yearly_recheck_close_and_reopen(world):
    from core.models import AuditLog
    from plugins.warmth.services import archive

    household = world.approve(world.household())
    officer = world.accounts["grassroots_bus"]
    with pytest.raises(Invalid):
        archive.recheck(household, {"year": YEAR - 1}, account=officer)
    with pytest.raises(NotFound):  # no thresholds for next year yet
        archive.recheck(household, {"year": YEAR + 1}, account=officer)
    archive.recheck(household, {"year": YEAR, "members_count": 4, "note": "入户复核"}, account=officer)
    assert household.checked_on is not None and household.members_count == 4 and household.stage == "approved"
    with pytest.raises(Invalid, match="销档原因"):
        archive.close(household, "recovered", "", account=officer)
    archive.close(household, "recovered", "子女已就业，家庭脱困", account=officer)
    assert household.status == "closed" and household.status_label == "脱困"
    with pytest.raises(Refused):
        archive.recheck(household, {"year": YEAR}, account=officer)
    archive.reopen(household, "再次因病致困", account=officer)
    assert household.status == "active" and household.stage == "draft"
    actions = [a.action for a in AuditLog.select().where(AuditLog.object_type == "Household",
                                                          AuditLog.object_id == str(household.id))]
    assert {"warmth.household.recheck", "warmth.household.close", "warmth.household.reopen"} <= set(actions)


def test_reports_of_stale_and_never_aided_files(app, client, world):
    from plugins.warmth.models import Household
    from plugins.warmth.services import archive, campaigns

    stale = world.household(worker_name="李国强")
    aided = world.approve(world.household(worker_name="王秀英"))
    world.household(worker_name="刘海峰")
    Household.update(updated_at=dt.datetime(YEAR - 2, 6, 1)).where(Household.id == stale.id).execute()
    world.fund("district", "10000", "grant")
    campaigns.pay(world.campaign("district"), aided, {"bank_account": aided.bank_account},
                  account=world.accounts["officer"])
    query = Household.select()
    assert [h.worker_name for h in archive.not_updated_for_a_year(query)] == ["李国强"]
    assert sorted(h.worker_name for h in archive.never_aided(Household.select())) == ["刘海峰", "李国强"]
    login(client, "officer")
    page = text_of(client.get("/warmth/?report=never"))
    assert "李*强" in page and "刘*峰" in page and "王*英" not in page
