"""A contest's items: creating and changing them (the core item, its session or submission rules and
its rubric and bands in scoring), moving them through their phases, their judges, and who may read
the text to write before the session starts.

Phases, in order: 报名 (registration) → 现场比赛 (session, on-site items) or 作品上交 (submission) →
评审 (judging: blind numbers are drawn on entering it) → 公布结果 (published: only once scoring has
locked the marks, which also reveals the name-number key). A move is one step forward or back and
is made by a conditional update, so two organizers clicking at once cannot skip a phase.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, NotFound, Refused
from core.messages import outbox as messages
from core.messages.kinds import Text
from core.models import Account, Entry, Event, Item, Member, Registration
from core.models.events import touch_event
from core.services import audit
from core.services import registrations as reg_service
from core.services.accounts import grant_role
from core.timeutil import utcnow
from plugins.scoring import public as scoring
from plugins.skills_contest.models import MODES, PHASES, SUBMISSION_KINDS, ContestItem

MAX_MB = 10  # the app refuses bigger requests (MAX_CONTENT_LENGTH); videos are handed in as links


def phases_of(mode: str) -> list[str]:
    """The phases an item of ``mode`` goes through, in order."""
    return ["registration", "session" if mode == "onsite" else "submission", "judging", "published"]


def contest_item(item) -> ContestItem:
    """The contest settings of a core item (``NotFound`` when it is not a contest item)."""
    found = ContestItem.select(ContestItem, Item).join(Item).where(ContestItem.item == getattr(item, "id", item)).first()
    if found is None:
        raise NotFound(_("找不到该比赛项目"))
    return found


def contest_items(event) -> list[ContestItem]:
    return list(ContestItem.select(ContestItem, Item).join(Item)
                .where(Item.event == getattr(event, "id", event)).order_by(Item.sort, Item.id))


def _snapshot(ci: ContestItem) -> dict:
    return {"name": ci.item.name, "mode": ci.mode, "phase": ci.phase, "requirement": ci.requirement,
            "starts_at": ci.starts_at.isoformat() if ci.starts_at else None,
            "ends_at": ci.ends_at.isoformat() if ci.ends_at else None, "room": ci.room, "text_title": ci.text_title,
            "kinds": ci.kinds, "extensions": ci.extensions, "max_mb": ci.max_mb, "encouragement": ci.encouragement}


def _clean(data: dict) -> dict:
    errors = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("请填写项目名称")
    elif len(name) > 100:
        errors["name"] = _("项目名称不能超过100个字")
    mode = data.get("mode") or "onsite"
    if mode not in MODES:
        errors["mode"] = _("比赛方式应为现场书写或作品上交")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if mode == "onsite" and starts and ends and ends <= starts:
        errors["ends_at"] = _("结束时间应晚于开始时间")
    kinds = [k for k in data.get("kinds") or () if k]
    if any(k not in SUBMISSION_KINDS for k in kinds):
        errors["kinds"] = _("提交方式应为上传文件或作品链接")
    if mode == "submission" and not kinds:
        errors["kinds"] = _("作品上交的项目至少要允许一种提交方式")
    extensions = sorted({e.strip().lower().lstrip(".") for e in data.get("extensions") or () if e.strip()})
    if any(not e.isalnum() or len(e) > 8 for e in extensions):
        errors["extensions"] = _("文件类型应写成扩展名，如 pdf、jpg")
    if mode == "submission" and "file" in kinds and not extensions:
        errors["extensions"] = _("允许上传文件时请写明接受的文件类型")
    max_mb = data.get("max_mb") or MAX_MB
    if not isinstance(max_mb, int) or not 1 <= max_mb <= MAX_MB:
        errors["max_mb"] = _("文件大小上限应在 1 到 %(n)s MB 之间", n=MAX_MB)
    criteria = list(data.get("criteria") or ())
    if not criteria:
        errors["criteria"] = _("请至少设置一个评分项")
    if errors:
        raise Invalid(_("项目设置有误：%(detail)s", detail="；".join(errors.values())), errors)
    return {"name": name, "mode": mode, "starts_at": starts, "ends_at": ends, "kinds": kinds,
            "extensions": extensions, "max_mb": max_mb, "criteria": criteria}


def save_item(event: Event, data: dict, *, item: Item | None = None, account=None) -> ContestItem:
    """Create or change a contest item from ``data``: ``name``, ``mode`` (``onsite``/``submission``),
    ``requirement``, ``starts_at``/``ends_at`` (naive UTC: the session, or ``ends_at`` the deadline),
    ``room``, ``text_title``, ``text``, ``kinds``, ``extensions``, ``max_mb``, ``criteria``
    ``[(name, weight), ...]``, ``bands`` ``[(name, count or "1/10"), ...]`` and ``encouragement``
    (the band that gets a prize and no certificate). The rubric cannot change once judging began."""
    clean = _clean(data)
    with db.atomic():
        ci = None if item is None else contest_item(item)
        before = None if ci is None else _snapshot(ci)
        if ci is not None and ci.phase in ("judging", "published"):
            config = scoring.item_scoring(ci.item)
            same = [(c["name"], str(c["weight"])) for c in config.criteria] == [
                (str(n), str(w)) for n, w in clean["criteria"]]
            if not same or clean["mode"] != ci.mode:
                raise Refused(_("“%(item)s”已开始评审，不能再修改评分项或比赛方式", item=ci.item.name))
        if Item.select().where(Item.event == event.id, Item.name == clean["name"],
                               Item.id != (item.id if item else 0)).exists():
            raise Invalid(_("本活动已有名为“%(name)s”的项目", name=clean["name"]), {"name": _("项目名称重复")})
        if item is None:
            sort = (Item.select().where(Item.event == event.id).count()) + 1
            item = Item.create(event=event, name=clean["name"], kind="individual", sort=sort)
            ci = ContestItem(item=item)
        else:
            item.name = clean["name"]
            item.save()
        ci.mode = clean["mode"]
        ci.requirement = (data.get("requirement") or "").strip()
        ci.starts_at = clean["starts_at"] if ci.mode == "onsite" else None
        ci.ends_at = clean["ends_at"]
        ci.room = (data.get("room") or "").strip()[:100]
        ci.text_title = (data.get("text_title") or "").strip()[:100]
        ci.text = (data.get("text") or "").strip()
        ci.kinds = clean["kinds"] if ci.mode == "submission" else []
        ci.extensions = clean["extensions"] if ci.mode == "submission" else []
        ci.max_mb = clean["max_mb"]
        ci.encouragement = (data.get("encouragement") or "").strip()[:20]
        if ci.phase in phases_of("onsite") + phases_of("submission") and ci.phase not in phases_of(ci.mode):
            ci.phase = phases_of(ci.mode)[1]
        ci.updated_at = utcnow()
        ci.save()
        scoring.configure_item(item, measure="marks", criteria=clean["criteria"], bands=data.get("bands") or (),
                               blind=True, recusal=True, drop_high=1, drop_low=1, account=account)
        touch_event(event.id)
        audit.record("skills_contest.item.save", ci, before=before, after=_snapshot(ci), account=account,
                     event=event)
    return ci


def move_phase(item, phase: str, *, account=None) -> ContestItem:
    """Move an item to the next or previous phase (see the module's docstring)."""
    ci = contest_item(item)
    order = phases_of(ci.mode)
    if phase not in order:
        raise Invalid(_("“%(item)s”没有这个阶段：%(p)s", item=ci.item.name, p=PHASES.get(phase, phase)))
    here = order.index(ci.phase) if ci.phase in order else 0
    if abs(order.index(phase) - here) != 1:
        raise Refused(_("“%(item)s”现在处于“%(now)s”阶段，只能进入相邻的阶段", item=ci.item.name,
                        now=ci.phase_label))
    config = scoring.item_scoring(ci.item)
    if phase == "judging" and not (Entry.select().join(Registration, on=(Entry.registration == Registration.id))
                                   .where(Entry.item == ci.item_id, Registration.status == "active").exists()):
        raise Refused(_("“%(item)s”还没有参赛者，不能开始评审", item=ci.item.name))
    if phase == "published" and not config.published:
        raise Refused(_("请先锁定“%(item)s”的评分，再公布结果", item=ci.item.name))
    with db.atomic():
        # The conditional update comes first: a second organizer's move waits for it and then finds
        # the phase changed, so the blind numbers are drawn once.
        changed = (ContestItem.update(phase=phase, updated_at=utcnow())
                   .where(ContestItem.id == ci.id, ContestItem.phase == ci.phase).execute())
        if not changed:
            raise Refused(_("“%(item)s”的阶段刚刚已被他人更改，请刷新", item=ci.item.name))
        if phase == "judging" and here < order.index("judging") and not scoring.item_scoring(ci.item).blind_seal:
            scoring.draw_blind_numbers(ci.item, account=account)
        audit.record("skills_contest.item.phase", ci, before={"phase": ci.phase}, after={"phase": phase},
                     account=account, event=ci.item.event_id)
        if phase == "published":
            _tell_results(ci)
    return contest_item(ci.item_id)


def _tell_results(ci: ContestItem) -> None:
    """Each teacher of a published item hears his own place and band (never a group: it is his own)."""
    event = ci.item.event
    page = messages.link_to("skills_contest.results", item_id=ci.item_id)
    for row in scoring.item_awards(ci.item):
        if row["member"] is None:
            continue
        member = Member.get_or_none(Member.id == row["member"])
        if member is not None:
            messages.send(member, "event.result", {"item": f"“{ci.item.name}”", "place": row["place"],
                                                   "band": row["band"], "page": page},
                          event=event, dedupe=f"skills_contest:result:{ci.item_id}:{member.id}", group=False)


def lock_marks(item, *, account=None) -> None:
    """Lock the marks of an item in judging (every judge has submitted); this reveals the names."""
    ci = contest_item(item)
    if ci.phase != "judging":
        raise Refused(_("只有评审阶段的项目可以锁定评分"))
    seats = scoring.panel(ci.item)
    if not seats:
        raise Refused(_("“%(item)s”还没有评委", item=ci.item.name))
    waiting = [str(account_) for account_, _role, submitted in seats if submitted is None]
    if waiting:
        raise Refused(_("还有评委未提交评分：%(who)s", who="、".join(waiting)))
    scoring.publish_item(ci.item, account=account, announce=False)  # told when the phase is published


def text_visible(ci: ContestItem, account, now: datetime | None = None) -> bool:
    """Whether ``account`` may read the text to write: always for submitted items, the organizers
    and the item's judges; for participants only once the on-site session has started."""
    if ci.mode != "onsite" or not ci.text:
        return True
    if account is not None and (reg_service.may_manage(account, ci.item.event) or scoring.on_panel(ci.item, account)):
        return True
    if ci.phase in ("judging", "published"):
        return True
    return ci.starts_at is not None and (now or utcnow()) >= ci.starts_at


def add_judge(item, account: Account, *, by=None) -> None:
    """Put ``account`` (a teacher's login) on the item's panel, with the judge role over the event."""
    ci = contest_item(item)
    if ci.phase == "published":
        raise Refused(_("结果已公布，不能再调整评委"))
    if account.member_id and Entry.select().where(Entry.item == ci.item_id, Entry.member == account.member_id).exists():
        raise Refused(_("%(name)s 参加了“%(item)s”，不能担任该项目评委", name=str(account), item=ci.item.name))
    with db.atomic():
        grant_role(account, "judge", event=ci.item.event, by=by)
        panel = scoring.assign_judge(ci.item, account, by=by)
        if account.member_id:
            event = ci.item.event
            messages.send(account.member, "event.assigned",
                          {"item": f"“{ci.item.name}”", "role": Text("评委"), "by": str(by) if by else "",
                           "page": messages.link_to("skills_contest.mine"),
                           "starts_at": ci.starts_at or event.starts_at, "venue": ci.item.place or event.venue},
                          event=event, dedupe=f"skills_contest:judge:{ci.item_id}:{account.id}:{panel.id}")


def remove_judge(item, account: Account, *, by=None) -> None:
    """Take ``account`` off the item's panel; the judge is told."""
    ci = contest_item(item)
    with db.atomic():
        scoring.remove_judge(ci.item, account, by=by)
        if account.member_id:
            messages.send(account.member, "event.unassigned",
                          {"item": f"“{ci.item.name}”", "role": Text("评委"), "by": str(by) if by else ""},
                          event=ci.item.event,
                          dedupe=f"skills_contest:judge-removed:{ci.item_id}:{account.id}:{utcnow().isoformat()}")


def judged_items(account, event=None) -> list[ContestItem]:
    """The contest items ``account`` judges."""
    if account is None:
        return []
    ids = [i.id for i in scoring.judged_items(account, event)]
    if not ids:
        return []
    return list(ContestItem.select(ContestItem, Item).join(Item).where(Item.id.in_(ids)).order_by(Item.event, Item.sort))
