"""The 送温暖 archive and everything that hangs on it, as peewee models.

Private data (ID numbers, bank accounts, addresses, phones) is stored encrypted
(:class:`core.fields.EncryptedField`); ID numbers and bank accounts also keep a keyed hash so that
"is this the same person?" and "is this his own account?" need no decryption.
"""

from __future__ import annotations

import re

import peewee

from core import privacy
from core.db import BaseModel
from core.fields import EncryptedField, JSONField, MoneyField
from core.models import Account, Event, Member, Unit
from core.timeutil import utcnow

CAUSES = {"illness": "因病", "education": "因学", "employment": "因业", "disaster": "因灾"}

STAGES = {
    "draft": "建档",
    "submitted": "基层工会已申报",
    "first_reviewed": "乡镇街道已初审",
    "noticed": "公示中",
    "approved": "县区已审定",
    "returned": "退回修改",
    "rejected": "不予认定",
}
STATUSES = {"active": "在档", "closed": "已销档"}
CLOSE_KINDS = {"recovered": "脱困", "withdrawn": "撤档"}

INCOME_CATEGORIES = {"wage": "工资性收入", "pension": "养老金", "business": "经营性收入",
                     "benefit": "低保及救助金", "other": "其他收入"}
SPENDING_CATEGORIES = {"medical": "自付医疗费", "tuition": "义务教育以外学费", "disaster": "灾害或丧失劳动能力支出",
                       "living": "基本生活支出", "other": "其他刚性支出"}

# The facts the engine needs that are not money, with their labels on the archive form.
FLAGS = {
    "is_worker": "具有职工身份",
    "dues_paid": "按时足额缴纳会费",
    "is_migrant_worker": "农民工",
    "unemployed": "下岗失业",
    "illness_closed_last_year": "重病或意外伤害上一年度已治愈或治疗终结",
    "has_business_with_employees": "拥有固定经营场所且使用雇工",
    "owns_car_or_premium_motorbike": "购买并使用汽车或高档摩托车",
    "bought_commercial_housing_or_premium_decoration": "购买商品房或高档装修",
    "invests_in_stocks": "有购买股票等投资行为",
    "paid_school_choice_or_study_abroad": "出资择校或自费出国留学",
    "falsified_application": "经核实弄虚作假",
}
OFFENCES = {"family_planning": "违反计划生育", "suicide": "自杀", "drunkenness": "醉酒", "fighting": "打架斗殴",
            "gambling": "赌博", "drugs": "吸毒", "other": "其他违法行为"}

SEASONS = {"spring": "春送岗位", "summer": "夏送清凉", "autumn": "秋送助学", "winter": "冬送温暖"}
LEVELS = {"grassroots": "基层工会", "township": "乡镇街道工会", "county": "县区总工会"}
FUND_KINDS = {"grant": "上级工会拨款", "subsidy": "政府补助", "budget": "本级工会投入", "donation": "社会捐助"}
WISH_GROUPS = {"elderly": "孤寡空巢老人", "worker": "困难职工", "disabled": "残障人士", "children": "留守困境儿童"}
WISH_STATUSES = {"open": "待认领", "claimed": "已认领", "fulfilled": "已实现"}
PAIRING_ROLES = {"leader": "班子成员", "head": "部室负责人", "member": "一般党员"}


def _table_name(model) -> str:
    return "warmth_" + re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


class WarmthModel(BaseModel):
    """Base of the plugin's models: every table is named ``warmth_...``."""

    class Meta:
        table_function = _table_name


class ThresholdVersion(WarmthModel):
    """One published version of a region's 低保线 and shares for a year (the engine's ThresholdSet)."""

    region_code = peewee.CharField(max_length=12)
    region_name = peewee.CharField(max_length=60)
    year = peewee.IntegerField()
    version = peewee.CharField(max_length=40)
    dibao_monthly = MoneyField()
    near_line_multiple = peewee.DecimalField(max_digits=6, decimal_places=3, auto_round=True)
    medical_share = peewee.DecimalField(max_digits=5, decimal_places=4, auto_round=True)
    tuition_share = peewee.DecimalField(max_digits=5, decimal_places=4, auto_round=True)
    disaster_share = peewee.DecimalField(max_digits=5, decimal_places=4, auto_round=True)
    effective_from = peewee.DateField(null=True)
    source = peewee.CharField(max_length=200, default="")
    created_at = peewee.DateTimeField(default=utcnow)
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")

    class Meta:
        indexes = ((("region_code", "year", "version"), True),)

    def to_set(self):
        from plugins.warmth.thresholds import ThresholdSet

        return ThresholdSet(
            region_code=self.region_code, region_name=self.region_name, year=self.year, version=self.version,
            dibao_monthly=self.dibao_monthly, near_line_multiple=self.near_line_multiple.normalize(),
            medical_share=self.medical_share.normalize(), tuition_share=self.tuition_share.normalize(),
            disaster_share=self.disaster_share.normalize(), effective_from=self.effective_from, source=self.source)


