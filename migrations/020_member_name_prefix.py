"""Peewee migrations -- 020_member_name_prefix.py.

An index of members' names for searches by the start of a name (core.services.member_search). On
PostgreSQL it uses ``text_pattern_ops``, so that ``LIKE 'prefix%'`` is answered from it whatever the
database's collation; SQLite compares names byte by byte, and a plain index answers a range of them.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    operator_class = " text_pattern_ops" if isinstance(database, pw.PostgresqlDatabase) else ""
    migrator.sql(f'CREATE INDEX IF NOT EXISTS "member_name_prefix" ON "member" ("name"{operator_class})')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql('DROP INDEX IF EXISTS "member_name_prefix"')
