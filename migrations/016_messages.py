"""Peewee migrations -- 016_messages.py.

The outbox of messages (core/messages): one ``message`` per recipient and cause (also his inbox entry),
one ``delivery`` per message and channel with its state, attempts and lease, and each member's choice
of channels.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class Message(pw.Model):
        id = pw.AutoField()
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], null=True,
                                    on_delete='CASCADE')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['event'], null=True,
                                   on_delete='CASCADE')
        kind = pw.CharField(max_length=60)
        language = pw.CharField(default='zh', max_length=5)
        subject = pw.CharField(max_length=200)
        body = pw.TextField()
        link = pw.CharField(default='', max_length=500)
        dedupe_key = pw.CharField(max_length=200, unique=True)
        created_at = pw.DateTimeField()
        read_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "message"
            indexes = [(('member', 'created_at'), False)]

    @migrator.create_model
    class Delivery(pw.Model):
        id = pw.AutoField()
        message = pw.ForeignKeyField(column_name='message_id', field='id', model=migrator.orm['message'],
                                     on_delete='CASCADE')
        channel = pw.CharField(max_length=30)
        address = pw.CharField(default='', max_length=255)
        status = pw.CharField(default='queued', max_length=10)
        attempts = pw.IntegerField(default=0)
        next_attempt_at = pw.DateTimeField()
        locked_until = pw.DateTimeField(null=True)
        locked_by = pw.CharField(default='', max_length=80)
        last_error = pw.TextField(default='')
        created_at = pw.DateTimeField()
        sent_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "delivery"
            indexes = [(('message', 'channel'), True), (('status', 'next_attempt_at'), False)]

    @migrator.create_model
    class MessagePreference(pw.Model):
        id = pw.AutoField()
        member = pw.ForeignKeyField(column_name='member_id', field='id', model=migrator.orm['member'], unique=True,
                                    on_delete='CASCADE')
        email = pw.CharField(default='', max_length=254)
        channels = pw.TextField()
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "message_preference"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('message_preference')
    migrator.remove_model('delivery')
    migrator.remove_model('message')
