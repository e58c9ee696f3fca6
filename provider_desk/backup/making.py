"""Make verified backups into a folder, list the folder, rotate it, and say how old the last is."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from provider_desk import __version__
from provider_desk.backup.manifest import Manifest, manifest_path, read_manifest, write_manifest
from provider_desk.backup.rotation import KEEP, Policy, backups_to_remove
from provider_desk.db.anchor import compare_with_anchor, last_anchor, record_anchor
from provider_desk.db.backup import BackupFailed, file_uri, read_only_session, verified_copy
from provider_desk.db.changelog import ChainHead
from provider_desk.errors import StorageError
from provider_desk.progress import Progress, no_progress

PREFIX = "provider-desk-backup-"
EXTENSION = ".sqlite3"
AMBER_AFTER = dt.timedelta(days=7)
DAILY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Made:
    """A verified backup, and what rotation removed to make room."""

    path: Path
    manifest: Manifest
    removed: tuple[Path, ...] = ()

    def describe(self) -> list[str]:
        """What was made and verified, as lines for the CLI and the app."""
        m = self.manifest
        lines = [f"Backed up to {self.path} ({m.size / 1_000_000:.1f} MB).", "Verified:"]
        lines += [f"  {c}" for c in m.checks]
        lines.append(
            "It holds: " + ", ".join(f"{n:,} {label.lower()}" for label, n in m.areas.items()) + "."
        )
        if m.last_change is not None:
            lines.append(
                f"Last change: {describe_moment(m.last_change.at)} by {m.last_change.who}."
            )
        if self.removed:
            lines.append(
                f"Removed {len(self.removed)} older backup(s) (keeping {KEEP.describe()}): "
                + ", ".join(p.name for p in self.removed)
            )
        return lines


def describe_moment(iso: str) -> str:
    """``22 Nov 2026 14:05`` (local time) from a stored ISO timestamp."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if when.tzinfo is not None:
        when = when.astimezone()
    return f"{when.day} {when:%b %Y %H:%M}"


def backup_name(now: dt.datetime) -> str:
    """``provider-desk-backup-2026-12-03-140512.sqlite3``."""
    return f"{PREFIX}{now:%Y-%m-%d-%H%M%S}{EXTENSION}"


def free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name`` with ``-2``, ``-3``… before its ending if that is taken."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists() or manifest_path(target).exists():
        target = folder / f"{stem}-{n}{suffix}"
        n += 1
    return target


def make_backup(
    source: Path,
    target: Path,
    *,
    now: dt.datetime,
    progress: Progress = no_progress,
    anchor: bool = True,
) -> Made:
    """A verified backup of the SQLite database ``source`` at ``target``, with its manifest.

    Raises:
        BackupFailed: the copy did not verify (nothing is left behind).
        StorageError: no database at ``source``, or ``target`` cannot be written.
        Cancelled: ``progress`` returned False (nothing is left behind).
    """
    if target.resolve() == source.resolve():
        raise StorageError(
            "A backup cannot overwrite the database itself.", "Choose another file name or folder."
        )
    location = str(source.resolve())  # Database.location of a SQLite file
    facts = verified_copy(
        source,
        target,
        progress=progress,
        also_check=matches_last_anchor(location) if anchor else None,
    )
    try:
        manifest = Manifest.of(target, facts, made_at=now, source=location, app_version=__version__)
        write_manifest(target, manifest)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    if anchor:
        head = ChainHead(manifest.chain_entries, manifest.chain_last_id, manifest.chain_last_hash)
        record_anchor(location, head, now)
    return Made(target, manifest)


def matches_last_anchor(location: str) -> Callable[[Path], None]:
    """A check for a copy: its change log still extends the last anchor saved on this PC for
    the database at ``location`` (a history rewritten with its hashes recomputed passes the
    chain check, but not this one). A copy that fails it is not kept, and the anchor is not
    moved, so a tampered history never becomes the trusted one."""

    def check(copy: Path) -> None:
        last = last_anchor(location)
        if last is None:
            return
        with read_only_session(copy) as s:
            mismatch = compare_with_anchor(s, last)
        if mismatch is not None:
            raise BackupFailed(
                f"{mismatch.message()} So the backup was not kept.",
                "Keep your existing backups (delete none), run `provider-desk verify-log` and "
                "contact support.",
            )

    return check


def backup_to_folder(
    source: Path,
    folder: Path,
    *,
    now: dt.datetime,
    progress: Progress = no_progress,
    policy: Policy = KEEP,
) -> Made:
    """Back up ``source`` into ``folder`` under a dated name, then rotate that database's
    verified backups there (never the one just made, never anything unverified)."""
    made = make_backup(source, free_name(folder, backup_name(now)), now=now, progress=progress)
    removed = rotate(folder, str(source.resolve()), now.date(), policy)
    return Made(made.path, made.manifest, tuple(removed))


