"""The roster in and out of Excel: real xlsx files written with openpyxl, imported through the
service, the members page, the API and the CLI, and read back."""

import io
import threading
import zipfile
from datetime import date, datetime

import pytest

from core import privacy
from core.errors import Invalid, Refused
from core.models import AuditLog, Member
from core.services import member_import
from tests.support import id_number, read_xlsx, run_cli, text_of, xlsx_bytes

HEADERS = member_import.HEADERS
ZHANG_ID = id_number("19800315", male=True, seq=11)
LI_ID = id_number("19850621", male=False, seq=12)


@pytest.fixture
def school(factory):
    return factory.school()  # 区总工会 → 实验中学工会 → 初一年级组, 初二年级组


def import_file(data, **kwargs):
    return member_import.import_members(data, **kwargs)


def errors_of(data, account=None) -> dict[int, list[str]]:
    plan = member_import.prepare_import(data, account=account)
    return plan.errors


def test_import_adds_members_with_encrypted_ids(app, school):
    data = xlsx_bytes([
        ["张三明", "男", "T001", "初一年级组", "13800138000", ZHANG_ID, "教师", "2024-12-31"],
        ["李秀英", "", "T002", "实验中学工会/初二年级组", 13900139000, LI_ID, "", "2024-12"],
        ["王建国", "男", "T003", "实验中学工会", "", "", "司机", datetime(2025, 6, 30)],
    ], HEADERS, text_columns=(5,))
    result = import_file(data)
    assert (result.rows, result.added, result.updated, result.unchanged) == (3, 3, 0, 0)
    zhang = Member.get(Member.staff_no == "T001")
    assert zhang.unit_id == school["g1"].id and zhang.gender == "M" and zhang.id_number == ZHANG_ID
    assert zhang.birth_date == date(1980, 3, 15) and zhang.dues_paid_until == date(2024, 12, 31)
    li = Member.get(Member.staff_no == "T002")
    assert li.gender == "F", "gender read from the ID number when the cell is blank"
    assert li.unit_id == school["g2"].id and li.phone == "13900139000" and li.dues_paid_until == date(2024, 12, 31)
    wang = Member.get(Member.staff_no == "T003")
    assert wang.id_number is None and wang.job == "司机" and wang.dues_paid_until == date(2025, 6, 30)
    raw = Member.select(Member.id_number.cast("text").alias("raw")).where(Member.staff_no == "T001").dicts().get()
    assert ZHANG_ID not in (raw["raw"] or ""), "the ID number is encrypted at rest"
    assert AuditLog.get(AuditLog.action == "member.import").after["added"] == 3


@pytest.mark.parametrize("cell, expected", [
    ("2024-12-31", date(2024, 12, 31)), ("2024/1/5", date(2024, 1, 5)), ("2024年12月31日", date(2024, 12, 31)),
    ("2024.6.30", date(2024, 6, 30)), ("20241231", date(2024, 12, 31)), (20241231, date(2024, 12, 31)),
    ("2024-02", date(2024, 2, 29)), ("2024年6月", date(2024, 6, 30)), ("2024年", date(2024, 12, 31)),
    (2024, date(2024, 12, 31)), (45657, date(2024, 12, 31)), (datetime(2024, 12, 31), date(2024, 12, 31)),
])
def test_dues_dates_as_unions_write_them(app, school, cell, expected):
    import_file(xlsx_bytes([["张三明", "男", "T001", "初一年级组", "", "", "", cell]], HEADERS))
    assert Member.get(Member.staff_no == "T001").dues_paid_until == expected


@pytest.mark.parametrize("cell", ["2024-13", "2024-02-30", "12/31/2024", "明年", 1.5e9])
def test_impossible_dues_dates_are_reported(app, school, cell):
    errors = errors_of(xlsx_bytes([["张三明", "男", "T001", "初一年级组", "", "", "", cell]], HEADERS))
    assert errors[2][0].startswith("会费缴至日期无效")


def test_title_row_and_header_spellings_are_understood(app, school):
    data = xlsx_bytes([["张三明", "T001", "初一年级组", "138 0013 8000", ZHANG_ID]],
                      ["姓 名", "工号", "所在单位", "手机号码", "身份证号码"], title="实验中学教职工名册")
    assert import_file(data).added == 1
    assert Member.get(Member.staff_no == "T001").phone == "13800138000"