class Household(WarmthModel):
    """一户一档: a worker's household file. One file per worker (by the keyed hash of his ID number)."""

    unit = peewee.ForeignKeyField(Unit, backref="warmth_households", on_delete="RESTRICT")
    member = peewee.ForeignKeyField(Member, null=True, backref="warmth_households", on_delete="SET NULL")
    worker_name = peewee.CharField(max_length=50)
    gender = peewee.CharField(max_length=1, default="")
    id_number = EncryptedField()
    id_hash = peewee.CharField(max_length=64, unique=True)
    phone = EncryptedField(null=True)
    address = EncryptedField(null=True)
    employer = peewee.CharField(max_length=100, default="")
    region_code = peewee.CharField(max_length=12)
    year = peewee.IntegerField()  # the year the figures describe
    members_count = peewee.IntegerField(default=1)
    main_cause = peewee.CharField(max_length=20, null=True)
    secondary_causes = JSONField(default=list)
    flags = JSONField(default=dict)
    offence = peewee.CharField(max_length=20, null=True)
    situation = peewee.TextField(default="")
    bank_name = peewee.CharField(max_length=60, default="")
    bank_account = EncryptedField(null=True)
    bank_account_hash = peewee.CharField(max_length=64, null=True)
    stage = peewee.CharField(max_length=20, default="draft", index=True)
    status = peewee.CharField(max_length=20, default="active", index=True)
    closed_kind = peewee.CharField(max_length=20, null=True)
    closed_reason = peewee.TextField(default="")
    closed_at = peewee.DateTimeField(null=True)
    filled_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    filled_by_name = peewee.CharField(max_length=60, default="")
    responsible = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="warmth_responsible")
    responsible_since = peewee.DateField(null=True)
    checked_on = peewee.DateField(null=True)  # last yearly re-check
    created_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow, index=True)

    def __str__(self) -> str:
        return self.worker_name

    @property
    def masked_name(self) -> str:
        return privacy.mask_name(self.worker_name)

    @property
    def masked_id(self) -> str:
        return privacy.mask_id(self.id_number)

    @property
    def masked_account(self) -> str:
        return ("*" * 4 + self.bank_account[-4:]) if self.bank_account else ""

    @property
    def stage_label(self) -> str:
        return STAGES.get(self.stage, self.stage)

    @property
    def status_label(self) -> str:
        return CLOSE_KINDS.get(self.closed_kind, STATUSES["closed"]) if self.status == "closed" else STATUSES["active"]

    def flag(self, name: str) -> bool:
        return bool((self.flags or {}).get(name, name in ("is_worker", "dues_paid")))


class FamilyMember(WarmthModel):
    household = peewee.ForeignKeyField(Household, backref="family", on_delete="CASCADE")
    name = peewee.CharField(max_length=50)
    relation = peewee.CharField(max_length=20)
    id_number = EncryptedField(null=True)
    id_hash = peewee.CharField(max_length=64, null=True, index=True)
    birth_year = peewee.IntegerField(null=True)
    occupation = peewee.CharField(max_length=50, default="")  # 在职、退休、学生、无业 ...
    health = peewee.CharField(max_length=50, default="")
    school = peewee.CharField(max_length=100, default="")  # for students: 大学 etc.
    is_university_student = peewee.BooleanField(default=False)


class MoneyLine(WarmthModel):
    """One yearly income or essential spending item of a household."""

    household = peewee.ForeignKeyField(Household, backref="money_lines", on_delete="CASCADE")
    kind = peewee.CharField(max_length=10)  # income | spending
    category = peewee.CharField(max_length=20)
    amount = MoneyField()
    note = peewee.CharField(max_length=200, default="")


class Attachment(WarmthModel):
    """Evidence (证明材料) stored in the instance folder; only its metadata lives here."""

    household = peewee.ForeignKeyField(Household, backref="attachments", on_delete="CASCADE")
    title = peewee.CharField(max_length=100)
    filename = peewee.CharField(max_length=200)
    stored_name = peewee.CharField(max_length=80, unique=True)
    content_type = peewee.CharField(max_length=60)
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    uploaded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    uploaded_at = peewee.DateTimeField(default=utcnow)


