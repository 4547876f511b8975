"""The API fuzzed from its own OpenAPI document (schemathesis): as an administrator with a Bearer
token, no operation answers 500 and every documented response matches its schema."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from core.services.accounts import issue_token

# A longer run: HUODONG_FUZZ_EXAMPLES=200 pytest tests/api/test_fuzz_openapi.py -s (prints its counts).
EXAMPLES_PER_OPERATION = int(os.environ.get("HUODONG_FUZZ_EXAMPLES", "8"))


@pytest.fixture
def api_schema(app, factory):
    """The app's OpenAPI document, with a few real rows so that small ids often exist."""
    school = factory.school()
    member = factory.member(school["g1"])
    factory.event(school["school"], capacity=3)
    admin = factory.account("fuzz-admin", member=member, roles=["admin"])
    app.config["FUZZ_TOKEN"] = issue_token(admin)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.slow
def test_api_answers_without_server_errors(api_schema, app):
    headers = {"Authorization": f"Bearer {app.config['FUZZ_TOKEN']}"}
    failures = {}
    calls: dict[int, int] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None, phases=[Phase.explicit, Phase.generate])  # no shrinking: bounded time
        def fuzz(case):
            response = case.call_and_validate(
                headers=headers, checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
            calls[response.status_code // 100] = calls.get(response.status_code // 100, 0) + 1

        try:
            fuzz()
        except Exception as error:  # every failing operation is reported, not only the first
            failures[operation.label] = f"{type(error).__name__}: {error}"[:1500]
    print(f"\nschemathesis: {len(operations)} operations, {sum(calls.values())} calls passed the checks "
          f"({', '.join(f'{k}xx: {v}' for k, v in sorted(calls.items()))}), {len(failures)} operations failed")
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
