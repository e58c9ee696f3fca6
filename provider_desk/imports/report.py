"""What an import did, or (in a dry run) would do, with the reason for each row it skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Skipped:
    """A row or cell that was not imported, and why."""

    where: str
    reason: str


@dataclass(frozen=True)
class Planned:
    """What the import does with one row: new, update or unchanged."""

    where: str
    action: str
    name: str


@dataclass
class ImportReport:
    """The outcome of an import (or of a dry run: the same, with nothing written)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """The shape ``--json`` prints."""
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
            "dry_run": self.dry_run,
        }
