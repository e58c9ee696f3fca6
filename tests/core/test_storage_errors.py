"""The environment failing (read-only, locked, disk full) gives advice and loses nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.staff.services import StaffInput, add_staff
from provider_desk.db import engine as engine_module
from provider_desk.db.session import Database
from provider_desk.errors import ServerUnreachable, StorageError
from tests.conftest import TODAY, new_staff, role_id


def test_read_only_database_says_so(db: Database, db_path: Path) -> None:
    new_staff(db)
    url = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    assert engine_module.sqlite_path(url) == db_path  # not a folder called "file:"
    ro = Database(url)
    assert [r.full_name for r in list_staff(ro)] == ["Amy Smith"]  # reading still works
    with pytest.raises(StorageError) as info:
        add_staff(ro, StaffInput("Bob", "Jones", role_id(db), TODAY), today=TODAY)
    assert "read-only" in str(info.value)
    assert info.value.advice
    ro.dispose()
    assert len(list_staff(db)) == 1


def test_locked_database_says_wait(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    other = Database(db.url)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another PC is in the middle of saving
    try:
        with pytest.raises(StorageError) as info:
            add_staff(other, StaffInput("Bob", "Jones", role_id(db), TODAY), today=TODAY)
        assert "busy" in str(info.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        other.dispose()
    assert list_staff(db) == []


def test_full_disk_loses_nothing(db: Database) -> None:
    new_staff(db)
    with pytest.raises(StorageError) as info, db.session() as s:
        pages = s.execute(text("PRAGMA page_count")).scalar()
        # The same error SQLite gives when the disk fills up mid-save.
        s.execute(text(f"PRAGMA max_page_count = {pages}"))
        s.execute(text("CREATE TABLE filler (x TEXT)"))
        for _ in range(200):
            s.execute(text("INSERT INTO filler VALUES (:x)"), {"x": "x" * 4000})
    assert "disk is full" in str(info.value)
    assert [r.full_name for r in list_staff(db)] == ["Amy Smith"]


def test_not_a_database_file(tmp_path: Path) -> None:
    from provider_desk.areas.opening import open_database

    junk = tmp_path / "notes.sqlite3"
    junk.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StorageError) as info:
        open_database(str(junk))
    assert "not a Provider Desk database" in str(info.value)


def test_unreachable_server_says_check_the_network() -> None:
    from provider_desk.areas.opening import open_database

    # Nothing listens on port 1 of this machine: the same error as a switched-off office server.
    with pytest.raises(StorageError) as info:
        open_database("postgresql://provider@127.0.0.1:1/care")
    assert "Can't reach the database server" in str(info.value)
    assert isinstance(info.value, ServerUnreachable) and "your unsaved form is kept" in str(
        info.value
    )
    assert "network" in info.value.advice
