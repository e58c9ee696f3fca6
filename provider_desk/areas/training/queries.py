"""The course catalogue, the training matrix (staff x required courses) and training history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import ClauseElement, Connection, and_, func, select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import staff_in_post_select
from provider_desk.areas.training.models import (
    CareCertificateStandard,
    Course,
    RoleRequirement,
    TrainingRecord,
)
from provider_desk.areas.training.rules import completion_level, derived_expiry
from provider_desk.attachments import DocumentRow, document_rows
from provider_desk.collection import collection_paused
from provider_desk.db.session import Database, shared_per_snapshot
from provider_desk.models.attachment import Attachment
from provider_desk.resources import load_json, load_json_cached
from provider_desk.rules.due import Level
from provider_desk.settings.models import OrganisationSettings
from provider_desk.settings.queries import SettingsRow


@dataclass(frozen=True)
class CourseRow:
    """A course in the catalogue."""

    id: int
    name: str
    category_code: int | None
    category_name: str
    refresher_months: int | None
    competency: bool
    interval_note: str
    aliases: tuple[str, ...]
    required_role_ids: frozenset[int]
    version: int

    @property
    def interval_text(self) -> str:
        """'Every 12 months', 'Every 3 years' or 'Does not expire'."""
        m = self.refresher_months
        if m is None:
            return "Does not expire"
        if m % 12 == 0:
            return "Every year" if m == 12 else f"Every {m // 12} years"
        return f"Every {m} months"


def _latest_statement() -> ClauseElement:
    """(staff, course, latest completion, its overridden expiry) for staff in post: SQL picks
    each person's latest completion of each course."""
    latest = (
        select(
            TrainingRecord.staff_id,
            TrainingRecord.course_id,
            func.max(TrainingRecord.completed_on).label("completed_on"),
        )
        .join(StaffMember, StaffMember.id == TrainingRecord.staff_id)
        .where(TrainingRecord.archived_at.is_(None), StaffMember.archived_at.is_(None))
        .group_by(TrainingRecord.staff_id, TrainingRecord.course_id)
        .subquery()
    )
    return select(
        latest.c.staff_id, latest.c.course_id, latest.c.completed_on, TrainingRecord.expires_on
    ).join(
        TrainingRecord,
        and_(
            TrainingRecord.staff_id == latest.c.staff_id,
            TrainingRecord.course_id == latest.c.course_id,
            TrainingRecord.completed_on == latest.c.completed_on,
            TrainingRecord.archived_at.is_(None),
        ),
    )


_STATEMENTS: dict[str, Callable[[], ClauseElement]] = {
    "courses": lambda: (
        select(
            Course.id,
            Course.name,
            Course.category_code,
            Course.refresher_months,
            Course.competency,
            Course.interval_note,
            Course.aliases,
            Course.version,
        )
        .where(Course.archived_at.is_(None))
        .order_by(Course.id)
    ),
    "requirements": lambda: select(RoleRequirement.course_id, RoleRequirement.job_role_id),
    "latest": _latest_statement,
    "people": staff_in_post_select,
    "due_soon_days": lambda: select(OrganisationSettings.due_soon_days).limit(1),
}


_SQL: dict[tuple[str, str], str] = {}


def _driver_rows(conn: Connection, name: str) -> Sequence[Any]:
    """The rows of the statement ``name`` (none takes parameters), as the driver returns them:
    on SQLite a date is its ISO text, on PostgreSQL a date. The matrix reads thousands of rows
    on every refresh; run as its dialect's SQL text (compiled once), they come back without
    SQLAlchemy's per-row result processing."""
    key = (name, conn.dialect.name)
    sql = _SQL.get(key)
    if sql is None:
        stmt = _STATEMENTS[name]()
        sql = _SQL[key] = str(
            stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        )
    return conn.exec_driver_sql(sql).fetchall()


