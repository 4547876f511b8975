"""The plugin manager: built-in and third-party plugins load the same way, through the
entry-point group ``huodong``.

A plugin module may declare ``REQUIRES = ("scoring", "checkin")``: the names of plugins it builds
on. Start-up fails with a clear message if one of them is missing or disabled.

A plugin that runs its own kinds of activity declares ``OWN_EVENTS_ONLY = True``: the hooks about one
event (see :data:`EVENT_HOOKS`) then reach it only for events of the activity types it declares, so it
need not test ``event.activity_type`` in each of them. Plugins without it (sign-in, scoring, a plugin
that adds something to every event) hear every event.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from types import ModuleType

import pluggy

from core import PROJECT, hookspecs


class PluginError(RuntimeError):
    """A plugin is misconfigured: a missing dependency or a misspelt hook."""


def make_plugin_manager(
    disabled: Iterable[str] = (), extra: Iterable[tuple[str, ModuleType]] = ()
) -> pluggy.PluginManager:
    """Load every plugin registered under the ``huodong`` entry-point group except ``disabled``.

    ``extra`` registers ``(name, module)`` pairs directly (used by tests and embedding code).
    """
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in disabled:
        if name:
            pm.set_blocked(name)
    from core import builtin

    pm.register(builtin, name="core")
    try:
        pm.load_setuptools_entrypoints(PROJECT)
        for name, module in extra:
            if not pm.is_blocked(name) and pm.get_plugin(name) is None:
                pm.register(module, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"插件 {pm.get_name(exc.plugin) or exc.plugin} 的钩子实现无效：{exc}") from exc
    _check_requirements(pm)
    _check_hook_names(pm)
    pm.check_pending()
    return pm


def plugin_names(pm: pluggy.PluginManager) -> list[str]:
    """Names of the loaded plugins, each after the plugins it requires."""
    loaded = {name: plugin for name, plugin in pm.list_name_plugin() if plugin is not None}
    ordered: list[str] = []

    def visit(name: str) -> None:
        if name in ordered or name not in loaded:
            return
        for dep in getattr(loaded[name], "REQUIRES", ()):
            visit(dep)
        ordered.append(name)

    for name in sorted(loaded):
        visit(name)
    return ordered


def ordered_plugins(pm: pluggy.PluginManager) -> list[tuple[str, object]]:
    return [(name, pm.get_plugin(name)) for name in plugin_names(pm)]


def _check_requirements(pm: pluggy.PluginManager) -> None:
    loaded = {name for name, plugin in pm.list_name_plugin() if plugin is not None}
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        missing = [dep for dep in getattr(plugin, "REQUIRES", ()) if dep not in loaded]
        if missing:
            raise PluginError(f"插件 {name} 依赖的插件未启用：{', '.join(missing)}")


def _check_hook_names(pm: pluggy.PluginManager) -> None:
    """Refuse a hook implementation whose name matches no hook (a misspelt ``huodong_menu_item``)."""
    for attribute in dir(pm.hook):
        caller = getattr(pm.hook, attribute)
        if not attribute.startswith(f"{PROJECT}_") or caller.has_spec():
            continue
        for impl in caller.get_hookimpls():
            if not impl.optionalhook:
                raise PluginError(
                    f"插件 {impl.plugin_name} 实现了不存在的钩子 {attribute}（拼写错误？全部钩子见 docs/plugin_hooks.md）"
                )


def flatten(results: Iterable[Iterable | None]) -> list:
    """Join the lists that a hook's implementations returned, skipping ``None``."""
    out: list = []
    for part in results:
        if part:
            out.extend(part)
    return out


# The hooks about one event, routed by :func:`event_hooks`.
EVENT_HOOKS = frozenset({
    "huodong_event_created", "huodong_event_status_changed", "huodong_registration_fields",
    "huodong_registration_check", "huodong_registration_changed", "huodong_attendance", "huodong_attendance_many",
    "huodong_checked_in", "huodong_export_sheets", "huodong_event_sections",
    "huodong_event_figures", "huodong_reminder_context",
})
_routes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _own_types(pm: pluggy.PluginManager) -> dict[object, set[str]]:
    """The activity types of each plugin that declares ``OWN_EVENTS_ONLY``."""
    owners: dict[object, set[str]] = {}
    for impl in pm.hook.huodong_activity_types.get_hookimpls():
        if getattr(impl.plugin, "OWN_EVENTS_ONLY", False):
            owners.setdefault(impl.plugin, set()).update(t.key for t in impl.function() or ())
    return owners


class EventHooks:
    """``pm.hook`` as an event of ``activity_type`` hears it: plugins that keep to their own events and do
    not run this type are left out of the hooks in :data:`EVENT_HOOKS` (other hooks go to everyone)."""

    def __init__(self, pm: pluggy.PluginManager, activity_type: str | None):
        self._pm = pm
        self._callers: dict[str, object] = {}
        self._others = [plugin for plugin, types in _own_types(pm).items() if activity_type not in types]

    def __getattr__(self, name: str):
        if name not in EVENT_HOOKS or not self._others:
            return getattr(self._pm.hook, name)
        caller = self._callers.get(name)
        if caller is None:
            caller = self._callers[name] = self._pm.subset_hook_caller(name, remove_plugins=self._others)
        return caller


def event_hooks(pm: pluggy.PluginManager, event) -> EventHooks:
    """The hooks to call about ``event`` (an event, or anything with an ``activity_type``)."""
    by_type = _routes.setdefault(pm, {})
    activity_type = getattr(event, "activity_type", None)
    hooks = by_type.get(activity_type)
    if hooks is None:
        hooks = by_type[activity_type] = EventHooks(pm, activity_type)
    return hooks
