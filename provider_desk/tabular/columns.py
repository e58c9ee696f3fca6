"""Which column of a file is which field: the mapping step every import shares.

:func:`column_plan` reads a file's header row and answers, for any importer's fields, what the
file's columns are, what fields there are to choose from (with their labels), and the mapping
the header matching guesses. A heading that could be several fields, or a field that several
headings name, is not guessed: it is left for the manager to answer. The chosen mapping (``{heading:
field or "ignore"}``) goes into the importer exactly as the command line's ``--map`` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provider_desk.errors import Problem, ValidationError
from provider_desk.tabular.read import (
    HEADER_SCAN_ROWS,
    IGNORE,
    FieldSpec,
    Sheet,
    _blank,
    column_letter,
    find_table,
    normalise,
    read_sheets,
)
from provider_desk.tabular.records import text_of

ASK = ""
"""A column whose field the manager has still to choose (its heading could be several)."""
SAMPLES = 3
"""Cells shown under each heading, so the manager sees what the column holds."""


def layout_signature(headers: Sequence[str]) -> str:
    """A short fingerprint of a file's header cells: the same layout gives the same one."""
    text = "\x1f".join(normalise(h) for h in headers)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class FieldOption:
    """A field a column can be mapped to."""

    name: str
    label: str
    required: bool = False


@dataclass(frozen=True)
class FileColumn:
    """One column of the file: its heading, a few of its cells, and what the matching guesses.

    ``guess`` is a field name, :data:`IGNORE` (the heading names no field), or :data:`ASK`
    (it could be any of ``candidates``: the manager chooses).
    """

    letter: str
    header: str
    guess: str
    candidates: tuple[str, ...] = ()
    samples: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """The heading could be several fields (or another column names the same one)."""
        return self.guess == ASK


@dataclass(frozen=True)
class ColumnPlan:
    """A file's columns, the fields they can be mapped to, and the guessed mapping."""

    sheet: str
    header_row: int  # 1-based, as the manager sees it
    columns: tuple[FileColumn, ...]
    fields: tuple[FieldOption, ...]
    layout: str

    def guessed(self) -> dict[str, str]:
        """{heading: field, IGNORE or ASK} as the header matching guesses it."""
        return {c.header: c.guess for c in self.columns}

    def label(self, name: str) -> str:
        """A field's label ("ignore" and unknown names as they are)."""
        return next((f.label for f in self.fields if f.name == name), name.replace("_", " "))

    def fits(self, mapping: Mapping[str, str]) -> bool:
        """True if ``mapping`` (a remembered one) names exactly this file's columns, and only
        fields there are."""
        names = {f.name for f in self.fields} | {IGNORE, ASK}
        return set(mapping) == {c.header for c in self.columns} and set(mapping.values()) <= names

    def problems(self, mapping: Mapping[str, str]) -> list[str]:
        """What stops ``mapping`` being imported: columns still to choose, a field chosen for
        two columns. Empty when it can be imported."""
        out = [
            f"Choose what column {c.letter} '{c.header}' is"
            + (f" ({' or '.join(self.label(n) for n in c.candidates)}?)" if c.candidates else "")
            + "."
            for c in self.columns
            if mapping.get(c.header, ASK) == ASK
        ]
        seen: dict[str, str] = {}
        for c in self.columns:
            target = mapping.get(c.header, ASK)
            if target in (ASK, IGNORE):
                continue
            if target in seen:
                out.append(
                    f"'{seen[target]}' and '{c.header}' are both mapped to {self.label(target)}: "
                    "choose one, and ignore the other."
                )
            else:
                seen[target] = c.header
        return out

    def for_import(self, mapping: Mapping[str, str]) -> dict[str, str]:
        """The mapping to hand the importer (as ``--map``): every column, those still to be
        chosen ignored for now."""
        return {c.header: mapping.get(c.header, ASK) or IGNORE for c in self.columns}


def column_plan(path: Path, specs: Sequence[FieldSpec]) -> ColumnPlan:
    """The columns of the first sheet of ``path`` whose header the fields recognise (or, if no
    sheet's does, the first sheet with anything in it), and the guessed mapping.

    Raises:
        ValidationError: the file cannot be read, or has no row of headings.
    """
    fallback: Sheet | None = None
    for sheet in read_sheets(path):
        try:
            table = find_table(sheet, specs)
        except ValidationError:
            if fallback is None and any(any(not _blank(v) for v in r) for r in sheet.rows):
                fallback = sheet
            continue
        return plan_for_sheet(sheet, table.header_row, specs)
    if fallback is not None:
        for r, row in enumerate(fallback.rows[:HEADER_SCAN_ROWS]):
            if sum(not _blank(v) for v in row) >= 2:
                return plan_for_sheet(fallback, r, specs)
    raise ValidationError(
        Problem("file", f"{path.name} has no row of column headings in its first rows.")
    )


def plan_for_sheet(sheet: Sheet, header_row: int, specs: Sequence[FieldSpec]) -> ColumnPlan:
    """The plan of ``sheet`` with its headings in row ``header_row`` (0-based)."""
    header = sheet.rows[header_row]
    cells = [(c, str(v).strip()) for c, v in enumerate(header) if not _blank(v)]
    matches = {c: tuple(s.name for s in specs if s.matches(text)) for c, text in cells}
    named_by: dict[str, list[int]] = {}
    for c, found in matches.items():
        if len(found) == 1:
            named_by.setdefault(found[0], []).append(c)
    data = sheet.rows[header_row + 1 :]
    columns = []
    for c, text in cells:
        found = matches[c]
        guess: str
        candidates: tuple[str, ...]
        if not found:
            guess, candidates = IGNORE, ()
        elif len(found) == 1 and len(named_by[found[0]]) == 1:
            guess, candidates = found[0], ()
        else:  # could be several fields, or another column names this field too: ask
            guess, candidates = ASK, found
        samples = tuple(_samples(data, c))
        columns.append(FileColumn(_letter(sheet, c), text, guess, candidates, samples))
    fields = tuple(FieldOption(s.name, s.label, s.required) for s in specs)
    return ColumnPlan(
        sheet.name,
        header_row + 1,
        tuple(columns),
        fields,
        layout_signature([text for _c, text in cells]),
    )


def _letter(sheet: Sheet, c: int) -> str:
    return str(c + 1) if sheet.is_csv else column_letter(c)


def _samples(rows: Sequence[Sequence[Any]], c: int) -> list[str]:
    out: list[str] = []
    for row in rows:
        if c < len(row) and not _blank(row[c]):
            out.append(text_of(row[c]))
            if len(out) == SAMPLES:
                break
    return out