def test_every_bad_row_is_reported_by_row_and_reason_and_nothing_is_written(app, school, factory):
    other_school = factory.unit("第二中学工会", school["district"], "grassroots")
    factory.unit("初一年级组", other_school)  # a second 初一年级组: the bare name is ambiguous
    taken = factory.member(school["g1"], name="赵先生", staff_no="X900")
    taken.set_id_number(id_number("19700101", seq=50))
    taken.save()
    bad_check = ZHANG_ID[:17] + ("0" if ZHANG_ID[17] != "0" else "1")
    rows = [
        ["张三明", "男", "T001", "实验中学工会/初一年级组", "13800138000", ZHANG_ID, "教师", "2024-12-31"],  # 2 ok
        ["", "男", "T002", "初二年级组", "", "", "", ""],                                  # 3 no name
        ["李四", "男", "T003", "初二年级组", "", bad_check, "", ""],                        # 4 check character
        ["王五", "男", "T004", "初二年级组", "", "12345", "", ""],                          # 5 length
        ["赵六", "男", "T005", "不存在的组", "", "", "", ""],                               # 6 unknown unit
        ["钱七", "男", "T001", "初二年级组", "", "", "", ""],                               # 7 staff number again
        ["孙八", "男", "T008", "初二年级组", "", id_number("19700101", seq=50), "", ""],     # 8 ID of another member
        ["周九", "男", "T009", "初二年级组", "1380013800", "", "", ""],                     # 9 phone
        ["吴十", "男", "T010", "初二年级组", "", "", "", "明年"],                            # 10 date
        ["郑一", "女", "T011", "初二年级组", "", id_number("19900101", male=True, seq=3), "", ""],  # 11 gender
        ["冯二", "男", "T012", "初一年级组", "", "", "", ""],                               # 12 ambiguous unit
        ["陈三", "男", "T013", "初二年级组", "", 4.40402198003151e17, "", ""],              # 13 ID as a number
        ["楚四", "", "T014", "初二年级组", "", "", "", ""],                                 # 14 no gender
        ["卫五", "男", "T015", "初二年级组", "", ZHANG_ID, "", ""],                          # 15 ID twice in file
    ]
    errors = errors_of(xlsx_bytes(rows, HEADERS))
    expected = {
        3: "请填写姓名", 4: "身份证号校验位不正确", 5: "身份证号应为18位：17位数字加1位数字或X",
        6: "找不到单位“不存在的组”", 7: "工号 T001 与第 2 行重复", 8: "该身份证号已属于另一位会员",
        9: "手机号“1380013800”无效：应为 11 位数字，以 1 开头", 10: "会费缴至日期无效：明年（应为如 2024-12-31 的日期）",
        11: "性别与身份证号不符（身份证号显示为男）", 12: "单位“初一年级组”有重名，请写上上级单位",
        13: "身份证号被 Excel 存成了数字", 14: "请填写性别", 15: "身份证号与第 2 行重复",
    }
    assert sorted(errors) == sorted(expected)
    for row, reason in expected.items():
        assert any(reason in r for r in errors[row]), (row, errors[row])
    assert "实验中学工会/初一年级组" in errors[12][0], "the message shows how to name the unit"
    with pytest.raises(Invalid) as caught:
        import_file(xlsx_bytes(rows, HEADERS))
    assert set(caught.value.errors) == {str(r) for r in expected}
    assert Member.select().count() == 1, "not even the good row was imported"
    assert not AuditLog.select().where(AuditLog.action == "member.import").exists()


def test_reimport_updates_by_staff_number_instead_of_duplicating(app, school):
    first = xlsx_bytes([
        ["张三明", "男", "T001", "初一年级组", "13800138000", ZHANG_ID, "教师", "2024-12-31"],
        ["李秀英", "女", "T002", "初二年级组", "13900139000", LI_ID, "教师", "2024-12-31"],
    ], HEADERS)
    import_file(first)
    second = xlsx_bytes([
        ["张三明", "男", "T001", "初一年级组", "13800138000", ZHANG_ID, "教师", "2024-12-31"],  # unchanged
        ["李秀英", "女", "T002", "初一年级组", "13700137000", "", "", "2025-12-31"],            # moved, new phone
        ["王建国", "男", "T003", "初二年级组", "", "", "", ""],                                  # new
    ], HEADERS)
    result = import_file(second)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert Member.select().count() == 3
    li = Member.get(Member.staff_no == "T002")
    assert li.unit_id == school["g1"].id and li.phone == "13700137000" and li.dues_paid_until == date(2025, 12, 31)
    assert li.id_number == LI_ID and li.job == "教师", "blank optional cells keep what the member has"
    change = AuditLog.get(AuditLog.action == "member.update", AuditLog.object_id == str(li.id))
    assert change.before["phone"] == "13900139000" and change.after["phone"] == "13700137000"
    assert import_file(second).unchanged == 3


