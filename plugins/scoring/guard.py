"""Who may score what: organizers every item of their events, judges and referees only their own."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _

from core.access import can, current_account
from core.errors import NotFound
from core.models import Event, Item
from core.services.visibility import can_view_event
from plugins.scoring.models import ItemScoring
from plugins.scoring.panel import assignment


def load_item(item_id: int) -> Item:
    item = Item.select(Item, Event).join(Event).where(Item.id == item_id).first()
    if item is None or not ItemScoring.select().where(ItemScoring.item == item_id).exists():
        raise NotFound(_("找不到该项目或该项目不计分"))
    return item


def load_event(event_id: int) -> Event:
    event = Event.get_or_none(Event.id == event_id)
    if event is None:
        raise NotFound(_("找不到该活动"))
    return event


def is_organizer(account, event) -> bool:
    return can(account, "scoring.publish", event=event)


def require_scorer(item: Item):
    """The current account if it may enter results or marks for ``item``; 403 otherwise."""
    account = current_account()
    if account is None:
        abort(401)
    if is_organizer(account, item.event):
        return account
    if not can(account, "scoring.enter_results", event=item.event) or assignment(item, account) is None:
        abort(403)
    return account


def require_organizer(event, permission: str = "scoring.publish"):
    account = current_account()
    if account is None:
        abort(401)
    if not can(account, permission, event=event):
        abort(403)
    return account


def require_visible(event) -> None:
    if not can_view_event(current_account(), event) and not is_organizer(current_account(), event):
        abort(404)
