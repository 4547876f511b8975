"""Reading values typed into forms or sent as JSON, collecting a message per bad field.

Every service takes a plain dict (from a form or an API body) and uses a :class:`Fields` reader:
the first bad value of each field is remembered and :meth:`Fields.check` raises one
:class:`core.errors.Invalid` naming them all, so nothing is written from half-good input.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _

from core.errors import Invalid
from plugins.warmth.money import parse_money

_TRUE = {"1", "true", "on", "yes", "y", "是"}


class Fields:
    def __init__(self, data: dict | None):
        self.data = dict(data or {})
        self.errors: dict[str, str] = {}

    def raw(self, name: str):
        value = self.data.get(name)
        return value.strip() if isinstance(value, str) else value

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str, label: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self.raw(name)
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.fail(name, _("请填写%(label)s", label=label))
        elif len(value) > max_length:
            self.fail(name, _("%(label)s不能超过 %(n)s 个字", label=label, n=max_length))
        return value

    def integer(self, name: str, label: str, *, required: bool = False, minimum: int | None = None,
                maximum: int | None = None, default: int | None = None) -> int | None:
        value = self.raw(name)
        if value in (None, ""):
            if required:
                self.fail(name, _("请填写%(label)s", label=label))
            return default
        if isinstance(value, bool):
            self.fail(name, _("%(label)s应为整数", label=label))
            return default
        try:
            number = int(str(value).strip())
        except ValueError:
            self.fail(name, _("%(label)s应为整数", label=label))
            return default
        if minimum is not None and number < minimum:
            self.fail(name, _("%(label)s不能小于 %(n)s", label=label, n=minimum))
        if maximum is not None and number > maximum:
            self.fail(name, _("%(label)s不能大于 %(n)s", label=label, n=maximum))
        return number

    def money(self, name: str, label: str, *, required: bool = False, positive: bool = False) -> Decimal:
        value = self.raw(name)
        if value in (None, ""):
            if required:
                self.fail(name, _("请填写%(label)s", label=label))
            return Decimal("0.00")
        if isinstance(value, float):
            value = str(value)
        try:
            amount = parse_money(value, label)
        except (TypeError, ValueError):
            self.fail(name, _("%(label)s应为不小于 0、最多两位小数的金额", label=label))
            return Decimal("0.00")
        if positive and amount <= 0:
            self.fail(name, _("%(label)s应大于 0", label=label))
        return amount

    def ratio(self, name: str, label: str, *, required: bool = True) -> Decimal | None:
        value = self.raw(name)
        if value in (None, ""):
            if required:
                self.fail(name, _("请填写%(label)s", label=label))
            return None
        text = str(value).strip()
        percent = text.endswith("%")
        try:
            number = Decimal(text.rstrip("%").strip())
        except ArithmeticError:
            self.fail(name, _("%(label)s应为数字", label=label))
            return None
        if not number.is_finite():
            self.fail(name, _("%(label)s应为数字", label=label))
            return None
        return number / 100 if percent else number

    def date(self, name: str, label: str, *, required: bool = False, default: dt.date | None = None):
        value = self.raw(name)
        if value in (None, ""):
            if required:
                self.fail(name, _("请填写%(label)s", label=label))
            return default
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            self.fail(name, _("%(label)s应为日期，如 2025-01-20", label=label))
            return default

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).strip().lower() in _TRUE

    def choice(self, name: str, label: str, choices: dict, *, required: bool = True) -> str | None:
        value = self.raw(name)
        if value in (None, ""):
            if required:
                self.fail(name, _("请选择%(label)s", label=label))
            return None
        if value not in choices:
            self.fail(name, _("%(label)s的取值无效", label=label))
            return None
        return value

    def check(self) -> None:
        if self.errors:
            detail = "；".join(self.errors.values())
            raise Invalid(_("提交的数据有误：%(detail)s", detail=detail), dict(self.errors))
