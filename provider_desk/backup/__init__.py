"""Backups you can trust: verified copies with a manifest, rotation, restore, and pg_dump.

- ``making``: a verified backup into a folder (or to a file), listing the folder, rotation,
  "Backed up 2 hours ago".
- ``restoring``: check a backup, compare it with the database, restore it atomically.
- ``rotation``: which backups to keep (7 daily, 4 weekly, 12 monthly), a pure function.
- ``pc_settings``: this PC's backup folder and "back up automatically".
- ``server``: PostgreSQL databases are backed up with pg_dump.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from provider_desk import clock
from provider_desk.db.engine import sqlite_path
from provider_desk.db.session import Database
from provider_desk.errors import StorageError


def default_backup_name(db: Database, now: dt.datetime | None = None) -> str:
    """``provider-desk-backup-2026-11-23-091512.sqlite3``."""
    from provider_desk.backup.making import backup_name

    return backup_name(now if now is not None else clock.local_now())


def server_backup_error() -> StorageError:
    """What backing up a server database from the app says."""
    from provider_desk.backup.server import PG_DUMP_EXPLAINED

    return StorageError(
        "This database is on a server; it is backed up there, not from this PC.",
        PG_DUMP_EXPLAINED,
    )


def backup_now(db: Database, target: Path) -> Path:
    """A verified backup of ``db`` at ``target`` (with its manifest beside it).

    Raises:
        StorageError: a server database (back it up on the server), or the copy failed or did
            not verify (then nothing is left behind).
    """
    from provider_desk.backup.making import make_backup

    source = sqlite_path(db.url)
    if source is None:
        raise server_backup_error()
    return make_backup(source, target, now=clock.local_now()).path
