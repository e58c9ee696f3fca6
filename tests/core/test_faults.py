"""Faults get the message for the fault (issue 19, "Reliability tests"): a full disk during an
import, `db current` on a damaged, unreadable or read-only file, and a read-only database that
still opens for reading, viewing and export."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.exports import export_staff
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.staff.queries import list_staff
from provider_desk.areas.staff.services import StaffInput, add_staff
from provider_desk.cli import main
from provider_desk.db.changelog import verify_chain
from provider_desk.db.engine import Access, make_engine, sqlite_access
from provider_desk.db.session import Database
from provider_desk.errors import StorageError
from tests.conftest import TODAY, new_staff, role_id
from tests.core.importing import change_log_length, dump

# --------------------------------------------------------------------------- a full disk


def _fill_up(db: Database, *, lose_transaction: bool) -> None:
    """Make the database "full" a few pages from now (SQLite's ``max_page_count`` gives the
    very error a full disk gives, SQLITE_FULL). With ``lose_transaction``, do what SQLite does
    when the disk fills while it writes its journal: roll back the whole transaction, not only
    the statement (seen on a real 1 MB filesystem; see ``root_fault``)."""
    with db.engine.connect() as conn:
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)
    db.dispose()

    @event.listens_for(db.engine, "connect")
    def _small(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 4}")

    if lose_transaction:

        @event.listens_for(db.engine, "handle_error")
        def _roll_back_all(context: Any) -> None:
            raw = context.connection.connection.dbapi_connection if context.connection else None
            if raw is not None and "full" in str(context.original_exception) and raw.in_transaction:
                raw.execute("ROLLBACK")


def _big_staff_file(path: Path, rows: int = 200) -> Path:
    lines = ["Name,Job role,Start date,Notes"]
    lines += [f"Amy Smith{i},Care worker,01/02/2024,{'note ' * 400}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("lose_transaction", [False, True], ids=["statement", "transaction"])
def test_a_full_disk_during_an_import_says_so_and_writes_nothing(
    db: Database, tmp_path: Path, lose_transaction: bool
) -> None:
    new_staff(db)
    before, log = dump(db), change_log_length(db)
    source = _big_staff_file(tmp_path / "staff.csv")
    _fill_up(db, lose_transaction=lose_transaction)
    with pytest.raises(StorageError) as info:
        import_staff(db, source, today=TODAY)
    assert str(info.value).startswith("The disk is full"), str(info.value)
    assert "savepoint" not in str(info.value)
    assert dump(db) == before and change_log_length(db) == log
    with db.reading() as s:
        assert verify_chain(s) is None
        assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_the_cli_import_on_a_full_disk_prints_the_message(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import provider_desk.areas.opening as opening

    source = _big_staff_file(tmp_path / "staff.csv")
    real = opening.open_database

    def full_database(*args: Any, **kwargs: Any) -> Any:
        opened, result = real(*args, **kwargs)
        _fill_up(opened, lose_transaction=True)
        return opened, result

    monkeypatch.setattr(opening, "open_database", full_database)
    code = main(["import", "staff", "--database", db.url.removeprefix("sqlite:///"), str(source)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: The disk is full") and "Traceback" not in err


# --------------------------------------------------------------------------- `db current`


def _db_current(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["db", "current", "--database", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def test_db_current_on_a_damaged_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"these are my notes, not a database " * 200)
    code, _, err = _db_current(junk, capsys)
    assert code == 2 and "not a Provider Desk database, or it is damaged" in err
    assert "Traceback" not in err


def test_db_current_on_a_truncated_database(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new_staff(db)
    db.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db_path.read_bytes()
    db_path.write_bytes(data[:100] + b"\xff" * 4000 + data[4100 : len(data) // 3])
    for p in db_path.parent.glob(db_path.name + "-*"):
        p.unlink()
    code, _, err = _db_current(db_path, capsys)
    assert code == 2 and "damaged" in err and "Traceback" not in err


def test_db_current_on_a_missing_path_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _db_current(tmp_path / "typo.sqlite3", capsys)
    assert code == 2 and "There is no database at" in err
    assert list(tmp_path.iterdir()) == []


def test_db_current_on_an_unreadable_file(
    db_path: Path, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    db.dispose()
    db_path.chmod(0)
    try:
        if os.access(db_path, os.R_OK):  # root reads anything: a folder in its place instead
            db_path.chmod(0o644)
            db_path.rename(db_path.with_suffix(".moved"))
            db_path.mkdir()
            code, _, err = _db_current(db_path, capsys)
            assert code == 2 and "is a folder, not a database file" in err
        else:
            code, _, err = _db_current(db_path, capsys)
            assert code == 2 and "cannot be read" in err
    finally:
        if db_path.is_file():
            db_path.chmod(0o644)
    assert "Traceback" not in err


# --------------------------------------------------------------------------- read-only


@pytest.fixture
def read_only_file(db: Database, db_path: Path) -> Iterator[tuple[Path, Access]]:
    """The test database with one person in it, its file made read-only. chmod cannot stop
    root, so then the access it would have is passed on explicitly (opened ``mode=ro``)."""
    new_staff(db, "Zoë", "Brown")
    db.dispose()
    db_path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    access = sqlite_access(f"sqlite:///{db_path}")
    yield db_path, access if access is not Access.WRITE else Access.READ_ONLY
    db_path.chmod(0o644)


def _read_only_database(path: Path, access: Access, monkeypatch: pytest.MonkeyPatch) -> Database:
    from provider_desk.db import session

    monkeypatch.setattr(session, "sqlite_access", lambda url: access)  # root: as if chmod worked
    opened, _ = open_database(str(path))
    assert opened.read_only and opened.access is access
    return opened


@pytest.mark.parametrize("media", [False, True], ids=["file", "media"])
def test_a_read_only_database_opens_reads_exports_and_refuses_saves(
    read_only_file: tuple[Path, Access],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    media: bool,
) -> None:
    path, access = read_only_file
    access = Access.READ_ONLY_MEDIA if media else access
    for side in path.parent.glob(path.name + "-*"):  # as copied onto a stick: no side files
        side.unlink()
    ro = _read_only_database(path, access, monkeypatch)
    try:
        assert [r.full_name for r in list_staff(ro)] == ["Zoë Brown"]
        out = tmp_path / "out" / "staff.xlsx"
        assert export_staff(ro, out) == 1 and out.is_file()
        with pytest.raises(StorageError) as info:
            add_staff(ro, StaffInput("Bob", "Jones", role_id(ro), TODAY), today=TODAY)
        assert "read-only, so nothing can be saved" in str(info.value)
        assert [r.full_name for r in list_staff(ro)] == ["Zoë Brown"]
    finally:
        ro.dispose()
    if media:  # immutable: nothing was made beside the file
        assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name)) == [
            path.name
        ]


def test_the_cli_exports_from_a_read_only_database_and_db_current_says_read_only(
    read_only_file: tuple[Path, Access],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from provider_desk.db import session

    path, access = read_only_file
    monkeypatch.setattr(session, "sqlite_access", lambda url: access)
    out = tmp_path / "staff.csv"
    assert main(["export", "staff", "--database", str(path), "--out", str(out)]) == 0
    assert "Zoë" in out.read_text(encoding="utf-8-sig")
    code, text, err = _db_current(path, capsys)
    assert code == 0 and "access:   read-only" in text, err


def test_a_read_only_database_at_an_older_schema_is_not_upgraded(
    read_only_file: tuple[Path, Access], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, access = read_only_file
    path.chmod(0o644)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'older'")
    path.chmod(0o444)
    from provider_desk.db import session

    monkeypatch.setattr(session, "sqlite_access", lambda url: access)
    with pytest.raises(StorageError) as info:
        open_database(str(path))
    assert "is read-only, and it was saved by another version" in str(info.value)


def test_access_is_worked_out_from_the_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    assert sqlite_access(f"sqlite:///{path}") is Access.WRITE  # not there yet: created
    assert sqlite_access(f"sqlite:///file:{path}?mode=ro&uri=true") is Access.READ_ONLY
    assert sqlite_access(f"sqlite:///file:{path}?immutable=1&uri=true") is Access.READ_ONLY_MEDIA
    assert sqlite_access("postgresql+psycopg://server/care") is Access.WRITE


def test_a_folder_name_sqlite_uris_treat_specially_still_opens(tmp_path: Path) -> None:
    folder = tmp_path / "Q&A #1 100%"  # (a "?" cannot be in a Windows folder name)
    folder.mkdir()
    path = folder / "care.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    engine = make_engine(f"sqlite:///{path}", Access.READ_ONLY)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    engine.dispose()


def test_someone_can_sign_in_to_a_read_only_database_and_nothing_is_recorded(
    db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from provider_desk.auth.services import SignInRefused, create_first_manager, sign_in

    create_first_manager(db, "jsmith", "Jane Smith", "correct horse battery")
    db.dispose()
    from provider_desk.db import session

    monkeypatch.setattr(session, "sqlite_access", lambda url: Access.READ_ONLY)
    ro, _ = open_database(str(db_path))
    before, log = dump(ro), change_log_length(ro)
    now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    with pytest.raises(SignInRefused):
        sign_in(ro, "jsmith", "wrong password", now)
    assert sign_in(ro, "jsmith", "correct horse battery", now).name == "Jane Smith"
    assert dump(ro) == before and change_log_length(ro) == log
    ro.dispose()
