"""Peewee migrations -- 006_requests.py of the checkin plugin (was migrations/015_checkin_requests.py).

Participants' own requests at a checkpoint: 请假 before it, 补签 after it, decided by the organizer.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class AttendanceRequest(pw.Model):
        id = pw.AutoField()
        registration = pw.ForeignKeyField(column_name='registration_id', field='id',
                                          model=migrator.orm['registration'], on_delete='CASCADE')
        checkpoint = pw.ForeignKeyField(column_name='checkpoint_id', field='id', model=migrator.orm['checkpoint'],
                                        on_delete='CASCADE')
        kind = pw.CharField(max_length=10)
        reason = pw.TextField()
        arrived_at = pw.DateTimeField(null=True)
        status = pw.CharField(default='pending', index=True, max_length=10)
        created_at = pw.DateTimeField()
        decided_at = pw.DateTimeField(null=True)
        decided_by = pw.IntegerField(null=True)
        note = pw.TextField(default='')

        class Meta:
            table_name = "attendance_request"
            indexes = [(('registration', 'checkpoint', 'kind'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('attendance_request')
