"""Calendar feeds: one event's ``.ics``, a unit's feed, a member's personal feed and his page of links.

Feeds answer ``ETag``/``Last-Modified`` and reply 304 without building the calendar: a unit's feed
from its units' change stamps, a personal feed from four columns of his events (see
:mod:`core.services.feeds`).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import current_account, login_required, public
from core.models import Member, Unit
from core.services import feed_tokens
from core.services import feeds as feed_service
from core.services.feeds import Feed, Validators
from core.views.events import load_visible

bp = Blueprint("feeds", __name__)

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _is_fresh(feed: Feed | Validators, tag: str) -> bool:
    """Does the client's copy match? ``If-None-Match`` wins over ``If-Modified-Since`` (RFC 9110 13.2.2)."""
    if request.if_none_match:
        return request.if_none_match.contains_weak(tag)
    if request.if_modified_since:
        return feed.last_modified <= request.if_modified_since
    return False


def answer(feed: Feed | Validators, full: Callable[[], Feed] | None = None, *, private: bool = False,
           filename: str | None = None) -> Response:
    """The HTTP answer for ``feed``: 304 when the client's copy is current, else the calendar.

    ``feed`` may be only its validators or keys; ``full()`` then reads it with its rows, and the
    validators sent are those of what is built.
    """
    tag = feed.etag[3:-1]  # W/"..." -> ...
    if _is_fresh(feed, tag):
        response = Response(status=304)
    else:
        if getattr(feed, "rows", None) is None:
            feed = full()
        body = feed.build()
        tag = feed.etag[3:-1]
        response = Response(body, content_type=CONTENT_TYPE)
        if filename:
            response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.set_etag(tag, weak=True)
    response.last_modified = feed.last_modified
    response.headers["Cache-Control"] = ("private, " if private else "") + "no-cache"
    return response


@bp.route("/events/<int:event_id>.ics")
@public
def event_ics(event_id: int):
    """One event, for "add to calendar" (whoever may see the event's page)."""
    event = load_visible(event_id)
    return answer(feed_service.event_feed(event), filename=f"event-{event.id}.ics",
                  private=event.status == "draft")


@bp.route("/units/<int:unit_id>/calendar.ics")
@public
def unit_ics(unit_id: int):
    """A unit's feed: its published events and those of the units above it."""
    unit = Unit.get_or_none((Unit.id == unit_id) & (Unit.is_active == True))  # noqa: E712
    if unit is None:
        abort(404)
    return answer(feed_service.unit_validators(unit), lambda: feed_service.unit_feed(unit, rows=True))


@bp.route("/calendar/<token>.ics")
@public
def member_ics(token: str):
    """A member's personal feed, reachable by its secret token only."""
    member = feed_tokens.member_for_token(token)
    if member is None:
        abort(404)
    return answer(feed_service.member_feed(member), lambda: feed_service.member_feed(member, rows=True),
                  private=True)


def _links(path: str) -> dict:
    """The https and webcal:// forms of a feed's path under BASE_URL."""
    https = current_app.config["BASE_URL"].rstrip("/") + path
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[-1]}


@bp.route("/calendar")
@login_required
def mine():
    """The account's calendar links: his personal feed (with renewal) and his unit's feed."""
    account = current_account()
    member = Member.get_or_none(Member.id == account.member_id) if account.member_id else None
    personal = unit_links = None
    if member is not None:
        personal = _links(url_for("feeds.member_ics", token=feed_tokens.feed_token(member)))
        unit_links = _links(url_for("feeds.unit_ics", unit_id=member.unit_id))
    response = Response(render_template("core/feeds/mine.html", member=member, personal=personal,
                                        unit_links=unit_links))
    response.headers["Referrer-Policy"] = "no-referrer"  # the page shows a secret URL
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/calendar/renew", methods=["POST"])
@login_required
def renew():
    """Issue a new personal feed URL; the old one answers 404 from now on."""
    account = current_account()
    member = Member.get_or_none(Member.id == account.member_id) if account.member_id else None
    if member is None:
        abort(404)
    feed_tokens.renew_token(member)
    flash(_("已生成新的订阅地址，旧地址已失效。请在日历应用中重新订阅。"), "success")
    return redirect(url_for("feeds.mine"))
