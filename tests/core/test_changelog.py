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

    db, _ = open_database(str(tmp_path / "head.sqlite3"), user="t", create=True)
    with db.reading() as s:
        head = chain_head(s)
        last = s.query(ChangeLogEntry).order_by(ChangeLogEntry.id.desc()).first()
        count = s.query(ChangeLogEntry).count()
    assert count > 0  # seeding reference data is logged
    assert head.entries == count
    assert head.last_id == last.id and head.last_hash == last.hash != GENESIS
    db.dispose()


def test_bulk_insert_logs_each_row_as_before_with_the_right_ids(db: Database) -> None:
    """``insert_logged`` (imports, the demo) writes rows and entries in one statement each: every
    id belongs to its row, each entry's text is ``json.dumps`` of the row as it always was, and
    the chain verifies."""
    from provider_desk.areas.training.models import Course, TrainingRecord
    from provider_desk.db.changelog import entry_hash, insert_logged

    staff_id = new_staff(db)
    with db.reading() as s:
        courses = list(s.scalars(select(Course.id).order_by(Course.id)))[:3]
    rows = [
        {
            "staff_id": staff_id,
            "course_id": courses[n % 3],
            "completed_on": dt.date(2025, 1, 1) + dt.timedelta(days=n),
            "expires_on": dt.date(2027, 1, 1) if n % 2 else None,
            "provider": "Zoë's training ⟨ok⟩" if n == 1 else "",
            "delivery": "",
            "accredited": "",
            "notes": "",
        }
        for n in range(5)
    ]
    with db.session() as s:
        ids = insert_logged(s, TrainingRecord, rows)
    with db.reading() as s:
        saved = {r.id: r for r in s.scalars(select(TrainingRecord))}
    for new_id, row in zip(ids, rows, strict=True):
        record = saved[new_id]
        assert (record.course_id, record.completed_on, record.expires_on, record.provider) == (
            row["course_id"],
            row["completed_on"],
            row["expires_on"],
            row["provider"],
        )
        assert record.created_by == "test.manager" and record.version == 1
    entries = _entries(db, "training_record")
    assert [e.row_id for e in entries] == ids
    for e, new_id, row in zip(entries, ids, rows, strict=True):
        expected = {k: [None, v] for k, v in row.items() if v is not None and v != ""}
        expected = {
            k: [None, v[1].isoformat() if isinstance(v[1], dt.date) else v[1]]
            for k, v in expected.items()
        } | {"id": [None, new_id]}
        assert e.changes == json.dumps(expected, sort_keys=True, ensure_ascii=False)
        assert e.hash == entry_hash(
            e.prev_hash,
            e.at.isoformat(),
            e.who,
            e.table_name,
            e.row_id,
            e.action,
            e.changes,
            e.user_id,
        )
    with db.reading() as s:
        assert verify_chain(s) is None


def test_bulk_entries_are_the_json_of_each_row_whatever_its_values() -> None:
    """The change-log text of a bulk insert is built column by column; it must be exactly
    ``json.dumps`` of each row as the slow path wrote it: repeated values, blanks, numbers,
    flags, dates, quotes, other scripts and hidden fields alike."""
    from provider_desk.db.changelog import HIDDEN, _encoded_inserts

    class Model:
        __log_hidden__ = frozenset({"secret"})

    columns = {
        "name": ['O\'Brien "Jo"', "Zoë ⟨ok⟩", "", None, 'O\'Brien "Jo"', "line\nbreak"],
        "count": [1, 1, 0, 2**40, None, 1],
        "ratio": [0.5, 1.0, 1e-7, 0.5, float("inf"), 2.0],
        "flag": [True, False, True, None, True, 1],
        "day": [dt.date(2025, 1, 2)] * 3 + [None, dt.date(1999, 12, 31), dt.date(2025, 1, 2)],
        "secret": ["hash", "", None, "hash", "other", "hash"],
    }
    ids = [7, 8, 9, 10, 11, 12]
    bodies = _encoded_inserts(Model, columns, ids)
    for n, body in enumerate(bodies):
        row = {k: v[n] for k, v in columns.items()}
        expected = {
            k: [None, HIDDEN if k == "secret" else v.isoformat() if isinstance(v, dt.date) else v]
            for k, v in row.items()
            if v is not None and v != ""
        } | {"id": [None, ids[n]]}
        assert body == json.dumps(expected, sort_keys=True, ensure_ascii=False)


def test_a_value_every_row_shares_is_stored_as_if_bound() -> None:
    """A bulk insert writes a column that holds one value in every row into the statement:
    what is stored (value and SQLite type) is what binding each row's value stores."""
    from sqlalchemy import create_engine

    from provider_desk.db.bulk import sqlite_insert

    columns = {
        "quoted": ["it's 'quoted'; DROP TABLE t; -- ?"] * 3,
        "blank": [""] * 3,
        "none": [None] * 3,
        "number": [42] * 3,
        "mixed": [1, 1.0, True],  # equal, but not the same type: bound
        "nul": ["a\x00b"] * 3,  # text with a NUL character: bound
        "least": [-(2**63)] * 3,  # the smallest 64-bit integer: still an INTEGER
        "varies": ["a", "b", "c"],
    }
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        for table in ("fast", "slow"):
            conn.exec_driver_sql(f"CREATE TABLE {table} ({', '.join(columns)})")
        sqlite_insert(conn, "fast", columns)
        conn.exec_driver_sql(
            f"INSERT INTO slow VALUES ({', '.join('?' * len(columns))})",
            list(zip(*columns.values(), strict=True)),
        )
        seen = ", ".join(f"{c}, typeof({c})" for c in columns)
        fast = conn.exec_driver_sql(f"SELECT {seen} FROM fast ORDER BY rowid").all()
        slow = conn.exec_driver_sql(f"SELECT {seen} FROM slow ORDER BY rowid").all()
    assert fast == slow and len(fast) == 3
    assert fast[0][0] == "it's 'quoted'; DROP TABLE t; -- ?"


def test_bulk_insert_of_a_value_all_rows_share_logs_and_stores_it(db: Database) -> None:
    """Rows that all share a provider with quotes in it: stored and logged as each row's own."""
    from provider_desk.areas.training.models import Course, TrainingRecord
    from provider_desk.db.changelog import insert_logged

    staff_id = new_staff(db)
    with db.reading() as s:
        course = s.scalars(select(Course.id).order_by(Course.id)).first()
    provider = "O'Brien's \"Care\" Training ⟨ok⟩"
    rows = [
        {
            "staff_id": staff_id,
            "course_id": course,
            "completed_on": dt.date(2025, 1, 1) + dt.timedelta(days=n),
            "expires_on": None,
            "provider": provider,
            "delivery": "",
            "accredited": "",
            "notes": "",
        }
        for n in range(4)
    ]
    with db.session() as s:
        ids = insert_logged(s, TrainingRecord, rows)
    with db.reading() as s:
        saved = {
            r.id: r for r in s.scalars(select(TrainingRecord).where(TrainingRecord.id.in_(ids)))
        }
        assert verify_chain(s) is None
    assert [saved[i].provider for i in ids] == [provider] * 4
    assert [saved[i].notes for i in ids] == [""] * 4 and all(saved[i].version == 1 for i in ids)
    entries = _entries(db, "training_record")[-4:]
    assert [json.loads(e.changes)["provider"] for e in entries] == [[None, provider]] * 4
