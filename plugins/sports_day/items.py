"""Items of a sports day: creating and changing them (the core item, its slot in the day and how it is
scored), and the places each item awards when the plan says "根据报名情况录取".

An item's own tables (points and prize money per place, as the organizer wrote them) are kept in
``Item.settings["sports_day"]``; scoring gets the tables in force. They differ only on events whose
places depend on the entries: with fewer entrants than places, one place fewer than entrants is
awarded (减一录取).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from peewee import fn

from core.db import db
from core.errors import Invalid, NotFound
from core.models import Entry, Event, Item, Registration
from core.services import audit
from core.services.registrations import lock_event
from plugins.scoring import public as scoring

KINDS = ("individual", "team")
CORE_FIELDS = ("name", "kind", "starred", "group", "per_team", "team_size_min", "team_size_max", "min_women",
               "capacity", "starts_at", "ends_at", "place")
SCORING_FIELDS = ("measure", "unit_label", "tie_rule", "team_points", "game_rule", "third_place", "bands",
                  "threshold", "answer_award")


def plan_settings(event: Event) -> dict:
    """The sports day's settings of ``event`` (``Event.settings["sports_day"]``)."""
    return dict((event.settings or {}).get("sports_day") or {})


def item_settings(item: Item) -> dict:
    return dict((item.settings or {}).get("sports_day") or {})


def parse_table(value, what: str) -> list[str]:
    """``"3/2/1"``, ``"3,2,1"``, ``"3 2 1"`` or a list: the values per place, as text."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.replace("，", ",").replace("、", ",").replace("/", ",").replace(" ", ",").split(",")
    else:
        parts = [str(v) for v in value]
    out = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        try:
            number = Decimal(part)
        except InvalidOperation:
            raise Invalid(_("%(what)s中的“%(value)s”不是数字", what=what, value=part), {what: part}) from None
        if not number.is_finite() or number < 0:
            raise Invalid(_("%(what)s不能为负数", what=what), {what: part})
        out.append(part)
    return out


def entrant_count(item: Item) -> int:
    """Entrants of ``item``: teams in a team item, people otherwise (active registrations only)."""
    query = (Entry.select().join(Registration, on=(Entry.registration == Registration.id))
             .where(Entry.item == item.id, Registration.status == "active"))
    if item.kind == "team":
        return query.select(fn.COUNT(Entry.team.distinct())).where(Entry.team.is_null(False)).scalar() or 0
    return query.count()


def places_awarded(table_size: int, entrants: int) -> int:
    """How many places an item awards when places depend on the entries (减一录取)."""
    if entrants > table_size:
        return table_size
    return max(entrants - 1, 0)


def tables_in_force(event: Event, item: Item) -> tuple[list[str], list[str]]:
    """The points and prize tables scoring uses for ``item`` now."""
    own = item_settings(item)
    points, prizes = list(own.get("points") or []), list(own.get("prizes") or [])
    if plan_settings(event).get("places_by_entries"):
        count = entrant_count(item)
        points = points[:places_awarded(len(points), count)]
        prizes = prizes[:places_awarded(len(prizes), count)]
    return points, prizes


KEPT_SCORING = ("measure", "unit_label", "tie_rule", "team_points", "team_tie_rule", "countback_higher_wins",
                "bands", "band_cap", "threshold", "answer_award", "criteria", "drop_high", "drop_low", "blind",
                "recusal", "best_of", "game_rule", "third_place")


def current_scoring(item: Item) -> dict:
    """How ``item`` is scored now, as keyword arguments for ``scoring.configure_item`` (empty: not yet)."""
    try:
        config = scoring.item_scoring(item)
    except NotFound:
        return {}
    return {key: getattr(config, key) for key in KEPT_SCORING}


def _configure(event: Event, item: Item, scoring_fields: dict, account) -> None:
    """Configure scoring with what is there, what changed and the tables in force (configure resets the rest)."""
    points, prizes = tables_in_force(event, item)
    kwargs = current_scoring(item) | scoring_fields
    kwargs["measure"] = kwargs.get("measure") or "count"
    scoring.configure_item(item, points=points, prizes=prizes, account=account,
                           collective=item.kind == "team", **kwargs)


def _check(event: Event, data: dict, item: Item | None) -> dict:
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("请填写项目名称")
    elif Item.select().where(Item.event == event, Item.name == name, Item.id != (item.id if item else 0)).exists():
        errors["name"] = _("本活动已有项目“%(name)s”", name=name)
    if data.get("kind", "individual") not in KINDS:
        errors["kind"] = _("项目类型应为个人或集体")
    for key in ("per_team", "team_size_min", "team_size_max", "min_women", "capacity"):
        value = data.get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            errors[key] = _("应为不小于 0 的整数")
    low, high = data.get("team_size_min"), data.get("team_size_max")
    if low is not None and high is not None and high < low:
        errors["team_size_max"] = _("每队人数上限不能小于下限")
    start, end = data.get("starts_at"), data.get("ends_at")
    if (start is None) != (end is None):
        errors["ends_at"] = _("请同时填写开始和结束时间，或都不填")
    elif start is not None and end < start:
        errors["ends_at"] = _("结束时间不能早于开始时间")
    if errors:
        raise Invalid(_("项目信息有误：%(detail)s", detail="；".join(errors.values())), errors)
    data["name"] = name
    return data


def save_item(event: Event, data: dict, *, item: Item | None = None, account=None) -> Item:
    """Create or change an item of ``event``: its rules, time and place, and how it is scored.

    ``data`` holds any of the core item's fields (``name``, ``kind``, ``starred``, ``group``,
    ``per_team``, ``team_size_min``, ``team_size_max``, ``min_women``, ``capacity``, ``starts_at`` /
    ``ends_at`` as naive UTC, ``place``), ``rule`` (its rules in words), ``points`` and ``prizes``
    (tables per place) and scoring's ``measure``, ``unit_label``, ``tie_rule``, ``team_points``,
    ``game_rule`` ... Missing keys keep their value. One transaction, audited; bad input raises
    :class:`Invalid` and leaves nothing written.
    """
    before = snapshot(item) if item is not None else None
    merged = (before or {"kind": "individual", "starred": False, "group": "", "place": ""}) | data
    if item is not None:  # the snapshot writes times as text; a change that leaves them out keeps the datetimes
        merged |= {key: getattr(item, key) for key in ("starts_at", "ends_at") if key not in data}
    for key in ("points", "prizes"):
        if key in data:
            merged[key] = parse_table(data[key], _("积分表") if key == "points" else _("奖金表"))
    merged = _check(event, merged, item)
    with db.atomic():
        locked = lock_event(event)
        if item is None:
            last = Item.select(fn.MAX(Item.sort)).where(Item.event == event).scalar() or 0
            item = Item(event=event, sort=last + 1, settings={})
        for key in CORE_FIELDS:
            if key in merged:
                setattr(item, key, merged[key] if merged[key] is not None or key not in ("group", "place") else "")
        own = item_settings(item)
        own["rule"] = (merged.get("rule") or "").strip()
        own["points"] = list(merged.get("points") or [])
        own["prizes"] = list(merged.get("prizes") or [])
        own["sign_in"] = bool(merged.get("sign_in"))
        item.settings = dict(item.settings or {}) | {"sports_day": own}
        item.save()
        _sync_checkpoint(locked, item, own["sign_in"], account)
        scoring_fields = {k: merged[k] for k in SCORING_FIELDS if k in data}
        if before is None:
            scoring_fields.setdefault("measure", merged.get("measure", "count"))
        _configure(locked, item, scoring_fields, account)
        locked.touch()
        locked.save(only=[Event.sequence, Event.updated_at])
        audit.record("sports_day.item.update" if before else "sports_day.item.create", item, before=before,
                     after=snapshot(item), account=account, event=event)
    return item


def _sync_checkpoint(event: Event, item: Item, wanted: bool, account) -> None:
    """An item that asks for its own sign-in (检录) gets a checkpoint of the sign-in plugin where only its
    entrants are expected, in the item's time and place; nothing when the sign-in plugin is off."""
    if current_app.extensions["huodong_pm"].get_plugin("checkin") is None:
        return
    from plugins.checkin import public as checkin

    key = f"item-{item.id}"
    if wanted:
        checkin.ensure_checkpoint(event, key, _("检录：%(item)s", item=item.name), place=item.place or "",
                                  starts_at=item.starts_at, ends_at=item.ends_at, sort=10 + (item.sort or 0),
                                  in_calendar=False, item=item, account=account)
    else:
        checkin.remove_checkpoint(event, key, account=account)


