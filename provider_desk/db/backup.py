"""Verified copies of a live SQLite database (before migrations, "Back up now", automatic backups).

A copy is made with SQLite's online backup API into a temporary file beside the target, inside one
read snapshot of the source (so other PCs may keep saving), and counts only once it has been
checked: ``PRAGMA integrity_check``, the row count of every table equal to the source's at the
moment of the copy, and (for a Provider Desk database) the change log's hash chain. Only then is it
moved into place. A copy that fails any check leaves nothing behind: no ``.part``, no
``.part-journal``, no ``-wal`` or ``-shm``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from provider_desk.errors import StorageError
from provider_desk.progress import Cancelled, Progress, no_progress

PAGES_PER_STEP = 256
"""Pages copied per step of the backup API: progress and cancelling between steps."""

SIDE_FILES = ("-journal", "-wal", "-shm")


class BackupFailed(StorageError):
    """The copy was made but did not pass its checks, so it was thrown away."""


@dataclass(frozen=True)
class LastChange:
    """The newest change-log entry: when and who."""

    at: str  # ISO timestamp as stored
    who: str


@dataclass(frozen=True)
class CopyFacts:
    """What a verified copy holds, read from the copy itself."""

    counts: dict[str, int]  # rows per table
    schema_revision: str | None
    chain_entries: int
    chain_last_id: int | None
    chain_last_hash: str
    last_change: LastChange | None


def file_uri(path: Path, *, read_only: bool = True) -> str:
    """A SQLite URI for ``path`` (handles spaces, ``#`` and ``?`` in folder names)."""
    uri = path.resolve().as_uri()
    return uri + ("?mode=ro" if read_only else "")


def remove_with_side_files(path: Path) -> None:
    """Delete ``path`` and SQLite's side files for it, whichever exist."""
    for p in (path, *(path.with_name(path.name + s) for s in SIDE_FILES)):
        with contextlib.suppress(OSError):  # not there (or no folder): nothing to remove
            p.unlink()


def part_name(target: Path) -> Path:
    """The temporary name a copy is written under before it counts."""
    return target.with_name(target.name + ".part")


def _table_names(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [str(r[0]) for r in rows]


def count_rows(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in every table of the database ``conn`` is on."""
    return {
        name: int(conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
        for name in _table_names(conn)
    }


def _damaged(path: Path, exc: BaseException) -> BackupFailed:
    return BackupFailed(
        f"The database {path} is damaged or is not a Provider Desk database ({exc}), so no "
        "backup was made.",
        "Keep your existing backups safe (do not delete any). Restore the latest good backup "
        "(File > Restore from a backup…) and contact support.",
    )


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds (an empty list: the file is sound)."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)").fetchall()]
    return [] if rows == ["ok"] else rows


@contextlib.contextmanager
def read_only_session(path: Path) -> Iterator[Session]:
    """An ORM session on a file opened read-only (no side files are created)."""
    uri = file_uri(path)
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    )
    try:
        with Session(engine) as s:
            yield s
    finally:
        engine.dispose()


def inspect_copy(
    path: Path,
    *,
    check_chain: bool = True,
    restoring: bool = False,
    progress: Progress = no_progress,
) -> CopyFacts:
    """Check a copy (integrity, hash chain) and read what it holds. ``restoring``: the copy is a
    backup about to be restored (the messages say so).

    Raises:
        BackupFailed: the file is damaged, or its change log was altered.
    """
    from provider_desk.db.changelog import chain_head, verify_chain

    name = f"The backup {path.name}" if restoring else "The copy"
    outcome = "so it is not restored" if restoring else "so the backup was not kept"
    advice = (
        "Choose another backup (the one before it, say)."
        if restoring
        else "The database itself is probably damaged. Keep your existing backups safe (delete "
        "none), restore the latest good one (File > Restore from a backup…) and contact support."
    )
    try:
        conn = sqlite3.connect(file_uri(path), uri=True)
        try:
            problems = integrity_problems(conn)
            if problems:
                raise BackupFailed(
                    f"{name} failed SQLite's integrity check ({'; '.join(problems[:3])}), "
                    f"{outcome}.",
                    advice,
                )
            counts = count_rows(conn)
            revision = None
            if "alembic_version" in counts:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
            last = None
            if "change_log" in counts:
                row = conn.execute(
                    "SELECT at, who FROM change_log ORDER BY id DESC LIMIT 1"
                ).fetchone()
                last = LastChange(str(row[0]), str(row[1])) if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupFailed(
            f"{name} is damaged or is not a Provider Desk database ({exc}), {outcome}.", advice
        ) from exc
    entries, last_id, last_hash = 0, None, ""
    if check_chain and "change_log" in counts:
        if not progress(70, 100, "Checking the change log…"):
            raise Cancelled()
        with read_only_session(path) as s:
            tampered = verify_chain(s)
            if tampered is not None:
                raise BackupFailed(
                    f"{'The backup' if restoring else 'The'} change log does not verify: entry "
                    f"{tampered} was altered, inserted or removed outside Provider Desk, "
                    f"{outcome}.",
                    advice
                    if restoring
                    else "Someone or something changed the database behind Provider Desk's "
                    "back. Keep your existing backups (delete none) and contact support.",
                )
            head = chain_head(s)
            entries, last_id, last_hash = head.entries, head.last_id, head.last_hash
    return CopyFacts(counts, revision, entries, last_id, last_hash, last)


def verified_copy(
    source: Path,
    target: Path,
    *,
    check_chain: bool = True,
    progress: Progress = no_progress,
    also_check: Callable[[Path], None] | None = None,
) -> CopyFacts:
    """Copy ``source`` to ``target`` and verify the copy before it takes the target's name
    (``also_check`` runs last on the copy, under its temporary name, and may refuse it).

    Raises:
        BackupFailed: the source or the copy is damaged, counts differ, or the chain is broken.
        StorageError: the source is missing, or the target cannot be written.
        Cancelled: ``progress`` returned False.
    """
    if not source.is_file():
        raise StorageError(
            f"No database at {source}.",
            "Check the path, or start Provider Desk once to create one.",
        )
    part = part_name(target)
    remove_with_side_files(part)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        counts = _copy_in_one_snapshot(source, part, progress)
        if not progress(40, 100, "Checking the copy…"):
            raise Cancelled()
        facts = inspect_copy(part, check_chain=check_chain, progress=progress)
        if facts.counts != counts:
            differ = sorted(
                t for t in set(counts) | set(facts.counts) if counts.get(t) != facts.counts.get(t)
            )
            raise BackupFailed(
                f"The copy's row counts differ from the database's ({', '.join(differ[:5])}).",
                "Try again; if it happens again, the disk the backup goes to may be failing.",
            )
        if also_check is not None:
            also_check(part)
        _fsync(part)
        os.replace(part, target)
        _fsync_folder(target.parent)
    except BaseException as exc:
        remove_with_side_files(part)
        if isinstance(exc, sqlite3.Error | OSError) and not isinstance(exc, StorageError):
            raise _storage(target, exc) from exc
        raise
    finally:
        # A journal left by the copy's own connection (never the target's: that is a whole file).
        for suffix in SIDE_FILES:
            with contextlib.suppress(OSError):
                part.with_name(part.name + suffix).unlink()
    return facts


def _copy_in_one_snapshot(source: Path, part: Path, progress: Progress) -> dict[str, int]:
    """Copy ``source`` into ``part`` and count its rows, both inside one read transaction."""
    try:
        src = sqlite3.connect(file_uri(source), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise _storage(source, exc) from exc
    try:
        try:
            src.execute("BEGIN")
            counts = count_rows(src)
        except sqlite3.DatabaseError as exc:
            raise _damaged(source, exc) from exc
        dst = sqlite3.connect(part, isolation_level=None)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                done = total - remaining
                if not progress(done * 40 // max(total, 1), 100, "Copying the database…"):
                    raise Cancelled()

            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
            # The copy inherits WAL mode from the source's header: make it one self-contained
            # file, so opening or copying it never needs (or leaves) side files.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
        src.execute("COMMIT")
        return counts
    finally:
        src.close()


def _storage(path: Path, exc: BaseException) -> StorageError:
    text = str(exc).lower()
    if "full" in text or "no space" in text:
        return StorageError(
            f"The disk holding {path.parent} is full, so no backup was made.",
            "Free some space there (or choose another backup folder) and try again.",
        )
    if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text):
        return _damaged(path, exc)
    return StorageError(
        f"The backup could not be written to {path.parent}: {exc}.",
        "Check the folder exists (a USB drive plugged in, a network drive connected) and that "
        "you can write to it.",
    )


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - Windows cannot open a folder to sync it
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_sqlite(source: Path, target: Path) -> Path:
    """A verified copy of ``source`` at ``target`` (used before migrations: the schema may be an
    older one, so the change log is checked by its integrity and counts only)."""
    verified_copy(source, target, check_chain=False)
    return target


def stamp_of(when: dt.datetime) -> str:
    """``2026-12-03-140512``: a file-name stamp to the second."""
    return when.strftime("%Y-%m-%d-%H%M%S")
