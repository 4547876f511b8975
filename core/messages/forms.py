"""Forms of the message pages: a member's channels, an organizer's notice to an event's registrants."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from core.validation import Form


class ChannelsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class PreferencesForm(Form):
    email = EmailField(_l("电子邮箱"), validators=[Optional(), Length(max=254),
                                                   Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                                          message=_l("请填写有效的电子邮箱地址"))])
    channels = ChannelsField(_l("除站内信外，也通过以下方式通知我"), choices=[])


class BroadcastForm(Form):
    title = StringField(_l("标题"), validators=[DataRequired(_l("请填写标题")), Length(max=100)])
    text = TextAreaField(_l("内容"), validators=[DataRequired(_l("请填写内容")), Length(max=2000)])


class UnitNoticeForm(BroadcastForm):
    unit = SelectField(_l("发给"), coerce=int, validators=[DataRequired(_l("请选择单位"))])
