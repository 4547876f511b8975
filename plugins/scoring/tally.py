"""Standings and payouts from the database: load an event's configuration and results in a few
queries, hand them to the engine (:mod:`plugins.scoring.standings`, :mod:`plugins.scoring.payout`),
and keep the payout sheets that were generated.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

import peewee
from flask import current_app
from flask_babel import gettext as _

from core.collector import collector_paused
from core.db import db
from core.errors import Refused
from core.models import Entry, Event, Item, Member, Registration, Team, Unit
from core.money import ZERO, to_capital, yuan
from core.plugins import event_hooks
from core.records import maker
from core.services import audit
from core.timeutil import utcnow
from plugins.scoring import brackets, notices
from plugins.scoring.config import engine_item, event_config, payout_rules
from plugins.scoring.measures import Result, ResultStatus, quick_result
from plugins.scoring.models import ItemScoring, PayoutRecord, ScoringResult
from plugins.scoring.panel import panel_scores
from plugins.scoring.payout import Person, compute_payout
from plugins.scoring.points import yearly_points
from plugins.scoring.prizes import (
    Attendance,
    Award,
    AwardKind,
    Band,
    BudgetItem,
    BudgetLine,
    answer_awards,
    award_bands,
    budget_preview,
    threshold_awards,
)
from plugins.scoring.ranking import Placing, TieRule, place_in_order
from plugins.scoring.results import bracket_of
from plugins.scoring.standings import Standings, compute_standings

UNKNOWN = "unknown"
ATTENDANCE_LABELS = {a.value: a.label for a in Attendance} | {UNKNOWN: "未知"}
_STATUS = {s.value: s for s in ResultStatus}
_ATTENDANCE = {a.value: a for a in Attendance}
_make_person = maker(Person)


@dataclass
class LoadedItem:
    """A configured item of the event: core id and name, its configuration and the engine's item."""

    id: int
    name: str
    config: ItemScoring
    engine: object
    bracket: brackets.Bracket | None = None
    panel: dict = field(default_factory=dict)


@dataclass
class Tally:
    """An event's standings with everything needed to show them."""

    event_id: int
    items: list[LoadedItem]
    standings: Standings
    results: dict[str, list[Result]]
    names: dict[str, str]
    units: dict[str, int | None]
    people: list[Person]
    team_rule: TieRule

    def item(self, item_id: int) -> LoadedItem:
        return next(i for i in self.items if i.id == item_id)

    def name(self, key) -> str:
        return self.names.get(key, str(key))


def _load_items(event_id: int) -> list[LoadedItem]:
    rows = (ItemScoring.select(ItemScoring, Item).join(Item)
            .where(Item.event == event_id).order_by(Item.sort, Item.id))
    return [LoadedItem(c.item.id, c.item.name, c, engine_item(c.item.id, c.item.name, c)) for c in rows]


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _load_results(items: list[LoadedItem]) -> dict[str, list[Result]]:
    """Results of the directly measured items, read from a raw cursor (10,000 rows in a few ms)."""
    out: dict[str, list[Result]] = {f"i{i.id}": [] for i in items}
    direct = [i.id for i in items if i.config.measure not in ("marks", "match")]
    if direct:
        query = (ScoringResult.select(ScoringResult.item, ScoringResult.entrant, ScoringResult.value,
                                      ScoringResult.status, ScoringResult.reached_at, ScoringResult.countback)
                 .where(ScoringResult.item.in_(direct)))
        ok = ResultStatus.OK
        lists = {i: out[f"i{i}"] for i in direct}
        # Tie-break data is read only for the items whose tie rule uses it.
        rules = {i.id: i.config.tie_rule for i in items}
        make = quick_result
        parsed: dict[str, tuple[Decimal, ...]] = {}  # countback texts repeat: parse each once
        for item_id, entrant, value, status, reached, countback in db.execute(query):
            st = _STATUS[status]
            rule = rules[item_id]
            backs = ()
            if rule == "countback" and countback and countback != "[]":
                backs = parsed.get(countback)
                if backs is None:
                    backs = parsed[countback] = tuple([Decimal(c) for c in json.loads(countback)])
            if st is ok:
                if value is None:  # let the engine's own check say what is wrong
                    Result(entrant, None, st)
                value = value if type(value) is Decimal else Decimal(str(value))
            else:
                value = None
            lists[item_id].append(make(entrant, value, st, _decimal(reached) if rule == "first_to_reach" else None,
                                       backs))
    return out


