"""Money and ratio helpers for the 送温暖 engine: Decimal only, two places, never float."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

MoneyInput = Decimal | int | str
"""What a form may hand over for an amount: a Decimal, an int or text such as "3,000.50 元"."""


def to_money(value: Decimal, label: str) -> Decimal:
    """Return ``value`` rounded half up to two places after checking it is a finite Decimal ≥ 0.

    ``label`` is the Chinese name of the figure, used in error messages.
    Floats are refused outright: money in this engine is never binary floating point.
    """
    if isinstance(value, float):
        raise TypeError(
            f'{label}不能使用浮点数，请使用 Decimal（如 Decimal("760.00")）'
        )
    if not isinstance(value, Decimal):
        raise TypeError(f"{label}必须是 Decimal 类型，收到 {type(value).__name__}")
    if not value.is_finite():
        raise ValueError(f"{label}必须是有限的数值")
    if value < 0:
        raise ValueError(f"{label}不能为负数：{value}")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(value: MoneyInput, label: str) -> Decimal:
    """Parse an amount typed into a form (e.g. "3,000.50 元", "３０００") into a two-place Decimal.

    Accepts Decimal, int or text; refuses float, negative amounts and more than two
    decimal places, with a Chinese message naming the field.
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"{label}不能使用浮点数或布尔值")
    if isinstance(value, int):
        return to_money(Decimal(value), label)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        text = text.removesuffix("元").strip().replace(",", "").replace(" ", "")
        if not text:
            raise ValueError(f"请填写{label}")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{label}“{value}”不是有效的金额") from None
    else:
        raise TypeError(f"{label}必须是金额，收到 {type(value).__name__}")
    if not amount.is_finite():
        raise ValueError(f"{label}“{value}”不是有效的金额")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(f"{label}最多保留两位小数：{value}")
    return to_money(amount, label)


def fmt_money(amount: Decimal) -> str:
    """Format an amount as yuan with two places, e.g. ``760.00``."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):f}"


def fmt_number(value: Decimal) -> str:
    """Format a multiple without trailing zeros or exponent, e.g. ``1.5`` or ``2``."""
    text = f"{value.normalize():f}"
    return text


def fmt_percent(share: Decimal) -> str:
    """Format a share as a percentage, e.g. ``Decimal("0.5")`` → ``50%``, ``0.333`` → ``33.3%``."""
    return f"{fmt_number(share * 100)}%"
