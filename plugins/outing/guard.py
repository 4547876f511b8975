"""Loading an outing for a view and checking who may act on it."""

from __future__ import annotations

from flask_babel import gettext as _

from core.access import can, current_account
from core.errors import Forbidden, NotFound
from core.models import Event
from core.services import events as event_service
from core.services.visibility import can_view_event


def load_outing(event_id: int) -> Event:
    """The outing ``event_id`` if the current account may see it."""
    event = event_service.get_event(event_id)
    if event.activity_type != "outing" or not can_view_event(current_account(), event):
        raise NotFound(_("找不到该户外活动"))
    return event


def require_manage(event: Event):
    account = current_account()
    if not can(account, "events.manage", event=event):
        raise Forbidden(_("只有活动组织者可以安排行程、车辆、住宿和费用"))
    return account


def require_roll_call(event: Event):
    """The organizers, and whoever may sign people in at this event (the volunteers an organizer
    names as dispatchers or team leaders on the sign-in pages)."""
    account = current_account()
    if not any(can(account, permission, event=event)
               for permission in ("events.manage", "outing.roll_call", "checkin.scan")):
        raise Forbidden(_("只有组织者、调度和领队可以点名"))
    return account
