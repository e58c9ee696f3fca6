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
from provider_desk.areas.training.services import (
    TrainingInput,
    add_record_in,
    add_records_in,
    validate_training,
)
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
    first_sheet,
    normalise,
)
from provider_desk.tabular.records import (
    Field,
    RecordKind,
    Row,
    SavedRecords,
    import_session,
    merge,
    show,
    start_report,
    text_of,
)
from provider_desk.tabular.report import ImportReport, Planned, Skipped

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
    row: Row  # for a matrix, with the date's cell
    staff_key: str  # staff id, or "new:<name>" for someone to be created
    values: dict[str, Any]  # the completion's fields, without the staff id


def training_kind(
    s: Session, today: dt.date, names: Mapping[int, str], courses: CourseMatcher
) -> RecordKind[TrainingRecord]:
    """Completions: found by person, course and date completed, and only ever added (one
    already recorded is left as it is). Checked as the form checks a completion, and written
    together at the end: a matrix holds thousands."""
    catalogue = {c.id: c for c in s.scalars(select(Course))}  # held: the checks find them here
    months = {cid: c.refresher_months for cid, c in catalogue.items()}

    def data(values: Mapping[str, Any]) -> TrainingInput:
        return TrainingInput(
            values["course_id"],
            values["completed_on"],
            values.get("expires_on"),
            values.get("provider", ""),
            values.get("delivery", ""),
            "",
            values.get("notes", ""),
        )

    def check(s: Session, values: dict[str, Any]) -> None:
        if values["course_id"] not in catalogue:  # (and keeps the courses in the session)
            raise ValidationError.single("course_id", "That course is not in the catalogue.")
        if values["staff_id"] not in names:
            raise ValidationError.single("staff_id", "That staff member is not on the register.")
        problems = validate_training(s, data(values), today)
        if problems:
            raise ValidationError(problems)

    def add_many(s: Session, rows: list[dict[str, Any]]) -> None:
        add_records_in(s, [(v["staff_id"], data(v)) for v in rows], today=today)

    def save(s: Session, saved: TrainingRecord | None, values: dict[str, Any]) -> TrainingRecord:
        return add_record_in(s, values["staff_id"], data(values), today=today)

    def complete(saved: TrainingRecord | None, values: dict[str, Any]) -> dict[str, Any]:
        expires = values.get("expires_on")
        if expires is not None and expires == derived_expiry(
            values["completed_on"], months.get(values["course_id"])
        ):
            return values | {"expires_on": None}  # the same as the interval gives: derived
        return values

    def describe_values(values: Mapping[str, Any]) -> str:
        course = courses.names.get(values["course_id"]) or show(None)
        return f"{names.get(values['staff_id'], '?')}: {course}, {show(values['completed_on'])}"

    return RecordKind(
        noun="completion",
        model=TrainingRecord,
        fields=(
            Field("staff_id", "Staff member", lambda v: show(names.get(v))),
            Field("course_id", "Course", lambda v: show(courses.names.get(v))),
            Field("completed_on", "Completed on"),
            Field("expires_on", "Expires on"),
            Field("provider", "Provider"),
            Field("delivery", "Delivery"),
            Field("notes", "Notes"),
        ),
        keys=(("staff_id", "course_id", "completed_on"),),
        identity=(),
        describe=lambda r: describe_values(
            {"staff_id": r.staff_id, "course_id": r.course_id, "completed_on": r.completed_on}
        ),
        describe_row=describe_values,
        save=save,
        complete=complete,
        append_only=True,
        check=check,
        add_many=add_many,
    )


