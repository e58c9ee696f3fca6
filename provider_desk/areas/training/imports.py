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
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.index import PERSON_FIELDS, PeopleIndex, split_name
from provider_desk.areas.staff.models import JobRole
from provider_desk.areas.staff.services import StaffInput, add_staff_in
from provider_desk.areas.training.matching import CourseMatch, CourseMatcher
from provider_desk.areas.training.models import Course, TrainingRecord
from provider_desk.areas.training.rules import derived_expiry
from provider_desk.areas.training.services import (
    TrainingInput,
    add_record_in,
    add_records_in,
    validate_training,
)
from provider_desk.areas.training.wide import OTHER_FIELDS, Matrix, MatrixColumn, read_matrix
from provider_desk.areas.training.wide import column_fates as wide_column_fates
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.rules.dates import DateParseError, format_date
from provider_desk.tabular.columns import ColumnPlan, column_plan
from provider_desk.tabular.read import (
    COLUMNS,
    IGNORE,
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

__all__ = ["CourseMatch", "CourseMatcher", "import_training", "training_kind"]

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


class _Completion(NamedTuple):
    row: Row  # for a matrix, with the date's cell
    staff_key: str  # staff id, or "new:<name>" for someone to be created
    values: dict[str, Any]  # the completion's fields, without the staff id
    expiry_cell: str = ""  # a matrix's cell the expiry date came from


def training_kind(
    s: Session, today: dt.date, names: Mapping[int, str], courses: CourseMatcher
) -> RecordKind[TrainingRecord]:
    """Completions: found by person, course and date completed, and only ever added (one
    already recorded is left as it is). Checked as the form checks a completion, and written
    together at the end through the service (a matrix holds thousands).

    Only completions on file are matched: one that was removed (archived) is not, so importing
    it again restores it through the service, as recording it in the form does."""
    catalogue = {c.id: c for c in s.scalars(select(Course))}  # held: the checks find them here
    months = {cid: c.refresher_months for cid, c in catalogue.items()}
    removed = {
        (sid, cid, done)
        for sid, cid, done in s.execute(
            select(
                TrainingRecord.staff_id, TrainingRecord.course_id, TrainingRecord.completed_on
            ).where(TrainingRecord.archived_at.is_not(None))
        )
    }

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

    # Each completion as checked, by its values' identity (with the values, which also keeps
    # the id from being reused): written as checked, not built again.
    checked: dict[int, tuple[dict[str, Any], TrainingInput]] = {}

    def check(s: Session, values: dict[str, Any]) -> None:
        if values["course_id"] not in catalogue:  # (and keeps the courses in the session)
            raise ValidationError.single("course_id", "That course is not in the catalogue.")
        if values["staff_id"] not in names:
            raise ValidationError.single("staff_id", "That staff member is not on the register.")
        entry = data(values)
        problems = validate_training(s, entry, today, courses=catalogue)
        if problems:
            raise ValidationError(problems)
        checked[id(values)] = (values, entry)

    def as_checked(values: dict[str, Any]) -> TrainingInput:
        held = checked.get(id(values))
        return held[1] if held is not None and held[0] is values else data(values)

    def add_many(s: Session, rows: list[dict[str, Any]]) -> None:
        add_records_in(s, [(v["staff_id"], as_checked(v)) for v in rows], today=today, checked=True)
        checked.clear()

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
        done = values["completed_on"]
        day = format_date(done) if type(done) is dt.date else show(done)  # (show's usual case)
        text = f"{names.get(values['staff_id'], '?')}: {course}, {day}"
        if (values["staff_id"], values["course_id"], values["completed_on"]) in removed:
            text += " (restored: it had been removed)"
        return text

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
        live_only=True,
        check=check,
        add_many=add_many,
        describe_fields=(),  # describe reads only the key's fields
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
    duplicate and left as it is, never updated; one that was removed is restored. A worker id
    that belongs to someone with another name is a conflict. Problems are reported per row or
    cell; everything else is written in one transaction, through the service the form uses.

    A matrix's report accounts for every column (``column_fates``: matched to a course and by
    what rule, ignored on purpose, or not recognised) and every cell of its course columns
    (``cells``, ``cell_fates``). ``mapping`` (``{heading: course name, field name or
    "ignore"}``) says what a column is by hand.

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
        table, matrix = first_sheet(path, lambda sheet: _find_shape(sheet, courses, mapping or {}))
        sheet = table.sheet
        report.notices.extend(start_report(table, dry_run=dry_run).notices)
        report.columns = {
            str(sheet.rows[table.header_row][c]): f
            for f, c in table.columns.items()
            if not f.startswith("course:")
        }
        report.ignored_columns = list(table.unmapped)
        if matrix is not None:
            _describe_matrix(matrix, courses, report)
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
        intervals = {c.id: c.refresher_months for c in s.scalars(select(Course))}
        cells = _Cells(report, courses, intervals)
        total = table.data_row_count()
        rows = _matrix_rows(matrix) if matrix is not None else table.records()
        long_rows = _LongRows(table, courses, report)
        for n, (row, values) in enumerate(rows):
            if n % 200 == 0 and not progress(n, total, "Reading training"):
                raise Cancelled()
            found = people.find(values)
            if found.conflict_with:
                report.conflicts.append(found.conflict(table.place(row)))
                if matrix is not None:
                    cells.row_not_read(matrix, row)
                continue
            staff_id, written, why = found.staff_id, found.written, found.why
            if staff_id is None and not (create_staff and written):
                report.skipped.append(Skipped(table.place(row), why))
                if matrix is not None:
                    cells.row_not_read(matrix, row)
                continue
            key = str(staff_id) if staff_id is not None else f"new:{written}"
            if matrix is not None:
                _wide_row(matrix, row, values, key, courses, completions, cells)
            else:
                long_rows.read(row, values, key, completions)
        created = _add_staff(s, completions, day, report) if create_staff else {}
        names = dict(people.names) | {staff_id: key[4:] for key, staff_id in created.items()}
        for c in completions:  # (each completion's own dict: nothing else holds it)
            if not c.staff_key.startswith("new:"):
                c.values["staff_id"] = int(c.staff_key)
            elif c.staff_key in created:
                c.values["staff_id"] = created[c.staff_key]
        # Only the saved completions the file's may match are read (not years of history).
        records = SavedRecords(
            s,
            training_kind(s, day, names, courses),
            among=[c.values for c in completions if "staff_id" in c.values],
        )
        for n, c in enumerate(completions):
            if n % 500 == 0 and not progress(n, len(completions), "Saving training"):
                raise Cancelled()
            if "staff_id" not in c.values:
                if matrix is not None:
                    cells.outcome(c, "skipped")  # the person could not be added: reported
                continue
            outcome = merge(records, c.row, c.values, report, _ALIASES)
            if matrix is not None:  # (a matrix's cells each have a fate; a report's rows not)
                cells.outcome(c, outcome.action)
        records.finish()
        if matrix is not None:
            cells.finish(matrix)
    return report


