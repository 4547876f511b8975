"""Backups and restores: an online copy of the SQLite file, or pg_dump's custom format for PostgreSQL.

A restore first takes a backup of what it is about to replace (``<instance>/backups/pre-restore-...``),
so a wrong file can be undone. SQLite is restored through SQLite's own backup API into the live
database, which swaps the whole content under a write lock: another connection sees the old
database or the new one, never a mixture. PostgreSQL is restored with ``pg_restore --clean`` in a
single transaction.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask_babel import gettext as _

from core.db import db, is_postgres
from core.errors import Invalid, Refused
from core.timeutil import utcnow

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def backup(app, target: Path | None = None, *, prefix: str = "huodong") -> Path:
    """Copy the configured database to ``target`` (default: a dated file in ``<instance>/backups``)."""
    stamp = utcnow().strftime("%Y%m%d-%H%M%S-%f")
    folder = Path(app.instance_path) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    if is_postgres():
        target = Path(target or folder / f"{prefix}-{stamp}.dump")
        _run_pg("pg_dump", ["-Fc", "-f", str(target)])
        return target
    target = Path(target or folder / f"{prefix}-{stamp}.sqlite3")
    source = sqlite3.connect(db.obj.database)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target


def restore(app, source: Path) -> Path:
    """Replace the configured database's content with the backup ``source``.

    Returns the path of the backup taken of the replaced content. Raises :class:`Invalid` for a
    file that is not a backup of this kind of database and :class:`Refused` when the PostgreSQL
    tools are missing or the restore failed (the database is then left as it was).
    """
    source = Path(source)
    if not source.is_file():
        raise Invalid(_("找不到备份文件：%(path)s", path=source))
    with source.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if is_postgres():
        if not head.startswith(PG_DUMP_MAGIC):
            hint = _("（这是 SQLite 的备份）") if head == SQLITE_MAGIC else ""
            raise Invalid(_("不是 PostgreSQL 的备份文件（应为 huodong backup 或 pg_dump -Fc 生成的文件）")
                          + hint)
        _tool("pg_restore")
        safety = backup(app, prefix="pre-restore")
        if hasattr(db.obj, "close_all"):
            db.obj.close_all()
        _run_pg("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction",
                               "--exit-on-error", "-d", db.obj.database, str(source)], database=False)
        return safety
    if head != SQLITE_MAGIC:
        hint = _("（这是 PostgreSQL 的备份）") if head.startswith(PG_DUMP_MAGIC) else ""
        raise Invalid(_("不是 SQLite 的备份文件（应为 huodong backup 生成的 .sqlite3 文件）") + hint)
    _check_sqlite_backup(source)
    safety = backup(app, prefix="pre-restore")
    if not db.is_closed():
        db.close()
    src = sqlite3.connect(source)
    try:
        dest = sqlite3.connect(db.obj.database, timeout=30)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()
    return safety


def _check_sqlite_backup(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            status = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise Invalid(_("备份文件已损坏：%(error)s", error=exc)) from None
    if status != "ok":
        raise Invalid(_("备份文件已损坏：%(error)s", error=status))
    if "member" not in tables or "unit" not in tables:
        raise Invalid(_("这不是 huodong 的数据库备份"))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise Refused(_("找不到 %(tool)s：请安装 PostgreSQL 客户端（Debian/Ubuntu：apt-get install "
                        "postgresql-client），版本不低于数据库服务器", tool=name))
    return path


def _run_pg(tool: str, args: list[str], *, database: bool = True) -> None:
    """Run a PostgreSQL client tool against the configured database."""
    params = db.obj.connect_params
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = params["password"]
    cmd = [_tool(tool), "-h", params.get("host") or "127.0.0.1", "-p", str(params.get("port") or 5432),
           "-U", params.get("user") or "postgres", *args]
    if database:
        cmd.append(db.obj.database)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise Refused(_("%(tool)s 失败：%(error)s", tool=tool, error=(done.stderr or "").strip()[-800:]))
