"""Peewee migrations -- 002_checkpoint_in_calendar.py of the checkin plugin (the sign-in half of
migrations/009_outing_roll_call.py before each plugin numbered its own).

A checkpoint may stay out of the calendar feeds: an outing's gathering stop is in them already as a stop.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('checkpoint', in_calendar=pw.BooleanField(default=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('checkpoint', 'in_calendar')
