"""Configuring how items and events are scored, and turning that configuration into the engine's values."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid
from core.models import Event, Item
from core.money import yuan
from core.services import audit
from core.timeutil import utcnow
from plugins.scoring import brackets
from plugins.scoring.judging import Criterion
from plugins.scoring.measures import MeasureKind
from plugins.scoring.models import MEASURES, TIE_RULES, EventScoring, ItemScoring
from plugins.scoring.payout import PayoutRules
from plugins.scoring.points import points_table
from plugins.scoring.prizes import Band, ParticipationRule, prize_tiers
from plugins.scoring.ranking import TieRule
from plugins.scoring.standings import Item as EngineItem

GAME_RULES = {"": None, "table_tennis": brackets.TABLE_TENNIS, "badminton": brackets.BADMINTON}
DEFAULT_UNITS = {"time": "秒", "count": "个", "distance": "米", "marks": "分"}

ITEM_FIELDS = (
    "measure", "unit_label", "points", "tie_rule", "countback_higher_wins", "collective", "prizes", "team_points",
    "team_tie_rule", "bands", "band_cap", "threshold", "answer_award", "criteria", "drop_high", "drop_low", "blind",
    "recusal", "best_of", "game_rule", "third_place",
)
EVENT_FIELDS = (
    "team_prizes", "team_tie_rule", "split_team_prizes", "participation", "participation_amount", "late_rate",
    "early_leave_rate", "excused_rate", "unknown_attendance_on_time", "best_placing_only", "souvenir_each",
    "activity_points", "participation_needs_entry",
)


def _numbers(values, what: str, *, money: bool = False) -> list[str]:
    out = []
    for value in values or ():
        if isinstance(value, float):
            raise Invalid(_("%(what)s 不能使用小数浮点值，请写成文本如 \"2.5\"", what=what))
        try:
            number = yuan(value) if money else Decimal(str(value).strip())
        except (ValueError, ArithmeticError, TypeError):
            raise Invalid(_("%(what)s 中的“%(value)s”不是数字", what=what, value=value)) from None
        if not number.is_finite() or number < 0:
            raise Invalid(_("%(what)s 不能为负数", what=what))
        out.append(str(number))
    return out


def _fraction_text(value, what: str) -> str:
    try:
        fraction = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise Invalid(_("%(what)s 应为 0 到 1 之间的比例，如 1/2", what=what)) from None
    if not 0 <= fraction <= 1:
        raise Invalid(_("%(what)s 应为 0 到 1 之间的比例，如 1/2", what=what))
    return str(fraction)


def _check_item(data: dict) -> dict:
    clean = dict(data)
    if clean["measure"] not in MEASURES:
        raise Invalid(_("未知的计分方式：%(m)s", m=clean["measure"]))
    for key in ("tie_rule", "team_tie_rule"):
        if clean[key] not in TIE_RULES:
            raise Invalid(_("未知的并列规则：%(r)s", r=clean[key]))
    clean["points"] = _numbers(clean["points"], _("积分表"))
    clean["team_points"] = _numbers(clean["team_points"], _("集体名次积分表"))
    clean["prizes"] = _numbers(clean["prizes"], _("奖金"), money=True)
    try:
        points_table(*clean["points"])
        points_table(*clean["team_points"])
    except ValueError:
        raise Invalid(_("积分表应从第一名起逐名不增")) from None
    bands = []
    for band in clean["bands"] or ():
        try:
            Band(band["name"], count=band.get("count"), share=band.get("share"))
        except (KeyError, ValueError, TypeError, ZeroDivisionError):
            raise Invalid(_("奖项设置有误：每个奖项需要名称，以及名额或比例之一")) from None
        entry = {"name": str(band["name"])}
        entry |= {"count": int(band["count"])} if band.get("count") is not None else {"share": str(band["share"])}
        if band.get("amount") not in (None, ""):
            entry["amount"] = _numbers([band["amount"]], _("奖项奖金"), money=True)[0]
        bands.append(entry)
    clean["bands"] = bands
    clean["band_cap"] = _fraction_text(clean["band_cap"], _("获奖比例上限")) if clean["band_cap"] else ""
    criteria = []
    for c in clean["criteria"] or ():
        try:
            Criterion(str(c["name"]), str(c["weight"]), str(c.get("max_mark", "100")))
        except (KeyError, ValueError, TypeError):
            raise Invalid(_("评分项设置有误：每项需要名称和正的权重")) from None
        criteria.append({"name": str(c["name"]), "weight": str(c["weight"]), "max_mark": str(c.get("max_mark", "100"))})
    clean["criteria"] = criteria
    if clean["measure"] == "marks" and not criteria:
        raise Invalid(_("评委打分的项目需要至少一个评分项"))
    if clean["drop_high"] < 0 or clean["drop_low"] < 0:
        raise Invalid(_("去掉最高分、最低分的个数不能为负数"))
    if clean["best_of"] < 1 or clean["best_of"] % 2 == 0:
        raise Invalid(_("局数应为奇数，如三局两胜填 3"))
    if clean["game_rule"] not in GAME_RULES:
        raise Invalid(_("未知的计分规则：%(r)s", r=clean["game_rule"]))
    if clean["third_place"] not in ("shared", "match"):
        raise Invalid(_("第三名的决定方式应为并列或三四名决赛"))
    for key in ("threshold", "answer_award"):
        award = clean[key]
        if award:
            fixed = {"label": str(award.get("label") or ""), "souvenirs": int(award.get("souvenirs", 1))}
            fixed["amount"] = _numbers([award.get("amount", "0")], _("奖励金额"), money=True)[0]
            if key == "threshold":
                fixed["value"] = _numbers([award.get("value")], _("达标成绩"))[0]
            clean[key] = fixed
    if not clean["unit_label"]:
        clean["unit_label"] = DEFAULT_UNITS.get(clean["measure"], "")
    return clean


def configure_item(item: Item, account=None, **settings) -> ItemScoring:
    """Create or change how ``item`` is scored; unknown keys are refused. See :mod:`plugins.scoring.public`."""
    unknown = set(settings) - set(ITEM_FIELDS)
    if unknown:
        raise Invalid(_("未知的计分设置：%(keys)s", keys="、".join(sorted(unknown))))
    config = ItemScoring.get_or_none(ItemScoring.item == item)
    before = snapshot(config) if config else None
    base = snapshot(config) if config else {
        "measure": "count", "unit_label": "", "points": [], "tie_rule": "share", "countback_higher_wins": None,
        "collective": item.kind == "team", "prizes": [], "team_points": [], "team_tie_rule": "share", "bands": [],
        "band_cap": "", "threshold": None, "answer_award": None, "criteria": [], "drop_high": 1, "drop_low": 1,
        "blind": False, "recusal": False, "best_of": 3, "game_rule": "", "third_place": "shared",
    }
    clean = _check_item(base | settings)
    with db.atomic():
        if config is None:
            config = ItemScoring(item=item)
        for key in ITEM_FIELDS:
            setattr(config, key, clean[key])
        config.updated_at = utcnow()
        config.save()
        audit.record("scoring.item.configure", config, before=before, after=snapshot(config), account=account,
                     event=item.event_id)
    return config


def snapshot(config) -> dict:
    fields = ITEM_FIELDS if isinstance(config, ItemScoring) else EVENT_FIELDS
    out = {key: getattr(config, key) for key in fields}
    if "participation_amount" in out:
        out["participation_amount"] = str(out["participation_amount"])
    return out


def configure_event(event: Event, account=None, **settings) -> EventScoring:
    """Create or change an event's prize rules (team prizes, participation award, best placing only ...)."""
    unknown = set(settings) - set(EVENT_FIELDS)
    if unknown:
        raise Invalid(_("未知的奖励设置：%(keys)s", keys="、".join(sorted(unknown))))
    config = EventScoring.get_or_none(EventScoring.event == event)
    before = snapshot(config) if config else None
    data = (snapshot(config) if config else snapshot(EventScoring(participation_amount=yuan(50)))) | settings
    data["team_prizes"] = _numbers(data["team_prizes"], _("团体奖金"), money=True)
    data["participation_amount"] = _numbers([data["participation_amount"]], _("参与奖金额"), money=True)[0]
    for key, what in (("late_rate", _("迟到发放比例")), ("early_leave_rate", _("早退发放比例")),
                      ("excused_rate", _("请假发放比例"))):
        data[key] = _fraction_text(data[key], what)
    if data["team_tie_rule"] not in TIE_RULES or data["team_tie_rule"] == "first_to_reach":
        raise Invalid(_("团体总分的并列规则应为并列、均分或比较名次数"))
    if int(data["souvenir_each"]) < 0:
        raise Invalid(_("纪念品数量不能为负数"))
    with db.atomic():
        if config is None:
            config = EventScoring(event=event)
        for key in EVENT_FIELDS:
            setattr(config, key, data[key])
        config.participation_amount = yuan(data["participation_amount"])
        config.updated_at = utcnow()
        config.save()
        audit.record("scoring.event.configure", config, before=before, after=snapshot(config), account=account,
                     event=event)
    return config


