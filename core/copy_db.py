"""Moving a whole instance to another database: from the embedded SQLite file to PostgreSQL when a union
grows (and back), with every table compared afterwards.

The target gets the same schema by running the same migrations, must hold no data yet, and receives every
row of every table of the core and the loaded plugins, in an order where a row comes after the rows it
refers to. Values go through the models (a SQLite ``0`` becomes a PostgreSQL ``false``, text timestamps
real ones); sealed values are opened and sealed again with the same ``HUODONG_DATA_KEY``, which the
target instance must therefore share. Ids are kept, and PostgreSQL's sequences are moved past them. The
whole copy is one transaction on the target: a failure leaves it as it was.

Verification reads both sides again and compares, per table, the row count and a digest of every row in
id order, as Python values (so that a decimal stored as ``50`` and as ``50.00`` compare equal).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import peewee
from flask_babel import gettext as _

from core.db import db, open_database
from core.errors import Invalid
from core.migrate import all_models, migrate, pending

BATCH = 500


@dataclass
class TableCopy:
    table: str
    rows: int
    digest: str


@dataclass
class CopyReport:
    tables: list[TableCopy] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _ordered(pm) -> list[type[peewee.Model]]:
    """Every model, each after those it refers to."""
    return peewee.sort_models(all_models(pm))


def _key(model: type[peewee.Model]):
    pk = model._meta.primary_key
    if isinstance(pk, peewee.CompositeKey):
        return [model._meta.fields[name] for name in pk.field_names]
    return [pk]


def _rows(model: type[peewee.Model], database: peewee.Database) -> Iterator[tuple]:
    fields = model._meta.sorted_fields
    with database.bind_ctx([model], bind_refs=False, bind_backrefs=False):
        query = model.select(*fields).order_by(*_key(model)).tuples()
        yield from query.iterator()


def _canonical(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value.normalize())
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return "" if value is None else str(value)


def table_digest(model: type[peewee.Model], database: peewee.Database) -> tuple[int, str]:
    """``(rows, sha256)`` of a table's rows in key order, as Python values."""
    digest = hashlib.sha256()
    count = 0
    for row in _rows(model, database):
        digest.update("\x1f".join(_canonical(v) for v in row).encode())
        digest.update(b"\x1e")
        count += 1
    return count, digest.hexdigest()


def _empty(models, database) -> list[str]:
    full = []
    for model in models:
        with database.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            if model.select().exists():
                full.append(model._meta.table_name)
    return full


def _migrate_target(pm, target: peewee.Database) -> None:
    source = db.obj
    db.initialize(target)
    try:
        migrate(pm)
    finally:
        db.initialize(source)


def _move_sequences(models, target: peewee.Database) -> None:
    if not isinstance(target, peewee.PostgresqlDatabase):
        return
    for model in models:
        pk = model._meta.primary_key
        if not isinstance(pk, peewee.AutoField | peewee.BigAutoField):
            continue
        table, column = model._meta.table_name, pk.column_name
        target.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f"COALESCE(MAX(\"{column}\"), 1), MAX(\"{column}\") IS NOT NULL) FROM \"{table}\"")


def copy_database(pm, target_url: str, *, echo: Callable[[str], None] = lambda line: None) -> CopyReport:
    """Copy every table of the current database into the empty database at ``target_url`` and verify it."""
    source = db.obj
    target = open_database(target_url)
    if type(target) is type(source) and str(target.database) == str(source.database):
        raise Invalid(_("目标数据库就是当前数据库"))
    if pending(pm):
        raise Invalid(_("当前数据库还有未执行的迁移，请先运行 huodong migrate"))
    models = _ordered(pm)
    try:
        target.connect(reuse_if_open=True)
    except peewee.OperationalError as exc:
        raise Invalid(_("连不上目标数据库：%(error)s", error=str(exc).strip().splitlines()[0])) from None
    try:
        _migrate_target(pm, target)
        full = _empty(models, target)
        if full:
            raise Invalid(_("目标数据库已有数据（%(tables)s），只能复制到新建的空数据库",
                            tables="、".join(full[:5])))
        report = CopyReport()
        with target.atomic():
            if isinstance(target, peewee.SqliteDatabase):
                target.execute_sql("PRAGMA defer_foreign_keys = ON")
            for model in models:
                count = _copy_table(model, source, target)
                if count:
                    echo(f"{model._meta.table_name}：{count} 行")
            # A table kept by triggers (a unit's feed stamp moves with each event copied after it) is copied
            # again once everything else is in, so that it holds the source's values.
            for model in models:
                if _derived(model) and table_digest(model, target) != table_digest(model, source):
                    _copy_table(model, source, target)
            _move_sequences(models, target)
        for model in models:
            rows, digest = table_digest(model, source)
            copied = table_digest(model, target)
            report.tables.append(TableCopy(model._meta.table_name, rows, digest))
            if copied != (rows, digest):
                report.mismatched.append(model._meta.table_name)
        return report
    finally:
        target.close()


def _derived(model) -> bool:
    """Whether rows of ``model`` may be written by triggers on other tables (and nothing refers to them)."""
    return not model._meta.backrefs


def _copy_table(model, source, target) -> int:
    """Copy ``model``'s rows in batches; rows triggers made in the target meanwhile are replaced."""
    if _derived(model):
        with target.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            model.delete().execute()
    fields = model._meta.sorted_fields
    batch, count = [], 0
    for row in _rows(model, source):
        batch.append(row)
        if len(batch) == BATCH:
            _insert(model, fields, batch, target)
            count += len(batch)
            batch = []
    if batch:
        _insert(model, fields, batch, target)
        count += len(batch)
    return count


def _insert(model, fields, rows, target) -> None:
    with target.bind_ctx([model], bind_refs=False, bind_backrefs=False):
        model.insert_many(rows, fields=fields).execute()