@collector_paused()
def load_tally(event) -> Tally:
    """Load and compute an event's standings: every item placed, team totals and ranking."""
    event_id = getattr(event, "id", event)
    items = _load_items(event_id)
    results = _load_results(items)
    names: dict[str, str] = {}
    units: dict[str, int | None] = {}
    teams = []
    for tid, name, unit in db.execute(Team.select(Team.id, Team.name, Team.unit).where(Team.event == event_id)):
        key = f"t{tid}"
        teams.append(key)
        names[key] = name
        units[key] = unit
    people = []
    team_of = {}
    query = (Registration.select(Registration.member, Member.name, Registration.team, Member.unit)
             .join(Member).where(Registration.event == event_id, Registration.status == "active")
             .order_by(Registration.team, Member.staff_no))
    make_person = _make_person
    for member_id, name, team_id, unit in db.execute(query):
        key = f"m{member_id}"
        team = f"t{team_id}" if team_id else None
        names[key] = name
        units[key] = unit
        people.append(make_person(key, name, team))
        if team:
            team_of[key] = team
    placed: dict[str, tuple[Placing, ...]] = {}
    for loaded in items:
        code = f"i{loaded.id}"
        measure = loaded.config.measure
        if measure == "marks":
            loaded.panel = panel_scores(loaded.config)
            results[code] = [Result(key, score.score) for key, score in loaded.panel.items()]
        elif measure == "match":
            loaded.bracket = bracket_of(loaded.config)
            try:
                placed[code] = brackets.final_places(loaded.bracket) if loaded.bracket else ()
            except ValueError:
                placed[code] = ()  # not finished: no places yet
        elif measure == "place":
            by_place: dict[Decimal, list[str]] = defaultdict(list)
            unplaced = []
            for r in results[code]:
                (by_place[r.value].append(r.entry) if r.status is ResultStatus.OK else unplaced.append(r.entry))
            order = [group[0] if len(group) == 1 else group for _v, group in sorted(by_place.items())]
            placed[code] = place_in_order(order, unplaced=unplaced)
    config = event_config(event_id)
    rule = TieRule(config.team_tie_rule)
    standings = compute_standings([i.engine for i in items], results, team_of, placed=placed, teams=teams,
                                  team_tie_rule=rule)
    return Tally(event_id, items, standings, results, names, units, people, rule)


# --- attendance -------------------------------------------------------------------------------

def attendance_of(event, people: list[Person], *, unknown_on_time: bool) -> dict[str, str]:
    """Ask the sign-in plugins (hook ``huodong_attendance``) for each person's attendance.

    Without an answer a person is ``on_time`` when the organizer said so in the event's settings,
    otherwise ``unknown`` (shown on the sheet, and paid nothing until it is known).
    """
    fallback = Attendance.ON_TIME.value if unknown_on_time else UNKNOWN
    known = {a.value for a in Attendance}
    event_id = getattr(event, "id", event)
    event_obj = event if isinstance(event, Event) else Event.get_by_id(event_id)
    hooks = event_hooks(current_app.extensions["huodong_pm"], event_obj)
    ids = {p.id: int(p.id[1:]) for p in people}
    many = hooks.huodong_attendance_many(event=event_obj, member_ids=list(ids.values()), checkpoint=None)
    if many is not None:
        answers = {key: getattr(many.get(mid), "value", many.get(mid)) for key, mid in ids.items()}
        return {key: answer if answer in known else fallback for key, answer in answers.items()}
    hook = hooks.huodong_attendance
    if not hook.get_hookimpls():
        return {p.id: fallback for p in people}
    # Only the plain columns: decrypting every ID number would cost more than the whole tally.
    registered = Registration.select(Registration.member).where(Registration.event == event_id,
                                                                Registration.status == "active")
    members = {f"m{m.id}": m for m in Member.select(Member.id, Member.name, Member.gender, Member.staff_no,
                                                    Member.unit, Member.job).where(Member.id.in_(registered))}
    out = {}
    for person in people:
        answer = hook(event=event_obj, member=members[person.id], checkpoint=None)
        answer = getattr(answer, "value", answer)
        out[person.id] = answer if answer in known else fallback
    return out


