"""Queries of the sign-in path, compiled to SQL once per kind of database and run with new values.

Building a peewee query costs more than running it on an indexed key; the scanning path runs a few
fixed queries thousands of times a minute, so each is built once by peewee (which keeps the SQL
portable across SQLite and PostgreSQL) and then executed with ``db.execute_sql``.
"""

from __future__ import annotations

from collections.abc import Callable

from core.db import db


class Prepared:
    """A query built by ``build()`` with placeholder values; ``run(*values)`` executes its SQL."""

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
