"""WTForms forms of the core pages. Messages are explicit so that they read right in Chinese."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from core import privacy
from core.validation import Form

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LoginForm(Form):
    username = StringField(_l("用户名"), validators=[DataRequired(_l("请填写用户名"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(_l("请填写密码"))])


class EventForm(Form):
    title = StringField(_l("活动名称"), validators=[DataRequired(_l("请填写活动名称")), Length(max=200)])
    unit = SelectField(_l("主办单位"), coerce=int)
    venue = StringField(_l("地点"), validators=[Optional(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("开始时间"), format=LOCAL_FORMATS,
                                   validators=[DataRequired(_l("请填写开始时间"))])
    ends_at = DateTimeLocalField(_l("结束时间"), format=LOCAL_FORMATS,
                                 validators=[DataRequired(_l("请填写结束时间"))])
    all_day = BooleanField(_l("全天活动"))
    registration_opens_at = DateTimeLocalField(_l("报名开始"), format=LOCAL_FORMATS, validators=[Optional()])
    registration_closes_at = DateTimeLocalField(_l("报名截止"), format=LOCAL_FORMATS, validators=[Optional()])
    capacity = IntegerField(_l("名额（留空为不限）"), validators=[
        Optional(), NumberRange(min=0, message=_l("名额不能为负数"))])
    fee = DecimalField(_l("每人费用（元）"), places=2, validators=[
        Optional(), NumberRange(min=0, message=_l("费用不能为负数"))])
    reminder_minutes = IntegerField(_l("日历提醒（提前分钟）"), validators=[
        Optional(), NumberRange(min=0, max=10080, message=_l("提醒时间应在 0 到 10080 分钟之间"))])
    description = TextAreaField(_l("活动说明"), validators=[Optional()])

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data < self.starts_at.data:
            raise ValidationError(_l("结束时间不能早于开始时间"))

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data < opens:
            raise ValidationError(_l("报名截止时间不能早于报名开始时间"))


class UnitForm(Form):
    name = StringField(_l("名称"), validators=[DataRequired(_l("请填写名称")), Length(max=100)])
    kind = SelectField(_l("类别"))
    parent = SelectField(_l("上级"), coerce=int)


class MemberForm(Form):
    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名")), Length(max=50)])
    gender = SelectField(_l("性别"), choices=[("M", _l("男")), ("F", _l("女"))])
    staff_no = StringField(_l("工号"), validators=[DataRequired(_l("请填写工号")), Length(max=40)])
    unit = SelectField(_l("所在单位"), coerce=int)
    phone = StringField(_l("手机号"), validators=[Optional()])
    id_number = StringField(_l("身份证号"), validators=[Optional()])
    job = StringField(_l("岗位"), validators=[Optional(), Length(max=50)])
    dues_paid_until = DateField(_l("会费缴至"), validators=[Optional()])

    def validate_phone(self, field):
        if field.data and not privacy.is_valid_phone(field.data):
            raise ValidationError(_l("手机号应为11位数字，以1开头"))

    def validate_id_number(self, field):
        if field.data:
            try:
                privacy.normalize_id_number(field.data)
            except privacy.InvalidIdNumber as exc:
                raise ValidationError(str(exc)) from None


class RosterUploadForm(Form):
    file = FileField(_l("名册文件（.xlsx）"), validators=[FileRequired(_l("请选择要上传的名册文件"))])


class PasswordForm(Form):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(_l("请填写当前密码"))])
    new = PasswordField(_l("新密码"), validators=[DataRequired(_l("请填写新密码")),
                                                Length(min=8, message=_l("密码至少 8 位"))])
    confirm = PasswordField(_l("再次输入新密码"), validators=[DataRequired(_l("请再次输入新密码"))])

    def validate_confirm(self, field):
        if self.new.data and field.data != self.new.data:
            raise ValidationError(_l("两次输入的新密码不一致"))


class LanguageForm(Form):
    language = SelectField(_l("界面语言"))


class TokenForm(Form):
    name = StringField(_l("令牌用途"), validators=[DataRequired(_l("请填写令牌用途，例如“签到机”")),
                                                 Length(max=60, message=_l("用途最多 60 个字"))])


class ActivateForm(Form):
    """A member activates his own account with what the union already holds about him."""

    staff_no = StringField(_l("工号"), validators=[DataRequired(_l("请填写工号")), Length(max=40)])
    last_four = StringField(_l("身份证号或手机号后四位"), validators=[
        DataRequired(_l("请填写身份证号或手机号后四位")), Length(min=4, max=4, message=_l("请填写 4 位"))])
    password = PasswordField(_l("设置密码"), validators=[DataRequired(_l("请设置密码")),
                                                        Length(min=8, max=128, message=_l("密码至少 8 位"))])
    confirm = PasswordField(_l("再次输入密码"), validators=[DataRequired(_l("请再次输入密码"))])


class ForgotForm(Form):
    """A member who forgot his password asks for a reset link at his verified mail address."""

    identifier = StringField(_l("用户名或工号"), validators=[DataRequired(_l("请填写用户名或工号")), Length(max=60)])


class CodeForm(Form):
    """A member uses the one-time code of his slip (activation or reset) to choose his password."""

    code = StringField(_l("激活码"), validators=[DataRequired(_l("请填写激活码")), Length(max=20)])
    password = PasswordField(_l("设置密码"), validators=[DataRequired(_l("请设置密码")),
                                                        Length(min=8, max=128, message=_l("密码至少 8 位"))])
    confirm = PasswordField(_l("再次输入密码"), validators=[DataRequired(_l("请再次输入密码"))])


class OpenAccountsForm(Form):
    unit = SelectField(_l("单位（含下级）"), coerce=int)
