"""Field types shared by core and plugin models."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import peewee

from core import privacy


class JSONField(peewee.TextField):
    """A dict or list stored as JSON text (portable across SQLite and PostgreSQL)."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class MoneyField(peewee.DecimalField):
    """Yuan with two decimal places, always a :class:`~decimal.Decimal`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("auto_round", True)
        kwargs.setdefault("default", Decimal("0.00"))
        kwargs.setdefault("rounding", ROUND_HALF_UP)
        super().__init__(*args, **kwargs)

    def db_value(self, value):
        if isinstance(value, float):
            raise TypeError("金额不能使用浮点数")
        return super().db_value(value)


class EncryptedField(peewee.TextField):
    """Text encrypted at rest with the instance's data key; decrypted on read."""

    def db_value(self, value):
        return privacy.encrypt(value)

    def python_value(self, value):
        return privacy.decrypt(value)
