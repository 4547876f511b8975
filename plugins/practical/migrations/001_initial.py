"""Peewee migrations -- 001_initial.py of the practical plugin (was migrations/004_practical.py).

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
    class Cadre(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        position = pw.CharField(default='', max_length=60)
        sort = pw.IntegerField(default=0)
        is_active = pw.BooleanField(default=True)

        class Meta:
            table_name = "practical_cadre"
            indexes = [(('unit', 'member'), True)]

    @migrator.create_model
    class Project(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        year = pw.IntegerField()
        quarter = pw.IntegerField(null=True)
        theme = pw.CharField(default='', max_length=40)
        title = pw.CharField(max_length=200)
        description = pw.TextField(default='')
        owner = pw.CharField(default='', max_length=100)
        target_people = pw.IntegerField(default=0)
        target_money = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        target_wishes = pw.IntegerField(default=0)
        sort = pw.IntegerField(default=0)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "practical_project"
            indexes = [(('unit', 'year', 'title'), True)]

    @migrator.create_model
    class Check(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['practical_project'], on_delete='CASCADE')
        checked_on = pw.DateField()
        checkers = pw.CharField(max_length=200)
        problems = pw.TextField(default='')
        advice = pw.TextField(default='')
        follow_up_due = pw.DateField(index=True, null=True)
        followed_up_at = pw.DateTimeField(null=True)
        follow_up_note = pw.TextField(default='')
        recorded_by = pw.ForeignKeyField(column_name='recorded_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "practical_check"

    @migrator.create_model
    class GrassrootsDay(pw.Model):
        id = pw.AutoField()
        cadre = pw.ForeignKeyField(column_name='cadre_id', field='id', model=migrator.orm['practical_cadre'], on_delete='CASCADE')
        year = pw.IntegerField()
        month = pw.IntegerField()
        role = pw.CharField(max_length=20)
        on = pw.DateField()
        place = pw.CharField(max_length=200)
        with_whom = pw.CharField(default='', max_length=300)
        discussed = pw.TextField(default='')
        promised = pw.TextField(default='')
        follow_up = pw.TextField(default='')
        recorded_by = pw.ForeignKeyField(column_name='recorded_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "practical_grassroots_day"
            indexes = [(('cadre', 'year', 'month', 'role'), True)]

    @migrator.create_model
    class Pledge(pw.Model):
        id = pw.AutoField()
        cadre = pw.ForeignKeyField(column_name='cadre_id', field='id', model=migrator.orm['practical_cadre'], on_delete='CASCADE')
        year = pw.IntegerField(index=True)
        content = pw.TextField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['practical_project'], null=True, on_delete='SET NULL')
        outcome = pw.CharField(max_length=20, null=True)
        evidence = pw.TextField(default='')
        assessed_at = pw.DateTimeField(null=True)
        assessed_by = pw.ForeignKeyField(column_name='assessed_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "practical_pledge"

    @migrator.create_model
    class PledgeBoard(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='CASCADE')
        year = pw.IntegerField()
        pledges_published_at = pw.DateTimeField(null=True)
        outcomes_published_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "practical_pledge_board"
            indexes = [(('unit', 'year'), True)]

    @migrator.create_model
    class ProgressEntry(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['practical_project'], on_delete='CASCADE')
        on = pw.DateField()
        people = pw.IntegerField(default=0)
        money = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        wishes = pw.IntegerField(default=0)
        note = pw.CharField(default='', max_length=300)
        recorded_by = pw.ForeignKeyField(column_name='recorded_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "practical_progress_entry"

    @migrator.create_model
    class ProjectEvent(pw.Model):
        id = pw.AutoField()
        project = pw.ForeignKeyField(column_name='project_id', field='id', model=migrator.orm['practical_project'], on_delete='CASCADE')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE', unique=True)
        linked_at = pw.DateTimeField()

        class Meta:
            table_name = "practical_project_event"

    @migrator.create_model
    class VolunteerTeam(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        name = pw.CharField(max_length=100)
        description = pw.TextField(default='')
        leader = pw.ForeignKeyField(column_name='leader_id', field='id', model=migrator.orm['member'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "practical_volunteer_team"
            indexes = [(('unit', 'name'), True)]

    @migrator.create_model
    class Volunteer(pw.Model):
        id = pw.AutoField()
        team = pw.ForeignKeyField(column_name='team_id', field='id', model=migrator.orm['practical_volunteer_team'], on_delete='CASCADE')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        joined_on = pw.DateField(null=True)

        class Meta:
            table_name = "practical_volunteer"
            indexes = [(('team', 'member'), True)]

    @migrator.create_model
    class VolunteerActivity(pw.Model):
        id = pw.AutoField()
        team = pw.ForeignKeyField(column_name='team_id', field='id', model=migrator.orm['practical_volunteer_team'], on_delete='CASCADE')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE', unique=True)

        class Meta:
            table_name = "practical_volunteer_activity"

def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""

    migrator.remove_model('practical_volunteer_activity')

    migrator.remove_model('practical_volunteer')

    migrator.remove_model('practical_volunteer_team')

    migrator.remove_model('practical_project_event')

    migrator.remove_model('practical_progress_entry')

    migrator.remove_model('practical_pledge_board')

    migrator.remove_model('practical_pledge')

    migrator.remove_model('practical_grassroots_day')

    migrator.remove_model('practical_check')

    migrator.remove_model('practical_project')

    migrator.remove_model('practical_cadre')