@pytest.mark.parametrize("data, message", [
    (b"", "文件是空的"),
    ("姓名,工号,单位\n张三,T1,初一年级组\n".encode("gbk"), "不是有效的 Excel"),
    (b"PK\x03\x04 not really a zip", "不是有效的 Excel"),
    ("zip", "不是有效的 Excel"),
    ("no-columns", "表格缺少列：工号、单位"),
    ("header-only", "表格中没有会员数据"),
    ("blank", "表格是空的"),
])
def test_malformed_files_are_refused_with_a_message(app, school, data, message):
    if data == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("hello.txt", "not a workbook")
        data = buf.getvalue()
    elif data == "no-columns":
        data = xlsx_bytes([["张三", "男"]], ["姓名", "性别"])
    elif data == "header-only":
        data = xlsx_bytes([], HEADERS)
    elif data == "blank":
        data = xlsx_bytes([])
    with pytest.raises(Invalid) as caught:
        import_file(data)
    assert message in caught.value.message
    assert Member.select().count() == 0


def test_a_roster_over_the_row_limit_is_refused(app, school, monkeypatch):
    monkeypatch.setattr(member_import, "MAX_ROWS", 5)
    rows = [[f"会员{i}", "男", f"T{i:03d}", "初一年级组"] for i in range(6)]
    with pytest.raises(Invalid, match="超过 5 行"):
        import_file(xlsx_bytes(rows, HEADERS[:4]))


def test_a_failure_at_insert_time_leaves_nothing_half_written(app, school, factory):
    """Someone adds staff number T01100 between the check and the write: the database's unique
    index stops the insert in the third chunk, after two chunks went in, and all of it rolls back."""
    rows = [[f"会员{i}", "男", f"T{i:05d}", "初一年级组", "", id_number(f"1980{1 + i % 12:02d}01", seq=i)]
            for i in range(1200)]
    plan = member_import.prepare_import(xlsx_bytes(rows, HEADERS[:6]))
    assert plan.ok and len(plan.new) == 1200
    factory.member(school["g2"], name="抢先的人", staff_no="T01100")  # a concurrent insert, committed
    with pytest.raises(Refused, match="没有导入任何会员"):
        member_import.apply_import(plan)
    assert [m.staff_no for m in Member.select()] == ["T01100"]
    assert not AuditLog.select().where(AuditLog.action == "member.import").exists()


# ---------------------------------------------------------------- export and template

def _give_ids(factory, school):
    zhang = factory.member(school["g1"], name="张三明", staff_no="T001", phone="13800138000")
    zhang.set_id_number(ZHANG_ID)
    zhang.save()
    li = factory.member(school["g2"], name="李秀英", gender="F", staff_no="T002", phone="13900139000")
    li.set_id_number(LI_ID)
    li.save()
    return zhang, li


