"""The huodong app plus one bare writing endpoint, served by ``bench_checkin.py`` for scale.

``POST /bench/write-floor`` with ``{"n": 123}`` reads one registration by its key and inserts one
row into ``bench_write_floor`` (``ON CONFLICT DO NOTHING RETURNING id``), then answers JSON: the
least any sign-in has to do, without a token, checks, messages or an audit of refusals. Its rate
beside ``/healthz`` of the same app is the ceiling a sign-in that writes before it answers can
reach. Settings come from the environment, as for ``huodong serve``; only the benchmark uses this.
"""

from __future__ import annotations

import json

from flask import jsonify, request

from core.access import public
from core.app import create_app, csrf
from core.db import db

TABLE_SQL = {
    "sqlite": "CREATE TABLE IF NOT EXISTS bench_write_floor (id INTEGER PRIMARY KEY, n BIGINT UNIQUE)",
    "postgresql": "CREATE TABLE IF NOT EXISTS bench_write_floor (id SERIAL PRIMARY KEY, n BIGINT UNIQUE)",
}
REGISTRATIONS = 2000  # the smallest data set the benchmark builds


@public
def write_floor():
    n = int(json.loads(request.get_data())["n"])
    param = db.obj.param
    row = db.execute_sql(f"SELECT id, status FROM registration WHERE id = {param}", (n % REGISTRATIONS + 1,)).fetchone()
    inserted = db.execute_sql(f"INSERT INTO bench_write_floor (n) VALUES ({param}) ON CONFLICT DO NOTHING RETURNING id",
                              (n,)).fetchone()
    return jsonify(ok=True, registration=row[0], inserted=inserted is not None)


def create_floor_app():
    """gunicorn's app factory (``write_floor:create_floor_app()``)."""
    app = create_app()
    csrf.exempt(write_floor)
    app.add_url_rule("/bench/write-floor", "bench_write_floor", write_floor, methods=["POST"])
    return app
