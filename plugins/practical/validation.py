"""Small checks shared by the programme's services; each raises :class:`core.errors.Invalid`
with a message naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from core.errors import Invalid
from core.money import yuan


def text(data: dict, key: str, label: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = data.get(key)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise Invalid(_("请填写%(label)s", label=label), {key: _("必填")})
    if max_length and len(value) > max_length:
        raise Invalid(_("%(label)s不能超过 %(n)s 个字", label=label, n=max_length), {key: _("太长")})
    return value


def count(data: dict, key: str, label: str) -> int:
    value = data.get(key)
    if value in (None, ""):
        return 0
    try:
        number = int(str(value).strip())
    except ValueError:
        raise Invalid(_("%(label)s应为整数", label=label), {key: _("应为整数")}) from None
    if number < 0:
        raise Invalid(_("%(label)s不能为负数", label=label), {key: _("不能为负数")})
    return number


def money(data: dict, key: str, label: str) -> Decimal:
    value = data.get(key)
    if value in (None, ""):
        return Decimal("0.00")
    if isinstance(value, float):
        value = str(value)
    try:
        amount = yuan(Decimal(str(value).strip().replace(",", "")))
    except (InvalidOperation, ValueError):
        raise Invalid(_("%(label)s应为金额（元），如 375000.00", label=label), {key: _("应为金额")}) from None
    if amount < 0:
        raise Invalid(_("%(label)s不能为负数", label=label), {key: _("不能为负数")})
    return amount


def day(data: dict, key: str, label: str, *, required: bool = True) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            raise Invalid(_("请填写%(label)s", label=label), {key: _("必填")})
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(_("%(label)s应为日期，如 2024-05-26", label=label), {key: _("日期格式不正确")}) from None


def year(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Invalid(_("年份应为整数"), {"year": _("应为整数")}) from None
    if not 2000 <= number <= 2100:
        raise Invalid(_("年份应在 2000 到 2100 之间"), {"year": _("超出范围")})
    return number
