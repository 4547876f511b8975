"""Reading the first worksheet of an xlsx file straight from its XML, row by row, in bounded memory.

openpyxl builds an object per cell even in read-only mode, which makes reading a 10,000-row
roster the slowest part of importing it. This reader walks the sheet's XML once with the
standard library's expat parser and gives the cell values openpyxl's ``values_only`` would: shared
and inline strings, numbers (int unless written with a point or an exponent), booleans, dates (cells styled with a date format),
the cached results of formulas. Namespaces are ignored, so Strict OOXML files read too.

An upload is untrusted: a few megabytes of zip can hold gigabytes of XML. So the reader checks
:class:`Limits` before and while it reads: the zip's directory first (number of entries, the
declared sizes of the parts it will read), then, while it streams each part in small chunks,
the bytes really inflated, the rows, the cells, the shared strings and the length of every text.
It raises :class:`TooLarge` naming the limit as soon as one is passed; what it keeps in memory is
bounded by the limits, not by the file. DTDs and entity declarations are refused outright.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

CHUNK = 16 * 1024  # inflated bytes fed to the parser at a time
MAX_COLUMNS = 16_384  # Excel's last column, XFD
MAX_DEPTH = 64  # nesting of elements; real parts stay under 10
MAX_FORMAT_CODE = 255  # Excel's longest number format


@dataclass(frozen=True)
class Limits:
    """What one upload may hold. The defaults are far above a real 20,000-row roster."""

    uncompressed_bytes: int = 64 * 1024 * 1024  # every part read, inflated, together
    entries: int = 2_000  # members of the zip
    rows: int = 100_000  # <row> elements of the sheet, blank ones too
    cells: int = 2_000_000  # cells of the sheet, counting the blank ones a far-right cell adds
    shared_strings: int = 200_000
    shared_chars: int = 10_000_000  # characters of all shared strings together
    cell_chars: int = 32_767  # Excel's own limit for one cell
    token_bytes: int = 1024 * 1024  # one tag, comment or attribute the parser must hold whole
    formats: int = 65_536  # cell formats and number formats of the styles part


LIMITS = Limits()


class NotAWorkbook(ValueError):
    """The bytes are not an xlsx workbook (not a zip, or a zip without a worksheet)."""


class TooLarge(ValueError):
    """The workbook passes one of the :class:`Limits`: ``limit`` is the field's name, ``maximum`` its value."""

    def __init__(self, limit: str, maximum: int):
        super().__init__(f"{limit} over {maximum}")
        self.limit = limit
        self.maximum = maximum


