"""Peewee migrations -- 017_account_activation.py.

Accounts for the whole roster: one-time activation and reset codes, and the flags of an account that waits
for its holder to choose his own password.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        'account',
        must_change_password=pw.BooleanField(default=False, constraints=[pw.SQL("DEFAULT FALSE")]),
        activated_at=pw.DateTimeField(null=True),
    )

    @migrator.create_model
    class ActivationCode(pw.Model):
        id = pw.AutoField()
        account = pw.ForeignKeyField(column_name='account_id', field='id', model=migrator.orm['account'],
                                     on_delete='CASCADE')
        purpose = pw.CharField(max_length=10)
        code_hash = pw.CharField(max_length=64, unique=True)
        code = pw.TextField()
        created_at = pw.DateTimeField()
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['account'],
                                        null=True, on_delete='SET NULL', backref='+')
        expires_at = pw.DateTimeField(index=True)
        used_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "activation_code"

    # Accounts opened before this migration were opened with a password their holder knows.
    migrator.sql("UPDATE account SET activated_at = created_at")


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("activation_code")
    migrator.remove_fields('account', 'must_change_password', 'activated_at')
