"""Verified backups: refused when the database is damaged (nothing left behind), a full round
trip through restore, the manifest, rotation of a folder, and opening without creating."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from provider_desk.areas import AREAS
from provider_desk.areas.models import Base
from provider_desk.areas.opening import NoDatabaseError, open_database
from provider_desk.backup.making import (
    backup_age,
    backup_due,
    backup_to_folder,
    good_backups,
    last_good_backup,
    make_backup,
    rotate,
)
from provider_desk.backup.manifest import (
    AREA_TABLES,
    manifest_path,
    read_manifest,
    write_manifest,
)
from provider_desk.backup.restoring import check_backup, describe_database, restore_backup
from provider_desk.db.backup import BackupFailed
from provider_desk.db.changelog import chain_head
from provider_desk.db.session import Database
from provider_desk.errors import StorageError
from provider_desk.progress import Cancelled
from tests.conftest import new_staff

NOW = dt.datetime(2026, 12, 3, 14, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated, seeded database for the module; each test works on a copy of it."""
    path = tmp_path_factory.mktemp("template") / "test.sqlite3"
    database, _ = open_database(str(path), user="test.manager", create=True)
    database.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template: Path) -> Path:
    path = tmp_path / "test.sqlite3"
    src = sqlite3.connect(_template)
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


