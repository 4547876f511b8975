"""The PostgreSQL pool hands out a connection that just came back without asking the server, and
checks one that waited longer, so that a connection the server dropped is replaced."""

from __future__ import annotations

import psycopg
import pytest

from core.db import db
from tests.conftest import PG_URL, USING_PG

pytestmark = pytest.mark.skipif(not USING_PG, reason="the PostgreSQL pool")


def _backend_pid() -> int:
    return db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


def test_a_connection_that_just_came_back_is_reused(app):
    client = app.test_client()
    db.close()
    assert client.get("/api/v1/events").status_code == 200
    db.connect()
    first = _backend_pid()
    db.close()
    db.connect()
    assert _backend_pid() == first  # the same connection, handed out again
    db.close()


def test_a_connection_dropped_by_the_server_while_idle_is_replaced(app, monkeypatch):
    db.close()
    db.connect()
    dropped = _backend_pid()
    db.close()
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (dropped,))
    monkeypatch.setattr(db.obj, "PING_AFTER", 0.0)  # as if it had waited longer than that
    response = app.test_client().get("/api/v1/events")
    assert response.status_code == 200
    db.connect()
    assert _backend_pid() != dropped
