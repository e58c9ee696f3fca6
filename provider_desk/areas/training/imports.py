"""Import training from the spreadsheets managers already keep.

Two shapes are understood:
- long: one row per completion (e.g. a learning platform's report), optionally with a status
  column; rows not passed/completed are skipped with the reason;
- wide: a matrix, one row per person and one column per course, dates in the cells.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.index import PERSON_FIELDS, PeopleIndex, split_name
from provider_desk.areas.staff.models import JobRole
from provider_desk.areas.staff.services import StaffInput, add_staff_in
from provider_desk.areas.training.models import Course, TrainingRecord
from provider_desk.areas.training.queries import asc_wds_categories
from provider_desk.areas.training.rules import derived_expiry
from provider_desk.areas.training.services import TrainingInput, validate_training
from provider_desk.db.changelog import insert_logged
from provider_desk.db.session import Database
from provider_desk.errors import Problem, ValidationError
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.rules.dates import DateParseError, format_date
from provider_desk.tabular.read import (
    FieldSpec,
    Sheet,
    Table,
    cell_date,
    find_table,
    normalise,
    read_sheet,
)
from provider_desk.tabular.records import import_session, start_report, text_of
from provider_desk.tabular.report import Conflict, ImportReport, Planned, Skipped

# Columns a matrix often has that are not courses: read as known, then ignored.
OTHER_FIELDS = (
    FieldSpec("job_role", "Job role", ("role", "job title", "position", "post")),
    FieldSpec("team", "Team", ("area", "branch", "round")),
    FieldSpec("start_date", "Start date", ("started", "date started", "start", "date joined")),
)
LONG_FIELDS = (
    *PERSON_FIELDS,
    FieldSpec(
        "course",
        "Course",
        (
            "course name",
            "training",
            "training name",
            "module",
            "course title",
            "learning item",
            "activity",
            "trainingname",
            "item",
            "subject",
        ),
        required=True,
    ),
    FieldSpec(
        "completed_on",
        "Completed on",
        (
            "completed",
            "date completed",
            "completion date",
            "date",
            "date passed",
            "passed on",
            "datecompleted",
            "completion",
            "date achieved",
            "attended on",
        ),
        required=True,
    ),
    FieldSpec(
        "expires_on",
        "Expires on",
        (
            "expiry",
            "expiry date",
            "expires",
            "renewal date",
            "valid until",
            "expirydate",
            "renewal due",
        ),
    ),
    FieldSpec("status", "Status", ("result", "outcome", "completion status", "progress")),
    FieldSpec(
        "provider", "Provider", ("trainer", "training provider", "delivered by", "providername")
    ),
    FieldSpec("delivery", "Delivery", ("delivery method", "method", "howdelivered", "format")),
    FieldSpec("notes", "Notes", ("comments", "comment")),
    *OTHER_FIELDS,
)
PASSED = {
    "passed", "pass", "completed", "complete", "attended", "achieved", "competent", "certified",
    "done", "yes", "success", "successful",
    # A completion's currency, as in our own export and many matrices: still a completion.
    "in date", "due soon", "expired", "valid", "current", "overdue", "expiring",
}  # fmt: skip
_PASSED_KEYS = frozenset(normalise(p) for p in PASSED)
_DELIVERY = {
    "facetoface": "face to face",
    "classroom": "face to face",
    "f2f": "face to face",
    "elearning": "e-learning",
    "online": "e-learning",
    "blended": "blended",
}


@dataclass(frozen=True)
class CourseMatch:
    """A spreadsheet column or value recognised as a course."""

    text: str
    course_id: int
    course: str


class CourseMatcher:
    """Matches course names as people write them: exact, catalogue aliases (M&H, IPC, MCA & DoLS,
    Meds…), ASC-WDS category names, and names with 'training', 'awareness', levels removed."""

    def __init__(self, s: Session) -> None:
        categories = asc_wds_categories()
        self.names: dict[int, str] = {}
        self.index: dict[str, int] = {}
        self._seen: dict[str, int | None] = {}
        by_category: dict[int, list[int]] = {}
        for c in s.scalars(select(Course).where(Course.archived_at.is_(None)).order_by(Course.id)):
            self.names[c.id] = c.name
            for text in (c.name, *c.aliases.splitlines()):
                for key in self._keys(text):
                    self.index.setdefault(key, c.id)
            if c.category_code is not None:
                by_category.setdefault(c.category_code, []).append(c.id)
        for code, ids in by_category.items():
            if len(ids) == 1 and code in categories:  # only unambiguous categories
                for key in self._keys(categories[code]):
                    self.index.setdefault(key, ids[0])

    @staticmethod
    def _keys(text: str) -> list[str]:
        plain = normalise(text)
        trimmed = normalise(
            re.sub(
                r"\b(training|awareness|course|refresher|update|level \d|"
                r"l\d|e-?learning|module)\b",
                " ",
                text.lower(),
            )
        )
        return [k for k in dict.fromkeys((plain, trimmed)) if k]

    def match(self, text: str) -> int | None:
        """The course id for ``text``, or None (remembered: a report repeats few names)."""
        text = str(text)
        if text not in self._seen:
            self._seen[text] = next(
                (self.index[k] for k in self._keys(text) if k in self.index), None
            )
        return self._seen[text]


class _Completion(NamedTuple):
    where: str
    staff_key: str  # staff id, or "new:<name>" for someone to be created
    name: str
    course_id: int
    completed_on: dt.date
    expires_on: dt.date | None
    provider: str = ""
    delivery: str = ""
    notes: str = ""


def import_training(
    db: Database,
    path: Path,
    *,
    today: dt.date,
    mapping: Mapping[str, str] | None = None,
    create_staff: bool = False,
    dry_run: bool = False,
    confirmed: str | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import completions from ``path`` (long or wide shape, found automatically).

    Completions are only ever added: one already recorded (same person, course and date) is a
    duplicate and left as it is, never updated. A worker id that belongs to someone with another
    name is a conflict. Problems are reported per row or cell; everything else is written in
    one transaction, checked as the form checks a completion.

    Raises:
        ValidationError: unreadable file, no recognisable header, a bad --map, or the records
            changed since the preview whose plan digest is ``confirmed``.
        Cancelled: ``progress`` asked to stop; nothing was written.
    """
    day = today
    sheet = read_sheet(path)
    report = ImportReport(dry_run=dry_run)
    with import_session(db, report, dry_run=dry_run, confirmed=confirmed) as s:
        courses = CourseMatcher(s)
        people = PeopleIndex(s)
        table, wide_columns = _find_shape(sheet, courses, mapping or {})
        report.notices.extend(start_report(table, dry_run=dry_run).notices)
        report.columns = {
            str(sheet.rows[table.header_row][c]): f
            for f, c in table.columns.items()
            if not f.startswith("course:")
        }
        report.columns.update(
            {
                str(sheet.rows[table.header_row][c]): courses.names[cid]
                for c, cid in wide_columns.items()
            }
        )
        report.ignored_columns = [u for u in table.unmapped]
        if (
            "full_name" not in table.columns
            and "last_name" not in table.columns
            and "asc_wds_worker_id" not in table.columns
        ):
            raise ValidationError.single(
                "file",
                "No column with people's names found (e.g. 'Name', or 'First name' and 'Surname').",
            )
        completions: list[_Completion] = []
        total = table.data_row_count()
        for n, (row, values) in enumerate(table.records()):
            if n % 200 == 0 and not progress(n, total, "Reading training"):
                raise Cancelled()
            found = people.find(values)
            if found.conflict_with:
                report.conflicts.append(
                    Conflict(table.place(row), found.why, found.conflict_with, found.written)
                )
                continue
            staff_id, written, why = found.staff_id, found.written, found.why
            if staff_id is None and not (create_staff and written):
                report.skipped.append(Skipped(table.place(row), why))
                continue
            key = str(staff_id) if staff_id is not None else f"new:{written}"
            if wide_columns:
                _wide_row(sheet, table, row, key, written, wide_columns, day, completions, report)
            else:
                _long_row(s, table, row, values, key, written, courses, day, completions, report)
        _write(s, completions, create_staff, day, courses, people, report, progress)
    return report


