"""Nobody twice, own account only, funds that cannot be overdrawn, and the seasons' own rules."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from core.errors import Forbidden, Invalid, Refused
from core.services.accounts import issue_token
from tests.plugins.warmth.conftest import YEAR

D = Decimal


def test_same_campaign_at_another_level_is_refused_with_who_only_to_those_allowed(world):
    from plugins.warmth.services import campaigns

    household = world.approve(world.household())
    world.fund("street", "5000", "budget")
    world.fund("district", "5000", "grant")
    street = world.campaign("street")
    district = world.campaign("district")
    campaigns.pay(street, household, {"bank_account": household.bank_account, "paid_on": f"{YEAR}-01-20"},
                  account=world.accounts["officer"])
    with pytest.raises(Refused, match=f"已于 {YEAR}-01-20 由东湖街道工会在本次活动中帮扶"):
        campaigns.pay(district, household, {"bank_account": household.bank_account},
                      account=world.accounts["district_officer"])
    from core.services.accounts import create_account

    district_org = create_account("district_org", "secret-pass-1", roles=[("organizer", world.units["district"])])
    with pytest.raises(Refused) as neutral:
        campaigns.pay(district, household, {"bank_account": household.bank_account}, account=district_org)
    assert neutral.value.message == "该职工本次活动已获帮扶，不能重复帮扶"
    # another season is another campaign
    summer = world.campaign("district", season="summer", standard="200")
    assert campaigns.pay(summer, household, {"bank_account": household.bank_account},
                         account=world.accounts["officer"]).amount == D("200.00")


def test_payment_goes_only_to_the_recipients_own_account(world):
    from plugins.warmth.models import FundSource, Payment
    from plugins.warmth.services import campaigns

    household = world.approve(world.household())
    world.fund("district", "5000", "grant")
    campaign = world.campaign("district")
    with pytest.raises(Refused, match="本人的银行账户"):
        campaigns.pay(campaign, household, {"bank_account": "6222000011112222333"}, account=world.accounts["officer"])
    assert Payment.select().count() == 0 and FundSource.get().spent == 0


def test_unapproved_or_closed_files_are_not_paid(world):
    from plugins.warmth.services import archive, campaigns

    draft = world.household()
    world.fund("district", "5000", "grant")
    campaign = world.campaign("district")
    with pytest.raises(Refused, match="先建档、后帮扶"):
        campaigns.pay(campaign, draft, {"bank_account": draft.bank_account}, account=world.accounts["officer"])
    approved = world.approve(world.household())
    archive.close(approved, "withdrawn", "弄虚作假", account=world.accounts["grassroots_bus"])
    with pytest.raises(Refused):
        campaigns.pay(campaign, approved, {"bank_account": approved.bank_account}, account=world.accounts["officer"])


def test_funds_cannot_be_overdrawn_and_the_ledger_balances(world):
    from plugins.warmth.services import campaigns, funds

    a = world.approve(world.household())
    b = world.approve(world.household())
    world.fund("district", "1500", "grant")
    campaign = world.campaign("district", standard="1000")
    campaigns.pay(campaign, a, {"bank_account": a.bank_account}, account=world.accounts["officer"])
    with pytest.raises(Refused, match="没有足够的帮扶资金"):
        campaigns.pay(campaign, b, {"bank_account": b.bank_account}, account=world.accounts["officer"])
    ledger = funds.ledger(world.units["district"], YEAR)
    assert ledger["received"] == D("1500.00") and ledger["spent"] == D("1000.00")
    assert ledger["balance"] == D("500.00") and ledger["balances"]


def test_collective_visit_250_sanitation_workers_at_1500_each(world):
    from plugins.warmth.services import campaigns, funds

    world.fund("district", "400000", "donation")
    campaign = world.campaign("district", standard="1500")
    row = campaigns.collective_visit(campaign, {"group_name": "环卫工人", "enterprise": "海城环卫公司", "people": 250,
                                                "amount_each": "1500", "visited_on": f"{YEAR}-01-25"},
                                     account=world.accounts["officer"])
    assert row.total == D("375000.00")
    with pytest.raises(Refused):  # 50 auxiliary police and 100 drivers would need 225,000 more
        campaigns.collective_visit(campaign, {"group_name": "协警、公交驾驶员", "people": 150, "amount_each": "1500",
                                              "visited_on": f"{YEAR}-01-25"}, account=world.accounts["officer"])
    assert campaigns.figures(campaign)["people"] == 250
    assert funds.ledger(world.units["district"], YEAR)["balance"] == D("25000.00")


def test_autumn_grant_is_per_student(world):
    from plugins.warmth.services import campaigns

    household = world.approve(world.household(cause="education"))
    world.fund("district", "10000", "grant")
    autumn = world.campaign("district", season="autumn", standard="3000")
    with pytest.raises(Invalid, match="助学人数"):
        campaigns.pay(autumn, household, {"bank_account": household.bank_account}, account=world.accounts["officer"])
    payment = campaigns.pay(autumn, household, {"bank_account": household.bank_account, "students": 2},
                            account=world.accounts["officer"])
    assert payment.amount == D("6000.00") and payment.students == 2


def test_a_visit_whose_payment_is_refused_is_not_kept(world):
    from plugins.warmth.models import Visit
    from plugins.warmth.services import campaigns

    household = world.approve(world.household())
    world.fund("district", "5000", "grant")
    campaign = world.campaign("district")
    with pytest.raises(Refused):
        campaigns.record_visit(campaign, {"household_id": household.id, "visited_on": f"{YEAR}-01-20",
                                          "visitors": "区总工会", "money": "500", "bank_account": "6222000011112222"},
                               account=world.accounts["officer"])
    assert Visit.select().count() == 0


def test_many_clients_paying_the_same_worker_at_once_pay_once(app, world):
    """Eight clients at once, at two levels and within one: exactly one payment and one draw."""
    from plugins.warmth.models import FundSource, Payment

    household = world.approve(world.household())
    world.fund("street", "10000", "budget")
    world.fund("district", "10000", "grant")
    campaigns_ = [world.campaign("street"), world.campaign("district")]
    tokens = [issue_token(world.accounts["officer"]) for _ in range(8)]
    barrier = threading.Barrier(8)
    codes = []

    def pay(i):
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/v1/warmth/campaigns/{campaigns_[i % 2].id}/payments",
                               headers={"Authorization": f"Bearer {tokens[i]}"},
                               json={"household_id": household.id, "bank_account": household.bank_account})
        codes.append(response.status_code)

    threads = [threading.Thread(target=pay, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201] + [409] * 7
    assert Payment.select().count() == 1
    assert sum(f.spent for f in FundSource.select()) == D("500.00")


def test_a_wish_is_claimed_by_one_volunteer_only(app, world, factory):
    from plugins.warmth.models import Wish
    from plugins.warmth.services import people

    wish = people.add_wish(world.units["street"], {"group": "elderly", "beneficiary": "王奶奶", "content": "一台收音机"},
                           account=world.accounts["street_organizer"])
    volunteers = [factory.account(f"volunteer{i}", member=factory.member(world.units["street"])) for i in range(6)]
    barrier = threading.Barrier(6)
    codes = []

    def claim(i):
        from tests.support import login

        client = app.test_client()
        login(client, volunteers[i].username)
        barrier.wait()
        codes.append(client.post(f"/warmth/wishes/{wish.id}/claim").status_code)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    from core.models import AuditLog

    assert codes == [302] * 6
    assert AuditLog.select().where(AuditLog.action == "warmth.wish.claim").count() == 1
    claimed = Wish.get_by_id(wish.id)
    assert claimed.status == "claimed" and claimed.claimed_by_id in {v.id for v in volunteers}
    with pytest.raises(Forbidden):
        people.fulfil_wish(claimed, "", account=world.accounts["street_organizer"])
    people.fulfil_wish(claimed, "已送到", account=claimed.claimed_by)
    quarters = people.wishes_per_quarter(Wish.select())
    assert len(quarters) == 1 and quarters[0]["total"] == 1 and quarters[0]["by_group"] == {"elderly": 1}
