"""Peewee migrations -- 001_core.py.

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
    class Unit(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=100)
        kind = pw.CharField(default='grassroots', max_length=20)
        parent = pw.ForeignKeyField(column_name='parent_id', field='id', model='self', null=True, on_delete='RESTRICT')
        path = pw.CharField(default='/', index=True, max_length=255)
        code = pw.CharField(max_length=40, null=True, unique=True)
        sort = pw.IntegerField(default=0)
        is_active = pw.BooleanField(default=True)

        class Meta:
            table_name = "unit"
            indexes = [(('parent', 'name'), True)]

    @migrator.create_model
    class Member(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=50)
        gender = pw.CharField(max_length=1)
        phone = pw.CharField(index=True, max_length=20, null=True)
        id_number = pw.TextField(null=True)
        id_hash = pw.CharField(max_length=64, null=True, unique=True)
        staff_no = pw.CharField(max_length=40, unique=True)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        job = pw.CharField(default='', max_length=50)
        dues_paid_until = pw.DateField(null=True)
        birth_date = pw.DateField(null=True)
        is_active = pw.BooleanField(default=True)

        class Meta:
            table_name = "member"

    @migrator.create_model
    class Account(pw.Model):
        id = pw.AutoField()
        username = pw.CharField(max_length=60, unique=True)
        password_hash = pw.CharField(max_length=255)
        display_name = pw.CharField(default='', max_length=60)
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], null=True, on_delete='SET NULL', unique=True)
        language = pw.CharField(default='zh', max_length=5)
        is_active = pw.BooleanField(default=True)
        session_version = pw.IntegerField(default=1)
        created_at = pw.DateTimeField()
        last_login_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "account"

    @migrator.create_model
    class ApiToken(pw.Model):
        id = pw.AutoField()
        account = pw.ForeignKeyField(column_name='account_id', field='id', model=migrator.orm['account'], on_delete='CASCADE')
        name = pw.CharField(default='', max_length=60)
        token_hash = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()
        last_used_at = pw.DateTimeField(null=True)
        revoked = pw.BooleanField(default=False)

        class Meta:
            table_name = "api_token"

    @migrator.create_model
    class AuditLog(pw.Model):
        id = pw.AutoField()
        at = pw.DateTimeField(index=True)
        account_id = pw.IntegerField(index=True, null=True)
        account_name = pw.CharField(default='', max_length=60)
        action = pw.CharField(max_length=60)
        object_type = pw.CharField(max_length=60)
        object_id = pw.CharField(default='', max_length=40)
        event_id = pw.IntegerField(index=True, null=True)
        before = pw.TextField(null=True)
        after = pw.TextField(null=True)
        reason = pw.TextField(default='')

        class Meta:
            table_name = "audit_log"
            indexes = [(('object_type', 'object_id'), False)]

    @migrator.create_model
    class Event(pw.Model):
        id = pw.AutoField()
        activity_type = pw.CharField(index=True, max_length=40)
        preset = pw.CharField(max_length=60, null=True)
        title = pw.CharField(max_length=200)
        description = pw.TextField(default='')
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        venue = pw.CharField(default='', max_length=200)
        timezone = pw.CharField(default='Asia/Shanghai', max_length=60)
        starts_at = pw.DateTimeField(index=True)
        ends_at = pw.DateTimeField()
        all_day = pw.BooleanField(default=False)
        registration_opens_at = pw.DateTimeField(null=True)
        registration_closes_at = pw.DateTimeField(null=True)
        capacity = pw.IntegerField(null=True)
        status = pw.CharField(default='draft', index=True, max_length=20)
        settings = pw.TextField()
        fee = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        reminder_minutes = pw.IntegerField(null=True)
        sequence = pw.IntegerField(default=0)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField(index=True)
        cancelled_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "event"

    @migrator.create_model
    class CommitteeRole(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        role = pw.CharField(max_length=30)

        class Meta:
            table_name = "committee_role"
            indexes = [(('event', 'member', 'role'), True)]

    @migrator.create_model
    class Item(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        name = pw.CharField(max_length=100)
        code = pw.CharField(default='', max_length=40)
        kind = pw.CharField(default='individual', max_length=20)
        starred = pw.BooleanField(default=False)
        group = pw.CharField(default='', max_length=40)
        sort = pw.IntegerField(default=0)
        starts_at = pw.DateTimeField(null=True)
        ends_at = pw.DateTimeField(null=True)
        place = pw.CharField(default='', max_length=100)
        capacity = pw.IntegerField(null=True)
        per_team = pw.IntegerField(null=True)
        team_size_min = pw.IntegerField(null=True)
        team_size_max = pw.IntegerField(null=True)
        min_women = pw.IntegerField(null=True)
        settings = pw.TextField()

        class Meta:
            table_name = "item"
            indexes = [(('event', 'name'), True)]

    @migrator.create_model
    class Team(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        name = pw.CharField(max_length=100)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], null=True, on_delete='SET NULL')
        captain = pw.ForeignKeyField(column_name='captain_id', field='id', model=migrator.orm['member'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "team"
            indexes = [(('event', 'name'), True)]

    @migrator.create_model
    class Registration(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        team = pw.ForeignKeyField(column_name='team_id', field='id', model=migrator.orm['team'], null=True, on_delete='SET NULL')
        status = pw.CharField(default='active', index=True, max_length=20)
        waitlist_position = pw.IntegerField(null=True)
        registered_by = pw.ForeignKeyField(column_name='registered_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        extra = pw.TextField()
        fee_total = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        member_share = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        union_share = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        payment_status = pw.CharField(default='unpaid', max_length=20)
        paid_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        withdrawn_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "registration"
            indexes = [(('event', 'member'), True)]

    @migrator.create_model
    class Entry(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE')
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], on_delete='CASCADE')
        team = pw.ForeignKeyField(column_name='team_id', field='id', model=migrator.orm['team'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "entry"
            indexes = [(('item', 'member'), True)]

    @migrator.create_model
    class Guest(pw.Model):
        id = pw.AutoField()
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['registration'], on_delete='CASCADE')
        name = pw.CharField(max_length=50)
        relation = pw.CharField(default='', max_length=20)
        gender = pw.CharField(default='', max_length=1)
        is_child = pw.BooleanField(default=False)
        id_number = pw.TextField(null=True)
        fee = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        member_share = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        union_share = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)

        class Meta:
            table_name = "guest"

    @migrator.create_model
    class LoginAttempt(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(index=True, max_length=120)
        at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "login_attempt"

    @migrator.create_model
    class RoleGrant(pw.Model):
        id = pw.AutoField()
        account = pw.ForeignKeyField(column_name='account_id', field='id', model=migrator.orm['account'], on_delete='CASCADE')
        role = pw.CharField(max_length=20)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], null=True, on_delete='CASCADE')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], null=True, on_delete='CASCADE')
        detail = pw.CharField(default='', max_length=40)

        class Meta:
            table_name = "role_grant"
            indexes = [(('account', 'role', 'unit', 'event', 'detail'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('role_grant')

    migrator.remove_model('login_attempt')

    migrator.remove_model('guest')

    migrator.remove_model('entry')

    migrator.remove_model('registration')

    migrator.remove_model('team')

    migrator.remove_model('item')

    migrator.remove_model('committee_role')

    migrator.remove_model('event')

    migrator.remove_model('audit_log')

    migrator.remove_model('api_token')

    migrator.remove_model('account')

    migrator.remove_model('member')

    migrator.remove_model('unit')
