"""Forms of the sign-in pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, FloatField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.forms import LOCAL_FORMATS
from core.validation import Form


class CheckpointForm(Form):
    key = StringField(_l("代码（英文字母、数字）"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("签到点名称"), validators=[DataRequired(_l("请填写签到点名称")), Length(max=100)])
    place = StringField(_l("地点（如学校东门）"), validators=[Optional(), Length(max=100)])
    item = SelectField(_l("只签到此项目的报名者"), coerce=int, default=0)
    opens_at = DateTimeLocalField(_l("签到开始（留空为开始前 30 分钟）"), format=LOCAL_FORMATS, validators=[Optional()])
    starts_at = DateTimeLocalField(_l("开始时间（此后签到算迟到）"), format=LOCAL_FORMATS, validators=[Optional()])
    grace_minutes = IntegerField(_l("迟到宽限（分钟）"), default=0, validators=[
        Optional(), NumberRange(min=0, max=240, message=_l("宽限应在 0 到 240 分钟之间"))])
    closes_at = DateTimeLocalField(_l("签到截止（留空为结束时间）"), format=LOCAL_FORMATS, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("结束时间（此前签退算早退）"), format=LOCAL_FORMATS, validators=[Optional()])
    sign_out = BooleanField(_l("需要签退"))
    self_sign_in = BooleanField(_l("允许扫现场二维码自助签到"), default=True)
    rotate_seconds = IntegerField(_l("现场二维码刷新间隔（秒）"), default=30, validators=[
        Optional(), NumberRange(min=10, max=600, message=_l("刷新间隔应在 10 到 600 秒之间"))])
    sort = IntegerField(_l("排序"), default=0, validators=[Optional()])
    latitude = FloatField(_l("签到位置纬度（留空为不限位置）"), validators=[Optional()])
    longitude = FloatField(_l("签到位置经度"), validators=[Optional()])
    radius_m = IntegerField(_l("签到范围（米）"), default=300, validators=[
        Optional(), NumberRange(min=100, max=3000, message=_l("签到范围应在 100 到 3000 米之间"))])
