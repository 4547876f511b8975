"""Seed 篇二 pays one 3rd place in the singles knockouts (3/2/1 points, 30/20/10 yuan): the preset plays a
third-place match, and the organizer's item form can choose between that and two shared 3rd places."""

from __future__ import annotations

from core.models import Item
from plugins.scoring import public as scoring
from tests.support import login


def test_the_preset_plays_for_one_third_place_and_the_form_can_change_it(app, factory):
    school = factory.school()
    factory.account("org", roles=[("organizer", school["school"])])
    event = factory.event(school["school"], activity_type="sports_day", preset="staff_sports_day", title="庆五一体育竞赛")
    singles = {i.name: i for i in Item.select().where(Item.event == event, Item.name.endswith("单打"))}
    assert {name: scoring.item_scoring(item).third_place for name, item in singles.items()} == {
        "乒乓球单打": "match", "羽毛球单打": "match"}

    client = login(app.test_client(), "org")
    table_tennis = singles["乒乓球单打"]
    page = client.get(f"/sports/items/{table_tennis.id}/edit").get_data(as_text=True)
    assert '<option value="match" selected>' in page
    form = {"name": "乒乓球单打", "kind": "individual", "measure": "match", "tie_rule": "share",
            "game_rule": "table_tennis", "points": "3/2/1", "prizes": "30/20/10", "per_team": "3", "place": "乒乓球室",
            "third_place": "shared"}
    assert client.post(f"/sports/items/{table_tennis.id}/edit", data=form).status_code == 302
    assert scoring.item_scoring(table_tennis).third_place == "shared"
    assert '<option value="shared" selected>' in client.get(f"/sports/items/{table_tennis.id}/edit").get_data(
        as_text=True)
    refused = client.post(f"/sports/items/{table_tennis.id}/edit", data=form | {"third_place": "both"})
    assert refused.status_code == 422 and scoring.item_scoring(table_tennis).third_place == "shared"
