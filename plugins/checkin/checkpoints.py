"""Checkpoints of an event: the main one (key ``main``, made when first needed), gathering points and
items, each with its window; and the compact view of one that the scanning path loads in one query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from flask_babel import gettext as _
from peewee import JOIN

from core.db import db, prepared, stored_datetime
from core.errors import Invalid, NotFound
from core.models import Event, Item, Unit
from core.models.events import touch_event
from core.services import audit
from core.timeutil import utcnow
from plugins.checkin import geofence
from plugins.checkin.models import Checkpoint
from plugins.checkin.windows import Window

MAIN = "main"
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class CheckpointInfo:
    """What scanning needs to know about a checkpoint, its event and the event's unit."""

    id: int
    key: str
    name: str
    item_id: int | None
    sign_out: bool
    self_sign_in: bool
    rotate_seconds: int
    window: Window
    event_id: int
    event_title: str
    event_status: str
    timezone: str
    unit_id: int
    unit_path: str

    def event_stub(self) -> SimpleNamespace:
        """What access checks read of the event (its id, its unit and the unit's path), without a model."""
        return SimpleNamespace(id=self.event_id, title=self.event_title, timezone=self.timezone,
                               unit=SimpleNamespace(id=self.unit_id, path=self.unit_path))


def window_of(checkpoint: Checkpoint, event: Event | None = None, item: Item | None = None) -> Window:
    event = event or checkpoint.event
    if item is None and checkpoint.item_id:
        item = checkpoint.item
    return Window.build(
        opens_at=checkpoint.opens_at, starts_at=checkpoint.starts_at, grace_minutes=checkpoint.grace_minutes,
        closes_at=checkpoint.closes_at, ends_at=checkpoint.ends_at,
        default_start=(item.starts_at if item and item.starts_at else event.starts_at),
        default_end=(item.ends_at if item and item.ends_at else event.ends_at), sign_out=checkpoint.sign_out,
    )


def context_query():
    return (
        Checkpoint.select(
            Checkpoint.id, Checkpoint.key, Checkpoint.name, Checkpoint.item, Checkpoint.sign_out,
            Checkpoint.self_sign_in, Checkpoint.rotate_seconds, Checkpoint.opens_at, Checkpoint.starts_at,
            Checkpoint.grace_minutes, Checkpoint.closes_at, Checkpoint.ends_at,
            Event.id, Event.title, Event.status, Event.timezone, Event.starts_at, Event.ends_at,
            Unit.id, Unit.path, Item.starts_at, Item.ends_at,
        )
        .join(Event, on=(Checkpoint.event == Event.id))
        .join(Unit, on=(Event.unit == Unit.id))
        .switch(Checkpoint)
        .join(Item, on=(Checkpoint.item == Item.id), join_type=JOIN.LEFT_OUTER)
    )


_BY_KEY = prepared(lambda: context_query().where(Checkpoint.event == 0, Checkpoint.key == ""))
_BY_ID = prepared(lambda: context_query().where(Checkpoint.id == 0))


def _dt(value) -> datetime | None:
    return stored_datetime(value) if value is not None else None


CONTEXT_WIDTH = 22  # columns of context_query()


def info_from_row(row) -> CheckpointInfo:
    (cid, key, name, item_id, sign_out, self_sign_in, rotate, opens, starts, grace, closes, ends,
     event_id, title, status, tz, ev_start, ev_end, unit_id, unit_path, item_start, item_end) = row
    window = Window.build(opens_at=_dt(opens), starts_at=_dt(starts), grace_minutes=grace, closes_at=_dt(closes),
                          ends_at=_dt(ends), default_start=_dt(item_start) or _dt(ev_start),
                          default_end=_dt(item_end) or _dt(ev_end), sign_out=sign_out)
    return CheckpointInfo(id=cid, key=key, name=name, item_id=item_id, sign_out=bool(sign_out),
                          self_sign_in=bool(self_sign_in), rotate_seconds=rotate, window=window, event_id=event_id,
                          event_title=title, event_status=status, timezone=tz, unit_id=unit_id, unit_path=unit_path)


def info(event_id: int, key: str | None = None) -> CheckpointInfo:
    """The checkpoint ``key`` (default: the main one) of an event; the main one is made on first use."""
    key = key or MAIN
    row = _BY_KEY.one(event_id, key)
    if row is None and key == MAIN and Event.select().where(Event.id == event_id).exists():
        ensure_main(Event.get_by_id(event_id))
        row = _BY_KEY.one(event_id, key)
    if row is None:
        raise NotFound(_("找不到该签到点"))
    return info_from_row(row)