def _path(db: Database) -> Path:
    return Path(db.location)


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order (read-only: no side files)."""
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_backup_is_verified_and_has_a_manifest(db: Database, tmp_path: Path) -> None:
    new_staff(db)
    folder = tmp_path / "usb"
    made = backup_to_folder(_path(db), folder, now=NOW)
    assert _leftovers(folder) == [made.path.name, made.path.name + ".json"]
    m = read_manifest(made.path)
    assert m is not None and m == made.manifest
    assert m.areas["Staff members"] == 1 and m.tables == _count(_path(db))
    with db.reading() as s:
        head = chain_head(s)
    assert (m.chain_entries, m.chain_last_id, m.chain_last_hash) == (
        head.entries,
        head.last_id,
        head.last_hash,
    )
    assert m.last_change is not None and m.last_change.who == "test.manager"
    assert m.source == str(_path(db).resolve()) and m.schema_revision
    assert any("integrity_check: ok" in c for c in m.checks)
    raw = json.loads(manifest_path(made.path).read_text())
    assert raw["areas"]["Staff members"] == 1 and raw["chain_head"]["last_hash"] == head.last_hash
    # One self-contained file: opening it needs no WAL.
    conn = sqlite3.connect(made.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert "Verified:" in made.describe()


def _count(path: Path) -> dict[str, int]:
    return {name: len(rows) for name, rows in _dump(path).items()}


def test_a_corrupt_database_is_refused_and_nothing_is_left(db: Database, tmp_path: Path) -> None:
    path = _path(db)
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE scratch (a TEXT, b TEXT)")
    conn.executemany("INSERT INTO scratch VALUES (?, ?)", [(f"a{i}", f"b{i}") for i in range(50)])
    conn.execute("CREATE INDEX ix_scratch ON scratch (a)")
    # The index now claims to hold column b while its entries are column a's: the file reads
    # and counts fine, but SQLite's integrity check finds the damage.
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute(
        "UPDATE sqlite_master SET sql='CREATE INDEX ix_scratch ON scratch (b)' "
        "WHERE name='ix_scratch'"
    )
    conn.close()
    folder = tmp_path / "backups"
    with pytest.raises(BackupFailed) as info:
        backup_to_folder(path, folder, now=NOW)
    assert "integrity check" in str(info.value) and "not kept" in str(info.value)
    assert _leftovers(folder) == []


def test_an_unreadable_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    folder = tmp_path / "out"
    with pytest.raises(BackupFailed) as info:
        backup_to_folder(junk, folder, now=NOW)
    assert "damaged" in str(info.value)
    assert _leftovers(folder) == []


def test_a_tampered_change_log_is_refused(db: Database, tmp_path: Path) -> None:
    new_staff(db)
    path = _path(db)
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE change_log SET who = 'the.registered.manager' WHERE id = 1")
    conn.close()
    with pytest.raises(BackupFailed) as info:
        make_backup(path, tmp_path / "b" / "copy.sqlite3", now=NOW)
    assert "entry 1" in str(info.value)
    assert _leftovers(tmp_path / "b") == []


def test_a_cancelled_backup_leaves_nothing(db: Database, tmp_path: Path) -> None:
    with pytest.raises(Cancelled):
        backup_to_folder(_path(db), tmp_path / "b", now=NOW, progress=lambda *_: False)
    assert _leftovers(tmp_path / "b") == []


def test_an_unwritable_folder_says_so(db: Database, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError) as info:
        backup_to_folder(_path(db), blocker / "backups", now=NOW)
    assert "could not be written" in str(info.value)


def test_round_trip_restores_every_table_row_by_row(db: Database, tmp_path: Path) -> None:
    from provider_desk.areas.staff.queries import list_staff

    first = new_staff(db, "Amy", "Smith")
    path = _path(db)
    made = backup_to_folder(path, tmp_path / "backups", now=NOW)
    at_backup = _dump(made.path)
    assert at_backup == _dump(path)
    new_staff(db, "Bob", "Jones")  # changed after the backup
    from provider_desk.areas.staff.services import record_leaver

    record_leaver(db, first, dt.date(2026, 11, 30), expected_version=1, today=dt.date(2026, 12, 3))
    after = _dump(path)
    assert after != at_backup
    from provider_desk.db.anchor import record_anchor

    with db.reading() as s:  # as the app does on closing: the later head becomes the anchor
        record_anchor(db.location, chain_head(s), NOW)
    db.dispose()

    checked = check_backup(made.path)
    assert checked.areas["Staff members"] == 1
    current = describe_database(path)
    assert current is not None and current.areas["Staff members"] == 2
    restored = restore_backup(made.path, path, now=NOW)

    assert _dump(path) == at_backup
    assert restored.kept is not None and restored.kept.name.startswith(
        "test.sqlite3.before-restore-2026-12-03-1405"
    )
    assert _dump(restored.kept) == after  # nothing is lost for good
    assert not list(tmp_path.glob("*.restoring*"))
    # The restored (older) log is anchored: verify-log does not take it for removed entries.
    from provider_desk.cli import main

    assert main(["verify-log", "--database", str(path)]) == 0
    reopened, _ = open_database(str(path))
    assert [s.full_name for s in list_staff(reopened, include_left=True)] == ["Amy Smith"]
    new_staff(reopened, "Cat", "Lee")  # the restored database takes saves again
    reopened.dispose()


def test_restore_refuses_a_backup_changed_after_it_was_made(db: Database, tmp_path: Path) -> None:
    made = make_backup(_path(db), tmp_path / "copy.sqlite3", now=NOW)
    conn = sqlite3.connect(made.path, isolation_level=None)
    conn.execute("UPDATE organisation_settings SET provider_name = 'Changed'")
    conn.close()
    before = _dump(_path(db))
    with pytest.raises(BackupFailed) as info:
        restore_backup(made.path, _path(db), now=NOW)
    assert "changed since it was made" in str(info.value)
    assert _dump(_path(db)) == before


def test_restore_refuses_while_the_database_is_open_elsewhere(db: Database, tmp_path: Path) -> None:
    made = make_backup(_path(db), tmp_path / "copy.sqlite3", now=NOW)
    new_staff(db)
    before = _dump(_path(db))
    other = sqlite3.connect(_path(db), isolation_level=None)  # another window, reading
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM staff_member").fetchone()
    try:
        with pytest.raises(StorageError) as info:
            restore_backup(made.path, _path(db), now=NOW)
    finally:
        other.close()
    assert "open in another" in str(info.value)
    assert _dump(_path(db)) == before
    assert not list(tmp_path.glob("*.restoring*"))
    assert not list(tmp_path.glob("*before-restore*"))


def test_rotation_removes_only_verified_backups_of_this_database(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    path = _path(db)
    first = make_backup(path, folder / "b-1001.sqlite3", now=NOW, anchor=False)
    days = [dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC) + dt.timedelta(days=i) for i in range(40)]
    for when in days:  # the same verified copy, as if made on each of 40 days
        target = folder / f"b-{when:%m%d}.sqlite3"
        if target != first.path:
            shutil.copyfile(first.path, target)
        write_manifest(target, replace(first.manifest, file=target.name, made_at=when))
    own = folder / "my-own-copy.sqlite3"  # not verified by us: never touched
    shutil.copyfile(first.path, own)
    other = folder / "other-database.sqlite3"  # another database's backup: not this one's
    shutil.copyfile(first.path, other)
    write_manifest(other, replace(first.manifest, file=other.name, source="/elsewhere/x"))

    removed = rotate(folder, str(path.resolve()), dt.date(2026, 11, 9))  # a Monday

    kept = {b.path.name for b in good_backups(folder, str(path.resolve()))}
    assert own.exists() and other.exists() and len(removed) == 40 - len(kept)
    assert not any(p.exists() or manifest_path(p).exists() for p in removed)
    # 7 daily (3-9 Nov); the newest of the weeks starting 26 Oct (Sun 1 Nov) and 19 Oct
    # (Sun 25 Oct), the two later weeks' newest being daily ones; the newest of October.
    assert kept == {f"b-11{d:02d}.sqlite3" for d in range(3, 10)} | {
        "b-1101.sqlite3",
        "b-1025.sqlite3",
        "b-1031.sqlite3",
    }
    last = last_good_backup(folder, str(path.resolve()))
    assert last is not None and last.file == "b-1109.sqlite3"


def test_backup_due_and_age_words() -> None:
    assert backup_due(None, NOW)
    made = NOW - dt.timedelta(hours=3)

    class M:
        made_at = made
        chain_entries = 5
        chain_last_hash = "h"

    assert not backup_due(M(), NOW)  # type: ignore[arg-type]
    assert backup_due(M(), NOW + dt.timedelta(days=1))  # type: ignore[arg-type]
    assert not backup_due(M(), NOW, on_exit=True, head=lambda: (5, "h"))  # type: ignore[arg-type]
    assert backup_due(M(), NOW, on_exit=True, head=lambda: (6, "i"))  # type: ignore[arg-type]
    assert backup_age(None, NOW).text == "Never backed up" and backup_age(None, NOW).level == "red"
    assert backup_age(made, NOW).text == "Backed up 3 hours ago"
    assert backup_age(NOW - dt.timedelta(minutes=1), NOW).text == "Backed up 1 minute ago"
    assert backup_age(NOW - dt.timedelta(days=1, hours=2), NOW).text == "Backed up yesterday"
    week = backup_age(NOW - dt.timedelta(days=7), NOW)
    assert week.level == "ok" and week.text == "Backed up 7 days ago"
    assert backup_age(NOW - dt.timedelta(days=7, minutes=1), NOW).level == "amber"


def test_area_tables_name_real_tables_and_areas() -> None:
    tables = set(Base.metadata.tables)
    assert {t for _k, _l, t in AREA_TABLES} <= tables
    assert [k for k, _l, _t in AREA_TABLES if k] == [a.key for a in AREAS]


def test_a_missing_database_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "provider-desk.sqlite3"
    with pytest.raises(NoDatabaseError) as info:
        open_database(str(missing))
    assert str(info.value) == (
        f"No database at {missing}. Check the path, or start Provider Desk once to create one."
    )
    assert not missing.parent.exists()
    db, _ = open_database(str(missing), create=True)
    db.dispose()
    assert missing.is_file()
    open_database(str(missing))[0].dispose()  # there now: opens without create


def test_a_verified_backup_anchors_the_chain_and_a_rewritten_history_is_refused(
    db: Database, tmp_path: Path
) -> None:
    from provider_desk.db.anchor import last_anchor
    from provider_desk.db.changelog import hash_of
    from provider_desk.models.changelog import ChangeLogEntry

    new_staff(db)
    location = str(_path(db).resolve())
    made = backup_to_folder(_path(db), tmp_path / "b", now=NOW)
    with db.reading() as s:
        head = chain_head(s)
    anchor = last_anchor(location)
    assert anchor is not None and (anchor.entries, anchor.last_id, anchor.last_hash) == (
        head.entries,
        head.last_id,
        head.last_hash,
    )
    assert made.manifest.chain_last_hash == head.last_hash
    # Rewrite entry 1 and recompute every hash after it: the chain verifies, the anchor does not.
    with db.session() as s:
        entries = list(s.scalars(select(ChangeLogEntry).order_by(ChangeLogEntry.id)))
    conn = sqlite3.connect(_path(db), isolation_level=None)
    prev = "0" * 64
    for e in entries:
        if e.id == 1:
            e.who = "the.registered.manager"
            conn.execute("UPDATE change_log SET who = ? WHERE id = 1", (e.who,))
        new_hash = hash_of(e, prev)
        conn.execute(
            "UPDATE change_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, new_hash, e.id)
        )
        prev = new_hash
    conn.close()
    folder = tmp_path / "later"
    with pytest.raises(BackupFailed) as info:
        backup_to_folder(_path(db), folder, now=NOW + dt.timedelta(days=1))
    assert "does not match" in str(info.value) and "not kept" in str(info.value)
    assert _leftovers(folder) == []
    assert last_anchor(location) == anchor  # the tampered head never becomes the trusted one
