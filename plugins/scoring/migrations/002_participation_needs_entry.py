"""Peewee migrations -- 002_participation_needs_entry.py of the scoring plugin.

不参赛的不计发: an event may pay the participation award only to those entered in at least one item.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('scoring_event', participation_needs_entry=pw.BooleanField(
        default=False, constraints=[pw.SQL("DEFAULT FALSE")]))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('scoring_event', 'participation_needs_entry')
