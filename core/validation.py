"""The bounds every input is held to, in one place: forms, the API, query strings and the CLI.

- Integers fit a 64-bit database column; money fits its column with room for sums; every number is finite.
- Dates and times lie between 1900 and 2100: a union's events, dues and hardship files, and nothing a
  time-zone conversion or a calendar feed cannot handle.
- Text carries no NUL and no control characters other than tab and line breaks (PostgreSQL refuses NUL,
  spreadsheets refuse the others, and nobody types them).

Forms derive from :class:`Form`, which checks its fields against these bounds after their own
validators. Every request's query string, form fields and JSON body are checked for control characters
before a view runs (:func:`init_app`). What slips past both (a number read by hand from a query string)
is caught by the app's error handler as a refusal, never a 500, with the transaction rolled back.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeField, DecimalField, FloatField, IntegerField, StringField

from core.errors import Invalid

DATABASE_INT = 2**63 - 1
MONEY_MAX = Decimal("99999999.99")
EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(2100, 12, 31, 23, 59, 59)

# C0 controls but tab, line feed and carriage return; DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same characters as JSON escapes (a raw control character is already invalid JSON).
_JSON_CONTROL = re.compile(rb"\\u00(?:[01][0-9a-fA-F]|7[fF])")
_JSON_ALLOWED = {b"\\u0009", b"\\u000a", b"\\u000A", b"\\u000d", b"\\u000D"}


def control_message() -> str:
    return _("内容含有不可见的控制字符，请删除后重试")


def range_message() -> str:
    return _("数值或日期超出允许的范围")


def date_message() -> str:
    return _("日期应在 1900 年到 2100 年之间")


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def clean_text(text: str, field: str | None = None) -> str:
    """``text`` unchanged, or :class:`Invalid` when it holds a control character."""
    if has_control(text):
        raise Invalid(control_message(), {field: control_message()} if field else None)
    return text


def in_date_range(value: date | datetime) -> bool:
    if isinstance(value, datetime):
        return EARLIEST <= value.replace(tzinfo=None) <= LATEST
    return EARLIEST.date() <= value <= LATEST.date()


def check_datetime(value, field: str | None = None):
    """``value`` (a date or datetime, or ``None``) unchanged, or :class:`Invalid` outside 1900–2100."""
    if value is not None and not in_date_range(value):
        raise Invalid(date_message(), {field: date_message()} if field else None)
    return value


def check_int(value: int, field: str | None = None, low: int = -DATABASE_INT, high: int = DATABASE_INT) -> int:
    if not low <= value <= high:
        raise Invalid(range_message(), {field: range_message()} if field else None)
    return value


def int_arg(name: str, default: int, low: int = 1, high: int = DATABASE_INT) -> int:
    """An integer from the query string, held within ``low``..``high``; text that is no integer gives the default."""
    raw = request.args.get(name, "")
    try:
        value = int(raw)
    except ValueError:
        return default
    return min(max(value, low), high)


def parse_decimal(text, field: str | None = None, high: Decimal = MONEY_MAX) -> Decimal:
    """A finite Decimal of at most ``high`` in size from user text (full-width digits and spaces allowed)."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        message = _("请输入数字")
        raise Invalid(message, {field: message} if field else None) from None
    if not value.is_finite() or abs(value) > high:
        raise Invalid(range_message(), {field: range_message()} if field else None)
    return value


def bad_json_number(value) -> bool:
    """Whether a parsed JSON body holds a number no column can store (too large, infinite or NaN)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > DATABASE_INT
    if isinstance(value, float):
        return not math.isfinite(value) or abs(value) > DATABASE_INT
    if isinstance(value, dict):
        return any(bad_json_number(v) for v in value.values())
    if isinstance(value, list):
        return any(bad_json_number(v) for v in value)
    return False


class Form(FlaskForm):
    """A form whose fields are also held to the bounds above, whatever validators they declare."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            message = _bound_error(field)
            if message:
                if not field.errors or message not in field.errors:
                    field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
                valid = False
        return valid


def _bound_error(field):
    data = field.data
    if isinstance(field, StringField) and isinstance(data, str):
        return _l("内容含有不可见的控制字符，请删除后重试") if has_control(data) else None
    if data is None:
        return None
    if isinstance(field, (DateTimeField, DateField)):
        return None if in_date_range(data) else _l("日期应在 1900 年到 2100 年之间")
    if isinstance(field, IntegerField):
        return None if -DATABASE_INT <= data <= DATABASE_INT else _l("数值或日期超出允许的范围")
    if isinstance(field, DecimalField):
        return None if data.is_finite() and abs(data) <= MONEY_MAX else _l("数值或日期超出允许的范围")
    if isinstance(field, FloatField):
        return None if math.isfinite(data) and abs(data) <= DATABASE_INT else _l("数值或日期超出允许的范围")
    return None


def _check_request_text() -> None:
    """Refuse a request whose query string, form fields or JSON body holds a control character.

    It runs before every request, the busiest sign-in path included, so it looks at the raw WSGI
    values first and parses only what is there (the JSON body it reads is cached for the view)."""
    environ = request.environ
    if environ.get("QUERY_STRING"):
        for key, value in request.args.items(multi=True):
            if has_control(value) or has_control(key):
                raise Invalid(control_message(), {key: control_message()})
    if environ.get("REQUEST_METHOD") not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type.startswith("application/json"):
        body = request.get_data(cache=True)
        if b"\x00" in body:
            raise Invalid(control_message())
        if b"\\u00" in body:
            for found in _JSON_CONTROL.finditer(body):
                if found.group() not in _JSON_ALLOWED:
                    raise Invalid(control_message())
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        for key, value in request.form.items(multi=True):
            if has_control(value):
                raise Invalid(control_message(), {key: control_message()})


def init_app(app: Flask) -> None:
    app.before_request(_check_request_text)
