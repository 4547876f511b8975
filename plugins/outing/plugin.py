"""The outing plugin's hooks: the ``outing`` activity type and its presets, registration fields,
withdrawal (seat, bed and refund), calendar entries, the finance sheet, the event page block and the
demo outings. Roll call at the gathering stops goes through the sign-in plugin, which answers
``huodong_attendance`` for the stops' checkpoints."""

from __future__ import annotations

import re
from pathlib import Path

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from core import hookimpl
from core.access import can
from core.contrib import ExportSheet, MenuItem, Permission, RegistrationField, Section

HERE = Path(__file__).resolve().parent

REQUIRES = ("checkin",)  # gathering stops are its checkpoints; roll calls are its sign-ins
OWN_EVENTS_ONLY = True  # the hooks about one event reach this plugin for outings only
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def _is_outing(event) -> bool:
    return event is not None and event.activity_type == "outing"


@hookimpl
def huodong_models():
    from plugins.outing.models import MODELS

    return MODELS


@hookimpl
def huodong_permissions():
    return [Permission("outing.roll_call", _l("户外活动集合点名（调度、领队）"), ("organizer", "dept_head"))]


@hookimpl
def huodong_blueprints():
    from plugins.outing.api import bp as api_bp
    from plugins.outing.views import bp as pages

    return [pages, api_bp]


@hookimpl
def huodong_activity_types():
    from plugins.outing.presets import ACTIVITY

    return [ACTIVITY]


@hookimpl
def huodong_event_created(event, preset, account):
    from plugins.outing.presets import PLANS, apply

    if preset is not None and preset.key in PLANS:
        apply(event, preset.key)


@hookimpl
def huodong_registration_fields(event):
    return [
        RegistrationField("emergency_contact", lambda: StringField(_l("紧急联系人"), validators=[Optional(),
                                                                                             Length(max=50)]), 50),
        RegistrationField("emergency_phone", lambda: StringField(_l("紧急联系人电话"), validators=[Optional()]), 51),
        RegistrationField("roommate", lambda: StringField(_l("同住意向（同事工号）"), validators=[Optional(),
                                                                                              Length(max=40)]), 52),
        RegistrationField("late_bus", lambda: BooleanField(_l("上午有课，乘后面的班车")), 53),
    ]


@hookimpl
def huodong_registration_check(event, member, data, registration):
    phone = str((data.get("extra") or {}).get("emergency_phone") or "").strip()
    if phone and not MOBILE.match(phone):
        return [_("【紧急联系人】紧急联系人电话应为 11 位手机号码")]
    return []


@hookimpl
def huodong_registration_changed(registration, action, account):
    if action != "withdrawn":
        return
    from plugins.outing.costs import refund_on_withdrawal
    from plugins.outing.models import Bed, Seat

    Seat.delete().where(Seat.registration == registration.id).execute()
    Bed.delete().where(Bed.registration == registration.id).execute()
    refund_on_withdrawal(registration, account)


@hookimpl
def huodong_calendar_components(event, member):
    if not _is_outing(event):
        return []
    from plugins.outing.itinerary import feed_items

    return feed_items(event, member)


@hookimpl
def huodong_calendar_components_batch(events, member):
    ours = [e for e in events if _is_outing(e)]
    if not ours:
        return {}
    from plugins.outing.itinerary import feed_items_many

    return feed_items_many(ours, member)


@hookimpl
def huodong_export_sheets(event):
    from plugins.outing.costs import statement

    return [ExportSheet("outing_finance", "户外活动费用结算表", statement)]


@hookimpl
def huodong_menu_items(account, event):
    if not _is_outing(event) or account is None or not can(account, "events.manage", event=event):
        return []
    return [MenuItem(_("行程、车辆与住宿"), "outing.board", values={"event_id": event.id}, order=35)]


@hookimpl
def huodong_event_sections(event, account):
    from core.models import Registration
    from plugins.outing import itinerary, safety
    from plugins.outing.rooms import room_list
    from plugins.outing.transport import seat_of

    registration = None
    if account is not None and account.member_id:
        registration = Registration.get_or_none(Registration.event == event, Registration.member == account.member_id,
                                                Registration.status == "active")
    mine = {}
    if registration is not None:
        seats = seat_of(event)
        mine["seat"] = seats.get(f"r{registration.id}")
        mine["room"] = next((r.room.name for r in room_list(event)
                             if any(p.key == f"r{registration.id}" for p in r.people)), None)
        mine["ack"] = safety.acknowledgement(event, account.member_id)
    html = render_template("outing/_section.html", event=event, stops=itinerary.stops(event),
                           notices=itinerary.notices(event), notice=safety.notice_text(event),
                           registration=registration, mine=mine,
                           manage=account is not None and can(account, "events.manage", event=event))
    return [Section(_("行程与安全告知"), html, order=15)]


@hookimpl
def huodong_demo_data(demo):
    from plugins.outing.demo import build

    build(demo)


@hookimpl
def huodong_migrations():
    return ("outing", HERE / "migrations")


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]  # outing/*.html