def test_export_is_full_for_admin_and_masked_for_a_department_head(client, school, factory, login_as):
    _give_ids(factory, school)
    login_as(factory.account("admin1", roles=["admin"]))
    response = client.get("/members/export.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = read_xlsx(response.data)
    assert rows[0] == HEADERS
    assert rows[1][:6] == ("张三明", "男", "T001", "初一年级组", "13800138000", ZHANG_ID)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["F2"].data_type == "s" and sheet["F2"].number_format == "@", "ID numbers are text"

    client.post("/logout")
    login_as(factory.account("head", roles=[("dept_head", school["g1"])]))
    rows = read_xlsx(client.get("/members/export.xlsx").data)
    assert [r[2] for r in rows[1:]] == ["T001"], "only his own department"
    assert rows[1][4] == "138****8000" and rows[1][5] == privacy.mask_id(ZHANG_ID)
    assert ZHANG_ID not in str(rows)


def test_an_export_imports_back_unchanged_even_masked(app, school, factory):
    _give_ids(factory, school)
    full = member_import.export_workbook(show_private=True)
    masked = member_import.export_workbook(show_private=False)
    assert import_file(full).unchanged == 2
    assert import_file(masked).unchanged == 2
    assert Member.get(Member.staff_no == "T001").id_number == ZHANG_ID


def test_export_reads_whole_units_a_piece_at_a_time_in_unit_order(client, school, factory, login_as, monkeypatch):
    """With pieces of two members, the roster comes out in the same order as one query gives: by the
    units' place in the tree, then staff number; a unit larger than a piece is read whole."""
    monkeypatch.setattr(member_import, "EXPORT_CHUNK", 2)
    for unit, numbers in ((school["g2"], ("B2", "B1")), (school["school"], ("S1",)),
                          (school["g1"], ("A3", "A1", "A2"))):
        for number in numbers:
            factory.member(unit, staff_no=number)
    units = sorted((school["school"], school["g1"], school["g2"]), key=lambda u: u.path)
    expected = [n for u in units for n in sorted(m.staff_no for m in u.members)]
    batches = list(member_import._export_batches(None))
    assert [len(b) for b in batches] == [1, 1, 1]
    login_as(factory.account("admin1", roles=["admin"]))
    response = client.get("/members/export.xlsx")
    assert [r[2] for r in read_xlsx(response.data)[1:]] == expected
    assert [list(b) for b in member_import._export_batches({school["g2"].id})] == [[school["g2"].id]]


def test_template_has_the_columns_and_the_units(client, school, factory, login_as):
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    response = client.get("/members/import/template.xlsx")
    assert read_xlsx(response.data)[0] == HEADERS
    notes = [r[0] for r in read_xlsx(response.data, sheet=1)]
    assert "初一年级组" in notes and "实验中学工会" in notes and "区总工会" not in notes


# ---------------------------------------------------------------- the members page

def test_page_upload_shows_bad_rows_then_a_clean_file_is_confirmed(client, school, factory, login_as):
    login_as(factory.account("org", roles=[("organizer", school["school"])]))
    bad = xlsx_bytes([["", "男", "T001", "初一年级组"], ["李四", "男", "T002", "火星工会"]], HEADERS[:4])
    response = client.post("/members/import", data={"file": (io.BytesIO(bad), "名册.xlsx")},
                           content_type="multipart/form-data")
    page = text_of(response)
    assert response.status_code == 422
    assert "请填写姓名" in page and "找不到单位“火星工会”" in page and "确认导入" not in page
    assert Member.select().count() == 0

    good = xlsx_bytes([["张三明", "男", "T001", "初一年级组"], ["李秀英", "女", "T002", "初二年级组"]], HEADERS[:4])
    response = client.post("/members/import", data={"file": (io.BytesIO(good), "名册.xlsx")},
                           content_type="multipart/form-data")
    assert "新增 2 人" in text_of(response) and Member.select().count() == 0, "checked, not yet written"
    token = response.get_data(as_text=True).split('name="token" value="')[1].split('"')[0]
    response = client.post("/members/import/confirm", data={"token": token}, follow_redirects=True)
    assert "导入完成：共 2 行，新增 2 人" in text_of(response)
    assert Member.select().count() == 2
    assert client.post("/members/import/confirm", data={"token": "../../etc/passwd"}).status_code == 404


def test_page_refuses_a_file_that_is_not_xlsx_and_one_too_large(make_app, school, factory):
    app = make_app(MAX_CONTENT_LENGTH=20_000)
    client = app.test_client()
    with app.app_context():
        from tests.support import login

        factory.account("org", roles=[("organizer", school["school"])])
        login(client, "org")
    response = client.post("/members/import", data={"file": (io.BytesIO(b"a,b,c\n1,2,3\n"), "名册.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and "不是有效的 Excel" in text_of(response)
    response = client.post("/members/import", data={"file": (io.BytesIO(b"x" * 30_000), "名册.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "上传的文件太大" in text_of(response)


def test_a_department_head_may_not_import(client, school, factory, login_as):
    login_as(factory.account("head", roles=[("dept_head", school["g1"])]))
    assert client.get("/members/import").status_code == 403
    assert client.get("/members/export.xlsx").status_code == 200


def test_an_organizer_imports_only_into_his_units(client, school, factory, login_as):
    other = factory.unit("第二中学工会", school["district"], "grassroots")
    login_as(factory.account("org", roles=[("organizer", school["g1"])]))
    data = xlsx_bytes([["张三明", "男", "T001", "初一年级组"], ["李四", "男", "T002", "第二中学工会"]], HEADERS[:4])
    response = client.post("/members/import", data={"file": (io.BytesIO(data), "名册.xlsx")},
                           content_type="multipart/form-data")
    assert "您无权管理单位“第二中学工会”的会员" in text_of(response)
    assert other.members.count() == 0


# ---------------------------------------------------------------- the API

def _api(factory, *, roles=("admin",), language="zh"):
    from core.services.accounts import issue_token

    account = factory.account(roles=list(roles))
    account.language = language
    account.save()
    return {"Authorization": f"Bearer {issue_token(account)}"}


def test_api_imports_a_file_and_reports_counts(client, school, factory):
    headers = _api(factory)
    data = xlsx_bytes([["张三明", "男", "T001", "初一年级组", "", ZHANG_ID]], HEADERS[:6])
    response = client.post("/api/v1/members/import?dry_run=1", headers=headers,
                           data={"file": (io.BytesIO(data), "r.xlsx")}, content_type="multipart/form-data")
    assert response.json == {"rows": 1, "added": 1, "updated": 0, "unchanged": 0, "dry_run": True}
    assert Member.select().count() == 0
    response = client.post("/api/v1/members/import", headers=headers,
                           data={"file": (io.BytesIO(data), "r.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 200 and response.json["added"] == 1
    assert Member.get(Member.staff_no == "T001").id_number == ZHANG_ID


def test_api_import_errors_are_json_by_row_in_the_users_language(client, school, factory):
    data = xlsx_bytes([["", "男", "T001", "初一年级组", "", ZHANG_ID[:17] + "0"]], HEADERS[:6])
    if ZHANG_ID[17] == "0":
        data = xlsx_bytes([["", "男", "T001", "初一年级组", "", ZHANG_ID[:17] + "1"]], HEADERS[:6])
    response = client.post("/api/v1/members/import", headers=_api(factory),
                           data={"file": (io.BytesIO(data), "r.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.json["error"] == "invalid"
    assert response.json["errors"] == {"2": ["请填写姓名", "身份证号校验位不正确"]}

    english = _api(factory, language="en")
    response = client.post("/api/v1/members/import", headers=english,
                           data={"file": (io.BytesIO(data), "r.xlsx")}, content_type="multipart/form-data")
    assert response.json["errors"] == {"2": ["Enter the name",
                                             "The check character of the ID number is wrong"]}
    assert response.json["message"].startswith("1 row(s) have errors; no member was imported")
    response = client.post("/api/v1/members/import", headers=english,
                           data={"file": (io.BytesIO(b"a,b\n"), "r.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "not a valid Excel" in response.json["message"]
    response = client.post("/api/v1/members/import", headers=english, json={})
    assert response.status_code == 422 and "file" in response.json["message"]


def test_api_refuses_an_oversized_upload_with_json(make_app, school, factory):
    app = make_app(MAX_CONTENT_LENGTH=20_000)
    with app.app_context():
        headers = _api(factory)
    response = app.test_client().post("/api/v1/members/import", headers=headers,
                                      data={"file": (io.BytesIO(b"x" * 30_000), "r.xlsx")},
                                      content_type="multipart/form-data")
    assert response.status_code == 413 and response.json["message"] == "上传的文件太大"


def test_api_creates_and_changes_one_member(client, school, factory):
    organizer = _api(factory, roles=[("organizer", school["school"])])
    response = client.post("/api/v1/members", headers=organizer, json={
        "name": "张三明", "gender": "M", "staff_no": "T001", "unit_id": school["g1"].id,
        "phone": "13800138000", "id_number": ZHANG_ID, "dues_paid_until": "2024-12-31"})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["id_number"] == privacy.mask_id(ZHANG_ID), "no members.private: masked"
    assert Member.get_by_id(body["id"]).id_number == ZHANG_ID

    response = client.patch(f"/api/v1/members/{body['id']}", headers=organizer,
                            json={"unit_id": school["g2"].id, "job": "班主任"})
    assert response.status_code == 200 and response.json["unit"]["id"] == school["g2"].id
    member = Member.get_by_id(body["id"])
    assert member.job == "班主任" and member.phone == "13800138000" and member.id_number == ZHANG_ID

    response = client.patch(f"/api/v1/members/{body['id']}", headers=organizer, json={"id_number": "123"})
    assert response.status_code == 422 and "身份证号应为18位" in response.json["errors"]["id_number"]
    response = client.post("/api/v1/members", headers=organizer, json={
        "name": "李四", "gender": "M", "staff_no": "T001", "unit_id": school["g1"].id})
    assert response.status_code == 422 and "已被其他会员使用" in response.json["errors"]["staff_no"]
    response = client.post("/api/v1/members", headers=organizer, json={"name": "李四"})
    assert response.status_code == 422 and response.json["errors"]["gender"] == "必填"
    response = client.patch(f"/api/v1/members/{body['id']}", headers=organizer, json={"dues_paid_until": "2024-02-30"})
    assert response.status_code == 422 and "dues_paid_until" in response.json["errors"]

    admin = _api(factory)
    assert client.get(f"/api/v1/members/{body['id']}", headers=admin).json["id_number"] == ZHANG_ID
    assert client.get("/api/v1/members/99999", headers=admin).status_code == 404


def test_api_refuses_members_outside_ones_units(client, school, factory):
    other = factory.unit("第二中学工会", school["district"], "grassroots")
    stranger = factory.member(other, staff_no="Z001")
    organizer = _api(factory, roles=[("organizer", school["school"])])
    assert client.patch(f"/api/v1/members/{stranger.id}", headers=organizer, json={"job": "x"}).status_code == 403
    response = client.post("/api/v1/members", headers=organizer, json={
        "name": "李四", "gender": "M", "staff_no": "T009", "unit_id": other.id})
    assert response.status_code == 403 and response.json["error"] == "forbidden"
    head = _api(factory, roles=[("dept_head", school["g1"])])
    assert client.post("/api/v1/members", headers=head, json={}).status_code == 403


def test_openapi_describes_the_member_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    upload = paths["/api/v1/members/import"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["required"] == ["file"]
    assert paths["/api/v1/members"]["post"]["requestBody"]["content"]["application/json"]["schema"]["required"]
    assert "patch" in paths["/api/v1/members/{member_id}"]


def test_concurrent_imports_of_one_file_add_each_member_once(app, school, factory):
    """Two people upload the same roster at the same moment: each staff number is added once; the
    import that loses the race is refused as a whole (409) or finds the rows already there."""
    headers = _api(factory)
    data = xlsx_bytes([[f"会员{i}", "男", f"T{i:04d}", "初一年级组", "", id_number("19800101", seq=i)]
                       for i in range(300)], HEADERS[:6])
    statuses = []

    def upload():
        client = app.test_client()
        response = client.post("/api/v1/members/import", headers=headers,
                               data={"file": (io.BytesIO(data), "r.xlsx")}, content_type="multipart/form-data")
        statuses.append((response.status_code, response.json))

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {s for s, _b in statuses} <= {200, 409}, statuses
    assert any(s == 200 and b["added"] == 300 for s, b in statuses)
    for status, body in statuses:
        if status == 409:
            assert "没有导入任何会员" in body["message"]
        elif body["added"] != 300:
            assert body["unchanged"] == 300
    assert Member.select().count() == 300


# ---------------------------------------------------------------- the command line

def test_cli_imports_with_a_progress_bar_and_exports(app, school, tmp_path):
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(xlsx_bytes([["张三明", "男", "T001", "初一年级组", "13800138000", ZHANG_ID],
                                   ["李秀英", "女", "T002", "初二年级组", "", LI_ID]], HEADERS[:6]))
    result = run_cli(app, "import-members", roster, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "检查通过（未写入）：共 2 行，将新增 2 人" in result.output
    assert Member.select().count() == 0
    result = run_cli(app, "import-members", roster)
    assert result.exit_code == 0, result.output
    assert "检查" in result.output and "写入" in result.output, "a progress bar per stage"
    assert "导入完成：共 2 行，新增 2 人，更新 0 人，0 人无变化" in result.output
    assert Member.get(Member.staff_no == "T002").id_number == LI_ID

    out = tmp_path / "导出.xlsx"
    result = run_cli(app, "export-members", out)
    assert result.exit_code == 0 and "已导出 2 名会员" in result.output
    assert read_xlsx(out.read_bytes())[1][5] == ZHANG_ID
    run_cli(app, "export-members", out, "--masked")
    assert read_xlsx(out.read_bytes())[1][5] == privacy.mask_id(ZHANG_ID)


def test_cli_lists_bad_rows_and_fails(app, school, tmp_path):
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(xlsx_bytes([["张三明", "男", "T001", "初一年级组"], ["", "男", "T001", "初三年级组"]],
                                  HEADERS[:4]))
    result = run_cli(app, "import-members", roster)
    assert result.exit_code == 1
    assert "第 3 行：请填写姓名；工号 T001 与第 2 行重复；找不到单位“初三年级组”" in result.output
    assert "有 1 行有误，没有导入任何会员" in result.output
    assert Member.select().count() == 0
    csv = tmp_path / "名册.csv.xlsx"
    csv.write_text("姓名,工号,单位\n")
    result = run_cli(app, "import-members", csv)
    assert result.exit_code == 1 and "不是有效的 Excel" in result.output
