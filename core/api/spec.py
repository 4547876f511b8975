"""OpenAPI description of every API view, kept next to the view itself.

``@operation(summary=..., body=SCHEMA, responses=...)`` records the operation for
``/api/v1/openapi.json`` and validates a JSON body against ``body`` before the view runs, answering
422 with a message naming the field. Schemas are JSON Schema 2020-12, the dialect of OpenAPI 3.1.
"""

from __future__ import annotations

import re
from functools import wraps

import jsonschema
from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from core import __version__
from core.api.quickcheck import compile_check
from core.errors import Invalid
from core.validation import bad_json_number

# What a validation message calls each JSON Schema type.
TYPE_LABELS = {"integer": _l("整数"), "number": _l("数字"), "string": _l("文本"), "boolean": _l("布尔值（true 或 false）"),
               "array": _l("列表"), "object": _l("对象"), "null": _l("空值（null）")}

# An answer whose fields are not described yet.
OBJECT = {"type": "object"}

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}, "errors": {"type": "object"}},
    "required": ["error", "message"],
}


def operation(summary: str, *, body: dict | None = None, responses: dict | None = None, tags=(),
              query: dict | None = None, upload: str | None = None):
    """Describe (and validate) an API view. ``query`` maps parameter names to schemas; ``upload``
    names the multipart/form-data field of a view that takes a file instead of a JSON body."""

    validator = jsonschema.Draft202012Validator(body) if body is not None else None
    quick = compile_check(body) if body is not None else None

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if body is not None:
                payload = request.get_json(silent=True)
                if payload is None:
                    raise Invalid(_("请求体应为 JSON 对象"))
                validate_body(payload, body, validator, quick)
            if query:
                validate_query(request.args, query)
            return view(*args, **kwargs)

        wrapper._openapi = {"summary": summary, "body": body, "responses": responses or {}, "tags": list(tags),
                            "query": query or {}, "upload": upload}
        if hasattr(view, "_access"):
            wrapper._access = view._access
        return wrapper

    return decorator


def validate_body(payload, schema: dict, validator=None, quick=None) -> None:
    """Raise :class:`Invalid` naming each wrong field unless ``payload`` matches ``schema``.

    ``quick`` is :func:`core.api.quickcheck.compile_check` of the schema: when it accepts the
    payload, the full validator is not needed.
    """
    if bad_json_number(payload):
        raise Invalid(_("请求数据有误：%(detail)s", detail=_("数值超出范围")))
    if quick is not None and quick(payload):
        return
    validator = validator or jsonschema.Draft202012Validator(schema)
    if validator.is_valid(payload):
        return
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    fields = {}
    for error in errors:
        name = ".".join(str(p) for p in error.path) or (error.validator == "required" and
                                                          error.message.split("'")[1]) or "body"
        fields[name] = _describe(error)
    body = _("请求体")
    detail = "；".join(f"{body if k == 'body' else k}：{v}" for k, v in fields.items())
    raise Invalid(_("请求数据有误：%(detail)s", detail=detail), fields)


_FLAGS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False,
          "": False}


def validate_query(args, schemas: dict) -> None:
    """Check the query parameters that are present against their declared schemas (integers are
    read from their text first), answering 422 like a bad body."""
    values = {}
    for name, schema in schemas.items():
        if name not in args:
            continue
        raw = args[name]
        if schema.get("type") == "integer":
            try:
                raw = int(raw)
            except ValueError:
                wrong = _("类型应为%(type)s", type=type_label("integer"))
                raise Invalid(_("请求数据有误：%(detail)s", detail=f"{name}：{wrong}"), {name: wrong}) from None
        elif schema.get("type") == "boolean":
            raw = _FLAGS.get(raw.strip().lower(), raw)
        values[name] = raw
    validate_body(values, {"type": "object", "properties": schemas})


def type_label(value) -> str:
    """A schema's type (or list of types) in words: 整数, or 整数或空值（null）."""
    names = value if isinstance(value, list) else [value]
    return _("或").join(str(TYPE_LABELS.get(name, name)) for name in names)


def _describe(error) -> str:
    """One schema error in words for the user."""
    kind = error.validator
    if kind == "required":
        return _("必填")
    if kind == "type":
        return _("类型应为%(type)s", type=type_label(error.validator_value))
    if kind in ("minLength", "maxLength"):
        return _("长度不符合要求")
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return _("数值超出范围")
    if kind == "enum":
        return _("取值应为：%(values)s", values="、".join(map(str, error.validator_value)))
    if kind == "additionalProperties":
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("含有未知字段：%(names)s", names="、".join(map(str, unknown))) if unknown else _("含有未知字段")
    if kind == "pattern":
        return _("格式不正确")
    return _("格式不正确")


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def build_document(app=None) -> dict:
    app = app or current_app
    paths: dict = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "_openapi", None)
        if meta is None:
            continue
        path = _CONVERTER.sub(r"{\2}", rule.rule)
        params = [
            {"name": name, "in": "path", "required": True,
             "schema": {"type": "integer"} if conv == "int" else {"type": "string"}}
            for conv, name in _CONVERTER.findall(rule.rule)
        ]
        params += [{"name": name, "in": "query", "required": False, "schema": schema}
                   for name, schema in meta["query"].items()]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            op = {
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "summary": meta["summary"],
                "tags": meta["tags"],
                "parameters": params,
                "security": [] if view._access == "public" else [{"bearer": []}],
                "responses": {},
            }
            # A view answers 200 unless it declares its own successes (201 for what it creates).
            successes = meta["responses"] or {200: OBJECT}
            for status, schema in sorted(successes.items()):
                op["responses"][str(status)] = {"description": "OK",
                                                 "content": {"application/json": {"schema": schema}}}
            op["responses"]["default"] = {"description": "错误",
                                          "content": {"application/json": {"schema": ERROR_SCHEMA}}}
            if meta["body"] is not None and method in ("POST", "PUT", "PATCH"):
                op["requestBody"] = {"required": True, "content": {"application/json": {"schema": meta["body"]}}}
            elif meta.get("upload") and method in ("POST", "PUT"):
                upload = {"type": "object", "required": [meta["upload"]],
                          "properties": {meta["upload"]: {"type": "string", "format": "binary"}}}
                op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": upload}}}
            paths.setdefault(path, {})[method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "huodong API", "version": __version__,
                 "description": "工会活动管理系统接口。认证：Authorization: Bearer <令牌>。"},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": dict(sorted(paths.items())),
    }