def _day(value: Any) -> dt.date:
    """A date as the driver returned it (ISO text on SQLite: its first ten characters, as
    SQLAlchemy reads them), as a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value[:10])


def asc_wds_categories() -> dict[int, str]:
    """ASC-WDS training category codes and names."""
    return {int(k): v for k, v in load_json_cached("training.json")["asc_wds_categories"].items()}


def list_courses_in(s: Session) -> list[CourseRow]:
    """As :func:`list_courses`, reading inside the session ``s``."""
    categories = asc_wds_categories()
    conn = s.connection()
    required: dict[int, set[int]] = {}
    for course_id, role_id in _driver_rows(conn, "requirements"):
        required.setdefault(course_id, set()).add(role_id)
    rows = _driver_rows(conn, "courses")
    return [
        CourseRow(
            id=cid,
            name=name,
            category_code=code,
            category_name=categories.get(code, "") if code else "",
            refresher_months=months,
            competency=bool(competency),  # SQLite gives 0 or 1
            interval_note=note,
            aliases=tuple(a for a in aliases.splitlines() if a),
            required_role_ids=frozenset(required.get(cid, ())),
            version=version,
        )
        for cid, name, code, months, competency, note, aliases, version in rows
    ]


def list_courses(db: Database) -> list[CourseRow]:
    """Every course in use, in catalogue order."""
    with db.reading() as s:
        return list_courses_in(s)


@dataclass(frozen=True)
class MatrixPerson:
    """A row of the matrix."""

    id: int
    first_name: str
    last_name: str
    job_role_id: int
    job_role: str
    team: str
    status: str

    @property
    def sort_name(self) -> str:
        """'Last, First'."""
        return f"{self.last_name}, {self.first_name}"

    @property
    def full_name(self) -> str:
        """'First Last'."""
        return f"{self.first_name} {self.last_name}"


class MatrixCell(NamedTuple):
    """One person's standing for one course (a tuple: thousands are built per matrix)."""

    status: Level
    required: bool
    completed_on: dt.date | None = None
    expires_on: dt.date | None = None


_MISSING = MatrixCell(Level.MISSING, True)
_NOT_REQUIRED = MatrixCell(Level.NOT_REQUIRED, False)


@dataclass(frozen=True)
class Compliance:
    """How many required (person, course) pairs are in date (due soon counts as in date)."""

    compliant: int
    required: int

    @property
    def percent(self) -> float | None:
        """None when nothing is required."""
        return None if self.required == 0 else 100.0 * self.compliant / self.required


@dataclass(frozen=True)
class TrainingMatrix:
    """Staff in post x courses any role requires, with a status in every cell."""

    today: dt.date
    due_soon_days: int
    people: tuple[MatrixPerson, ...]
    courses: tuple[CourseRow, ...]
    cells: tuple[tuple[MatrixCell, ...], ...]  # [person][course]
    _by_course: dict[int, Compliance] = field(default_factory=dict, compare=False, repr=False)

    def person_compliance(self, row: int) -> Compliance:
        """One person's score over the courses their role requires."""
        cells = [c for c in self.cells[row] if c.required]
        return Compliance(sum(c.status.compliant for c in cells), len(cells))

    def course_compliance(self, col: int) -> Compliance:
        """One course's score over the people whose role requires it."""
        cells = [r[col] for r in self.cells if r[col].required]
        return Compliance(sum(c.status.compliant for c in cells), len(cells))

    def overall(self) -> Compliance:
        """The whole service."""
        cells = [c for r in self.cells for c in r if c.required]
        return Compliance(sum(c.status.compliant for c in cells), len(cells))


def latest_completions_in(s: Session) -> dict[tuple[int, int], tuple[dt.date, dt.date | None]]:
    """As :func:`latest_completions`, reading inside the session ``s``."""
    days: dict[Any, dt.date] = {}

    def day(value: Any) -> dt.date:
        found = days.get(value)
        if found is None:
            found = days[value] = _day(value)
        return found

    return {
        (sid, cid): (day(done), None if exp is None else day(exp))
        for sid, cid, done, exp in _driver_rows(s.connection(), "latest")
    }


