"""An app whose database still has migrations to run says so: ``/healthz`` answers 503 with the reason
and ``huodong serve`` refuses to start; after ``huodong migrate`` both go ahead."""

from __future__ import annotations

import pytest

from core import cli as cli_module
from core import migrate as migrate_module
from core.db import close_all, db
from tests.support import own_database_url, run_cli


@pytest.fixture
def unmigrated(make_app, tmp_path):
    app = make_app(DATABASE_URL=own_database_url(tmp_path, "unmigrated"))
    yield app
    if not db.is_closed():
        db.close()
    close_all()


@pytest.fixture
def served(monkeypatch):
    calls = []
    monkeypatch.setattr(cli_module, "_serve", lambda app, host, port, workers, threads=4: calls.append(port))
    return calls


def test_healthz_is_not_ready_until_migrations_have_run(unmigrated, monkeypatch):
    monkeypatch.setattr(migrate_module, "READY_RECHECK_SECONDS", 3600.0)
    client = unmigrated.test_client()
    answer = client.get("/healthz")
    assert answer.status_code == 503
    text = answer.get_data(as_text=True)
    assert "not ready" in text and "migrations pending" in text and "huodong migrate" in text
    assert "001_core" in text

    with unmigrated.app_context():
        migrate_module.migrate(unmigrated.extensions["huodong_pm"])
    assert client.get("/healthz").status_code == 503  # looked at again only after a moment
    monkeypatch.setattr(migrate_module, "READY_RECHECK_SECONDS", 0.0)
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_data(as_text=True)) == (200, "ok")


def test_serve_refuses_to_start_with_pending_migrations(unmigrated, served):
    result = run_cli(unmigrated, "serve", "--port", "5299")
    assert result.exit_code == 1
    assert "个迁移未执行" in result.output and "huodong migrate" in result.output
    assert served == []

    assert run_cli(unmigrated, "migrate").exit_code == 0
    result = run_cli(unmigrated, "serve", "--port", "5299")
    assert result.exit_code == 0, result.output
    assert served == [5299]


def test_serve_starts_on_a_migrated_database(app, served):
    assert run_cli(app, "serve", "--port", "5298").exit_code == 0
    assert served == [5298]


def test_a_password_in_the_database_address_is_not_shown():
    assert cli_module._shown_url("postgresql://hd:s3cret@db:5432/hd") == "postgresql://hd:***@db:5432/hd"
    assert cli_module._shown_url("sqlite:////srv/hd.sqlite3") == "sqlite:////srv/hd.sqlite3"
