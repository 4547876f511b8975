"""A quick yes for simple request bodies, before the full JSON Schema validator.

Most API bodies are flat objects of typed properties (integers in a range, strings of a bounded
length or from a list, booleans), with required names and no extra properties. ``compile_check``
turns such a schema into a plain function that answers ``True`` only for a body the schema
accepts; jsonschema's validator is then skipped on the busy paths (a sign-in). ``False`` only means
"ask the validator", which keeps the last word and writes the error messages. A schema using
anything else gets no quick check (``None``).
"""

from __future__ import annotations

from collections.abc import Callable

_ANNOTATIONS = {"description", "default", "title", "examples"}
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _number_check(schema: dict, types: tuple[type, ...]) -> Callable[[object], bool] | None:
    bounds = {key: schema[key] for key in _BOUNDS if key in schema}
    if any(type(bound) not in (int, float) for bound in bounds.values()):
        return None
    low, high = bounds.get("minimum"), bounds.get("maximum")
    above, below = bounds.get("exclusiveMinimum"), bounds.get("exclusiveMaximum")

    def check(value) -> bool:
        # ``type() in``: a bool is not a JSON number, though Python's bool is an int.
        return (type(value) in types and (low is None or value >= low) and (high is None or value <= high)
                and (above is None or value > above) and (below is None or value < below))

    return check


def _string_check(schema: dict) -> Callable[[object], bool] | None:
    shortest, longest, choices = schema.get("minLength"), schema.get("maxLength"), schema.get("enum")
    if any(v is not None and type(v) is not int for v in (shortest, longest)):
        return None
    if choices is not None:
        if not isinstance(choices, list) or any(type(c) is not str for c in choices):
            return None
        choices = frozenset(choices)

    def check(value) -> bool:
        # len() counts code points, as JSON Schema's lengths do.
        return (type(value) is str and (shortest is None or len(value) >= shortest)
                and (longest is None or len(value) <= longest) and (choices is None or value in choices))

    return check


_SIMPLE = {
    "integer": ({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}, lambda s: _number_check(s, (int,))),
    "number": ({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"},
               lambda s: _number_check(s, (int, float))),
    "string": ({"minLength", "maxLength", "enum"}, _string_check),
    "boolean": (set(), lambda s: (lambda value: type(value) is bool)),
}


def _property_check(schema) -> Callable[[object], bool] | None:
    if not isinstance(schema, dict) or not isinstance(schema.get("type"), str) or schema["type"] not in _SIMPLE:
        return None
    allowed, build = _SIMPLE[schema["type"]]
    if set(schema) - _ANNOTATIONS - {"type"} - allowed:
        return None
    return build(schema)


def compile_check(schema) -> Callable[[object], bool] | None:
    """A function answering ``True`` only for bodies ``schema`` accepts, or ``None`` when the
    schema is not one of the simple flat objects it understands."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return None
    if set(schema) - _ANNOTATIONS - {"type", "properties", "required", "additionalProperties"}:
        return None
    extra = schema.get("additionalProperties", True)
    properties, required = schema.get("properties", {}), schema.get("required", [])
    if extra is not True and extra is not False or not isinstance(properties, dict) or not isinstance(required, list):
        return None
    checks = {}
    for name, sub in properties.items():
        checks[name] = _property_check(sub)
        if checks[name] is None:
            return None
    required = tuple(required)

    def check(body) -> bool:
        if type(body) is not dict:
            return False
        for name in required:
            if name not in body:
                return False
        for name, value in body.items():
            found = checks.get(name)
            if found is None:
                if extra is False:
                    return False
            elif not found(value):
                return False
        return True

    return check
