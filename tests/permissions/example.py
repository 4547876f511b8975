"""The example plugin's routes (tests/example_plugin), as a plugin adds its own table."""

from __future__ import annotations

from tests.permissions import EVERYONE, LOGGED_IN, allow


def setup(world):
    world.reading_event = world.factory.event(world.school, activity_type="reading", preset="monthly",
                                              title="四月读书分享会")


RULES = {
    "GET /example/books": [allow(LOGGED_IN)],
    "GET /example/events/<int:event_id>/books": [
        allow(EVERYONE, event_id="$reading_event"),
        allow({"organizer", "admin"}, event_id="$draft_event"),
    ],
    # a sheet the plugin offers on a core route, for holders of example.manage over the event
    "GET /events/<int:event_id>/export/<key>.xlsx": [
        allow({"organizer", "admin"}, event_id="$reading_event", key="books"),
    ],
    "GET /api/v1/example/picks": [allow(LOGGED_IN)],
    "POST /api/v1/example/picks": [allow(LOGGED_IN)],
}
