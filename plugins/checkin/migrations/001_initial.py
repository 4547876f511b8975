"""Peewee migrations -- 001_initial.py of the checkin plugin (was migrations/007_checkin.py).

Some examples (model - class or model name)::

    > Model = migrator.orm['table_name']            # Return model in current state by name
    > Model = migrator.ModelClass                   # Return model in current state by name

    > migrator.sql(sql)                             # Run custom SQL
    > migrator.run(func, *args, **kwargs)           # Run python function with the given args
    > migrator.create_model(Model)                  # Create a model (could be used as decorator)
    > migrator.remove_model(model, cascade=True)    # Remove a model
    > migrator.add_fields(model, **fields)          # Add fields (allow_not_null=True skips default)
    > migrator.change_fields(model, **fields)       # Change fields
    > migrator.remove_fields(model, *field_names, cascade=True)
    > migrator.rename_field(model, old_field_name, new_field_name)
    > migrator.rename_table(model, new_table_name)
    > migrator.add_index(model, *col_names, unique=False)
    > migrator.add_not_null(model, *field_names)
    > migrator.add_default(model, field_name, default)
    > migrator.add_constraint(model, name, sql)
    > migrator.drop_index(model, *col_names)
    > migrator.drop_not_null(model, *field_names)
    > migrator.drop_constraints(model, *constraints)

"""

from contextlib import suppress

import peewee as pw
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal  # noqa: F401
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your migrations here."""
    
































































































































































































































































    @migrator.create_model
    class Checkpoint(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        key = pw.CharField(max_length=40)
        name = pw.CharField(max_length=100)
        place = pw.CharField(default='', max_length=100)
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], null=True, on_delete='SET NULL')
        sort = pw.IntegerField(default=0)
        opens_at = pw.DateTimeField(null=True)
        starts_at = pw.DateTimeField(null=True)
        grace_minutes = pw.IntegerField(default=0)
        closes_at = pw.DateTimeField(null=True)
        ends_at = pw.DateTimeField(null=True)
        sign_out = pw.BooleanField(default=False)
        self_sign_in = pw.BooleanField(default=True)
        rotate_seconds = pw.IntegerField(default=30)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "checkpoint"
            indexes = [(('event', 'key'), True)]

    @migrator.create_model
    class CheckIn(pw.Model):
        id = pw.AutoField()
        checkpoint = pw.ForeignKeyField(column_name='checkpoint_id', field='id', model=migrator.orm['checkpoint'], on_delete='CASCADE')
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        kind = pw.CharField(default='in', max_length=3)
        status = pw.CharField(max_length=20)
        scanned_at = pw.DateTimeField()
        created_at = pw.DateTimeField()
        source = pw.CharField(default='door', max_length=10)
        account_id = pw.IntegerField(null=True)
        device_id = pw.CharField(default='', max_length=64)
        client_scan_id = pw.CharField(index=True, max_length=64, null=True)
        reason = pw.TextField(default='')

        class Meta:
            table_name = "check_in"
            indexes = [(('checkpoint', 'registration', 'kind'), True)]

    @migrator.create_model
    class DeviceBinding(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        device_id = pw.CharField(max_length=64)
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "device_binding"
            indexes = [(('event', 'device_id'), True), (('event', 'registration'), True)]

    @migrator.create_model
    class Excuse(pw.Model):
        id = pw.AutoField()
        checkpoint = pw.ForeignKeyField(column_name='checkpoint_id', field='id', model=migrator.orm['checkpoint'], on_delete='CASCADE')
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        reason = pw.TextField()
        account_id = pw.IntegerField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "excuse"
            indexes = [(('checkpoint', 'registration'), True)]

    @migrator.create_model
    class FailedScan(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], null=True, on_delete='CASCADE')
        checkpoint_id = pw.IntegerField(null=True)
        registration_id = pw.IntegerField(null=True)
        result = pw.CharField(index=True, max_length=20)
        code = pw.CharField(default='', max_length=120)
        source = pw.CharField(default='door', max_length=10)
        account_id = pw.IntegerField(null=True)
        device_id = pw.CharField(default='', max_length=64)
        at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "failed_scan"

    @migrator.create_model
    class TokenState(pw.Model):
        id = pw.AutoField()
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE', unique=True)
        version = pw.IntegerField(default=1)
        revoked = pw.BooleanField(default=False)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "token_state"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
































































































































































































































































    migrator.remove_model('token_state')

    migrator.remove_model('failed_scan')

    migrator.remove_model('excuse')

    migrator.remove_model('device_binding')

    migrator.remove_model('check_in')

    migrator.remove_model('checkpoint')
