"""Maker-checker in the three-level review: one person acts at one level of a file only, whatever
roles he holds; filing the file counts as the grassroots level; the administrator is no exception."""

from __future__ import annotations

import pytest

from core.errors import Forbidden
from core.services.accounts import grant_role
from plugins.warmth.models import Household, ReviewStep
from plugins.warmth.services import notices, review
from tests.support import login, text_of


def test_the_administrator_who_filed_a_file_cannot_review_it_at_another_level(world):
    admin = world.accounts["admin"]
    household = world.household(filer=admin)
    review.act(household, "submit", "申报", account=admin)  # filing and submitting: one level
    with pytest.raises(Forbidden) as refused:
        review.act(household, "pass", "属实", account=admin)
    assert "同一人不能办理两级审核" in refused.value.message
    assert Household.get_by_id(household.id).stage == "submitted"
    review.act(household, "pass", "属实", account=world.accounts["township"])
    with pytest.raises(Forbidden):
        notices.publish(world.units["district"], {"title": "公示", "working_days": 5}, [household.id], account=admin)
    assert Household.get_by_id(household.id).stage == "first_reviewed"


def test_a_reviewer_of_two_levels_acts_at_one_of_them_per_file(world):
    both = world.accounts["township"]
    grant_role(both, "reviewer", unit=world.units["district"], detail="county")
    first = world.household()
    review.act(first, "submit", "申报", account=world.accounts["grassroots_bus"])
    review.act(first, "pass", "属实", account=both)
    with pytest.raises(Forbidden):
        notices.publish(world.units["district"], {"title": "公示", "working_days": 5}, [first.id], account=both)
    with pytest.raises(Forbidden):
        review.act(first, "return_county", "材料不全", account=both)
    steps = [(s.level, s.account_id) for s in ReviewStep.select().where(ReviewStep.household == first.id)]
    assert steps == [("grassroots", world.accounts["grassroots_bus"].id), ("township", both.id)]


def test_the_review_page_refuses_a_second_level_with_403(app, world):
    both = world.accounts["township"]
    grant_role(both, "reviewer", unit=world.units["district"], detail="county")
    household = world.household()
    review.act(household, "submit", "申报", account=world.accounts["grassroots_bus"])
    client = login(app.test_client(), "township")
    assert client.post(f"/warmth/households/{household.id}/review",
                       data={"action": "pass", "comment": ""}).status_code == 302
    response = client.post(f"/warmth/households/{household.id}/review",
                           data={"action": "return_county", "comment": "再核实"})
    assert response.status_code == 403 and "同一人不能办理两级审核" in text_of(response)
    assert Household.get_by_id(household.id).stage == "first_reviewed"
