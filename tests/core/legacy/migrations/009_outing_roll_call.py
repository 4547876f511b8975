"""Peewee migrations -- 009_outing_roll_call.py.

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
from datetime import datetime, timedelta, timezone

import peewee as pw
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal  # noqa: F401
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext

CLOSES_AFTER = timedelta(minutes=30)  # as plugins/outing/roll_call.py
PREFIX = "outing-stop-"


def _dt(value):
    """SQLite hands plain tables' datetimes back as text."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def move_roll_calls(database: pw.Database) -> None:
    """Each gathering stop becomes a sign-in checkpoint; each roll call a manual sign-in of its
    registration there (a family answered with its member: the earliest answer counts)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    stop = pw.Table("stop", ("id", "event_id", "starts_at", "ends_at", "title", "place", "gathering")).bind(database)
    checkpoint = pw.Table("checkpoint", (
        "id", "event_id", "key", "name", "place", "item_id", "sort", "opens_at", "starts_at", "grace_minutes",
        "closes_at", "ends_at", "sign_out", "self_sign_in", "rotate_seconds", "in_calendar", "created_at",
        "updated_at",
    )).bind(database)
    check_in = pw.Table("check_in", (
        "id", "checkpoint_id", "registration_id", "member_id", "kind", "status", "scanned_at", "created_at",
        "source", "account_id", "device_id", "client_scan_id", "reason",
    )).bind(database)
    roll_call = pw.Table("roll_call", ("id", "stop_id", "registration_id", "at", "by")).bind(database)
    registration = pw.Table("registration", ("id", "member_id")).bind(database)

    stops = {}
    order: dict = {}
    rows = (stop.select(stop.id, stop.event_id, stop.starts_at, stop.ends_at, stop.title, stop.place)
            .where(stop.gathering == True).order_by(stop.event_id, stop.starts_at, stop.id).tuples())  # noqa: E712
    for stop_id, event_id, starts, ends, title, place in rows:
        starts, ends = _dt(starts), _dt(ends)
        closes = ends or starts + CLOSES_AFTER
        order[event_id] = order.get(event_id, -1) + 1
        checkpoint.insert(event_id=event_id, key=f"{PREFIX}{stop_id}", name=f"集合点名：{title}"[:100],
                          place=(place or "")[:100], item_id=None, sort=100 + order[event_id], opens_at=None,
                          starts_at=starts, grace_minutes=0, closes_at=closes, ends_at=closes, sign_out=False,
                          self_sign_in=True, rotate_seconds=30, in_calendar=False, created_at=now,
                          updated_at=now).on_conflict_ignore().execute()
        stops[stop_id] = (event_id, starts)
    ids = {(event_id, key): cid for cid, event_id, key in checkpoint.select(
        checkpoint.id, checkpoint.event_id, checkpoint.key).where(checkpoint.key.startswith(PREFIX)).tuples()}
    members = dict(registration.select(registration.id, registration.member_id).where(
        registration.id.in_(roll_call.select(roll_call.registration_id))).tuples())
    calls = roll_call.select(roll_call.stop_id, roll_call.registration_id, roll_call.at, roll_call.by).order_by(
        roll_call.at, roll_call.id).tuples()
    for stop_id, registration_id, at, by in calls:
        if stop_id not in stops or registration_id not in members:
            continue
        event_id, starts = stops[stop_id]
        at = _dt(at)
        reason = "集合点名" + (f"（{by}）" if by else "")
        check_in.insert(checkpoint_id=ids[(event_id, f"{PREFIX}{stop_id}")], registration_id=registration_id,
                        member_id=members[registration_id], kind="in",
                        status="on_time" if at <= starts else "late", scanned_at=at, created_at=at,
                        source="manual", account_id=None, device_id="", client_scan_id=None,
                        reason=reason).on_conflict_ignore().execute()


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Roll call at an outing's gathering stops goes through the sign-in plugin: its own table goes.
    A checkpoint may stay out of the calendar feeds (a stop is in them already)."""
    migrator.add_fields('checkpoint', in_calendar=pw.BooleanField(default=True))
    if not fake:
        migrator.run(move_roll_calls, database)
    migrator.remove_model('roll_call')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Bring the roll call table back (empty: the sign-ins stay with the sign-in plugin)."""
    migrator.remove_fields('checkpoint', 'in_calendar')

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
