"""The roles an account can be granted: the core's own (administrator, organizer, department head,
participant) and those the loaded plugins add through ``huodong_roles`` (a judge, a referee, a reviewer,
an aid officer, a scanning volunteer). A grant of a role no loaded plugin declares is refused."""

from __future__ import annotations

import weakref

from flask import current_app

from core.models.accounts import CORE_ROLES
from core.plugins import flatten

_known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def all_roles() -> dict[str, str]:
    """``{key: Chinese label}`` of every role, the core's first."""
    pm = current_app.extensions["huodong_pm"]
    roles = _known.get(pm)
    if roles is None:
        roles = dict(CORE_ROLES)
        for role in flatten(pm.hook.huodong_roles()):
            roles.setdefault(role.key, role.label)
        _known[pm] = roles
    return roles


def role_label(role: str) -> str:
    """The label of ``role`` (its key when no loaded plugin declares it)."""
    return all_roles().get(role, role)
