"""Peewee migrations -- 018_account_identities.py.

Identities at outside login providers (the union's OpenID Connect) linked to accounts.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class AccountIdentity(pw.Model):
        id = pw.AutoField()
        account = pw.ForeignKeyField(column_name='account_id', field='id', model=migrator.orm['account'],
                                     on_delete='CASCADE')
        provider = pw.CharField(max_length=40)
        subject = pw.CharField(max_length=255)
        created_at = pw.DateTimeField()
        last_login_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "account_identity"
            indexes = [(('provider', 'subject'), True), (('account', 'provider'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("account_identity")
