"""Every hook is documented (docstring and docs/plugin_hooks.md, same signature) and tested.

When you add a hook to core/hookspecs.py, give it a docstring, a ``## huodong_x(arg, ...)`` section in
docs/plugin_hooks.md and a test function named ``test_hook_x`` somewhere under tests/.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
from pathlib import Path

import pytest

from core import hookspecs

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "plugin_hooks.md"
HEADING = re.compile(r"^## (huodong_\w+)\((.*)\)\s*$", re.M)


def hook_functions() -> dict[str, object]:
    return {
        name: fn for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
        if name.startswith("huodong_") and fn.__module__ == hookspecs.__name__
    }


def documented() -> dict[str, str]:
    """Hook name -> the argument list written in its heading."""
    return {name: args for name, args in HEADING.findall(DOCS.read_text(encoding="utf-8"))}


@functools.cache
def defined_test_names() -> frozenset[str]:
    """Names of every test function defined under tests/ (found by reading the files, not importing them)."""
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        names |= {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return frozenset(names)


HOOKS = sorted(hook_functions())


def test_there_are_hooks():
    assert len(HOOKS) >= 20


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_docstring(name):
    doc = inspect.getdoc(hook_functions()[name])
    assert doc and len(doc) > 30, f"{name} in core/hookspecs.py needs a docstring saying what to return"


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented_with_its_signature(name):
    sections = documented()
    assert name in sections, f"docs/plugin_hooks.md has no section '## {name}(...)'"
    written = [a.strip() for a in sections[name].split(",") if a.strip()]
    actual = list(inspect.signature(hook_functions()[name]).parameters)
    assert written == actual, f"docs/plugin_hooks.md documents {name}({', '.join(written)}); the hook takes {actual}"


def test_docs_describe_no_hook_that_does_not_exist():
    extra = set(documented()) - set(HOOKS)
    assert not extra, f"docs/plugin_hooks.md documents hooks that core/hookspecs.py does not declare: {extra}"


def test_each_hook_is_documented_once():
    names = [name for name, _args in HEADING.findall(DOCS.read_text(encoding="utf-8"))]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_a_test(name):
    wanted = "test_hook_" + name.removeprefix("huodong_")
    assert wanted in defined_test_names(), f"no test function named {wanted} under tests/ for hook {name}"


def test_docs_introduce_the_plugin_path():
    text = DOCS.read_text(encoding="utf-8")
    for topic in ("huodong =", "REQUIRES", "HUODONG_DISABLED_PLUGINS", "huodong_migrations", "migrations/",
                  "Writing an activity type", "csp_nonce()", "translations/en.po"):
        assert topic in text, f"docs/plugin_hooks.md should explain {topic}"