def latest_completions(db: Database) -> dict[tuple[int, int], tuple[dt.date, dt.date | None]]:
    """(staff, course) -> (latest completion, its overridden expiry) for staff in post."""
    with db.reading() as s:
        return latest_completions_in(s)


def training_matrix_in(s: Session, today: dt.date) -> TrainingMatrix:
    """As :func:`training_matrix`, reading inside the session ``s`` (once per read snapshot:
    the matrix is frozen, so the readers and the evidence pack share it)."""
    return shared_per_snapshot(s, ("training matrix", today), lambda: _read_matrix(s, today))


def _read_matrix(s: Session, today: dt.date) -> TrainingMatrix:
    conn = s.connection()
    found = _driver_rows(conn, "due_soon_days")
    window = found[0][0] if found else SettingsRow().due_soon_days
    courses = tuple(c for c in list_courses_in(s) if c.required_role_ids)
    people = tuple(MatrixPerson(*r) for r in _driver_rows(conn, "people"))
    # Each person's row starts as their role's blank row (missing where required, else not
    # required); only cells with a completion are then filled in.
    blank_rows: dict[int, list[MatrixCell]] = {}
    rows: dict[int, list[MatrixCell]] = {}
    for p in people:
        blank = blank_rows.get(p.job_role_id)
        if blank is None:
            blank = blank_rows[p.job_role_id] = [
                _MISSING if p.job_role_id in c.required_role_ids else _NOT_REQUIRED for c in courses
            ]
        rows[p.id] = list(blank)
    column = {c.id: (k, c.refresher_months) for k, c in enumerate(courses)}
    # A completed cell depends only on its course's interval, its date, any override and
    # whether the role requires it (required or not, it is evidence: its level comes from its
    # expiry). Each distinct one is worked out once, by the one rule; a date's text is read
    # once, a level once per expiry.
    made: dict[tuple[int | None, Any, Any, bool], MatrixCell] = {}
    days: dict[Any, dt.date] = {}
    level_at: dict[dt.date | None, Level] = {}
    for sid, cid, done, override in _driver_rows(conn, "latest"):
        course = column.get(cid)
        row = rows.get(sid)
        if course is None or row is None:
            continue
        k, months = course
        required = row[k][1]  # from the person's blank row
        key = (months, done, override, required)
        cell = made.get(key)
        if cell is None:
            completed = days.get(done)
            if completed is None:
                completed = days[done] = _day(done)
            if override is not None:
                expires = days.get(override)
                if expires is None:
                    expires = days[override] = _day(override)
            else:
                expires = derived_expiry(completed, months)
            level = level_at.get(expires)
            if level is None:
                level = level_at[expires] = completion_level(
                    expires, today=today, due_soon_days=window
                )
            cell = made[key] = MatrixCell(level, required, completed, expires)
        row[k] = cell
    cells = tuple(tuple(rows[p.id]) for p in people)
    return TrainingMatrix(today, window, people, courses, cells)


def training_matrix(db: Database, today: dt.date) -> TrainingMatrix:
    """Build the matrix for staff in post (leavers drop out; people on leave stay)."""
    with collection_paused(), db.reading() as s:
        return training_matrix_in(s, today)


@dataclass(frozen=True)
class TrainingRecordRow:
    """One completion, for history lists and exports."""

    id: int
    staff_id: int
    staff_name: str
    asc_wds_worker_id: str
    course_id: int
    course: str
    category_code: int | None
    refresher_months: int | None
    completed_on: dt.date
    expires_on: dt.date | None
    expiry_overridden: bool
    provider: str
    delivery: str
    accredited: str
    notes: str
    certificate: str
    attachment_id: int | None
    version: int