def completions_columns(path: Path) -> ColumnPlan | None:
    """For the app's mapping step: the columns of a report of completions (a course column and
    a date column), or None for a matrix (its columns are courses, mapped on the Columns tab).

    Raises:
        ValidationError: the file cannot be read or has no row of headings.
    """
    plan = column_plan(path, LONG_FIELDS)
    named = {c.guess for c in plan.columns} | {n for c in plan.columns for n in c.candidates}
    return plan if {"course", "completed_on"} <= named else None


def _find_shape(
    sheet: Sheet, courses: CourseMatcher, mapping: Mapping[str, str]
) -> tuple[Table, Matrix | None]:
    """Long if there is a course column and a date column, else a wide matrix of courses."""
    long_names = {f.name for f in LONG_FIELDS}
    long_map = {k: v for k, v in mapping.items() if v in long_names or normalise(v) == IGNORE}
    long_error: ValidationError | None = None
    try:
        table = find_table(sheet, LONG_FIELDS, long_map)
        if {"course", "completed_on"} <= table.columns.keys():
            return table, None
    except ValidationError as exc:  # not a long report: a matrix, then
        long_error = exc if exc.field == "map" else None
    try:
        matrix = read_matrix(sheet, courses, mapping)
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
    if not matrix.courses and not matrix.unmatched:
        raise ValidationError.single(
            COLUMNS,
            "No course columns recognised and no 'Course' and 'Completed' columns: map a "
            "column to a course to say which column is which course.",
        )
    return matrix.table, matrix


