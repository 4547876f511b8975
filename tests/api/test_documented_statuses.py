"""Every success status an API view can answer is in the OpenAPI document: a 201 documented as 200
would be checked by clients (and schemathesis) against the error schema."""

from __future__ import annotations

import inspect
import re

from core.api.spec import build_document

_RETURNED = re.compile(r"return jsonify\(.*\),\s*(\d{3})(?:\s+if\s+.*\s+else\s+(\d{3}))?\s*$"
                       r"|status_code = (\d{3})(?: if .* else (\d{3}))?$", re.M)


def _source(view) -> str:
    while hasattr(view, "__wrapped__"):
        view = view.__wrapped__
    return inspect.getsource(view)


def test_every_returned_success_status_is_documented(app):
    document = build_document(app)
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if not rule.rule.startswith("/api/v1/") or not hasattr(view, "_openapi"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            documented = set(document["paths"][path][method.lower()]["responses"]) - {"default"}
            returned = {s for found in _RETURNED.findall(_source(view)) for s in found if s} or {"200"}
            if "jsonify(" not in _source(view) and "Response(" in _source(view):
                continue  # a file or a feed, not JSON
            assert returned <= documented, f"{method} {rule.rule} answers {returned}, documents {documented}"
            checked += 1
    assert checked > 40


def test_a_created_member_is_documented_as_201_only(app):
    responses = build_document(app)["paths"]["/api/v1/members"]["post"]["responses"]
    assert set(responses) == {"201", "default"}