# --- payouts ----------------------------------------------------------------------------------

@dataclass
class Payout:
    """An event's payout sheet as computed now, with the names and attendance behind it."""

    tally: Tally
    sheet: object
    attendance: dict[str, str]
    bands: dict[int, dict[str, str]]

    @property
    def unknown(self) -> int:
        return sum(1 for v in self.attendance.values() if v == UNKNOWN)


def bands_of(tally: Tally, loaded: LoadedItem) -> dict[str, str]:
    """Entrant → award band (一等奖 ...) of an item with bands."""
    config = loaded.config
    placings = tally.standings.item(f"i{loaded.id}").placings
    return award_bands(placings, [Band(b["name"], count=b.get("count"), share=b.get("share")) for b in config.bands],
                       cap=config.band_cap or None)


def certificate_number(event_id: int, year: int, what: str, entry: str) -> str:
    """A certificate's number, made of what it is for (the event, the item or ``T`` for the team total, the
    person or team), so that printing again, or a correction elsewhere, never renumbers it."""
    return f"{year}-{event_id:03d}-{what}-{entry}"


def certificates(event) -> list[dict]:
    """Every award that earns a certificate (获奖证书): its number, who, which item, which band or place.

    Only from published results, and only for what was really won: an award band, or a place that carries
    points or prize money (no 第1名 of an item that places nobody, nor of a team total of zero points).
    The team total is certified once every item counting toward it is published.
    """
    t = load_tally(event)
    config = event_config(t.event_id)
    event_obj = event if isinstance(event, Event) else Event.get_by_id(t.event_id)
    year = event_obj.starts_at.year
    out = []

    def add(what, entry, name, item, award):
        out.append({"number": certificate_number(t.event_id, year, what, entry), "name": name, "item": item,
                    "award": award})

    for loaded in t.items:
        if loaded.config.state != "published":
            continue  # results may still change; sealed names stay sealed
        standing = t.standings.item(f"i{loaded.id}")
        if loaded.config.bands:
            given = bands_of(t, loaded)
            for p in standing.placings:
                if p.entry in given:
                    add(f"{loaded.id:03d}", p.entry, t.name(p.entry), loaded.name, given[p.entry])
            continue
        prizes = [Decimal(v) for v in loaded.config.prizes or ()]
        for p in standing.placings:
            if p.place is None:
                continue
            won = standing.points.get(p.entry, ZERO) > 0 or (p.place <= len(prizes) and prizes[p.place - 1] > 0)
            if won:
                add(f"{loaded.id:03d}", p.entry, t.name(p.entry), loaded.name, _("第%(n)s名", n=p.place))
    if t.items and all(loaded.config.state == "published" for loaded in t.items):
        for p in t.standings.teams:
            if p.place is not None and p.place <= max(len(config.team_prizes), 3) and t.standings.totals.get(p.entry):
                add("T", p.entry, t.name(p.entry), _("团体总分"), _("第%(n)s名", n=p.place))
    return out


def _extras(tally: Tally, attendance: dict[str, str], souvenir_each: int) -> tuple[list[Award], dict]:
    extras: list[Award] = []
    bands: dict[int, dict[str, str]] = {}
    for loaded in tally.items:
        config, code = loaded.config, f"i{loaded.id}"
        results = tally.results.get(code, [])
        if config.threshold:
            t = config.threshold
            extras += threshold_awards(results, loaded.engine.kind, Decimal(t["value"]), item=code,
                                       label=t["label"] or _("%(item)s达标纪念品", item=loaded.name),
                                       amount=t["amount"], souvenirs=int(t["souvenirs"]))
        if config.answer_award:
            a = config.answer_award
            correct = {r.entry: int(r.value) for r in results if r.status is ResultStatus.OK and r.value}
            extras += answer_awards(correct, item=code, label=a["label"] or _("%(item)s纪念品", item=loaded.name),
                                    amount_per_answer=a["amount"], souvenirs_per_answer=int(a["souvenirs"]))
        if config.bands:
            placings = tally.standings.item(code).placings
            given = bands_of(tally, loaded)
            bands[loaded.id] = given
            amounts = {b["name"]: yuan(b["amount"]) for b in config.bands if b.get("amount")}
            place = {p.entry: p.place for p in placings}
            for entry, band in given.items():
                if amounts.get(band):
                    extras.append(Award(entry, AwardKind.ITEM_PRIZE, f"{loaded.name} {band}", amounts[band], 0,
                                        code, place.get(entry)))
    if souvenir_each:
        extras += [Award(p.id, AwardKind.SOUVENIR, _("纪念品"), ZERO, souvenir_each) for p in tally.people
                   if attendance.get(p.id) not in (Attendance.ABSENT.value, UNKNOWN)]
    return extras, bands


