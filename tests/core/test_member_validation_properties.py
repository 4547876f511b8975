"""Property-based checks of ``validate_member``: whatever text comes in, the answer is either clean
member data or :class:`Invalid` with a message per field, never another error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import privacy
from core.errors import Invalid
from core.services.members import validate_member

TEXT = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(["", "  ", "13912345678", "M", "F"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT, staff_no=TEXT, gender=TEXT, phone=TEXT, id_number=TEXT)
def test_validate_member_answers_clean_data_or_a_message_per_field(app, factory, name, staff_no, gender, phone,
                                                                     id_number):
    unit = factory.unit("实验中学工会") if not hasattr(app, "_prop_unit") else app._prop_unit
    app._prop_unit = unit
    data = {"name": name, "staff_no": staff_no, "gender": gender, "phone": phone, "id_number": id_number,
            "unit": unit.id}
    try:
        clean = validate_member(data)
    except Invalid as exc:
        assert exc.errors and set(exc.errors) <= {"name", "staff_no", "gender", "phone", "id_number", "unit"}
        return
    assert clean["name"] == clean["name"].strip() != ""
    assert clean["staff_no"] == clean["staff_no"].strip() != ""
    assert clean["gender"] in ("M", "F")
    assert clean["phone"] is None or privacy.is_valid_phone(clean["phone"])
    assert clean["id_number"] is None or privacy.normalize_id_number(clean["id_number"]) == clean["id_number"]
    assert clean["unit"].id == unit.id
