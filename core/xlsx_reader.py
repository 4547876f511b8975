"""Reading the first worksheet of an xlsx file straight from its XML, row by row.

openpyxl builds an object per cell even in read-only mode, which makes reading a 10,000-row
roster the slowest part of importing it. This reader walks the sheet's XML once with the
standard library's parser and gives the cell values openpyxl's ``values_only`` would: shared
and inline strings, numbers (int unless written with a point or an exponent), booleans, dates (cells styled with a date format),
the cached results of formulas. Namespaces are ignored, so Strict OOXML files read too.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from datetime import datetime
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
STRICT_REL_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


class NotAWorkbook(ValueError):
    """The bytes are not an xlsx workbook (not a zip, or a zip without a worksheet)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column(ref: str) -> int:
    """0-based column of a cell reference such as ``AB12``."""
    index = 0
    for ch in ref:
        if ch.isdigit():
            break
        index = index * 26 + (ord(ch.upper()) - 64)
    return index - 1


def _text_of(element) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>``, or its runs' ``<t>``, without phonetic guides."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


class _Workbook:
    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError):
            raise NotAWorkbook("not a zip file") from None
        self.names = set(self.zip.namelist())
        self.sheet, self.shared_path, self.styles_path = self._parts()

    def _rels(self, path: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(path)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        out = {}
        if rels in self.names:
            for _event, el in iterparse(self.zip.open(rels)):
                if _local(el.tag) == "Relationship":
                    target = el.get("Target", "")
                    target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                        posixpath.join(folder, target))
                    out[el.get("Id")] = (el.get("Type", "").rsplit("/", 1)[-1], target)
        return out

    def _parts(self):
        workbook = next((n for n in ("xl/workbook.xml",) if n in self.names), None)
        if workbook is None:
            main = self._rels("")  # _rels/.rels names the workbook part
            workbook = next((t for kind, t in main.values() if kind == "officeDocument"), None)
        if workbook is None or workbook not in self.names:
            raise NotAWorkbook("no workbook part")
        rels = self._rels(workbook)
        first_sheet = None
        for _event, el in iterparse(self.zip.open(workbook)):
            if _local(el.tag) == "sheet":
                first_sheet = el.get(REL_ID) or el.get(STRICT_REL_ID)
                break
        if first_sheet not in rels or rels[first_sheet][1] not in self.names:
            raise NotAWorkbook("no worksheet")
        by_kind = {kind: target for kind, target in rels.values()}
        return rels[first_sheet][1], by_kind.get("sharedStrings"), by_kind.get("styles")

    def shared_strings(self) -> list[str]:
        if not self.shared_path or self.shared_path not in self.names:
            return []
        strings = []
        for _event, el in iterparse(self.zip.open(self.shared_path)):
            if _local(el.tag) == "si":
                strings.append(_text_of(el))
                el.clear()
        return strings

    def date_styles(self) -> set[int]:
        """Indexes of the cell formats (``s="..."``) that show a number as a date."""
        if not self.styles_path or self.styles_path not in self.names:
            return set()
        custom: dict[int, str] = {}
        formats: list[int] = []
        in_cell_xfs = False
        for event, el in iterparse(self.zip.open(self.styles_path), events=("start", "end")):
            name = _local(el.tag)
            if name == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and name == "numFmt":
                custom[int(el.get("numFmtId", "0"))] = el.get("formatCode", "")
            elif event == "end" and name == "xf" and in_cell_xfs:
                formats.append(int(el.get("numFmtId", "0")))
        dates = set()
        for index, fmt in enumerate(formats):
            code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
            if code and is_date_format(code):
                dates.add(index)
        return dates


def iter_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """``(row number, [values])`` for each row present in the first worksheet (1-based numbers).

    Raises :class:`NotAWorkbook` for bytes that are not an xlsx workbook.
    """
    book = _Workbook(data)
    shared = book.shared_strings()
    dates = book.date_styles()
    columns: dict[str, int] = {}
    expected_row = 0
    ns = None
    try:
        for _event, el in iterparse(book.zip.open(book.sheet)):
            if ns is None:  # the sheet's namespace, from the first element seen
                ns = el.tag[:el.tag.index("}") + 1] if el.tag.startswith("{") else ""
                row_tag, c_tag, v_tag, is_tag = ns + "row", ns + "c", ns + "v", ns + "is"
            if el.tag != row_tag:
                continue
            expected_row += 1
            number = int(el.get("r") or expected_row)
            expected_row = number
            values: list = []
            for position, cell in enumerate(el):
                if cell.tag != c_tag:
                    continue
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    column = columns.get(letters)
                    if column is None:
                        column = columns[letters] = _column(letters)
                else:
                    column = position
                value = _cell_value(cell, shared, dates, v_tag, is_tag)
                if value is None:
                    continue
                if column >= len(values):
                    values.extend([None] * (column + 1 - len(values)))
                values[column] = value
            el.clear()
            yield number, values
    except (SyntaxError, IndexError, ValueError):  # ParseError is a SyntaxError
        raise NotAWorkbook("damaged worksheet") from None


def _cell_value(cell, shared: list[str], dates: set[int], v_tag: str, is_tag: str):
    kind = cell.get("t", "n")
    raw = None
    for child in cell:
        if child.tag == v_tag:
            raw = child.text
        elif child.tag == is_tag:
            return _text_of(child)
    if raw is None:
        return None
    if kind == "s":
        return shared[int(raw)]
    if kind in ("str", "e", "inlineStr"):
        return raw
    if kind == "b":
        return raw.strip() == "1"
    if kind == "d":
        return datetime.fromisoformat(raw)
    number = float(raw) if any(c in raw for c in ".eE") else int(raw)
    style = cell.get("s")
    if style and int(style) in dates:
        return from_excel(number)
    return number
