"""Entering and correcting results, knockout draws and matches, publishing and unlocking.

Results can be entered and corrected until the organizer publishes the item; publishing locks
it, and only an unlock with a reason opens it again. Every change writes an audit row with the
values before and after.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation

import peewee
from flask_babel import gettext as _

from core.db import db
from core.errors import Invalid, NotFound, Refused
from core.models import Entry, Item, Member, Registration, Team
from core.services import audit
from core.timeutil import utcnow
from plugins.scoring import brackets
from plugins.scoring.config import GAME_RULES, entrant_key
from plugins.scoring.judging import blind_numbers
from plugins.scoring.measures import parse_time
from plugins.scoring.models import RESULT_STATUSES, BlindNumber, ItemScoring, MatchResult, ScoringResult

MAX_VALUE = Decimal("1e9")


def item_config(item) -> ItemScoring:
    """The scoring configuration of ``item``; :class:`NotFound` when the item is not scored."""
    item_id = getattr(item, "id", item)
    config = ItemScoring.select(ItemScoring, Item).join(Item).where(ItemScoring.item == item_id).first()
    if config is None:
        raise NotFound(_("该项目尚未设置计分方式"))
    return config


def _locked(config: ItemScoring) -> None:
    if config.published:
        raise Refused(_("“%(item)s”的成绩已发布并锁定；如需更改，请组织者先填写原因解锁", item=config.item.name))


def parse_value(config: ItemScoring, raw) -> Decimal:
    """Read a result typed by a referee: a time (``12.5`` or ``1:05.3``), a count, a distance or a place."""
    if isinstance(raw, bool):
        raise Invalid(_("成绩应写成文本或整数，如 \"12.5\""))
    text = str(raw if raw is not None else "").strip().replace("：", ":")
    if not text:
        raise Invalid(_("请填写成绩"))
    try:
        if config.measure == "time":
            value = parse_time(text)
        else:
            value = Decimal(text)
    except (ValueError, InvalidOperation):
        if config.measure == "time":
            raise Invalid(_("“%(v)s”不是有效的用时：请写秒数如 12.5，或分:秒如 1:05.3", v=text)) from None
        raise Invalid(_("“%(v)s”不是有效的数字", v=text)) from None
    if not value.is_finite() or value < 0 or value >= MAX_VALUE:
        raise Invalid(_("成绩“%(v)s”超出范围", v=text))
    if config.measure in ("count", "place") and value != value.to_integral_value():
        raise Invalid(_("“%(v)s”应为整数", v=text))
    if config.measure == "place" and value < 1:
        raise Invalid(_("名次应从 1 开始"))
    return value


def resolve_entrant(config: ItemScoring, *, member=None, team=None, entrant: str | None = None) -> tuple[str, int | None, int | None]:
    """Check that the entrant takes part in the item; return ``(key, member id, team id)``."""
    item = config.item
    if entrant:
        if entrant[:1] not in ("m", "t") or not entrant[1:].isdigit():
            raise Invalid(_("参赛者编号无效：%(e)s", e=entrant))
        member, team = (int(entrant[1:]), None) if entrant[0] == "m" else (None, int(entrant[1:]))
    key = entrant_key(member, team)
    member_id = getattr(member, "id", member)
    team_id = getattr(team, "id", team)
    if config.collective:
        if team_id is None:
            raise Invalid(_("“%(item)s”是集体项目，请按队伍录入成绩", item=item.name))
        if not Team.select().where(Team.id == team_id, Team.event == item.event_id).exists():
            raise Invalid(_("该队伍不属于本活动"))
    else:
        if member_id is None:
            raise Invalid(_("“%(item)s”是个人项目，请按参赛者录入成绩", item=item.name))
        if not Entry.select().where(Entry.item == item.id, Entry.member == member_id).exists():
            raise Invalid(_("该参赛者没有报名“%(item)s”", item=item.name))
    return key, member_id, team_id


def result_snapshot(result: ScoringResult | None) -> dict | None:
    if result is None:
        return None
    return {"entrant": result.entrant, "value": None if result.value is None else str(result.value.normalize()),
            "status": result.status, "reached_at": None if result.reached_at is None else str(result.reached_at),
            "countback": result.countback, "note": result.note, "version": result.version}


def enter_result(item, *, member=None, team=None, entrant: str | None = None, value=None, status: str = "ok",
                 reached_at=None, countback=(), note: str = "", version: int | None = None,
                 account=None) -> ScoringResult:
    """Enter an entrant's result, or correct it when ``version`` names the result being corrected.

    A second entry of a result that exists is refused (the unique index on item and entrant
    decides between two referees typing at once); a correction with a stale ``version`` is
    refused too. Fouls (``foul``), disqualifications (``dq``) and no-shows (``dns``) carry no value.
    """
    config = item_config(item)
    _locked(config)
    if status not in RESULT_STATUSES:
        raise Invalid(_("成绩状态应为：%(s)s", s="、".join(RESULT_STATUSES)))
    if config.measure in ("marks", "match"):
        raise Invalid(_("“%(item)s”的成绩由评委打分或比赛对阵得出，不能直接录入", item=config.item.name))
    key, member_id, team_id = resolve_entrant(config, member=member, team=team, entrant=entrant)
    number = parse_value(config, value) if status == "ok" else None
    if status != "ok" and value not in (None, ""):
        raise Invalid(_("犯规、取消资格或弃权不记成绩，请不要填写成绩"))
    reached = None
    if reached_at not in (None, ""):
        try:
            reached = Decimal(str(reached_at).strip())
        except InvalidOperation:
            raise Invalid(_("“达到成绩的时间/次序”应为数字")) from None
    backs = []
    for v in countback or ():
        try:
            backs.append(str(Decimal(str(v).strip())))
        except InvalidOperation:
            raise Invalid(_("次项成绩“%(v)s”不是数字", v=v)) from None
    fields = {"value": number, "status": status, "reached_at": reached, "countback": backs, "note": note or "",
              "entered_by": getattr(account, "id", account), "updated_at": utcnow()}
    with db.atomic():
        if version is None:
            try:
                with db.atomic():
                    result = ScoringResult.create(item=config.item_id, entrant=key, member=member_id, team=team_id,
                                                  **fields)
            except peewee.IntegrityError:
                raise Refused(_("该参赛者在本项目已有成绩；如需更正，请打开已有成绩修改")) from None
            audit.record("scoring.result.enter", result, before=None, after=result_snapshot(result),
                         account=account, event=config.item.event_id)
            return result
        existing = ScoringResult.get_or_none(ScoringResult.item == config.item_id, ScoringResult.entrant == key)
        if existing is None:
            raise NotFound(_("要更正的成绩不存在"))
        before = result_snapshot(existing)
        changed = (ScoringResult.update(version=ScoringResult.version + 1, **fields)
                   .where(ScoringResult.id == existing.id, ScoringResult.version == version).execute())
        if not changed:
            raise Refused(_("该成绩已被他人修改，请刷新后再更正"))
        result = ScoringResult.get_by_id(existing.id)
        audit.record("scoring.result.correct", result, before=before, after=result_snapshot(result),
                     account=account, event=config.item.event_id)
    return result


def publish_item(item, *, account=None, announce: bool = True) -> ItemScoring:
    """Publish an item's results: they are locked and blind numbers are revealed. With ``announce``, each
    placed member is told his place and prize (an activity that reveals results later says ``False``)."""
    from plugins.scoring import notices
    from plugins.scoring.public import item_awards
    from plugins.scoring.tally import compute_event_payout, payout_data

    config = item_config(item)
    now = utcnow()
    with db.atomic():
        changed = (ItemScoring.update(state="published", published_at=now, published_by=getattr(account, "id", None),
                                      revealed_at=peewee.fn.COALESCE(ItemScoring.revealed_at, now))
                   .where(ItemScoring.id == config.id, ItemScoring.state == "open").execute())
        if not changed:
            raise Refused(_("“%(item)s”的成绩已经发布", item=config.item.name))
        audit.record("scoring.item.publish", config, before={"state": "open"}, after={"state": "published"},
                     account=account, event=config.item.event_id)
        if announce:
            notices.tell_results(config.item, item_awards(config.item),
                                 payout_data(compute_event_payout(config.item.event)))
    return item_config(item)


def unlock_item(item, reason: str, *, account=None) -> ItemScoring:
    """Open a published item again for corrections; the reason is kept in the audit log."""
    config = item_config(item)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("解锁已发布的成绩必须填写原因"), {"reason": _("必填")})
    with db.atomic():
        changed = (ItemScoring.update(state="open", published_at=None)
                   .where(ItemScoring.id == config.id, ItemScoring.state == "published").execute())
        if not changed:
            raise Refused(_("“%(item)s”的成绩尚未发布，无需解锁", item=config.item.name))
        audit.record("scoring.item.unlock", config, before={"state": "published"}, after={"state": "open"},
                     reason=reason, account=account, event=config.item.event_id)
    return item_config(item)


def entrants(config: ItemScoring) -> list[tuple[str, str, int | None]]:
    """The item's entrants as ``(key, name, unit id)``: teams for collective items, else entered members."""
    item = config.item
    if config.collective:
        teams = list(Team.select(Team.id, Team.name, Team.unit).where(Team.event == item.event_id)
                     .order_by(Team.id).tuples())
        entered = {t for (t,) in Entry.select(Entry.team).where(Entry.item == item.id, Entry.team.is_null(False))
                   .distinct().tuples()}
        return [(f"t{tid}", name, unit) for tid, name, unit in teams if not entered or tid in entered]
    rows = (Entry.select(Member.id, Member.name, Member.unit).join(Member)
            .switch(Entry).join(Registration)
            .where(Entry.item == item.id, Registration.status == "active").order_by(Member.id).tuples())
    return [(f"m{mid}", name, unit) for mid, name, unit in rows]