def competitors(event_id: int) -> frozenset[str]:
    """Person keys of those entered in at least one item of the event (不参赛的不计发)."""
    rows = (Entry.select(Entry.member).join(Item).join(Registration, on=(Entry.registration == Registration.id))
            .where(Item.event == event_id, Registration.status == "active").distinct().tuples())
    return frozenset(f"m{member_id}" for (member_id,) in rows)


@collector_paused()
def compute_event_payout(event, tally: Tally | None = None) -> Payout:
    """Compute the payout sheet (奖金发放表) of ``event`` from its results and attendance."""
    tally = tally or load_tally(event)
    config = event_config(tally.event_id)
    attendance = attendance_of(event, tally.people, unknown_on_time=config.unknown_attendance_on_time)
    extras, bands = _extras(tally, attendance, config.souvenir_each)
    engine_attendance = {k: _ATTENDANCE[v] for k, v in attendance.items() if v != UNKNOWN}
    rules = payout_rules(config)
    if not any(tally.standings.totals.values()):
        rules = replace(rules, team_prizes=())  # nothing scored yet: no team is placed
    sheet = compute_payout(tally.people, engine_attendance, tally.standings, rules, extras=extras,
                           competed=competitors(tally.event_id) if config.participation_needs_entry else None)
    if any(v == UNKNOWN for v in attendance.values()):
        rows = []
        for row in sheet.people:
            if attendance.get(row.person.id) == UNKNOWN:
                lines = tuple(replace(line, note=_("出勤未知")) if line.kind is AwardKind.PARTICIPATION else line
                              for line in row.lines)
                row = replace(row, lines=lines)
            rows.append(row)
        sheet = replace(sheet, people=tuple(rows))
    return Payout(tally, sheet, attendance, bands)


def _line(award: Award, tally: Tally) -> dict:
    item_name = None
    if award.item and award.item.startswith("i"):
        item_name = next((i.name for i in tally.items if f"i{i.id}" == award.item), None)
    return {"kind": award.kind.value, "kind_label": award.kind.label, "label": award.label,
            "amount": str(award.amount), "souvenirs": award.souvenirs, "note": award.note, "item": item_name,
            "place": award.place}


def payout_data(payout: Payout) -> dict:
    """The payout sheet as plain data: what pages, the API, xlsx files and stored records use."""
    tally, sheet = payout.tally, payout.sheet
    people = []
    for row in sheet.people:
        status = payout.attendance.get(row.person.id, UNKNOWN)
        people.append({
            "key": row.person.id, "name": row.person.name,
            "team": tally.name(row.person.team) if row.person.team else "",
            "attendance": status, "attendance_label": ATTENDANCE_LABELS.get(status, status),
            "lines": [_line(line, tally) for line in row.lines], "total": str(row.total),
            "souvenirs": row.souvenirs,
        })
    teams = [{"key": t.team, "name": tally.name(t.team), "lines": [_line(line, tally) for line in t.lines],
              "total": str(t.total)} for t in sheet.teams]
    return {"event": tally.event_id, "people": people, "teams": teams, "total": str(sheet.total),
            "capital": to_capital(sheet.total), "souvenirs": sheet.souvenirs, "unknown_attendance": payout.unknown,
            "computed_at": utcnow().replace(microsecond=0).isoformat()}