def _describe_matrix(matrix: Matrix, courses: CourseMatcher, report: ImportReport) -> None:
    """The report's account of the matrix's layout: every column, the header rows, the notes."""
    table = matrix.table
    sheet = table.sheet
    report.layout = matrix.signature
    report.columns.update(
        {c.header: courses.names[c.course_id] for c in matrix.courses if c.course_id is not None}
    )
    if table.header_rows == 2:
        report.notices.append(
            f"The header takes two rows ({sheet.place(table.header_row)} and "
            f"{sheet.place(table.header_row + 1)}): course names over their sub-headings; the "
            "data starts below them."
        )
    if matrix.notes_from is not None:
        last = len(sheet.rows)
        span = (
            sheet.place(matrix.notes_from)
            if last - 1 == matrix.notes_from
            else f"{sheet.place(matrix.notes_from)} to row {last}"
        )
        report.notices.append(
            f"{span} read as a key or notes under the table, not as people ('"
            f"{matrix.notes_text[:60]}'). If people are listed below it, move it under them."
        )


def _matrix_rows(matrix: Matrix) -> list[tuple[int, dict[str, Any]]]:
    """The matrix's rows with anything in them (a row of only dates and no name is reported)."""
    table = matrix.table
    rows = table.sheet.rows
    used = [c.index for c in matrix.columns if c.fate != "ignored"]
    out = []
    for r in range(table.first_data_row, table.last_row):
        row = rows[r]
        values = {f: (row[c] if c < len(row) else None) for f, c in table.columns.items()}
        if any(text_of(row[c]) for c in used if c < len(row)):
            out.append((r, values))
    return out


_FATES = {"new": "imported", "unchanged": "unchanged"}


class _Cells:
    """What became of each cell of a matrix's course columns: imported, unchanged, skipped (with
    its place and reason in the report) or empty (blank, or N/A)."""

    def __init__(
        self, report: ImportReport, courses: CourseMatcher, intervals: Mapping[int, int | None]
    ) -> None:
        self.report = report
        self.courses = courses
        self.intervals = intervals
        self.fates = report.cell_fates

    def months(self, course_id: int) -> int | None:
        """The course's refresher interval."""
        return self.intervals.get(course_id)

    def set(self, where: str, fate: str) -> None:
        self.fates[where] = fate

    def skip(self, where: str, reason: str) -> None:
        self.report.skipped.append(Skipped(where, reason))
        self.fates[where] = "skipped"

    def row_not_read(self, matrix: Matrix, row: int) -> None:
        """The row's person was not found: each of its cells is skipped with the row."""
        sheet = matrix.table.sheet
        cells = sheet.rows[row]
        for col in matrix.courses:
            value = cells[col.index] if col.index < len(cells) else None
            fate = "empty" if _is_empty(value) else "skipped"
            self.fates[sheet.place(row, col.index)] = fate

    def outcome(self, completion: _Completion, action: str) -> None:
        fate = _FATES.get(action, "skipped")
        self.fates[completion.row.where] = fate
        if completion.expiry_cell:
            self.fates[completion.expiry_cell] = fate
            if fate == "skipped":
                self.report.skipped.append(
                    Skipped(
                        completion.expiry_cell,
                        f"Goes with the completion in {completion.row.where}, which was not "
                        "imported (see there).",
                    )
                )

    def finish(self, matrix: Matrix) -> None:
        """Count the fates, and the cells of columns not recognised."""
        counts = {"imported": 0, "unchanged": 0, "skipped": 0, "empty": 0}
        sheet = matrix.table.sheet
        table = matrix.table
        rows = [  # the table's rows with anything in them (blank rows hold no cells to count)
            r
            for r in range(table.first_data_row, table.last_row)
            if any(text_of(v) for v in sheet.rows[r])
        ]
        for col in matrix.courses:
            for r in rows:
                where = sheet.place(r, col.index)
                fate = self.fates.setdefault(where, "empty")
                counts[fate] += 1
        in_columns: dict[int, int] = {}
        for col in matrix.columns:
            if col.fate in ("course", "field"):
                continue
            in_columns[col.index] = sum(
                1 for r in rows if not _is_empty(_value(sheet.rows[r], col.index))
            )
        unmatched = sum(in_columns.get(c.index, 0) for c in matrix.unmatched)
        self.report.cells = {
            "in_course_columns": sum(counts.values()),
            **counts,
            "in_columns_not_recognised": unmatched,
        }
        self.report.column_fates = wide_column_fates(matrix, self.courses, in_columns)
        if unmatched:
            self.report.notices.append(
                f"{unmatched:,} cells in columns not recognised were not imported: "
                + "; ".join(f"'{c.header or '(no heading)'}' ({c.rule})" for c in matrix.unmatched)
                + ". Map each to a course to import them."
            )


