"""The fast xlsx reader gives the values openpyxl gives, on files written by openpyxl (inline
strings) and on files laid out as Excel and WPS save them (shared strings, rich text, date styles)."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from core import xlsx_reader
from core.services import member_import
from tests.support import id_number

ID = id_number("19800315", male=True, seq=11)


def openpyxl_rows(data: bytes) -> list[tuple[int, list]]:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    out = []
    for cells in ws.iter_rows():
        values = [c.value for c in cells]
        row = next((c.row for c in cells if getattr(c, "row", None)), None)
        while values and values[-1] is None:
            values.pop()
        if row is not None:
            out.append((row, values))
    wb.close()
    return out


def fast_rows(data: bytes) -> list[tuple[int, list]]:
    out = []
    for number, values in xlsx_reader.iter_rows(data):
        while values and values[-1] is None:
            values.pop()
        if values:
            out.append((number, values))
    return out


def test_same_values_as_openpyxl_on_an_openpyxl_file():
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "工号", "数", "小数", "日期", "时间", "真", "公式"])
    ws.append(["张三明", "T001", 42, 3.5, date(2024, 12, 31), datetime(2025, 5, 26, 8, 30), True, "=1+1"])
    ws.append([None, 13800138000, -7, 1e20, None, None, False, None])
    ws["J5"] = "远处的格子"
    ws.cell(row=7, column=2, value=ID).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    assert fast_rows(data) == openpyxl_rows(data)


def excel_style_xlsx(rows: list[list[str | float | None]], date_cells=()) -> bytes:
    """An xlsx as Excel writes it: strings in sharedStrings.xml (one as rich text runs with a
    phonetic guide), numbers styled as dates through a custom number format."""
    strings: list[str] = []
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if value is None:
                continue
            if isinstance(value, str):
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                style = ' s="1"' if (r, c) in date_cells else ""
                cells.append(f'<c r="{ref}"{style}><v>{value}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    si = []
    for text in strings:
        if text == "初一年级组":  # rich text with a phonetic guide, as Excel stores it
            si.append('<si><r><t>初一</t></r><r><rPr><b/></rPr><t>年级组</t></r>'
                      '<rPh sb="0" eb="2"><t>chu yi</t></rPh></si>')
        else:
            si.append(f'<si><t xml:space="preserve">{text}</t></si>')
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
        '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
        'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" '
        f'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{main}"><dimension ref="A1"/>'
        f'<sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="{main}" count="{len(si)}">{"".join(si)}</sst>',
        "xl/styles.xml": f'<?xml version="1.0"?><styleSheet xmlns="{main}"><numFmts count="1"><numFmt '
        'numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><fonts count="1">'
        '<font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill '
        'patternType="none"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/>'
        '</border></borders><cellStyleXfs '
        'count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="176" '
        'applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        '</cellStyles></styleSheet>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


EXCEL_ROWS = [
    ["实验中学教职工名册"],
    list(member_import.HEADERS),
    ["张三明", "男", "T001", "初一年级组", "13800138000", ID, "教师", 45657],
    ["李秀英", "女", 1002, "初二年级组", 13900139000, None, None, None],
]


def test_same_values_as_openpyxl_on_an_excel_style_file():
    data = excel_style_xlsx(EXCEL_ROWS, date_cells={(3, 7)})
    rows = fast_rows(data)
    assert rows == openpyxl_rows(data)
    assert rows[2][1][3] == "初一年级组", "rich text runs joined, phonetic guide left out"
    assert rows[2][1][7] == datetime(2024, 12, 31), "a number styled as a date is a date"


def test_an_excel_style_roster_imports(app, factory):
    school = factory.school()
    result = member_import.import_members(excel_style_xlsx(EXCEL_ROWS, date_cells={(3, 7)}))
    assert result.added == 2
    from core.models import Member

    zhang = Member.get(Member.staff_no == "T001")
    assert zhang.unit_id == school["g1"].id and zhang.dues_paid_until == date(2024, 12, 31)
    assert zhang.id_number == ID and Member.get(Member.staff_no == "1002").phone == "13900139000"


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04", b"plain text", "zip-without-workbook", "broken-sheet"])
def test_what_is_not_a_workbook_is_said_so(data):
    if data == "zip-without-workbook":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("word/document.xml", "<w/>")
        data = buf.getvalue()
    elif data == "broken-sheet":
        good = excel_style_xlsx([["a"]])
        buf = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(buf, "w") as z:
            for name in src.namelist():
                z.writestr(name, src.read(name) if "sheet1" not in name else b"<worksheet><sheetData><row>")
        data = buf.getvalue()
    with pytest.raises(xlsx_reader.NotAWorkbook):
        list(xlsx_reader.iter_rows(data))
