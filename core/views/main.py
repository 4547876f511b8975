"""The dashboard."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from core.access import current_account, managed_unit_ids, public
from core.migrate import not_ready
from core.models import Event, Registration
from core.plugins import flatten
from core.services.visibility import visible_events
from core.timeutil import utcnow

bp = Blueprint("main", __name__)


@bp.route("/")
@public
def dashboard():
    account = current_account()
    upcoming = list(visible_events(account).where(Event.ends_at >= utcnow()).order_by(Event.starts_at).limit(8))
    mine = []
    if account is not None and account.member_id:
        mine = list(
            Registration.select(Registration, Event)
            .join(Event)
            .where(Registration.member == account.member_id, Registration.status != "withdrawn",
                   Event.ends_at >= utcnow())
            .order_by(Event.starts_at)
        )
    widgets = []
    if account is not None:
        pm = current_app.extensions["huodong_pm"]
        widgets = sorted(flatten(pm.hook.huodong_dashboard_widgets(account=account)), key=lambda w: w.order)
    managed = account is not None and managed_unit_ids(account, "events.manage") != []
    return render_template("core/dashboard.html", upcoming=upcoming, mine=mine, widgets=widgets, managed=managed)


@bp.route("/healthz")
@public
def healthz():
    """A trivial answer for load balancers and monitoring, and the baseline of the benchmarks: ``ok``, or
    503 with the reason while the database still has migrations to run (every page would fail)."""
    reason = not_ready(current_app)
    if reason:
        return Response(f"not ready: {reason}\n", status=503, mimetype="text/plain")
    return Response("ok", mimetype="text/plain")