def store_payout(event, *, account=None) -> PayoutRecord:
    """Generate the payout sheet and keep it as the next numbered version (what is paid is on record)."""
    event_id = getattr(event, "id", event)
    data = payout_data(compute_event_payout(event))
    with db.atomic():
        last = PayoutRecord.select(peewee.fn.MAX(PayoutRecord.version)).where(PayoutRecord.event == event_id).scalar()
        previous = PayoutRecord.get_or_none(PayoutRecord.event == event_id, PayoutRecord.version == last) if last else None
        try:
            with db.atomic():
                record = PayoutRecord.create(event=event_id, version=(last or 0) + 1, total=yuan(data["total"]),
                                             data=data, created_by=getattr(account, "id", None))
        except peewee.IntegrityError:
            raise Refused(_("发放表正在由他人生成，请稍后刷新")) from None
        audit.record("scoring.payout.generate", record,
                     before=None if previous is None else {"version": previous.version, "total": str(previous.total)},
                     after={"version": record.version, "total": data["total"], "people": len(data["people"])},
                     account=account, event=event_id)
        notices.tell_payout(record.event, record, previous)
    return record


def latest_payout_record(event) -> PayoutRecord | None:
    event_id = getattr(event, "id", event)
    return (PayoutRecord.select().where(PayoutRecord.event == event_id)
            .order_by(PayoutRecord.version.desc()).first())


# --- budget and yearly points -----------------------------------------------------------------

def budget(event):
    """The most the event can pay (预算), before it takes place: everybody registered attends on time."""
    event_id = getattr(event, "id", event)
    config = event_config(event_id)
    rules = payout_rules(config)
    participants = Registration.select().where(Registration.event == event_id,
                                               Registration.status == "active").count()
    teams = Team.select().where(Team.event == event_id).count()
    items = []
    extra_lines = []
    from plugins.scoring.results import entrants

    for loaded in _load_items(event_id):
        c = loaded.config
        count = len(entrants(c))
        if c.prizes:
            places = None
            if c.measure == "match" and c.third_place == "shared" and len(c.prizes) >= 3:
                places = (1, 2, 3, 3)
            label = loaded.name + (_("（集体）") if c.collective else "")
            items.append(BudgetItem(label, loaded.engine.prizes, places=places, entrants=count or None))
        band_money = sum((yuan(b["amount"]) * (b.get("count") or 0) for b in c.bands if b.get("amount")), ZERO)
        if band_money:
            extra_lines.append(BudgetLine(_("%(item)s 奖项", item=loaded.name),
                                          sum(b.get("count") or 0 for b in c.bands if b.get("amount")), band_money))
    result = budget_preview(participants=participants, participation=rules.participation, items=items, teams=teams,
                            team_prizes=rules.team_prizes, souvenirs=participants * config.souvenir_each)
    if extra_lines:
        lines = result.lines + tuple(extra_lines)
        result = replace(result, lines=lines, total=sum((line.amount for line in lines), ZERO))
    return result


def yearly_activity_points(year: int, unit: Unit | None = None):
    """Each unit's activity points (工会活动积分) over the year's events that count them.

    A team's points go to the unit it represents (``Team.unit``); events are taken in date order.
    """
    start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    query = (Event.select(Event).join(Item, on=(Item.event == Event.id))
             .join(ItemScoring, on=(ItemScoring.item == Item.id))
             .where(Event.starts_at >= start, Event.starts_at < end, Event.status != "cancelled")
             .distinct().order_by(Event.starts_at))
    if unit is not None:
        query = query.join_from(Event, Unit).where(Unit.path.startswith(unit.path))
    per_event = {}
    unit_names = {}
    for event in query:
        if not event_config(event).activity_points:
            continue
        tally = load_tally(event)
        points: dict[int, Decimal] = {}
        for team, total in tally.standings.totals.items():
            unit_id = tally.units.get(team)
            if unit_id is not None:
                points[unit_id] = points.get(unit_id, ZERO) + total
        if points:
            per_event[event.title if event.title not in per_event else f"{event.title}（{event.id}）"] = points
    for u in Unit.select(Unit.id, Unit.name):
        unit_names[u.id] = u.name
    return [(row, unit_names.get(row.unit, str(row.unit))) for row in yearly_points(per_event)]
