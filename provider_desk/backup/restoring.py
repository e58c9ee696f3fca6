"""Restore a backup: check it, show what it holds against what is there now, keep the current
file beside it, and put the backup in place atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from provider_desk.auth.roles import Actor, Permission
from provider_desk.backup.manifest import (
    Manifest,
    counts_per_area,
    read_manifest,
    sha256_of,
)
from provider_desk.db.anchor import record_anchor
from provider_desk.db.backup import (
    BackupFailed,
    LastChange,
    count_rows,
    file_uri,
    inspect_copy,
    integrity_problems,
    remove_with_side_files,
)
from provider_desk.db.changelog import ChainHead
from provider_desk.errors import PermissionDenied, SchemaTooNewError, StorageError
from provider_desk.progress import Cancelled, Progress, no_progress

OTHERS_WARNING = (
    "Close Provider Desk in every other window and on every other PC that uses this database "
    "before restoring: SQLite cannot reliably tell whether another program has the file open "
    "(especially over a network), and a window left open would keep working on the old data."
)


@dataclass(frozen=True)
class Holding:
    """What a database file holds, for "what it holds vs. what you have now"."""

    path: Path
    made_at: dt.datetime | None  # when the backup was made (None: the live database, or unknown)
    tables: dict[str, int]
    last_change: LastChange | None
    schema_revision: str | None
    manifest: Manifest | None = None
    chain_entries: int = 0
    chain_last_id: int | None = None
    chain_last_hash: str = ""

    @property
    def areas(self) -> dict[str, int]:
        """Counts per area, in the manager's words."""
        return counts_per_area(self.tables)


def check_backup(backup: Path, progress: Progress = no_progress) -> Holding:
    """Verify a backup before it is restored: unchanged since it was made (its manifest's
    SHA-256, when it has one), SQLite's integrity check, the change log's chain, and a schema
    this program knows.

    Raises:
        BackupFailed: the file is damaged, changed, or its change log does not verify.
        SchemaTooNewError: it was made by a newer Provider Desk.
        StorageError: the file cannot be read.
    """
    if not backup.is_file():
        raise StorageError(f"There is no backup at {backup}.", "Check the file name and folder.")
    manifest = read_manifest(backup)
    if not progress(5, 100, "Checking the backup is unchanged…"):
        raise Cancelled()
    if manifest is not None:
        try:
            changed = sha256_of(backup) != manifest.sha256
        except OSError as exc:
            raise StorageError(f"The backup {backup} cannot be read: {exc}.", "") from exc
        if changed:
            raise BackupFailed(
                f"{backup.name} has changed since it was made and verified (its contents no "
                "longer match its manifest), so it is not restored.",
                "Choose another backup.",
            )
    if not progress(30, 100, "Checking the backup's integrity and change log…"):
        raise Cancelled()
    facts = inspect_copy(backup, check_chain=True, restoring=True)
    if "alembic_version" not in facts.counts:
        raise BackupFailed(
            f"{backup.name} is not a Provider Desk backup (it has no Provider Desk data).",
            "Choose a backup made by Provider Desk.",
        )
    _refuse_newer(facts.schema_revision)
    return Holding(
        backup,
        manifest.made_at if manifest is not None else None,
        facts.counts,
        facts.last_change,
        facts.schema_revision,
        manifest,
        facts.chain_entries,
        facts.chain_last_id,
        facts.chain_last_hash,
    )


