"""Training: the course catalogue, which roles need what, and recording completions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from provider_desk import attachments
from provider_desk.areas.staff.models import JobRole, StaffMember
from provider_desk.areas.training.asc_wds import NOTES_MAX
from provider_desk.areas.training.models import (
    CareCertificateStandard,
    Course,
    RoleRequirement,
    TrainingRecord,
)
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import TRAINING, Changes
from provider_desk.db.changelog import insert_columns_logged
from provider_desk.db.session import Database
from provider_desk.db.versions import RELOAD_ADVICE, check_version, conflict, touch
from provider_desk.errors import ConflictError, Problem, ValidationError
from provider_desk.models.base import utcnow
from provider_desk.rules import validators as v
from provider_desk.rules.dates import format_date

DELIVERY = ("face to face", "e-learning", "blended")
ACCREDITED = ("yes", "no", "don't know")
CARE_CERTIFICATE_STANDARDS = 16


@dataclass(frozen=True)
class CourseInput:
    """A course as the manager edits it in the catalogue."""

    name: str
    refresher_months: int | None
    category_code: int | None = None
    competency: bool = False
    interval_note: str = ""
    aliases: tuple[str, ...] = ()


@requires(Permission.MANAGE_SETTINGS, "change courses")
def save_course(
    db: Database,
    data: CourseInput,
    course_id: int | None = None,
    required_role_ids: Iterable[int] | None = None,
    *,
    expected_version: int | None,
) -> Changes:
    """Add a course, or change one (its interval change updates every derived expiry);
    ``expected_version``: the version the user opened, required when changing one.

    With ``required_role_ids``, exactly those job roles require it, in the same transaction.
    """
    problems: list[Problem | None] = [v.required("name", data.name, "Course name")]
    if data.refresher_months is not None and not 1 <= data.refresher_months <= 240:
        problems.append(
            Problem(
                "refresher_months", "Refresher interval is 1 to 240 months, or 'does not expire'."
            )
        )
    if data.category_code is not None and not 1 <= data.category_code <= 99:
        problems.append(Problem("category_code", "ASC-WDS category codes are 1 to 99."))
    v.raise_if(problems)
    name = data.name.strip()
    with db.session() as s:
        clash = s.scalar(
            select(Course).where(
                func.lower(Course.name) == name.lower(), Course.id != (course_id or -1)
            )
        )
        if clash is not None:
            raise ValidationError.single("name", f"There is already a course called {clash.name}.")
        course = Course() if course_id is None else s.get(Course, course_id)
        if course is None:
            raise ValidationError.single("id", "That course no longer exists.")
        if course_id is not None:
            check_version(course, expected_version)
        course.name = name
        course.refresher_months = data.refresher_months
        course.category_code = data.category_code
        course.competency = data.competency
        course.interval_note = data.interval_note.strip()
        course.aliases = "\n".join(a.strip() for a in data.aliases if a.strip())
        s.add(course)
        s.flush()
        if required_role_ids is not None and _set_required_roles(
            s, course.id, set(required_role_ids)
        ):
            touch(course)
        return Changes.of(TRAINING, ids=(course.id,))


@requires(Permission.MANAGE_SETTINGS, "change courses")
def archive_course(db: Database, course_id: int, *, expected_version: int) -> Changes:
    """Retire a course: it leaves the matrix; its records stay on file."""
    with db.session() as s:
        course = s.get(Course, course_id)
        if course is None:
            raise ValidationError.single("id", "That course no longer exists.")
        check_version(course, expected_version)
        course.archived_at = utcnow()
        s.execute(delete(RoleRequirement).where(RoleRequirement.course_id == course_id))
        return Changes.of(TRAINING, ids=(course_id,))


@requires(Permission.MANAGE_SETTINGS, "change which roles need a course")
def set_required_roles(
    db: Database, course_id: int, role_ids: Iterable[int], *, expected_version: int
) -> Changes:
    """Make exactly these job roles require the course (``expected_version``: the course's)."""
    with db.session() as s:
        course = s.get(Course, course_id)
        if course is None:
            raise ValidationError.single("id", "That course no longer exists.")
        check_version(course, expected_version)
        if _set_required_roles(s, course_id, set(role_ids)):
            touch(course)
        return Changes.of(TRAINING, ids=(course_id,))


def _set_required_roles(s: Session, course_id: int, wanted: set[int]) -> bool:
    """Make exactly ``wanted`` require the course; True if that changed anything."""
    known = set(s.scalars(select(JobRole.id).where(JobRole.id.in_(wanted))))
    if known != wanted:
        raise ValidationError.single("roles", "One of those job roles no longer exists.")
    current = {
        r.job_role_id: r
        for r in s.scalars(select(RoleRequirement).where(RoleRequirement.course_id == course_id))
    }
    for role_id, req in current.items():
        if role_id not in wanted:
            s.delete(req)
    for role_id in wanted - current.keys():
        s.add(RoleRequirement(job_role_id=role_id, course_id=course_id))
    return wanted != current.keys()


@dataclass(frozen=True)
class TrainingInput:
    """One completion as entered: ``expires_on`` only to override the course's interval."""

    course_id: int | None
    completed_on: dt.date | None
    expires_on: dt.date | None = None
    provider: str = ""
    delivery: str = ""
    accredited: str = ""
    notes: str = ""
    certificate_path: Path | None = None


def validate_training(
    s: Session, data: TrainingInput, today: dt.date, *, courses: Container[int] | None = None
) -> list[Problem]:
    """Every problem with a completion, field by field. ``courses``: the ids of the courses in
    the catalogue, when the caller holds them (an import checks thousands of completions)."""
    problems: list[Problem | None] = []
    if data.course_id is None:
        problems.append(Problem("course_id", "Choose the course."))
    elif not (
        data.course_id in courses
        if courses is not None
        else s.get(Course, data.course_id) is not None
    ):
        problems.append(Problem("course_id", "That course is not in the catalogue."))
    if data.completed_on is None:
        problems.append(Problem("completed_on", "Enter the date the course was completed."))
    problems.append(v.not_in_future("completed_on", data.completed_on, today, "Completion date"))
    problems.append(v.plausible_date("completed_on", data.completed_on, "Completion date"))
    if data.expires_on is not None:  # (an import checks thousands: no call for nothing)
        problems.append(v.plausible_date("expires_on", data.expires_on, "Expiry date"))
    if (
        data.expires_on is not None
        and data.completed_on is not None
        and data.expires_on <= data.completed_on
    ):
        problems.append(
            Problem(
                "expires_on",
                f"The expiry date ({format_date(data.expires_on)}) "
                "must be after the completion date.",
            )
        )
    if data.delivery and data.delivery not in DELIVERY:
        problems.append(Problem("delivery", f"Delivery is one of: {', '.join(DELIVERY)}."))
    if data.accredited and data.accredited not in ACCREDITED:
        problems.append(Problem("accredited", f"Accredited is one of: {', '.join(ACCREDITED)}."))
    if data.provider:
        problems.append(v.text("provider", data.provider, "Provider", max_len=v.SHORT_TEXT_MAX))
    notes = data.notes.strip()  # (blank notes need no check: v.text passes blank text)
    if notes and v.utf16_length(notes) > NOTES_MAX:
        # ASC-WDS counts UTF-16 units, as JavaScript does: an emoji counts as two.
        problems.append(
            Problem(
                "notes",
                f"Notes are {v.utf16_length(notes):,} characters long as ASC-WDS counts them "
                f"(an emoji counts as two); ASC-WDS takes at most {NOTES_MAX:,}.",
            )
        )
    elif notes:
        problems.append(v.text("notes", notes, "Notes", max_len=NOTES_MAX, multiline=True))
    return [p for p in problems if p is not None]


def _certificate(data: TrainingInput) -> tuple[str, str, bytes] | None:
    if data.certificate_path is None:
        return None
    return attachments.read_evidence_file(
        data.certificate_path, "certificate_path", attachments.CERTIFICATE_TYPES
    )


@requires(Permission.EDIT_WORKFORCE, "record training")
def add_record_in(
    s: Session,
    staff_id: int,
    data: TrainingInput,
    *,
    today: dt.date,
    certificate: tuple[str, str, bytes] | None = None,
) -> TrainingRecord:
    """Add a completion inside an open session (importers and sessions share this)."""
    member = s.get(StaffMember, staff_id)
    if member is None:
        raise ValidationError.single("staff_id", "That staff member is not on the register.")
    assert data.course_id is not None and data.completed_on is not None
    same = s.scalar(
        select(TrainingRecord).where(
            TrainingRecord.staff_id == staff_id,
            TrainingRecord.course_id == data.course_id,
            TrainingRecord.completed_on == data.completed_on,
        )
    )
    if same is not None:
        if same.archived_at is None:
            raise ValidationError.single(
                "completed_on",
                f"{member.first_name} {member.last_name} already has this course "
                f"recorded on {format_date(data.completed_on)}.",
            )
        same.archived_at = None  # it was removed by mistake: bring it back, updated
        record = same
    else:
        record = TrainingRecord(
            staff_id=staff_id, course_id=data.course_id, completed_on=data.completed_on
        )
        s.add(record)
    _apply(record, data)
    if certificate is not None:
        record.attachment_id = attachments.store(s, *certificate).id
    s.flush()
    return record


@requires(Permission.EDIT_WORKFORCE, "record training")
def add_records_in(
    s: Session,
    entries: Sequence[tuple[int, TrainingInput]],
    *,
    today: dt.date,
    checked: bool = False,
) -> int:
    """Add many completions (staff id, completion) inside an open session, checked as one by one
    but written in one statement (the demo's years of history). Returns how many were added.
    ``checked``: each completion has passed :func:`validate_training` in this session already
    and was matched against the completions on file (an import checks every row before it
    writes any), so it is not checked twice and only removed completions are read (to restore
    one); a completion on file twice is still refused, by the table's unique constraint.

    Raises:
        ValidationError: a completion is wrong; the message says whose.
    """
    s.flush()  # the reads below are Core queries (no ORM rows: 16,000 completions are read)
    conn = s.connection()
    staff = {
        sid: (first, last)
        for sid, first, last in conn.execute(
            select(StaffMember.id, StaffMember.first_name, StaffMember.last_name).where(
                StaffMember.id.in_({sid for sid, _ in entries})
            )
        )
    }
    courses = set(conn.scalars(select(Course.id)))
    keys = select(TrainingRecord.staff_id, TrainingRecord.course_id, TrainingRecord.completed_on)
    if checked:
        keys = keys.where(TrainingRecord.archived_at.is_not(None))
    existing = {(sid, cid, done) for sid, cid, done in conn.execute(keys).all()}
    # One list per column, not a dict per row (10,000 rows from an import).
    staff_ids: list[int] = []
    course_ids: list[int] = []
    completed: list[dt.date] = []
    expires: list[dt.date | None] = []
    providers: list[str] = []
    deliveries: list[str] = []
    accredited: list[str] = []
    notes: list[str] = []
    for sid, data in entries:
        member = staff.get(sid)
        if member is None:
            raise ValidationError.single("staff_id", "That staff member is not on the register.")
        problems = [] if checked else validate_training(s, data, today, courses=courses)
        if problems:
            who = f"{member[0]} {member[1]}: "
            raise ValidationError([Problem(p.field, who + p.message) for p in problems])
        assert data.course_id is not None and data.completed_on is not None
        key = (sid, data.course_id, data.completed_on)
        if key in existing:
            add_record_in(
                s, sid, data, today=today
            )  # refuses a duplicate, restores an archived one
            continue
        existing.add(key)
        staff_ids.append(sid)
        course_ids.append(data.course_id)
        completed.append(data.completed_on)
        expires.append(data.expires_on)
        providers.append(data.provider.strip())
        deliveries.append(data.delivery)
        accredited.append(data.accredited)
        notes.append(data.notes.strip())
    columns: dict[str, list[Any]] = {
        "staff_id": staff_ids,
        "course_id": course_ids,
        "completed_on": completed,
        "expires_on": expires,
        "provider": providers,
        "delivery": deliveries,
        "accredited": accredited,
        "notes": notes,
    }
    insert_columns_logged(s, TrainingRecord, columns)
    return len(entries)


def _apply(record: TrainingRecord, data: TrainingInput) -> None:
    assert data.course_id is not None and data.completed_on is not None
    record.course_id = data.course_id
    record.completed_on = data.completed_on
    record.expires_on = data.expires_on
    record.provider = data.provider.strip()
    record.delivery = data.delivery
    record.accredited = data.accredited
    record.notes = data.notes.strip()


@requires(Permission.EDIT_WORKFORCE, "record training")
def record_training(db: Database, staff_id: int, data: TrainingInput, *, today: dt.date) -> Changes:
    """Record that one person completed a course.

    Raises:
        ValidationError: a field or the certificate file is wrong; nothing is saved.
    """
    return record_session(db, [staff_id], data, today=today)


@requires(Permission.EDIT_WORKFORCE, "record training")
def record_session(
    db: Database, staff_ids: Iterable[int], data: TrainingInput, *, today: dt.date
) -> Changes:
    """Record one course completed by several people at once (a training session).

    All or nothing: if anyone cannot be recorded, nobody is, and the message says who.
    """
    day = today
    ids = list(dict.fromkeys(staff_ids))
    with db.session() as s:
        problems = validate_training(s, data, day)
        if not ids:
            problems.append(Problem("staff_ids", "Tick at least one person who attended."))
        if problems:
            raise ValidationError(problems)
        certificate = _certificate(data)
        created = [
            add_record_in(s, sid, data, today=day, certificate=certificate).id for sid in ids
        ]
        return Changes.of(TRAINING, ids=tuple(created))


@requires(Permission.EDIT_WORKFORCE, "change training records")
def update_record(
    db: Database,
    record_id: int,
    data: TrainingInput,
    *,
    expected_version: int,
    today: dt.date,
) -> Changes:
    """Correct a completion (date, expiry override, provider, certificate…)."""
    day = today
    certificate = _certificate(data)
    with db.session() as s:
        record = s.get(TrainingRecord, record_id)
        if record is None:
            raise ValidationError.single("id", "That training record no longer exists.")
        check_version(record, expected_version)
        v.raise_if(list(validate_training(s, data, day)))
        _apply(record, replace(data))
        if certificate is not None:
            record.attachment_id = attachments.store(s, *certificate).id
        s.flush()
        return Changes.of(TRAINING, ids=(record_id,))


@requires(Permission.EDIT_WORKFORCE, "archive training records")
def archive_record(db: Database, record_id: int, *, expected_version: int) -> Changes:
    """Remove a completion entered by mistake (it stays in the change log)."""
    with db.session() as s:
        record = s.get(TrainingRecord, record_id)
        if record is None:
            raise ValidationError.single("id", "That training record no longer exists.")
        check_version(record, expected_version)
        record.archived_at = utcnow()
        return Changes.of(TRAINING, ids=(record_id,))


@requires(Permission.EDIT_WORKFORCE, "record the Care Certificate")
def save_care_certificate(
    db: Database,
    staff_id: int,
    entries: dict[int, dt.date | None],
    assessor: str = "",
    *,
    expected_versions: Mapping[int, int | None],
    today: dt.date,
) -> Changes:
    """Save a new starter's Care Certificate standards in one go (None clears a standard).

    ``expected_versions``: standard -> the version shown when the form opened (None: it was not
    recorded then).
    """
    with db.session() as s:
        save_care_certificate_in(
            s, staff_id, entries, assessor, expected_versions=expected_versions, today=today
        )
        return Changes.of(TRAINING, ids=(staff_id,))


@requires(Permission.EDIT_WORKFORCE, "record the Care Certificate")
def save_care_certificate_in(
    s: Session,
    staff_id: int,
    entries: dict[int, dt.date | None],
    assessor: str = "",
    *,
    expected_versions: Mapping[int, int | None],
    today: dt.date,
) -> None:
    """Save Care Certificate standards inside an open session."""
    problems: list[Problem | None] = []
    for number, when in entries.items():
        if not 1 <= number <= CARE_CERTIFICATE_STANDARDS:
            problems.append(Problem(f"standard_{number}", "Standards are numbered 1 to 16."))
        problems.append(
            v.not_in_future(f"standard_{number}", when, today, f"Standard {number} completion date")
        )
    v.raise_if(problems)
    if s.get(StaffMember, staff_id) is None:
        raise ValidationError.single("staff_id", "That staff member is not on the register.")
    rows = {
        r.standard: r
        for r in s.scalars(
            select(CareCertificateStandard).where(CareCertificateStandard.staff_id == staff_id)
        )
    }
    for number in entries:
        _check_standard(rows.get(number), expected_versions.get(number))
    for number, when in entries.items():
        row = rows.get(number)
        if when is None:
            if row is not None:
                s.delete(row)
            continue
        if row is None:
            row = CareCertificateStandard(
                staff_id=staff_id, standard=number, completed_on=when, assessor=assessor.strip()
            )
            s.add(row)
        elif row.completed_on != when:
            row.completed_on = when
            row.assessor = assessor.strip() or row.assessor
    s.flush()


@requires(Permission.EDIT_WORKFORCE, "record the Care Certificate")
def record_care_certificate(
    db: Database,
    staff_id: int,
    standard: int,
    completed_on: dt.date | None,
    assessor: str = "",
    notes: str = "",
    *,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Record (or, with no date, clear) one Care Certificate standard for a new starter."""
    day = today
    if not 1 <= standard <= CARE_CERTIFICATE_STANDARDS:
        raise ValidationError.single("standard", "Care Certificate standards are numbered 1 to 16.")
    v.raise_if([v.not_in_future("completed_on", completed_on, day, "Completion date")])
    with db.session() as s:
        member = s.get(StaffMember, staff_id)
        if member is None:
            raise ValidationError.single("staff_id", "That staff member is not on the register.")
        v.raise_if(
            [
                v.not_before(
                    "completed_on",
                    completed_on,
                    member.start_date - dt.timedelta(days=365),
                    "Completion date",
                    "a year before they started",
                )
            ]
        )
        row = s.scalar(
            select(CareCertificateStandard).where(
                CareCertificateStandard.staff_id == staff_id,
                CareCertificateStandard.standard == standard,
            )
        )
        _check_standard(row, expected_version)
        if completed_on is None:
            if row is not None:
                s.delete(row)
            return Changes.of(TRAINING, ids=(staff_id,))
        if row is None:
            row = CareCertificateStandard(
                staff_id=staff_id, standard=standard, completed_on=completed_on
            )
            s.add(row)
        row.completed_on = completed_on
        row.assessor = assessor.strip()
        row.notes = notes.strip()
        return Changes.of(TRAINING, ids=(staff_id,))


def _check_standard(row: CareCertificateStandard | None, seen: int | None) -> None:
    """Refuse to overwrite a standard someone recorded, changed or cleared since it was shown."""
    if row is None:
        if seen is not None:
            raise ConflictError(
                "Changed by someone else — reload to see their changes.",
                RELOAD_ADVICE,
            )
        return
    if seen is None:
        raise conflict(row)
    check_version(row, seen)
