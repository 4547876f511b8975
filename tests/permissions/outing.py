"""The outing plugin's routes in the permissions matrix.

The world's 野狸岛 spring walk (published, owned by 实验中学工会) with the participant registered,
and a draft 河源 trip. One role of its own: ``dispatcher`` (调度), an account without a member that
the organizer named a scanning volunteer of the spring walk: he calls the roll at its gathering stops
and sees who is missing, nothing else. Arranging seats, rooms and costs is for who manages the event;
acknowledging the safety notice is for who is going.

Bodies are valid, so that a role passing the coarse permission check (``events.manage`` somewhere)
meets the check on this event.
"""

from __future__ import annotations

from tests.permissions import LOGGED_IN, NOBODY, allow

MANAGERS = {"organizer", "admin"}
ROLL_CALLERS = MANAGERS | {"dispatcher"}
WHEN = "2030-04-10T08:00"


def setup(world):
    from core.models import Registration
    from plugins.outing.models import CostItem, Room, Stop, Vehicle

    f = world.factory
    world.outing = f.event(world.school, activity_type="outing", preset="yelidao", title="珠海野狸岛春季踏青",
                           starts_in_days=10, hours=8)
    world.draft_outing = f.event(world.school, activity_type="outing", preset="heyuan", title="河源两日游",
                                 status="draft", starts_in_days=30, hours=8)
    registration = Registration.create(event=world.outing, member=world.member)
    world.outing_person = f"r{registration.id}"
    world.outing_stop = Stop.select().where(Stop.event == world.outing, Stop.gathering == True).first()  # noqa: E712
    world.outing_bus = Vehicle.select().where(Vehicle.event == world.outing).first()
    world.outing_room = Room.create(event=world.outing, name="301", beds=2, gender="M")
    world.outing_cost = CostItem.get(CostItem.event == world.outing, CostItem.name == "午餐")
    world.other_stop = Stop.select().where(Stop.event == world.draft_outing).first()
    world.other_bus = Vehicle.get(Vehicle.event == world.draft_outing)
    world.add_role("dispatcher", f.account("dispatcher", roles=[("volunteer", None, world.outing)]))


PERSON = {"person": "$outing_person"}
RULES = {
    # API
    "GET /api/v1/outing/events/<int:event_id>": [
        allow(LOGGED_IN, event_id="$outing"),
        allow(MANAGERS, event_id="$draft_outing"),  # a draft: only who manages the owning unit
        allow(NOBODY, event_id="$event"),  # not an outing
    ],
    "POST /api/v1/outing/events/<int:event_id>/stops": [
        allow(MANAGERS, event_id="$outing", json={"starts_at": WHEN, "title": "临时集合"}),
    ],
    "POST /api/v1/outing/events/<int:event_id>/stops/<int:stop_id>": [
        allow(MANAGERS, event_id="$outing", stop_id="$outing_stop", json={"place": "国交旁球场入口处"}),
        allow(NOBODY, event_id="$outing", stop_id="$other_stop", json={"place": "别处"}),  # another outing's stop
    ],
    "POST /api/v1/outing/events/<int:event_id>/vehicles": [
        allow(MANAGERS, event_id="$outing", json={"name": "3号车", "seats": 45, "departs_at": WHEN}),
    ],
    "POST /api/v1/outing/events/<int:event_id>/seats": [
        allow(MANAGERS, event_id="$outing", json={"person": "$outing_person", "vehicle_id": "$outing_bus"}),
    ],
    "POST /api/v1/outing/events/<int:event_id>/seats/auto": [allow(MANAGERS, event_id="$outing", json={})],
    "GET /api/v1/outing/events/<int:event_id>/vehicles/<int:vehicle_id>/passengers": [
        allow(MANAGERS, event_id="$outing", vehicle_id="$outing_bus"),
        allow(NOBODY, event_id="$outing", vehicle_id="$other_bus"),
    ],
    "POST /api/v1/outing/events/<int:event_id>/rooms": [allow(MANAGERS, event_id="$outing", json={"name": "302"})],
    "POST /api/v1/outing/events/<int:event_id>/rooms/auto": [allow(MANAGERS, event_id="$outing", json={})],
    "POST /api/v1/outing/events/<int:event_id>/beds": [
        allow(MANAGERS, event_id="$outing", json={"person": "$outing_person", "room_id": "$outing_room"}),
    ],
    "GET /api/v1/outing/events/<int:event_id>/rooms": [allow(MANAGERS, event_id="$outing")],
    "GET /api/v1/outing/events/<int:event_id>/costs": [
        allow(MANAGERS, event_id="$outing"),
        allow(MANAGERS, event_id="$draft_outing"),
    ],
    "POST /api/v1/outing/events/<int:event_id>/costs/<int:item_id>": [
        allow(MANAGERS, event_id="$outing", item_id="$outing_cost", json={"actual": "196.50"}),
    ],
    "POST /api/v1/outing/events/<int:event_id>/acknowledge": [
        allow({"participant"}, event_id="$outing", json={}),  # registered; the others are not going
    ],
    "POST /api/v1/outing/events/<int:event_id>/stops/<int:stop_id>/roll-call": [
        allow(ROLL_CALLERS, event_id="$outing", stop_id="$outing_stop", json=PERSON),
        allow(NOBODY, event_id="$outing", stop_id="$other_stop", json=PERSON),
    ],
    "GET /api/v1/outing/events/<int:event_id>/stops/<int:stop_id>/missing": [
        allow(ROLL_CALLERS, event_id="$outing", stop_id="$outing_stop"),
    ],
    # pages
    "GET /outing/<int:event_id>": [
        allow(MANAGERS, event_id="$outing"),
        allow(NOBODY, event_id="$event"),
    ],
    "POST /outing/<int:event_id>/seats/auto": [allow(MANAGERS, event_id="$outing")],
    "POST /outing/<int:event_id>/rooms/auto": [allow(MANAGERS, event_id="$outing")],
    "GET /outing/<int:event_id>/vehicles/<int:vehicle_id>/print": [
        allow(MANAGERS, event_id="$outing", vehicle_id="$outing_bus"),
    ],
    "GET /outing/<int:event_id>/rooms/print": [allow(MANAGERS, event_id="$outing")],
    "GET /outing/<int:event_id>/stops/<int:stop_id>/roll-call": [
        allow(ROLL_CALLERS, event_id="$outing", stop_id="$outing_stop"),
        allow(NOBODY, event_id="$outing", stop_id="$other_stop"),
    ],
    "POST /outing/<int:event_id>/stops/<int:stop_id>/roll-call": [
        allow(ROLL_CALLERS, event_id="$outing", stop_id="$outing_stop", data=PERSON),
    ],
    "POST /outing/<int:event_id>/acknowledge": [allow({"participant"}, event_id="$outing")],
}
