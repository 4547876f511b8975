"""Excel in and out: sheets people download and templates they fill in."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from flask import Response
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.errors import Invalid

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence], text_columns: Iterable[int] = ()) -> bytes:
    """An xlsx file with a bold header row; ``text_columns`` (0-based) are stored as text (ID numbers)."""
    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31] or "Sheet1"
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    text_columns = set(text_columns)
    widths = [max(4, len(str(h)) * 2) for h in headers]
    for row in rows:
        values = []
        for index, value in enumerate(row):
            if isinstance(value, Decimal):
                value = float(value) if index not in text_columns else str(value)
            if index in text_columns and value is not None:
                value = str(value)
            values.append(value)
            if index < len(widths):
                widths[index] = min(60, max(widths[index], len(str(value or "")) + 2))
        ws.append(values)
        if text_columns:
            for index in text_columns:
                ws.cell(row=ws.max_row, column=index + 1).number_format = "@"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def workbook_response(filename: str, title: str, headers, rows, text_columns=()) -> Response:
    data = build_workbook(title, headers, rows, text_columns)
    response = Response(data, mimetype=XLSX_MIME)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def read_rows(data: bytes, required_headers: Sequence[str]) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read the first sheet of an uploaded xlsx as ``(headers, [(row_number, {header: value})])``.

    Raises :class:`core.errors.Invalid` with a clear message for a file that is not xlsx or lacks
    a required column.
    """
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise Invalid(_("文件不是有效的 Excel（.xlsx）文件")) from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header_row = next(rows)
        except StopIteration:
            raise Invalid(_("表格是空的")) from None
        headers = [str(h).strip() if h is not None else "" for h in header_row]
        missing = [h for h in required_headers if h not in headers]
        if missing:
            raise Invalid(_("表格缺少列：%(columns)s", columns="、".join(missing)))
        out = []
        for number, values in enumerate(rows, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            out.append((number, {h: values[i] if i < len(values) else None for i, h in enumerate(headers) if h}))
        return headers, out
    finally:
        wb.close()
