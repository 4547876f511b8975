"""Judges' panels: who judges which item, marks per criterion, recusal, blind numbers, deviations.

A judge is a core account holding the role ``judge`` (or ``referee``) and assigned to an item
here. He marks only his items; with recusal on he may not mark an entrant of his own
department; he sees how far his scores sit from the panel's only after he has submitted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import peewee
from flask_babel import gettext as _

from core.db import db
from core.errors import Forbidden, Invalid, NotFound, Refused
from core.models import Account, Item, Member, RoleGrant
from core.services import audit
from core.timeutil import utcnow
from plugins.scoring.config import criteria_of
from plugins.scoring.judging import PanelScore, judge_deviations, panel_score, weighted_score
from plugins.scoring.models import BlindNumber, ItemScoring, Mark, PanelJudge
from plugins.scoring.results import _locked, entrants, item_config

JUDGE_ROLES = ("judge", "referee")


def assign_judge(item, account: Account, *, role: str = "judge", by=None) -> PanelJudge:
    """Put ``account`` on ``item``'s panel; he must hold the role ``judge`` or ``referee``."""
    config = item_config(item)
    if role not in JUDGE_ROLES:
        raise Invalid(_("角色应为评委或裁判"))
    if not RoleGrant.select().where(RoleGrant.account == account.id, RoleGrant.role.in_(JUDGE_ROLES)).exists():
        raise Invalid(_("%(name)s 没有评委或裁判角色，请先授予角色", name=str(account)))
    judge, created = PanelJudge.get_or_create(item=config.item_id, account=account.id, defaults={"role": role})
    if created:
        audit.record("scoring.panel.assign", judge, after={"item": config.item_id, "account": account.id,
                                                             "role": role}, account=by, event=config.item.event_id)
    return judge


def remove_judge(item, account: Account, *, by=None) -> None:
    config = item_config(item)
    if Mark.select().where(Mark.item == config.item_id, Mark.judge == account.id).exists():
        raise Refused(_("该评委已打分，不能移出评委组"))
    deleted = PanelJudge.delete().where(PanelJudge.item == config.item_id, PanelJudge.account == account.id).execute()
    if deleted:
        audit.record("scoring.panel.remove", object_type="PanelJudge", object_id=account.id,
                     before={"item": config.item_id, "account": account.id}, account=by, event=config.item.event_id)


def assignment(item, account) -> PanelJudge | None:
    item_id = getattr(item, "id", item)
    return PanelJudge.get_or_none(PanelJudge.item == item_id, PanelJudge.account == getattr(account, "id", account))


def assigned_items(account, event=None) -> list[Item]:
    """The items ``account`` is assigned to (in ``event`` when given)."""
    query = (Item.select(Item).join(PanelJudge, on=(PanelJudge.item == Item.id))
             .where(PanelJudge.account == account.id).order_by(Item.event, Item.sort, Item.id))
    if event is not None:
        query = query.where(Item.event == getattr(event, "id", event))
    return list(query)


def judge_unit(account) -> int | None:
    if not account.member_id:
        return None
    return Member.select(Member.unit).where(Member.id == account.member_id).scalar()


def recused(config: ItemScoring, account, entrant_unit: int | None) -> bool:
    """True when recusal is on and the entrant comes from the judge's own department."""
    return bool(config.recusal and entrant_unit is not None and judge_unit(account) == entrant_unit)


@dataclass(frozen=True)
class SheetRow:
    """One line of a judge's sheet: the entrant as the judge may see him, and his marks so far."""

    entrant: str
    label: str
    number: int | None
    recused: bool
    marks: dict
    score: Decimal | None


def blind_hidden(config: ItemScoring) -> bool:
    return bool(config.blind and config.revealed_at is None)