# Cells that say a course was done without saying when.
TICKS = frozenset(
    {"✓", "✔", "✅", "☑", "√", "🗸", "y", "yes", "done", "completed", "complete", "tick",
     "ticked", "passed", "attended", "achieved", "ok"}
)  # fmt: skip
_BOOKED = re.compile(
    r"^\s*(?:booked|bkd|booking|planned|scheduled|awaiting|to book|tbc|tba|in progress|"
    r"due|pending|requested)\b",
    re.IGNORECASE,
)


def _value(cells: list[Any], col: int) -> Any:
    return cells[col] if col < len(cells) else None


def _is_empty(value: Any) -> bool:
    """Blank or N/A: nothing to import and nothing wrong."""
    try:
        return cell_date(value) is None
    except DateParseError:
        return False


def _is_tick(value: Any) -> bool:
    text = str(value).strip().lower().rstrip(".!")
    return text in TICKS or (bool(text) and all(ch in "✓✔✅☑√🗸 " for ch in text))


def _read_completion(value: Any) -> tuple[dt.date | None, str]:
    """A completion cell as (date, "") or (None, why it is not imported; "" if empty)."""
    if _is_tick(value):
        text = str(value).strip()
        what = "a tick" if text in "✓✔✅☑√🗸" else f"'{text}' is not a date"
        return None, (f"Done, date unknown ({what}): enter the date it was completed to import it.")
    try:
        done = cell_date(value)
    except DateParseError as exc:
        if isinstance(value, str) and _BOOKED.match(value):
            return None, (
                f"Booked, not done yet ('{value.strip()}'): a course is recorded once it is "
                "done, with the date it was done."
            )
        return None, f"Not a completion date: {exc}"
    return done, ""


def _wide_row(
    matrix: Matrix,
    row: int,
    values: dict[str, Any],
    key: str,
    courses: CourseMatcher,
    out: list[_Completion],
    cells: _Cells,
) -> None:
    """Each course cell of one person's row (with its expiry cell, if the matrix has them)."""
    table = matrix.table
    sheet = table.sheet
    data = sheet.rows[row]
    for done_col, expiry_col in matrix.pairs:
        done_where = sheet.place(row, done_col.index) if done_col else ""
        expiry_where = sheet.place(row, expiry_col.index) if expiry_col else ""
        done_value = _value(data, done_col.index) if done_col else None
        expiry_value = _value(data, expiry_col.index) if expiry_col else None
        has_expiry = expiry_col is not None and not _is_empty(expiry_value)
        done, why = _read_completion(done_value) if done_col else (None, "")
        if done is None:
            if done_col is not None:
                if why:
                    cells.skip(done_where, why)
                else:
                    cells.set(done_where, "empty")
            if expiry_col is not None:
                if not has_expiry:
                    cells.set(expiry_where, "empty")
                elif done_col is None:
                    cells.skip(
                        expiry_where,
                        "An expiry date in a column with no completion dates beside it: map the "
                        "completion column to the course to import it.",
                    )
                else:
                    cells.skip(
                        expiry_where,
                        f"An expiry date without a completion date in {done_where}: nothing to "
                        "import until the completion date is entered.",
                    )
            continue
        assert done_col is not None and done_col.course_id is not None
        fields: dict[str, Any] = {"course_id": done_col.course_id, "completed_on": done}
        used_expiry = ""
        if expiry_col is not None and has_expiry:
            try:
                expires = cell_date(expiry_value)
            except DateParseError as exc:
                cells.skip(
                    expiry_where,
                    f"Not an expiry date: {exc} The completion in {done_where} is imported with "
                    "the expiry its course's interval gives.",
                )
            else:
                used_expiry = expiry_where
                fields["expires_on"] = _compare_expiry(done_col, done, expires, expiry_where, cells)
        elif expiry_col is not None:
            cells.set(expiry_where, "empty")
        cell = Row(table, row, values, cell=done_where)
        out.append(_Completion(cell, key, fields, used_expiry))


