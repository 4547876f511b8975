"""The skills contest's own tables: each item's phase and session (on site or by submission) and the
entries handed in.

Marks, panels, blind numbers, bands and certificates are scoring's; registrations and entries are
the core's. The text to write on site lives here, not in ``Item.settings`` (which other pages show),
so that it stays hidden from participants until the session starts.
"""

from __future__ import annotations

import peewee

from core.db import BaseModel
from core.fields import JSONField
from core.models import Account, Item, Member
from core.timeutil import utcnow


def _(text: str) -> str:
    """Marks a label for the catalogs; pages translate it when they show it (``_(ci.phase_label)``)."""
    return text


MODES = {"onsite": _("现场书写"), "submission": _("作品上交")}
PHASES = {
    "registration": _("报名"),
    "session": _("现场比赛"),
    "submission": _("作品上交"),
    "judging": _("评审"),
    "published": _("公布结果"),
}
SUBMISSION_KINDS = {"file": _("上传文件"), "link": _("作品链接")}


class ContestItem(BaseModel):
    """How one item of a contest runs: on site in a set time and room with a text given at the start,
    or by submission (a file or a link) before a deadline; and the phase it is in."""

    item = peewee.ForeignKeyField(Item, unique=True, backref="contest", on_delete="CASCADE")
    mode = peewee.CharField(max_length=12, default="onsite")
    phase = peewee.CharField(max_length=12, default="registration")
    requirement = peewee.TextField(default="")  # what is asked, as the plan words it
    starts_at = peewee.DateTimeField(null=True)  # UTC: the on-site session's start
    ends_at = peewee.DateTimeField(null=True)  # UTC: its end, or the submission deadline
    room = peewee.CharField(max_length=100, default="")
    text_title = peewee.CharField(max_length=100, default="")  # 望庐山瀑布（唐·李白）
    text = peewee.TextField(default="")  # the text to write, hidden from participants until the start
    kinds = JSONField(default=list)  # submission: "file", "link"
    extensions = JSONField(default=list)  # allowed file types, e.g. ["pdf", "jpg"]
    max_mb = peewee.IntegerField(default=10)
    encouragement = peewee.CharField(max_length=20, default="鼓励奖")  # the band that gets a prize, no certificate
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "skills_contest_item"

    @property
    def mode_label(self) -> str:
        return MODES.get(self.mode, self.mode)

    @property
    def phase_label(self) -> str:
        return PHASES.get(self.phase, self.phase)


class Submission(BaseModel):
    """One participant's entry in a submitted item: a stored file or a link. Handing in again before
    the deadline replaces it (one row per item and member, held by the unique index)."""

    item = peewee.ForeignKeyField(Item, backref="contest_submissions", on_delete="CASCADE")
    member = peewee.ForeignKeyField(Member, backref="contest_submissions", on_delete="CASCADE")
    kind = peewee.CharField(max_length=8)
    filename = peewee.CharField(max_length=200, default="")  # as the participant named it
    stored = peewee.CharField(max_length=200, default="")  # path below the instance's upload folder
    size = peewee.IntegerField(default=0)
    url = peewee.CharField(max_length=500, default="")
    note = peewee.CharField(max_length=200, default="")
    submitted_by = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    submitted_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "skills_contest_submission"
        indexes = ((("item", "member"), True),)


MODELS = [ContestItem, Submission]