def judge_sheet(item, account) -> list[SheetRow]:
    """The entrants a judge marks, under blind numbers while the names are sealed."""
    config = item_config(item)
    numbers = {b.entrant: b.number for b in BlindNumber.select().where(BlindNumber.item == config.item_id)}
    hidden = blind_hidden(config)
    if hidden and not numbers:
        raise Refused(_("盲评项目尚未抽取编号"))
    mine = {m.entrant: m for m in Mark.select().where(Mark.item == config.item_id, Mark.judge == account.id)}
    rows = []
    for key, name, unit in entrants(config):
        number = numbers.get(key)
        label = _("%(n)s 号", n=number) if hidden else name
        mark = mine.get(key)
        rows.append(SheetRow(key, label, number, recused(config, account, unit),
                             mark.marks if mark else {}, mark.score if mark else None))
    if hidden:
        rows.sort(key=lambda r: r.number or 0)
    return rows


def _plain(value: Decimal) -> str:
    """``100`` rather than ``1E+2``, ``9.5`` rather than ``9.50``."""
    return f"{value.normalize():f}"


def _clean_marks(config: ItemScoring, marks: dict) -> dict[str, str]:
    criteria = criteria_of(config)
    names = [c.name for c in criteria]
    unknown = set(marks) - set(names)
    if unknown:
        raise Invalid(_("没有这个评分项：%(c)s", c="、".join(sorted(unknown))))
    clean = {}
    errors = {}
    for criterion in criteria:
        raw = marks.get(criterion.name)
        if raw is None or str(raw).strip() == "":
            errors[criterion.name] = _("请为“%(c)s”打分", c=criterion.name)
            continue
        if isinstance(raw, bool):
            errors[criterion.name] = _("分数应写成文本或整数")
            continue
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            errors[criterion.name] = _("“%(c)s”的分数“%(v)s”不是数字", c=criterion.name, v=raw)
            continue
        if not value.is_finite() or not 0 <= value <= criterion.max_mark:
            errors[criterion.name] = _("“%(c)s”的分数应在 0 到 %(max)s 之间", c=criterion.name,
                                       max=_plain(criterion.max_mark))
            continue
        clean[criterion.name] = str(value)
    if errors:
        raise Invalid("；".join(errors.values()), errors)
    return clean


def enter_marks(item, judge: Account, entrant: str, marks: dict) -> Mark:
    """Record (or change, until he submits) a judge's marks for one entrant."""
    config = item_config(item)
    _locked(config)
    seat = assignment(config.item_id, judge)
    if seat is None:
        raise Forbidden(_("您不是“%(item)s”的评委", item=config.item.name))
    if seat.submitted_at is not None:
        raise Refused(_("您已提交本项目的评分，不能再修改"))
    found = {key: unit for key, _name, unit in entrants(config)}
    if entrant not in found:
        numbers = {str(b.number): b.entrant for b in BlindNumber.select().where(BlindNumber.item == config.item_id)}
        entrant = numbers.get(str(entrant).removesuffix("号").strip(), entrant)
        if entrant not in found:
            raise NotFound(_("本项目没有这位参赛者"))
    if recused(config, judge, found[entrant]):
        raise Forbidden(_("回避：您不能为本部门的参赛者打分"))
    clean = _clean_marks(config, marks)
    score = weighted_score(clean, criteria_of(config))
    with db.atomic():
        mark = Mark.get_or_none(Mark.item == config.item_id, Mark.entrant == entrant, Mark.judge == judge.id)
        before = None if mark is None else {"marks": mark.marks, "score": str(mark.score)}
        if mark is None:
            try:
                with db.atomic():
                    mark = Mark.create(item=config.item_id, entrant=entrant, judge=judge.id, marks=clean, score=score)
            except peewee.IntegrityError:
                raise Refused(_("这份评分刚刚已保存，请刷新后再修改")) from None
        else:
            mark.marks, mark.score, mark.updated_at = clean, score, utcnow()
            mark.save()
        audit.record("scoring.mark.enter" if before is None else "scoring.mark.correct", mark, before=before,
                     after={"entrant": entrant, "marks": clean, "score": str(score)}, account=judge,
                     event=config.item.event_id)
    return mark


