"""The contest's WTForms forms; messages are explicit so that they read right in Chinese."""

from __future__ import annotations

from fractions import Fraction

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from core.forms import LOCAL_FORMATS
from core.validation import Form


def parse_criteria(text: str) -> list[tuple[str, str]]:
    """``笔法 30`` per line (or ``笔法 30，字法 30``): criteria with their weights."""
    out = []
    for line in (text or "").replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines():
        parts = line.replace("：", " ").replace(":", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValueError(_("评分项“%(line)s”应写成 名称 权重，如 笔法 30", line=line.strip()))
        name, weight = parts
        try:
            if int(weight) <= 0:
                raise ValueError
        except ValueError:
            raise ValueError(_("评分项“%(name)s”的权重应为正整数", name=name)) from None
        out.append((name[:40], weight))
    return out


def parse_bands(text: str) -> list[tuple[str, object]]:
    """``一等奖 2`` (a count) or ``一等奖 1/10`` (a share of the entrants) per line."""
    out = []
    for line in (text or "").replace("，", "\n").replace(",", "\n").replace("、", "\n").splitlines():
        parts = line.replace("：", " ").replace(":", " ").split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValueError(_("奖项“%(line)s”应写成 名称 名额或比例，如 一等奖 2 或 一等奖 1/10", line=line.strip()))
        name, size = parts
        if size.isdigit():
            out.append((name[:20], int(size)))
            continue
        try:
            share = Fraction(size.replace("%", "/100") if size.endswith("%") else size)
        except (ValueError, ZeroDivisionError):
            share = None
        if share is None or not 0 < share <= 1:
            raise ValueError(_("奖项“%(name)s”的名额应为整数或 0 到 1 之间的比例，如 1/10", name=name))
        out.append((name[:20], str(share)))
    return out


class ItemForm(Form):
    name = StringField(_l("项目名称"), validators=[DataRequired(_l("请填写项目名称")), Length(max=100)])
    mode = SelectField(_l("比赛方式"), choices=[("onsite", _l("现场书写")), ("submission", _l("作品上交"))])
    requirement = TextAreaField(_l("比赛要求"), validators=[Optional(), Length(max=2000)])
    starts_at = DateTimeLocalField(_l("现场比赛开始"), format=LOCAL_FORMATS, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("现场比赛结束／作品上交截止"), format=LOCAL_FORMATS, validators=[Optional()])
    room = StringField(_l("比赛地点"), validators=[Optional(), Length(max=100)])
    text_title = StringField(_l("书写内容标题"), validators=[Optional(), Length(max=100)])
    text = TextAreaField(_l("书写内容（现场项目开赛时才向参赛者公布）"), validators=[Optional(), Length(max=2000)])
    allow_file = BooleanField(_l("可上传文件"))
    allow_link = BooleanField(_l("可提交作品链接"))
    extensions = StringField(_l("接受的文件类型（如 pdf、jpg）"), validators=[Optional(), Length(max=200)])
    max_mb = IntegerField(_l("文件大小上限（MB）"), default=10, validators=[
        Optional(), NumberRange(min=1, max=10, message=_l("文件大小上限应在 1 到 10 MB 之间"))])
    criteria = TextAreaField(_l("评分项及权重（每行一项，如 笔法 30）"),
                             validators=[DataRequired(_l("请至少设置一个评分项"))])
    bands = TextAreaField(_l("奖项（每行一项：名称 名额或比例，如 一等奖 1/10）"), validators=[Optional()])
    encouragement = StringField(_l("只发奖品不发证书的奖项"), default="鼓励奖", validators=[Optional(), Length(max=20)])

    def validate_criteria(self, field):
        try:
            field.parsed = parse_criteria(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if not field.parsed:
            raise ValidationError(_("请至少设置一个评分项"))

    def validate_bands(self, field):
        try:
            field.parsed = parse_bands(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class PhaseForm(Form):
    phase = StringField(validators=[DataRequired(_l("请选择阶段"))])


class ActionForm(Form):
    """A button that only needs the CSRF token (lock the marks)."""


class SubmissionForm(Form):
    file = FileField(_l("作品文件"))
    url = StringField(_l("或作品链接（网盘、视频地址）"), validators=[Optional(), Length(max=500)])
    note = StringField(_l("说明（可不填）"), validators=[Optional(), Length(max=200)])


class JudgeForm(Form):
    who = StringField(_l("评委的工号或用户名"), validators=[DataRequired(_l("请填写评委的工号或用户名"))])
