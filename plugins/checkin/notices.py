"""What sign-in tells people: the window in the day-before reminder, the moment a checkpoint opens, and,
at one tap of the organizer on the live page, everyone expected who has not signed in yet.

Only checkpoints meant to be used are announced: any checkpoint the organizer added, and the main one once
he has set its window. (Every event has a main checkpoint; an event that never uses sign-in must not send
"sign-in is open" to all its people.) Each person hears of each checkpoint's opening once, and is
reminded of it once, whatever the number of runs or taps.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.db import db
from core.messages import outbox as messages
from core.messages.kinds import MessageKind, Text, _l
from core.models import Account, Event, Member
from core.services import audit
from core.services.accounts import grant_role, revoke_role
from core.timeutil import to_local
from plugins.checkin import attendance
from plugins.checkin import checkpoints as checkpoint_service
from plugins.checkin.models import Checkpoint

LOOK_BACK = timedelta(minutes=15)  # a worker round may come this late
LOOK_AHEAD = timedelta(minutes=15)  # "sign-in opens in a quarter of an hour" is still news

KINDS = (
    MessageKind(
        "checkin.opening", _l("签到开始"), _l("签到开始：%(event)s"),
        _l("%(name)s，“%(event)s”%(checkpoint)s的签到 %(opens_at)s 开始，%(late_after)s 后算迟到。"
           "请打开您的签到码，或到场扫描现场二维码。"),
        lines=(("place", _l("地点：%(place)s")),)),
    MessageKind(
        "checkin.missing", _l("催签到"), _l("请尽快签到：%(event)s"),
        _l("%(name)s，“%(event)s”%(checkpoint)s正在签到，您还没有签到。%(late_after)s 后算迟到；"
           "不能参加请向组织者请假。"),
        lines=(("place", _l("地点：%(place)s")),)),
)


def announced(checkpoint: Checkpoint) -> bool:
    """Whether people are told about ``checkpoint``: one added on purpose, or the main one with its window set."""
    return checkpoint.key != checkpoint_service.MAIN or checkpoint.opens_at is not None


def _context(checkpoint: Checkpoint, event: Event) -> dict:
    window = checkpoint_service.window_of(checkpoint, event)
    return {"checkpoint": checkpoint.name, "opens_at": window.opens_at, "late_after": window.late_after,
            "place": checkpoint.place}


def reminder_context(event: Event) -> dict | None:
    """``{"signin": ...}`` for the day-before reminder: each announced checkpoint's window and place."""
    parts = []
    for checkpoint in Checkpoint.select().where(Checkpoint.event == event.id).order_by(Checkpoint.sort, Checkpoint.id):
        if not announced(checkpoint):
            continue
        window = checkpoint_service.window_of(checkpoint, event)
        opens, closes = (f"{to_local(t, event.timezone):%H:%M}" for t in (window.opens_at, window.closes_at))
        parts.append(f"{checkpoint.name} {opens}–{closes}" + (f"（{checkpoint.place}）" if checkpoint.place else ""))
    return {"signin": "；".join(parts)} if parts else None


def _tell(checkpoint: Checkpoint, event: Event, kind: str, people, dedupe: str) -> int:
    context = _context(checkpoint, event)
    count = 0
    for person in people:
        member = getattr(person, "member", person)  # a registration or a member
        if messages.send(member, kind, context, event=event, group=False,
                         dedupe=f"{dedupe}:{checkpoint.id}:{member.id}"):
            count += 1
    return count


def queue_openings(now: datetime) -> int:
    """Tell everyone expected at each announced checkpoint opening around ``now``; return how many were new."""
    count = 0
    query = (Checkpoint.select(Checkpoint, Event).join(Event)
             .where(Event.status == "published", Event.starts_at > now - timedelta(days=1),
                    Event.starts_at < now + timedelta(days=2)))
    for checkpoint in query:
        event = checkpoint.event
        opens_at = checkpoint_service.window_of(checkpoint, event).opens_at
        if not announced(checkpoint) or not (now - LOOK_BACK <= opens_at <= now + LOOK_AHEAD):
            continue
        with db.atomic():
            count += _tell(checkpoint, event, "checkin.opening", attendance.expected(checkpoint, event),
                           "checkin:opening")
    return count


def remind_missing(event: Event, checkpoint: Checkpoint, *, account) -> tuple[int, int]:
    """Remind everyone still missing at ``checkpoint`` (not signed in, not excused), each once.

    Returns ``(reminded now, missing)``: a second tap reminds only those who were not reminded before.
    """
    missing = attendance.summary(event, checkpoint)["missing"]
    with db.atomic():
        members = Member.select().where(Member.id.in_([p.member_id for p in missing] or [0]))
        count = _tell(checkpoint, event, "checkin.missing", members, "checkin:missing")
        audit.record("checkin.remind_missing", checkpoint, after={"missing": len(missing), "reminded": count},
                     account=account, event=event.id)
    return count, len(missing)


def volunteer_added(event: Event, target: Account, *, account) -> None:
    """Let ``target`` scan at ``event`` (扫码志愿者), and tell him where and when."""
    with db.atomic():
        grant_role(target, "volunteer", event=event, by=account)
        log = audit.record("checkin.volunteer.add", target, account=account, event=event)
        if target.member_id:
            messages.send(Member.get_by_id(target.member_id), "event.assigned",
                          {"role": Text(_l("扫码志愿者")), "by": str(account) if account else "",
                           "page": messages.link_to("checkin.scanner", event_id=event.id)},
                          event=event, dedupe=f"checkin:volunteer:{log.id}")


def volunteer_removed(event: Event, target: Account, *, account) -> None:
    """Stop ``target`` scanning at ``event``; he is told if he was a volunteer there."""
    with db.atomic():
        removed = revoke_role(target, "volunteer", event=event, by=account)
        log = audit.record("checkin.volunteer.remove", target, account=account, event=event)
        if removed and target.member_id:
            messages.send(Member.get_by_id(target.member_id), "event.unassigned",
                          {"role": Text(_l("扫码志愿者")), "by": str(account) if account else ""},
                          event=event, dedupe=f"checkin:volunteer-removed:{log.id}")
