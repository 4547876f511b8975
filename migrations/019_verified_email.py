"""Peewee migrations -- 019_verified_email.py.

When a member proved that his mail address is his (he opened the link sent to it): only a verified address
receives a password-reset link.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('message_preference', email_verified_at=pw.DateTimeField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('message_preference', 'email_verified_at')