# A problem the checks find with a completion's field, reported at the file's column.
_ALIASES = {"course_id": "course", "staff_id": "full_name"}


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
    report = ImportReport(dry_run=dry_run)
    with import_session(db, report, dry_run=dry_run, confirmed=confirmed) as s:
        courses = CourseMatcher(s)
        people = PeopleIndex(s)
        table, wide_columns = first_sheet(
            path, lambda sheet: _find_shape(sheet, courses, mapping or {})
        )
        sheet = table.sheet
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
                report.conflicts.append(found.conflict(table.place(row)))
                continue
            staff_id, written, why = found.staff_id, found.written, found.why
            if staff_id is None and not (create_staff and written):
                report.skipped.append(Skipped(table.place(row), why))
                continue
            key = str(staff_id) if staff_id is not None else f"new:{written}"
            if wide_columns:
                _wide_row(sheet, table, row, values, key, wide_columns, day, completions, report)
            else:
                _long_row(table, row, values, key, courses, day, completions, report)
        created = _add_staff(s, completions, day, report) if create_staff else {}
        names = dict(people.names) | {staff_id: key[4:] for key, staff_id in created.items()}
        records = SavedRecords(s, training_kind(s, day, names, courses))
        for n, c in enumerate(completions):
            if n % 500 == 0 and not progress(n, len(completions), "Saving training"):
                raise Cancelled()
            if c.staff_key.startswith("new:") and c.staff_key not in created:
                continue  # the person could not be added: reported already
            staff_id = created[c.staff_key] if c.staff_key.startswith("new:") else int(c.staff_key)
            merge(records, c.row, {"staff_id": staff_id, **c.values}, report, _ALIASES)
        records.finish()
    return report


def _find_shape(
    sheet: Sheet, courses: CourseMatcher, mapping: Mapping[str, str]
) -> tuple[Table, dict[int, int]]:
    """Long if there is a course column and a date column, else a wide matrix of courses."""
    long_names = {f.name for f in LONG_FIELDS}
    long_map = {k: v for k, v in mapping.items() if v in long_names}
    long_error: ValidationError | None = None
    try:
        table = find_table(sheet, LONG_FIELDS, long_map)
        if {"course", "completed_on"} <= table.columns.keys():
            return table, {}
    except ValidationError as exc:  # not a long report: a matrix, then
        long_error = exc if exc.field == "map" else None
    try:
        table = _find_matrix(sheet, courses, mapping)
    except ValidationError as exc:
        if long_error is not None:  # --map named a column of a long report the file lacks
            raise long_error from None
        if exc.field == "map":
            raise
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


def _find_matrix(sheet: Sheet, courses: CourseMatcher, mapping: Mapping[str, str]) -> Table:
    """A matrix: every course is a field; --map may name a course for a column."""
    long_names = {f.name for f in LONG_FIELDS}
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

    return find_table(sheet, [_CourseSpec(s.name, s.label, s.synonyms) for s in specs], wide_map)


def _wide_row(
    sheet: Sheet,
    table: Table,
    row: int,
    values: dict[str, Any],
    key: str,
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
        cell = Row(table, row, values, cell=where)
        out.append(_Completion(cell, key, {"course_id": course_id, "completed_on": done}))


def _long_row(
    table: Table,
    row: int,
    values: dict[str, Any],
    key: str,
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
    # The form's checks (lengths, invisible characters …) are made as the completion is merged.
    fields = {
        "course_id": course_id,
        "completed_on": done,
        "expires_on": expires,
        "provider": text_of(values.get("provider")),
        "delivery": delivery,
        "notes": text_of(values.get("notes")),
    }
    out.append(_Completion(Row(table, row, values), key, fields))


def _add_staff(
    s: Session,
    completions: list[_Completion],
    day: dt.date,
    report: ImportReport,
) -> dict[str, int]:
    """Put people the file names but the register lacks on it (``create_staff``): their start
    date is their earliest training found. Returns their ids by "new:<name>"."""
    created: dict[str, int] = {}
    care_worker = s.scalar(select(JobRole.id).where(JobRole.name == "Care worker"))
    earliest: dict[str, dt.date] = {}
    for c in completions:
        if c.staff_key.startswith("new:"):
            done = c.values["completed_on"]
            earliest[c.staff_key] = min(done, earliest.get(c.staff_key, day))
    wheres = {c.staff_key: c.row.where.split("!")[0] for c in reversed(completions)}
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
    return created
