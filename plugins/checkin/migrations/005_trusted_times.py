"""Peewee migrations -- 005_trusted_times.py of the checkin plugin (was migrations/014_checkin_trusted_times.py).

A scan whose device time the server did not take keeps the time it claimed and why it was flagged
(see plugins/checkin/clock.py).
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('check_in', claimed_at=pw.DateTimeField(null=True),
                        time_flag=pw.CharField(max_length=20, default='', constraints=[pw.SQL("DEFAULT ''")]))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('check_in', 'claimed_at', 'time_flag')
