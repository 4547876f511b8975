"""Scoring's tables: how each item and event is scored, results, judges' panels and marks,
blind numbers, knockout matches and the payout sheets that were generated.

An entrant is a person (individual items) or a team (collective items). Its key is
``m<member id>`` or ``t<team id>``; the key is what the engine ranks, and the unique
index on ``(item, entrant)`` makes sure an entrant has one result per item whatever
two referees do at the same moment.
"""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import JSONField, MoneyField
from core.models import Account, Event, Item, Member, Team
from core.timeutil import utcnow

MEASURES = {
    "time": "计时（用时少者胜）",
    "count": "计数（多者胜）",
    "distance": "距离（远者胜）",
    "marks": "评委打分",
    "match": "淘汰赛（抽签对阵）",
    "place": "直接录入名次",
}
TIE_RULES = {
    "share": "并列，名次后延",
    "share_split": "并列，积分和奖金均分",
    "first_to_reach": "成绩相同，先达者列前",
    "countback": "成绩相同，比较次项成绩",
}
RESULT_STATUSES = {"ok": "有效", "foul": "犯规", "dq": "取消资格", "dns": "弃权"}
ITEM_STATES = {"open": "录入中", "published": "已发布（锁定）"}


class ItemScoring(BaseModel):
    """How one core item is scored, and whether its results are published (locked)."""

    item = peewee.ForeignKeyField(Item, unique=True, backref="scoring", on_delete="CASCADE")
    measure = peewee.CharField(max_length=20, default="count")
    unit_label = peewee.CharField(max_length=20, default="")  # 秒, 个, 米, 分
    points = JSONField(default=list)  # points of place 1, 2, 3 ... as strings
    tie_rule = peewee.CharField(max_length=20, default="share")
    countback_higher_wins = peewee.BooleanField(null=True)
    collective = peewee.BooleanField(default=False)
    prizes = JSONField(default=list)  # yuan per place, as strings
    team_points = JSONField(default=list)  # ranks teams on the sum of members' values (投篮)
    team_tie_rule = peewee.CharField(max_length=20, default="share")
    bands = JSONField(default=list)  # [{"name": "一等奖", "count": 1} or {"name", "share": "1/10"}]
    band_cap = peewee.CharField(max_length=20, default="")  # e.g. "2/3" of entrants at most
    threshold = JSONField(null=True)  # {"value": "30", "label": "跳绳30个纪念品", "amount": "0", "souvenirs": 1}
    answer_award = JSONField(null=True)  # {"label": "猜谜纪念品", "amount": "0", "souvenirs": 1} per correct answer
    criteria = JSONField(default=list)  # [{"name": "笔法", "weight": "30", "max_mark": "100"}]
    drop_high = peewee.IntegerField(default=1)
    drop_low = peewee.IntegerField(default=1)
    blind = peewee.BooleanField(default=False)
    recusal = peewee.BooleanField(default=False)
    best_of = peewee.IntegerField(default=3)
    game_rule = peewee.CharField(max_length=20, default="")  # "", table_tennis, badminton
    third_place = peewee.CharField(max_length=10, default="shared")  # shared | match
    draw_seed = peewee.CharField(max_length=40, default="")
    draw = JSONField(null=True)  # {entrant key: drawn number}
    blind_seal = peewee.CharField(max_length=64, default="")  # sha256 of the blind key, fixed at the draw
    revealed_at = peewee.DateTimeField(null=True)
    state = peewee.CharField(max_length=12, default="open")
    published_at = peewee.DateTimeField(null=True)
    published_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "scoring_item"

    @property
    def measure_label(self) -> str:
        return MEASURES.get(self.measure, self.measure)

    @property
    def published(self) -> bool:
        return self.state == "published"