def _find_shape(
    sheet: Sheet, courses: CourseMatcher, mapping: Mapping[str, str]
) -> tuple[Table, dict[int, int]]:
    """Long if there is a course column and a date column, else a wide matrix of courses."""
    long_names = {f.name for f in LONG_FIELDS}
    long_map = {k: v for k, v in mapping.items() if v in long_names}
    try:
        table = find_table(sheet, LONG_FIELDS, long_map)
        if {"course", "completed_on"} <= table.columns.keys():
            return table, {}
    except ValidationError:
        pass
    # Wide: every course is a field; --map may name a course for a column.
    specs = list(PERSON_FIELDS + OTHER_FIELDS)
    for cid, name in courses.names.items():
        specs.append(FieldSpec(f"course:{cid}", name))
    wide_map: dict[str, str] = {}
    for column, target in mapping.items():
        if target in long_names:
            wide_map[column] = target
            continue
        matched = courses.match(target)
        if matched is None:
            raise ValidationError(
                Problem("map", f"'{target}' is not a course in the catalogue (or a field name).")
            )
        wide_map[column] = f"course:{matched}"
    header_words = {normalise(k) for k in wide_map}

    class _CourseSpec(FieldSpec):
        def matches(self, header: str) -> bool:
            if not self.name.startswith("course:"):
                return FieldSpec.matches(self, header)
            if normalise(header) in header_words:
                return False
            return courses.match(header) == int(self.name.split(":")[1])

    try:
        table = find_table(
            sheet, [_CourseSpec(s.name, s.label, s.synonyms) for s in specs], wide_map
        )
    except ValidationError:
        raise ValidationError.single(
            "file",
            "No header row found: expected a 'Name' column with course columns beside it (a "
            "matrix), or 'Course' and 'Completed' columns (one row per completion).",
        ) from None
    wide = {c: int(f.split(":")[1]) for f, c in table.columns.items() if f.startswith("course:")}
    if not wide:
        raise ValidationError.single(
            "file",
            "No course columns recognised and no 'Course' and 'Completed' columns. "
            'Use --map "Column=Course name" to say which column is which course.',
        )
    return table, wide


