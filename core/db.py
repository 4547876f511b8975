"""The database: one peewee proxy shared by every model, bound when the app starts.

SQLite is the embedded default (WAL, busy timeout, foreign keys, IMMEDIATE write
transactions so that read-then-write transactions queue instead of failing, pooled connections);
a ``postgresql://`` URL switches to PostgreSQL with a connection pool.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

db = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -16000,
}


class BaseModel(peewee.Model):
    """Base of every huodong model, core and plugin alike."""

    class Meta:
        database = db
        legacy_table_names = False


def id_in(field, ids):
    """The condition ``field IN (1, 2, 3)`` with the ids written into the SQL as integer literals.

    For lists of thousands of ids (the events of a feed): peewee binds each value as a parameter,
    converting it on the way, which costs more than running the query, and SQLite limits the number
    of parameters. ``int()`` turns every id into a plain integer, so the literal SQL is safe.
    """
    values = [int(i) for i in ids]
    if not values:
        return field.in_([])
    return field.in_(peewee.SQL("(" + ",".join(map(str, values)) + ")"))


class Prepared:
    """A query built once by peewee (portable SQL) and then run many times with new values.

    Building a peewee query costs more than running it on an indexed key; paths that run on every
    request (the API token lookup, a sign-in) build theirs once per kind of database. ``build()``
    returns the query with placeholder values; ``run(*values)`` passes values in the same order.
    """

    def __init__(self, build: Callable):
        self._build = build
        self._sql: dict[type, str] = {}

    def sql(self) -> str:
        kind = type(db.obj)
        found = self._sql.get(kind)
        if found is None:
            found, _params = self._build().sql()
            self._sql[kind] = found
        return found

    def run(self, *values):
        return db.execute_sql(self.sql(), values)

    def one(self, *values):
        return self.run(*values).fetchone()


def prepared(build: Callable) -> Prepared:
    return Prepared(build)


def stored_datetime(value):
    """A datetime column's value as Python reads it: SQLite hands back text, PostgreSQL a datetime.

    ``datetime.fromisoformat`` reads the text SQLite stores many times faster than the ``strptime``
    formats peewee tries one after the other; anything it does not read goes to peewee.
    """
    if type(value) is str:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return _PEEWEE_DATETIME.python_value(value)
    return value


_PEEWEE_DATETIME = peewee.DateTimeField()
_converters: dict[type, tuple] = {}


def _row_converters(model: type[peewee.Model]) -> tuple:
    found = _converters.get(model)
    if found is None:
        found = tuple((f.name, stored_datetime if type(f) is peewee.DateTimeField else f.python_value)
                      for f in model._meta.sorted_fields)
        _converters[model] = found
    return found


def model_from_row(model: type[peewee.Model], row: Sequence, start: int = 0) -> peewee.Model:
    """An instance of ``model`` from ``row[start:]`` holding its columns in field order (``Model.select()``)."""
    converters = _row_converters(model)
    values = row[start:start + len(converters)]
    # What peewee's own cursor wrapper builds, without going through each field's descriptor.
    instance = model.__new__(model)
    instance.__data__ = {name: (None if v is None else convert(v))
                         for (name, convert), v in zip(converters, values, strict=True)}
    instance._dirty = set()
    instance.__rel__ = {}
    return instance


class PostgresqlPool(PooledPostgresqlDatabase):
    """peewee's PostgreSQL pool, without a ``SELECT 1`` round trip for a connection that just came back.

    peewee checks every idle connection it hands out with a query to the server: one more round
    trip than the request's own on every request. A connection returned healthy less than
    ``PING_AFTER`` seconds ago (a busy server's usual case) is handed out on what the driver knows
    locally (not closed, not broken, no transaction left open); one that waited longer is checked
    with the query as before, so that a server restart or a dropped idle connection is noticed.
    """

    PING_AFTER = 5.0

    def __init__(self, *args, **kwargs):
        self._returned_at: dict[int, float] = {}
        super().__init__(*args, **kwargs)

    def _is_closed(self, conn):
        returned = self._returned_at.pop(self.conn_key(conn), None)
        if (returned is not None and time.monotonic() - returned < self.PING_AFTER and not conn.closed
                and self._adapter.txn_status(conn) == self._adapter.txn_idle):
            return False
        return super()._is_closed(conn)

    def _can_reuse(self, conn):
        reusable = super()._can_reuse(conn)
        if reusable:
            self._returned_at[self.conn_key(conn)] = time.monotonic()
        return reusable

    def _close_raw(self, conn):
        self._returned_at.pop(self.conn_key(conn), None)
        return super()._close_raw(conn)


def open_database(url: str) -> peewee.Database:
    """Build (but do not connect) the database named by ``url``.

    ``sqlite:///relative/or/absolute.db`` or ``postgresql://user:pw@host:port/name``.
    """
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else parsed.path
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if path == ":memory:":
            return peewee.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
        # A pool keeps each connection open between requests: opening a SQLite file, setting its
        # pragmas and (on the last close) checkpointing its WAL cost more than a whole sign-in.
        return PooledSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", max_connections=64, timeout=10,
                                    stale_timeout=300, check_same_thread=False)
    if parsed.scheme in ("postgres", "postgresql"):
        return PostgresqlPool(
            parsed.path.lstrip("/"),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
            max_connections=32,
            stale_timeout=300,
            timeout=10,
        )
    raise ValueError(f"不支持的数据库地址：{url}")


def bind(database: peewee.Database) -> None:
    """Point every model at ``database``."""
    db.initialize(database)


def close_all() -> None:
    """Close every connection of the pool (SQLite: the WAL is checkpointed into the file)."""
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()
    elif not db.is_closed():
        db.close()


def is_postgres() -> bool:
    return isinstance(db.obj, peewee.PostgresqlDatabase)