def _refuse_newer(revision: str | None) -> None:
    from provider_desk.db.schema import HEAD_REVISION

    if revision is None or revision == HEAD_REVISION:
        return
    from alembic.script import ScriptDirectory

    from provider_desk.db.migrate import alembic_config

    known = {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if revision not in known:
        raise SchemaTooNewError(
            "This backup was made by a newer version of Provider Desk than this one "
            f"(schema {revision}).",
            "Install the latest Provider Desk on this PC, then restore it. Nothing was changed.",
        )


def describe_database(path: Path) -> Holding | None:
    """What the database at ``path`` holds now (None: there is none)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(file_uri(path), uri=True)
        try:
            tables = count_rows(conn)
            last = None
            if "change_log" in tables:
                row = conn.execute(
                    "SELECT at, who FROM change_log ORDER BY id DESC LIMIT 1"
                ).fetchone()
                last = LastChange(str(row[0]), str(row[1])) if row else None
            revision = None
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
        finally:
            conn.close()
    except sqlite3.Error:
        # Damaged or unreadable: the restore replaces it; the comparison just shows nothing.
        return Holding(path, None, {}, None, None)
    return Holding(path, None, tables, last, revision)


def kept_name(database: Path, now: dt.datetime) -> Path:
    """``provider-desk.sqlite3.before-restore-2026-12-03-1405`` (``-2``… if taken)."""
    base = f"{database.name}.before-restore-{now:%Y-%m-%d-%H%M}"
    target = database.with_name(base)
    n = 2
    while target.exists():
        target = database.with_name(f"{base}-{n}")
        n += 1
    return target


def check_may_restore(actor: Actor | None) -> None:
    """Restoring replaces everyone's records: the registered manager's permission (settings and
    backups). ``None``: nobody has signed in because the database has no user accounts (or
    cannot be read); access to the file is then the proof.

    Raises:
        PermissionDenied: the signed-in user's role does not allow it.
    """
    if actor is not None and not actor.can(Permission.MANAGE_SETTINGS):
        raise PermissionDenied(
            f"{actor.name} ({actor.role.label}) cannot restore a backup: it replaces everyone's "
            "records.",
            "Ask the registered manager to restore it.",
        )


@dataclass(frozen=True)
class Restored:
    """Where the restored database is and where the one it replaced was kept."""

    database: Path
    kept: Path | None
    holding: Holding


def restore_backup(
    backup: Path,
    database: Path,
    *,
    now: dt.datetime,
    progress: Progress = no_progress,
    actor: Actor | None = None,
) -> Restored:
    """Replace ``database`` by ``backup``, keeping the current file beside it.

    The backup is checked first; the current database is copied (online backup API) to
    ``<name>.before-restore-<time>``; the backup is copied beside the database, checked again,
    and moved over it in one rename, so the database's name always holds a whole database.

    Raises:
        BackupFailed / SchemaTooNewError: the backup does not verify (nothing was changed).
        StorageError: the database is open elsewhere, or a file cannot be written.
        Cancelled: before anything was changed.
        PermissionDenied: ``actor`` (the signed-in user) may not manage backups.
    """
    check_may_restore(actor)
    if backup.resolve() == database.resolve():
        raise StorageError("A backup cannot be restored over itself.", "Choose another backup.")
    holding = check_backup(backup, progress)
    if not progress(60, 100, "Keeping a copy of the current database…"):
        raise Cancelled()
    incoming = database.with_name(database.name + ".restoring")
    remove_with_side_files(incoming)
    kept: Path | None = None
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(backup, incoming)  # a backup is one self-contained file (no WAL)
        _check_incoming(incoming)
        if database.exists():
            kept = _keep_current(database, kept_name(database, now))
        progress(90, 100, "Putting the backup in place…")
        with open(incoming, "rb") as f:
            os.fsync(f.fileno())
        os.replace(incoming, database)
        for suffix in ("-wal", "-shm", "-journal"):
            # Whatever side files the old database had belong to it, never to the restored one.
            with contextlib.suppress(FileNotFoundError):
                database.with_name(database.name + suffix).unlink()
        # The restored log is the trusted one now (checked above): anchor its head, or the next
        # check would report the older copy as a history with entries removed.
        head = ChainHead(holding.chain_entries, holding.chain_last_id, holding.chain_last_hash)
        record_anchor(str(database.resolve()), head, now)
    except BaseException as exc:
        remove_with_side_files(incoming)
        if isinstance(exc, OSError | sqlite3.Error) and not isinstance(exc, StorageError):
            raise StorageError(
                f"The backup could not be restored to {database}: {exc}. The database was not "
                "changed.",
                "Check you can write to its folder and that there is free space.",
            ) from exc
        raise
    return Restored(database, kept, holding)


def _check_incoming(path: Path) -> None:
    conn = sqlite3.connect(file_uri(path), uri=True)
    try:
        problems = integrity_problems(conn)
    finally:
        conn.close()
    if problems:
        raise BackupFailed(
            "The copy of the backup beside the database failed its integrity check, so nothing "
            "was replaced.",
            "The disk may be failing; try again, or restore on another PC.",
        )


def _keep_current(database: Path, kept: Path) -> Path:
    """Fold the database's WAL into it and make sure nobody else has it open (switching out of
    WAL mode needs the only connection), then copy it to ``kept``."""
    conn = sqlite3.connect(database, isolation_level=None, timeout=2)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            mode = None
        if mode is None or str(mode[0]).lower() != "delete":
            raise StorageError(
                "The database is open in another Provider Desk window or on another PC, so it "
                "was not replaced.",
                OTHERS_WARNING,
            )
        out = sqlite3.connect(kept, isolation_level=None)
        try:
            conn.backup(out)
        finally:
            out.close()
    except sqlite3.DatabaseError as exc:
        if "malformed" not in str(exc) and "not a database" not in str(exc):
            raise
        # A damaged database cannot be read page by page: keep the file itself, and its WAL.
        shutil.copyfile(database, kept)
        wal = database.with_name(database.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
    finally:
        conn.close()
    return kept