def _wide_row(
    sheet: Sheet,
    table: Table,
    row: int,
    key: str,
    name: str,
    columns: dict[int, int],
    day: dt.date,
    out: list[_Completion],
    report: ImportReport,
) -> None:
    cells = sheet.rows[row]
    for col, course_id in columns.items():
        value = cells[col] if col < len(cells) else None
        where = sheet.place(row, col)
        try:
            done = cell_date(value)
        except DateParseError as exc:
            report.skipped.append(Skipped(where, f"Not a completion date: {exc}"))
            continue
        if done is None:
            continue  # blank or N/A: nothing to import, nothing to report
        if done > day:
            report.skipped.append(
                Skipped(
                    where,
                    f"{format_date(done)} is in the future; a "
                    "booked course is recorded once it is done.",
                )
            )
            continue
        out.append(_Completion(where, key, name, course_id, done, None))


def _long_row(
    s: Session,
    table: Table,
    row: int,
    values: dict[str, Any],
    key: str,
    name: str,
    courses: CourseMatcher,
    day: dt.date,
    out: list[_Completion],
    report: ImportReport,
) -> None:
    status = str(values.get("status") or "").strip()
    if status and normalise(status) not in _PASSED_KEYS:
        report.skipped.append(
            Skipped(table.place(row, "status"), f"Status is '{status}', not passed or completed.")
        )
        return
    course_text = str(values.get("course") or "").strip()
    course_id = courses.match(course_text)
    if course_id is None:
        report.skipped.append(
            Skipped(
                table.place(row, "course"),
                f"Course '{course_text}' is not in the catalogue: add it under Courses, or map it.",
            )
        )
        return
    try:
        done = cell_date(values.get("completed_on"))
        expires = cell_date(values.get("expires_on"))
    except DateParseError as exc:
        report.skipped.append(Skipped(table.place(row), str(exc)))
        return
    if done is None:
        report.skipped.append(Skipped(table.place(row, "completed_on"), "No completion date."))
        return
    if done > day:
        report.skipped.append(
            Skipped(table.place(row, "completed_on"), f"{format_date(done)} is in the future.")
        )
        return
    if expires is not None and expires <= done:
        report.skipped.append(
            Skipped(
                table.place(row, "expires_on"), "The expiry date is not after the completion date."
            )
        )
        return
    delivery = _DELIVERY.get(normalise(str(values.get("delivery") or "")), "")
    provider, notes = text_of(values.get("provider")), text_of(values.get("notes"))
    # The same checks as the form's: lengths, invisible characters, the expiry after the date.
    problems = validate_training(
        s, TrainingInput(course_id, done, expires, provider, delivery, "", notes), day
    )
    if problems:
        for p in problems:
            column = p.field if p.field in table.columns else None
            report.skipped.append(Skipped(table.place(row, column), p.message))
        return
    out.append(
        _Completion(
            table.place(row), key, name, course_id, done, expires, provider, delivery, notes
        )
    )


