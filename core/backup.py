"""Backups: an online copy of the SQLite file, or pg_dump's custom format for PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from core.db import db, is_postgres
from core.timeutil import utcnow


def backup(app, target: Path | None = None) -> Path:
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    folder = Path(app.instance_path) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    if is_postgres():
        target = target or folder / f"huodong-{stamp}.dump"
        params = db.obj.connect_params
        cmd = ["pg_dump", "-Fc", "-f", str(target), "-h", params.get("host", "127.0.0.1"),
               "-p", str(params.get("port", 5432)), "-U", params.get("user") or "postgres", db.obj.database]
        subprocess.run(cmd, check=True)
        return target
    target = target or folder / f"huodong-{stamp}.sqlite3"
    source = sqlite3.connect(db.obj.database)
    try:
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        dest.close()
    finally:
        source.close()
    return target
