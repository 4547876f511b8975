from hypothesis import given
from hypothesis import strategies as st

from core import privacy

VALID = "11010519491231002X"


def test_id_check_character_iso7064():
    assert privacy.normalize_id_number("11010519491231002x") == VALID
    assert privacy.is_valid_id_number(VALID)
    assert not privacy.is_valid_id_number("110105194912310021")


def test_id_number_messages_name_the_fault():
    cases = {
        "12345": "身份证号应为18位",
        "110105194913310021": "出生日期无效",
        "110105194912310021": "校验位不正确",
    }
    for value, message in cases.items():
        try:
            privacy.normalize_id_number(value)
        except privacy.InvalidIdNumber as exc:
            assert message in str(exc)
        else:
            raise AssertionError(value)


@given(st.from_regex(r"\A[1-6]\d{5}(19[5-9]\d|200\d)(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}\Z"))
def test_computed_check_character_always_validates(first17):
    full = first17 + privacy.id_check_char(first17)
    assert privacy.is_valid_id_number(full)
    wrong = "0" if full[-1] != "0" else "1"
    assert not privacy.is_valid_id_number(full[:-1] + wrong)


def test_masks():
    assert privacy.mask_name("张三明") == "张*明"
    assert privacy.mask_name("李四") == "李*"
    assert privacy.mask_name("欧阳振华") == "欧**华"
    assert privacy.mask_id("320102198001011234") == "3201**********1234"
    assert privacy.mask_phone("13812345678") == "138****5678"


def test_encryption_round_trip_and_keyed_hash():
    privacy.configure("k1")
    token = privacy.encrypt(VALID)
    assert VALID not in token and privacy.decrypt(token) == VALID
    assert privacy.keyed_hash(VALID) == privacy.keyed_hash(VALID)
    privacy.configure("k2")
    assert privacy.decrypt(token) is None
    assert privacy.keyed_hash(VALID) != privacy.keyed_hash("11010519491231003X")


def test_id_numbers_are_not_in_the_database_in_clear(app, factory):
    from core.db import db

    school = factory.school()
    member = factory.member(school["g1"], name="张三明")
    member.set_id_number(VALID)
    member.save()
    raw = db.execute_sql(f"SELECT id_number, id_hash FROM member WHERE id = {int(member.id)}").fetchone()
    assert VALID not in raw[0] and VALID not in raw[1]
    from core.models import Member

    assert Member.get_by_id(member.id).id_number == VALID


def test_an_organizer_edits_a_member_without_seeing_his_full_phone(app, factory):
    from core.models import Member
    from tests.support import login

    school = factory.school()
    member = factory.member(school["g1"], name="刘老师", phone="13912345678")
    factory.account("org", member=factory.member(school["school"]), roles=[("organizer", school["school"])])
    client = login(app.test_client(), "org")
    page = client.get(f"/members/{member.id}/edit").get_data(as_text=True)
    assert "13912345678" not in page and "139****5678" in page
    form = {"name": "刘老师", "gender": "M", "staff_no": member.staff_no, "unit": str(school["g1"].id),
            "phone": "", "id_number": "", "job": "语文", "dues_paid_until": ""}
    assert client.post(f"/members/{member.id}/edit", data=form).status_code == 302
    assert Member.get_by_id(member.id).phone == "13912345678" and Member.get_by_id(member.id).job == "语文"
    assert client.post(f"/members/{member.id}/edit", data={**form, "phone": "13800001111"}).status_code == 302
    assert Member.get_by_id(member.id).phone == "13800001111"
