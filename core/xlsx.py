"""Excel in and out: sheets people download and templates they fill in."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from itertools import chain, islice
from typing import BinaryIO
from urllib.parse import quote

from flask import Response, request
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from werkzeug.wsgi import wrap_file

from core import xlsx_reader
from core.errors import Invalid

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_CHARS = 32_767


def clean_text(value: str) -> str:
    """``value`` without the control characters an xlsx file cannot hold, cut to Excel's 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_CHARS]


def safe_value(value):
    """``value`` as it may go into a cell: text cleaned (:func:`clean_text`), anything else unchanged."""
    return clean_text(value) if isinstance(value, str) else value


def _looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write(cell, value) -> None:
    """Put ``value`` into an openpyxl ``cell`` so that it can never be a formula.

    Text that a spreadsheet would take for a formula (starting with ``= + - @``, a tab or a CR, the
    OWASP list) is stored as a plain string cell (``t="inlineStr"``, never ``<f>``) and styled
    ``quotePrefix`` (the flag a spreadsheet sets for text typed after an apostrophe, so that editing the
    cell keeps it text); the value itself is unchanged, no apostrophe added. LibreOffice converting
    such a file to CSV gives the text, where it evaluates a formula cell.
    """
    value = safe_value(value)
    cell.value = value
    if _looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def cell(ws, value, **style):
    """A cell for ``ws.append`` (write-only or not) holding ``value`` safely, with openpyxl style
    attributes (``font=``, ``fill=``, ``alignment=``, ``number_format=``); a plain value when it
    needs neither style nor protection."""
    value = safe_value(value)
    if not style and not _looks_like_formula(value):
        return value
    out = WriteOnlyCell(ws)
    for name, setting in style.items():
        setattr(out, name, setting)
    write(out, value)
    return out


def append(ws, values: Iterable, **style) -> None:
    """``ws.append(values)`` with every value written by :func:`cell` (and ``style`` on every cell)."""
    ws.append([cell(ws, value, **style) for value in values])


def header_row(ws, headers: Iterable) -> None:
    """The bold, filled, centred header row of every sheet the app writes."""
    append(ws, headers, font=Font(bold=True), fill=HEADER_FILL, alignment=Alignment(horizontal="center"))


WIDTH_SAMPLE = 1000  # rows whose lengths set the column widths (a streamed sheet fixes them before row 1)
MONEY_FORMAT = "#,##0.00"
CENT = Decimal("0.01")


def write_workbook(target, title: str, headers: Sequence[str], rows: Iterable[Sequence],
                   text_columns: Iterable[int] = ()) -> None:
    """Write an xlsx sheet with a bold header row to ``target`` (a path or a binary file).

    ``rows`` may be any iterable, a generator reading the database in pieces included: the sheet
    is written in openpyxl's write-only mode, row after row, so time grows with the rows and
    memory does not. Column widths come from the headers and the first :data:`WIDTH_SAMPLE` rows.
    ``text_columns`` (0-based) are stored as text (ID numbers, phones); an amount in whole cents
    shows two decimals; no text can become a formula (:func:`write`).
    """
    text_columns = frozenset(text_columns)
    rows = (_prepared(row, text_columns) for row in rows)
    sample = list(islice(rows, WIDTH_SAMPLE))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31] or "Sheet1")
    for index, width in enumerate(column_widths(headers, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    header_row(ws, headers)
    for values in chain(sample, rows):
        ws.append([_data_cell(ws, value, index in text_columns) for index, value in enumerate(values)])
    wb.save(target)


def _prepared(row: Sequence, text_columns: frozenset) -> list:
    """A row's values as they go into cells: text columns as text, text cleaned (:func:`safe_value`)."""
    values = []
    for index, value in enumerate(row):
        if index in text_columns and value is not None:
            value = str(value)
        values.append(safe_value(value))
    return values


def _data_cell(ws, value, as_text: bool):
    if as_text:
        return cell(ws, value, number_format="@")
    if isinstance(value, Decimal):
        in_cents = value.is_finite() and value == value.quantize(CENT)
        return cell(ws, float(value), number_format=MONEY_FORMAT) if in_cents else float(value)
    return cell(ws, value)


def column_widths(headers: Sequence[str], rows: Iterable[Sequence]) -> list[int]:
    """Widths that fit the headers and ``rows`` (two units a header character, at most 60)."""
    widths = [max(4, len(str(h)) * 2) for h in headers]
    for row in rows:
        for index, value in enumerate(row[:len(widths)]):
            widths[index] = min(60, max(widths[index], len(str(value if value is not None else "")) + 2))
    return widths


def build_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence], text_columns: Iterable[int] = ()) -> bytes:
    """:func:`write_workbook`'s sheet as bytes (small sheets; a download goes through :func:`workbook_response`)."""
    buf = io.BytesIO()
    write_workbook(buf, title, headers, rows, text_columns)
    return buf.getvalue()