def training_records_in(
    s: Session, *, staff_id: int | None = None, course_id: int | None = None
) -> list[TrainingRecordRow]:
    """As :func:`training_records`, reading inside the session ``s``."""
    stmt = (
        select(
            TrainingRecord,
            StaffMember.first_name,
            StaffMember.last_name,
            StaffMember.asc_wds_worker_id,
            Course.name,
            Course.category_code,
            Course.refresher_months,
            Attachment.filename,
        )
        .join(StaffMember, StaffMember.id == TrainingRecord.staff_id)
        .join(Course, Course.id == TrainingRecord.course_id)
        .outerjoin(Attachment, Attachment.id == TrainingRecord.attachment_id)
        .where(TrainingRecord.archived_at.is_(None))
        .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.id.desc())
    )
    if staff_id is not None:
        stmt = stmt.where(TrainingRecord.staff_id == staff_id)
    if course_id is not None:
        stmt = stmt.where(TrainingRecord.course_id == course_id)
    return [
        TrainingRecordRow(
            id=r.id,
            staff_id=r.staff_id,
            staff_name=f"{first} {last}",
            asc_wds_worker_id=wid or "",
            course_id=r.course_id,
            course=cname,
            category_code=code,
            refresher_months=months,
            completed_on=r.completed_on,
            expires_on=r.expires_on or derived_expiry(r.completed_on, months),
            expiry_overridden=r.expires_on is not None,
            provider=r.provider,
            delivery=r.delivery,
            accredited=r.accredited,
            notes=r.notes,
            certificate=fname or "",
            attachment_id=r.attachment_id,
            version=r.version,
        )
        for r, first, last, wid, cname, code, months, fname in s.execute(stmt)
    ]


def training_records(
    db: Database, *, staff_id: int | None = None, course_id: int | None = None
) -> list[TrainingRecordRow]:
    """Completions (newest first), optionally for one person and/or course."""
    with db.reading() as s:
        return training_records_in(s, staff_id=staff_id, course_id=course_id)


@dataclass(frozen=True)
class StandardRow:
    """One Care Certificate standard for one person."""

    number: int
    title: str
    completed_on: dt.date | None
    assessor: str
    notes: str
    version: int | None = None  # None: not recorded yet (what a save passes back)


def care_certificate_in(s: Session, staff_id: int) -> list[StandardRow]:
    """As :func:`care_certificate`, reading inside the session ``s``."""
    done = {
        r.standard: r
        for r in s.scalars(
            select(CareCertificateStandard).where(CareCertificateStandard.staff_id == staff_id)
        )
    }
    out = []
    for std in load_json("training.json")["care_certificate_standards"]:
        r = done.get(std["number"])
        out.append(
            StandardRow(
                std["number"],
                std["title"],
                r.completed_on if r else None,
                r.assessor if r else "",
                r.notes if r else "",
                r.version if r else None,
            )
        )
    return out


def care_certificate(db: Database, staff_id: int) -> list[StandardRow]:
    """All 16 standards (2025), with the person's completions."""
    with db.reading() as s:
        return care_certificate_in(s, staff_id)


def certificates_in(s: Session, start: dt.date, end: dt.date) -> list[DocumentRow]:
    """Certificates attached to training completed from ``start`` to ``end``, oldest first."""
    rows = s.execute(
        select(
            TrainingRecord.attachment_id,
            TrainingRecord.completed_on,
            StaffMember.first_name,
            StaffMember.last_name,
            Course.name,
            Attachment.filename,
            Attachment.size,
        )
        .join(StaffMember, StaffMember.id == TrainingRecord.staff_id)
        .join(Course, Course.id == TrainingRecord.course_id)
        .join(Attachment, Attachment.id == TrainingRecord.attachment_id)
        .where(
            TrainingRecord.archived_at.is_(None),
            TrainingRecord.completed_on.between(start, end),
        )
        .order_by(TrainingRecord.completed_on, TrainingRecord.id)
    )
    return document_rows(
        (att, day, first, last, f"{course} certificate", name, size)
        for att, day, first, last, course, name, size in rows
    )
