"""The API: a valid OpenAPI 3 document naming every /api/v1 route, and JSON errors with a message
for every failure (never an HTML page, never a bare 500)."""

from __future__ import annotations

import re
import types

import pytest
from flask import Blueprint
from openapi_spec_validator import validate

from core import hookimpl
from core.access import public
from core.api.spec import operation
from core.services.accounts import issue_token

CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def api_routes(app) -> set[tuple[str, str]]:
    return {(CONVERTER.sub(r"{\1}", rule.rule), method.lower())
            for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def documented(document) -> set[tuple[str, str]]:
    return {(path, method) for path, operations in document["paths"].items() for method in operations}


def failing_plugin():
    """An API endpoint that fails unexpectedly, as a bug in a plugin would."""
    bp = Blueprint("api_failing", __name__, url_prefix="/api/v1/failing")

    @bp.route("/boom")
    @public
    @operation("出错", tags=["test"])
    def boom():
        raise RuntimeError("a bug")

    module = types.ModuleType("failing")
    module.huodong_blueprints = hookimpl(lambda: [bp])
    return module


@pytest.mark.parametrize("with_plugin", [False, True], ids=["core", "with example plugin"])
def test_openapi_document_is_valid_and_names_every_route(request, with_plugin, make_app):
    app = request.getfixturevalue("example_app") if with_plugin else make_app()
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    validate(document)  # raises with the reason when the document is not valid OpenAPI 3
    assert document["openapi"].startswith("3.")
    missing = api_routes(app) - documented(document)
    assert not missing, f"API routes missing from /api/v1/openapi.json (decorate them with @operation): {missing}"
    if with_plugin:
        add = document["paths"]["/api/v1/example/picks"]["post"]
        assert add["requestBody"]["content"]["application/json"]["schema"]["required"] == ["event_id", "title"]
        assert add["security"] == [{"bearer": []}]


def assert_json_error(response, status, error=None):
    assert response.status_code == status
    assert response.is_json, response.get_data(as_text=True)[:200]
    body = response.get_json()
    assert isinstance(body["error"], str) and isinstance(body["message"], str) and body["message"]
    if error:
        assert body["error"] == error
    return body


def test_errors_are_json_with_a_message(example_app, factory):
    school = factory.school()
    teacher = factory.account("teacher", member=factory.member(school["g1"]))
    token = {"Authorization": f"Bearer {issue_token(teacher)}"}
    client = example_app.test_client()

    assert assert_json_error(client.get("/api/v1/me"), 401)["message"] == "请先登录或提供有效的 API 令牌"
    assert assert_json_error(client.get("/api/v1/members", headers=token), 403)["message"] == "没有权限访问此页面"
    assert_json_error(client.get("/api/v1/no-such-thing"), 404)
    assert assert_json_error(client.get("/api/v1/events/99999"), 404)["message"] == "找不到该活动"
    assert assert_json_error(client.post("/api/v1/events"), 405)["message"] == "不支持此请求方法"

    event = factory.event(school["school"], activity_type="reading", preset="monthly")
    missing = client.post("/api/v1/example/picks", json={"event_id": event.id}, headers=token)
    body = assert_json_error(missing, 422, "invalid")
    assert body["errors"] == {"title": "必填"}
    wrong_type = client.post("/api/v1/example/picks", json={"event_id": "一", "title": "活着"}, headers=token)
    assert assert_json_error(wrong_type, 422)["errors"] == {"event_id": "类型应为整数"}
    unknown = client.post("/api/v1/example/picks", json={"event_id": event.id, "title": "活着", "zzz": 1},
                          headers=token)
    assert assert_json_error(unknown, 422)["message"] == "请求数据有误：请求体：含有未知字段：zzz"
    not_json = client.post("/api/v1/example/picks", data="title=活着", headers=token)
    assert assert_json_error(not_json, 422)["message"] == "请求体应为 JSON 对象"
    english = client.post("/api/v1/example/picks?lang=en", json={"event_id": event.id}, headers=token)
    assert assert_json_error(english, 422)["errors"]["title"].lower() == "required"
    english = client.post("/api/v1/example/picks?lang=en", json={"event_id": "一", "title": "活着"}, headers=token)
    assert assert_json_error(english, 422)["errors"] == {"event_id": "must be of type integer"}


def test_an_unexpected_error_is_a_json_500(make_app):
    app = make_app(extra_plugins=[("failing", failing_plugin())], PROPAGATE_UNEXPECTED=False)
    response = app.test_client().get("/api/v1/failing/boom")
    body = assert_json_error(response, 500, "internal")
    assert body["message"] == "服务器内部错误，请稍后再试或联系管理员"
    assert "a bug" not in response.get_data(as_text=True)  # no internals leak out
    english = app.test_client().get("/api/v1/failing/boom", headers={"Accept-Language": "en"})
    assert english.get_json()["message"] == "Internal error. Please try again later or contact the administrator."


def test_api_bodies_need_no_csrf_token(example_app, factory):
    school = factory.school()
    teacher = factory.account("teacher", member=factory.member(school["g1"]))
    event = factory.event(school["school"], activity_type="reading", preset="monthly")
    example_app.config["WTF_CSRF_ENABLED"] = True
    response = example_app.test_client().post("/api/v1/example/picks", json={"event_id": event.id, "title": "活着"},
                                              headers={"Authorization": f"Bearer {issue_token(teacher)}"})
    assert response.status_code == 201
