"""Every route of the app, as every role: allowed or refused as the tables in tests/permissions say.

The app has the example third-party plugin installed, so its table (example.py) shows how a plugin
adds its routes. See tests/permissions/__init__.py for how to add yours.
"""

from __future__ import annotations

import pytest

from tests.permissions import NOBODY, World, allow, collect_rules, table_modules
from tests.support import Factory, session_for

SKIPPED_METHODS = {"HEAD", "OPTIONS"}
NO_BODY = allow(NOBODY)


def route_keys(app) -> set[str]:
    return {f"{method} {rule.rule}" for rule in app.url_map.iter_rules()
            for method in rule.methods - SKIPPED_METHODS}


@pytest.fixture
def world(example_app):
    world = World()
    world.factory = Factory(example_app)
    for module in table_modules():
        if hasattr(module, "setup"):
            module.setup(world)
    return world


def outcome(response) -> str:
    """``allowed`` or ``refused``; anything else (a 500) is reported as it is."""
    status = response.status_code
    if status in (401, 403, 404):
        return "refused"
    if status in (301, 302, 303) and response.headers.get("Location", "").startswith("/login?"):
        return "refused"
    if status >= 500:
        return f"error {status}"
    return "allowed"


def request_as(app, account, method, url, case, world, role=None):
    client = app.test_client()
    if account is not None:
        session_for(client, account)
    body = {key: world.resolve(value, role) for key, value in (("data", case.data), ("json", case.json))
            if value is not None}
    return client.open(url, method=method, **body)


def test_every_route_has_an_entry(example_app):
    missing = sorted(route_keys(example_app) - set(collect_rules()))
    assert not missing, ("routes without an entry in the permissions matrix (add them to tests/permissions/"
                         f"<your plugin>.py, see its __init__.py): {missing}")


def _dummy_values(rule) -> dict:
    from werkzeug.routing import FloatConverter, IntegerConverter

    return {name: 1 if isinstance(converter, IntegerConverter | FloatConverter) else "x"
            for name, converter in rule._converters.items()}


def test_every_route_keeps_its_declared_access_rule(example_app, world):
    """Beside the tables, the rule each view declares: ``login`` refuses anonymous visitors;
    ``permission:...`` refuses them and a participant without grants (the decorator answers before
    any object is looked up, so made-up URL values do)."""
    wrong, checked = [], 0
    with example_app.test_request_context():
        from flask import url_for

        targets = []
        for rule in example_app.url_map.iter_rules():
            for method in rule.methods - SKIPPED_METHODS:
                targets.append((method, rule, url_for(rule.endpoint, **_dummy_values(rule))))
    for method, rule, url in targets:
        access = getattr(example_app.view_functions[rule.endpoint], "_access", "public")  # Flask's static
        refused = {"login": ["anonymous"]}.get(access, ["anonymous", "participant"] if access.startswith(
            "permission:") else [])
        for role in refused:
            got = outcome(request_as(example_app, world.accounts[role], method, url, NO_BODY, world))
            checked += 1
            if got != "refused":
                wrong.append(f"{method} {url} ({access}) as {role}: {got}")
    assert checked >= 100
    assert not wrong, "\n".join(["declared access rules that do not hold:", *wrong])


def test_no_entry_for_a_route_that_does_not_exist(example_app):
    stale = sorted(set(collect_rules()) - route_keys(example_app))
    assert not stale, f"tests/permissions has entries for routes the app does not have: {stale}"


def test_every_role_meets_every_route_as_the_tables_say(example_app, world):
    rules = collect_rules()
    roles = list(world.accounts)
    wrong, checked = [], 0
    with example_app.test_request_context():
        from flask import url_for

        urls = {}
        for rule in example_app.url_map.iter_rules():
            for method in rule.methods - SKIPPED_METHODS:
                for owner, case in rules.get(f"{method} {rule.rule}", []):
                    url = {role: url_for(rule.endpoint, **world.resolve(case.values, role)) for role in roles}
                    urls.setdefault(f"{method} {rule.rule}", []).append((owner, case, method, url))
    for _key, entries in sorted(urls.items()):
        for owner, case, method, url_of in entries:
            allowed = case.allowed_roles(roles)
            for role in roles:
                url = url_of[role]
                got = outcome(request_as(example_app, world.accounts[role], method, url, case, world, role))
                want = "allowed" if role in allowed else "refused"
                checked += 1
                if got != want:
                    wrong.append(f"{method} {url} as {role}: {got}, {owner}.py says {want}")
    assert checked >= 200
    assert not wrong, "\n".join(["answers differ from the permissions matrix:", *wrong])
