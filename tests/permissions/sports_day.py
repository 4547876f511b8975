"""The sports day (教职工体育竞赛) in the permissions matrix.

实验中学工会's staff sports day from the 篇二 preset: 二楼办公室 is 初二年级组 with its captain,
三楼办公室 is 初一年级组 with another captain. Roles of its own:
- ``captain``: captain of 二楼办公室 (a member of 初二年级组, no grant);
- ``captain_other_team``: captain of 三楼办公室;
- ``sports_referee``: a teacher of 初二年级组 whom the captain proposed as referee of 定点投篮 (the
  proposal gives him the ``referee`` role over the event and a seat on the item's panel).

Organizers of the event change items and prizes; captains propose referees from their own team's
staff (another captain is refused) and withdraw their own proposals; a referee enters his own item's
results only; the event page and the running order are public.
"""

from __future__ import annotations

from tests.permissions import EVERYONE, LOGGED_IN, PerRole, allow

ORGANIZERS = {"organizer", "admin"}
PROPOSERS = ORGANIZERS | {"captain", "captain_other_team"}


def setup(world):
    from core.models import Entry, Item, Registration, Team
    from core.services import registrations as reg_service
    from plugins.sports_day import referees

    f = world.factory
    event = world.sports_event = f.event(world.school, activity_type="sports_day", preset="staff_sports_day",
                                         title="教职工“庆五一”体育竞赛")
    captain = f.member(world.g2, name="二楼队长")
    other_captain = f.member(world.g1, name="三楼队长")
    world.add_role("captain", f.account("captain_a", member=captain))
    world.add_role("captain_other_team", f.account("captain_b", member=other_captain))
    for name, unit, member in (("二楼办公室", world.g2, captain), ("三楼办公室", world.g1, other_captain)):
        team = Team.get(Team.event == event, Team.name == name)
        reg_service.save_team(event, name=name, team=team, unit_ids=[unit.id], captain=member)
    items = {i.name: i for i in Item.select().where(Item.event == event)}
    world.shooting, world.relay = items["定点投篮"], items["迎面接力（50米）"]
    world.sports_item = items["羽毛球单打"]

    referee = f.member(world.g2, name="二楼裁判")
    world.add_role("sports_referee", f.account("referee_a", member=referee))
    referees.propose(event, world.shooting, referee, account=world.accounts["captain"])

    shooter = f.member(world.g2, name="二楼投手")
    team = Team.get(Team.event == event, Team.name == "二楼办公室")
    world.team_entrant = f"t{team.id}"
    registration = Registration.create(event=event, member=shooter, team=team)
    Entry.create(item=world.shooting, registration=registration, member=shooter)
    world.shooter = f"m{shooter.id}"
    # staff of 二楼办公室 who do not compete: one for the form, one for the API
    world.spare_for_form = f.member(world.g2, name="二楼后勤甲")
    world.spare_for_api = f.member(world.g2, name="二楼后勤乙")

    def proposed_referee(role):
        spare = f.member(world.g2, name=f"二楼后勤{role}")
        return referees.propose(event, world.relay, spare, account=world.accounts["captain"])

    world.proposed_referee = PerRole(proposed_referee)


RULES = {
    "GET /sports/events/<int:event_id>": [allow(EVERYONE, event_id="$sports_event")],
    "GET /sports/events/<int:event_id>/schedule": [allow(EVERYONE, event_id="$sports_event")],
    "GET /api/v1/sports/events/<int:event_id>/schedule": [allow(EVERYONE, event_id="$sports_event")],
    "GET /sports/mine": [allow(LOGGED_IN)],  # each sees the items he referees
    # items and prizes: the event's organizers
    "GET /sports/events/<int:event_id>/items/new": [allow(ORGANIZERS, event_id="$sports_event")],
    "POST /sports/events/<int:event_id>/items/new": [
        allow(ORGANIZERS, event_id="$sports_event",
              data={"name": "跳绳", "kind": "individual", "measure": "count", "tie_rule": "share", "start": "11:00",
                    "end": "11:30"}),
    ],
    "GET /sports/items/<int:item_id>/edit": [allow(ORGANIZERS, item_id="$sports_item")],
    "POST /sports/items/<int:item_id>/edit": [
        allow(ORGANIZERS, item_id="$sports_item",
              data={"name": "羽毛球单打", "kind": "individual", "measure": "match", "tie_rule": "share",
                    "per_team": "3", "place": "体育馆", "game_rule": "badminton"}),
    ],
    "POST /api/v1/sports/events/<int:event_id>/items": [
        allow(ORGANIZERS, event_id="$sports_event", json={"name": "踢毽子", "measure": "count"}),
    ],
    "PATCH /api/v1/sports/items/<int:item_id>": [allow(ORGANIZERS, item_id="$sports_item", json={"place": "体育馆"})],
    "GET /sports/events/<int:event_id>/prizes": [allow(ORGANIZERS, event_id="$sports_event")],
    "POST /sports/events/<int:event_id>/prizes": [
        allow(ORGANIZERS, event_id="$sports_event",
              data={"team_prizes": "300/260/200", "participation": "y", "participation_amount": "50"}),
    ],
    # referees: captains propose their own team's staff, organizers anyone
    "GET /sports/events/<int:event_id>/referees": [allow(PROPOSERS, event_id="$sports_event")],
    "POST /sports/events/<int:event_id>/referees": [
        allow({"captain", *ORGANIZERS}, event_id="$sports_event",
              data={"item": "$sports_item", "member": "$spare_for_form"}),
    ],
    "POST /api/v1/sports/events/<int:event_id>/referees": [
        allow({"captain", *ORGANIZERS}, event_id="$sports_event",
              json={"item": "$sports_item", "member": "$spare_for_api"}),
    ],
    # withdrawn by the organizers or the captain who proposed him (a referee of one's own for each role)
    "POST /sports/referees/<int:referee_id>/remove": [
        allow({"captain", *ORGANIZERS}, referee_id="$proposed_referee"),
    ],
    # the referee enters his own item's results, not another item's
    "POST /api/v1/scoring/items/<int:item_id>/results": [
        allow({"sports_referee", *ORGANIZERS}, item_id="$shooting",
              json={"entrant": "$shooter", "value": "7", "reached_at": "3"}),
        allow(ORGANIZERS, item_id="$relay", json={"entrant": "$team_entrant", "value": "95.2"}),
    ],
}
