"""Events: creation from an activity type and preset, changes, and the status workflow."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, NotFound, Refused
from core.models import Event, Unit
from core.plugins import event_hooks
from core.services import audit
from core.timeutil import utcnow

EDITABLE = (
    "title", "description", "unit", "venue", "timezone", "starts_at", "ends_at", "all_day",
    "registration_opens_at", "registration_closes_at", "capacity", "fee", "reminder_minutes",
)


def activity_types() -> dict:
    return current_app.extensions["huodong_activity_types"]


def activity_type(key: str):
    found = activity_types().get(key)
    if found is None:
        raise NotFound(_("未知的活动类型：%(key)s", key=key))
    return found


def _snapshot(event: Event) -> dict:
    return {name: getattr(event, name if name != "unit" else "unit_id") for name in EDITABLE} | {"status": event.status}


def _validate(data: dict) -> None:
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("请填写活动名称")
    if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
        errors["ends_at"] = _("结束时间不能早于开始时间")
    opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
    if opens and closes and closes < opens:
        errors["registration_closes_at"] = _("报名截止时间不能早于报名开始时间")
    if data.get("capacity") is not None and data["capacity"] < 0:
        errors["capacity"] = _("名额不能为负数")
    if errors:
        raise Invalid(_("活动信息有误"), errors)


def create_event(*, activity_type_key: str, preset_key: str | None, data: dict, account=None,
                 settings: dict | None = None) -> Event:
    """Create an event and let its plugin build what the preset describes, in one transaction."""
    kind = activity_type(activity_type_key)
    preset = kind.preset(preset_key) if preset_key else None
    if preset_key and preset is None:
        raise Invalid(_("未知的活动模板：%(key)s", key=preset_key))
    _validate(data)
    fields = {k: v for k, v in data.items() if k in EDITABLE}
    if isinstance(fields.get("unit"), int):
        fields["unit"] = Unit.get_by_id(fields["unit"])
    pm = current_app.extensions["huodong_pm"]
    with db.atomic():
        event = Event.create(
            activity_type=kind.key,
            preset=preset.key if preset else None,
            settings=dict(settings or {}),
            **fields,
        )
        event_hooks(pm, event).huodong_event_created(event=event, preset=preset, account=account)
        audit.record("event.create", event, after=_snapshot(event), account=account, event=event)
    return event


def update_event(event: Event, data: dict, account=None) -> Event:
    merged = _snapshot(event) | data
    _validate(merged)
    before = _snapshot(event)
    with db.atomic():
        for key, value in data.items():
            if key in EDITABLE:
                setattr(event, key, value)
        event.touch()
        event.save()
        audit.record("event.update", event, before=before, after=_snapshot(event), account=account, event=event)
    return event


def change_status(event: Event, new: str, account=None, reason: str = "") -> Event:
    """Move ``event`` along its workflow; refuses moves that the workflow does not allow."""
    old = event.status
    if not event.can_move_to(new):
        raise Refused(_("活动状态不能从“%(old)s”改为“%(new)s”", old=event.status_label, new=new))
    with db.atomic():
        event.status = new
        event.cancelled_at = utcnow() if new == "cancelled" else None
        event.touch()
        event.save()
        audit.record("event.status", event, before={"status": old}, after={"status": new},
                     reason=reason, account=account, event=event)
    event_hooks(current_app.extensions["huodong_pm"], event).huodong_event_status_changed(
        event=event, old=old, new=new, account=account
    )
    return event


def get_event(event_id: int) -> Event:
    event = Event.select(Event, Unit).join(Unit).where(Event.id == event_id).first()
    if event is None:
        raise NotFound(_("找不到该活动"))
    return event