class EventScoring(BaseModel):
    """An event's prize rules: team prizes, participation award and attendance, best placing only."""

    event = peewee.ForeignKeyField(Event, unique=True, backref="scoring", on_delete="CASCADE")
    team_prizes = JSONField(default=list)
    team_tie_rule = peewee.CharField(max_length=20, default="share")
    split_team_prizes = peewee.BooleanField(default=False)
    participation = peewee.BooleanField(default=True)
    participation_amount = MoneyField()
    late_rate = peewee.CharField(max_length=10, default="1/2")
    early_leave_rate = peewee.CharField(max_length=10, default="1/2")
    excused_rate = peewee.CharField(max_length=10, default="0")
    # With no sign-in plugin answering, count everyone as on time only when the organizer says so.
    unknown_attendance_on_time = peewee.BooleanField(default=False)
    best_placing_only = peewee.BooleanField(default=False)
    # 不参赛的不计发: the participation award only for those entered in at least one item.
    participation_needs_entry = peewee.BooleanField(default=False, constraints=[peewee.SQL("DEFAULT FALSE")])
    souvenir_each = peewee.IntegerField(default=0)  # 人人有纪念品
    activity_points = peewee.BooleanField(default=True)  # counts toward the units' yearly points
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "scoring_event"


class ScoringResult(BaseModel):
    """One entrant's result in one item."""

    item = peewee.ForeignKeyField(Item, backref="scoring_results", on_delete="CASCADE")
    entrant = peewee.CharField(max_length=24)
    member = peewee.ForeignKeyField(Member, null=True, on_delete="CASCADE")
    team = peewee.ForeignKeyField(Team, null=True, on_delete="CASCADE")
    value = peewee.DecimalField(max_digits=14, decimal_places=4, null=True, auto_round=True)
    status = peewee.CharField(max_length=8, default="ok")
    reached_at = peewee.DecimalField(max_digits=14, decimal_places=4, null=True, auto_round=True)
    countback = JSONField(default=list)
    note = peewee.CharField(max_length=200, default="")
    version = peewee.IntegerField(default=1)
    entered_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    entered_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "scoring_result"
        indexes = ((("item", "entrant"), True),)


class PanelJudge(BaseModel):
    """An account assigned to judge (评委) or referee (裁判) one item; ``submitted_at`` once he hands in."""

    item = peewee.ForeignKeyField(Item, backref="panel", on_delete="CASCADE")
    account = peewee.ForeignKeyField(Account, backref="scoring_items", on_delete="CASCADE")
    role = peewee.CharField(max_length=10, default="judge")  # judge | referee
    submitted_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "scoring_judge"
        indexes = ((("item", "account"), True),)


class Mark(BaseModel):
    """One judge's marks for one entrant, per criterion, and their weighted score."""

    item = peewee.ForeignKeyField(Item, backref="marks", on_delete="CASCADE")
    entrant = peewee.CharField(max_length=24)
    judge = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    marks = JSONField(default=dict)  # {criterion: "90"}
    score = peewee.DecimalField(max_digits=8, decimal_places=2, auto_round=True)
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "scoring_mark"
        indexes = ((("item", "entrant", "judge"), True),)


class BlindNumber(BaseModel):
    """The blind number (盲评编号) an entrant carries in a judged item."""

    item = peewee.ForeignKeyField(Item, backref="blind_numbers", on_delete="CASCADE")
    entrant = peewee.CharField(max_length=24)
    number = peewee.IntegerField()

    class Meta:
        table_name = "scoring_blind_number"
        indexes = ((("item", "entrant"), True), (("item", "number"), True))


class MatchResult(BaseModel):
    """The games of one knockout match: ``games`` is ``[[a, b], ...]`` from the lower slot's side."""

    item = peewee.ForeignKeyField(Item, backref="matches", on_delete="CASCADE")
    round = peewee.IntegerField()
    number = peewee.IntegerField()
    games = JSONField(default=list)
    version = peewee.IntegerField(default=1)
    entered_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "scoring_match"
        indexes = ((("item", "round", "number"), True),)


class PayoutRecord(BaseModel):
    """A generated payout sheet (奖金发放表), kept as it was so what was paid stays on record."""

    event = peewee.ForeignKeyField(Event, backref="payout_records", on_delete="CASCADE")
    version = peewee.IntegerField()
    total = MoneyField()
    data = JSONField(default=dict)
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "scoring_payout"
        indexes = ((("event", "version"), True),)


MODELS = [ItemScoring, EventScoring, ScoringResult, PanelJudge, Mark, BlindNumber, MatchResult, PayoutRecord]
