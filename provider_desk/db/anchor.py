"""The change log's last known head, kept outside the database (a JSON file in the user's config
folder), so that a history rewritten with every hash recomputed is still caught.

The hash chain alone has no secret: anyone who edits an entry and recomputes every later hash
makes :func:`~provider_desk.db.changelog.verify_chain` pass again. An anchor records how the chain
ended at a moment the program trusted it (when the app closes, after every verified backup); later
the entry it names must still be there with the same hash. A chain that only grew past the anchor
is fine.

Who writes anchors:

- the app when it closes (:func:`advance_anchor`: only when the log still extends the last anchor,
  so a tampered log never becomes the new trusted head);
- a backup once it has been verified: call ``record_anchor(db.location, head, now)`` with the head
  (``chain_head(session)``) read from the verified copy, which equals the source database's.

``verify-log`` and the app's check at open compare the chain with the last anchor
(:func:`compare_with_anchor`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from provider_desk.db.changelog import ChainHead, chain_head, hash_of
from provider_desk.db.engine import APP_NAME
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.rules.dates import format_date

FILE_NAME = "change-log-anchors.json"


def anchor_file() -> Path:
    """Where anchors are kept: the user's config folder (e.g. %LOCALAPPDATA%\\ProviderDesk)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class Anchor:
    """How the change log of one database ended when it was last trusted."""

    database: str
    entries: int
    last_id: int | None
    last_hash: str
    at: dt.datetime  # UTC

    @property
    def when(self) -> str:
        """``2 Dec 2026 at 14:05`` (this PC's local time)."""
        local = self.at.astimezone()
        return f"{format_date(local.date())} at {local:%H:%M}"

    def describe(self) -> str:
        """``the anchor saved on 2 Dec 2026 at 14:05 (812 entries then, last hash 3f9a…)``."""
        return (
            f"the anchor saved on {self.when} ({self.entries:,} entries then, last hash "
            f"{self.last_hash[:12]}…)"
        )


@dataclass(frozen=True)
class AnchorMismatch:
    """The change log no longer extends its last anchor: its history was rewritten."""

    anchor: Anchor
    reason: str

    def message(self) -> str:
        """What is wrong, in one paragraph."""
        return f"The change log does not match {self.anchor.describe()}: {self.reason}"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    databases = data.get("databases") if isinstance(data, dict) else None
    return databases if isinstance(databases, dict) else {}


def last_anchor(db_location: str, *, path: Path | None = None) -> Anchor | None:
    """The last anchor saved on this PC for the database at ``db_location`` (None: none yet)."""
    raw = _read(path or anchor_file()).get(db_location)
    if not isinstance(raw, dict):
        return None
    try:
        return Anchor(
            database=db_location,
            entries=int(raw["entries"]),
            last_id=None if raw.get("last_id") is None else int(raw["last_id"]),
            last_hash=str(raw["last_hash"]),
            at=dt.datetime.fromisoformat(str(raw["at"])),
        )
    except (KeyError, TypeError, ValueError):
        return None


def record_anchor(
    db_location: str, head: ChainHead, now: dt.datetime, *, path: Path | None = None
) -> Anchor:
    """Save ``head`` as the trusted end of the change log of the database at ``db_location``
    (``Database.location``), replacing that database's previous anchor; other databases' anchors
    are kept. ``now`` is a timezone-aware timestamp. The file is replaced in one step, so a
    crash never leaves half of it.

    Call only with a head read from a log that verified (``verify_chain``) and, if an anchor
    existed, still matched it: otherwise a tampered history becomes the trusted one.
    """
    target = path or anchor_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    databases = _read(target)
    anchor = Anchor(db_location, head.entries, head.last_id, head.last_hash, now.astimezone(dt.UTC))
    databases[db_location] = {
        "entries": anchor.entries,
        "last_id": anchor.last_id,
        "last_hash": anchor.last_hash,
        "at": anchor.at.isoformat(),
    }
    fd, temp = tempfile.mkstemp(prefix=".anchors-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"version": 1, "databases": databases}, out, indent=2, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return anchor


def _table() -> Table:
    t = ChangeLogEntry.__table__
    assert isinstance(t, Table)
    return t


def compare_with_anchor(session: Session, anchor: Anchor) -> AnchorMismatch | None:
    """None if the change log still holds the anchored entry with the anchored hash and as many
    entries up to it (a log that only grew is fine); else what no longer matches."""
    if anchor.last_id is None:
        return None  # anchored while empty: any chain that verifies extends it
    t = _table()
    saved = session.execute(select(t.c.hash).where(t.c.id == anchor.last_id)).scalar()
    if saved is None:
        return AnchorMismatch(
            anchor,
            f"entry {anchor.last_id}, the last one then, is no longer in the log (entries were "
            "removed, or the database was replaced by an older copy).",
        )
    if saved != anchor.last_hash:
        return AnchorMismatch(
            anchor,
            f"entry {anchor.last_id} now has a different hash ({str(saved)[:12]}…), so the "
            "history up to it was rewritten and its hashes recomputed.",
        )
    upto = session.execute(
        select(func.count()).select_from(t).where(t.c.id <= anchor.last_id)
    ).scalar_one()
    if upto != anchor.entries:
        return AnchorMismatch(
            anchor,
            f"the log now holds {upto:,} entries up to entry {anchor.last_id}, not "
            f"{anchor.entries:,}.",
        )
    return None


def _extends(session: Session, anchor: Anchor) -> bool:
    """True if every entry after the anchored one chains from it (checked from there only)."""
    prev_hash = anchor.last_hash
    t = _table()
    query = select(t).order_by(t.c.id)
    if anchor.last_id is not None:
        query = query.where(t.c.id > anchor.last_id)
    for e in session.execute(query):
        if e.prev_hash != prev_hash or e.hash != hash_of(e, prev_hash):
            return False
        prev_hash = e.hash
    return True


def advance_anchor(
    session: Session, db_location: str, now: dt.datetime, *, path: Path | None = None
) -> Anchor | AnchorMismatch | None:
    """Move this database's anchor to the log's current head, if the log still matches the last
    anchor and every entry since chains from it (only those entries are checked, so this is
    quick at exit). Returns the new anchor; the mismatch when the log no longer extends the
    anchor (the anchor is then left as it was); None when there was no anchor to extend (then
    nothing is written: the first anchor comes from a full check, see ``anchor_if_intact``)."""
    anchor = last_anchor(db_location, path=path)
    if anchor is None:
        return None
    mismatch = compare_with_anchor(session, anchor)
    if mismatch is not None:
        return mismatch
    if not _extends(session, anchor):
        return AnchorMismatch(
            anchor, "an entry written since then does not chain from it (run verify-log)."
        )
    head = chain_head(session)
    if head.last_id == anchor.last_id and head.entries == anchor.entries:
        return anchor
    return record_anchor(db_location, head, now, path=path)