def draw_bracket(item, *, seed: str | None = None, numbers: dict | None = None, account=None) -> ItemScoring:
    """Draw the knockout (抽签): by lot from ``seed`` (reproducible) or from ``numbers`` drawn on site."""
    config = item_config(item)
    _locked(config)
    if config.measure != "match":
        raise Invalid(_("只有淘汰赛项目需要抽签"))
    if MatchResult.select().where(MatchResult.item == config.item_id).exists():
        raise Refused(_("已有比赛结果，不能重新抽签"))
    players = [key for key, _name, _unit in entrants(config)]
    if len(players) < 2:
        raise Refused(_("淘汰赛至少需要两名参赛者"))
    try:
        if numbers:
            unknown = set(numbers) - set(players)
            if unknown or set(players) - set(numbers):
                raise Invalid(_("抽签号码应覆盖且只覆盖本项目的全部参赛者"))
            draw = brackets.Draw.from_numbers({k: int(v) for k, v in numbers.items()})
            seed = ""
        else:
            seed = str(seed or utcnow().strftime("%Y%m%d%H%M%S%f"))
            draw = brackets.draw_lots(players, seed)
    except ValueError:
        free = [s for s in range(1, 2 ** (len(players) - 1).bit_length() + 1)
                if s not in brackets.bye_slots(len(players))]
        raise Invalid(_("抽签号码应为 %(slots)s，每个号码一人", slots="、".join(map(str, free)))) from None
    before = {"draw": config.draw, "seed": config.draw_seed}
    with db.atomic():
        ItemScoring.update(draw=draw.numbers, draw_seed=seed, updated_at=utcnow()).where(
            ItemScoring.id == config.id).execute()
        audit.record("scoring.bracket.draw", config, before=before, after={"draw": draw.numbers, "seed": seed},
                     account=account, event=config.item.event_id)
    return item_config(item)