class Decision(WarmthModel):
    """An eligibility decision with the engine's full trace, as it was when made."""

    household = peewee.ForeignKeyField(Household, backref="decisions", on_delete="CASCADE")
    year = peewee.IntegerField()
    threshold = peewee.ForeignKeyField(ThresholdVersion, on_delete="RESTRICT")
    eligible = peewee.BooleanField()
    matched = JSONField(default=list)
    exclusions = JSONField(default=list)
    per_head_monthly = MoneyField()
    summary = peewee.TextField()
    trace = JSONField(default=list)
    figures = JSONField(default=dict)
    decided_at = peewee.DateTimeField(default=utcnow)
    decided_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")


class ReviewStep(WarmthModel):
    """One step of the three-level review: who, at which level, what, and why."""

    household = peewee.ForeignKeyField(Household, backref="review_steps", on_delete="CASCADE")
    year = peewee.IntegerField()
    level = peewee.CharField(max_length=20)
    action = peewee.CharField(max_length=20)  # submit, pass, approve, return, reject, strike
    from_stage = peewee.CharField(max_length=20)
    to_stage = peewee.CharField(max_length=20)
    comment = peewee.TextField(default="")
    account = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    account_name = peewee.CharField(max_length=60, default="")
    at = peewee.DateTimeField(default=utcnow)


class Notice(WarmthModel):
    """公示: the proposed list, published for a number of working days with a complaint phone."""

    unit = peewee.ForeignKeyField(Unit, on_delete="RESTRICT")
    title = peewee.CharField(max_length=200)
    year = peewee.IntegerField()
    opens_on = peewee.DateField()
    working_days = peewee.IntegerField()
    closes_on = peewee.DateField()
    phone = peewee.CharField(max_length=20, default="12351")
    status = peewee.CharField(max_length=20, default="published")  # published | taken_down
    taken_down_at = peewee.DateTimeField(null=True)
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)


class NoticeEntry(WarmthModel):
    notice = peewee.ForeignKeyField(Notice, backref="entries", on_delete="CASCADE")
    household = peewee.ForeignKeyField(Household, backref="notice_entries", on_delete="CASCADE")

    class Meta:
        indexes = ((("notice", "household"), True),)


class Objection(WarmthModel):
    """An objection (异议) raised during a notice; it must be resolved before approval."""

    notice = peewee.ForeignKeyField(Notice, backref="objections", on_delete="CASCADE")
    household = peewee.ForeignKeyField(Household, null=True, backref="objections", on_delete="CASCADE")
    content = peewee.TextField()
    contact = EncryptedField(null=True)
    received_at = peewee.DateTimeField(default=utcnow)
    status = peewee.CharField(max_length=20, default="open")  # open | upheld | dismissed
    resolution = peewee.TextField(default="")
    resolved_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    resolved_at = peewee.DateTimeField(null=True)


class Campaign(WarmthModel):
    """One level's campaign of a season. Campaigns of the same year and season are "the same
    campaign" for the nobody-twice rule, whatever their level."""

    unit = peewee.ForeignKeyField(Unit, backref="warmth_campaigns", on_delete="RESTRICT")
    year = peewee.IntegerField()
    season = peewee.CharField(max_length=10)
    title = peewee.CharField(max_length=200)
    standard = MoneyField()  # money per household (per student in autumn)
    goods = peewee.CharField(max_length=200, default="")
    quota = peewee.IntegerField(null=True)  # households
    starts_on = peewee.DateField(null=True)
    ends_on = peewee.DateField(null=True)
    event = peewee.ForeignKeyField(Event, null=True, backref="+", on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("unit", "year", "season"), True),)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.season}"

    @property
    def season_label(self) -> str:
        return SEASONS.get(self.season, self.season)


class VisitPlan(WarmthModel):
    campaign = peewee.ForeignKeyField(Campaign, backref="plans", on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    leader = peewee.CharField(max_length=60)
    team = JSONField(default=list)
    planned_on = peewee.DateField()
    targets = peewee.TextField(default="")  # households, enterprises, sites to visit


class Visit(WarmthModel):
    """A visit record: a household or an enterprise, who went, what was given and learned."""

    campaign = peewee.ForeignKeyField(Campaign, backref="visits", on_delete="CASCADE")
    plan = peewee.ForeignKeyField(VisitPlan, null=True, backref="visits", on_delete="SET NULL")
    household = peewee.ForeignKeyField(Household, null=True, backref="visits", on_delete="RESTRICT")
    enterprise = peewee.CharField(max_length=100, default="")
    visited_on = peewee.DateField()
    visitors = peewee.CharField(max_length=300)
    money = MoneyField()
    goods = peewee.CharField(max_length=200, default="")
    learned = peewee.TextField(default="")
    follow_up = peewee.TextField(default="")
    recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)


