"""Scoring's pages and API in the permissions matrix. Two roles of its own: ``judge``, on the panel of the items
scored here (20米运球, 乒乓球单打, 毛笔字), and ``judge_other_item``, on the panel of another item of the
same event (粉笔字) only; both hold a judge grant over the event. Marks are entered by panel judges
only, not by organizers.

The results pages (standings, an item's results, the bracket, the big-screen scoreboard and its
JSON) are public for an event anybody may see, and for a draft event only for who manages it; entry
pages follow the API; the payout sheet, budget and certificates are the organizers'.

Bodies are valid, so that a role passing the coarse permission check meets the item-level one.
"""

from __future__ import annotations

from tests.permissions import EVERYONE, LOGGED_IN, allow

ORGANIZERS = {"organizer", "admin"}
SCORERS = ORGANIZERS | {"judge"}


def setup(world):
    from core.models import Item
    from plugins.scoring import public as scoring

    f = world.factory
    world.scored_event = f.event(world.school, title="教职工体育竞赛", status="running")
    world.sprint = Item.create(event=world.scored_event, name="20米运球", sort=1)
    world.knockout = Item.create(event=world.scored_event, name="乒乓球单打", sort=2)
    world.brush = Item.create(event=world.scored_event, name="毛笔字", sort=3)
    world.chalk = Item.create(event=world.scored_event, name="粉笔字", sort=4)
    scoring.configure_event(world.scored_event, participation_amount="50")
    scoring.configure_item(world.sprint, measure="time", points=scoring.INDIVIDUAL_POINTS)
    scoring.configure_item(world.knockout, measure="match", points=scoring.INDIVIDUAL_POINTS, game_rule="table_tennis")
    for item in (world.brush, world.chalk):
        scoring.configure_item(item, measure="marks", criteria=[("笔法", 50), ("章法", 50)])
    judge = f.account("judge_sprint", roles=[("judge", None, world.scored_event)])
    other = f.account("judge_brush", roles=[("judge", None, world.scored_event)])
    for item in (world.sprint, world.knockout, world.brush):
        scoring.assign_judge(item, judge)
    scoring.assign_judge(world.chalk, other)
    world.add_role("judge", judge)
    world.add_role("judge_other_item", other)
    from core.models import Entry, Registration

    registration = Registration.create(event=world.scored_event, member=world.member)
    for item in (world.sprint, world.brush, world.chalk):
        Entry.create(item=item, registration=registration, member=world.member)
    world.entrant = f"m{world.member.id}"
    world.draft_scored_event = f.event(world.school, title="教职工书画比赛", status="draft")
    world.draft_item = Item.create(event=world.draft_scored_event, name="硬笔书法", sort=1)
    scoring.configure_item(world.draft_item, measure="marks", criteria=[("笔法", 50), ("章法", 50)])


RULES = {
    "POST /api/v1/scoring/items/<int:item_id>/results": [
        allow(SCORERS, item_id="$sprint", json={"entrant": "$entrant", "value": "12.5"}),
    ],
    "POST /api/v1/scoring/items/<int:item_id>/marks": [
        allow({"judge"}, item_id="$brush", json={"entrant": "$entrant", "marks": {"笔法": 40}}),
    ],
    "POST /api/v1/scoring/items/<int:item_id>/marks/submit": [allow({"judge"}, item_id="$brush")],
    "POST /api/v1/scoring/items/<int:item_id>/matches": [
        allow(SCORERS, item_id="$knockout", json={"round": 1, "number": 1, "games": [[11, 5], [11, 7]]}),
    ],
    "POST /api/v1/scoring/items/<int:item_id>/draw": [allow(ORGANIZERS, item_id="$knockout", json={"seed": "2024"})],
    "POST /api/v1/scoring/items/<int:item_id>/publish": [allow(ORGANIZERS, item_id="$sprint", json={})],
    "POST /api/v1/scoring/items/<int:item_id>/unlock": [
        allow(ORGANIZERS, item_id="$sprint", json={"reason": "更正录入错误"}),
    ],
    "GET /api/v1/scoring/events/<int:event_id>/standings": [allow(EVERYONE, event_id="$scored_event")],
    "GET /api/v1/scoring/points": [allow(LOGGED_IN)],
    "GET /scoring/points": [allow(LOGGED_IN)],
    "GET /scoring/points.xlsx": [allow(LOGGED_IN)],
    "GET /api/v1/scoring/items/<int:item_id>/changes": [allow(ORGANIZERS, item_id="$sprint")],
    "GET /api/v1/scoring/events/<int:event_id>/changes": [allow(ORGANIZERS, event_id="$scored_event")],
    "GET /api/v1/scoring/events/<int:event_id>/payouts": [allow(ORGANIZERS, event_id="$scored_event")],
    "POST /api/v1/scoring/events/<int:event_id>/payouts": [allow(ORGANIZERS, event_id="$scored_event", json={})],
    # pages: results are public where the event is, a draft's only for who manages it
    "GET /scoring/events/<int:event_id>": [allow(EVERYONE, event_id="$scored_event"),
                                           allow(ORGANIZERS, event_id="$draft_scored_event")],
    "GET /scoring/events/<int:event_id>/scoreboard": [allow(EVERYONE, event_id="$scored_event"),
                                                      allow(ORGANIZERS, event_id="$draft_scored_event")],
    "GET /scoring/events/<int:event_id>/scoreboard.json": [allow(EVERYONE, event_id="$scored_event"),
                                                           allow(ORGANIZERS, event_id="$draft_scored_event")],
    "GET /scoring/items/<int:item_id>": [allow(EVERYONE, item_id="$brush"), allow(EVERYONE, item_id="$sprint"),
                                         allow(ORGANIZERS, item_id="$draft_item")],
    "GET /scoring/items/<int:item_id>/bracket": [allow(EVERYONE, item_id="$knockout")],
    "GET /scoring/mine": [allow(LOGGED_IN)],
    # a judge enters his own items only; marks are the panel's
    "GET /scoring/items/<int:item_id>/enter": [
        allow(SCORERS, item_id="$sprint"),
        allow(SCORERS, item_id="$knockout"),
        allow({"judge"}, item_id="$brush"),
        allow({"judge_other_item"}, item_id="$chalk"),
    ],
    "POST /scoring/items/<int:item_id>/enter": [
        allow(SCORERS, item_id="$sprint", data={"entrant": "$entrant", "value": "12.5"}),
        allow(SCORERS, item_id="$knockout", data={"round": "1", "number": "1", "games": "11:5 11:7"}),
        allow({"judge"}, item_id="$brush", data={"entrant": "$entrant", "mark-笔法": "40", "mark-章法": "42"}),
    ],
    "POST /scoring/items/<int:item_id>/draw": [allow(ORGANIZERS, item_id="$knockout", data={"seed": "2024"})],
    "POST /scoring/items/<int:item_id>/publish": [allow(ORGANIZERS, item_id="$sprint")],
    # the organizers' money pages
    "GET /scoring/events/<int:event_id>/payout": [allow(ORGANIZERS, event_id="$scored_event")],
    "POST /scoring/events/<int:event_id>/payout": [allow(ORGANIZERS, event_id="$scored_event")],
    "GET /scoring/events/<int:event_id>/payout.xlsx": [allow(ORGANIZERS, event_id="$scored_event")],
    "GET /scoring/events/<int:event_id>/budget": [allow(ORGANIZERS, event_id="$scored_event")],
    "GET /scoring/events/<int:event_id>/certificates": [allow(ORGANIZERS, event_id="$scored_event")],
}