def info_by_id(checkpoint_id: int) -> CheckpointInfo | None:
    row = _BY_ID.one(checkpoint_id)
    return info_from_row(row) if row else None


def ensure_main(event: Event) -> Checkpoint:
    """The event's main checkpoint, made (safely under concurrency) if it does not exist yet."""
    found = Checkpoint.get_or_none(Checkpoint.event == event.id, Checkpoint.key == MAIN)
    if found is None:
        Checkpoint.insert(event=event.id, key=MAIN, name=_("活动签到")).on_conflict_ignore().execute()
        found = Checkpoint.get(Checkpoint.event == event.id, Checkpoint.key == MAIN)
    return found


def for_event(event: Event) -> list[Checkpoint]:
    """The event's checkpoints in order, the main one first."""
    ensure_main(event)
    return list(Checkpoint.select().where(Checkpoint.event == event.id)
                .order_by(Checkpoint.key != MAIN, Checkpoint.sort, Checkpoint.id))


def get(event: Event, key: str | None) -> Checkpoint:
    if not key or key == MAIN:
        return ensure_main(event)
    found = Checkpoint.get_or_none(Checkpoint.event == event.id, Checkpoint.key == key)
    if found is None:
        raise NotFound(_("找不到该签到点"))
    return found


EDITABLE = ("name", "place", "item", "sort", "opens_at", "starts_at", "grace_minutes", "closes_at", "ends_at", "sign_out",
            "self_sign_in", "rotate_seconds", "in_calendar", "latitude", "longitude", "radius_m")


def _snapshot(cp: Checkpoint) -> dict:
    return {"key": cp.key} | {name: getattr(cp, name if name != "item" else "item_id") for name in EDITABLE}


def save(event: Event, data: dict, checkpoint: Checkpoint | None = None, account=None) -> Checkpoint:
    """Create or change a checkpoint; refuses a window that closes before it opens."""
    errors = {}
    key = (data.get("key") if checkpoint is None else checkpoint.key) or ""
    if checkpoint is None:
        if not _KEY.match(key):
            errors["key"] = _("代码只能用小写字母、数字、- 和 _，最多 40 位")
        elif Checkpoint.select().where(Checkpoint.event == event.id, Checkpoint.key == key).exists():
            errors["key"] = _("代码 %(key)s 已被使用", key=key)
    if "name" in data and not (data.get("name") or "").strip():
        errors["name"] = _("请填写签到点名称")
    item = data.get("item")
    if isinstance(item, int):
        item = Item.get_or_none(Item.id == item, Item.event == event.id)
        if item is None:
            errors["item"] = _("该项目不属于本活动")
    merged = (_snapshot(checkpoint) if checkpoint else {}) | data
    opens, closes = merged.get("opens_at"), merged.get("closes_at")
    starts, ends = merged.get("starts_at"), merged.get("ends_at")
    if opens and closes and closes < opens:
        errors["closes_at"] = _("签到截止时间不能早于签到开始时间")
    if starts and ends and ends < starts:
        errors["ends_at"] = _("结束时间不能早于开始时间")
    if (merged.get("grace_minutes") or 0) < 0:
        errors["grace_minutes"] = _("宽限分钟数不能为负数")
    rotate = merged.get("rotate_seconds") or 30
    if not 10 <= rotate <= 600:
        errors["rotate_seconds"] = _("现场二维码刷新间隔应在 10 到 600 秒之间")
    try:
        geofence.check_place(merged.get("latitude"), merged.get("longitude"), merged.get("radius_m"))
    except Invalid as exc:
        errors.update(exc.errors)
    if errors:
        raise Invalid(_("签到点设置有误"), errors)
    before = _snapshot(checkpoint) if checkpoint else None
    with db.atomic():
        if checkpoint is None:
            checkpoint = Checkpoint(event=event.id, key=key, name=data.get("name", "").strip())
        for name in EDITABLE:
            if name in data:
                value = item if name == "item" else data[name]
                setattr(checkpoint, name, value.strip() if isinstance(value, str) else value)
        checkpoint.updated_at = utcnow()
        checkpoint.save()
        if checkpoint.key != MAIN and (checkpoint.in_calendar or (before or {}).get("in_calendar")):
            touch_event(event.id)  # its entry in the calendar feeds changed: move the event for subscribers
        audit.record("checkin.checkpoint.update" if before else "checkin.checkpoint.create", checkpoint,
                     before=before, after=_snapshot(checkpoint), account=account, event=event)
    return checkpoint
