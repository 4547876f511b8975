"""Referees (裁判): each captain proposes referees for the items from his team's staff who do not
compete in them ("裁判由每个代表队队长从未参赛职工中推荐"); organizers may name anyone.

A member may not referee an item he competes in, nor compete in an item he referees. Both sides of
the rule run in a transaction that first locks the event's row, as registrations do, so a proposal
and a registration racing for the same person and item cannot both succeed.

A referee with a login gets the core role ``referee`` over the event and a seat on the item's panel
in scoring, which lets him enter that item's results and nothing else.
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.db import db
from core.errors import Forbidden, Invalid, NotFound, Refused
from core.messages import outbox as messages
from core.messages.kinds import Text
from core.models import Account, Entry, Event, Item, Member, Registration, Team
from core.models.events import touch_event
from core.services import audit
from core.services import registrations as reg_service
from core.services.accounts import grant_role, revoke_role
from core.services.activation import account_for_member
from plugins.scoring import public as scoring
from plugins.sports_day.models import Referee


def competes_in(item: Item, member: Member) -> bool:
    """Is ``member`` entered in ``item`` (active or waiting registration)?"""
    return (Entry.select().join(Registration, on=(Entry.registration == Registration.id))
            .where(Entry.item == item.id, Entry.member == member.id, Registration.status.in_(reg_service.ACTIVE))
            .exists())


def proposing_teams(account, event: Event) -> list[Team]:
    """The teams ``account`` captains in ``event``."""
    return reg_service.captain_teams(account, event)


def may_propose(account, event: Event) -> bool:
    return reg_service.may_manage(account, event) or bool(proposing_teams(account, event))


def candidates(account, event: Event, item: Item) -> list[Member]:
    """Whom ``account`` may propose for ``item``: his team's staff (organizers: everyone) not competing in it."""
    query = reg_service.managed_members(account, event)
    entered = {m for (m,) in Entry.select(Entry.member).join(Registration, on=(Entry.registration == Registration.id))
               .where(Entry.item == item.id, Registration.status.in_(reg_service.ACTIVE)).tuples()}
    taken = {m for (m,) in Referee.select(Referee.member).where(Referee.item == item.id).tuples()}
    return [m for m in query if m.id not in entered and m.id not in taken]


def _team_of_proposer(account, event: Event, member: Member) -> Team | None:
    """The captain's team the member belongs to; ``Forbidden`` when a captain proposes someone else's staff."""
    if reg_service.may_manage(account, event):
        return next((t for t in proposing_teams(account, event) if reg_service.team_holds(t, member)), None)
    for team in proposing_teams(account, event):
        if reg_service.team_holds(team, member):
            return team
    if proposing_teams(account, event):
        raise Forbidden(_("队长只能推荐本队的职工担任裁判：%(name)s不在你的队伍中", name=member.name))
    raise Forbidden(_("只有各队队长和组织者可以推荐裁判"))


def propose(event: Event, item: Item, member: Member, *, account=None) -> Referee:
    """Make ``member`` a referee of ``item``; refused when he competes in it or already referees it."""
    if item.event_id != event.id:
        raise NotFound(_("该项目不属于本活动"))
    team = _team_of_proposer(account, event, member)
    with db.atomic():
        locked = reg_service.lock_event(event)
        if competes_in(item, member):
            raise Refused(_("【裁判】%(name)s已报名参加“%(item)s”，参赛选手不能担任本项目的裁判，"
                            "请从未参赛的职工中推荐", name=member.name, item=item.name))
        if Referee.select().where(Referee.item == item.id, Referee.member == member.id).exists():
            raise Refused(_("【裁判】%(name)s已是“%(item)s”的裁判", name=member.name, item=item.name))
        referee = Referee.create(event=locked, item=item, member=member, team=team,
                                 proposed_by=getattr(account, "id", None))
        touch_event(locked.id)  # the item enters his personal calendar feed
        login = account_for_member(member)  # opened for him if he has none: the role waits for his activation
        grant_role(login, "referee", event=locked, by=account)
        scoring.assign_judge(item, login, role="referee", by=account)
        audit.record("sports_day.referee.propose", referee,
                     after={"item": item.id, "member": member.id, "team": getattr(team, "id", None),
                            "login": login.id}, account=account, event=locked)
        messages.send(member, "event.assigned",
                      {"item": f"“{item.name}”", "role": Text("裁判"), "by": str(account) if account else "",
                       "page": messages.link_to("sports_day.mine"), "starts_at": item.starts_at or locked.starts_at,
                       "venue": item.place or locked.venue},
                      event=locked, dedupe=f"sports_day:referee:{referee.id}")
    return referee


