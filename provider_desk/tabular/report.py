"""What an import did, or (in a dry run) would do: rows added, updates field by field, conflicts
held back, and the reason for each row it skipped."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any


def plural(count: int, noun: str, nouns: str = "") -> str:
    """``1 conflict``, ``2 conflicts``, ``1 row``, ``0 rows``."""
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


_CELL = re.compile(r"^(?P<sheet>.*!)(?:row )?[A-Z]{0,3}(?P<row>\d+)$")


def row_of(where: str) -> str:
    """The row a place is in: ``Staff!C7`` and ``Staff!row 7`` are both ``Staff!7``; a CSV's
    ``line 12`` is itself."""
    m = _CELL.match(where)
    return f"{m['sheet']}{m['row']}" if m else where


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


@dataclass(frozen=True)
class FieldChange:
    """One field of a saved record that an import changes (or, in a conflict, disagrees on)."""

    field: str
    label: str
    old: str
    new: str

    def as_json(self) -> dict[str, str]:
        """The shape ``--json`` prints."""
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class Updated:
    """A saved record the import changes, with every field that changes."""

    where: str
    record: str
    changes: tuple[FieldChange, ...]

    def as_json(self) -> dict[str, Any]:
        """The shape ``--json`` prints."""
        return {
            "where": self.where,
            "record": self.record,
            "changes": [c.as_json() for c in self.changes],
        }


@dataclass(frozen=True)
class Conflict:
    """A row whose key finds a saved record that is someone (or something) else. Never applied.

    ``saved`` and ``in_file`` describe the two sides; ``differences`` lists the identity fields
    that disagree (``old`` is the saved value, ``new`` the file's).
    """

    where: str
    reason: str
    saved: str
    in_file: str
    differences: tuple[FieldChange, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The shape ``--json`` prints."""
        return {
            "where": self.where,
            "reason": self.reason,
            "saved": self.saved,
            "in_file": self.in_file,
            "differences": [
                {"field": d.field, "label": d.label, "saved": d.old, "in_file": d.new}
                for d in self.differences
            ],
        }


@dataclass
class ImportReport:
    """The outcome of an import (or of a dry run: the same, with nothing written)."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    updates: list[Updated] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False
    clear_empty: bool = False

    def as_json(self) -> dict[str, Any]:
        """The shape ``--json`` prints."""
        return {
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
            "updates": [u.as_json() for u in self.updates],
            "conflicts": [c.as_json() for c in self.conflicts],
            "notices": list(self.notices),
            "clear_empty": self.clear_empty,
            "dry_run": self.dry_run,
        }

    @property
    def rows_not_imported(self) -> int:
        """Rows of the file with a problem and nothing from them imported (a row with several
        problems counts once; a row whose record was saved but one detail refused, not at all)."""
        done = {row_of(p.where) for p in self.planned}
        return len({row_of(s.where) for s in self.skipped} - done)

    def counts(self) -> str:
        """Conflicts, rows not imported and problems, in words: ``1 conflict, 1 row not
        imported (4 problems)``."""
        text = f"{plural(len(self.conflicts), 'conflict')}, "
        text += f"{plural(self.rows_not_imported, 'row')} not imported"
        if self.skipped:
            text += f" ({plural(len(self.skipped), 'problem')})"
        return text

    @property
    def has_changes(self) -> bool:
        """True if applying the import would write anything."""
        return self.imported + self.updated > 0

    def plan_digest(self) -> str:
        """A fingerprint of what the import does (not of whether it was a dry run).

        The GUI passes the preview's digest back when the manager confirms: if the file or the
        saved records changed in between, the real run differs and writes nothing.
        """
        plan = self.as_json() | {"dry_run": None}
        plan["planned"] = [[p.where, p.action, p.name] for p in self.planned]
        text = json.dumps(plan, sort_keys=True, ensure_ascii=True, default=str)
        return hashlib.sha256(text.encode("ascii")).hexdigest()
