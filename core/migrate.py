"""Schema migrations: the ordered files in ``migrations/`` (core and built-in plugins), then each
third-party plugin's own folder (``huodong_migrations`` hook).

``huodong makemigrations NAME`` writes the next file by comparing the models with the schema the
existing migrations build.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import peewee
from peewee_migrate import Router

from core.db import db
from core.models import CORE_MODELS
from core.plugins import flatten

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
log = logging.getLogger("huodong.migrate")


def all_models(pm) -> list[type[peewee.Model]]:
    """Every model of the core and the loaded plugins."""
    models = list(CORE_MODELS)
    for model in flatten(pm.hook.huodong_models()):
        if model not in models:
            models.append(model)
    return models


def _router(directory: Path, table: str = "migratehistory") -> Router:
    logger = logging.getLogger("peewee_migrate")
    logger.setLevel(logging.WARNING)
    return Router(db.obj, migrate_dir=str(directory), migrate_table=table, ignore=["basemodel"], logger=logger)


def plugin_migration_dirs(pm) -> list[tuple[str, Path]]:
    out = []
    for answer in pm.hook.huodong_migrations():
        if answer:
            name, directory = answer
            out.append((name, Path(directory)))
    return out


def migrate(pm) -> list[str]:
    """Run every pending migration; return the names of those that ran."""
    ran: list[str] = []
    with db.connection_context():
        router = _router(MIGRATIONS_DIR)
        pending = router.diff
        router.run()
        ran += pending
        for name, directory in plugin_migration_dirs(pm):
            router = _router(directory, f"migratehistory_{name}")
            pending = router.diff
            router.run()
            ran += [f"{name}:{p}" for p in pending]
    return ran


def make_migration(pm, name: str) -> str | None:
    """Write the next migration in ``migrations/`` for the built-in models; return its name."""
    builtin = [m for m in all_models(pm) if m.__module__.startswith(("core.", "plugins."))]
    with db.connection_context():
        router = _router(MIGRATIONS_DIR)
        created = router.create(name, auto=builtin)
    if created:
        path = MIGRATIONS_DIR / f"{created}.py"
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
    path.write_text(text)


def pending(pm) -> list[str]:
    with db.connection_context():
        names = list(_router(MIGRATIONS_DIR).diff)
        for plugin, directory in plugin_migration_dirs(pm):
            names += [f"{plugin}:{p}" for p in _router(directory, f"migratehistory_{plugin}").diff]
    return names
