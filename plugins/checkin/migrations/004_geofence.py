"""Peewee migrations -- 004_geofence.py of the checkin plugin (was migrations/013_checkin_geofence.py).

A geofence per checkpoint for self sign-in with the venue code (a point and a radius), and the place
and accuracy a phone reported with each self sign-in.
"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator

with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext  # noqa: F401


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('checkpoint', latitude=pw.FloatField(null=True), longitude=pw.FloatField(null=True),
                        radius_m=pw.IntegerField(default=300, constraints=[pw.SQL("DEFAULT 300")]))
    migrator.add_fields('check_in', latitude=pw.FloatField(null=True), longitude=pw.FloatField(null=True),
                        accuracy_m=pw.FloatField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('check_in', 'latitude', 'longitude', 'accuracy_m')
    migrator.remove_fields('checkpoint', 'latitude', 'longitude', 'radius_m')
