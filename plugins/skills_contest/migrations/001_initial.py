"""Peewee migrations -- 001_initial.py of the skills_contest plugin (was migrations/008_skills_contest.py).

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
    class ContestItem(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE', unique=True)
        mode = pw.CharField(max_length=12)
        phase = pw.CharField(max_length=12)
        requirement = pw.TextField()
        starts_at = pw.DateTimeField(null=True)
        ends_at = pw.DateTimeField(null=True)
        room = pw.CharField(max_length=100)
        text_title = pw.CharField(max_length=100)
        text = pw.TextField()
        kinds = pw.TextField()
        extensions = pw.TextField()
        max_mb = pw.IntegerField()
        encouragement = pw.CharField(max_length=20)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "skills_contest_item"

    @migrator.create_model
    class Submission(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        kind = pw.CharField(max_length=8)
        filename = pw.CharField(max_length=200)
        stored = pw.CharField(max_length=200)
        size = pw.IntegerField()
        url = pw.CharField(max_length=500)
        note = pw.CharField(max_length=200)
        submitted_by = pw.ForeignKeyField(column_name='submitted_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        submitted_at = pw.DateTimeField()

        class Meta:
            table_name = "skills_contest_submission"
            indexes = [(('item', 'member'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""

    migrator.remove_model('skills_contest_submission')

    migrator.remove_model('skills_contest_item')
