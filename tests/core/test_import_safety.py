"""Imports never damage what is saved: no silent overwrites, no blanked fields, conflicts held
back with both sides shown, every update listed field by field."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from provider_desk.areas.complaints.imports import import_complaints
from provider_desk.areas.complaints.services import ComplaintInput, save_complaint
from provider_desk.areas.models import Complaint, Person, StaffMember
from provider_desk.areas.people.imports import import_people
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.supervision.imports import import_supervisions
from provider_desk.areas.supervision.services import SupervisionInput, record_supervision
from provider_desk.areas.training.imports import import_training
from provider_desk.cli import main
from provider_desk.db.session import Database
from provider_desk.demo import generate
from provider_desk.errors import ValidationError
from provider_desk.rules.dates import format_date
from tests.conftest import TODAY, new_staff
from tests.core.importing import change_log_length, dump


@pytest.fixture
def demo(db: Database) -> Iterator[Database]:
    """The demo provider, as a new user would try it."""
    generate(db, today=TODAY)
    yield db


def _person(db: Database, reference: str) -> Person:
    with db.reading() as s:
        person = s.scalar(select(Person).where(Person.reference == reference))
        assert person is not None
        return person


def test_someone_elses_nhs_number_is_a_conflict_and_changes_nothing(
    demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    p4 = _person(demo, "P-0004")
    assert p4.nhs_number and p4.address and p4.next_of_kin
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "First name,Last name,Date of birth,NHS number,Start date\n"
        f"Zed,Qu,01/02/1950,{p4.nhs_number},01/03/2026\n",
        encoding="utf-8",
    )
    before, log = dump(demo), change_log_length(demo)
    report = import_people(demo, sheet, today=TODAY)
    assert (report.imported, report.updated, report.unchanged) == (0, 0, 0)
    (conflict,) = report.conflicts
    assert conflict.where == "line 2"
    assert conflict.saved.startswith(f"P-0004: {p4.first_name} {p4.last_name}")
    assert conflict.in_file == "Zed Qu, born 1 Feb 1950"
    assert {d.field: (d.old, d.new) for d in conflict.differences} == {
        "first_name": (p4.first_name, "Zed"),
        "last_name": (p4.last_name, "Qu"),
        "date_of_birth": (format_date(p4.date_of_birth), "1 Feb 1950"),
    }
    assert dump(demo) == before and change_log_length(demo) == log
    # The command line says the same, in words and in JSON, and applies nothing either.
    demo.dispose()
    args = ["import", "people", str(sheet), "--database", str(db_path)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Imported 0 new, 0 updated, 0 unchanged; 1 conflict, 0 rows not imported." in out
    assert "Conflicts (never applied):" in out and "in file: Zed Qu, born 1 Feb 1950" in out
    assert main([*args, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["conflicts"][0]["differences"][0] == {
        "field": "first_name",
        "label": "First name",
        "saved": p4.first_name,
        "in_file": "Zed",
    }
    assert dump(demo) == before


def test_a_file_with_some_columns_updates_only_those_listed_field_by_field(
    demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    p4 = _person(demo, "P-0004")
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        f"NHS number,Preferred name,Postcode,Notes\n{p4.nhs_number},Em,,\n", encoding="utf-8"
    )
    before = dump(demo)
    report = import_people(demo, sheet, today=TODAY)
    assert (report.imported, report.updated, report.conflicts) == (0, 1, [])
    (update,) = report.updates
    assert update.record.startswith("P-0004")
    assert [(c.field, c.old, c.new) for c in update.changes] == [
        ("preferred_name", "(blank)", "Em")
    ]
    after = _person(demo, "P-0004")
    assert after.preferred_name == "Em"
    kept = ("first_name", "last_name", "date_of_birth", "address", "postcode", "notes",
            "next_of_kin", "power_of_attorney", "start_date", "funding", "status")  # fmt: skip
    for name in kept:
        assert getattr(after, name) == getattr(p4, name), name
    changed = {t for t in before if before[t] != dump(demo)[t]}
    assert changed == {"person", "change_log"}
    # Importing it again changes nothing; with "empty cells clear fields" the postcode and notes
    # are cleared, and the preview says so first.
    assert import_people(demo, sheet, today=TODAY).unchanged == 1
    demo.dispose()
    args = ["import", "people", str(sheet), "--database", str(db_path), "--clear-empty"]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"Postcode: {p4.postcode} -> (blank)" in out and "Would change:" in out
    assert _person(demo, "P-0004").postcode == p4.postcode
    assert main(args) == 0
    assert (_person(demo, "P-0004").postcode, _person(demo, "P-0004").notes) == ("", "")
    assert _person(demo, "P-0004").address == p4.address


def test_a_reference_and_an_nhs_number_of_two_people_is_a_conflict(
    demo: Database, tmp_path: Path
) -> None:
    p4, p5 = _person(demo, "P-0004"), _person(demo, "P-0005")
    sheet = tmp_path / "people.csv"
    sheet.write_text(f"Reference,NHS number\nP-0004,{p5.nhs_number}\n", encoding="utf-8")
    before = dump(demo)
    report = import_people(demo, sheet, today=TODAY)
    (conflict,) = report.conflicts
    assert "P-0004" in conflict.reason and p5.last_name in conflict.reason
    assert p4.last_name in conflict.saved
    assert dump(demo) == before


def test_staff_worker_id_of_someone_else_is_a_conflict(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith", team="North", notes="Drives", asc_wds_worker_id="W1")
    path = tmp_path / "staff.csv"
    path.write_text("Name,Worker ID,Team\nZed Qu,W1,South\nAMY  SMITH,W1,\n", encoding="utf-8")
    before = dump(db)
    report = import_staff(db, path, today=TODAY)
    (conflict,) = report.conflicts
    assert conflict.where == "line 2" and conflict.in_file == "Zed Qu (ASC-WDS W1)"
    assert "Amy Smith" in conflict.saved
    # The second row is Amy (case and spacing aside); her empty team cell changes nothing.
    assert (report.updated, report.unchanged) == (0, 1)
    assert dump(db) == before
    (amy,) = list_staff(db)
    assert (amy.first_name, amy.team, amy.notes) == ("Amy", "North", "Drives")


def test_staff_update_lists_each_field_and_the_line_manager(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Joanna", "Whitfield")
    new_staff(db, "Amy", "Smith", team="North", asc_wds_worker_id="W1")
    path = tmp_path / "staff.csv"
    path.write_text(
        "Worker ID,Team,Contract,Line manager,DBS number\nW1,South,Bank,Joanna Whitfield,"
        "0012 3456 7890\n",
        encoding="utf-8",
    )
    report = import_staff(db, path, today=TODAY)
    assert (report.imported, report.updated, report.unchanged) == (0, 1, 0)
    changes = [(u.record, c.label, c.old, c.new) for u in report.updates for c in u.changes]
    assert changes == [
        ("Amy Smith (ASC-WDS W1)", "Team", "North", "South"),
        ("Amy Smith (ASC-WDS W1)", "Contract type", "permanent", "bank"),
        ("Amy Smith (ASC-WDS W1)", "Line manager", "(blank)", "Joanna Whitfield"),
        ("Amy Smith: DBS check", "DBS certificate number", "(blank)", "001234567890"),
    ]
    amy = next(r for r in list_staff(db) if r.first_name == "Amy")
    assert (amy.team, amy.contract_type, amy.line_manager) == ("South", "bank", "Joanna Whitfield")


def test_leaving_date_column_alone_makes_a_leaver_and_says_so(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    path = tmp_path / "staff.csv"
    path.write_text("Worker ID,Leaving date\nW1,01/11/2026\n", encoding="utf-8")
    report = import_staff(db, path, today=TODAY)
    assert [(c.label, c.new) for c in report.updates[0].changes] == [
        ("Leaving date", "1 Nov 2026"),
        ("Status", "left"),
    ]


def test_complaints_by_reference_update_and_conflict(db: Database, tmp_path: Path) -> None:
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 10, 1), "Mrs Brown", "Late visits", channel="email"),
        today=TODAY,
        expected_version=None,
    )
    with db.reading() as s:
        ref = s.scalars(select(Complaint.reference)).one()
    path = tmp_path / "log.csv"
    path.write_text(
        "Reference,Received on,Complainant,Acknowledged on,Summary\n"
        f"{ref},01/10/2026,Mrs Brown,03/10/2026,\n"
        f"{ref},02/10/2026,Mr Green,03/10/2026,Rude carer\n",
        encoding="utf-8",
    )
    report = import_complaints(db, path, today=TODAY)
    assert report.updated == 1 and len(report.conflicts) == 1
    assert [(c.field, c.old, c.new) for c in report.updates[0].changes] == [
        ("acknowledged_on", "(blank)", "3 Oct 2026")
    ]
    assert "Mrs Brown" in report.conflicts[0].saved and "Mr Green" in report.conflicts[0].in_file
    with db.reading() as s:
        complaint = s.scalars(select(Complaint)).one()
        assert (complaint.summary, complaint.channel) == ("Late visits", "email")
        assert complaint.acknowledged_on == dt.date(2026, 10, 3)


def test_a_session_with_another_supervisor_is_a_conflict(db: Database, tmp_path: Path) -> None:
    boss = new_staff(db, "Joanna", "Whitfield")
    other = new_staff(db, "Ken", "Patel")
    amy = new_staff(db, "Amy", "Smith")
    record_supervision(
        db, SupervisionInput(amy, boss, "supervision", dt.date(2026, 10, 5)), today=TODAY
    )
    path = tmp_path / "log.csv"
    path.write_text(
        "Worker,Supervisor,Date\nAmy Smith,Ken Patel,05/10/2026\nAmy Smith,Joanna Whitfield,"
        "05/10/2026\n",
        encoding="utf-8",
    )
    before = dump(db)
    report = import_supervisions(db, path, today=TODAY)
    assert len(report.conflicts) == 1 and report.unchanged == 1
    assert [(d.old, d.new) for d in report.conflicts[0].differences] == [
        ("Joanna Whitfield", "Ken Patel")
    ]
    assert dump(db) == before
    assert other


def test_training_worker_id_of_someone_else_is_a_conflict(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    path = tmp_path / "t.csv"
    path.write_text(
        "Learner,Worker ID,Course,Completed\nZed Qu,W1,Fire safety,02/11/2026\n",
        encoding="utf-8",
    )
    before = dump(db)
    report = import_training(db, path, today=TODAY)
    assert report.imported == 0 and "belongs to Amy Smith, not Zed Qu" in report.conflicts[0].reason
    assert dump(db) == before


def test_training_goes_through_the_shared_merge_and_lists_a_conflicts_differences(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Training declares its record kind (append-only: person, course, date completed) and is
    merged as every other import is: each row planned, duplicates left, conflicts with both
    sides and what differs."""
    from provider_desk.areas.training.imports import training_kind

    new_staff(db, "Amy", "Smith", asc_wds_worker_id="W1")
    path = tmp_path / "t.csv"
    path.write_text(
        "Learner,Worker ID,Course,Completed\nZed Qu,W1,Fire safety,02/11/2026\n"
        "Amy Smith,W1,Fire safety,01/11/2026\nAmy Smith,W1,Fire safety,01/11/2026\n",
        encoding="utf-8",
    )
    assert main(["import", "training", str(path), "--database", str(db_file(db)), "--json",
                 "--today", "23/11/2026"]) == 0  # fmt: skip
    result = json.loads(capsys.readouterr().out)
    assert result["conflicts"][0]["differences"] == [
        {"field": "name", "label": "Name", "saved": "Amy Smith", "in_file": "Zed Qu"}
    ]
    assert (result["imported"], result["unchanged"]) == (1, 1)  # the second is a duplicate
    again = import_training(db, path, today=TODAY, dry_run=True)
    assert [(p.where, p.action) for p in again.planned] == [
        ("line 3", "unchanged"),
        ("line 4", "unchanged"),
    ]
    with db.reading() as s:
        from provider_desk.areas.training.imports import CourseMatcher

        kind = training_kind(s, TODAY, {}, CourseMatcher(s))
    assert kind.append_only and kind.keys == (("staff_id", "course_id", "completed_on"),)


