"""Peewee migrations -- 001_initial.py of the outing plugin (was migrations/007_outing.py).

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
    class Acknowledgement(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        at = pw.DateTimeField()

        class Meta:
            table_name = "acknowledgement"
            indexes = [(('event', 'member'), True)]

    @migrator.create_model
    class Room(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        name = pw.CharField(max_length=60)
        beds = pw.IntegerField(default=2)
        gender = pw.CharField(default='', max_length=1)

        class Meta:
            table_name = "room"
            indexes = [(('event', 'name'), True)]

    @migrator.create_model
    class Bed(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        room = pw.ForeignKeyField(column_name='room_id', field='id', model=migrator.orm['room'], on_delete='CASCADE')
        number = pw.IntegerField()
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        guest = pw.ForeignKeyField(column_name='guest_id', field='id', model=migrator.orm['guest'], null=True, on_delete='CASCADE')
        person = pw.CharField(max_length=20)

        class Meta:
            table_name = "bed"
            indexes = [(('room', 'number'), True), (('event', 'person'), True)]

    @migrator.create_model
    class CostItem(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        name = pw.CharField(max_length=100)
        category = pw.CharField(max_length=20)
        per_person = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, null=True, rounding=ROUND_HALF_UP)
        lump_sum = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, null=True, rounding=ROUND_HALF_UP)
        payer = pw.CharField(default='union', max_length=10)
        actual = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, null=True, rounding=ROUND_HALF_UP)
        sort = pw.IntegerField(default=0)

        class Meta:
            table_name = "cost_item"

    @migrator.create_model
    class Notice(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        text = pw.CharField(max_length=500)
        at = pw.DateTimeField()

        class Meta:
            table_name = "notice"

    @migrator.create_model
    class Refund(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        amount = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        note = pw.CharField(default='', max_length=200)
        at = pw.DateTimeField()

        class Meta:
            table_name = "refund"

    @migrator.create_model
    class Stop(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        starts_at = pw.DateTimeField()
        ends_at = pw.DateTimeField(null=True)
        title = pw.CharField(max_length=100)
        place = pw.CharField(default='', max_length=200)
        note = pw.TextField(default='')
        gathering = pw.BooleanField(default=False)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "stop"

    @migrator.create_model
    class RollCall(pw.Model):
        id = pw.AutoField()
        stop = pw.ForeignKeyField(column_name='stop_id', field='id', model=migrator.orm['stop'], on_delete='CASCADE')
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        guest = pw.ForeignKeyField(column_name='guest_id', field='id', model=migrator.orm['guest'], null=True, on_delete='CASCADE')
        person = pw.CharField(max_length=20)
        at = pw.DateTimeField()
        by = pw.CharField(default='', max_length=60)

        class Meta:
            table_name = "roll_call"
            indexes = [(('stop', 'person'), True)]

    @migrator.create_model
    class Vehicle(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        name = pw.CharField(max_length=60)
        seats = pw.IntegerField()
        departs_at = pw.DateTimeField()
        place = pw.CharField(default='', max_length=200)
        dispatcher = pw.CharField(default='', max_length=100)
        note = pw.CharField(default='', max_length=200)

        class Meta:
            table_name = "vehicle"
            indexes = [(('event', 'name'), True)]

    @migrator.create_model
    class Seat(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        vehicle = pw.ForeignKeyField(column_name='vehicle_id', field='id', model=migrator.orm['vehicle'], on_delete='CASCADE')
        number = pw.IntegerField()
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        guest = pw.ForeignKeyField(column_name='guest_id', field='id', model=migrator.orm['guest'], null=True, on_delete='CASCADE')
        person = pw.CharField(max_length=20)

        class Meta:
            table_name = "seat"
            indexes = [(('vehicle', 'number'), True), (('event', 'person'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
































































































































































































































































    migrator.remove_model('seat')

    migrator.remove_model('vehicle')

    migrator.remove_model('roll_call')

    migrator.remove_model('stop')

    migrator.remove_model('refund')

    migrator.remove_model('notice')

    migrator.remove_model('cost_item')

    migrator.remove_model('bed')

    migrator.remove_model('room')

    migrator.remove_model('acknowledgement')