def _write(
    s: Session,
    completions: list[_Completion],
    create_staff: bool,
    day: dt.date,
    courses: CourseMatcher,
    people: PeopleIndex,
    report: ImportReport,
    progress: Progress,
) -> None:
    months = {cid: m for cid, m in s.execute(select(Course.id, Course.refresher_months))}
    existing = {
        (sid, cid, done)
        for sid, cid, done in s.execute(
            select(TrainingRecord.staff_id, TrainingRecord.course_id, TrainingRecord.completed_on)
        )
    }
    created: dict[str, int] = {}
    if create_staff:
        care_worker = s.scalar(select(JobRole.id).where(JobRole.name == "Care worker"))
        earliest: dict[str, dt.date] = {}
        for c in completions:
            if c.staff_key.startswith("new:"):
                earliest[c.staff_key] = min(c.completed_on, earliest.get(c.staff_key, day))
        wheres = {c.staff_key: c.where.split("!")[0] for c in reversed(completions)}
        for key, start in earliest.items():
            first, last = split_name(key[4:])
            try:
                with s.begin_nested():
                    member = add_staff_in(
                        s,
                        StaffInput(
                            first,
                            last or "(surname?)",
                            care_worker,
                            start,
                            notes=f"Added by a training import on {format_date(day)}: check "
                            "the job role and start date (set to the earliest training date "
                            "found).",
                        ),
                        today=day,
                        allow_duplicate=True,
                    )
            except ValidationError as exc:
                report.skipped.append(
                    Skipped(wheres[key], f"Not added to the staff register: {exc.message}")
                )
                continue
            created[key] = member.id
            report.planned.append(Planned("", "new person", f"{first} {last}"))
    seen: set[tuple[int, int, dt.date]] = set()
    new_records: list[dict[str, Any]] = []
    for n, c in enumerate(completions):
        if n % 500 == 0 and not progress(n, len(completions), "Saving training"):
            raise Cancelled()
        if c.staff_key.startswith("new:") and c.staff_key not in created:
            continue  # the person could not be added: reported above
        staff_id = created[c.staff_key] if c.staff_key.startswith("new:") else int(c.staff_key)
        record_key = (staff_id, c.course_id, c.completed_on)
        label = f"{c.name}: {courses.names[c.course_id]}, {format_date(c.completed_on)}"
        if record_key in existing or record_key in seen:
            report.unchanged += 1
            continue
        seen.add(record_key)
        override = c.expires_on
        if override == derived_expiry(c.completed_on, months.get(c.course_id)):
            override = None  # the same as the interval gives: keep it derived
        new_records.append(
            {
                "staff_id": staff_id,
                "course_id": c.course_id,
                "completed_on": c.completed_on,
                "expires_on": override,
                "provider": c.provider,
                "delivery": c.delivery,
                "accredited": "",
                "notes": c.notes,
            }
        )
        report.planned.append(Planned(c.where, "new", label))
    insert_logged(s, TrainingRecord, new_records)
    report.imported = len(new_records)