def db_file(db: Database) -> str:
    """The SQLite file behind ``db``."""
    from provider_desk.db.engine import sqlite_path

    path = sqlite_path(db.url)
    assert path is not None
    return str(path)


def test_a_confirmed_preview_that_no_longer_matches_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("Name,Job role,Start date\nAmy Smith,Care worker,01/02/2024\n")
    preview = import_staff(db, path, today=TODAY, dry_run=True)
    path.write_text("Name,Job role,Start date\nBob Jones,Care worker,01/02/2024\n")
    with pytest.raises(ValidationError) as info:
        import_staff(db, path, today=TODAY, confirmed=preview.plan_digest())
    assert "changed after the preview" in info.value.message
    assert list_staff(db, include_left=True) == []
    path.write_text("Name,Job role,Start date\nAmy Smith,Care worker,01/02/2024\n")
    done = import_staff(db, path, today=TODAY, confirmed=preview.plan_digest())
    assert done.imported == 1


def test_identity_is_never_rewritten_by_an_import(db: Database, tmp_path: Path) -> None:
    new_staff(db, "Zoë", "Brown", asc_wds_worker_id="W1")
    path = tmp_path / "staff.csv"
    path.write_text("Name,Worker ID,Team\nZOE BROWN,W1,East\n", encoding="utf-8")
    report = import_staff(db, path, today=TODAY)
    assert [(c.field, c.new) for c in report.updates[0].changes] == [("team", "East")]
    with db.reading() as s:
        member = s.scalars(select(StaffMember)).one()
        assert (member.first_name, member.last_name) == ("Zoë", "Brown")


