"""Peewee migrations -- 011_feed_stamps.py.

A change stamp per unit, raised by triggers on the event table, so that a unit feed's ETag is one
indexed read (see core/services/feeds.py).
"""

from contextlib import suppress

import peewee as pw
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal  # noqa: F401
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext

# One stamp per unit, raised by the database for every insert, update or delete of an event (for
# the owning unit before and after the change), in the same transaction: no write path can forget
# it, bulk queries included. See core/services/feeds.py.

_SQLITE_BUMP = """
    INSERT INTO feed_stamp (unit_id, version, changed_at) {source}
    ON CONFLICT (unit_id) DO UPDATE SET version = version + 1,
        changed_at = max(changed_at, excluded.changed_at);"""
_SQLITE_NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now')"

SQLITE_TRIGGERS = [
    "CREATE TRIGGER event_feed_stamp_insert AFTER INSERT ON event BEGIN"
    + _SQLITE_BUMP.format(source=f"VALUES (NEW.unit_id, 1, {_SQLITE_NOW})") + "\nEND",
    "CREATE TRIGGER event_feed_stamp_update AFTER UPDATE ON event BEGIN"
    + _SQLITE_BUMP.format(source=f"VALUES (OLD.unit_id, 1, {_SQLITE_NOW})")
    # INSERT ... SELECT needs its WHERE before ON CONFLICT (SQLite's parsing rule for upserts).
    + _SQLITE_BUMP.format(source=f"SELECT NEW.unit_id, 1, {_SQLITE_NOW} WHERE NEW.unit_id IS NOT OLD.unit_id")
    + "\nEND",
    "CREATE TRIGGER event_feed_stamp_delete AFTER DELETE ON event BEGIN"
    + _SQLITE_BUMP.format(source=f"VALUES (OLD.unit_id, 1, {_SQLITE_NOW})") + "\nEND",
]

POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION feed_stamp_bump(unit integer) RETURNS void LANGUAGE sql AS $$
    INSERT INTO feed_stamp (unit_id, version, changed_at) VALUES (unit, 1, clock_timestamp() AT TIME ZONE 'UTC')
    ON CONFLICT (unit_id) DO UPDATE SET version = feed_stamp.version + 1,
        changed_at = GREATEST(feed_stamp.changed_at, EXCLUDED.changed_at)
    $$""",
    """CREATE OR REPLACE FUNCTION event_feed_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            PERFORM feed_stamp_bump(OLD.unit_id);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.unit_id IS DISTINCT FROM OLD.unit_id) THEN
            PERFORM feed_stamp_bump(NEW.unit_id);
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER event_feed_stamp AFTER INSERT OR UPDATE OR DELETE ON "event"
    FOR EACH ROW EXECUTE FUNCTION event_feed_stamp()""",
]


def _is_postgres(database: pw.Database) -> bool:
    return isinstance(database, pw.PostgresqlDatabase)


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Each unit's feed stamp, kept by triggers on the event table."""

    @migrator.create_model
    class FeedStamp(pw.Model):
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='CASCADE', primary_key=True)
        version = pw.BigIntegerField(default=0)
        changed_at = pw.DateTimeField()

        class Meta:
            table_name = "feed_stamp"

    if not fake:
        for statement in POSTGRES_TRIGGERS if _is_postgres(database) else SQLITE_TRIGGERS:
            migrator.sql(statement)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Drop the triggers and the stamps."""
    if not fake:
        if _is_postgres(database):
            migrator.sql('DROP TRIGGER IF EXISTS event_feed_stamp ON "event"')
            migrator.sql("DROP FUNCTION IF EXISTS event_feed_stamp()")
            migrator.sql("DROP FUNCTION IF EXISTS feed_stamp_bump(integer)")
        else:
            for name in ("insert", "update", "delete"):
                migrator.sql(f"DROP TRIGGER IF EXISTS event_feed_stamp_{name}")

    migrator.remove_model('feed_stamp')
