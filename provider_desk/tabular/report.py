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
    cells: tuple[tuple[str, str], ...] = ()
    """The row's cells as read, field by field (field name, text): the preview shows them."""


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


@dataclass(frozen=True)
class ColumnFate:
    """What an import made of one column: ``matched`` (to what, by which rule), ``ignored`` on
    purpose (and why), or ``unmatched`` (not recognised, or could be several things: nothing is
    imported from it until it is mapped; ``cells`` says how many cells that leaves out)."""

    column: str  # the column's letter ("H"), or its number in a CSV ("8")
    header: str
    fate: str  # "matched", "ignored" or "unmatched"
    target: str = ""  # matched: the course or field
    rule: str = ""  # matched: how it was recognised; unmatched/ignored: why
    candidates: tuple[str, ...] = ()  # unmatched: what it could be
    cells: int = 0  # cells with something in them, in the table's rows
    hidden: bool = False

    def as_json(self) -> dict[str, Any]:
        """The shape ``--json`` prints."""
        out: dict[str, Any] = {"column": self.column, "header": self.header}
        if self.fate == "matched":
            out |= {"to": self.target, "rule": self.rule}
        else:
            out["reason"] = self.rule
        if self.candidates:
            out["could_be"] = list(self.candidates)
        out["cells"] = self.cells
        if self.hidden:
            out["hidden"] = True
        return out

    def describe(self) -> str:
        """One line: ``H 'Meds Adm' -> Medication administration (abbreviations …)``."""
        hidden = " (hidden in the sheet)" if self.hidden else ""
        head = f"{self.column} '{self.header}'{hidden}"
        if self.fate == "matched":
            return f"{head} -> {self.target} ({self.rule})"
        cells = f"; {plural(self.cells, 'cell')} not imported" if self.cells else ""
        return f"{head}: {self.rule}{cells}"


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
    column_fates: list[ColumnFate] = field(default_factory=list)
    """Every column of the sheet and what became of it (a training matrix lists them all)."""
    noted: list[Skipped] = field(default_factory=list)
    """Things worth knowing about cells that were imported (an expiry date in the file that
    differs from the one the course's interval gives), with their place."""
    cells: dict[str, int] = field(default_factory=dict)
    """For a matrix, what became of the cells of its course columns, counted: imported,
    unchanged, skipped, empty (and, apart, those in columns not recognised)."""
    cell_fates: dict[str, str] = field(default_factory=dict)
    """Each course column's cell (``Matrix!C7``) and its fate: imported, unchanged, skipped or
    empty (kept out of ``--json``: the counts are there)."""
    layout: str = ""
    """A signature of the header row(s): the same layout of a file gives the same signature, so a
    mapping made once can be offered again."""
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
            "columns": self.columns_json(),
            "noted": [{"where": n.where, "note": n.reason} for n in self.noted],
            "cells": dict(self.cells),
            "clear_empty": self.clear_empty,
            "dry_run": self.dry_run,
        }

    def columns_json(self) -> dict[str, list[dict[str, Any]]]:
        """Every column: ``matched`` / ``ignored`` / ``unmatched``. Without a column-by-column
        account (most importers), the columns read are matched and the others unmatched."""
        out: dict[str, list[dict[str, Any]]] = {"matched": [], "ignored": [], "unmatched": []}
        if self.column_fates:
            for c in self.column_fates:
                out[c.fate].append(c.as_json())
            return out
        out["matched"] = [{"header": h, "to": f} for h, f in self.columns.items()]
        out["unmatched"] = [{"header": h, "reason": "not used"} for h in self.ignored_columns]
        return out

    def unmatched_columns(self) -> list[ColumnFate]:
        """Columns not recognised (or that could be several things), nothing imported from them."""
        return [c for c in self.column_fates if c.fate == "unmatched"]

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