def test_a_different_reference_on_a_matched_person_is_a_conflict(
    demo: Database, tmp_path: Path
) -> None:
    p4 = _person(demo, "P-0004")
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "Reference,NHS number,First name,Last name\n"
        f"SU-77,{p4.nhs_number},{p4.first_name},{p4.last_name}\n",
        encoding="utf-8",
    )
    before = dump(demo)
    report = import_people(demo, sheet, today=TODAY)
    (conflict,) = report.conflicts
    assert [(d.field, d.old, d.new) for d in conflict.differences] == [
        ("reference", "P-0004", "SU-77")
    ]
    assert report.updated == 0 and dump(demo) == before


def test_complaints_keep_their_references(db: Database, tmp_path: Path) -> None:
    """A complaint matched by date, complainant and summary with another reference is a
    conflict; a new one keeps the file's reference if it is usable (checked as the form
    checks text), and generated references skip any the file used."""
    save_complaint(
        db,
        ComplaintInput(dt.date(2026, 10, 1), "Mrs Brown", "Late visits"),
        today=TODAY,
        expected_version=None,
    )
    path = tmp_path / "log.csv"
    path.write_text(
        "Reference,Received on,Complainant,Summary\n"
        "OLD-9,01/10/2026,Mrs Brown,Late visits\n"
        "OLD-17,01/11/2026,Mr X,Late visit\n"
        "CMP-2026-003,02/11/2026,Ms Y,Missed call\n"
        "OLD\x0018,03/11/2026,Mr Z,Rude\n"
        ",04/11/2026,Mrs W,Cold tea\n",
        encoding="utf-8",
    )
    report = import_complaints(db, path, today=TODAY)
    (conflict,) = report.conflicts
    assert conflict.where == "line 2"
    assert [(d.field, d.old, d.new) for d in conflict.differences] == [
        ("reference", "CMP-2026-001", "OLD-9")
    ]
    assert [s.where for s in report.skipped] == ["line 5"]
    assert "invisible character" in report.skipped[0].reason
    assert [(p.where, p.name.split(":")[0]) for p in report.planned] == [
        ("line 3", "OLD-17"),
        ("line 4", "CMP-2026-003"),
        ("line 6", "CMP-2026-004"),  # 003 is taken: the next one free
    ]
    with db.reading() as s:
        refs = set(s.scalars(select(Complaint.reference)))
    assert refs == {"CMP-2026-001", "OLD-17", "CMP-2026-003", "CMP-2026-004"}