@dataclass(frozen=True)
class BackupFile:
    """A file in the backup folder, with its manifest if it has a readable one."""

    path: Path
    manifest: Manifest | None

    @property
    def good(self) -> bool:
        """Verified when made and unchanged in size since (a sha check happens at restore)."""
        if self.manifest is None:
            return False
        with contextlib.suppress(OSError):
            return self.path.stat().st_size == self.manifest.size
        return False


def list_backups(folder: Path) -> list[BackupFile]:
    """The database files in ``folder``, newest first (by manifest date, else file time)."""
    try:
        files = [p for p in folder.iterdir() if p.suffix in (EXTENSION, ".db") and p.is_file()]
    except OSError:
        return []
    found = [BackupFile(p, read_manifest(p)) for p in files]

    def when(b: BackupFile) -> float:
        if b.manifest is not None:
            return b.manifest.made_at.timestamp()
        with contextlib.suppress(OSError):
            return b.path.stat().st_mtime
        return 0.0

    return sorted(found, key=when, reverse=True)


def good_backups(folder: Path, source: str | None = None) -> list[BackupFile]:
    """Verified backups in ``folder`` (of the database at ``source`` only, if given)."""
    return [
        b
        for b in list_backups(folder)
        if b.good and (source is None or (b.manifest is not None and b.manifest.source == source))
    ]


def last_good_backup(folder: Path, source: str) -> Manifest | None:
    """The newest verified backup of ``source`` in ``folder`` (None: never backed up there)."""
    good = good_backups(folder, source)
    return good[0].manifest if good else None


def rotate(folder: Path, source: str, today: dt.date, policy: Policy = KEEP) -> list[Path]:
    """Remove the verified backups of ``source`` in ``folder`` that the policy does not keep;
    returns what was removed. Unverified files and other databases' backups are never touched."""
    good = good_backups(folder, source)
    dated = [(b.path, b.manifest.made_at) for b in good if b.manifest is not None]
    removed = []
    for path in backups_to_remove(dated, today, policy):
        try:
            path.unlink()
            manifest_path(path).unlink(missing_ok=True)
        except OSError:
            continue  # kept this time (open elsewhere, read-only): rotation tries again next time
        removed.append(path)
    return removed


def current_chain_head(database: Path) -> tuple[int, str]:
    """The live database's change-log entries and last hash, read without side files."""
    conn = sqlite3.connect(file_uri(database), uri=True)
    try:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM change_log), "
            "(SELECT hash FROM change_log ORDER BY id DESC LIMIT 1)"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), str(row[1] or "")


def backup_due(
    last: Manifest | None,
    now: dt.datetime,
    *,
    on_exit: bool = False,
    head: Callable[[], tuple[int, str]] | None = None,
) -> bool:
    """Whether an automatic backup is due: none yet, or the last is a day old; on exit also when
    anything changed since the last (its change-log head differs from the database's)."""
    if last is None or now - last.made_at >= DAILY:
        return True
    if on_exit and head is not None:
        return head() != (last.chain_entries, last.chain_last_hash)
    return False


def automatic_backup(
    source: Path,
    folder: Path,
    *,
    now: dt.datetime,
    on_exit: bool = False,
    progress: Progress = no_progress,
) -> Made | None:
    """Back up if one is due (see :func:`backup_due`); None when none was needed."""
    last = last_good_backup(folder, str(source.resolve()))
    if not backup_due(last, now, on_exit=on_exit, head=lambda: current_chain_head(source)):
        return None
    return backup_to_folder(source, folder, now=now, progress=progress)


@dataclass(frozen=True)
class BackupAge:
    """The status bar's words for the last good backup, and how worried to look."""

    text: str
    level: str  # "ok", "amber" (older than 7 days) or "red" (never)


def backup_age(last: dt.datetime | None, now: dt.datetime) -> BackupAge:
    """``Backed up 2 hours ago``; amber after 7 days; ``Never backed up`` in red."""
    if last is None:
        return BackupAge("Never backed up", "red")
    age = now - last
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        text = "Backed up just now"
    elif seconds < 3600:
        n = seconds // 60
        text = f"Backed up {n} minute{'s' if n != 1 else ''} ago"
    elif seconds < 86400:
        n = seconds // 3600
        text = f"Backed up {n} hour{'s' if n != 1 else ''} ago"
    else:
        n = seconds // 86400
        text = "Backed up yesterday" if n == 1 else f"Backed up {n} days ago"
    return BackupAge(text, "amber" if age > AMBER_AFTER else "ok")