def event_config(event) -> EventScoring:
    """The event's prize rules (the seed's defaults when the organizer set none)."""
    event_id = getattr(event, "id", event)
    found = EventScoring.get_or_none(EventScoring.event == event_id)
    return found or EventScoring(event=event_id, participation_amount=yuan(50))


def entrant_key(member=None, team=None) -> str:
    if (member is None) == (team is None):
        raise Invalid(_("请指定参赛者：个人或队伍之一"))
    return f"m{getattr(member, 'id', member)}" if member is not None else f"t{getattr(team, 'id', team)}"


def engine_kind(config: ItemScoring) -> MeasureKind:
    return MeasureKind.MATCH if config.measure in ("match", "place") else MeasureKind(config.measure)


def engine_item(item_id: int, name: str, config: ItemScoring) -> EngineItem:
    """The engine's :class:`~plugins.scoring.standings.Item` for a configured core item."""
    return EngineItem(
        code=f"i{item_id}",
        name=name,
        kind=engine_kind(config),
        points=points_table(*config.points),
        tie_rule=TieRule(config.tie_rule),
        collective=config.collective,
        prizes=prize_tiers(*config.prizes),
        team_points=points_table(*config.team_points),
        team_tie_rule=TieRule(config.team_tie_rule),
        countback_higher_wins=config.countback_higher_wins,
    )


def criteria_of(config: ItemScoring) -> list[Criterion]:
    return [Criterion(c["name"], c["weight"], c.get("max_mark", "100")) for c in config.criteria]


def payout_rules(config: EventScoring) -> PayoutRules:
    participation = None
    if config.participation:
        participation = ParticipationRule(
            amount=yuan(config.participation_amount), late=Fraction(config.late_rate),
            early_leave=Fraction(config.early_leave_rate), excused=Fraction(config.excused_rate),
        )
    return PayoutRules(participation=participation, team_prizes=prize_tiers(*config.team_prizes),
                       split_team_prizes=config.split_team_prizes, best_placing_only=config.best_placing_only)
