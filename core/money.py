"""Money: yuan as Decimal with two places."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def yuan(value) -> Decimal:
    if isinstance(value, float):
        raise TypeError("金额不能使用浮点数")
    return Decimal(str(value) if not isinstance(value, Decimal) else value).quantize(CENT, ROUND_HALF_UP)


def format_yuan(value) -> str:
    if value is None:
        return ""
    return f"¥{yuan(value):,.2f}"