def test_an_import_pauses_automatic_garbage_collection_and_restores_it(
    db: Database, tmp_path: Path
) -> None:
    import gc

    from provider_desk.tabular.records import import_session
    from provider_desk.tabular.report import ImportReport

    assert gc.isenabled()
    with import_session(db, ImportReport(dry_run=True), dry_run=True):
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()  # as the app runs: it stays off
    try:
        with import_session(db, ImportReport(dry_run=True), dry_run=True):
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_a_paused_block_made_is_not_walked_young_but_its_cycles_are_still_freed() -> None:
    """After an import, the first young collection does not walk all it made (10,000 rows'
    objects): they count as long-lived. A reference cycle made in the block is still freed by
    the next full collection."""
    import gc
    import weakref

    from provider_desk.collection import collection_paused

    class Node:
        other: object = None

    was = gc.isenabled()
    gc.enable()
    try:
        with collection_paused():
            assert not gc.isenabled()
            kept = [[n] for n in range(50_000)]
            a, b = Node(), Node()
            a.other, b.other = b, a  # a cycle only the collector frees
            gone = weakref.ref(a)
            del a, b
        assert gc.isenabled()
        assert gc.get_count()[0] < 1_000  # not 50,000 young objects to walk
        assert gone() is not None
        gc.collect()
        assert gone() is None and len(kept) == 50_000
    finally:
        if not was:
            gc.disable()
