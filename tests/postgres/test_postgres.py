"""PostgreSQL is first-class: the same migrations, services and imports work on a real server,
and two office PCs editing the same record never silently overwrite each other."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.actions.services import ActionInput, raise_action
from provider_desk.areas.models import Base
from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.staff.queries import list_staff, staff_checks
from provider_desk.areas.staff.services import CheckInput, StaffInput, record_check, update_staff
from provider_desk.backup import backup_now
from provider_desk.db import migrate
from provider_desk.db.changelog import verify_chain
from provider_desk.db.session import Database
from provider_desk.errors import ConflictError, StorageError
from tests.conftest import TODAY, check_version_of, new_staff, role_id, version_of

pytestmark = pytest.mark.postgres


def test_migrates_and_matches_the_models(pg_url: str) -> None:
    db, result = open_database(pg_url)
    assert result.to_revision == migrate.head_revision()
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []
    db2, again = open_database(pg_url)
    assert not again.upgraded
    db2.dispose()
    db.dispose()


def test_staff_checks_actions_and_change_log(pg_url: str) -> None:
    db, _ = open_database(pg_url, user="office.pc1")
    staff_id = new_staff(db, team="North")
    record_check(
        db,
        staff_id,
        "dbs",
        CheckInput(
            "verified", TODAY, reference="001234567890", issued_on=TODAY, barred_list_checked=True
        ),
        today=TODAY,
        expected_version=check_version_of(db, staff_id, "dbs"),
    )
    raise_action(
        db, ActionInput("Chase reference", staff_id, TODAY + dt.timedelta(days=3)), today=TODAY
    )
    (row,) = list_staff(db)
    assert (row.full_name, row.missing_checks) == ("Amy Smith", 7)
    assert next(c for c in staff_checks(db, staff_id) if c.kind == "dbs").status == "verified"
    assert list_actions(db, TODAY)[0].owner == "Amy Smith"
    with db.reading() as s:
        assert verify_chain(s) is None
    db.dispose()


def test_two_pcs_editing_the_same_person_conflict(pg_url: str) -> None:
    pc1, _ = open_database(pg_url, user="pc1")
    pc2 = Database(pg_url, user="pc2")
    staff_id = new_staff(pc1)
    (seen,) = list_staff(pc2)
    data = StaffInput("Amy", "Smith", role_id(pc1), dt.date(2024, 1, 8))
    update_staff(
        pc1,
        staff_id,
        data.__class__(**{**data.__dict__, "team": "North"}),
        expected_version=seen.version,
        today=TODAY,
    )
    with pytest.raises(ConflictError):
        update_staff(
            pc2,
            staff_id,
            data.__class__(**{**data.__dict__, "team": "South"}),
            expected_version=seen.version,
            today=TODAY,
        )
    assert list_staff(pc2)[0].team == "North"
    pc1.dispose()
    pc2.dispose()


def test_import_rolls_back_bad_rows_alone_and_is_idempotent(pg_url: str, tmp_path: Path) -> None:
    db, _ = open_database(pg_url)
    path = tmp_path / "staff.csv"
    path.write_text(
        "Name,Role,Start date,Leaving date,Status\n"
        "Amy Smith,Care worker,01/02/2024,01/01/2024,left\n"
        "Bob Jones,Carer,01/02/2024,,\n",
        encoding="utf-8",
    )
    first = import_staff(db, path, today=TODAY)
    second = import_staff(db, path, today=TODAY)
    assert (first.imported, len(first.skipped)) == (1, 1)
    assert (second.imported, second.unchanged) == (0, 1)
    assert [r.full_name for r in list_staff(db, include_left=True)] == ["Bob Jones"]
    db.dispose()


def test_backup_now_explains_server_backups(pg_url: str, tmp_path: Path) -> None:
    db, _ = open_database(pg_url)
    with pytest.raises(StorageError) as info:
        backup_now(db, tmp_path / "copy.sqlite3")
    assert "on a server" in str(info.value)
    db.dispose()


def test_training_import_matrix_and_bulk_log(pg_url: str, tmp_path: Path) -> None:
    from provider_desk.areas.training.imports import import_training
    from provider_desk.areas.training.queries import training_matrix, training_records

    db, _ = open_database(pg_url)
    new_staff(db, "Amy", "Smith")
    path = tmp_path / "matrix.csv"
    path.write_text("Name,Fire,BLS,IPC\nAmy Smith,01/10/2026,Booked,02/10/2026\n", encoding="utf-8")
    first = import_training(db, path, today=TODAY)
    again = import_training(db, path, today=TODAY)
    assert (first.imported, len(first.skipped), again.imported, again.unchanged) == (2, 1, 0, 2)
    assert {r.course for r in training_records(db)} == {
        "Fire safety",
        "Infection prevention and control",
    }
    assert training_matrix(db, TODAY).overall().compliant == 2
    with db.reading() as s:
        assert verify_chain(s) is None
    db.dispose()


def test_supervision_with_actions(pg_url: str) -> None:
    from provider_desk.areas.supervision.queries import supervision_matrix
    from provider_desk.areas.supervision.services import (
        AgreedAction,
        SupervisionInput,
        record_supervision,
    )
    from provider_desk.rules.due import Level

    db, _ = open_database(pg_url)
    boss = new_staff(db, "Joanna", "Whitfield", start_date=dt.date(2020, 1, 1))
    amy = new_staff(db, "Amy", "Smith", start_date=dt.date(2025, 1, 6))
    record_supervision(
        db,
        SupervisionInput(
            amy,
            boss,
            "supervision",
            dt.date(2026, 10, 1),
            sections=(("Wellbeing and workload", "Fine"),),
            actions=(AgreedAction("Book training", boss, dt.date(2026, 12, 1)),),
        ),
        today=TODAY,
    )
    row = next(r for r in supervision_matrix(db, TODAY).rows if r.staff_id == amy)
    assert row.cells[0].status == Level.IN_DATE
    assert list_actions(db, TODAY)[0].source == "supervision"
    db.dispose()


def test_complaints_deadlines_and_timeline(pg_url: str) -> None:
    from provider_desk.areas.complaints.queries import complaint_timeline, list_complaints
    from provider_desk.areas.complaints.rules import ComplaintStatus
    from provider_desk.areas.complaints.services import ComplaintInput, save_complaint

    db, _ = open_database(pg_url)
    data = ComplaintInput(dt.date(2026, 12, 23), "Mrs Brown", "Late call")
    save_complaint(db, data, today=TODAY + dt.timedelta(days=40), expected_version=None)
    save_complaint(
        db,
        data.__class__(**{**data.__dict__, "complainant_name": "Mr Patel"}),
        today=TODAY + dt.timedelta(days=40),
        expected_version=None,
    )
    rows = list_complaints(db, TODAY + dt.timedelta(days=40))
    assert sorted(r.reference for r in rows) == ["CMP-2026-001", "CMP-2026-002"]
    assert rows[0].acknowledgement_due == dt.date(2026, 12, 30)
    assert rows[0].status == ComplaintStatus.ACK_OVERDUE
    assert [e.what for e in complaint_timeline(db, rows[0].id)] == ["Received (phone)"]
    db.dispose()


def test_audits_demo_revisions_and_two_pcs(pg_url: str) -> None:
    from provider_desk.areas.audits.queries import audit_calendar, audit_programme, list_audits
    from provider_desk.areas.audits.services import AuditInput, revise_audit, save_audit
    from provider_desk.demo import generate

    db, _ = open_database(pg_url)
    counts = generate(db, today=TODAY)
    audits = list_audits(db)
    assert len(audits) == counts["audits"] >= 20
    assert len(audit_programme(db, TODAY)) == 9 and audit_calendar(db, 2026, TODAY)
    finished = next(a for a in audits if a.locked and a.revision == 1)
    new_id = revise_audit(
        db,
        finished.id,
        "Scope was wrong",
        today=TODAY,
        expected_version=version_of(db, "AuditRun", finished.id),
    ).ids[0]
    other_pc, _ = open_database(pg_url)
    data = AuditInput(finished.template_id, finished.audited_on, finished.auditor_id)
    draft = next(a for a in list_audits(db) if a.id == new_id)
    save_audit(db, new_id, data, expected_version=draft.version, today=TODAY)
    with pytest.raises(ConflictError):
        save_audit(other_pc, new_id, data, expected_version=draft.version, today=TODAY)
    with db.reading() as s:
        assert verify_chain(s) is None
    other_pc.dispose()
    db.dispose()


def test_people_plans_two_pcs_and_import(pg_url: str, tmp_path: Path) -> None:
    from provider_desk.areas.people.imports import import_people
    from provider_desk.areas.people.queries import care_plans, list_people
    from provider_desk.areas.people.services import (
        CarePlanInput,
        PersonInput,
        save_care_plan,
        save_person,
    )

    db, _ = open_database(pg_url)
    pid = save_person(
        db,
        None,
        PersonInput("Mary", "Brown", dt.date(2026, 3, 2), nhs_number="9434765919"),
        today=TODAY,
        expected_version=None,
    ).ids[0]
    plan = CarePlanInput(dt.date(2026, 3, 2), {"personal care": {"needs": "Shower"}})
    save_care_plan(db, pid, plan, today=TODAY)
    other_pc, _ = open_database(pg_url)
    changed = CarePlanInput(
        dt.date(2026, 6, 1), {"personal care": {"needs": "Bath"}}, change_reason="Prefers a bath"
    )
    save_care_plan(db, pid, changed, based_on=1, today=TODAY)
    with pytest.raises(ConflictError):
        save_care_plan(other_pc, pid, changed, based_on=1, today=TODAY)
    assert [p.number for p in care_plans(db, pid)] == [1, 2]
    sheet = tmp_path / "people.csv"
    sheet.write_text(
        "Name,Start date,NHS number\nMary Brown,02/03/2026,943 476 5919\n"
        "Ann Jones,01/04/2026,401 023 2137\nBad Number,01/04/2026,123\n",
        encoding="utf-8",
    )
    report = import_people(db, sheet, today=TODAY)
    assert (report.imported, report.updated, len(report.skipped)) == (1, 0, 1)
    assert {p.name for p in list_people(db, TODAY)} == {"Mary Brown", "Ann Jones"}
    other_pc.dispose()
    db.dispose()


def test_a_reading_session_sees_one_snapshot_while_another_pc_saves(pg_url: str) -> None:
    from provider_desk.areas.staff.queries import list_staff_in

    db, _ = open_database(pg_url, user="office.pc1")
    other = open_database(pg_url, user="office.pc2")[0]
    new_staff(db, "Amy", "Smith")
    with db.reading() as s:
        before = [r.full_name for r in list_staff_in(s)]
        new_staff(other, "Bob", "Jones")  # committed by the other PC meanwhile
        assert [r.full_name for r in list_staff_in(s)] == before
    assert len(list_staff(db)) == len(before) + 1
    other.dispose()
    db.dispose()


def test_two_clients_making_200_conflicting_edits_lose_nothing(pg_url: str) -> None:
    """Two PCs keep editing the same person, each from what it last read: every save either
    lands on the version it read or is refused with who changed it and when — never lost."""
    import threading

    from sqlalchemy import func, select

    from provider_desk.areas.staff.models import StaffMember
    from provider_desk.models.changelog import ChangeLogEntry

    setup, _ = open_database(pg_url, user="setup")
    staff_id = new_staff(setup)
    care_worker = role_id(setup)
    pcs = [Database(pg_url, user=f"pc{n}") for n in (1, 2)]
    saved: list[str] = []
    refused: list[str] = []
    other: list[BaseException] = []
    start = threading.Barrier(2)

    def edit(pc: Database) -> None:
        start.wait()
        for i in range(100):
            opened = pc.read(lambda s: s.get(StaffMember, staff_id).version)  # the form opens
            team = f"{pc.user}-{i}"
            try:
                update_staff(
                    pc,
                    staff_id,
                    StaffInput("Amy", "Smith", care_worker, dt.date(2024, 1, 8), team=team),
                    expected_version=opened,
                    today=TODAY,
                )
                saved.append(team)
            except ConflictError as exc:
                refused.append(str(exc))
            except BaseException as exc:
                other.append(exc)

    threads = [threading.Thread(target=edit, args=(pc,)) for pc in pcs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert other == []
    assert len(saved) + len(refused) == 200 and refused and saved
    assert all(m.startswith("Changed by pc") and "reload to see" in m for m in refused)
    (final,) = list_staff(setup)
    # Every save that was accepted is one version and one logged change: none overwrote another.
    assert final.version == 1 + len(saved)
    assert final.team == saved[-1] or final.team in saved
    with setup.reading() as s:
        updates = s.scalar(
            select(func.count())
            .select_from(ChangeLogEntry)
            .where(
                ChangeLogEntry.table_name == "staff_member",
                ChangeLogEntry.row_id == staff_id,
                ChangeLogEntry.action == "update",
            )
        )
    assert updates == len(saved)
    for pc in pcs:
        pc.dispose()
    setup.dispose()


def test_two_clients_creating_complaints_at_once_get_unique_references(pg_url: str) -> None:
    import threading

    from provider_desk.areas.complaints.queries import list_complaints
    from provider_desk.areas.complaints.services import ComplaintInput, save_complaint

    setup, _ = open_database(pg_url, user="setup")
    pcs = [Database(pg_url, user=f"pc{n}") for n in (1, 2)]
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def log(pc: Database) -> None:
        start.wait()
        for i in range(40):
            try:
                save_complaint(
                    pc,
                    ComplaintInput(TODAY, f"{pc.user} caller {i}", "Late"),
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
    assert errors == []
    refs = sorted(c.reference for c in list_complaints(setup, TODAY))
    assert refs == [f"CMP-2026-{n:03d}" for n in range(1, 81)]
    for pc in pcs:
        pc.dispose()
    setup.dispose()


def test_two_pcs_starting_a_new_version_migrate_once(pg_url: str) -> None:
    import threading

    from sqlalchemy import create_engine

    results = []
    start = threading.Barrier(2)

    def open_it() -> None:
        engine = create_engine(pg_url)
        start.wait()
        results.append(migrate.upgrade(engine))
        engine.dispose()

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.upgraded for r in results) == [False, True]


def test_a_duplicate_is_a_conflict_not_a_raw_error(pg_url: str) -> None:
    from provider_desk.areas.complaints.models import Complaint
    from provider_desk.areas.complaints.services import ComplaintInput, save_complaint

    db, _ = open_database(pg_url, user="pc1")
    save_complaint(
        db, ComplaintInput(TODAY, "Mrs Brown", "Late"), today=TODAY, expected_version=None
    )
    with pytest.raises(ConflictError) as info, db.session() as s:
        s.add(Complaint(reference="CMP-2026-001", received_on=TODAY, complainant_name="X",
                        summary="Y"))  # fmt: skip
    assert "try again" in info.value.args[0]
    assert "uq_complaint_reference" in info.value.advice
    db.dispose()
