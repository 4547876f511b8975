"""The reading club's pages and API."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template
from flask_babel import gettext as _

from core.access import current_account, login_required, public
from core.api.spec import operation
from core.db import db
from core.errors import Refused
from core.models import Event
from core.services.visibility import can_view_event
from huodong_example.models import BookPick

bp = Blueprint("example", __name__, url_prefix="/example")
api = Blueprint("api_example", __name__, url_prefix="/api/v1/example")

PICK_SCHEMA = {
    "type": "object",
    "properties": {"event_id": {"type": "integer"}, "title": {"type": "string", "minLength": 1, "maxLength": 100}},
    "required": ["event_id", "title"],
    "additionalProperties": False,
}


def picks_of(event) -> list[BookPick]:
    return list(BookPick.select().where(BookPick.event == event).order_by(BookPick.created_at, BookPick.id))


@bp.route("/books")
@login_required
def books():
    account = current_account()
    mine = list(BookPick.select(BookPick, Event).join(Event).where(BookPick.member == account.member_id)
                .order_by(Event.starts_at)) if account.member_id else []
    return render_template("example/books.html", picks=mine)


@bp.route("/events/<int:event_id>/books")
@public
def event_books(event_id: int):
    event = Event.get_or_none(Event.id == event_id)
    if event is None or not can_view_event(current_account(), event):
        abort(404)
    return render_template("example/event_books.html", event=event, picks=picks_of(event))


@api.route("/picks")
@login_required
@operation("我推荐的书", tags=["example"])
def my_picks():
    account = current_account()
    query = BookPick.select().where(BookPick.member == account.member_id) if account.member_id else []
    return jsonify(picks=[{"event_id": p.event_id, "title": p.title} for p in query])


@api.route("/picks", methods=["POST"])
@login_required
@operation("推荐一本书", tags=["example"], body=PICK_SCHEMA)
def add_pick():
    from flask import request

    account = current_account()
    payload = request.get_json()
    event = Event.get_or_none(Event.id == payload["event_id"])
    if event is None or not can_view_event(account, event):
        abort(404)
    if not account.member_id:
        raise Refused(_("只有会员可以推荐书目"))
    with db.atomic():
        inserted = (BookPick.insert(event=event, member=account.member_id, title=payload["title"])
                    .on_conflict_ignore().as_rowcount().execute())
    if not inserted:
        raise Refused(_("每人每次活动只能推荐一本书"))
    return jsonify(event_id=event.id, title=payload["title"]), 201
