"""The API fuzzed from its own OpenAPI document (schemathesis): as an administrator with a Bearer
token, no operation answers 500 and every documented response matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from core.services.accounts import issue_token

EXAMPLES_PER_OPERATION = 8


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
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None, phases=[Phase.explicit, Phase.generate])  # no shrinking: bounded time
        def fuzz(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

        try:
            fuzz()
        except Exception as error:  # every failing operation is reported, not only the first
            failures[operation.label] = f"{type(error).__name__}: {error}"[:1500]
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
