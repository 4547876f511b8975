"""The pages' forms answer 403 when the account may not act (another review level, another unit,
another volunteer's wish), as the permissions matrix expects, and change nothing; a bad form is
still shown again with its message."""

from __future__ import annotations

from tests.plugins.warmth.conftest import REGION, YEAR, id_number
from tests.support import login, text_of


def test_a_reviewer_of_another_level_gets_403_from_the_review_form(app, world):
    from plugins.warmth.models import Household, ReviewStep
    from plugins.warmth.services import review

    household = world.household(worker_name="张建明")
    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    for who in ("county", "grassroots_bus", "officer"):
        client = login(app.test_client(), world.accounts[who].username)
        response = client.post(f"/warmth/households/{household.id}/review", data={"action": "pass", "comment": ""})
        assert response.status_code == 403, who
        assert "审核人" in text_of(response)
    assert Household.get_by_id(household.id).stage == "submitted"
    assert ReviewStep.select().where(ReviewStep.household == household.id).count() == 1
    township = login(app.test_client(), "township")
    response = township.post(f"/warmth/households/{household.id}/review", data={"action": "pass"})
    assert response.status_code == 302 and Household.get_by_id(household.id).stage == "first_reviewed"
    # a workflow refusal is still told on the page it came from
    again = township.post(f"/warmth/households/{household.id}/review", data={"action": "pass"}, follow_redirects=True)
    assert again.status_code == 200 and "不能执行此操作" in text_of(again)


def test_only_a_county_reviewer_publishes_a_notice_from_the_form(app, world):
    from plugins.warmth.models import Household, Notice
    from plugins.warmth.services import review

    household = world.household()
    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    review.act(household, "pass", "属实", account=world.accounts["township"])
    form = {"unit": world.units["street"].id, "title": "公示", "working_days": 5, "household_ids": household.id}
    township = login(app.test_client(), "township")
    assert township.post("/warmth/notices/new", data=form).status_code == 403
    assert Notice.select().count() == 0 and Household.get_by_id(household.id).stage == "first_reviewed"
    county = login(app.test_client(), "county")
    assert county.post("/warmth/notices/new", data=form | {"unit": world.units["district"].id}).status_code == 302
    assert Notice.select().count() == 1 and Household.get_by_id(household.id).stage == "noticed"


def test_filing_for_a_unit_one_does_not_cover_is_403_and_writes_nothing(app, world):
    from plugins.warmth.models import Household

    form = {"unit": world.units["bus"].id, "worker_name": "王师傅", "id_number": id_number(90), "region_code": REGION,
            "year": YEAR, "members_count": 3}
    client = login(app.test_client(), "plant_grassroots")
    response = client.post("/warmth/households/new", data=form)
    assert response.status_code == 403
    assert Household.select().count() == 0
    # a mistake in the form is shown again with its message
    own = login(app.test_client(), "grassroots_bus")
    response = own.post("/warmth/households/new", data=form | {"id_number": "440402198001019999"})
    assert response.status_code == 200 and Household.select().count() == 0
    assert own.post("/warmth/households/new", data=form).status_code == 302
    assert Household.select().count() == 1


def test_only_the_volunteer_who_claimed_a_wish_records_it_fulfilled(app, world):
    from plugins.warmth.models import Wish
    from plugins.warmth.services import people

    wish = people.add_wish(world.units["bus"], {"group": "elderly", "beneficiary": "王奶奶", "content": "一台收音机"},
                           account=world.accounts["bus_organizer"])
    driver = login(app.test_client(), "driver")
    other = login(app.test_client(), "bus_org")
    assert other.post(f"/warmth/wishes/{wish.id}/fulfil", data={"note": "x"}).status_code == 403  # not claimed yet
    assert driver.post(f"/warmth/wishes/{wish.id}/claim").status_code == 302
    assert other.post(f"/warmth/wishes/{wish.id}/fulfil", data={"note": "已送到"}).status_code == 403
    assert Wish.get_by_id(wish.id).status == "claimed"
    assert driver.post(f"/warmth/wishes/{wish.id}/fulfil", data={"note": "已送到"}).status_code == 302
    wish = Wish.get_by_id(wish.id)
    assert wish.status == "fulfilled" and wish.note == "已送到"


def test_a_member_sees_and_claims_only_the_wishes_of_his_own_unions(app, world, factory):
    from plugins.warmth.models import Wish
    from plugins.warmth.services import people

    bus_wish = people.add_wish(world.units["bus"], {"group": "elderly", "beneficiary": "王奶奶", "content": "一台收音机"},
                               account=world.accounts["bus_organizer"])
    street_wish = people.add_wish(world.units["street"], {"group": "children", "beneficiary": "小明",
                                                          "content": "一套字典"},
                                  account=world.accounts["street_organizer"])
    factory.account("fitter", member=factory.member(world.units["plant"], name="李钳工"))
    fitter = login(app.test_client(), "fitter")
    page = text_of(fitter.get("/warmth/wishes"))
    assert "一台收音机" not in page and "一套字典" not in page
    assert fitter.post(f"/warmth/wishes/{bus_wish.id}/claim").status_code == 404
    assert Wish.get_by_id(bus_wish.id).status == "open"

    driver = login(app.test_client(), "driver")  # a member of the bus company, below the street union
    page = text_of(driver.get("/warmth/wishes"))
    assert "一台收音机" in page and "一套字典" in page
    assert driver.post(f"/warmth/wishes/{street_wish.id}/claim").status_code == 302
    assert Wish.get_by_id(street_wish.id).claimed_by_id == world.accounts["participant"].id
