"""Schema migrations: the core's, then each plugin's, each in its own sequence and history table.

- The core's ordered files are in ``migrations/`` (``core/migrations`` in a wheel, see core/paths.py),
  recorded in the table ``migratehistory``.
- Every plugin, built-in or third-party, returns ``(name, folder)`` from ``huodong_migrations``; its files
  are numbered in their own sequence and recorded in ``migratehistory_<name>``.
- ``huodong migrate`` runs the core's first, then the plugins' in the order of ``core.plugins.plugin_names``:
  each after the plugins it ``REQUIRES``, otherwise by name. A plugin's migrations see the core's tables and
  those of the plugins it requires, as the existing files build them, in ``migrator.orm``
  (``migrator.orm['event']``), so a foreign key to a core table needs no stand-in model.

Instances migrated before the built-in plugins had their own folders have those plugins' migrations
recorded in ``migratehistory`` under their old names (``002_scoring`` ...): :data:`LEGACY` says where each
went, and the first ``huodong migrate`` moves the records into the plugins' tables instead of running them
again.

``huodong makemigrations NAME [--plugin P]`` writes the next file of the core (or of plugin P) by comparing
the models with the schema the existing files build.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import peewee
from peewee_migrate import Migrator, Router
from peewee_migrate.models import MigrateHistory

from core.db import db
from core.models import CORE_MODELS
from core.paths import MIGRATIONS
from core.plugins import flatten, plugin_names

MIGRATIONS_DIR = MIGRATIONS
CORE_TABLE = "migratehistory"
log = logging.getLogger("huodong.migrate")

# Old name in ``migratehistory`` -> where that migration lives now: (plugin, name in its folder). The old
# 009_outing_roll_call was split: the checkpoint column went to the sign-in plugin, the data move stayed.
LEGACY: dict[str, tuple[tuple[str, str], ...]] = {
    "002_scoring": (("scoring", "001_initial"),),
    "003_warmth": (("warmth", "001_initial"),),
    "004_practical": (("practical", "001_initial"),),
    "007_checkin": (("checkin", "001_initial"),),
    "007_outing": (("outing", "001_initial"),),
    "007_sports_day": (("sports_day", "001_initial"),),
    "008_skills_contest": (("skills_contest", "001_initial"),),
    "009_outing_roll_call": (("checkin", "002_checkpoint_in_calendar"), ("outing", "002_roll_call_into_checkin")),
    "010_checkin_lean_indexes": (("checkin", "003_lean_indexes"),),
    "013_checkin_geofence": (("checkin", "004_geofence"),),
    "014_checkin_trusted_times": (("checkin", "005_trusted_times"),),
    "015_checkin_requests": (("checkin", "006_requests"),),
}

_NUMBER = re.compile(r"^(\d{3})_")


def history_model(table: str) -> type[MigrateHistory]:
    """A history model of its own for ``table``. (peewee-migrate's routers all share one class and set
    its table name when first used, so two routers alive at once would read each other's history.)"""

    class History(MigrateHistory):
        class Meta:
            table_name = table
            database = db

    return History


class _Router(Router):
    """peewee-migrate's file router, with the changes huodong needs:

    - its migrator starts from the schema of ``base`` routers (the core's and required plugins' files),
    - a missing folder holds no migrations (the stock router creates it, even inside site-packages),
    - history goes to a model of its own (:func:`history_model`),
    - a new file is numbered after the highest number there, not after the count of files.
    """

    def __init__(self, directory: Path, table: str = CORE_TABLE, base: tuple[_Router, ...] = ()):
        logger = logging.getLogger("peewee_migrate")
        logger.setLevel(logging.WARNING)
        super().__init__(db.obj, migrate_dir=Path(directory), migrate_table=table, ignore=["basemodel"],
                         logger=logger)
        self.base = base

    @cached_property
    def model(self):
        model = history_model(self.migrate_table)
        model.create_table(safe=True)
        return model

    @property
    def done(self) -> list[str]:
        if not db.table_exists(self.migrate_table):  # asking what is pending writes nothing
            return []
        return super().done

    @property
    def todo(self):
        if not self.migrate_dir.is_dir():
            return []
        return sorted(f.stem for f in self.migrate_dir.iterdir() if self.filemask.match(f.name))

    @cached_property
    def migrator(self) -> Migrator:
        migrator = self.migrator_class(self.database)
        for router in self.base:
            for name in router.todo:
                router.run_one(name, migrator, fake=True)
        known = set(self.todo)
        for name in self.done:
            if name in known:  # a record of a file that moved away (see LEGACY) builds nothing here
                self.run_one(name, migrator, fake=True)
        return migrator

    def compile(self, name, migrate="", rollback="", num=None) -> str:
        if num is None:
            numbers = [int(m.group(1)) for m in map(_NUMBER.match, self.todo) if m]
            num = max(numbers, default=0)
        return super().compile(name, migrate, rollback, num)


@dataclass
class PluginMigrations:
    plugin: str  # the plugin's registered name (REQUIRES, HUODONG_DISABLED_PLUGINS)
    label: str  # the name it returned: its history table is migratehistory_<label>
    directory: Path
    requires: tuple[str, ...] = field(default=())

    @property
    def table(self) -> str:
        return f"{CORE_TABLE}_{self.label}"


def all_models(pm) -> list[type[peewee.Model]]:
    """Every model of the core and the loaded plugins."""
    models = list(CORE_MODELS)
    for model in flatten(pm.hook.huodong_models()):
        if model not in models:
            models.append(model)
    return models


def _answers(pm, hook: str) -> dict[str, list]:
    """Each plugin's own answer to a hook without arguments, by plugin name."""
    out: dict[str, list] = {}
    for impl in getattr(pm.hook, hook).get_hookimpls():
        out.setdefault(impl.plugin_name, []).append(impl.function())
    return out


def plugin_migrations(pm) -> list[PluginMigrations]:
    """The loaded plugins' migration folders, each after those of the plugins it requires."""
    answers = _answers(pm, "huodong_migrations")
    out = []
    for name in plugin_names(pm):
        for answer in answers.get(name, ()):
            if answer:
                label, directory = answer
                requires = tuple(getattr(pm.get_plugin(name), "REQUIRES", ()))
                out.append(PluginMigrations(name, label, Path(directory), requires))
    return out


def plugin_migration_dirs(pm) -> list[tuple[str, Path]]:
    return [(source.label, source.directory) for source in plugin_migrations(pm)]


def _routers(pm) -> tuple[_Router, list[tuple[PluginMigrations, _Router]]]:
    core = _Router(MIGRATIONS_DIR)
    sources = plugin_migrations(pm)
    by_plugin = {source.plugin: source for source in sources}
    routers: dict[str, _Router] = {}
    out = []

    def required(name: str, seen: list[str]) -> list[str]:
        for dep in getattr(by_plugin.get(name), "requires", ()):
            if dep not in seen:
                required(dep, seen)
                seen.append(dep)
        return seen

    for source in sources:
        base = (core, *(routers[dep] for dep in required(source.plugin, []) if dep in routers))
        routers[source.plugin] = router = _Router(source.directory, source.table, base)
        out.append((source, router))
    return core, out


def carry_over_legacy_history() -> list[str]:
    """Move records of built-in plugins' migrations from ``migratehistory`` to the plugins' own tables
    (see :data:`LEGACY`); return the old names moved. Idempotent; runs in one transaction."""
    core = history_model(CORE_TABLE)
    if not db.table_exists(CORE_TABLE):
        return []
    old = [name for (name,) in core.select(core.name).where(core.name.in_(list(LEGACY))).tuples()]
    if not old:
        return []
    with db.atomic():
        tables: dict[str, type[MigrateHistory]] = {}
        for name in old:
            for plugin, new in LEGACY[name]:
                if plugin not in tables:
                    tables[plugin] = history_model(f"{CORE_TABLE}_{plugin}")
                    tables[plugin].create_table(safe=True)
                model = tables[plugin]
                if not model.select().where(model.name == new).exists():
                    model.create(name=new)
        core.delete().where(core.name.in_(old)).execute()
    log.info("moved the records of %s to the plugins' migration histories", ", ".join(old))
    return old


def migrate(pm) -> list[str]:
    """Run every pending migration; return the names of those that ran (``plugin:name`` for a plugin's)."""
    ran: list[str] = []
    with db.connection_context():
        carry_over_legacy_history()
        core, plugins = _routers(pm)
        ran += core.run()
        for source, router in plugins:
            ran += [f"{source.label}:{name}" for name in router.run()]
    return ran


def pending(pm) -> list[str]:
    """Names of the migrations ``migrate`` would run (a record still to carry over counts as pending)."""
    with db.connection_context():
        return _pending(pm)


def _pending(pm) -> list[str]:
    core, plugins = _routers(pm)
    names = list(core.diff)
    for source, router in plugins:
        names += [f"{source.label}:{name}" for name in router.diff]
    return names


READY_RECHECK_SECONDS = 2.0


def not_ready(app) -> str | None:
    """Why the app cannot serve its pages yet (migrations still to run), or None when it can.

    Called by ``/healthz`` inside a request (its connection open). Once ready, a process stays ready
    (migrations are not taken back under a running app), so the answer costs nothing after the first;
    until then it is looked at again every :data:`READY_RECHECK_SECONDS`.
    """
    state = app.extensions.setdefault("huodong_readiness", {"ready": False, "checked": 0.0, "reason": None})
    if state["ready"]:
        return None
    now = time.monotonic()
    if state["checked"] and now - state["checked"] < READY_RECHECK_SECONDS:
        return state["reason"]
    try:
        names = _pending(app.extensions["huodong_pm"])
        reason = f"{len(names)} migrations pending ({', '.join(names[:3])}{' ...' if len(names) > 3 else ''}): " \
                 "run huodong migrate" if names else None
    except peewee.DatabaseError as exc:
        reason = f"database unavailable: {type(exc).__name__}"
    state.update(ready=reason is None, checked=now, reason=reason)
    return reason


class UnknownPlugin(ValueError):
    pass


def make_migration(pm, name: str, plugin: str | None = None) -> str | None:
    """Write the next migration of the core (or of ``plugin``'s folder); return its name, or None when the
    models match what the existing files build."""
    with db.connection_context():
        core, plugins = _routers(pm)
        models = [m for m in all_models(pm) if m.__module__.startswith("core.")]
        router = core
        if plugin is not None:
            chosen = [(s, r) for s, r in plugins if plugin in (s.plugin, s.label)]
            if not chosen:
                raise UnknownPlugin(plugin)
            source, router = chosen[0]
            own = _answers(pm, "huodong_models")
            # The plugin's models and those its migrator already knows (the core's, the required plugins').
            for base_plugin in [*(s.plugin for s, r in plugins if r in router.base), source.plugin]:
                models += [m for m in flatten(own.get(base_plugin, ())) if m not in models]
        created = router.create(name, auto=models)
    if created:
        path = router.migrate_dir / f"{created}.py"
        _add_imports(path)
        if not _has_operations(path):
            path.unlink()
            return None
    return created


def _has_operations(path: Path) -> bool:
    body = path.read_text().split("def migrate(", 1)[1].split("def rollback(", 1)[0]
    return "migrator." in body.split('"""Write your migrations here."""', 1)[-1]


_INDEX_OP = re.compile(r"^\s*migrator\.(drop_index|add_index)\((.*?)(?:, unique=(True|False))?\)\s*$")


def _drop_index_churn(text: str) -> str:
    """peewee-migrate sometimes emits ``drop_index`` + ``add_index`` for an unchanged index; drop such pairs.

    A real change of uniqueness is still caught by the schema test, which compares unique indexes.
    """
    if "def rollback(" in text:
        head, tail = text.split("def rollback(", 1)
        return _drop_index_churn(head) + "def rollback(" + _drop_index_churn(tail)
    lines = text.splitlines(keepends=True)
    ops = {}
    for number, line in enumerate(lines):
        match = _INDEX_OP.match(line)
        if match:
            ops.setdefault(match.group(2), {})[match.group(1)] = number
    churn = {n for pair in ops.values() if len(pair) == 2 for n in pair.values()}
    return "".join(line for number, line in enumerate(lines) if number not in churn)


def _add_imports(path: Path) -> None:
    """Generated files use Decimal defaults and rounding constants without importing them."""
    text = _drop_index_churn(path.read_text())
    header = "from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal  # noqa: F401\n"
    if header not in text:
        text = text.replace("import peewee as pw\n", "import peewee as pw\n" + header, 1)
    path.write_text(re.sub(r"\n(?:[ \t]*\n){2,}", "\n\n", text))  # the generator leaves runs of blank lines
