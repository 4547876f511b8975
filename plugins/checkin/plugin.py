"""Hook implementations of the sign-in plugin."""

from __future__ import annotations

from pathlib import Path

from flask import render_template
from flask_babel import lazy_gettext as _l

from core import hookimpl, qr
from core.access import can, grants
from core.contrib import ExportSheet, MenuItem, Permission, Role, Section
from core.models import Event, Registration
from core.timeutil import utcnow
from plugins.checkin import attendance, checkpoints, overrides, requests
from plugins.checkin.models import MODELS, CheckIn
from plugins.checkin.windows import STATUS_LABELS

# The statuses of an event whose people may still be signed in.
_SCANNING = ("published", "closed", "running")

HERE = Path(__file__).resolve().parent


@hookimpl
def huodong_models():
    return MODELS


@hookimpl
def huodong_blueprints():
    from plugins.checkin.api import bp as api_bp
    from plugins.checkin.offline import bp as offline_bp
    from plugins.checkin.views import bp

    return [bp, api_bp, offline_bp]


@hookimpl
def huodong_roles():
    return [Role("volunteer", _l("志愿者"))]


@hookimpl
def huodong_permissions():
    return [
        Permission("checkin.scan", "扫码签到、查看签到情况", ("organizer", "referee", "volunteer")),
        Permission("checkin.manage", "管理签到：签到点、补签、请假、作废二维码", ("organizer",)),
    ]


@hookimpl
def huodong_menu_items(account, event):
    """签到 on an event's menu for those who scan there; on the main menu, a volunteer's scanner."""
    if event is not None:
        if can(account, "checkin.scan", event=event):
            return [MenuItem(_l("签到"), "checkin.index", values={"event_id": event.id}, order=30)]
        return []
    return _volunteer_scanner(account)


def _volunteer_scanner(account) -> list[MenuItem]:
    """扫码签到 for the current or next event the account volunteers at (the role granted over one event)."""
    if account is None:
        return []
    event_ids = [gr.event_id for gr in grants(account) if gr.role == "volunteer" and gr.event_id]
    if not event_ids:
        return []
    event = (Event.select(Event.id)
             .where(Event.id.in_(event_ids), Event.status.in_(_SCANNING), Event.ends_at >= utcnow())
             .order_by(Event.starts_at, Event.id).first())
    if event is None:
        return []
    return [MenuItem(_l("扫码签到"), "checkin.scanner", values={"event_id": event.id}, order=30)]


@hookimpl
def huodong_audit_labels():
    """What a registration's history calls the changes this plugin makes to it."""
    return {
        "checkin.request.leave": _l("申请请假"), "checkin.request.makeup": _l("申请补签"),
        "checkin.request.approved": _l("批准签到申请"), "checkin.request.refused": _l("驳回签到申请"),
        "checkin.excuse": _l("登记请假"), "checkin.unexcuse": _l("取消请假"),
        "checkin.revoke": _l("作废二维码"), "checkin.reissue": _l("重新发放二维码"),
    }


@hookimpl
def huodong_event_sections(event, account):
    """The participant's own QR code and sign-in status on the event's page."""
    if account is None or not account.member_id:
        return []
    registration = Registration.get_or_none(Registration.event == event.id, Registration.member == account.member_id,
                                            Registration.status == "active")
    if registration is None:
        return []
    main = checkpoints.ensure_main(event)
    signed_in = CheckIn.get_or_none(CheckIn.checkpoint == main.id, CheckIn.registration == registration.id,
                                    CheckIn.kind == "in")
    asked = requests.of_registration(registration.id)
    kinds = [k for k in requests.open_kinds(main) if not (k == "makeup" and signed_in)
             and not any(r.kind == k and r.status in ("pending", "approved") for r in asked)]
    html = render_template("checkin/section.html", event=event, registration=registration,
                           code=overrides.token_for(registration), signed_in=signed_in,
                           status=attendance.status_of(event, account.member_id), labels=STATUS_LABELS,
                           qr_svg=qr.svg, requests=asked, kinds=kinds, request_labels=requests.KIND_LABELS,
                           request_statuses=requests.STATUS_LABELS)
    return [Section(str(_l("我的签到码")), html, order=20)]


@hookimpl
def huodong_attendance(event, member, checkpoint):
    return attendance.status_of(event, member, checkpoint)


@hookimpl
def huodong_calendar_components(event, member):
    from plugins.checkin.calendar import feed_items

    return feed_items(event, member)


@hookimpl
def huodong_calendar_components_batch(events, member):
    from plugins.checkin.calendar import feed_items_many

    return feed_items_many(events, member)


@hookimpl
def huodong_attendance_many(event, member_ids, checkpoint):
    return attendance.statuses_of(event, member_ids, checkpoint)


@hookimpl
def huodong_export_sheets(event):
    from plugins.checkin.export import attendance_sheet

    return [ExportSheet("checkin", str(_l("签到表")), attendance_sheet, permission="events.manage")]


@hookimpl(trylast=True)
def huodong_demo_data(demo):
    from plugins.checkin.demo import build

    build(demo)


@hookimpl
def huodong_message_kinds():
    from plugins.checkin.notices import KINDS

    return KINDS


@hookimpl
def huodong_scheduled(now):
    from plugins.checkin.notices import queue_openings

    return queue_openings(now)


@hookimpl
def huodong_reminder_context(event):
    from plugins.checkin.notices import reminder_context

    return reminder_context(event)


@hookimpl
def huodong_migrations():
    return ("checkin", HERE / "migrations")


@hookimpl
def huodong_template_dirs():
    return [HERE / "templates"]  # checkin/*.html
