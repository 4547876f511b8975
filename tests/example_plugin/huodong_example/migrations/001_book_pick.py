"""Create the reading club's table.

A third-party plugin's migrations run after the core's, in their own history table
(``migratehistory_example``). Core tables are referenced through small stand-in models.
"""

import peewee as pw


class Event(pw.Model):
    class Meta:
        table_name = "event"


class Member(pw.Model):
    class Meta:
        table_name = "member"


def migrate(migrator, database, *, fake=False):
    @migrator.create_model
    class BookPick(pw.Model):
        id = pw.AutoField()
        event = pw.ForeignKeyField(Event, column_name="event_id", field="id", on_delete="CASCADE")
        member = pw.ForeignKeyField(Member, column_name="member_id", field="id", on_delete="CASCADE")
        title = pw.CharField(max_length=100)
        checked_in_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "example_book_pick"
            indexes = ((("event", "member"), True),)


def rollback(migrator, database, *, fake=False):
    migrator.remove_model("example_book_pick")