class FundSource(WarmthModel):
    """Money a unit received for hardship aid: grants, subsidies, its own budget, donations."""

    unit = peewee.ForeignKeyField(Unit, backref="warmth_funds", on_delete="RESTRICT")
    year = peewee.IntegerField()
    kind = peewee.CharField(max_length=20)
    name = peewee.CharField(max_length=200)
    amount = MoneyField()
    spent = MoneyField()  # moved only by a conditional UPDATE that keeps spent <= amount
    received_on = peewee.DateField()
    note = peewee.CharField(max_length=200, default="")
    created_at = peewee.DateTimeField(default=utcnow)

    @property
    def remaining(self):
        return self.amount - self.spent


class Payment(WarmthModel):
    """Aid paid to one household in one campaign. The unique indexes on (campaign_key, person_hash)
    and (campaign_key, household) make "nobody twice, at any level" a rule of the database."""

    campaign = peewee.ForeignKeyField(Campaign, backref="payments", on_delete="RESTRICT")
    campaign_key = peewee.CharField(max_length=20)
    household = peewee.ForeignKeyField(Household, backref="payments", on_delete="RESTRICT")
    person_hash = peewee.CharField(max_length=64)
    unit = peewee.ForeignKeyField(Unit, on_delete="RESTRICT")  # the paying unit
    fund = peewee.ForeignKeyField(FundSource, backref="payments", on_delete="RESTRICT")
    amount = MoneyField()
    students = peewee.IntegerField(default=0)  # 秋送助学: grants paid per student
    account_hash = peewee.CharField(max_length=64)
    account_last4 = peewee.CharField(max_length=4)
    paid_on = peewee.DateField()
    visit = peewee.ForeignKeyField(Visit, null=True, backref="payments", on_delete="SET NULL")
    recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("campaign_key", "person_hash"), True),
            (("campaign_key", "household"), True),
        )


class CollectiveVisit(WarmthModel):
    """集中慰问: a group (250 sanitation workers, 50 auxiliary police ...) paid the same sum each."""

    campaign = peewee.ForeignKeyField(Campaign, backref="collective", on_delete="CASCADE")
    group_name = peewee.CharField(max_length=100)
    enterprise = peewee.CharField(max_length=100, default="")
    people = peewee.IntegerField()
    amount_each = MoneyField()
    total = MoneyField()
    fund = peewee.ForeignKeyField(FundSource, backref="collective", on_delete="RESTRICT")
    visited_on = peewee.DateField()
    visitors = peewee.CharField(max_length=300, default="")
    recorded_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")


class Pairing(WarmthModel):
    """A cadre paired with a household (结对帮扶), kept year to year."""

    cadre = peewee.ForeignKeyField(Account, backref="warmth_pairings", on_delete="CASCADE")
    household = peewee.ForeignKeyField(Household, backref="pairings", on_delete="CASCADE")
    role = peewee.CharField(max_length=20, default="member")
    since = peewee.DateField()
    ended_on = peewee.DateField(null=True)

    class Meta:
        indexes = ((("cadre", "household"), True),)


class SolvedProblem(WarmthModel):
    """A real problem a cadre solved for a household (1-2 a year is the plan's aim)."""

    household = peewee.ForeignKeyField(Household, backref="solved_problems", on_delete="CASCADE")
    cadre = peewee.ForeignKeyField(Account, on_delete="CASCADE")
    year = peewee.IntegerField()
    description = peewee.TextField()
    solved_on = peewee.DateField()


class Wish(WarmthModel):
    """微心愿: a small wish recorded, claimed by one volunteer, fulfilled."""

    unit = peewee.ForeignKeyField(Unit, on_delete="RESTRICT")
    group = peewee.CharField(max_length=20)
    beneficiary = peewee.CharField(max_length=50)
    content = peewee.CharField(max_length=300)
    status = peewee.CharField(max_length=20, default="open", index=True)
    claimed_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    claimed_at = peewee.DateTimeField(null=True)
    fulfilled_at = peewee.DateTimeField(null=True)
    note = peewee.CharField(max_length=300, default="")
    created_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)


MODELS = [ThresholdVersion, Household, FamilyMember, MoneyLine, Attachment, Decision, ReviewStep, Notice,
          NoticeEntry, Objection, Campaign, VisitPlan, Visit, FundSource, Payment, CollectiveVisit, Pairing,
          SolvedProblem, Wish]
