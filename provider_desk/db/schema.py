"""The schema revision this program writes, known without importing Alembic (start-up speed).

A test checks ``HEAD_REVISION`` equals the head of ``migrations/``; a new migration updates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HEAD_REVISION = "c4f2a9d1e6b3"


@dataclass(frozen=True)
class UpgradeResult:
    """What happened when the database was opened."""

    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def upgraded(self) -> bool:
        """True if the schema changed."""
        return self.from_revision != self.to_revision