def remove(referee: Referee, *, account=None) -> None:
    """Take a referee off his item (organizers, or the captain who proposed him)."""
    event = referee.event
    if not reg_service.may_manage(account, event):
        if referee.team_id is None or referee.team_id not in {t.id for t in proposing_teams(account, event)}:
            raise Forbidden(_("只有组织者或推荐该裁判的队长可以撤回"))
    with db.atomic():
        locked = reg_service.lock_event(event)
        login = Account.get_or_none(Account.member == referee.member_id)
        if login is not None:
            scoring.remove_judge(referee.item, login, by=account)
            others = Referee.select().where(Referee.event == locked.id, Referee.member == referee.member_id,
                                            Referee.id != referee.id).exists()
            if not others:
                revoke_role(login, "referee", event=locked, by=account)
        log = audit.record("sports_day.referee.remove", referee, before={"item": referee.item_id,
                                                                         "member": referee.member_id},
                           account=account, event=locked)
        messages.send(referee.member, "event.unassigned",
                      {"item": f"“{referee.item.name}”", "role": Text("裁判"), "by": str(account) if account else ""},
                      event=locked, dedupe=f"sports_day:referee-removed:{log.id}")
        referee.delete_instance()
        touch_event(locked.id)  # the item leaves his personal calendar feed


def referee_problems(event: Event, member: Member, item_ids) -> list[str]:
    """The registration rule's side: a referee may not compete in the items he referees."""
    rows = (Referee.select(Referee, Item).join(Item)
            .where(Referee.event == event.id, Referee.member == member.id, Referee.item.in_(list(item_ids) or [0])))
    return [_("【裁判】%(name)s是“%(item)s”的裁判，裁判不能参加本项目的比赛", name=member.name, item=r.item.name)
            for r in rows]


def event_referees(event: Event) -> list[Referee]:
    return list(Referee.select(Referee, Item, Member).join(Item).switch(Referee).join(Member)
                .where(Referee.event == event.id).order_by(Item.sort, Item.id, Member.staff_no))


def referees_by_item(event: Event) -> dict[int, list[Referee]]:
    found: dict[int, list[Referee]] = {}
    for referee in event_referees(event):
        found.setdefault(referee.item_id, []).append(referee)
    return found


def refereed_items(account, event: Event | None = None) -> list[Item]:
    """The items ``account``'s member referees (in ``event`` when given), by time."""
    if account is None or not account.member_id:
        return []
    query = (Item.select(Item, Event).join(Referee, on=(Referee.item == Item.id)).switch(Item).join(Event)
             .where(Referee.member == account.member_id))
    if event is not None:
        query = query.where(Item.event == event.id)
    return list(query.order_by(Event.starts_at, Item.starts_at, Item.sort, Item.id))


def load(referee_id: int) -> Referee:
    referee = Referee.get_or_none(Referee.id == referee_id)
    if referee is None:
        raise NotFound(_("找不到该裁判"))
    return referee


def parse_ids(data: dict) -> tuple[int, int]:
    try:
        return int(data.get("item")), int(data.get("member"))
    except (TypeError, ValueError):
        raise Invalid(_("请选择项目和裁判人选")) from None
