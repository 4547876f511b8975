"""The permissions matrix: for every route of the app, which roles may use it.

tests/permissions/test_matrix.py walks every route in ``app.url_map`` as every role and checks the
answer against the tables in this package. A route without an entry fails the test, and so does an
entry for a route that no longer exists.

Each module here (``core.py``, ``example.py``, and one per plugin) declares::

    RULES = {
        "GET /events/<int:event_id>": [
            allow(EVERYONE, event_id="$event"),
            allow({"organizer", "admin"}, event_id="$draft_event"),
        ],
    }

    def setup(world):          # optional: make the objects your routes need
        world.item = ...       # then refer to it as "$item"
        world.add_role("judge_other_item", account)   # optional: a role of your own

The key is ``METHOD rule`` exactly as Flask spells the rule. Each case names the roles that are
allowed; every other role must be refused (401, 403, 404, or a redirect to the login page). Values
starting with ``$`` name objects of the world (their ``id`` is used, or the value itself when it has
none), in the URL values and at the top level of ``data`` / ``json``; others are used as they are.
A world object wrapped in :class:`PerRole` is made anew for each role (routes that delete).
``data`` / ``json`` give a request body (POST requests are sent empty unless told otherwise, which
checks access without changing anything). Several modules may add cases to the same route.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# The roles every world has; plugins may add more with ``world.add_role``.
CORE_ROLES = ("anonymous", "participant", "dept_head_other", "organizer_other", "organizer", "admin")

# The roles whose account is linked to a member of the school (so they may register, renew a personal
# calendar, read what the school shows its members): the core's, and those other tables add.
SCHOOL_MEMBERS = frozenset({
    "participant", "dept_head_other",
    "cadre",  # practical.py
    "captain", "captain_other_team", "sports_referee",  # sports_day.py
})

EVERYONE = frozenset({"*"})
LOGGED_IN = frozenset({"*", "-anonymous"})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Case:
    allowed: frozenset[str]
    values: dict[str, Any] = field(default_factory=dict)
    data: dict | None = None
    json: dict | None = None

    def allowed_roles(self, roles: Iterable[str]) -> set[str]:
        roles = set(roles)
        if "*" in self.allowed:
            return roles - {name[1:] for name in self.allowed if name.startswith("-")}
        return set(self.allowed) & roles


def allow(roles: Iterable[str], *, data: dict | None = None, json: dict | None = None, **values) -> Case:
    """A case of a route: ``roles`` may use it with these URL ``values``; everybody else is refused."""
    return Case(frozenset([roles] if isinstance(roles, str) else roles), values, data, json)


@dataclass(frozen=True)
class PerRole:
    """A world object made anew for each role, for a route that deletes what it is given (the first
    allowed role would leave nothing for the next): ``world.referee = PerRole(lambda role: ...)``."""

    make: Callable[[str | None], Any]


@dataclass
class World:
    """The objects and the accounts of each role that the matrix uses."""

    accounts: dict[str, Any] = field(default_factory=dict)  # role -> Account (None: anonymous)

    def __setattr__(self, name: str, value) -> None:
        # Every table's setup() shares this world: a second "world.chalk" would quietly point
        # another table's cases at the wrong object.
        if name in self.__dict__:
            raise AttributeError(f"world.{name} is set already (by another table's setup?): choose another name")
        super().__setattr__(name, value)

    def add_role(self, name: str, account) -> None:
        self.accounts[name] = account

    def resolve(self, values: dict[str, Any], role: str | None = None) -> dict[str, Any]:
        out = {}
        for key, value in values.items():
            if isinstance(value, str) and value.startswith("$"):
                value = getattr(self, value[1:])
                if isinstance(value, PerRole):
                    value = value.make(role)
                value = getattr(value, "id", value)
            out[key] = value
        return out


def table_modules() -> list:
    """Every module of this package that declares ``RULES``, the core's first."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("test_"))
    names.sort(key=lambda n: n != "core")
    modules = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return [module for module in modules if hasattr(module, "RULES")]


def collect_rules() -> dict[str, list[tuple[str, Case]]]:
    """``METHOD rule`` -> [(module name, case)], every table merged."""
    rules: dict[str, list[tuple[str, Case]]] = {}
    for module in table_modules():
        for key, cases in module.RULES.items():
            for case in cases if isinstance(cases, list | tuple) else [cases]:
                rules.setdefault(key, []).append((module.__name__.rsplit(".", 1)[-1], case))
    return rules