def bracket_of(config: ItemScoring, results: dict | None = None) -> brackets.Bracket | None:
    """The item's bracket with the matches entered so far (``None`` before the draw)."""
    if not config.draw:
        return None
    if results is None:
        results = {(m.round, m.number): [tuple(g) for g in m.games]
                   for m in MatchResult.select().where(MatchResult.item == config.item_id)}
    draw = brackets.Draw.from_numbers({k: int(v) for k, v in config.draw.items()})
    return brackets.play(draw, results, best_of=config.best_of, rule=GAME_RULES[config.game_rule],
                         third_place=brackets.ThirdPlace(config.third_place))


def _check_games(config: ItemScoring, games) -> list[tuple[int, int]]:
    rule = GAME_RULES[config.game_rule]
    out = []
    if not isinstance(games, list | tuple) or not games:
        raise Invalid(_("请填写每一局的比分"))
    for n, game in enumerate(games, start=1):
        try:
            a, b = (int(str(x).strip()) for x in game)
        except (TypeError, ValueError):
            raise Invalid(_("第%(n)s局的比分应为两个整数，如 11:9", n=n)) from None
        try:
            if rule is not None:
                rule.check((a, b))
            elif a == b or min(a, b) < 0:
                raise ValueError
        except ValueError:
            raise Invalid(_("第%(n)s局比分 %(a)s:%(b)s 不符合计分规则", n=n, a=a, b=b)) from None
        out.append((a, b))
    try:
        brackets.match_winner(out, config.best_of, rule)
    except ValueError:
        raise Invalid(_("比分未分出胜负或多打了局数（%(n)s局%(w)s胜）", n=config.best_of,
                        w=config.best_of // 2 + 1)) from None
    return out


def enter_match(item, round_no: int, number: int, games, *, version: int | None = None,
                account=None) -> MatchResult:
    """Enter (or, with ``version``, correct) the games of a knockout match; the winner advances."""
    config = item_config(item)
    _locked(config)
    if not config.draw:
        raise Refused(_("请先抽签"))
    clean = _check_games(config, games)
    existing = {(m.round, m.number): [tuple(g) for g in m.games]
                for m in MatchResult.select().where(MatchResult.item == config.item_id)}
    trial = dict(existing)
    trial[(round_no, number)] = clean
    try:
        bracket_of(config, trial)
    except ValueError:
        raise Invalid(_("第%(r)s轮第%(m)s场不存在或双方尚未产生", r=round_no, m=number)) from None
    with db.atomic():
        if version is None:
            try:
                with db.atomic():
                    match = MatchResult.create(item=config.item_id, round=round_no, number=number, games=clean,
                                               entered_by=getattr(account, "id", None))
            except peewee.IntegrityError:
                raise Refused(_("这场比赛已有比分；如需更正，请打开已有比分修改")) from None
            before = None
        else:
            match = MatchResult.get_or_none(item=config.item_id, round=round_no, number=number)
            if match is None:
                raise NotFound(_("要更正的比赛不存在"))
            before = {"games": match.games, "version": match.version}
            changed = (MatchResult.update(games=clean, version=MatchResult.version + 1, updated_at=utcnow(),
                                          entered_by=getattr(account, "id", None))
                       .where(MatchResult.id == match.id, MatchResult.version == version).execute())
            if not changed:
                raise Refused(_("该比分已被他人修改，请刷新后再更正"))
            match = MatchResult.get_by_id(match.id)
        audit.record("scoring.match.enter" if before is None else "scoring.match.correct", match, before=before,
                     after={"round": round_no, "number": number, "games": clean, "version": match.version},
                     account=account, event=config.item.event_id)
    return match


def draw_blind_numbers(item, *, seed: str | None = None, account=None) -> dict[str, int]:
    """Give each entrant of a judged item a blind number; the key is sealed with a hash until reveal."""
    config = item_config(item)
    _locked(config)
    if not config.blind:
        raise Invalid(_("该项目未设置盲评"))
    from plugins.scoring.models import Mark

    if Mark.select().where(Mark.item == config.item_id).exists():
        raise Refused(_("评委已开始打分，不能重新编号"))
    keys = [key for key, _n, _u in entrants(config)]
    seed = str(seed or utcnow().strftime("%Y%m%d%H%M%S%f"))
    numbers = blind_numbers(keys, seed)
    seal = hashlib.sha256(json.dumps({"seed": seed, "key": numbers}, sort_keys=True).encode()).hexdigest()
    with db.atomic():
        BlindNumber.delete().where(BlindNumber.item == config.item_id).execute()
        BlindNumber.insert_many([{"item": config.item_id, "entrant": k, "number": n}
                                 for k, n in numbers.items()]).execute()
        ItemScoring.update(blind_seal=seal, draw_seed=seed, revealed_at=None).where(
            ItemScoring.id == config.id).execute()
        audit.record("scoring.blind.draw", config, after={"entrants": len(numbers), "seal": seal},
                     account=account, event=config.item.event_id)
    return numbers


def verify_blind_seal(item) -> bool:
    """True when the stored blind key still matches the seal made at the draw."""
    config = item_config(item)
    numbers = {b.entrant: b.number for b in BlindNumber.select().where(BlindNumber.item == config.item_id)}
    digest = hashlib.sha256(json.dumps({"seed": config.draw_seed, "key": numbers}, sort_keys=True).encode())
    return bool(config.blind_seal) and digest.hexdigest() == config.blind_seal
