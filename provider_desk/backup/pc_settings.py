"""Backup settings of this PC: the backup folder and "back up automatically".

Kept per PC, in a small JSON file in the user's settings folder, not in the database: the folder
is often a USB drive or a mapped network drive whose letter or path differs from one office PC to
the next. A JSON file rather than Qt's QSettings because the command line (which never imports
Qt) reads the same folder for ``provider-desk backup``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from provider_desk.db.engine import APP_NAME

FILE_NAME = "this-pc.json"


@dataclass(frozen=True)
class BackupSettings:
    """Where backups go on this PC, and whether the app makes them by itself."""

    folder: Path | None = None  # None: a ``backups`` folder beside the database
    automatic: bool = True


def settings_file() -> Path:
    """The per-PC settings file (e.g. %LOCALAPPDATA%\\ProviderDesk\\this-pc.json)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / FILE_NAME


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_backup_settings(path: Path | None = None) -> BackupSettings:
    """This PC's backup settings (the defaults if none were saved or the file is unreadable)."""
    section = _read(path or settings_file()).get("backup")
    if not isinstance(section, dict):
        return BackupSettings()
    folder = section.get("folder")
    return BackupSettings(
        folder=Path(folder) if isinstance(folder, str) and folder else None,
        automatic=bool(section.get("automatic", True)),
    )


def save_backup_settings(settings: BackupSettings, path: Path | None = None) -> None:
    """Save this PC's backup settings, keeping whatever else the file holds; written to a
    temporary name and moved into place, so a crash never leaves half a file."""
    target = path or settings_file()
    data = _read(target)
    data["backup"] = {
        "folder": str(settings.folder) if settings.folder else "",
        "automatic": settings.automatic,
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    part.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(part, target)


def backup_folder(database: Path, settings: BackupSettings) -> Path:
    """Where this database's backups go: the chosen folder, else ``backups`` beside it."""
    return settings.folder if settings.folder is not None else database.parent / "backups"
