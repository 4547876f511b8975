"""The day's running order (秩序册): items by time and place, the clashes of people entered in two items
at the same time, and the items as calendar entries (the event's feed and each person's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _

from core.calendar import FeedItem
from core.db import id_in
from core.models import Entry, Event, Item, Member, Registration, Team
from core.services import registrations as reg_service
from core.timeutil import aware_utc, format_time
from plugins.sports_day.items import entrant_count, item_settings, plan_settings
from plugins.sports_day.models import Referee
from plugins.sports_day.referees import referees_by_item


@dataclass(frozen=True)
class Slot:
    """One line of the running order."""

    item: Item
    start: str
    end: str
    place: str
    rule: str
    entrants: int
    referees: list[str]


@dataclass(frozen=True)
class Clash:
    """A person entered in two items whose times overlap."""

    member: Member
    first: Item
    second: Item

    @property
    def message(self) -> str:
        return _("【时间冲突】%(name)s同时报了“%(a)s”（%(a_time)s）和“%(b)s”（%(b_time)s），两项时间重叠",
                 name=self.member.name, a=self.first.name, b=self.second.name,
                 a_time=_span(self.first), b_time=_span(self.second))


def _span(item: Item) -> str:
    tz = item.event.timezone if item.event_id else None
    return f"{format_time(item.starts_at, tz)}–{format_time(item.ends_at, tz)}"


def _ordered(event: Event):
    return (Item.select().where(Item.event == event.id)
            .order_by(Item.starts_at.is_null(), Item.starts_at, Item.sort, Item.id))


def running_order(event: Event) -> list[Slot]:
    """Every item of the day in time order (items without a time last)."""
    refs = referees_by_item(event)
    rows = []
    for item in _ordered(event):
        item.event = event
        rows.append(Slot(item=item, start=format_time(item.starts_at, event.timezone),
                         end=format_time(item.ends_at, event.timezone), place=item.place,
                         rule=item_settings(item).get("rule", ""), entrants=entrant_count(item),
                         referees=[r.member.name for r in refs.get(item.id, [])]))
    return rows


def sign_in_time(event: Event) -> str:
    """When sign-in opens (篇九: 8:00 for an 8:30 start), or ``""`` when the plan names none."""
    minutes = plan_settings(event).get("sign_in_minutes") or 0
    if not minutes:
        return ""
    return format_time(event.starts_at - timedelta(minutes=int(minutes)), event.timezone)


def _overlap(a: Item, b: Item) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def clashes(event: Event, member: Member | None = None) -> list[Clash]:
    """People entered in two items at the same time (only ``member``'s when given)."""
    items = {i.id: i for i in Item.select().where(Item.event == event.id, Item.starts_at.is_null(False),
                                                  Item.ends_at.is_null(False))}
    for item in items.values():
        item.event = event
    query = (Entry.select(Entry.member, Entry.item).join(Registration, on=(Entry.registration == Registration.id))
             .where(Registration.event == event.id, Registration.status.in_(reg_service.ACTIVE),
                    Entry.item.in_(list(items) or [0])))
    if member is not None:
        query = query.where(Entry.member == member.id)
    by_member: dict[int, list[Item]] = {}
    for member_id, item_id in query.tuples():
        by_member.setdefault(member_id, []).append(items[item_id])
    people = {m.id: m for m in Member.select().where(Member.id.in_(list(by_member) or [0]))}
    found = []
    for member_id, entered in by_member.items():
        entered.sort(key=lambda i: (i.starts_at, i.sort, i.id))
        for index, first in enumerate(entered):
            for second in entered[index + 1:]:
                if _overlap(first, second):
                    found.append(Clash(people[member_id], first, second))
    return sorted(found, key=lambda c: (c.first.starts_at, c.member.staff_no))


def repeats(event: Event) -> list[str]:
    """People in more than one team item of a team (篇七: "每个项目参加人员尽量不要重复"), as warnings."""
    if not plan_settings(event).get("warn_repeats"):
        return []
    rows = (Entry.select(Entry.member, Entry.item, Entry.team).join(Item)
            .switch(Entry).join(Registration, on=(Entry.registration == Registration.id))
            .where(Item.event == event.id, Item.kind == "team", Registration.status.in_(reg_service.ACTIVE))
            .tuples())
    by_member: dict[int, list[int]] = {}
    team_of = {}
    for member_id, item_id, team_id in rows:
        by_member.setdefault(member_id, []).append(item_id)
        team_of[member_id] = team_id
    names = {i.id: i.name for i in Item.select(Item.id, Item.name).where(Item.event == event.id)}
    teams = {t.id: t.name for t in Team.select(Team.id, Team.name).where(Team.event == event.id)}
    people = {m.id: m for m in Member.select().where(Member.id.in_([m for m, i in by_member.items() if len(i) > 1]
                                                                   or [0]))}
    return [_("【人员重复】%(team)s的%(name)s参加了 %(items)s，每个项目参加人员尽量不要重复",
              team=teams.get(team_of[mid], ""), name=people[mid].name,
              items="、".join(f"“{names[i]}”" for i in sorted(items)))
            for mid, items in sorted(by_member.items()) if len(items) > 1]


def feed_items(event: Event, member: Member | None = None) -> list[FeedItem]:
    """The items with a time as calendar entries; for ``member`` only the items he plays or referees."""
    return feed_items_many([event], member).get(event.id, [])


def feed_items_many(events, member: Member | None = None) -> dict[int, list[FeedItem]]:
    """:func:`feed_items` of many events at once, by event id (one query)."""
    by_id = {e.id: e for e in events}
    out: dict[int, list[FeedItem]] = {}
    query = Item.select().where(id_in(Item.event, by_id), Item.starts_at.is_null(False), Item.ends_at.is_null(False))
    if member is not None:
        mine = (Entry.select(Entry.item).join(Registration, on=(Entry.registration == Registration.id))
                .where(Entry.member == member.id, Registration.status == "active"))
        refereed = Referee.select(Referee.item).where(Referee.member == member.id)
        query = query.where(Item.id.in_(mine) | Item.id.in_(refereed))
    for item in query.order_by(Item.starts_at, Item.sort, Item.id):
        event = by_id[item.event_id]
        rule = item_settings(item).get("rule", "")
        # max(): a stored end before the start (a typo past validation) must not break the feed
        out.setdefault(event.id, []).append(FeedItem(
            uid=f"event-{event.id}-item-{item.id}@huodong", summary=f"{event.title} · {item.name}",
            start=aware_utc(item.starts_at), end=aware_utc(max(item.starts_at, item.ends_at)),
            last_modified=aware_utc(event.updated_at),
            tz=event.timezone, location=item.place or event.venue or None, description=rule or None,
            sequence=event.sequence, status="CANCELLED" if event.status == "cancelled" else "CONFIRMED",
            categories=(_("体育竞赛"),)))
    return out
