"""Helpers for tests: a factory of real rows, logging in through the real form, reading pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

PASSWORD = "secret-pass-1"


class Factory:
    """Makes real rows through the real services (not mocks)."""

    def __init__(self, app):
        self.app = app
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def unit(self, name=None, parent=None, kind="department"):
        from core.models import Unit

        return Unit.create_child(name or f"单位{self._next()}", parent, kind=kind)

    def school(self):
        """A small union tree: 区总工会 → 实验中学工会 → two grade groups."""
        district = self.unit("区总工会", None, "district")
        school = self.unit("实验中学工会", district, "grassroots")
        return {"district": district, "school": school, "g1": self.unit("初一年级组", school),
                "g2": self.unit("初二年级组", school)}

    def member(self, unit, name=None, gender="M", **fields):
        from core.models import Member

        n = self._next()
        member = Member(name=name or f"会员{n}", gender=gender, staff_no=fields.pop("staff_no", f"S{n:05d}"),
                        unit=unit, phone=fields.pop("phone", f"139{n:08d}"),
                        dues_paid_until=fields.pop("dues_paid_until", date(2099, 12, 31)), **fields)
        member.save()
        return member

    def account(self, username=None, *, member=None, roles=()):
        from core.services.accounts import create_account

        return create_account(username or f"user{self._next()}", PASSWORD, member=member, roles=roles)

    def event(self, unit, *, activity_type="general", preset=None, title=None, status="published",
              starts_in_days=7, hours=4, **fields):
        from core.models import Event
        from core.services.events import create_event
        from core.timeutil import utcnow

        start = fields.pop("starts_at", None) or (utcnow().replace(microsecond=0) + timedelta(days=starts_in_days))
        end = fields.pop("ends_at", None) or start + timedelta(hours=hours)
        with self.app.test_request_context():
            event = create_event(activity_type_key=activity_type, preset_key=preset,
                                 data={"title": title or f"活动{self._next()}", "unit": unit,
                                       "starts_at": start, "ends_at": end, **fields})
        if status != "draft":
            Event.update(status=status).where(Event.id == event.id).execute()
            event = Event.get_by_id(event.id)
        return event


def login(client, username, password=PASSWORD):
    """Log ``client`` in through the real login form."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.data.decode()[:500]
    return client


def session_for(client, account):
    """Log ``client`` in as ``account`` without the login form (a server-side session, as a login makes)."""
    import secrets

    from core import sessions
    from core.models import LoginSession

    key = secrets.token_urlsafe(32)
    LoginSession.create(key_hash=sessions.key_hash(key), account=account)
    with client.session_transaction() as session:
        session[sessions.KEY], session["sv"] = key, account.session_version
    return client


def text_of(response) -> str:
    """The visible text of an HTML response, tags stripped, whitespace folded."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def id_number(birth: str = "19800101", male: bool = True, seq: int = 1, region: str = "440402") -> str:
    """A valid 18-character resident ID number (right check character) for ``birth`` (YYYYMMDD)."""
    from core import privacy

    first17 = f"{region}{birth}{seq % 100:02d}{(1 if male else 2) + 2 * (seq // 100 % 4)}"
    return first17 + privacy.id_check_char(first17)


def xlsx_bytes(rows, headers=None, *, title: str | None = None, text_columns=()) -> bytes:
    """A real xlsx file: an optional title row, ``headers`` and ``rows`` (cells as given)."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    if headers is not None:
        ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
        for index in text_columns:
            ws.cell(row=ws.max_row, column=index + 1).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_xlsx(data: bytes, sheet: int = 0) -> list[tuple]:
    """The rows of a sheet of an xlsx file, read back with openpyxl."""
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [tuple(r) for r in wb.worksheets[sheet].iter_rows(values_only=True)]


def run_cli(app, *args, env: dict | None = None, input: str | None = None):
    """Run a ``huodong`` command in this process on ``app``'s database and keys, as an operator would.

    The command builds its own app (and binds the shared database proxy to it); afterwards the
    proxy is given back to ``app``'s database so that the test reads what the command wrote.
    """
    from click.testing import CliRunner

    from core import privacy
    from core.cli import cli
    from core.db import bind, db

    original = db.obj
    if not original.is_closed():
        original.close()
    environ = {"HUODONG_DATABASE_URL": app.config["DATABASE_URL"], "HUODONG_INSTANCE_PATH": app.instance_path,
               "HUODONG_DATA_KEY": app.config["DATA_KEY"], "HUODONG_SECRET_KEY": app.config["SECRET_KEY"]}
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], env=environ | (env or {}), input=input,
                                  catch_exceptions=False)
    finally:
        used = db.obj
        if used is not original:
            if hasattr(used, "close_all"):
                used.close_all()
            elif not used.is_closed():
                used.close()
            bind(original)
        privacy.configure(app.config["DATA_KEY"])
        original.connect(reuse_if_open=True)


def own_database_url(tmp_path, suffix: str) -> str:
    """An empty database for one test, beside the shared test database: a SQLite file, or on PostgreSQL
    ``<test database>_<suffix>`` on the same server (created once, emptied for each test)."""
    import psycopg

    from tests.conftest import PG_URL, USING_PG

    if not USING_PG:
        return f"sqlite:///{tmp_path / f'{suffix}.sqlite3'}"
    base, _, name = PG_URL.rpartition("/")
    name = f"{name.split('?')[0]}_{suffix}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{base}/{name}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    return url


class QueryLog:
    """The SQL statements run inside :func:`count_queries`."""

    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


def count_queries():
    """A context manager counting the statements the app sends to the database inside it (through
    peewee, in this process): ``with count_queries() as log: client.get(url)``, then ``log.count``."""
    from contextlib import contextmanager

    from core.db import db

    @contextmanager
    def counting():
        database, log = db.obj, QueryLog()
        run = database.execute_sql

        def execute_sql(sql, params=None):
            log.statements.append(sql)
            return run(sql, params)

        database.execute_sql = execute_sql
        try:
            yield log
        finally:
            del database.execute_sql

    return counting()