def submit_marks(item, judge: Account) -> PanelJudge:
    """A judge hands in his marks for the item; every entrant he may mark must be marked."""
    config = item_config(item)
    seat = assignment(config.item_id, judge)
    if seat is None:
        raise Forbidden(_("您不是“%(item)s”的评委", item=config.item.name))
    if seat.submitted_at is not None:
        return seat
    missing = [row.label for row in judge_sheet(config.item_id, judge) if not row.recused and row.score is None]
    if missing:
        raise Refused(_("还有 %(n)s 位参赛者没有打分：%(who)s", n=len(missing), who="、".join(missing[:10])))
    with db.atomic():
        PanelJudge.update(submitted_at=utcnow()).where(PanelJudge.id == seat.id).execute()
        audit.record("scoring.mark.submit", seat, after={"item": config.item_id}, account=judge,
                     event=config.item.event_id)
    return PanelJudge.get_by_id(seat.id)


def panel_scores(config: ItemScoring) -> dict[str, PanelScore]:
    """Each marked entrant's panel score (trimmed mean), with every judge's score kept."""
    sheets: dict[str, dict[int, Decimal]] = {}
    for entrant, judge, score in (Mark.select(Mark.entrant, Mark.judge, Mark.score)
                                  .where(Mark.item == config.item_id).order_by(Mark.judge).tuples()):
        sheets.setdefault(entrant, {})[judge] = Decimal(score).quantize(Decimal("0.01"))
    return {key: panel_score(marks, config.drop_high, config.drop_low) for key, marks in sheets.items()}


def my_deviations(item, judge: Account) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """``(entrant label, his score, panel score, difference)`` per entrant: only after he submitted."""
    config = item_config(item)
    seat = assignment(config.item_id, judge)
    if seat is None:
        raise Forbidden(_("您不是“%(item)s”的评委", item=config.item.name))
    if seat.submitted_at is None:
        raise Refused(_("提交评分后才能看到与评委组的差异"))
    scores = panel_scores(config)
    labels = {row.entrant: row.label for row in judge_sheet(config.item_id, judge)}
    out = []
    for entrant, panel in scores.items():
        mine = dict(panel.marks).get(judge.id)
        if mine is not None:
            out.append((labels.get(entrant, entrant), mine, panel.score, mine - panel.score))
    return out


# Mean distance (in points) from the panel's scores beyond which a judge is shown as an outlier.
OUTLIER_POINTS = Decimal("10")


@dataclass(frozen=True)
class Distance:
    """How far one judge's scores sit from the panel's over the entrants he marked (two decimals)."""

    account_id: int
    name: str
    entries: int
    mean: Decimal  # signed: positive means more generous than the panel
    mean_abs: Decimal
    max_abs: Decimal
    submitted: bool

    @property
    def outlier(self) -> bool:
        return self.mean_abs >= OUTLIER_POINTS


def _distances(config: ItemScoring) -> list[Distance]:
    seats = {s.account_id: s for s in PanelJudge.select(PanelJudge, Account).join(Account)
             .where(PanelJudge.item == config.item_id)}
    out = []
    for d in judge_deviations(panel_scores(config).values()):
        seat = seats.get(d.judge)
        name = str(seat.account) if seat else str(d.judge)
        out.append(Distance(d.judge, name, d.entries, d.mean, d.mean_abs, d.max_abs,
                            bool(seat and seat.submitted_at)))
    return out


def my_distance(item, judge: Account) -> Distance | None:
    """The judge's own distance from the panel (``None`` before anybody's marks make a panel score).

    Like :func:`my_deviations` it is shown only after he has submitted, so that he never sees what
    the others gave while he is still marking.
    """
    config = item_config(item)
    seat = assignment(config.item_id, judge)
    if seat is None:
        raise Forbidden(_("您不是“%(item)s”的评委", item=config.item.name))
    if seat.submitted_at is None:
        raise Refused(_("提交评分后才能看到与评委组的差异"))
    return next((d for d in _distances(config) if d.account_id == judge.id), None)


def panel_distances(item) -> list[Distance]:
    """Every judge's distance from the panel, largest mean distance first (for the organizer)."""
    return _distances(item_config(item))
