"""Peewee migrations -- 012_login_sessions.py.

Sessions kept on the server: the session cookie names a row here (by the hash of its random key),
so that logging out, a password change or disabling an account ends the session for every copy of
the cookie, and idle and absolute limits can be enforced (see core/sessions.py).
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class LoginSession(pw.Model):
        id = pw.AutoField()
        key_hash = pw.CharField(max_length=64, unique=True)
        account = pw.ForeignKeyField(column_name='account_id', field='id', model=migrator.orm['account'],
                                     on_delete='CASCADE')
        created_at = pw.DateTimeField()
        last_seen_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "login_session"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('login_session')
