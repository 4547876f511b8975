"""Money helpers: rounding, splitting, ¥ formatting and the capital form (财务大写)."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.money import format_yuan, split_yuan, to_capital, yuan

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0.00"),
        (1, "1.00"),
        (50, "50.00"),
        ("25", "25.00"),
        ("2.675", "2.68"),  # half up, not banker's rounding
        ("2.665", "2.67"),
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        (D("1.005"), "1.01"),
        (D("-1.005"), "-1.01"),
        ("-0.001", "0.00"),  # never "-0.00"
        (" 12.5 ", "12.50"),
        ("¥1,500.00", "1500.00"),
        ("-¥12.50", "-12.50"),
        ("375000", "375000.00"),
    ],
)
def test_yuan_rounds_half_up_to_the_fen(value, expected):
    result = yuan(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize("value", [1.5, 0.1, True, None, [1]])
def test_yuan_refuses_float_and_other_types(value):
    with pytest.raises(TypeError):
        yuan(value)


@pytest.mark.parametrize("value", ["", "abc", "1.2.3", "NaN", "Infinity", D("NaN")])
def test_yuan_refuses_text_that_is_not_money(value):
    with pytest.raises(ValueError):
        yuan(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1500, "¥1,500.00"),
        (0, "¥0.00"),
        (D("1234567.891"), "¥1,234,567.89"),
        ("25", "¥25.00"),
        (D("-12.5"), "-¥12.50"),
        (375000, "¥375,000.00"),
    ],
)
def test_format_yuan(value, expected):
    assert format_yuan(value) == expected
    assert yuan(format_yuan(value)) == yuan(value)


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        (100, 3, ["33.34", "33.33", "33.33"]),
        (260, 6, ["43.34", "43.34", "43.33", "43.33", "43.33", "43.33"]),
        (300, 5, ["60.00"] * 5),
        ("0.01", 3, ["0.01", "0.00", "0.00"]),
        (0, 2, ["0.00", "0.00"]),
        (30, 1, ["30.00"]),
    ],
)
def test_split_yuan_hands_out_every_fen(total, parts, expected):
    shares = split_yuan(total, parts)
    assert [str(s) for s in shares] == expected
    assert sum(shares) == yuan(total)


def test_split_yuan_refuses_bad_input():
    with pytest.raises(ValueError):
        split_yuan(10, 0)
    with pytest.raises(ValueError):
        split_yuan(-10, 2)
    with pytest.raises(TypeError):
        split_yuan(10.0, 2)


# Each case below was written out by hand from the 支付结算办法 rules.
CAPITAL_CASES = [
    (0, "人民币零元整"),
    ("0.05", "人民币伍分"),
    ("0.1", "人民币壹角整"),
    ("0.5", "人民币伍角整"),
    ("0.35", "人民币叁角伍分"),
    (1, "人民币壹元整"),
    ("1.05", "人民币壹元零伍分"),
    (10, "人民币壹拾元整"),
    (15, "人民币壹拾伍元整"),
    (20, "人民币贰拾元整"),
    (25, "人民币贰拾伍元整"),
    (50, "人民币伍拾元整"),
    (100, "人民币壹佰元整"),
    (101, "人民币壹佰零壹元整"),
    (110, "人民币壹佰壹拾元整"),
    (250, "人民币贰佰伍拾元整"),
    (260, "人民币贰佰陆拾元整"),
    (290, "人民币贰佰玖拾元整"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    (1000, "人民币壹仟元整"),
    (1001, "人民币壹仟零壹元整"),
    (1010, "人民币壹仟零壹拾元整"),
    ("1005.30", "人民币壹仟零伍元叁角整"),
    (1500, "人民币壹仟伍佰元整"),
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
    (6750, "人民币陆仟柒佰伍拾元整"),
    (10000, "人民币壹万元整"),
    (10001, "人民币壹万零壹元整"),
    (10010, "人民币壹万零壹拾元整"),
    (10100, "人民币壹万零壹佰元整"),
    (11000, "人民币壹万壹仟元整"),
    ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
    (100000, "人民币壹拾万元整"),
    (100500, "人民币壹拾万零伍佰元整"),
    ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
    (375000, "人民币叁拾柒万伍仟元整"),
    (400000, "人民币肆拾万元整"),
    (1000000, "人民币壹佰万元整"),
    (1010000, "人民币壹佰零壹万元整"),
    (2000500, "人民币贰佰万零伍佰元整"),
    (10000000, "人民币壹仟万元整"),
    (100000000, "人民币壹亿元整"),
    (100000001, "人民币壹亿零壹元整"),
    (100010000, "人民币壹亿零壹万元整"),
    (110000000, "人民币壹亿壹仟万元整"),
    (1000500000, "人民币壹拾亿零伍拾万元整"),
    ("123456789.12", "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分"),
    (10**12, "人民币壹万亿元整"),
    (10**12 + 1, "人民币壹万亿零壹元整"),
    ("0.005", "人民币壹分"),  # rounded half up first
]


@pytest.mark.parametrize(("amount", "expected"), CAPITAL_CASES)
def test_to_capital(amount, expected):
    assert to_capital(amount) == expected


def test_to_capital_refuses_negative_float_and_huge():
    with pytest.raises(ValueError):
        to_capital(-1)
    with pytest.raises(ValueError):
        to_capital(10**16)
    with pytest.raises(TypeError):
        to_capital(250.0)


# An independent reader of the capital form, for the round-trip property.
_DIGIT = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
_SMALL = {"拾": 10, "佰": 100, "仟": 1000}


def _read_capital(text: str) -> Decimal:
    assert text.startswith("人民币")
    body = text.removeprefix("人民币")
    fen = 0
    if "元" in body:
        whole_text, body = body.split("元", 1)
    else:
        whole_text = ""
    body = body.removesuffix("整").lstrip("零")
    m = re.fullmatch(r"(?:(.)角)?(?:(.)分)?", body)
    assert m, text
    if m.group(1):
        fen += 10 * _DIGIT[m.group(1)]
    if m.group(2):
        fen += _DIGIT[m.group(2)]
    total = section = digit = 0
    for ch in whole_text:
        if ch in _DIGIT:
            digit = _DIGIT[ch]
        elif ch in _SMALL:
            section += digit * _SMALL[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    total += section + digit
    return Decimal(total) + Decimal(fen) / 100


@given(st.integers(min_value=1, max_value=10**14 - 1))
def test_capital_reads_back_and_follows_the_zero_rules(cents):
    amount = Decimal(cents) / 100
    text = to_capital(amount)
    assert _read_capital(text) == amount
    assert "零零" not in text
    assert not re.search(r"零[元万亿角]", text)
    assert "拾" not in text or not re.search(r"(^人民币|[万亿零])拾", text)  # always 壹拾
    assert text.endswith(("整", "分"))
    assert ("分" in text) != text.endswith("整")


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, places=4))
def test_yuan_is_two_places_and_close(value):
    result = yuan(value)
    assert result.as_tuple().exponent == -2
    assert abs(result - value) <= Decimal("0.005")
