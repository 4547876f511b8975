"""The outing's pages: the organizer's board, printable passenger and room lists, the roll call per
gathering stop and vehicle, and the participant's acknowledgement of the safety notice."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import can, current_account, login_required, permission_required
from core.errors import Forbidden, UserError
from plugins.outing import costs, itinerary, roll_call, rooms, safety, transport
from plugins.outing.guard import load_outing, require_manage, require_roll_call

bp = Blueprint("outing", __name__, url_prefix="/outing")


@bp.route("/<int:event_id>")
@permission_required("events.manage")
def board(event_id: int):
    event = load_outing(event_id)
    require_manage(event)
    fleet = [(v, transport.passengers(v)) for v in transport.vehicles(event)]
    return render_template("outing/board.html", event=event, stops=itinerary.stops(event), fleet=fleet,
                           rooms=rooms.room_list(event), lines=costs.budget_lines(event), totals=costs.totals(event),
                           refunds=costs.refunds(event), unacknowledged=safety.unacknowledged(event),
                           gathering=roll_call.gathering_stops(event), fee_items=costs.per_person_total(event))


@bp.route("/<int:event_id>/seats/auto", methods=["POST"])
@permission_required("events.manage")
def seats_auto(event_id: int):
    event = load_outing(event_id)
    result = transport.auto_assign(event, account=require_manage(event))
    flash(_("已安排 %(n)s 人的座位", n=result.seated), "success")
    if result.unplaced:
        flash(_("座位不够，未安排：%(names)s", names="、".join(result.unplaced)), "error")
    return redirect(url_for("outing.board", event_id=event.id))


@bp.route("/<int:event_id>/rooms/auto", methods=["POST"])
@permission_required("events.manage")
def rooms_auto(event_id: int):
    event = load_outing(event_id)
    result = rooms.auto_assign(event, account=require_manage(event))
    flash(_("已为 %(n)s 人分房，新开 %(rooms)s 间", n=result.placed, rooms=result.rooms), "success")
    return redirect(url_for("outing.board", event_id=event.id))


@bp.route("/<int:event_id>/vehicles/<int:vehicle_id>/print")
@permission_required("events.manage")
def passenger_list(event_id: int, vehicle_id: int):
    event = load_outing(event_id)
    require_manage(event)
    vehicle = transport.get_vehicle(event, vehicle_id)
    return render_template("outing/passengers.html", event=event, vehicle=vehicle,
                           passengers=transport.passengers(vehicle))


@bp.route("/<int:event_id>/rooms/print")
@permission_required("events.manage")
def room_list(event_id: int):
    event = load_outing(event_id)
    require_manage(event)
    return render_template("outing/rooms.html", event=event, rooms=rooms.room_list(event))


@bp.route("/<int:event_id>/stops/<int:stop_id>/roll-call", methods=["GET", "POST"])
@login_required
def roll_call_page(event_id: int, stop_id: int):
    event = load_outing(event_id)
    account = require_roll_call(event)
    stop = itinerary.get_stop(event, stop_id)
    vehicle_id = request.values.get("vehicle", type=int)
    vehicle = transport.get_vehicle(event, vehicle_id) if vehicle_id else None
    if request.method == "POST":
        try:
            roll_call.mark(stop, request.form.get("person", ""), account=account)
        except UserError as exc:
            flash(exc.message, "error")
        return redirect(url_for("outing.roll_call_page", event_id=event.id, stop_id=stop.id, vehicle=vehicle_id))
    return render_template("outing/roll_call.html", event=event, stop=stop, vehicle=vehicle,
                           vehicles=transport.vehicles(event), result=roll_call.missing(stop, vehicle),
                           stops=roll_call.gathering_stops(event),
                           scan=can(account, "checkin.scan", event=event))


@bp.route("/<int:event_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge(event_id: int):
    event = load_outing(event_id)
    account = current_account()
    if not account.member_id:
        raise Forbidden(_("你的账号没有关联会员"))
    safety.acknowledge(event, account.member_id)  # refuses (403) who is not going
    flash(_("已确认安全告知"), "success")
    return redirect(url_for("events.show", event_id=event.id))