def _compare_expiry(
    col: MatrixColumn, done: dt.date, expires: dt.date | None, where: str, cells: _Cells
) -> dt.date | None:
    """The expiry to record: the file's, noted where it differs from the one the course's
    interval gives. A matrix's "same day next year" is the interval's expiry (ours is the day
    before, as ASC-WDS derives it), not a date set by hand."""
    if expires is None or col.course_id is None or expires <= done:
        return expires  # (an expiry before completion is refused by the form's check)
    months = cells.months(col.course_id)
    computed = derived_expiry(done, months)
    if computed is not None and expires in (computed, computed + dt.timedelta(days=1)):
        return computed
    interval = (
        f"the course's {months}-month interval gives {format_date(computed)}"
        if computed is not None
        else "the course does not expire"
    )
    cells.report.noted.append(
        Skipped(
            where,
            f"Expiry {format_date(expires)} in the file, but {interval}: the file's date is "
            "kept, as an expiry set by hand.",
        )
    )
    return expires


class _LongRows:
    """Reads the rows of a report of completions, one completion a row. Each distinct status,
    course and delivery text is looked up once (10,000 rows name a few dozen)."""

    def __init__(self, table: Table, courses: CourseMatcher, report: ImportReport) -> None:
        self.table = table
        self.courses = courses
        self.report = report
        self._passed: dict[str, bool] = {}
        self._course: dict[str, int | None] = {}
        self._delivery: dict[str, str] = {}

    def passed(self, cell: Any) -> bool:
        """The status cell is blank, passed or completed."""
        if type(cell) is str and (known := self._passed.get(cell)) is not None:
            return known
        status = str(cell or "").strip()
        ok = not status or normalise(status) in _PASSED_KEYS
        if type(cell) is str:
            self._passed[cell] = ok
        return ok

    def course(self, cell: Any) -> int | None:
        """The one course the cell names, or None."""
        if type(cell) is str and cell in self._course:
            return self._course[cell]
        course_id = self.courses.match(str(cell or "").strip())
        if type(cell) is str:
            self._course[cell] = course_id
        return course_id

    def delivery(self, cell: Any) -> str:
        """The delivery as the form records it ('' if not one it knows)."""
        if type(cell) is str and (known := self._delivery.get(cell)) is not None:
            return known
        delivery = _DELIVERY.get(normalise(str(cell or "")), "")
        if type(cell) is str:
            self._delivery[cell] = delivery
        return delivery

    def read(self, row: int, values: dict[str, Any], key: str, out: list[_Completion]) -> None:
        """The row's completion into ``out``, or the reason it is skipped into the report."""
        table, report = self.table, self.report
        if not self.passed(values.get("status")):
            status = str(values.get("status") or "").strip()
            report.skipped.append(
                Skipped(
                    table.place(row, "status"), f"Status is '{status}', not passed or completed."
                )
            )
            return
        course_id = self.course(values.get("course"))
        if course_id is None:
            course_text = str(values.get("course") or "").strip()
            report.skipped.append(
                Skipped(
                    table.place(row, "course"),
                    f"Course '{course_text}' is not in the catalogue: add it under Courses, or "
                    "map it.",
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
        # The future, an expiry before completion, lengths, invisible characters … are the
        # form's checks, made by the service as the completion is merged (and reported at
        # their column).
        fields = {
            "course_id": course_id,
            "completed_on": done,
            "expires_on": expires,
            "provider": text_of(values.get("provider")),
            "delivery": self.delivery(values.get("delivery")),
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
