"""Peewee migrations -- 001_initial.py of the scoring plugin (was migrations/002_scoring.py).

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
    class BlindNumber(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE')
        entrant = pw.CharField(max_length=24)
        number = pw.IntegerField()

        class Meta:
            table_name = "scoring_blind_number"
            indexes = [(('item', 'entrant'), True), (('item', 'number'), True)]

    @migrator.create_model
    class EventScoring(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE', unique=True)
        team_prizes = pw.TextField()
        team_tie_rule = pw.CharField(default='share', max_length=20)
        split_team_prizes = pw.BooleanField(default=False)
        participation = pw.BooleanField(default=True)
        participation_amount = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        late_rate = pw.CharField(default='1/2', max_length=10)
        early_leave_rate = pw.CharField(default='1/2', max_length=10)
        excused_rate = pw.CharField(default='0', max_length=10)
        unknown_attendance_on_time = pw.BooleanField(default=False)
        best_placing_only = pw.BooleanField(default=False)
        souvenir_each = pw.IntegerField(default=0)
        activity_points = pw.BooleanField(default=True)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "scoring_event"

    @migrator.create_model
    class ItemScoring(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE', unique=True)
        measure = pw.CharField(default='count', max_length=20)
        unit_label = pw.CharField(default='', max_length=20)
        points = pw.TextField()
        tie_rule = pw.CharField(default='share', max_length=20)
        countback_higher_wins = pw.BooleanField(null=True)
        collective = pw.BooleanField(default=False)
        prizes = pw.TextField()
        team_points = pw.TextField()
        team_tie_rule = pw.CharField(default='share', max_length=20)
        bands = pw.TextField()
        band_cap = pw.CharField(default='', max_length=20)
        threshold = pw.TextField(null=True)
        answer_award = pw.TextField(null=True)
        criteria = pw.TextField()
        drop_high = pw.IntegerField(default=1)
        drop_low = pw.IntegerField(default=1)
        blind = pw.BooleanField(default=False)
        recusal = pw.BooleanField(default=False)
        best_of = pw.IntegerField(default=3)
        game_rule = pw.CharField(default='', max_length=20)
        third_place = pw.CharField(default='shared', max_length=10)
        draw_seed = pw.CharField(default='', max_length=40)
        draw = pw.TextField(null=True)
        blind_seal = pw.CharField(default='', max_length=64)
        revealed_at = pw.DateTimeField(null=True)
        state = pw.CharField(default='open', max_length=12)
        published_at = pw.DateTimeField(null=True)
        published_by = pw.ForeignKeyField(column_name='published_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "scoring_item"

    @migrator.create_model
    class Mark(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE')
        entrant = pw.CharField(max_length=24)
        judge = pw.ForeignKeyField(column_name='judge_id', field='id', model=migrator.orm['account'], on_delete='CASCADE')
        marks = pw.TextField()
        score = pw.DecimalField(auto_round=True, decimal_places=2, max_digits=8, rounding=ROUND_HALF_EVEN)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "scoring_mark"
            indexes = [(('item', 'entrant', 'judge'), True)]

    @migrator.create_model
    class MatchResult(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE')
        round = pw.IntegerField()
        number = pw.IntegerField()
        games = pw.TextField()
        version = pw.IntegerField(default=1)
        entered_by = pw.ForeignKeyField(column_name='entered_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "scoring_match"
            indexes = [(('item', 'round', 'number'), True)]

    @migrator.create_model
    class PanelJudge(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE')
        account = pw.ForeignKeyField(column_name='account_id', field='id', model=migrator.orm['account'], on_delete='CASCADE')
        role = pw.CharField(default='judge', max_length=10)
        submitted_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "scoring_judge"
            indexes = [(('item', 'account'), True)]

    @migrator.create_model
    class PayoutRecord(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], on_delete='CASCADE')
        version = pw.IntegerField()
        total = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        data = pw.TextField()
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "scoring_payout"
            indexes = [(('event', 'version'), True)]

    @migrator.create_model
    class ScoringResult(pw.Model):
        id = pw.AutoField()
        item = pw.ForeignKeyField(column_name='item_id', field='id', model=migrator.orm['item'], on_delete='CASCADE')
        entrant = pw.CharField(max_length=24)
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], null=True, on_delete='CASCADE')
        team = pw.ForeignKeyField(column_name='team_id', field='id', model=migrator.orm['team'], null=True, on_delete='CASCADE')
        value = pw.DecimalField(auto_round=True, decimal_places=4, max_digits=14, null=True, rounding=ROUND_HALF_EVEN)
        status = pw.CharField(default='ok', max_length=8)
        reached_at = pw.DecimalField(auto_round=True, decimal_places=4, max_digits=14, null=True, rounding=ROUND_HALF_EVEN)
        countback = pw.TextField()
        note = pw.CharField(default='', max_length=200)
        version = pw.IntegerField(default=1)
        entered_by = pw.ForeignKeyField(column_name='entered_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        entered_at = pw.DateTimeField()
        updated_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "scoring_result"
            indexes = [(('item', 'entrant'), True)]

def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""

    migrator.remove_model('scoring_result')

    migrator.remove_model('scoring_payout')

    migrator.remove_model('scoring_judge')

    migrator.remove_model('scoring_match')

    migrator.remove_model('scoring_mark')

    migrator.remove_model('scoring_item')

    migrator.remove_model('scoring_event')

    migrator.remove_model('scoring_blind_number')
