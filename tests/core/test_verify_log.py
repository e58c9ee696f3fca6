"""`provider-desk verify-log`, tested by tampering with the SQLite file through raw sqlite3; and the
anchor outside the database that catches a history rewritten with its hashes recomputed."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from provider_desk.cli import main
from provider_desk.db.anchor import (
    Anchor,
    AnchorMismatch,
    advance_anchor,
    anchor_file,
    last_anchor,
    record_anchor,
)
from provider_desk.db.changelog import chain_head, entry_hash
from provider_desk.db.session import Database
from provider_desk.history.verify import check_at_open, check_log
from tests.conftest import new_staff

NOW = dt.datetime(2026, 12, 2, 14, 5, tzinfo=dt.UTC)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def logged(db: Database, db_path: Path) -> Path:
    """A database with a few staff (each with their checks) in its change log."""
    for first in ("Amy", "Bob", "Cat"):
        new_staff(db, first, "Smith")
    db.dispose()
    return db_path


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _rows(conn: sqlite3.Connection) -> list[tuple]:  # type: ignore[type-arg]
    return conn.execute(
        "SELECT id, at, who, table_name, row_id, action, changes, prev_hash, hash, user_id "
        "FROM change_log ORDER BY id"
    ).fetchall()


def _rehash_from(conn: sqlite3.Connection, first_id: int) -> None:
    """What a careful forger does: recompute every hash from ``first_id`` on, so the chain
    verifies again (using the program's own hash function, as anyone can read it)."""
    rows = _rows(conn)
    prev = next((r[8] for r in reversed(rows) if r[0] < first_id), "0" * 64)
    for r in rows:
        if r[0] < first_id:
            continue
        at = _stored_at(r[1])
        h = entry_hash(prev, at, r[2], r[3], r[4], r[5], r[6], r[9])
        conn.execute("UPDATE change_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, h, r[0]))
        prev = h


def _stored_at(text: str) -> str:
    # SQLite keeps the UTC timestamp as text without its zone; the program hashes it with one.
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).isoformat()


def test_intact_log_exit_0(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "verify-log", "--database", str(logged))
    count = len(_rows(_raw(logged)))
    assert code == 0
    assert f"Change log intact, {count:,} entries." in out
    assert "No anchor has been saved" in out


def test_an_edited_value_is_named(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = _raw(logged)
    victim = next(r for r in _rows(conn) if r[3] == "staff_member" and "Bob" in r[6])
    conn.execute(
        "UPDATE change_log SET changes = replace(changes, 'Bob', 'Rob') WHERE id = ?", (victim[0],)
    )
    code, _, err = run(capsys, "verify-log", "--database", str(logged))
    assert code == 1
    assert f"Entry {victim[0]} (" in err and "was altered" in err
    assert "Bob Smith" in err and "test.manager" in err  # which record, by whom
    assert "compare it with your last good backup" in err


def test_a_deleted_entry_is_reported_as_removed(
    logged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = _raw(logged)
    rows = _rows(conn)
    gone = rows[10]
    conn.execute("DELETE FROM change_log WHERE id = ?", (gone[0],))
    code, _, err = run(capsys, "verify-log", "--database", str(logged))
    assert code == 1
    assert "An entry was removed between" in err
    assert f"entry {rows[9][0]} (" in err and f"entry {rows[11][0]} (" in err


def test_an_inserted_entry_is_named(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = _raw(logged)
    rows = _rows(conn)
    # Make room after entry 20 (ids are not hashed) and slip in an entry chained from it.
    after = rows[19]
    conn.execute("UPDATE change_log SET id = id + 1000 WHERE id > ?", (after[0],))
    body = json.dumps({"notes": [None, "backdated"]})
    forged = entry_hash(
        after[8], _stored_at(after[1]), "intruder", "staff_member", 1, "update", body
    )
    conn.execute(
        "INSERT INTO change_log (id, at, who, table_name, row_id, action, changes, prev_hash, "
        "hash) VALUES (?, ?, 'intruder', 'staff_member', 1, 'update', ?, ?, ?)",
        (after[0] + 1, after[1], body, after[8], forged),
    )
    code, _, err = run(capsys, "verify-log", "--database", str(logged))
    assert code == 1
    assert f"Entry {after[0] + 1} (" in err and "by intruder" in err and "was inserted" in err


def test_rewritten_history_passes_the_chain_but_not_the_anchor(
    logged: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = Database(f"sqlite:///{logged}")
    result = check_at_open(db, NOW)  # first open on this PC: the first anchor
    assert result.intact and result.anchor is not None
    anchored = last_anchor(db.location)
    assert anchored is not None and anchored.at == NOW
    db.dispose()
    conn = _raw(logged)
    victim = next(r for r in _rows(conn) if r[3] == "staff_member" and "Bob" in r[6])
    conn.execute(
        "UPDATE change_log SET changes = replace(changes, 'Bob', 'Rob') WHERE id = ?", (victim[0],)
    )
    _rehash_from(conn, victim[0])
    code, _, err = run(capsys, "verify-log", "--database", str(logged))
    assert code == 1
    local = NOW.astimezone()
    assert f"does not match the anchor saved on {local.day} Dec 2026 at {local:%H:%M}" in err
    assert f"({anchored.entries:,} entries then, last hash {anchored.last_hash[:12]}…)" in err
    assert "rewritten" in err


def test_a_log_that_grew_past_its_anchor_is_fine(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    new_staff(db, "Amy", "Smith")
    with db.reading() as s:
        record_anchor(db.location, chain_head(s), NOW)
    new_staff(db, "Bob", "Smith")
    result = check_log(db)
    assert result.intact and result.anchor is not None
    assert "It extends the anchor saved on" in "\n".join(result.lines())
    code, out, _ = run(capsys, "verify-log", "--database", db.location)
    assert code == 0 and "Change log intact" in out


def test_advance_anchor_moves_only_over_a_log_that_extends_it(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "anchors.json"
    new_staff(db, "Amy", "Smith")
    with db.reading() as s:
        assert advance_anchor(s, db.location, NOW, path=path) is None  # no anchor: nothing
        first = record_anchor(db.location, chain_head(s), NOW, path=path)
    new_staff(db, "Bob", "Smith")
    later = NOW + dt.timedelta(hours=1)
    with db.reading() as s:
        moved = advance_anchor(s, db.location, later, path=path)
        head = chain_head(s)
    assert isinstance(moved, Anchor) and moved.last_id == head.last_id and moved.at == later
    assert moved.entries > first.entries
    # Behind the program's back: the newest entry is edited. The anchor is not moved over it.
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE change_log SET who = 'x' WHERE id = (SELECT max(id) FROM change_log)"
        )
        conn.exec_driver_sql(
            "INSERT INTO change_log (id, at, who, table_name, row_id, action, changes, "
            "prev_hash, hash) SELECT id + 1, at, who, table_name, row_id, action, changes, "
            "hash, hash FROM change_log WHERE id = (SELECT max(id) FROM change_log)"
        )
    with db.reading() as s:
        refused = advance_anchor(s, db.location, later + dt.timedelta(hours=1), path=path)
    assert isinstance(refused, AnchorMismatch)
    assert last_anchor(db.location, path=path) == moved


def test_anchor_file_keeps_other_databases_and_survives_damage(tmp_path: Path) -> None:
    path = tmp_path / "a" / "anchors.json"
    from provider_desk.db.changelog import ChainHead

    record_anchor("/data/one.sqlite3", ChainHead(5, 5, "a" * 64), NOW, path=path)
    record_anchor("/data/two.sqlite3", ChainHead(7, 9, "b" * 64), NOW, path=path)
    one = last_anchor("/data/one.sqlite3", path=path)
    assert one is not None and (one.entries, one.last_id) == (5, 5)
    assert not list(path.parent.glob(".anchors-*"))  # no temporary file left behind
    path.write_text("{not json")
    assert last_anchor("/data/one.sqlite3", path=path) is None
    assert anchor_file().name == "change-log-anchors.json"
