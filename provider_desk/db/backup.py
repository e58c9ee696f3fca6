"""Consistent copies of a live SQLite database (before migrations, and "Back up now")."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from provider_desk.errors import StorageError


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database consistently, even while other PCs use it.

    Written under a temporary name and moved into place, so a failed backup never leaves half a
    file where the user expects a whole one.
    """
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        tmp.replace(target)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(
            f"The backup to {target} could not be made: {exc}.",
            "Check there is free space and that you can write to that folder.",
        ) from exc
    return target
