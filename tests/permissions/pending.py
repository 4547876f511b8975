"""Routes whose plugin has not written its table yet (they were there before the matrix).

Only the baseline applies to them (test_matrix.py: the access rule each view declares holds for an
anonymous visitor and for a participant without any grant). Move a route out of this list by writing
its entries in tests/permissions/<plugin>.py; a route listed here that has an entry, or that no longer
exists, fails the test. Never add a new route here.
"""

PENDING = frozenset({
    # outing
    "GET /api/v1/outing/events/<int:event_id>",
    "GET /api/v1/outing/events/<int:event_id>/costs",
    "GET /api/v1/outing/events/<int:event_id>/rooms",
    "GET /api/v1/outing/events/<int:event_id>/stops/<int:stop_id>/missing",
    "GET /api/v1/outing/events/<int:event_id>/vehicles/<int:vehicle_id>/passengers",
    "GET /outing/<int:event_id>",
    "GET /outing/<int:event_id>/rooms/print",
    "GET /outing/<int:event_id>/stops/<int:stop_id>/roll-call",
    "GET /outing/<int:event_id>/vehicles/<int:vehicle_id>/print",
    "POST /api/v1/outing/events/<int:event_id>/acknowledge",
    "POST /api/v1/outing/events/<int:event_id>/beds",
    "POST /api/v1/outing/events/<int:event_id>/costs/<int:item_id>",
    "POST /api/v1/outing/events/<int:event_id>/rooms",
    "POST /api/v1/outing/events/<int:event_id>/rooms/auto",
    "POST /api/v1/outing/events/<int:event_id>/seats",
    "POST /api/v1/outing/events/<int:event_id>/seats/auto",
    "POST /api/v1/outing/events/<int:event_id>/stops",
    "POST /api/v1/outing/events/<int:event_id>/stops/<int:stop_id>",
    "POST /api/v1/outing/events/<int:event_id>/stops/<int:stop_id>/roll-call",
    "POST /api/v1/outing/events/<int:event_id>/vehicles",
    "POST /outing/<int:event_id>/acknowledge",
    "POST /outing/<int:event_id>/rooms/auto",
    "POST /outing/<int:event_id>/seats/auto",
    "POST /outing/<int:event_id>/stops/<int:stop_id>/roll-call",
})
