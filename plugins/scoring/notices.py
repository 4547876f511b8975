"""What scoring tells people: each placed person his own place and prize when an item's results are
published, and each payee his total when a payout sheet version is generated.

Both are personal (amounts are nobody else's business): never sent to a group robot. Messages are queued
in the transaction of the publication or the stored version, so a refused publication tells nobody.
"""

from __future__ import annotations

from decimal import Decimal

from core.messages import outbox as messages
from core.messages.kinds import MessageKind, _l
from core.models import Member

KINDS = (
    MessageKind(
        "scoring.payout", _l("奖金核定"), _l("奖金核定：%(event)s"),
        _l("%(name)s，“%(event)s”的奖金发放表（第 %(version)s 版）已核定，您的合计为 %(total)s 元。"),
        lines=(("detail", _l("明细：%(detail)s")), ("changed", _l("较上一版有变动，以本版为准。")),
               ("souvenirs", _l("纪念品：%(souvenirs)s 件")))),
)


def _members(ids) -> dict[int, Member]:
    return {m.id: m for m in Member.select().where(Member.id.in_(list(ids) or [0]))}


def _prize_of(data: dict, item_name: str) -> dict[str, Decimal]:
    """``{person key: prize won in the item}`` from payout data (item and collective-share lines)."""
    out: dict[str, Decimal] = {}
    for person in data["people"]:
        won = sum((Decimal(line["amount"]) for line in person["lines"]
                   if line["item"] == item_name and line["kind"] in ("item_prize", "team_share")), Decimal(0))
        if won:
            out[person["key"]] = won
    return out


def tell_results(item, awards: list[dict], payout: dict) -> int:
    """Tell each placed member of ``item`` his place, band and prize; return how many were queued."""
    event = item.event
    prizes = _prize_of(payout, item.name)
    page = messages.link_to("scoring.item_results", item_id=item.id)
    members = _members(row["member"] for row in awards if row["member"])
    count = 0
    for row in awards:
        member = members.get(row["member"])
        if member is None or row["place"] is None:
            continue
        prize = prizes.get(row["entrant"])
        context = {"item": f"“{item.name}”", "place": row["place"], "band": row["band"],
                   "prize": f"{prize:.2f} 元" if prize else "", "page": page}
        if messages.send(member, "event.result", context, event=event,
                         dedupe=f"scoring:result:{item.id}:{member.id}:{row['place']}", group=False):
            count += 1
    return count


def tell_payout(event, record, previous) -> int:
    """Tell each payee of payout ``record`` his total; after the first version only those whose total or
    lines changed. Returns how many were queued."""
    before = {p["key"]: p for p in previous.data["people"]} if previous is not None else {}
    people = [p for p in record.data["people"] if Decimal(p["total"]) > 0 or p["souvenirs"]]
    members = _members(int(p["key"][1:]) for p in people if p["key"].startswith("m"))
    count = 0
    for person in people:
        member = members.get(int(person["key"][1:])) if person["key"].startswith("m") else None
        if member is None:
            continue
        earlier = before.get(person["key"])
        if earlier is not None and (earlier["total"], earlier["lines"]) == (person["total"], person["lines"]):
            continue
        detail = "；".join(f"{line['label']} {line['amount']}" for line in person["lines"])
        context = {"version": record.version, "total": person["total"], "detail": detail,
                   "changed": earlier is not None, "souvenirs": person["souvenirs"] or ""}
        if messages.send(member, "scoring.payout", context, event=event,
                         dedupe=f"scoring:payout:{event.id}:{record.version}:{member.id}", group=False,
                         link=messages.link_to("scoring.standings", event_id=event.id)):
            count += 1
    return count
