"""The small JSON file beside each verified backup: when, from where, and what it holds.

A JSON file beside the copy (``<backup>.json``) rather than a table inside it, so the copy stays
row for row the database it was made from (its counts and chain check out against the source, and
a restore puts back exactly that). The backup folder is listed, rotated and shown from manifests
alone, without opening any database; a backup without its manifest is never counted as good.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provider_desk.db.backup import CopyFacts, LastChange

FORMAT = 1
SUFFIX = ".json"

AREA_TABLES: tuple[tuple[str, str, str], ...] = (
    ("staff", "Staff members", "staff_member"),
    ("training", "Training records", "training_record"),
    ("supervision", "Supervisions and spot checks", "supervision_record"),
    ("people", "People supported", "person"),
    ("complaints", "Complaints", "complaint"),
    ("audits", "Audits", "audit_run"),
    ("actions", "Actions", "action"),
    ("", "Attached documents", "attachment"),
    ("", "Change-log entries", "change_log"),
)
"""(area key, what a manager calls its records, table): what "counts per area" shows. The core's
shared layer cannot import the areas, so the tables are named here; a test checks them."""


def counts_per_area(tables: dict[str, int]) -> dict[str, int]:
    """``{"Staff members": 42, ...}`` from the rows per table."""
    return {label: tables.get(table, 0) for _key, label, table in AREA_TABLES}


def sha256_of(path: Path) -> str:
    """The file's SHA-256 (to notice a backup changed after it was made)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Manifest:
    """What a verified backup is and holds."""

    file: str
    made_at: dt.datetime  # local time with its offset: rotation and "2 hours ago" use it
    source: str
    app_version: str
    schema_revision: str | None
    tables: dict[str, int]
    last_change: LastChange | None
    chain_entries: int
    chain_last_id: int | None
    chain_last_hash: str
    size: int
    sha256: str
    checks: tuple[str, ...] = field(default=())

    @property
    def areas(self) -> dict[str, int]:
        """Counts per area, in the manager's words."""
        return counts_per_area(self.tables)

    @property
    def records(self) -> int:
        """Rows in all tables."""
        return sum(self.tables.values())

    @classmethod
    def of(
        cls,
        path: Path,
        facts: CopyFacts,
        *,
        made_at: dt.datetime,
        source: str,
        app_version: str,
    ) -> Manifest:
        """The manifest of the verified copy at ``path``."""
        chain = (
            f"change log intact, {facts.chain_entries:,} entries"
            if "change_log" in facts.counts
            else "no change log"
        )
        return cls(
            file=path.name,
            made_at=made_at,
            source=source,
            app_version=app_version,
            schema_revision=facts.schema_revision,
            tables=dict(facts.counts),
            last_change=facts.last_change,
            chain_entries=facts.chain_entries,
            chain_last_id=facts.chain_last_id,
            chain_last_hash=facts.chain_last_hash,
            size=path.stat().st_size,
            sha256=sha256_of(path),
            checks=(
                "PRAGMA integrity_check: ok",
                "row counts equal the database's at the moment of the copy",
                chain,
            ),
        )

    def as_json(self) -> dict[str, Any]:
        """The manifest as JSON-ready values."""
        return {
            "format": FORMAT,
            "file": self.file,
            "made_at": self.made_at.isoformat(),
            "source": self.source,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "areas": self.areas,
            "tables": self.tables,
            "last_change": (
                {"at": self.last_change.at, "who": self.last_change.who}
                if self.last_change
                else None
            ),
            "chain_head": {
                "entries": self.chain_entries,
                "last_id": self.chain_last_id,
                "last_hash": self.chain_last_hash,
            },
            "size": self.size,
            "sha256": self.sha256,
            "verified": list(self.checks),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        """Read a manifest written by :meth:`as_json`.

        Raises:
            ValueError: not a manifest this program understands.
        """
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown manifest format {data.get('format')!r}")
        last = data.get("last_change")
        head = data["chain_head"]
        made = dt.datetime.fromisoformat(data["made_at"])
        if made.tzinfo is None:
            raise ValueError("made_at has no time zone")
        return cls(
            file=str(data["file"]),
            made_at=made,
            source=str(data["source"]),
            app_version=str(data["app_version"]),
            schema_revision=data.get("schema_revision"),
            tables={str(k): int(v) for k, v in data["tables"].items()},
            last_change=LastChange(str(last["at"]), str(last["who"])) if last else None,
            chain_entries=int(head["entries"]),
            chain_last_id=head.get("last_id"),
            chain_last_hash=str(head["last_hash"]),
            size=int(data["size"]),
            sha256=str(data["sha256"]),
            checks=tuple(str(c) for c in data.get("verified", ())),
        )


def manifest_path(backup: Path) -> Path:
    """``x.sqlite3`` -> ``x.sqlite3.json``."""
    return backup.with_name(backup.name + SUFFIX)


def write_manifest(backup: Path, manifest: Manifest) -> Path:
    """Write the manifest beside ``backup`` atomically (temporary name, then moved)."""
    target = manifest_path(backup)
    part = target.with_name(target.name + ".part")
    try:
        part.write_text(json.dumps(manifest.as_json(), indent=2) + "\n", encoding="utf-8")
        os.replace(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return target


def read_manifest(backup: Path) -> Manifest | None:
    """The manifest beside ``backup`` (None: none, or unreadable: the backup does not count)."""
    try:
        data = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
        return Manifest.from_json(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
