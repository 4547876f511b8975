"""Peewee migrations -- 003_lean_indexes.py of the checkin plugin (was migrations/010_checkin_lean_indexes.py).

Two indexes of ``check_in`` that no query uses go: ``checkpoint_id`` alone (the unique index on
checkpoint, registration and kind starts with it) and ``client_scan_id`` (compared on the row that
index finds). Each one cost every sign-in's insert an index update.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


# The names the first migration gave them (peewee names an index after the model, ``checkin``).
INDEXES = {"checkpoint": "checkin_checkpoint_id", "client_scan_id": "checkin_client_scan_id"}


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    for field, index in INDEXES.items():
        migrator.orm['check_in']._meta.fields[field].index = False
        migrator.sql(f'DROP INDEX IF EXISTS "{index}"')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for field, index in INDEXES.items():
        column = migrator.orm['check_in']._meta.fields[field]
        column.index = True
        migrator.sql(f'CREATE INDEX IF NOT EXISTS "{index}" ON "check_in" ("{column.column_name}")')
