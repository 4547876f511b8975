"""The quick check of API bodies says yes only where jsonschema's validator does."""

from __future__ import annotations

import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.api.quickcheck import compile_check


def _body_schemas(app):
    for view in app.view_functions.values():
        meta = getattr(view, "_openapi", None)
        if meta and meta["body"] is not None:
            yield meta["body"]


def _values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 2**40), st.floats(allow_nan=False),
                        st.sampled_from([0, 1, 1.0, -1, 40, 41, 200, 201]),
                        st.text(max_size=5), st.text(min_size=38, max_size=70),
                        st.sampled_from(["in", "out", "main", "", "HD.1.1.AAAA"]))
    return st.one_of(scalars, st.lists(scalars, max_size=2), st.dictionaries(st.text(max_size=3), scalars, max_size=2))


def _bodies(schema):
    names = list(schema.get("properties", {})) + ["unknown"]
    return st.one_of(_values(), st.dictionaries(st.sampled_from(names), _values(), max_size=len(names)))


def test_the_apps_simple_bodies_get_a_quick_check_and_others_none(app):
    from plugins.checkin.api import BATCH_SCHEMA, SCAN_SCHEMA

    assert compile_check(SCAN_SCHEMA) is not None
    assert compile_check(BATCH_SCHEMA) is None  # nested: left to jsonschema
    assert compile_check({"type": "object", "properties": {"code": {"type": "string", "pattern": "^HD"}}}) is None
    assert any(compile_check(schema) is not None for schema in _body_schemas(app))


def test_the_sign_in_body(app):
    from plugins.checkin.api import SCAN_SCHEMA

    check = compile_check(SCAN_SCHEMA)
    assert check({"event_id": 3, "code": "HD.1.1.ABC"}) and check({"event_id": 3, "registration_id": 9, "kind": "out"})
    for refused in ({"code": "x"}, {"event_id": True}, {"event_id": 0}, {"event_id": "3"}, {"event_id": 3, "kind": "up"},
                    {"event_id": 3, "extra": 1}, {"event_id": 3, "code": "x" * 201}, [], "body", None):
        assert not check(refused), refused
        assert not jsonschema.Draft202012Validator(SCAN_SCHEMA).is_valid(refused)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_quick_yes_is_always_the_validators_yes(app, data):
    schemas = [s for s in _body_schemas(app) if compile_check(s) is not None]
    schema = data.draw(st.sampled_from(schemas))
    body = data.draw(_bodies(schema))
    if compile_check(schema)(body):
        assert jsonschema.Draft202012Validator(schema).is_valid(body), (schema, body)
