"""Files that are not the expected workbook, sent every way a roster or a 报名表 comes in (the members
page, the API, ``huodong import-members`` and the department head's upload): each is refused with a
Chinese message that says what is wrong, never a 500, and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.models import Member, Registration
from core.services import member_import
from core.services.accounts import issue_token
from tests.support import login, run_cli, text_of, xlsx_bytes

LIMIT = 200_000  # MAX_CONTENT_LENGTH for these tests; the "huge" file is over it


def _zip_not_xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    return buf.getvalue()


def _huge() -> bytes:
    """A real workbook over the upload limit (incompressible filler in a cell of each row)."""
    import secrets

    rows = [[f"会员{i}", "男", f"T{i:05d}", "初一年级组", "", "", secrets.token_hex(200)] for i in range(900)]
    data = xlsx_bytes(rows, member_import.HEADERS[:7])
    assert len(data) > LIMIT
    return data


BAD_FILES = {
    "not a zip": (lambda: "这不是表格，只是一段文字。".encode(), "不是有效的 Excel"),
    "a zip that is not xlsx": (_zip_not_xlsx, "不是有效的 Excel"),
    "gbk csv renamed .xlsx": (lambda: "姓名,性别,工号,单位\n张三,男,T1,初一年级组\n".encode("gbk"),
                              "不是有效的 Excel"),
    "wrong headers": (lambda: xlsx_bytes([["张三", "男", "教师"]], ["名字", "性别", "职务"]), "表格缺少列"),
    "huge": (_huge, "太大"),
}
KINDS = list(BAD_FILES)


@pytest.fixture
def site(make_app, factory):
    from core.db import db

    app = make_app(MAX_CONTENT_LENGTH=LIMIT)
    with app.app_context():
        db.connect(reuse_if_open=True)
        school = factory.school()
        factory.member(school["g1"], name="张三", staff_no="T1")
        factory.account("org", roles=[("organizer", school["school"])])
        factory.account("head", roles=[("dept_head", school["g1"])])
        token = issue_token(factory.account("api", roles=["admin"]))
        event = factory.event(school["school"], title="教职工趣味运动会")
        yield app, event, {"Authorization": f"Bearer {token}"}


def _nothing_written():
    assert [m.staff_no for m in Member.select()] == ["T1"]
    assert not Registration.select().exists()


@pytest.mark.parametrize("kind", KINDS)
def test_members_page_refuses(site, kind):
    app, _event, _headers = site
    data, message = BAD_FILES[kind][0](), BAD_FILES[kind][1]
    client = app.test_client()
    login(client, "org")
    response = client.post("/members/import", data={"file": (io.BytesIO(data), "名册.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code in (200, 413, 422), response.status_code
    assert ("上传的文件太大" if kind == "huge" else message) in text_of(response)
    _nothing_written()


@pytest.mark.parametrize("kind", KINDS)
def test_members_api_refuses(site, kind):
    app, _event, headers = site
    data, message = BAD_FILES[kind][0](), BAD_FILES[kind][1]
    response = app.test_client().post("/api/v1/members/import", headers=headers,
                                      data={"file": (io.BytesIO(data), "名册.xlsx")},
                                      content_type="multipart/form-data")
    assert response.status_code in (413, 422), response.status_code
    assert (message if kind != "huge" else "上传的文件太大") in response.json["message"]
    _nothing_written()


@pytest.mark.parametrize("kind", KINDS)
def test_import_members_command_refuses(site, kind, tmp_path):
    app, _event, _headers = site
    data, message = BAD_FILES[kind][0](), BAD_FILES[kind][1]
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(data)
    result = run_cli(app, "import-members", roster, env={"HUODONG_MAX_CONTENT_LENGTH": str(LIMIT)})
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    _nothing_written()


@pytest.mark.parametrize("kind", KINDS)
def test_department_upload_refuses(site, kind):
    app, event, _headers = site
    data, message = BAD_FILES[kind][0](), BAD_FILES[kind][1]
    if kind == "wrong headers":
        message = "表格缺少列"
    client = app.test_client()
    login(client, "head")
    response = client.post(f"/events/{event.id}/department/upload",
                           data={"file": (io.BytesIO(data), "报名表.xlsx")}, content_type="multipart/form-data")
    assert response.status_code in (413, 422), response.status_code
    assert ("上传的文件太大" if kind == "huge" else message) in text_of(response)
    _nothing_written()
