"""The contest's dates: the plan's milestones (动员, 三字评比, 微课上交及评比), each on-site session and
each submission deadline, for the contest page and the calendar feeds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from core.models import Entry, Registration
from core.services.feeds import component
from plugins.skills_contest.items import contest_items
from plugins.skills_contest.plugin import milestone_times


@dataclass(frozen=True)
class Date:
    key: str
    name: str
    starts_at: datetime
    ends_at: datetime
    place: str = ""
    item_id: int | None = None


def dates(event) -> list[Date]:
    """Every date of the contest in time order."""
    out = [Date(f"milestone-{n}", name, start, end) for n, (name, start, end) in enumerate(milestone_times(event))]
    for ci in contest_items(event):
        if ci.mode == "onsite" and ci.starts_at and ci.ends_at:
            out.append(Date(f"session-{ci.item_id}", _("%(item)s现场比赛", item=ci.item.name), ci.starts_at,
                            ci.ends_at, ci.room, ci.item_id))
        elif ci.mode == "submission" and ci.ends_at:
            out.append(Date(f"deadline-{ci.item_id}", _("%(item)s作品上交截止", item=ci.item.name), ci.ends_at,
                            ci.ends_at, "", ci.item_id))
    out.sort(key=lambda d: (d.starts_at, d.key))
    return out


def feed_items(event, member=None) -> list:
    """The dates as calendar components; a personal feed gets the milestones and his own items only."""
    mine = None
    if member is not None:
        mine = {i for (i,) in Entry.select(Entry.item).join(Registration, on=(Entry.registration == Registration.id))
                .where(Entry.member == member.id, Registration.event == event.id,
                       Registration.status == "active").tuples()}
    return [component(event, d.key, f"{event.title} · {d.name}", d.starts_at, d.ends_at,
                      location=d.place or event.venue or None, categories=(_("教师基本功大赛"),))
            for d in dates(event) if mine is None or d.item_id is None or d.item_id in mine]
