"""The programme's records: projects and their progress, pledges, supervision checks, cadres and
their grassroots days, volunteer teams.

Everything hangs off a unit (the union running the programme) and a year; permission checks are
made against that unit.
"""

from __future__ import annotations

import peewee
from flask_babel import lazy_gettext as _l

from core.db import BaseModel
from core.fields import MoneyField
from core.models import Account, Event, Member, Unit
from core.timeutil import utcnow

QUARTERS = {1: _l("一季度"), 2: _l("二季度"), 3: _l("三季度"), 4: _l("四季度")}
# Suggested themes (the seeds' 四季歌 and more); a theme is stored as the organizer types it.
THEMES = ("春送岗位", "夏送清凉", "秋送助学", "冬送温暖", "微心愿", "文明创建")
OUTCOMES = {"kept": _l("已践诺"), "partly": _l("部分践诺"), "not_kept": _l("未践诺")}
DAY_ROLES = {
    "chairman": _l("学当一天基层工会主席"),
    "clerk": _l("学当一天企业工会办公室专职干部"),
    "worker": _l("学当一天企业普通职工"),
}


class PracticalModel(BaseModel):
    """Base of the programme's models: tables are named ``practical_<model>``."""

    class Meta:
        table_function = staticmethod(lambda model: "practical_" + peewee.make_snake_case(model.__name__))


class Project(PracticalModel):
    """One line of the year's project list (项目清单)."""

    unit = peewee.ForeignKeyField(Unit, backref="practical_projects", on_delete="RESTRICT")
    year = peewee.IntegerField()
    quarter = peewee.IntegerField(null=True)  # 1..4, empty for a project running all year
    theme = peewee.CharField(max_length=40, default="")
    title = peewee.CharField(max_length=200)
    description = peewee.TextField(default="")
    owner = peewee.CharField(max_length=100, default="")  # the department (部室) that answers for it
    target_people = peewee.IntegerField(default=0)
    target_money = MoneyField()
    target_wishes = peewee.IntegerField(default=0)
    sort = peewee.IntegerField(default=0)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "year", "title"), True),)

    def __str__(self) -> str:
        return self.title

    @property
    def quarter_label(self) -> str:
        return QUARTERS.get(self.quarter, _l("全年"))


class ProgressEntry(PracticalModel):
    """Work done for a project outside any event: people reached, money given, wishes fulfilled."""

    project = peewee.ForeignKeyField(Project, backref="entries", on_delete="CASCADE")
    on = peewee.DateField()
    people = peewee.IntegerField(default=0)
    money = MoneyField()
    wishes = peewee.IntegerField(default=0)
    note = peewee.CharField(max_length=300, default="")
    recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)


class ProjectEvent(PracticalModel):
    """An event counted toward a project. An event counts toward one project only."""

    project = peewee.ForeignKeyField(Project, backref="links", on_delete="CASCADE")
    event = peewee.ForeignKeyField(Event, unique=True, backref="practical_links", on_delete="CASCADE")
    linked_at = peewee.DateTimeField(default=utcnow)


class Check(PracticalModel):
    """A supervision visit (督查) of a project: what was found, what was advised, by when to follow up."""

    project = peewee.ForeignKeyField(Project, backref="checks", on_delete="CASCADE")
    checked_on = peewee.DateField()
    checkers = peewee.CharField(max_length=200)
    problems = peewee.TextField(default="")
    advice = peewee.TextField(default="")
    follow_up_due = peewee.DateField(null=True, index=True)
    followed_up_at = peewee.DateTimeField(null=True)
    follow_up_note = peewee.TextField(default="")
    recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)


class Cadre(PracticalModel):
    """A union cadre taking part in the programme: he makes pledges and logs his grassroots days."""

    unit = peewee.ForeignKeyField(Unit, backref="practical_cadres", on_delete="RESTRICT")
    member = peewee.ForeignKeyField(Member, backref="practical_cadres", on_delete="CASCADE")
    position = peewee.CharField(max_length=60, default="")  # 主席, 副主席, 部长 ...
    sort = peewee.IntegerField(default=0)
    is_active = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("unit", "member"), True),)

    def __str__(self) -> str:
        return self.member.name


class Pledge(PracticalModel):
    """A cadre's pledge (承诺) for a year and, at year end, whether he kept it (践诺)."""

    cadre = peewee.ForeignKeyField(Cadre, backref="pledges", on_delete="CASCADE")
    year = peewee.IntegerField(index=True)
    content = peewee.TextField()
    project = peewee.ForeignKeyField(Project, null=True, backref="pledges", on_delete="SET NULL")
    outcome = peewee.CharField(max_length=20, null=True)  # see OUTCOMES
    evidence = peewee.TextField(default="")
    assessed_at = peewee.DateTimeField(null=True)
    assessed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, _l("待评定"))


class PledgeBoard(PracticalModel):
    """Publication of a unit's pledge list for a year: the pledges at the start, the outcomes at the end."""

    unit = peewee.ForeignKeyField(Unit, on_delete="CASCADE")
    year = peewee.IntegerField()
    pledges_published_at = peewee.DateTimeField(null=True)
    outcomes_published_at = peewee.DateTimeField(null=True)

    class Meta:
        indexes = ((("unit", "year"), True),)


class GrassrootsDay(PracticalModel):
    """One of a cadre's 三个一天 in a month: where, with whom, what was discussed and promised."""

    cadre = peewee.ForeignKeyField(Cadre, backref="days", on_delete="CASCADE")
    year = peewee.IntegerField()
    month = peewee.IntegerField()
    role = peewee.CharField(max_length=20)  # see DAY_ROLES
    on = peewee.DateField()
    place = peewee.CharField(max_length=200)
    with_whom = peewee.CharField(max_length=300, default="")
    discussed = peewee.TextField(default="")
    promised = peewee.TextField(default="")
    follow_up = peewee.TextField(default="")
    recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("cadre", "year", "month", "role"), True),)

    @property
    def role_label(self) -> str:
        return DAY_ROLES.get(self.role, self.role)


class VolunteerTeam(PracticalModel):
    """A union volunteer team (工会志愿者服务队)."""

    unit = peewee.ForeignKeyField(Unit, backref="volunteer_teams", on_delete="RESTRICT")
    name = peewee.CharField(max_length=100)
    description = peewee.TextField(default="")
    leader = peewee.ForeignKeyField(Member, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "name"), True),)

    def __str__(self) -> str:
        return self.name


class Volunteer(PracticalModel):
    team = peewee.ForeignKeyField(VolunteerTeam, backref="volunteers", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, backref="volunteer_teams", on_delete="CASCADE")
    joined_on = peewee.DateField(null=True)

    class Meta:
        indexes = ((("team", "member"), True),)


class VolunteerActivity(PracticalModel):
    """A core event of type ``volunteer`` run by a team."""

    team = peewee.ForeignKeyField(VolunteerTeam, backref="activities", on_delete="CASCADE")
    event = peewee.ForeignKeyField(Event, unique=True, backref="volunteer_activity", on_delete="CASCADE")


MODELS = [Project, ProgressEntry, ProjectEvent, Check, Cadre, Pledge, PledgeBoard, GrassrootsDay,
          VolunteerTeam, Volunteer, VolunteerActivity]
