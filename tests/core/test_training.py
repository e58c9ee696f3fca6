"""Training records, the catalogue and the matrix, on a real database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from provider_desk.areas.models import ChangeLogEntry
from provider_desk.areas.staff.services import record_leaver
from provider_desk.areas.training.queries import (
    care_certificate,
    list_courses,
    training_matrix,
    training_records,
)
from provider_desk.areas.training.rules import derived_expiry, training_status
from provider_desk.areas.training.services import (
    CourseInput,
    TrainingInput,
    archive_record,
    record_care_certificate,
    record_session,
    record_training,
    save_course,
    set_required_roles,
    update_record,
)
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.rules.due import Level
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import (
    TODAY,
    new_staff,
    role_id,
    settings_version,
    standard_versions,
    version_of,
)


def course_id(db: Database, name: str) -> int:
    return next(c.id for c in list_courses(db) if c.name == name)


def cell(db: Database, staff_id: int, course: str) -> object:
    m = training_matrix(db, TODAY)
    row = next(i for i, p in enumerate(m.people) if p.id == staff_id)
    col = next(i for i, c in enumerate(m.courses) if c.name == course)
    return m.cells[row][col]


def test_expiry_is_completion_plus_interval_less_a_day() -> None:
    assert derived_expiry(dt.date(2026, 1, 15), 12) == dt.date(2027, 1, 14)
    assert derived_expiry(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 27)
    assert derived_expiry(dt.date(2026, 1, 15), None) is None


@pytest.mark.parametrize(
    ("expires", "required", "expected"),
    [
        (TODAY + dt.timedelta(days=200), True, Level.IN_DATE),
        (TODAY + dt.timedelta(days=90), True, Level.DUE_SOON),
        (TODAY, True, Level.DUE_SOON),
        (TODAY - dt.timedelta(days=1), True, Level.OVERDUE),
        (None, True, Level.IN_DATE),
    ],
)
def test_status_from_expiry(expires: dt.date | None, required: bool, expected: Level) -> None:
    assert (
        training_status(
            required=required,
            completed_on=dt.date(2024, 1, 1),
            expires_on=expires,
            today=TODAY,
            due_soon_days=90,
        )
        == expected
    )


def test_missing_and_not_required_are_told_apart() -> None:
    kw = {"completed_on": None, "expires_on": None, "today": TODAY, "due_soon_days": 90}
    assert training_status(required=True, **kw) == Level.MISSING
    assert training_status(required=False, **kw) == Level.NOT_REQUIRED


def test_catalogue_is_seeded_with_categories_and_role_requirements(db: Database) -> None:
    courses = {c.name: c for c in list_courses(db)}
    assert courses["Moving and handling people"].refresher_months == 12
    assert courses["Moving and handling people"].category_code == 15
    assert courses["Infection prevention and control"].interval_text == "Every 3 years"
    assert courses["Care Certificate"].interval_text == "Does not expire"
    # Medication competency is a supervision kind, not also a course (one place, see why).
    assert "Medication competency assessment" not in courses
    assert role_id(db, "Care worker") in courses["Oliver McGowan Tier 2"].required_role_ids
    assert role_id(db, "Administrative") in courses["Oliver McGowan Tier 1"].required_role_ids
    assert role_id(db, "Administrative") not in courses["Oliver McGowan Tier 2"].required_role_ids
    assert "M&H" in courses["Moving and handling people"].aliases


def test_record_and_matrix_status(db: Database) -> None:
    amy = new_staff(db)
    mh = course_id(db, "Moving and handling people")
    record_training(
        db,
        amy,
        TrainingInput(mh, dt.date(2026, 1, 10), provider="Acme Training", delivery="face to face"),
        today=TODAY,
    )
    c = cell(db, amy, "Moving and handling people")
    assert (c.status, c.expires_on) == (Level.DUE_SOON, dt.date(2027, 1, 9))
    assert cell(db, amy, "Fire safety").status == Level.MISSING
    m = training_matrix(db, TODAY)
    assert m.person_compliance(0).compliant == 1
    assert 0 < m.overall().percent < 10  # type: ignore[operator]


def test_changing_an_interval_changes_every_status(db: Database) -> None:
    amy = new_staff(db)
    mh = course_id(db, "Moving and handling people")
    record_training(db, amy, TrainingInput(mh, dt.date(2026, 1, 10)), today=TODAY)
    assert cell(db, amy, "Moving and handling people").status == Level.DUE_SOON
    with pytest.raises(ValidationError):  # a second course of the same name
        save_course(db, CourseInput("moving and handling people", 6, 15), expected_version=None)
    save_course(
        db,
        CourseInput("Moving and handling people", 6, 15),
        mh,
        expected_version=version_of(db, "Course", mh),
    )
    assert cell(db, amy, "Moving and handling people").status == Level.OVERDUE
    save_course(
        db,
        CourseInput("Moving and handling people", 36, 15),
        mh,
        expected_version=version_of(db, "Course", mh),
    )
    assert cell(db, amy, "Moving and handling people").status == Level.IN_DATE


def test_override_expiry_and_latest_completion_counts(db: Database) -> None:
    amy = new_staff(db)
    fire = course_id(db, "Fire safety")
    record_training(db, amy, TrainingInput(fire, dt.date(2024, 3, 1)), today=TODAY)
    record_training(
        db,
        amy,
        TrainingInput(fire, dt.date(2026, 3, 1), expires_on=dt.date(2028, 3, 1)),
        today=TODAY,
    )
    c = cell(db, amy, "Fire safety")
    assert (c.completed_on, c.expires_on, c.status) == (
        dt.date(2026, 3, 1),
        dt.date(2028, 3, 1),
        Level.IN_DATE,
    )
    history = training_records(db, staff_id=amy, course_id=fire)
    assert [h.completed_on for h in history] == [dt.date(2026, 3, 1), dt.date(2024, 3, 1)]
    assert history[0].expiry_overridden and not history[1].expiry_overridden
    archive_record(
        db, history[0].id, expected_version=version_of(db, "TrainingRecord", history[0].id)
    )
    assert cell(db, amy, "Fire safety").status == Level.OVERDUE


def test_every_matrix_cell_follows_the_records_and_the_status_rule(db: Database) -> None:
    """The matrix works each distinct completion out once and shares it between cells: every
    cell must still be what the person's latest record and the one rule say, whether the role
    requires the course or not, the interval is the same or not, or the expiry was set by hand."""
    carer = new_staff(db)
    office = new_staff(db, "Olu", "Adeyemi", job_role_id=role_id(db, "Administrative"))
    same_day, older = TODAY - dt.timedelta(days=340), TODAY - dt.timedelta(days=800)
    done = {
        "Moving and handling people": same_day,  # 12 months; not required for the office
        "Basic life support": same_day,  # the same interval and day as the one above
        "Moving and handling objects": same_day,  # 36 months, the same day
        "Care Certificate": older,  # never expires; carers only
        "Oliver McGowan Tier 1": older,  # the office only
        "First aid": same_day,  # no role requires it: not in the matrix
    }
    for person in (carer, office):
        for name, day in done.items():
            record_training(db, person, TrainingInput(course_id(db, name), day), today=TODAY)
    fire = course_id(db, "Fire safety")
    record_training(db, carer, TrainingInput(fire, older), today=TODAY)
    record_training(  # an expiry set by hand, due in five days
        db,
        carer,
        TrainingInput(fire, same_day, expires_on=TODAY + dt.timedelta(days=5)),
        today=TODAY,
    )
    record_training(db, office, TrainingInput(fire, older), today=TODAY)
    latest = training_records(db, staff_id=office, course_id=fire)[0]
    record_training(db, office, TrainingInput(fire, same_day), today=TODAY)
    newest = training_records(db, staff_id=office, course_id=fire)[0]
    archive_record(db, newest.id, expected_version=version_of(db, "TrainingRecord", newest.id))
    assert training_records(db, staff_id=office, course_id=fire)[0].id == latest.id

    m = training_matrix(db, TODAY)
    assert "First aid" not in [c.name for c in m.courses]
    levels = set()
    for i, person in enumerate(m.people):
        for k, course in enumerate(m.courses):
            required = person.job_role_id in course.required_role_ids
            records = training_records(db, staff_id=person.id, course_id=course.id)
            day = records[0].completed_on if records else None
            expires = records[0].expires_on if records else None
            status = training_status(
                required=required,
                completed_on=day,
                expires_on=expires,
                today=TODAY,
                due_soon_days=m.due_soon_days,
            )
            assert tuple(m.cells[i][k]) == (status, required, day, expires), (person, course)
            levels.add((status, required))
    # Every kind of cell was met: completed ones required or not, blank ones of both kinds.
    assert {(Level.IN_DATE, True), (Level.IN_DATE, False), (Level.DUE_SOON, True)} <= levels
    assert {(Level.OVERDUE, True), (Level.MISSING, True), (Level.NOT_REQUIRED, False)} <= levels


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (TrainingInput(None, dt.date(2026, 1, 1)), "course_id", "Choose the course"),
        (TrainingInput(9999, dt.date(2026, 1, 1)), "course_id", "not in the catalogue"),
        (TrainingInput(1, None), "completed_on", "Enter the date"),
        (TrainingInput(1, TODAY + dt.timedelta(days=1)), "completed_on", "in the future"),
        (
            TrainingInput(1, dt.date(2026, 1, 1), expires_on=dt.date(2025, 1, 1)),
            "expires_on",
            "must be after",
        ),
        (
            TrainingInput(1, dt.date(2026, 1, 1), delivery="pigeon"),
            "delivery",
            "Delivery is one of",
        ),
    ],
)
def test_bad_completions_are_refused(
    db: Database, data: TrainingInput, field: str, words: str
) -> None:
    amy = new_staff(db)
    with pytest.raises(ValidationError) as info:
        record_training(db, amy, data, today=TODAY)
    problem = next(p for p in info.value.problems if p.field == field)
    assert words in problem.message
    assert training_records(db) == []


def test_certificates_must_be_pdf_or_picture_and_small(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    amy = new_staff(db)
    fire = course_id(db, "Fire safety")
    doc = tmp_path / "cert.docx"
    doc.write_bytes(b"PK")
    with pytest.raises(ValidationError) as info:
        record_training(db, amy, TrainingInput(fire, TODAY, certificate_path=doc), today=TODAY)
    assert "PDF" in info.value.message and "DOCX" not in info.value.message
    monkeypatch.setattr("provider_desk.attachments.MAX_BYTES", 10)
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(b"%PDF-1.4 " + b"x" * 100)
    with pytest.raises(ValidationError) as info:
        record_training(db, amy, TrainingInput(fire, TODAY, certificate_path=pdf), today=TODAY)
    assert "limit" in info.value.message
    monkeypatch.setattr("provider_desk.attachments.MAX_BYTES", 10_000)
    record_training(db, amy, TrainingInput(fire, TODAY, certificate_path=pdf), today=TODAY)
    assert training_records(db)[0].certificate == "cert.pdf"


def test_session_is_all_or_nothing(db: Database) -> None:
    amy, bob = new_staff(db), new_staff(db, "Bob", "Jones")
    fire = course_id(db, "Fire safety")
    record_training(db, bob, TrainingInput(fire, dt.date(2026, 11, 2)), today=TODAY)
    with pytest.raises(ValidationError) as info:
        record_session(db, [amy, bob], TrainingInput(fire, dt.date(2026, 11, 2)), today=TODAY)
    assert "Bob Jones already has this course" in info.value.message
    assert len(training_records(db)) == 1
    changes = record_session(
        db, [amy, bob, amy], TrainingInput(fire, dt.date(2026, 11, 20)), today=TODAY
    )
    assert len(changes.ids) == 2
    assert len(training_records(db)) == 3


def test_leavers_drop_out_and_requirements_follow_roles(db: Database) -> None:
    amy, bob = new_staff(db), new_staff(db, "Bob", "Jones")
    record_leaver(
        db,
        bob,
        dt.date(2026, 11, 1),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", bob),
    )
    m = training_matrix(db, TODAY)
    assert [p.full_name for p in m.people] == ["Amy Smith"]
    dementia = course_id(db, "Dementia awareness")
    set_required_roles(db, dementia, [], expected_version=version_of(db, "Course", dementia))
    assert "Dementia awareness" not in [c.name for c in training_matrix(db, TODAY).courses]
    set_required_roles(
        db,
        dementia,
        [role_id(db, "Care worker")],
        expected_version=version_of(db, "Course", dementia),
    )
    assert cell(db, amy, "Dementia awareness").status == Level.MISSING


def test_due_soon_window_from_settings(db: Database) -> None:
    amy = new_staff(db)
    fire = course_id(db, "Fire safety")
    record_training(db, amy, TrainingInput(fire, dt.date(2026, 1, 1)), today=TODAY)
    assert cell(db, amy, "Fire safety").status == Level.DUE_SOON  # 31 Dec, 38 days
    update_settings(
        db, SettingsInput("Meadowbank", due_soon_days=30), expected_version=settings_version(db)
    )
    assert cell(db, amy, "Fire safety").status == Level.IN_DATE


def test_update_record_and_duplicate_date(db: Database) -> None:
    amy = new_staff(db)
    fire = course_id(db, "Fire safety")
    record_training(db, amy, TrainingInput(fire, dt.date(2026, 1, 1)), today=TODAY)
    rec = training_records(db)[0]
    update_record(
        db,
        rec.id,
        TrainingInput(fire, dt.date(2026, 1, 2), provider="In house"),
        expected_version=rec.version,
        today=TODAY,
    )
    assert training_records(db)[0].completed_on == dt.date(2026, 1, 2)
    with pytest.raises(ValidationError):
        record_training(db, amy, TrainingInput(fire, dt.date(2026, 1, 2)), today=TODAY)


def test_care_certificate_standards(db: Database) -> None:
    amy = new_staff(db, start_date=dt.date(2026, 10, 1))
    record_care_certificate(
        db,
        amy,
        1,
        dt.date(2026, 10, 8),
        "J. Whitfield",
        today=TODAY,
        expected_version=standard_versions(db, amy)[1],
    )
    record_care_certificate(
        db,
        amy,
        16,
        dt.date(2026, 10, 20),
        today=TODAY,
        expected_version=standard_versions(db, amy)[16],
    )
    rows = care_certificate(db, amy)
    assert len(rows) == 16 and rows[15].title == "Awareness of learning disability and autism"
    assert [r.number for r in rows if r.completed_on] == [1, 16]
    with pytest.raises(ValidationError):
        record_care_certificate(
            db, amy, 17, TODAY, today=TODAY, expected_version=standard_versions(db, amy).get(17)
        )
    with pytest.raises(ValidationError):
        record_care_certificate(
            db,
            amy,
            2,
            TODAY + dt.timedelta(days=1),
            today=TODAY,
            expected_version=standard_versions(db, amy)[2],
        )
    record_care_certificate(
        db, amy, 16, None, today=TODAY, expected_version=standard_versions(db, amy)[16]
    )  # cleared: entered by mistake
    assert [r.number for r in care_certificate(db, amy) if r.completed_on] == [1]
    with db.reading() as s:
        deleted = s.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "delete")).one()
    assert deleted.table_name == "care_certificate_standard"
    assert json.loads(deleted.changes)["standard"] == [16, None]


def test_notes_are_limited_as_asc_wds_counts_them(db: Database) -> None:
    """ASC-WDS counts UTF-16 units: 999 letters and one emoji are 1,001, one too many."""
    from provider_desk.areas.training.services import validate_training

    def problems(notes: str) -> list[str]:
        data = TrainingInput(
            course_id(db, "Fire safety"), TODAY - dt.timedelta(days=1), None, notes=notes
        )
        with db.reading() as s:
            found = validate_training(s, data, TODAY)
        return [p.message for p in found if p.field == "notes"]

    assert problems("a" * 998 + "🙂") == []  # 1,000 units
    (message,) = problems("a" * 999 + "🙂")
    assert "1,001" in message and "emoji counts as two" in message and "1,000" in message
    assert problems("  " + "a" * 1000 + "  ") == []  # surrounding spaces are not kept


def test_shipped_role_requirements_follow_the_guidance(db: Database) -> None:
    """regulation.md 3.1 (Skills for Care: required of all workers) and 3.4 (Oliver McGowan for
    everyone working for the regulated activity, one tier by role); each default says why."""
    from provider_desk.resources import load_json

    specs = load_json("training.json")["courses"]
    roles = {r["name"] for r in load_json("job_roles.json")["roles"]}
    assert all(spec["why"].strip() for spec in specs)
    assert all(set(spec["required_for"]) <= roles for spec in specs)
    courses = {c.name: c for c in list_courses(db)}
    everyone = {role_id(db, name) for name in roles}
    for name in (
        "Health and safety awareness",
        "Infection prevention and control",
        "Fire safety",
        "Moving and handling objects",
        "Safeguarding adults",
        "Safeguarding children",
    ):
        assert set(courses[name].required_role_ids) == everyone, name
    tier1 = set(courses["Oliver McGowan Tier 1"].required_role_ids)
    tier2 = set(courses["Oliver McGowan Tier 2"].required_role_ids)
    assert tier1 | tier2 == everyone and not tier1 & tier2
    for manager in ("Senior management", "Middle management", "First-line manager"):
        assert role_id(db, manager) in tier1
    # Medication competency is one supervision kind, not also a course.
    kinds = {k["kind"] for k in load_json("supervision.json")["kinds"]}
    assert "competency" in kinds
    assert not any(c.competency for c in courses.values())
