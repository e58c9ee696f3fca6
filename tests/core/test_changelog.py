"""Every insert, update and archive writes an append-only entry; tampering breaks the chain."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

from sqlalchemy import select, text

from provider_desk.areas.models import ChangeLogEntry
from provider_desk.areas.staff.services import StaffInput, record_leaver, update_staff
from provider_desk.db.changelog import verify_chain
from provider_desk.db.session import Database
from tests.conftest import TODAY, new_staff, role_id, version_of


def _entries(db: Database, table: str) -> list[ChangeLogEntry]:
    with db.reading() as s:
        return list(
            s.scalars(
                select(ChangeLogEntry)
                .where(ChangeLogEntry.table_name == table)
                .order_by(ChangeLogEntry.id)
            )
        )


def test_insert_update_archive_are_logged_with_old_and_new(db: Database) -> None:
    staff_id = new_staff(db)
    update_staff(
        db,
        staff_id,
        StaffInput("Amy", "Smith-Jones", role_id(db), dt.date(2024, 1, 8)),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", staff_id),
    )
    record_leaver(
        db,
        staff_id,
        dt.date(2026, 11, 20),
        today=TODAY,
        expected_version=version_of(db, "StaffMember", staff_id),
    )
    log = _entries(db, "staff_member")
    assert [e.action for e in log] == ["insert", "update", "archive"]
    assert all(e.row_id == staff_id and e.who == "test.manager" for e in log)
    assert json.loads(log[0].changes)["last_name"] == [None, "Smith"]
    assert json.loads(log[1].changes) == {"last_name": ["Smith", "Smith-Jones"]}
    archive = json.loads(log[2].changes)
    assert archive["status"] == ["active", "left"]
    assert archive["leaving_date"] == [None, "2026-11-20"]
    # The checks made with the person are logged too.
    assert len(_entries(db, "recruitment_check")) == 8


def test_chain_verifies_and_detects_tampering(db: Database) -> None:
    new_staff(db)
    new_staff(db, "Bob", "Jones")
    with db.reading() as s:
        assert verify_chain(s) is None
    victim = _entries(db, "staff_member")[1]
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE change_log SET who = 'someone else' WHERE id = :i"), {"i": victim.id}
        )
    with db.reading() as s:
        assert verify_chain(s) == victim.id


def test_failed_save_writes_no_log(db: Database) -> None:
    new_staff(db)
    with db.reading() as s:
        before = len(list(s.scalars(select(ChangeLogEntry))))
    with contextlib.suppress(Exception):
        update_staff(
            db,
            999,
            StaffInput("A", "B", role_id(db), TODAY),
            today=TODAY,
            expected_version=version_of(db, "StaffMember", 999),
        )
    with db.reading() as s:
        assert len(list(s.scalars(select(ChangeLogEntry)))) == before


def test_chain_head_counts_entries_and_ends_at_the_last_hash(tmp_path):
    from provider_desk.areas.opening import open_database
    from provider_desk.db.changelog import GENESIS, chain_head
    from provider_desk.models.changelog import ChangeLogEntry

    db, _ = open_database(str(tmp_path / "head.sqlite3"), user="t")
    with db.reading() as s:
        head = chain_head(s)
        last = s.query(ChangeLogEntry).order_by(ChangeLogEntry.id.desc()).first()
        count = s.query(ChangeLogEntry).count()
    assert count > 0  # seeding reference data is logged
    assert head.entries == count
    assert head.last_id == last.id and head.last_hash == last.hash != GENESIS
    db.dispose()
