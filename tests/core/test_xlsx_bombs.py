"""Crafted workbooks under the upload limit that inflate to far more than they weigh: each is refused
with a Chinese message naming the limit, through the roster import and the department's 报名表 upload,
and a process reading one keeps its memory bounded (its peak RSS, measured by the kernel)."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest

from core.models import Member, Registration
from core.xlsx_reader import LIMITS
from tests.core.test_xlsx_reader import excel_style_xlsx
from tests.support import login, text_of

ROOT = Path(__file__).resolve().parents[2]
RSS_BOUND_MB = 150
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# a header row both the roster import and the 报名表 upload accept, so that the rows below are read
HEADER = "<row r=\"1\">" + "".join(f'<c r="{col}1" t="inlineStr"><is><t>{name}</t></is></c>'
                                     for col, name in zip("ABCD", ["姓名", "工号", "单位", "项目"], strict=True)) + "</row>"


def _replace(parts: dict[str, object]) -> bytes:
    """A valid workbook (from test_xlsx_reader) with some parts replaced; a part may be bytes or a
    function writing its bytes to a stream (so that hundreds of MB never sit in the test's memory)."""
    base = excel_style_xlsx([["姓名"]])
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            part = parts.get(name, src.read(name))
            if callable(part):
                with z.open(name, "w") as out:  # sizes under 2 GB: no ZIP64 extras
                    part(out)
            else:
                z.writestr(name, part)
    return buf.getvalue()


def _sheet(body: str | bytes, *, before: str = "") -> bytes:
    body = body.encode() if isinstance(body, str) else body
    return f'<worksheet xmlns="{MAIN}">{before}<sheetData>{HEADER}'.encode() + body + b"</sheetData></worksheet>"


def shared_strings() -> bytes:
    """3.5 million <si> (17 bytes each, 60 MB, within the byte budget), 17 times the shared-string limit."""
    table = b"<si><t>x</t></si>" * 3_500_000
    return _replace({"xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">'.encode() + table + b"</sst>"})


def rows() -> bytes:
    """All 1,048,576 rows of a sheet, blank (blank rows are skipped, so only the reader's count stops them)."""
    body = "".join(f'<row r="{n}"/>' for n in range(2, 1_048_577))
    return _replace({"xl/worksheets/sheet1.xml": _sheet(body)})


def whitespace() -> bytes:
    """256 MB of blanks inside sheetData: the zip's directory says so before anything is inflated."""
    def write(out):
        out.write(_sheet(b"")[:-len(b"</sheetData></worksheet>")])
        block = b" " * (1024 * 1024)
        for _ in range(256):
            out.write(block)
        out.write(b"</sheetData></worksheet>")
    return _replace({"xl/worksheets/sheet1.xml": write})


def long_cell() -> bytes:
    """One cell of 40 MB of blanks: within the byte budget, far past Excel's 32,767 characters."""
    def write(out):
        out.write(_sheet(b'<row r="2"><c r="A2" t="inlineStr"><is><t>')[:-len(b"</sheetData></worksheet>")])
        block = b" " * (1024 * 1024)
        for _ in range(40):
            out.write(block)
        out.write(b"</t></is></c></row></sheetData></worksheet>")
    return _replace({"xl/worksheets/sheet1.xml": write})


def comment() -> bytes:
    """A 40 MB comment, which the XML parser would hold whole."""
    def write(out):
        out.write(f'<worksheet xmlns="{MAIN}"><!--'.encode())
        block = b"x" * (1024 * 1024)
        for _ in range(40):
            out.write(block)
        out.write(f"--><sheetData>{HEADER}</sheetData></worksheet>".encode())
    return _replace({"xl/worksheets/sheet1.xml": write})


def far_cells() -> bytes:
    """Rows whose one cell sits in the last column, XFD: each makes its row 16,384 cells wide."""
    body = "".join(f'<row r="{n}"><c r="XFD{n}"><v>1</v></c></row>' for n in range(2, 2_000))
    return _replace({"xl/worksheets/sheet1.xml": _sheet(body)})


def cell_formats() -> bytes:
    """3 million cell formats (60 MB of <xf/>) in styles.xml."""
    xfs = b'<xf numFmtId="0"/>' * 3_000_000
    return _replace({"xl/styles.xml": f'<styleSheet xmlns="{MAIN}"><cellXfs>'.encode() + xfs
                     + b"</cellXfs></styleSheet>"})


def nesting() -> bytes:
    """Elements nested a million deep inside a cell."""
    return _replace({"xl/worksheets/sheet1.xml": _sheet(b'<row r="2"><c r="A2">' + b"<a>" * 1_000_000)})


def entities() -> bytes:
    """The billion laughs: entities defined in a DTD, each ten of the one before."""
    lol = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return _replace({"xl/worksheets/sheet1.xml": f"<!DOCTYPE worksheet [{lol}]>".encode()
                     + _sheet('<row r="2"><c r="A2" t="inlineStr"><is><t>&l9;</t></is></c></row>')})


def _lie(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the zip's local header and central directory declaring ``size`` bytes for ``name``."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", out, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(out[at + name_at:at + name_at + length]) == encoded:
                struct.pack_into("<I", out, at + offset, size)
            at = out.find(signature, at + 4)
    return bytes(out)


def lying_small() -> bytes:
    """256 MB of sheet whose zip entry claims 1,000 bytes."""
    return _lie(whitespace(), "xl/worksheets/sheet1.xml", 1_000)


def lying_large() -> bytes:
    """A small sheet whose zip entry claims 2 GB: refused from the directory, nothing inflated."""
    return _lie(_replace({}), "xl/worksheets/sheet1.xml", 2_000_000_000)


MB = LIMITS.uncompressed_bytes // (1024 * 1024)
BOMBS = {
    "shared strings": (shared_strings, f"表格中不同的文字超过 {LIMITS.shared_strings} 条"),
    "1,048,576 rows": (rows, f"表格超过 {LIMITS.rows} 行"),
    "compressed whitespace": (whitespace, f"表格解压后超过 {MB} MB"),
    "one long cell": (long_cell, f"表格中有单元格超过 {LIMITS.cell_chars} 个字符"),
    "a huge comment": (comment, f"表格中有一段内容超过 {LIMITS.token_bytes // (1024 * 1024)} MB"),
    "far right cells": (far_cells, f"表格的单元格超过 {LIMITS.cells} 个"),
    "cell formats": (cell_formats, "表格的单元格格式超过 65536 种"),
    "deep nesting": (nesting, "不是有效的 Excel"),
    "billion laughs": (entities, "不是有效的 Excel"),
    "entry lying small": (lying_small, "不是有效的 Excel"),
    "entry lying large": (lying_large, f"表格解压后超过 {MB} MB"),
}


@cache
def bomb(kind: str) -> bytes:
    data = BOMBS[kind][0]()
    assert len(data) < 10 * 1024 * 1024, f"{kind}: {len(data)} bytes, over the upload limit"
    return data


# The child reads the file and reports its own peak resident memory: VmHWM of its own address space,
# begun at exec. (The parent's figures would count the forked copy of the whole test process too.)
READ = """
import resource, sys
gb = 2 * 1024 ** 3  # a safety net for the machine, far above the bound asserted
resource.setrlimit(resource.RLIMIT_AS, (gb, gb))
from core import xlsx_reader
data = open(sys.argv[1], "rb").read()
try:
    for _ in xlsx_reader.iter_rows(data):
        pass
except xlsx_reader.TooLarge as exc:
    print("TooLarge", exc.limit)
except xlsx_reader.NotAWorkbook:
    print("NotAWorkbook")
else:
    print("read")
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("peak_kb", peak.split()[1])
"""


@pytest.mark.parametrize("kind", list(BOMBS))
def test_reading_a_bomb_keeps_memory_bounded(kind, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb(kind))
    child = subprocess.run([sys.executable, "-c", READ, str(path)], cwd=ROOT, capture_output=True, text=True)
    assert child.returncode == 0, child.stderr
    words = child.stdout.split()
    assert words[0] in ("TooLarge", "NotAWorkbook"), child.stdout
    rss_mb = int(words[words.index("peak_kb") + 1]) / 1024
    assert rss_mb < RSS_BOUND_MB, f"{kind}: peak RSS {rss_mb:.0f} MB"


def test_a_real_workbook_is_read_in_a_bounded_child(tmp_path):
    """The same child reads a plain 20,000-row roster to its end: the refusals above are the limits' doing."""
    body = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>会员{n}</t></is></c></row>'
                   for n in range(2, 20_002))
    path = tmp_path / "roster.xlsx"
    path.write_bytes(_replace({"xl/worksheets/sheet1.xml": _sheet(body)}))
    out = subprocess.run([sys.executable, "-c", READ, str(path)], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.split()[0] == "read", out.stderr


@pytest.fixture
def site(make_app, factory):
    from core.db import db

    app = make_app()
    with app.app_context():
        db.connect(reuse_if_open=True)
        school = factory.school()
        factory.member(school["g1"], name="张三", staff_no="T1")
        factory.account("org", roles=[("organizer", school["school"])])
        factory.account("head", roles=[("dept_head", school["g1"])])
        event = factory.event(school["school"], title="教职工趣味运动会")
        yield app, event


def _nothing_written():
    assert [m.staff_no for m in Member.select()] == ["T1"]
    assert not Registration.select().exists()


@pytest.mark.parametrize("kind", list(BOMBS))
def test_roster_import_refuses_a_bomb(site, kind):
    app, _event = site
    client = app.test_client()
    login(client, "org")
    response = client.post("/members/import", data={"file": (io.BytesIO(bomb(kind)), "名册.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 422), response.status_code
    assert BOMBS[kind][1] in text_of(response)
    _nothing_written()


@pytest.mark.parametrize("kind", ["shared strings", "1,048,576 rows", "compressed whitespace", "far right cells"])
def test_department_upload_refuses_a_bomb(site, kind):
    app, event = site
    client = app.test_client()
    login(client, "head")
    response = client.post(f"/events/{event.id}/department/upload",
                           data={"file": (io.BytesIO(bomb(kind)), "报名表.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422, response.status_code
    assert BOMBS[kind][1] in text_of(response)
    _nothing_written()


def test_department_upload_refuses_more_rows_than_a_department_has(site):
    """Plain rows, not a bomb: the 报名表 holds at most SHEET_MAX_ROWS people (the roster import has its own)."""
    from core.services.registrations import SHEET_MAX_ROWS

    app, event = site
    body = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>会员{n}</t></is></c>'
                   f'<c r="B{n}" t="inlineStr"><is><t>T{n}</t></is></c></row>' for n in range(2, SHEET_MAX_ROWS + 3))
    client = app.test_client()
    login(client, "head")
    response = client.post(f"/events/{event.id}/department/upload",
                           data={"file": (io.BytesIO(_replace({"xl/worksheets/sheet1.xml": _sheet(body)})), "报名表.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert f"表格超过 {SHEET_MAX_ROWS} 行" in text_of(response)
    _nothing_written()
