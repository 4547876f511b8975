"""Money in yuan: ``Decimal`` with two places, never ``float``.

Rules used everywhere in huodong:

* amounts are rounded to the fen (0.01) with ROUND_HALF_UP (四舍五入);
* an amount split into shares never loses or invents a fen: see :func:`split_yuan`;
* the Chinese capital form (财务大写) follows the rules of the 支付结算办法 used on
  cheques and payout sheets (奖金发放表): see :func:`to_capital`.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = ["CENT", "ZERO", "MoneyInput", "format_yuan", "split_yuan", "to_capital", "yuan"]

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

MoneyInput = int | str | Decimal

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_GROUP_UNITS = ((1000, "仟"), (100, "佰"), (10, "拾"), (1, ""))
_CAPITAL_LIMIT = 10**16  # up to 9999万亿; beyond that the 亿亿 form is not in use


def yuan(value: MoneyInput) -> Decimal:
    """Return ``value`` as yuan: a ``Decimal`` rounded to 0.01 with ROUND_HALF_UP.

    Accepts ``int``, ``Decimal`` and ``str`` (surrounding spaces, a leading ``¥`` and
    thousands separators are allowed, so ``format_yuan`` output reads back).
    ``float`` (and ``bool``) raise ``TypeError``: a float has already lost the fen.
    Text that is not a number, NaN and infinities raise ``ValueError``.
    """
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise TypeError(f"money must be int, str or Decimal, not {type(value).__name__}")
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        negative = text.startswith("-")
        if negative:
            text = text[1:]
        text = text.removeprefix("¥").removeprefix("￥").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not an amount of money: {value!r}") from None
        if negative:
            number = -number
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    try:
        rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"amount too large: {value!r}") from None
    return rounded if rounded else ZERO  # no "-0.00"


def split_yuan(total: MoneyInput, parts: int) -> tuple[Decimal, ...]:
    """Split ``total`` into ``parts`` shares that add up to ``total`` exactly.

    Every share is ``total / parts`` rounded down to the fen; the fen left over
    (fewer than ``parts``) go one each to the first shares, in the order the caller
    lists the payees. 100 over 3 gives 33.34, 33.33, 33.33. ``total`` must not be
    negative and ``parts`` must be at least 1.
    """
    amount = yuan(total)
    if parts < 1:
        raise ValueError("cannot split money into fewer than one share")
    if amount < 0:
        raise ValueError("cannot split a negative amount")
    base = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    left_over = int((amount - base * parts) / CENT)
    bigger = base + CENT
    return tuple(bigger if i < left_over else base for i in range(parts))


def format_yuan(amount: MoneyInput) -> str:
    """Format an amount as ``¥1,500.00`` (``-¥12.50`` when negative)."""
    value = yuan(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"


def _capital_group(number: int) -> str:
    """Capital form of 1..9999 without a leading 零."""
    out: list[str] = []
    pending_zero = False
    for size, unit in _GROUP_UNITS:
        digit = number // size % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_DIGITS[digit] + unit)
    return "".join(out)


def _capital_integer(number: int) -> str:
    """Capital form of a positive whole number of yuan (without 元)."""
    for size, name in ((10**8, "亿"), (10**4, "万")):
        if number >= size:
            high, low = divmod(number, size)
            text = _capital_integer(high) + name
            if low:
                # A gap inside the lower part's leading digits is read as one 零.
                if low < size // 10:
                    text += "零"
                text += _capital_integer(low)
            return text
    return _capital_group(number)


def to_capital(amount: MoneyInput) -> str:
    """Write an amount in Chinese capital figures as on a payout sheet (奖金发放表).

    ``250`` → ``人民币贰佰伍拾元整``, ``1005.30`` → ``人民币壹仟零伍元叁角整``,
    ``0.05`` → ``人民币伍分``, ``375000`` → ``人民币叁拾柒万伍仟元整``.

    Rules (支付结算办法 财务大写): 拾 is always written with its digit (壹拾);
    zeros between digits, also across 万 and 亿, are written as a single 零, trailing
    zeros of a section are not written; 整 follows 元 or 角 when there are no 分;
    when 角 is zero but 分 is not, 零 is written after 元 (``壹万陆仟肆佰零玖元零贰分``);
    an amount below one yuan starts with its 角 or 分; zero is ``人民币零元整``.
    The amount is first rounded with :func:`yuan`. Negative amounts and amounts of
    10^16 yuan or more raise ``ValueError``.
    """
    value = yuan(amount)
    if value < 0:
        raise ValueError("a payout amount cannot be negative")
    cents = int(value * 100)
    whole, rest = divmod(cents, 100)
    if whole >= _CAPITAL_LIMIT:
        raise ValueError("amount too large for the capital form")
    jiao, fen = divmod(rest, 10)
    parts = ["人民币"]
    if whole:
        parts.append(_capital_integer(whole) + "元")
    if not jiao and not fen:
        parts.append("整" if whole else "零元整")
        return "".join(parts)
    if jiao:
        parts.append(_DIGITS[jiao] + "角")
    elif whole:
        parts.append("零")
    parts.append(_DIGITS[fen] + "分" if fen else "整")
    return "".join(parts)