class _Stop(Exception):
    """Raised by a handler that has read what it needs."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _column(letters: str) -> int:
    """0-based column of the letters of a cell reference such as ``AB``; ``NotAWorkbook`` past XFD."""
    if not letters or len(letters) > 3:
        raise NotAWorkbook("bad cell reference")
    index = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise NotAWorkbook("bad cell reference")
        index = index * 26 + (ord(ch) - 64)
    if index > MAX_COLUMNS:
        raise NotAWorkbook("bad cell reference")
    return index - 1


def _zip_entries(data: bytes) -> int | None:
    """The number of entries the end-of-central-directory record announces (``None``: ZIP64 or absent)."""
    tail = data[-(65_535 + 22):]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    total = struct.unpack_from("<H", tail, at + 10)[0]
    return None if total == 0xFFFF else total


class _Part:
    """One XML part parsed by expat in small chunks, with the workbook's byte budget and the guards
    every part shares (no DTD, bounded nesting, no token larger than ``token_bytes``)."""

    def __init__(self, book: _Workbook, name: str):
        self.book = book
        self.name = name
        self.parser = p = expat.ParserCreate(namespace_separator="}")
        p.buffer_text = True
        p.StartDoctypeDeclHandler = self._refuse
        p.EntityDeclHandler = self._refuse
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._chars
        p.CommentHandler = self._seen
        p.ProcessingInstructionHandler = self._seen
        self.depth = 0
        self.events = 0

    def _refuse(self, *_args):
        raise NotAWorkbook("DTD in a part")

    def _seen(self, *_args):
        self.events += 1

    def _start(self, name, attrs):
        self.events += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise NotAWorkbook("nested too deep")
        self.start(_local(name), attrs)

    def _end(self, name):
        self.events += 1
        self.depth -= 1
        self.end(_local(name))

    def _chars(self, text):
        self.events += 1
        self.chars(text)

    def start(self, name: str, attrs: dict) -> None:
        """Called for each opening tag with its local name."""

    def end(self, name: str) -> None:
        """Called for each closing tag with its local name."""

    def chars(self, text: str) -> None:
        """Called with character data (in pieces)."""

    def feed(self) -> Iterator[None]:
        """Parse the part, yielding after each chunk so that a caller can hand on what was read."""
        limits = self.book.limits
        waiting = 0  # bytes fed since the parser last reported anything
        try:
            with self.book.zip.open(self.name) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        break
                    self.book.spend(len(chunk))
                    before = self.events
                    self.parser.Parse(chunk, False)
                    waiting = waiting + len(chunk) if self.events == before else 0
                    if waiting > limits.token_bytes:
                        raise TooLarge("token_bytes", limits.token_bytes)
                    yield
            self.parser.Parse(b"", True)
            yield
        except _Stop:
            return
        except expat.ExpatError:
            raise NotAWorkbook(f"damaged part {self.name}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError):
            raise NotAWorkbook(f"damaged zip member {self.name}") from None

    def run(self) -> None:
        for _ in self.feed():
            pass


class _Text:
    """Text gathered from character data, refused once longer than ``maximum`` characters."""

    def __init__(self, maximum: int, limit: str = "cell_chars"):
        self.maximum = maximum
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        self.size += len(text)
        if self.size > self.maximum:
            raise TooLarge(self.limit, self.maximum)
        self.parts.append(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts, self.size = [], 0
        return text


class _Rels(_Part):
    """A ``.rels`` part: keeps the targets of the wanted ids and the first target of the wanted types."""

    def __init__(self, book, name, folder, ids=(), kinds=()):
        super().__init__(book, name)
        self.folder, self.ids, self.kinds = folder, set(ids), set(kinds)
        self.by_id: dict[str, str] = {}
        self.by_kind: dict[str, str] = {}

    def start(self, name, attrs):
        if name != "Relationship":
            return
        target = attrs.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(self.folder, target))
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        if attrs.get("Id") in self.ids:
            self.by_id[attrs["Id"]] = target
        if kind in self.kinds:
            self.by_kind.setdefault(kind, target)


class _FirstSheet(_Part):
    """``workbook.xml``: the relationship id of the first ``<sheet>``."""

    rel_id = None

    def start(self, name, attrs):
        if name == "sheet":
            self.rel_id = next((v for k, v in attrs.items() if k.endswith("}id")), None)
            raise _Stop


class _SharedStrings(_Part):
    def __init__(self, book, name):
        super().__init__(book, name)
        self.strings: list[str] = []
        self.total = 0
        self.text = _Text(book.limits.cell_chars)
        self.collect = False
        self.in_phonetic = False

    def start(self, name, attrs):
        if name == "t" and not self.in_phonetic:
            self.collect = True
        elif name == "rPh":
            self.in_phonetic = True

    def end(self, name):
        limits = self.book.limits
        if name == "t":
            self.collect = False
        elif name == "rPh":
            self.in_phonetic = False
        elif name == "si":
            text = self.text.take()
            self.total += len(text)
            if self.total > limits.shared_chars:
                raise TooLarge("shared_chars", limits.shared_chars)
            self.strings.append(text)
            if len(self.strings) > limits.shared_strings:
                raise TooLarge("shared_strings", limits.shared_strings)

    def chars(self, text):
        if self.collect:
            self.text.add(text)


class _DateStyles(_Part):
    """``styles.xml``: indexes of the cell formats (``s="..."``) that show a number as a date."""

    def __init__(self, book, name):
        super().__init__(book, name)
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []
        self.in_cell_xfs = False

    def _count(self):
        if len(self.custom) + len(self.formats) > self.book.limits.formats:
            raise TooLarge("formats", self.book.limits.formats)

    def start(self, name, attrs):
        try:
            if name == "cellXfs":
                self.in_cell_xfs = True
            elif name == "numFmt":
                code = attrs.get("formatCode", "")
                if len(code) <= MAX_FORMAT_CODE:
                    self.custom[int(attrs.get("numFmtId", "0"))] = code
                    self._count()
            elif name == "xf" and self.in_cell_xfs:
                self.formats.append(int(attrs.get("numFmtId", "0")))
                self._count()
        except ValueError as exc:
            if isinstance(exc, TooLarge):
                raise
            raise NotAWorkbook("bad number format id") from None

    def end(self, name):
        if name == "cellXfs":
            self.in_cell_xfs = False

    def dates(self) -> set[int]:
        out = set()
        for index, fmt in enumerate(self.formats):
            code = self.custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
            if code and is_date_format(code):
                out.add(index)
        return out


class _Sheet(_Part):
    """The worksheet: finished rows wait in ``ready`` until the caller takes them."""

    def __init__(self, book, name, shared: list[str], dates: set[int]):
        super().__init__(book, name)
        self.shared, self.dates = shared, dates
        self.ready: list[tuple[int, list]] = []
        self.rows = 0
        self.cells = 0
        self.row_number = 0
        self.values: list | None = None
        self.cell: tuple | None = None  # (column, kind, style) of the open <c>
        self.column = -1
        self.raw: str | None = None
        self.inline: list[str] | None = None
        self.text = _Text(book.limits.cell_chars)
        self.collect = False
        self.in_phonetic = False
        self.letters: dict[str, int] = {}

    def start(self, name, attrs):
        limits = self.book.limits
        if name == "row":
            self.rows += 1
            if self.rows > limits.rows:
                raise TooLarge("rows", limits.rows)
            r = attrs.get("r")
            try:
                self.row_number = int(r) if r else self.row_number + 1
            except ValueError:
                raise NotAWorkbook("bad row number") from None
            self.values, self.column = [], -1
        elif name == "c" and self.values is not None:
            ref = attrs.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = self.letters.get(letters)
                if column is None:
                    column = _column(letters)
                    if len(self.letters) < MAX_COLUMNS:
                        self.letters[letters] = column
            else:
                column = self.column + 1
                if column >= MAX_COLUMNS:
                    raise NotAWorkbook("too many columns")
            self.column = column
            # a cell far to the right makes the row that wide: count the blanks it adds too
            self.cells += max(1, column + 1 - len(self.values))
            if self.cells > limits.cells:
                raise TooLarge("cells", limits.cells)
            self.cell = (column, attrs.get("t", "n"), attrs.get("s"))
            self.raw, self.inline = None, None
        elif self.cell is not None:
            if name == "v":
                self.collect = True
            elif name == "is":
                self.inline = []
            elif name == "rPh":
                self.in_phonetic = True
            elif name == "t" and self.inline is not None and not self.in_phonetic:
                self.collect = True

    def end(self, name):
        if name == "row" and self.values is not None:
            self.ready.append((self.row_number, self.values))
            self.values = None
        elif self.cell is None:
            return
        elif name == "v":
            self.collect = False
            self.raw = self.text.take()
        elif name == "t":
            if self.collect and self.inline is not None:
                self.inline.append(self.text.take())
            self.collect = False
        elif name == "rPh":
            self.in_phonetic = False
        elif name == "c":
            column, kind, style = self.cell
            self.cell = None
            if self.inline is not None:
                value = "".join(self.inline)
                if len(value) > self.book.limits.cell_chars:
                    raise TooLarge("cell_chars", self.book.limits.cell_chars)
            else:
                value = _cell_value(self.raw, kind, style, self.shared, self.dates)
            if value is None:
                return
            values = self.values
            if column >= len(values):
                values.extend([None] * (column + 1 - len(values)))
            values[column] = value

    def chars(self, text):
        if self.collect:
            self.text.add(text)


class _Workbook:
    def __init__(self, data: bytes, limits: Limits):
        self.limits = limits
        self.used = 0
        if not data.startswith(b"PK"):
            raise NotAWorkbook("not a zip file")
        announced = _zip_entries(data)
        if announced is not None and announced > limits.entries:
            raise TooLarge("entries", limits.entries)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, NotImplementedError, OSError):
            raise NotAWorkbook("not a zip file") from None
        if len(infos) > limits.entries:
            raise TooLarge("entries", limits.entries)
        self.sizes = {info.filename: info.file_size for info in infos}
        self.sheet, self.shared_path, self.styles_path = self._parts()
        # the zip's directory says how big the parts are: refuse before inflating any of them
        declared = sum(self.sizes.get(p, 0) for p in {self.sheet, self.shared_path, self.styles_path} if p)
        if self.used + declared > limits.uncompressed_bytes:
            raise TooLarge("uncompressed_bytes", limits.uncompressed_bytes)

    def spend(self, size: int) -> None:
        """Count inflated bytes as they come, whatever the zip's directory declared."""
        self.used += size
        if self.used > self.limits.uncompressed_bytes:
            raise TooLarge("uncompressed_bytes", self.limits.uncompressed_bytes)

    def _read(self, part: _Part) -> _Part:
        if self.used + self.sizes[part.name] > self.limits.uncompressed_bytes:
            raise TooLarge("uncompressed_bytes", self.limits.uncompressed_bytes)
        part.run()
        return part

    def _rels_of(self, path: str, **wanted) -> _Rels | None:
        folder, name = posixpath.split(path)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.sizes:
            return None
        return self._read(_Rels(self, rels, folder, **wanted))

    def _parts(self):
        workbook = "xl/workbook.xml" if "xl/workbook.xml" in self.sizes else None
        if workbook is None:
            main = self._rels_of("", kinds=("officeDocument",))  # _rels/.rels names the workbook part
            workbook = main.by_kind.get("officeDocument") if main else None
        if workbook is None or workbook not in self.sizes:
            raise NotAWorkbook("no workbook part")
        first = self._read(_FirstSheet(self, workbook)).rel_id
        if first is None:
            raise NotAWorkbook("no worksheet")
        rels = self._rels_of(workbook, ids=(first,), kinds=("sharedStrings", "styles"))
        sheet = rels.by_id.get(first) if rels else None
        if sheet not in self.sizes:
            raise NotAWorkbook("no worksheet")
        shared, styles = (rels.by_kind.get(k) for k in ("sharedStrings", "styles"))
        return sheet, shared if shared in self.sizes else None, styles if styles in self.sizes else None

    def shared_strings(self) -> list[str]:
        if not self.shared_path:
            return []
        return self._read(_SharedStrings(self, self.shared_path)).strings

    def date_styles(self) -> set[int]:
        """Indexes of the cell formats (``s="..."``) that show a number as a date."""
        if not self.styles_path:
            return set()
        return self._read(_DateStyles(self, self.styles_path)).dates()


def iter_rows(data: bytes, limits: Limits = LIMITS) -> Iterator[tuple[int, list]]:
    """``(row number, [values])`` for each row present in the first worksheet (1-based numbers).

    Raises :class:`NotAWorkbook` for bytes that are not an xlsx workbook and :class:`TooLarge`
    as soon as the workbook passes one of ``limits`` (possibly after some rows were given).
    """
    book = _Workbook(data, limits)
    shared = book.shared_strings()
    dates = book.date_styles()
    sheet = _Sheet(book, book.sheet, shared, dates)
    for _ in sheet.feed():
        if sheet.ready:
            ready, sheet.ready = sheet.ready, []
            yield from ready


def _cell_value(raw: str | None, kind: str, style: str | None, shared: list[str], dates: set[int]):
    if not raw:  # <v/> and <v></v> hold nothing
        return None
    try:
        if kind == "s":
            return shared[int(raw)]
        if kind in ("str", "e", "inlineStr"):
            return raw
        if kind == "b":
            return raw.strip() == "1"
        if kind == "d":
            return datetime.fromisoformat(raw)
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        if style and int(style) in dates:
            return from_excel(number)
    except (ValueError, IndexError, OverflowError):
        raise NotAWorkbook("damaged cell") from None
    return number