def workbook_response(filename: str, title: str, headers, rows, text_columns=()) -> Response:
    """A download of :func:`write_workbook`'s sheet, written to a temporary file and sent from it."""
    return file_response(spooled(lambda file: write_workbook(file, title, headers, rows, text_columns)), filename)


def spooled(write: Callable[[BinaryIO], None]) -> BinaryIO:
    """A temporary file (gone once closed) holding what ``write(file)`` wrote into it."""
    file = tempfile.TemporaryFile(prefix="huodong-xlsx-")
    try:
        write(file)
    except BaseException:
        file.close()
        raise
    return file


def file_response(data, filename: str, mimetype: str = XLSX_MIME) -> Response:
    """A download named ``filename`` (Chinese names kept, RFC 5987) of ``data``: bytes, or a binary
    file that is sent in pieces from its start and closed when the answer is done."""
    if isinstance(data, bytes | bytearray):
        response = Response(data, mimetype=mimetype)
    else:
        length = data.seek(0, io.SEEK_END)
        data.seek(0)
        response = Response(wrap_file(request.environ, data), mimetype=mimetype, direct_passthrough=True)
        response.content_length = length
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def read_rows(data: bytes, required_headers: Sequence[str], *, aliases: dict[str, str] | None = None,
              max_rows: int | None = None, header_search: int = 10) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read the first sheet of an uploaded xlsx as ``(headers, [(row_number, {header: value})])``.

    The header row is the first of the top ``header_search`` rows that holds every required header,
    so a title row above it (常见的"XX学校教职工名册") does no harm. ``aliases`` maps other spellings of
    a header to the one the caller uses (手机 -> 手机号). Blank rows are skipped; row numbers are the
    sheet's own, as the user sees them in Excel.

    Raises :class:`core.errors.Invalid` with a clear message for a file that is not xlsx, is empty,
    lacks a required column or has more than ``max_rows`` rows.
    """
    if not data:
        raise Invalid(_("文件是空的"))
    not_xlsx = _("文件不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后再上传")
    if not data.startswith(b"PK"):
        raise Invalid(not_xlsx)
    rows = None
    aliases = aliases or {}
    try:
        rows = xlsx_reader.iter_rows(data)
        headers = None
        first_seen = None
        header_number = 0
        for header_number, values in rows:
            names = [_header(v, aliases) for v in values]
            if first_seen is None and any(names):
                first_seen = names
            if all(h in names for h in required_headers):
                headers = names
                break
            if header_number >= header_search:
                break
        if headers is None:
            if first_seen is None:
                raise Invalid(_("表格是空的"))
            missing = [h for h in required_headers if h not in first_seen]
            raise Invalid(_("表格缺少列：%(columns)s", columns="、".join(missing)))
        out = []
        for number, values in rows:
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            if max_rows is not None and len(out) >= max_rows:
                raise Invalid(_("表格超过 %(max)s 行，请分成几个文件导入", max=max_rows))
            out.append((number, {h: values[i] if i < len(values) else None for i, h in enumerate(headers) if h}))
        return headers, out
    except xlsx_reader.TooLarge as exc:
        raise Invalid(too_large_message(exc)) from None
    except xlsx_reader.NotAWorkbook:
        raise Invalid(not_xlsx) from None
    finally:
        if rows is not None:
            rows.close()  # an early refusal leaves the parser and its buffers to the collector at once


def too_large_message(exc: xlsx_reader.TooLarge) -> str:
    """The Chinese message for a workbook refused by one of :class:`core.xlsx_reader.Limits`, naming the limit."""
    mb = exc.maximum // (1024 * 1024)
    messages = {
        "uncompressed_bytes": lambda: _("表格解压后超过 %(mb)s MB，请删去无关的工作表、图片和格式后再上传", mb=mb),
        "entries": lambda: _("文件中的部件超过 %(max)s 个，不像是正常的 Excel 表格", max=exc.maximum),
        "rows": lambda: _("表格超过 %(max)s 行（空行也算），请删去多余的行或分成几个文件上传", max=exc.maximum),
        "cells": lambda: _("表格的单元格超过 %(max)s 个，请删去多余的行和列后再上传", max=exc.maximum),
        "shared_strings": lambda: _("表格中不同的文字超过 %(max)s 条，请分成几个文件上传", max=exc.maximum),
        "shared_chars": lambda: _("表格中的文字超过 %(max)s 个字符，请分成几个文件上传", max=exc.maximum),
        "cell_chars": lambda: _("表格中有单元格超过 %(max)s 个字符", max=exc.maximum),
        "token_bytes": lambda: _("表格中有一段内容超过 %(mb)s MB，无法读取", mb=mb),
        "formats": lambda: _("表格的单元格格式超过 %(max)s 种，请清除格式后再上传", max=exc.maximum),
    }
    return messages[exc.limit]()


def _header(value, aliases: dict[str, str]) -> str:
    text = "".join(str(value).split()) if value is not None else ""
    return aliases.get(text, text)
