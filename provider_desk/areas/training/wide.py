"""The layout of a training matrix as managers keep it: where its header is (under a title; one
row, or a merged course name over "Completed | Expiry" sub-headings), what every column is, and
where the table ends (a key or notes under it).

Every column ends in exactly one of: a course (which, and by what rule), a column ignored on
purpose (the person's name, role, start date, notes … and why), or not recognised (including a
heading that could be two courses: asked about, never chosen).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from provider_desk.areas.staff.index import PERSON_FIELDS
from provider_desk.areas.training.matching import CourseMatcher
from provider_desk.errors import Problem, ValidationError
from provider_desk.tabular.columns import layout_signature
from provider_desk.tabular.read import (
    HEADER_SCAN_ROWS,
    IGNORE,
    FieldSpec,
    Sheet,
    Table,
    column_letter,
    normalise,
)
from provider_desk.tabular.report import ColumnFate

# Columns a matrix often has that are not courses: read as known, then ignored.
OTHER_FIELDS = (
    FieldSpec("job_role", "Job role", ("role", "job title", "position", "post")),
    FieldSpec("team", "Team", ("area", "branch", "round")),
    FieldSpec("start_date", "Start date", ("started", "date started", "start", "date joined")),
)
# More columns of a matrix that are about the person or the row, not a course.
NOT_COURSES = (
    *OTHER_FIELDS,
    FieldSpec("notes", "Notes", ("comments", "comment", "note", "remarks")),
    FieldSpec("email", "Email", ("email address", "e-mail")),
    FieldSpec("phone", "Phone", ("telephone", "mobile", "phone number", "tel")),
    FieldSpec("date_of_birth", "Date of birth", ("dob", "d.o.b.", "birth date")),
    FieldSpec(
        "employee_number",
        "Employee number",
        ("staff number", "employee no", "payroll", "payroll number", "staff id", "employee id"),
    ),
    FieldSpec("contract", "Contract", ("contract type", "hours", "contracted hours", "fte")),
    FieldSpec("manager", "Line manager", ("manager", "supervisor")),
    FieldSpec("status", "Status", ("employment status", "active", "leaver")),
    FieldSpec("compliance", "Compliance", ("% complete", "percent complete", "compliant", "score")),
)
NAME_FIELDS = frozenset({"full_name", "first_name", "last_name", "asc_wds_worker_id"})

# Sub-headings under a merged course name.
_SUB_COMPLETED = frozenset(
    normalise(x)
    for x in (
        "completed", "date completed", "completed on", "completion", "completion date", "date",
        "done", "date done", "passed", "date passed", "attended", "date attended", "trained",
        "date trained", "achieved", "last done", "last completed", "last trained", "taken",
    )
)  # fmt: skip
_SUB_EXPIRY = frozenset(
    normalise(x)
    for x in (
        "expiry", "expires", "expiry date", "expires on", "expiry due", "renewal", "renewal date",
        "renewal due", "renew by", "due", "due date", "next due", "refresher due", "valid until",
        "valid to", "review date",
    )
)  # fmt: skip
_SUB_OTHER = frozenset(
    normalise(x)
    for x in (
        "status", "notes", "comments", "certificate", "cert", "provider", "trainer", "score",
        "result", "booked", "booked on", "level", "method", "delivery",
    )
)  # fmt: skip
_EXPIRY_WORDS = re.compile(
    r"\b(?:expiry date|expiry|expires|expires on|renewal date|renewal due|renewal|"
    r"due date|next due|valid until|refresher due)\b",
    re.IGNORECASE,
)
_COMPLETED_WORDS = re.compile(
    r"\b(?:date completed|completion date|completed on|completed|date)\b", re.IGNORECASE
)
# The first cell of a row that starts a key, notes or totals under the table.
_NOTES = re.compile(
    r"^\s*(?:(?:key|legend|notes?|comments?|totals?|last updated|updated|source|please note)"
    r"\s*(?:[:\-=]|$)|totals?\b|%|\S{1,4}\s*=\s*\S|\*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MatrixColumn:
    """One column of the matrix and what it is."""

    index: int
    header: str  # as the report shows it: "Moving & Handling / Expiry"
    top: str  # the heading that names it (the merged course name in a two-row header)
    fate: str  # "course", "field" (the person's name or worker id), "ignored" or "unmatched"
    field: str = ""  # fate "field": the person field
    course_id: int | None = None
    part: str = "completed"  # a course's "completed" or "expiry" column
    rule: str = ""  # course: how it was recognised; ignored / unmatched: why
    candidates: tuple[int, ...] = ()


@dataclass
class Matrix:
    """A matrix's table (its person columns mapped) and every column's fate."""

    table: Table
    columns: list[MatrixColumn]
    signature: str
    notes_from: int | None = None  # the row a key or notes under the table starts on
    notes_text: str = ""
    pairs: list[tuple[MatrixColumn | None, MatrixColumn | None]] = field(default_factory=list)
    """Course columns as (completed, expiry) pairs."""

    @property
    def courses(self) -> list[MatrixColumn]:
        """The columns matched to a course."""
        return [c for c in self.columns if c.fate == "course"]

    @property
    def unmatched(self) -> list[MatrixColumn]:
        """The columns not recognised (nothing is imported from them until mapped)."""
        return [c for c in self.columns if c.fate == "unmatched"]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    return "" if _blank(value) else " ".join(str(value).split())


def _cell(row: Sequence[Any], c: int) -> Any:
    return row[c] if c < len(row) else None


class _Classifier:
    def __init__(self, courses: CourseMatcher, mapping: Mapping[str, str]) -> None:
        self.courses = courses
        self.person = {s.name: s for s in PERSON_FIELDS}
        self.mapping: dict[str, tuple[str, str | int]] = {}
        long_names = {s.name for s in (*PERSON_FIELDS, *NOT_COURSES)}
        for column, target in mapping.items():
            key = normalise(column)
            if normalise(target) == IGNORE:
                self.mapping[key] = ("ignored", "ignored: mapped so")
                continue
            if target in long_names:
                self.mapping[key] = ("field", target)
                continue
            found = courses.find(target)
            if found.course_id is not None:
                self.mapping[key] = ("course", found.course_id)
            elif found.ambiguous:
                raise ValidationError(
                    Problem(
                        "map",
                        f"'{target}' could be {courses.describe(found.candidates)}: give the "
                        "course's full name.",
                    )
                )
            else:
                raise ValidationError(
                    Problem(
                        "map",
                        f"'{target}' is not a course in the catalogue (or a field name). Add the "
                        "course under Settings > Courses, or check its spelling.",
                    )
                )

    def classify(self, c: int, top: str, sub: str) -> MatrixColumn:
        """What column ``c`` is, from its heading (``top``) and sub-heading (``sub``)."""
        header = f"{top} / {sub}" if top and sub else top or sub
        if not top:
            top, sub = sub, ""
        part = "completed"
        if sub:
            n = normalise(sub)
            if n in _SUB_EXPIRY:
                part = "expiry"
            elif n in _SUB_OTHER:
                return MatrixColumn(
                    c, header, top, "ignored", rule=f"'{sub}' under '{top}': not a date to import"
                )
        mapped = self.mapping.get(normalise(top)) or self.mapping.get(normalise(header))
        if mapped is not None:
            kind, target = mapped
            if kind == "course":
                assert isinstance(target, int)
                return MatrixColumn(
                    c, header, top, "course", course_id=target, part=part, rule="mapped by hand"
                )
            if kind == "field" and target in self.person:
                return MatrixColumn(c, header, top, "field", field=str(target), rule="mapped")
            return MatrixColumn(c, header, top, "ignored", rule=f"{target}: mapped by hand")
        for spec in PERSON_FIELDS:
            if spec.matches(top):
                why = "used to find the person on the staff register"
                return MatrixColumn(c, header, top, "field", field=spec.name, rule=why)
        for spec in NOT_COURSES:
            if spec.matches(top):
                why = f"{spec.label.lower()}: not a course"
                return MatrixColumn(c, header, top, "ignored", rule=why)
        found = self.courses.find(top)
        if found.course_id is None and not found.ambiguous and not sub:
            # "Fire safety expiry" / "Fire safety date completed" in a one-row header.
            for words, which in ((_EXPIRY_WORDS, "expiry"), (_COMPLETED_WORDS, "completed")):
                rest = words.sub(" ", top).strip(" -–:/()")
                if rest != top and rest:
                    again = self.courses.find(rest)
                    if again.course_id is not None:
                        found, part = again, which
                        break
        if found.course_id is not None:
            return MatrixColumn(
                c, header, top, "course", course_id=found.course_id, part=part, rule=found.rule
            )
        if found.ambiguous:
            return MatrixColumn(
                c,
                header,
                top,
                "unmatched",
                rule=f"could be {self.courses.describe(found.candidates)}: map it to one",
                candidates=found.candidates,
            )
        return MatrixColumn(c, header, top, "unmatched", rule="not recognised")

    def is_sub_label(self, text: str) -> bool:
        n = normalise(text)
        return n in _SUB_COMPLETED or n in _SUB_EXPIRY or n in _SUB_OTHER

    def is_field(self, text: str) -> bool:
        return any(s.matches(text) for s in (*PERSON_FIELDS, *NOT_COURSES)) or (
            normalise(text) in self.mapping
        )


def _is_sub_header(classifier: _Classifier, top: Sequence[Any], sub: Sequence[Any]) -> bool:
    """``sub`` is a row of sub-headings under ``top`` ("Completed", "Expiry" under a course)."""
    dates = 0
    for c, value in enumerate(sub):
        if _blank(value):
            continue
        text = _text(value)
        if classifier.is_sub_label(text):
            n = normalise(text)
            if (n in _SUB_COMPLETED or n in _SUB_EXPIRY) and not _blank(_cell(top, c)):
                dates += 1
        elif not classifier.is_field(text):
            return False
    return dates > 0


def read_matrix(sheet: Sheet, courses: CourseMatcher, mapping: Mapping[str, str]) -> Matrix:
    """The matrix on ``sheet``: its header row(s), every column's fate, where the table ends.

    Raises:
        ValidationError: no row with a name column and other headings (``file``), or a --map
            naming a column the header lacks or a course the catalogue lacks (``map``).
    """
    classifier = _Classifier(courses, mapping)
    rows = sheet.rows
    best: tuple[int, int, list[MatrixColumn], bool] | None = None
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        top_row = rows[r]
        sub_row = rows[r + 1] if r + 1 < len(rows) else []
        two = bool(sub_row) and _is_sub_header(classifier, top_row, sub_row)
        width = max(len(top_row), len(sub_row) if two else 0)
        columns = []
        for c in range(width):
            top = _text(_cell(top_row, c))
            sub = _text(_cell(sub_row, c)) if two else ""
            if top == sub:  # a heading merged down over both rows
                sub = ""
            if top or sub:
                columns.append(classifier.classify(c, top, sub))
        if not any(col.fate == "field" and col.field in NAME_FIELDS for col in columns):
            continue
        if len(columns) < 2:
            continue
        score = sum(1 for col in columns if col.fate != "unmatched" or col.candidates)
        if best is None or score > best[0]:
            best = (score, r, columns, two)
    if best is None:
        raise ValidationError.single("file", "No header row found.")
    _, header_row, columns, two = best
    headers = [c.header for c in columns]
    present = {normalise(c.top) for c in columns} | {normalise(c.header) for c in columns}
    tops = [c.top for c in columns]
    for column in mapping:
        if normalise(column) not in present:
            raise ValidationError(
                Problem(
                    "map",
                    f"The mapping names the column '{column}', but there is no column "
                    f"'{column}' in the file; its columns are: {', '.join(dict.fromkeys(tops))}.",
                )
            )
    person: dict[str, int] = {}
    for col in columns:
        if col.fate == "field" and col.field not in person:
            person[col.field] = col.index
    table = Table(
        sheet,
        header_row,
        person,
        [c.header for c in columns if c.fate in ("ignored", "unmatched")],
        header_rows=2 if two else 1,
    )
    # Columns with something in them but no heading are accounted for too.
    headed = {c.index for c in columns}
    first = table.first_data_row
    notes_from, notes_text = _notes_start(rows, first)
    end = notes_from if notes_from is not None else len(rows)
    table.end_row = end
    width = max((len(rows[r]) for r in range(first, end)), default=0)
    for c in range(width):
        if c not in headed and any(not _blank(_cell(rows[r], c)) for r in range(first, end)):
            columns.append(MatrixColumn(c, "", "", "unmatched", rule="no heading"))
    columns.sort(key=lambda col: col.index)
    return Matrix(
        table,
        columns,
        layout_signature(headers),
        notes_from,
        notes_text,
        _pairs(columns, two),
    )


def _notes_start(rows: Sequence[Sequence[Any]], first: int) -> tuple[int | None, str]:
    """The row a key, notes or totals under the table start on, and its text."""
    for r in range(first, len(rows)):
        cells = [_text(v) for v in rows[r] if not _blank(v)]
        if cells and _NOTES.match(cells[0]):
            return r, cells[0]
    return None, ""


def _pairs(
    columns: list[MatrixColumn], two: bool
) -> list[tuple[MatrixColumn | None, MatrixColumn | None]]:
    """Each course's completed column with its expiry column (under the same heading, or the
    next column of the same course in a one-row header)."""
    out: list[tuple[MatrixColumn | None, MatrixColumn | None]] = []
    courses = [c for c in columns if c.fate == "course"]
    used: set[int] = set()
    for i, col in enumerate(courses):
        if col.index in used:
            continue
        used.add(col.index)
        if col.part == "expiry":
            out.append((None, col))
            continue
        partner = next(
            (
                other
                for other in courses[i + 1 : i + 3]
                if other.index not in used
                and other.part == "expiry"
                and other.course_id == col.course_id
                and (other.top == col.top or not two)
                and other.index - col.index <= 2
            ),
            None,
        )
        if partner is not None:
            used.add(partner.index)
        out.append((col, partner))
    return out


def column_fates(
    matrix: Matrix, courses: CourseMatcher, counts: Mapping[int, int]
) -> list[ColumnFate]:
    """The report's account of every column (``counts``: cells with something in them)."""
    out = []
    hidden = matrix.table.sheet.hidden_columns
    for col in matrix.columns:
        letter = column_letter(col.index)
        if col.fate == "course":
            assert col.course_id is not None
            target = courses.names[col.course_id]
            if col.part == "expiry":
                target += " (expiry date)"
            fate = ColumnFate(letter, col.header, "matched", target, col.rule)
        elif col.fate == "field":
            fate = ColumnFate(letter, col.header, "ignored", rule=f"the person: {col.rule}")
        elif col.fate == "ignored":
            fate = ColumnFate(letter, col.header, "ignored", rule=col.rule)
        else:
            fate = ColumnFate(
                letter,
                col.header or "(no heading)",
                "unmatched",
                rule=col.rule,
                candidates=tuple(courses.names[i] for i in col.candidates),
            )
        out.append(
            ColumnFate(
                fate.column,
                fate.header,
                fate.fate,
                fate.target,
                fate.rule,
                fate.candidates,
                counts.get(col.index, 0),
                col.index in hidden,
            )
        )
    return out
