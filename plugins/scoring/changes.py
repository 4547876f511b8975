"""The results change log (成绩更正记录): every correction of a result or a match score, and every
unlocking of published results with its reason, per item or for the whole event — from the audit log,
where each change is written in the transaction that made it.

Judges' marks are left out: while names are sealed they would tell who gave what to whom; the audit log
keeps them for the administrator.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core.models import AuditLog, Item
from plugins.scoring.models import ItemScoring, MatchResult, ScoringResult

ACTIONS = {
    "scoring.result.correct": _l("更正成绩"),
    "scoring.match.correct": _l("更正比分"),
    "scoring.item.unlock": _l("解锁已发布的成绩"),
    "scoring.item.publish": _l("发布成绩"),
}
HEADERS = (_l("时间"), _l("项目"), _l("操作"), _l("参赛者"), _l("更正前"), _l("更正后"), _l("原因"), _l("办理人"))


def _plain(value) -> str:
    """A stored number as people write it (PostgreSQL keeps ``9.0000`` where SQLite keeps ``9``)."""
    try:
        return f"{Decimal(str(value)).normalize():f}"
    except (InvalidOperation, ValueError):
        return str(value)


def _describe(snapshot: dict | None) -> str:
    if not snapshot:
        return ""
    if "games" in snapshot:
        return " ".join(f"{a}:{b}" for a, b in snapshot["games"])
    parts = []
    if snapshot.get("status") and snapshot["status"] != "ok":
        parts.append(snapshot["status"])
    if snapshot.get("value") is not None:
        parts.append(_plain(snapshot["value"]))
    if snapshot.get("reached_at"):
        parts.append(_("第%(n)s次投中", n=_plain(snapshot["reached_at"])))
    if snapshot.get("note"):
        parts.append(snapshot["note"])
    return "，".join(parts)


def changes(items: list[Item], names: dict[str, str] | None = None) -> list[dict]:
    """The changes of ``items`` (of one event), newest first, as rows for a page, the API or a sheet."""
    if not items:
        return []
    names = names or {}
    by_id = {item.id: item for item in items}
    results = {str(r.id): r.item_id for r in ScoringResult.select(ScoringResult.id, ScoringResult.item)
               .where(ScoringResult.item.in_(list(by_id)))}
    matches = {str(m.id): (m.item_id, m.round, m.number)
               for m in MatchResult.select(MatchResult.id, MatchResult.item, MatchResult.round, MatchResult.number)
               .where(MatchResult.item.in_(list(by_id)))}
    configs = {str(c.id): c.item_id for c in ItemScoring.select(ItemScoring.id, ItemScoring.item)
               .where(ItemScoring.item.in_(list(by_id)))}
    owners = {"ScoringResult": results, "MatchResult": matches, "ItemScoring": configs}
    rows = (AuditLog.select().where(AuditLog.event_id == items[0].event_id, AuditLog.action.in_(list(ACTIONS)))
            .order_by(AuditLog.at.desc(), AuditLog.id.desc()))
    out = []
    for row in rows:
        owner = owners.get(row.object_type, {}).get(row.object_id)
        if owner is None:
            continue
        item_id = owner[0] if isinstance(owner, tuple) else owner
        if isinstance(owner, tuple):
            who = _("第%(r)s轮第%(m)s场", r=owner[1], m=owner[2])
        else:
            entrant = (row.after or row.before or {}).get("entrant", "")
            who = names.get(entrant, entrant)
        out.append({"at": row.at, "item": by_id[item_id].name, "item_id": item_id, "action": row.action,
                    "action_label": str(ACTIONS[row.action]), "entrant": who, "before": _describe(row.before),
                    "after": _describe(row.after) if row.action.endswith(".correct") else "",
                    "reason": row.reason, "by": row.account_name})
    return out


def event_changes(event) -> list[dict]:
    """The changes of every scored item of ``event``."""
    from plugins.scoring.tally import load_tally

    t = load_tally(event)
    items = list(Item.select().where(Item.id.in_([loaded.id for loaded in t.items] or [0])))
    return changes(items, t.names)


def sheet(event) -> tuple[list[str], list[list]]:
    """``huodong_export_sheets`` builder: the event's change log, newest first."""
    from core.timeutil import format_datetime

    rows = [[format_datetime(c["at"], event.timezone), c["item"], c["action_label"], c["entrant"], c["before"],
             c["after"], c["reason"], c["by"]] for c in event_changes(event)]
    return [str(h) for h in HEADERS], rows