def snapshot(item: Item) -> dict:
    """An item as ``save_item`` reads it: the core fields, its rule and its tables."""
    own = item_settings(item)
    out = {key: getattr(item, key) for key in CORE_FIELDS}
    for key in ("starts_at", "ends_at"):
        out[key] = out[key].isoformat() if isinstance(out[key], datetime) else out[key]
    out |= {"rule": own.get("rule", ""), "points": list(own.get("points") or []),
            "prizes": list(own.get("prizes") or []), "sign_in": bool(own.get("sign_in"))}
    try:
        config = scoring.item_scoring(item)
        out |= {"measure": config.measure, "tie_rule": config.tie_rule, "team_points": list(config.team_points)}
    except NotFound:
        pass
    return out


def sync_places(event: Event, *, account=None) -> list[Item]:
    """Bring scoring's tables in line with the entries (events whose places depend on the entries).

    Runs in a transaction that locks the event like registrations do, so the last sync after the
    last registration sees every entry. Returns the items whose tables changed.
    """
    if not plan_settings(event).get("places_by_entries"):
        return []
    changed = []
    with db.atomic():
        locked = lock_event(event)
        for item in Item.select().where(Item.event == locked).order_by(Item.sort, Item.id):
            try:
                config = scoring.item_scoring(item)
            except NotFound:
                continue
            points, prizes = tables_in_force(locked, item)
            if list(config.points) != points or list(config.prizes) != prizes:
                _configure(locked, item, {}, account)
                changed.append(item)
    return changed
