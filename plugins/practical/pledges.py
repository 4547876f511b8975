"""Cadres' pledges (承诺践诺): listed at the start of the year, assessed at its end, published.

A unit's board for a year is published in two steps: the pledge list (members read what each cadre
promised) and, once every pledge is assessed, the outcomes. Nothing is shown to members before.
"""

from __future__ import annotations

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, Refused
from core.models import Member, Unit
from core.services import audit
from core.timeutil import utcnow
from plugins.practical import validation as check
from plugins.practical.models import OUTCOMES, Cadre, Pledge, PledgeBoard, Project

STAGES = ("pledges", "outcomes")


def board(unit: Unit, year: int) -> PledgeBoard:
    """The unit's board for ``year`` (made on first use; the unique index keeps it single)."""
    PledgeBoard.insert(unit=unit, year=year).on_conflict_ignore().execute()
    return PledgeBoard.get(PledgeBoard.unit == unit, PledgeBoard.year == year)


def year_pledges(unit: Unit, year: int) -> list[Pledge]:
    return list(Pledge.select(Pledge, Cadre, Member).join(Cadre).join(Member)
                .where(Cadre.unit == unit, Pledge.year == year)
                .order_by(Cadre.sort, Cadre.id, Pledge.id))


def add_pledge(cadre: Cadre, year: int, data: dict, account=None) -> Pledge:
    content = check.text(data, "content", _("承诺内容"), required=True, max_length=1000)
    year = check.year(year)
    project = None
    if data.get("project"):
        project = Project.get_or_none(Project.id == int(data["project"]), Project.unit == cadre.unit_id,
                                      Project.year == year)
        if project is None:
            raise Invalid(_("所选项目不属于本单位本年度"), {"project": _("无效")})
    current = PledgeBoard.get_or_none(PledgeBoard.unit == cadre.unit_id, PledgeBoard.year == year)
    if current and current.outcomes_published_at:
        raise Refused(_("践诺情况已公示，不能再添加承诺"))
    with db.atomic():
        pledge = Pledge.create(cadre=cadre, year=year, content=content, project=project)
        audit.record("practical.pledge.add", pledge, after={"cadre": cadre.id, "content": content},
                     account=account)
    return pledge


def assess(pledge: Pledge, outcome: str, evidence: str, account=None) -> Pledge:
    """Mark a pledge kept, partly kept or not kept, with the evidence (required)."""
    if outcome not in OUTCOMES:
        raise Invalid(_("请选择践诺情况：已践诺、部分践诺或未践诺"), {"outcome": _("必选")})
    evidence = (evidence or "").strip()
    if not evidence:
        raise Invalid(_("请填写践诺依据（做了什么、有何佐证）"), {"evidence": _("必填")})
    current = PledgeBoard.get_or_none(PledgeBoard.unit == pledge.cadre.unit_id, PledgeBoard.year == pledge.year)
    if current and current.outcomes_published_at:
        raise Refused(_("践诺情况已公示，不能再修改"))
    before = {"outcome": pledge.outcome, "evidence": pledge.evidence}
    with db.atomic():
        pledge.outcome, pledge.evidence = outcome, evidence
        pledge.assessed_at, pledge.assessed_by = utcnow(), account
        pledge.save()
        audit.record("practical.pledge.assess", pledge, before=before,
                     after={"outcome": outcome, "evidence": evidence}, account=account)
    return pledge


def publish(unit: Unit, year: int, stage: str, account=None) -> PledgeBoard:
    """Publish the pledge list (``pledges``) or the outcomes (``outcomes``) of ``unit`` for ``year``."""
    if stage not in STAGES:
        raise Invalid(_("未知的公示内容"))
    pledges = year_pledges(unit, year)
    if not pledges:
        raise Refused(_("%(year)s 年还没有承诺，无法公示", year=year))
    column = PledgeBoard.pledges_published_at if stage == "pledges" else PledgeBoard.outcomes_published_at
    if stage == "outcomes":
        unassessed = [p for p in pledges if not p.outcome]
        if unassessed:
            raise Refused(_("还有 %(n)s 条承诺未评定践诺情况，不能公示", n=len(unassessed)))
    target = board(unit, year)
    with db.atomic():
        changes = {column: utcnow()}
        if stage == "outcomes" and not target.pledges_published_at:
            changes[PledgeBoard.pledges_published_at] = utcnow()
        # Conditional update: publishing twice at once records one publication.
        done = (PledgeBoard.update(changes)
                .where(PledgeBoard.id == target.id, column.is_null()).execute())
        if not done:
            raise Refused(_("已经公示过了"))
        audit.record(f"practical.pledges.publish_{stage}", target, after={"year": year}, account=account)
    return PledgeBoard.get_by_id(target.id)


def published_view(unit: Unit, year: int) -> tuple[PledgeBoard | None, list[Pledge]]:
    """What members may read: nothing before publication, the list after, outcomes when published."""
    current = PledgeBoard.get_or_none(PledgeBoard.unit == unit, PledgeBoard.year == year)
    if current is None or current.pledges_published_at is None:
        return current, []
    return current, year_pledges(unit, year)
