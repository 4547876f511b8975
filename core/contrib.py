"""The small value types that plugins hand back from hooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MenuItem:
    """An entry in the navigation. ``endpoint`` is a Flask endpoint name, ``url`` a literal URL."""

    label: str
    endpoint: str | None = None
    url: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    icon: str = ""
    badge: str = ""  # a short count shown after the label (unread messages)
    badge_label: str = ""  # what the count means, for screen readers ("3 条未读")


@dataclass
class LoginMethod:
    """A way to log in besides the password, offered on the login page: the union's OpenID Connect, a
    企业微信 or 钉钉 login a plugin brings. ``endpoint`` (or ``url``) starts it; ``order`` sorts the buttons."""

    label: str
    endpoint: str | None = None
    url: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    order: int = 100


@dataclass(frozen=True)
class Preset:
    """A ready-made plan for creating an event of one activity type (a creation template).

    ``defaults`` pre-fill the event form (title, venue, registration window ...); the plugin's
    ``huodong_event_created`` hook builds the rest (items, rules, prizes) when ``event.preset`` is its key.
    """

    key: str
    label: str
    description: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ActivityType:
    """A kind of activity (sports day, outing ...) with the presets it offers."""

    key: str
    label: str
    description: str = ""
    presets: tuple[Preset, ...] = ()
    icon: str = ""

    def preset(self, key: str | None) -> Preset | None:
        return next((p for p in self.presets if p.key == key), None)


@dataclass(frozen=True)
class RegistrationField:
    """An extra field on an event's registration form, stored in ``Registration.extra[name]``.

    ``factory`` returns an unbound WTForms field, e.g. ``lambda: StringField('紧急联系人')``.
    """

    name: str
    factory: Callable[[], Any]
    order: int = 100


@dataclass(frozen=True)
class Permission:
    """A named permission and the roles that hold it, e.g. ``scoring.enter_results``."""

    name: str
    label: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    """A role a plugin adds (``huodong_roles``): ``key`` is stored on grants, ``label`` (Chinese, with its
    English in the plugin's catalog) is shown where roles are given."""

    key: str
    label: str


@dataclass(frozen=True)
class Widget:
    """A dashboard box: a title and a rendered HTML fragment."""

    title: str
    html: str
    order: int = 100


@dataclass(frozen=True)
class Section:
    """A block on an event's page (your QR code, the scoreboard link ...)."""

    title: str
    html: str
    order: int = 100


@dataclass(frozen=True)
class ExportSheet:
    """A downloadable xlsx sheet for an event.

    ``build(event)`` returns ``(headers, rows)``; rows are sequences of cell values.
    """

    key: str
    label: str
    build: Callable[[Any], tuple[list[str], list[list[Any]]]]
    permission: str = "events.manage"
