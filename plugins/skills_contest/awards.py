"""Results per item, certificates (获奖证书) and the prize list (获奖名单), from scoring's bands.

A certificate carries its number, the teacher's name, the item and the band; the encouragement band
(鼓励奖 by default) gets its prize on the list but no certificate. Numbers are stable: the event,
the item's order and the place in the item's list (``007-2-003``).
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.models import Member, Unit
from plugins.scoring import public as scoring
from plugins.skills_contest.items import contest_item, contest_items
from plugins.skills_contest.models import ContestItem


def results(ci: ContestItem) -> list[dict]:
    """The item's list: place, blind number, name, department, score, band, certificate number."""
    rows = scoring.item_awards(ci.item)
    units = dict(Member.select(Member.id, Unit.name).join(Unit)
                 .where(Member.id.in_([r["member"] for r in rows if r["member"]])).tuples()) if rows else {}
    sealed = scoring.names_sealed(ci.item)
    numbered = 0
    out = []
    for row in rows:
        certificate = ""
        if row["band"] and row["band"] != ci.encouragement:
            numbered += 1
            certificate = f"{ci.item.event_id:03d}-{ci.item.sort}-{numbered:03d}"
        out.append(row | {"unit": "" if sealed else units.get(row["member"], ""), "certificate": certificate})
    return out


def certificates(event, item=None) -> list[dict]:
    """Every certificate of the contest (or of one item), in item order then by place."""
    chosen = [contest_item(item)] if item is not None else contest_items(event)
    out = []
    for ci in chosen:
        if scoring.names_sealed(ci.item):
            continue
        for row in results(ci):
            if row["certificate"]:
                out.append({"number": row["certificate"], "name": row["name"], "unit": row["unit"],
                            "item": ci.item.name, "band": row["band"], "score": row["score"]})
    return out


def prize_sheet(event):
    """The prize list as an xlsx sheet: every awarded teacher of every locked item."""
    headers = [_("项目"), _("名次"), _("编号"), _("姓名"), _("部门"), _("得分"), _("奖项"), _("证书编号")]
    rows = []
    for ci in contest_items(event):
        if scoring.names_sealed(ci.item):
            continue
        for row in results(ci):
            if row["band"]:
                rows.append([ci.item.name, row["place"], row["number"], row["name"], row["unit"],
                             row["score"], row["band"], row["certificate"]])
    return headers, rows
