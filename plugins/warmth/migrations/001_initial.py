"""Peewee migrations -- 001_initial.py of the warmth plugin (was migrations/003_warmth.py).

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
    class Household(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], null=True, on_delete='SET NULL')
        worker_name = pw.CharField(max_length=50)
        gender = pw.CharField(default='', max_length=1)
        id_number = pw.TextField()
        id_hash = pw.CharField(max_length=64, unique=True)
        phone = pw.TextField(null=True)
        address = pw.TextField(null=True)
        employer = pw.CharField(default='', max_length=100)
        region_code = pw.CharField(max_length=12)
        year = pw.IntegerField()
        members_count = pw.IntegerField(default=1)
        main_cause = pw.CharField(max_length=20, null=True)
        secondary_causes = pw.TextField()
        flags = pw.TextField()
        offence = pw.CharField(max_length=20, null=True)
        situation = pw.TextField(default='')
        bank_name = pw.CharField(default='', max_length=60)
        bank_account = pw.TextField(null=True)
        bank_account_hash = pw.CharField(max_length=64, null=True)
        stage = pw.CharField(default='draft', index=True, max_length=20)
        status = pw.CharField(default='active', index=True, max_length=20)
        closed_kind = pw.CharField(max_length=20, null=True)
        closed_reason = pw.TextField(default='')
        closed_at = pw.DateTimeField(null=True)
        filled_by = pw.ForeignKeyField(column_name='filled_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        filled_by_name = pw.CharField(default='', max_length=60)
        responsible = pw.ForeignKeyField(column_name='responsible_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        responsible_since = pw.DateField(null=True)
        checked_on = pw.DateField(null=True)
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "warmth_household"

    @migrator.create_model
    class Attachment(pw.Model):
        id = pw.AutoField()
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')
        title = pw.CharField(max_length=100)
        filename = pw.CharField(max_length=200)
        stored_name = pw.CharField(max_length=80, unique=True)
        content_type = pw.CharField(max_length=60)
        size = pw.IntegerField()
        sha256 = pw.CharField(max_length=64)
        uploaded_by = pw.ForeignKeyField(column_name='uploaded_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        uploaded_at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_attachment"

    @migrator.create_model
    class Campaign(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        year = pw.IntegerField()
        season = pw.CharField(max_length=10)
        title = pw.CharField(max_length=200)
        standard = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        goods = pw.CharField(default='', max_length=200)
        quota = pw.IntegerField(null=True)
        starts_on = pw.DateField(null=True)
        ends_on = pw.DateField(null=True)
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_campaign"
            indexes = [(('unit', 'year', 'season'), True)]

    @migrator.create_model
    class FundSource(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        year = pw.IntegerField()
        kind = pw.CharField(max_length=20)
        name = pw.CharField(max_length=200)
        amount = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        spent = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        received_on = pw.DateField()
        note = pw.CharField(default='', max_length=200)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_fund_source"

    @migrator.create_model
    class CollectiveVisit(pw.Model):
        id = pw.AutoField()
        campaign = pw.ForeignKeyField(column_name='campaign_id', field='id', model=migrator.orm['warmth_campaign'], on_delete='CASCADE')
        group_name = pw.CharField(max_length=100)
        enterprise = pw.CharField(default='', max_length=100)
        people = pw.IntegerField()
        amount_each = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        total = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        fund = pw.ForeignKeyField(column_name='fund_id', field='id', model=migrator.orm['warmth_fund_source'], on_delete='RESTRICT')
        visited_on = pw.DateField()
        visitors = pw.CharField(default='', max_length=300)
        recorded_by = pw.ForeignKeyField(column_name='recorded_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "warmth_collective_visit"

    @migrator.create_model
    class ThresholdVersion(pw.Model):
        id = pw.AutoField()
        region_code = pw.CharField(max_length=12)
        region_name = pw.CharField(max_length=60)
        year = pw.IntegerField()
        version = pw.CharField(max_length=40)
        dibao_monthly = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        near_line_multiple = pw.DecimalField(auto_round=True, decimal_places=3, max_digits=6, rounding=ROUND_HALF_EVEN)
        medical_share = pw.DecimalField(auto_round=True, decimal_places=4, max_digits=5, rounding=ROUND_HALF_EVEN)
        tuition_share = pw.DecimalField(auto_round=True, decimal_places=4, max_digits=5, rounding=ROUND_HALF_EVEN)
        disaster_share = pw.DecimalField(auto_round=True, decimal_places=4, max_digits=5, rounding=ROUND_HALF_EVEN)
        effective_from = pw.DateField(null=True)
        source = pw.CharField(default='', max_length=200)
        created_at = pw.DateTimeField()
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "warmth_threshold_version"
            indexes = [(('region_code', 'year', 'version'), True)]

    @migrator.create_model
    class Decision(pw.Model):
        id = pw.AutoField()
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')
        year = pw.IntegerField()
        threshold = pw.ForeignKeyField(column_name='threshold_id', field='id', model=migrator.orm['warmth_threshold_version'], on_delete='RESTRICT')
        eligible = pw.BooleanField()
        matched = pw.TextField()
        exclusions = pw.TextField()
        per_head_monthly = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        summary = pw.TextField()
        trace = pw.TextField()
        figures = pw.TextField()
        decided_at = pw.DateTimeField()
        decided_by = pw.ForeignKeyField(column_name='decided_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "warmth_decision"

    @migrator.create_model
    class FamilyMember(pw.Model):
        id = pw.AutoField()
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')
        name = pw.CharField(max_length=50)
        relation = pw.CharField(max_length=20)
        id_number = pw.TextField(null=True)
        id_hash = pw.CharField(index=True, max_length=64, null=True)
        birth_year = pw.IntegerField(null=True)
        occupation = pw.CharField(default='', max_length=50)
        health = pw.CharField(default='', max_length=50)
        school = pw.CharField(default='', max_length=100)
        is_university_student = pw.BooleanField(default=False)

        class Meta:
            table_name = "warmth_family_member"

    @migrator.create_model
    class MoneyLine(pw.Model):
        id = pw.AutoField()
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')
        kind = pw.CharField(max_length=10)
        category = pw.CharField(max_length=20)
        amount = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        note = pw.CharField(default='', max_length=200)

        class Meta:
            table_name = "warmth_money_line"

    @migrator.create_model
    class Notice(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        title = pw.CharField(max_length=200)
        year = pw.IntegerField()
        opens_on = pw.DateField()
        working_days = pw.IntegerField()
        closes_on = pw.DateField()
        phone = pw.CharField(default='12351', max_length=20)
        status = pw.CharField(default='published', max_length=20)
        taken_down_at = pw.DateTimeField(null=True)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_notice"

    @migrator.create_model
    class NoticeEntry(pw.Model):
        id = pw.AutoField()
        notice = pw.ForeignKeyField(column_name='notice_id', field='id', model=migrator.orm['warmth_notice'], on_delete='CASCADE')
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')

        class Meta:
            table_name = "warmth_notice_entry"
            indexes = [(('notice', 'household'), True)]

    @migrator.create_model
    class Objection(pw.Model):
        id = pw.AutoField()
        notice = pw.ForeignKeyField(column_name='notice_id', field='id', model=migrator.orm['warmth_notice'], on_delete='CASCADE')
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], null=True, on_delete='CASCADE')
        content = pw.TextField()
        contact = pw.TextField(null=True)
        received_at = pw.DateTimeField()
        status = pw.CharField(default='open', max_length=20)
        resolution = pw.TextField(default='')
        resolved_by = pw.ForeignKeyField(column_name='resolved_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        resolved_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "warmth_objection"

    @migrator.create_model
    class Pairing(pw.Model):
        id = pw.AutoField()
        cadre = pw.ForeignKeyField(column_name='cadre_id', field='id', model=migrator.orm['account'], on_delete='CASCADE')
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')
        role = pw.CharField(default='member', max_length=20)
        since = pw.DateField()
        ended_on = pw.DateField(null=True)

        class Meta:
            table_name = "warmth_pairing"
            indexes = [(('cadre', 'household'), True)]

    @migrator.create_model
    class VisitPlan(pw.Model):
        id = pw.AutoField()
        campaign = pw.ForeignKeyField(column_name='campaign_id', field='id', model=migrator.orm['warmth_campaign'], on_delete='CASCADE')
        title = pw.CharField(max_length=200)
        leader = pw.CharField(max_length=60)
        team = pw.TextField()
        planned_on = pw.DateField()
        targets = pw.TextField(default='')

        class Meta:
            table_name = "warmth_visit_plan"

    @migrator.create_model
    class Visit(pw.Model):
        id = pw.AutoField()
        campaign = pw.ForeignKeyField(column_name='campaign_id', field='id', model=migrator.orm['warmth_campaign'], on_delete='CASCADE')
        plan = pw.ForeignKeyField(column_name='plan_id', field='id', model=migrator.orm['warmth_visit_plan'], null=True, on_delete='SET NULL')
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], null=True, on_delete='RESTRICT')
        enterprise = pw.CharField(default='', max_length=100)
        visited_on = pw.DateField()
        visitors = pw.CharField(max_length=300)
        money = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        goods = pw.CharField(default='', max_length=200)
        learned = pw.TextField(default='')
        follow_up = pw.TextField(default='')
        recorded_by = pw.ForeignKeyField(column_name='recorded_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_visit"

    @migrator.create_model
    class Payment(pw.Model):
        id = pw.AutoField()
        campaign = pw.ForeignKeyField(column_name='campaign_id', field='id', model=migrator.orm['warmth_campaign'], on_delete='RESTRICT')
        campaign_key = pw.CharField(max_length=20)
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='RESTRICT')
        person_hash = pw.CharField(max_length=64)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        fund = pw.ForeignKeyField(column_name='fund_id', field='id', model=migrator.orm['warmth_fund_source'], on_delete='RESTRICT')
        amount = pw.DecimalField(auto_round=True, decimal_places=2, default=Decimal('0'), max_digits=14, rounding=ROUND_HALF_UP)
        students = pw.IntegerField(default=0)
        account_hash = pw.CharField(max_length=64)
        account_last4 = pw.CharField(max_length=4)
        paid_on = pw.DateField()
        visit = pw.ForeignKeyField(column_name='visit_id', field='id', model=migrator.orm['warmth_visit'], null=True, on_delete='SET NULL')
        recorded_by = pw.ForeignKeyField(column_name='recorded_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_payment"
            indexes = [(('campaign_key', 'person_hash'), True), (('campaign_key', 'household'), True)]

    @migrator.create_model
    class ReviewStep(pw.Model):
        id = pw.AutoField()
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')
        year = pw.IntegerField()
        level = pw.CharField(max_length=20)
        action = pw.CharField(max_length=20)
        from_stage = pw.CharField(max_length=20)
        to_stage = pw.CharField(max_length=20)
        comment = pw.TextField(default='')
        account = pw.ForeignKeyField(column_name='account_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        account_name = pw.CharField(default='', max_length=60)
        at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_review_step"

    @migrator.create_model
    class SolvedProblem(pw.Model):
        id = pw.AutoField()
        household = pw.ForeignKeyField(column_name='household_id', field='id', model=migrator.orm['warmth_household'], on_delete='CASCADE')
        cadre = pw.ForeignKeyField(column_name='cadre_id', field='id', model=migrator.orm['account'], on_delete='CASCADE')
        year = pw.IntegerField()
        description = pw.TextField()
        solved_on = pw.DateField()

        class Meta:
            table_name = "warmth_solved_problem"

    @migrator.create_model
    class Wish(pw.Model):
        id = pw.AutoField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        group = pw.CharField(max_length=20)
        beneficiary = pw.CharField(max_length=50)
        content = pw.CharField(max_length=300)
        status = pw.CharField(default='open', index=True, max_length=20)
        claimed_by = pw.ForeignKeyField(column_name='claimed_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        claimed_at = pw.DateTimeField(null=True)
        fulfilled_at = pw.DateTimeField(null=True)
        note = pw.CharField(default='', max_length=300)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "warmth_wish"

def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    

    migrator.remove_model('warmth_wish')

    migrator.remove_model('warmth_solved_problem')

    migrator.remove_model('warmth_review_step')

    migrator.remove_model('warmth_payment')

    migrator.remove_model('warmth_visit')

    migrator.remove_model('warmth_visit_plan')

    migrator.remove_model('warmth_pairing')

    migrator.remove_model('warmth_objection')

    migrator.remove_model('warmth_notice_entry')

    migrator.remove_model('warmth_notice')

    migrator.remove_model('warmth_money_line')

    migrator.remove_model('warmth_family_member')

    migrator.remove_model('warmth_decision')

    migrator.remove_model('warmth_threshold_version')

    migrator.remove_model('warmth_collective_visit')

    migrator.remove_model('warmth_fund_source')

    migrator.remove_model('warmth_campaign')

    migrator.remove_model('warmth_attachment')

    migrator.remove_model('warmth_household')
