"""Saves never overwrite or collide: the version check, the reference counter, SQLite's write
lock, the migration lock and integrity errors in the user's words."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from provider_desk.areas.complaints.models import Complaint
from provider_desk.areas.complaints.queries import list_complaints
from provider_desk.areas.complaints.services import (
    ComplaintInput,
    archive_complaint,
    save_complaint,
)
from provider_desk.areas.people.queries import list_people
from provider_desk.areas.people.services import PersonInput, save_person
from provider_desk.areas.staff.queries import list_staff, staff_checks
from provider_desk.areas.staff.services import CheckInput, StaffInput, record_check, update_staff
from provider_desk.areas.training.queries import care_certificate
from provider_desk.areas.training.services import record_care_certificate, save_care_certificate
from provider_desk.db import migrate
from provider_desk.db.engine import make_engine
from provider_desk.db.references import next_number, note_used
from provider_desk.db.session import Database
from provider_desk.db.versions import changed_by_message
from provider_desk.errors import ConflictError, IntegrityBug, StorageError
from provider_desk.models.counter import ReferenceCounter
from provider_desk.settings.queries import get_settings
from provider_desk.settings.services import SettingsInput, update_settings
from tests.conftest import TODAY, new_staff, role_id, version_of

# ----------------------------------------------------------------------------- the message


def test_changed_by_says_who_and_when_in_local_time() -> None:
    when = dt.datetime(2026, 12, 2, 9, 15).astimezone()  # a local time on this PC
    same_day = dt.datetime(2026, 12, 2, 16, 0).astimezone()
    next_day = dt.datetime(2026, 12, 3, 8, 0).astimezone()
    utc = when.astimezone(dt.UTC)  # stored in UTC: shown in local time
    assert changed_by_message("Jo Bloggs", utc, now=same_day) == (
        "Changed by Jo Bloggs at 09:15 — reload to see their changes."
    )
    assert changed_by_message("Jo Bloggs", utc, now=next_day) == (
        "Changed by Jo Bloggs at 09:15 on 2 Dec 2026 — reload to see their changes."
    )


# ----------------------------------------------------------------------------- stale saves


@pytest.fixture
def pc2(db: Database) -> Database:
    """The same database opened on a second office PC, by another user."""
    other = Database(db.url, user="pc2.user")
    yield other  # type: ignore[misc]
    other.dispose()


def _amy(team: str, db: Database) -> StaffInput:
    return StaffInput("Amy", "Smith", role_id(db), dt.date(2024, 1, 8), team=team)


def test_a_stale_staff_save_is_refused_with_who_and_when(db: Database, pc2: Database) -> None:
    amy = new_staff(db)
    (opened,) = list_staff(pc2)  # PC 2 opens the form
    update_staff(db, amy, _amy("North", db), expected_version=opened.version, today=TODAY)
    with pytest.raises(ConflictError) as info:
        update_staff(pc2, amy, _amy("South", db), expected_version=opened.version, today=TODAY)
    message = info.value.args[0]
    assert message.startswith("Changed by test.manager at ")
    assert message.endswith(" — reload to see their changes.")
    assert "still in the form" in info.value.advice
    assert list_staff(db)[0].team == "North"  # nothing was overwritten


def test_settings_archives_and_checks_refuse_stale_saves(db: Database, pc2: Database) -> None:
    seen = get_settings(pc2).version
    update_settings(db, SettingsInput("Meadowbank"), expected_version=seen)
    with pytest.raises(ConflictError, match=r"^Changed by test\.manager"):
        update_settings(pc2, SettingsInput("Someone else"), expected_version=seen)
    assert get_settings(db).provider_name == "Meadowbank"

    cid = save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 2), "Mrs Brown", "Late visits"),
        today=TODAY,
        expected_version=None,
    ).ids[0]
    opened = list_complaints(pc2, TODAY)[0].version
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 2), "Mrs Brown", "Late visits", severity="high"),
        cid,
        expected_version=opened,
        today=TODAY,
    )
    with pytest.raises(ConflictError):
        archive_complaint(pc2, cid, expected_version=opened)
    assert list_complaints(db, TODAY)[0].severity == "high"

    amy = new_staff(db)
    dbs = next(c for c in staff_checks(pc2, amy) if c.kind == "identity")
    record_check(db, amy, "identity", CheckInput("received", TODAY), expected_version=dbs.version,
                 today=TODAY)  # fmt: skip
    with pytest.raises(ConflictError):
        record_check(
            pc2, amy, "identity", CheckInput("not applicable"), expected_version=dbs.version,
            today=TODAY,
        )  # fmt: skip
    assert next(c for c in staff_checks(db, amy) if c.kind == "identity").status == "received"


def test_a_care_certificate_form_never_overwrites_a_standard_saved_meanwhile(
    db: Database, pc2: Database
) -> None:
    amy = new_staff(db, start_date=dt.date(2026, 10, 1))
    opened = {r.number: r.version for r in care_certificate(pc2, amy)}  # nothing recorded
    record_care_certificate(db, amy, 3, dt.date(2026, 10, 9), expected_version=None, today=TODAY)
    with pytest.raises(ConflictError):
        save_care_certificate(
            pc2, amy, {3: None, 4: dt.date(2026, 10, 10)}, expected_versions=opened, today=TODAY
        )
    rows = {r.number: r.completed_on for r in care_certificate(db, amy)}
    assert rows[3] == dt.date(2026, 10, 9) and rows[4] is None


def test_changing_an_existing_record_without_its_version_is_a_bug(db: Database) -> None:
    cid = save_complaint(
        db,
        ComplaintInput(dt.date(2026, 11, 2), "Mrs Brown", "Late visits"),
        today=TODAY,
        expected_version=None,
    ).ids[0]
    with pytest.raises(TypeError, match="expected_version"):
        save_complaint(
            db,
            ComplaintInput(dt.date(2026, 11, 2), "Mrs Brown", "Late"),
            cid,
            today=TODAY,
            expected_version=None,
        )


def test_the_current_version_saves(db: Database) -> None:
    amy = new_staff(db)
    for team in ("North", "South", "East"):
        update_staff(
            db,
            amy,
            _amy(team, db),
            expected_version=version_of(db, "StaffMember", amy),
            today=TODAY,
        )
    (row,) = list_staff(db)
    assert (row.team, row.version) == ("East", 4)


# ----------------------------------------------------------------------------- references


def test_references_come_from_one_counter_per_series(db: Database) -> None:
    with db.session() as s:
        assert [next_number(s, "complaint-2026") for _ in range(3)] == [1, 2, 3]
        assert next_number(s, "complaint-2027") == 1
        note_used(s, "complaint-2026", 10)
        note_used(s, "complaint-2026", 4)  # lower: changes nothing
        assert next_number(s, "complaint-2026") == 11
    with db.session() as s:
        try:
            assert next_number(s, "person") == 1
            raise RuntimeError("the save fails")
        except RuntimeError:
            s.rollback()
    with db.session() as s:
        assert next_number(s, "person") == 1  # a failed save uses no number


def test_people_and_complaints_keep_their_formats(db: Database) -> None:
    save_person(
        db,
        None,
        PersonInput("Mary", "Brown", dt.date(2026, 1, 5)),
        today=TODAY,
        expected_version=None,
    )
    save_person(
        db,
        None,
        PersonInput("Ann", "Lee", dt.date(2026, 1, 5), reference="P-0007"),
        today=TODAY,
        expected_version=None,
    )
    save_person(
        db,
        None,
        PersonInput("Sam", "Hart", dt.date(2026, 1, 5)),
        today=TODAY,
        expected_version=None,
    )
    assert sorted(p.reference for p in list_people(db, TODAY)) == ["P-0001", "P-0007", "P-0008"]
    for day in (dt.date(2025, 12, 30), dt.date(2026, 1, 2), dt.date(2026, 1, 3)):
        save_complaint(
            db, ComplaintInput(day, "Mrs Brown", "Late"), today=TODAY, expected_version=None
        )
    refs = sorted(c.reference for c in list_complaints(db, TODAY))
    assert refs == ["CMP-2025-001", "CMP-2026-001", "CMP-2026-002"]


def test_two_pcs_creating_complaints_at_once_on_sqlite(db: Database) -> None:
    """Two office PCs each log 40 complaints at the same moment: every save lands, references
    are unique, and nobody sees "database is busy"."""
    pcs = [Database(db.url, user=f"pc{n}") for n in (1, 2)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def log(pc: Database) -> None:
        start.wait()
        for i in range(40):
            try:
                save_complaint(
                    pc,
                    ComplaintInput(TODAY, f"{pc.user} caller {i}", "Late visit"),
                    today=TODAY,
                    expected_version=None,
                )
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=log, args=(pc,)) for pc in pcs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for pc in pcs:
        pc.dispose()
    assert errors == []
    with db.reading() as s:
        refs = list(s.scalars(select(Complaint.reference)))
    assert len(refs) == 80 and len(set(refs)) == 80
    assert sorted(refs) == [f"CMP-2026-{n:03d}" for n in range(1, 81)]


def test_the_migration_seeds_the_counters_from_existing_references(db: Database) -> None:
    """A database from before the counter: the next references continue from the highest held."""
    from alembic import command

    for day, ref in ((TODAY, "CMP-2026-007"), (TODAY, "CMP-2026-003"), (TODAY, "OLD-9"),
                     (dt.date(2025, 3, 1), "CMP-2025-012")):  # fmt: skip
        save_complaint(
            db, ComplaintInput(day, "X", "Y", reference=ref), today=TODAY, expected_version=None
        )
    for ref in ("P-0012", "P-0003"):
        save_person(db, None, PersonInput("A", "B", dt.date(2026, 1, 5), reference=ref),
                    today=TODAY, expected_version=None)  # fmt: skip
    cfg = migrate.alembic_config()
    with migrate.migration_connection(db.engine) as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "c4d9e2a7b1f3")  # the schema before the counter
    migrate.upgrade(db.engine, backup=False)
    with db.reading() as s:
        counters = dict(s.execute(select(ReferenceCounter.name, ReferenceCounter.value)).all())
    assert counters == {"complaint-2026": 7, "complaint-2025": 12, "person": 12}
    save_complaint(
        db, ComplaintInput(TODAY, "Mrs Brown", "Late"), today=TODAY, expected_version=None
    )
    assert "CMP-2026-008" in {c.reference for c in list_complaints(db, TODAY)}


# ----------------------------------------------------------------------------- SQLite locking


def test_a_write_waits_for_another_pcs_save_instead_of_failing(db: Database) -> None:
    other = Database(db.url, user="pc2")
    holding = threading.Event()

    def long_save() -> None:
        with db.session() as s:
            s.execute(text("UPDATE organisation_settings SET address = 'held'"))
            holding.set()
            time.sleep(0.6)

    t = threading.Thread(target=long_save)
    t.start()
    holding.wait()
    assert get_settings(other).address == ""  # reads never wait for a writer
    started = time.monotonic()
    new_staff(other)  # waits for the lock, then saves
    waited = time.monotonic() - started
    t.join()
    other.dispose()
    assert waited > 0.3
    assert len(list_staff(db)) == 1 and get_settings(db).address == "held"


def test_a_write_session_takes_the_write_lock_at_once(db: Database, db_path: Path) -> None:
    with db.session():
        probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe.execute("BEGIN IMMEDIATE")
        probe.close()
    with db.reading() as s:
        s.execute(text("SELECT 1"))
        probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        probe.execute("BEGIN IMMEDIATE")  # a reader holds no write lock
        probe.execute("ROLLBACK")
        probe.close()


def test_two_pcs_starting_a_new_version_migrate_once(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    results = []
    start = threading.Barrier(2)

    def open_it() -> None:
        engine = make_engine(f"sqlite:///{path}")
        start.wait()
        results.append(migrate.upgrade(engine))
        engine.dispose()

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.upgraded for r in results) == [False, True]
    assert all(r.to_revision == migrate.head_revision() for r in results)


# ----------------------------------------------------------------------------- integrity errors


def test_a_duplicate_reference_is_a_conflict_to_try_again(db: Database) -> None:
    save_complaint(
        db, ComplaintInput(TODAY, "Mrs Brown", "Late"), today=TODAY, expected_version=None
    )
    with pytest.raises(ConflictError) as info, db.session() as s:
        # What a second PC's save looks like when it took the same reference at the same moment.
        s.add(
            Complaint(
                reference="CMP-2026-001", received_on=TODAY, complainant_name="X", summary="Y"
            )
        )
    assert info.value.args[0] == (
        "Someone saved the same reference or record at the same moment — try again."
    )
    assert "complaint.reference" in info.value.advice


def test_any_other_broken_rule_is_a_bug_naming_the_rule(db: Database) -> None:
    with pytest.raises(IntegrityBug) as info, db.session() as s:
        s.execute(text("INSERT INTO reference_counter (name, value) VALUES ('x', NULL)"))
    assert "reference_counter.value" in str(info.value)
    assert not isinstance(info.value, StorageError)
    assert "reported a problem" not in str(info.value)


def test_a_change_to_a_courses_roles_counts_as_a_change_to_the_course(
    db: Database, pc2: Database
) -> None:
    from provider_desk.areas.training.queries import list_courses
    from provider_desk.areas.training.services import CourseInput, save_course, set_required_roles

    course = next(c for c in list_courses(pc2) if c.name == "Fire safety")
    set_required_roles(db, course.id, [], expected_version=course.version)
    with pytest.raises(ConflictError):  # PC 2's form still shows the old roles
        save_course(
            pc2,
            CourseInput("Fire safety", 12, course.category_code),
            course.id,
            list(course.required_role_ids),
            expected_version=course.version,
        )
    assert next(c for c in list_courses(db) if c.name == "Fire safety").required_role_ids == set()
