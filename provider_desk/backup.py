"""Back up now: a consistent copy of the database file, written atomically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from provider_desk import clock
from provider_desk.db.backup import backup_sqlite
from provider_desk.db.engine import sqlite_path
from provider_desk.db.session import Database
from provider_desk.errors import StorageError


def default_backup_name(db: Database, now: dt.datetime | None = None) -> str:
    """``provider-desk-backup-2026-11-23-0915.sqlite3``."""
    stamp = now.strftime("%Y-%m-%d-%H%M") if now is not None else clock.stamp()
    return f"provider-desk-backup-{stamp}.sqlite3"


def backup_now(db: Database, target: Path) -> Path:
    """Copy the SQLite database to ``target`` while it stays in use.

    Raises:
        StorageError: a server database (back it up on the server), or the copy failed.
    """
    source = sqlite_path(db.url)
    if source is None:
        raise StorageError(
            "This database is on a server; it is backed up there, not from this PC.",
            "Ask whoever runs the server to check its scheduled pg_dump backups.",
        )
    if target.resolve() == source.resolve():
        raise StorageError(
            "A backup cannot overwrite the database itself.", "Choose another file name or folder."
        )
    return backup_sqlite(source, target)
