"""Is the change log intact? The hash chain checked entry by entry (the first entry altered,
inserted or removed, named with when, who and which record), then compared with the last anchor
kept outside the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.db.anchor import (
    Anchor,
    AnchorMismatch,
    compare_with_anchor,
    last_anchor,
    record_anchor,
)
from provider_desk.db.changelog import GENESIS, chain_head, hash_of, verify_chain
from provider_desk.history.queries import format_when
from provider_desk.history.records import describe
from provider_desk.models.changelog import ChangeLogEntry

if TYPE_CHECKING:
    from provider_desk.db.session import Database

ADVICE = (
    "The change log was changed outside Provider Desk. Keep this database file as it is (do not "
    "save anything more), compare it with your last good backup, and tell whoever leads on data "
    "protection."
)

ALTERED, INSERTED, REMOVED, REWRITTEN = "altered", "inserted", "removed", "rewritten"


@dataclass(frozen=True)
class LogCheck:
    """The outcome of checking one database's change log."""

    entries: int
    problem: str = ""  # "" when intact and matching its anchor
    kind: str = ""  # altered / inserted / removed / rewritten
    entry_id: int | None = None  # the entry named by the problem
    anchor: Anchor | None = None  # the last anchor on this PC (None: none yet)

    @property
    def intact(self) -> bool:
        """True when the chain verifies and extends the last anchor."""
        return not self.problem

    def lines(self) -> list[str]:
        """The report, as ``verify-log`` prints it."""
        if not self.intact:
            return [self.problem, ADVICE]
        lines = [f"Change log intact, {self.entries:,} entries."]
        if self.anchor is None:
            lines.append("No anchor has been saved on this PC for this database yet.")
        else:
            lines.append(f"It extends {self.anchor.describe()}.")
        return lines


def _who_what(s: Session, e: ChangeLogEntry) -> str:
    record = describe(s, [(e.table_name, e.row_id)])[(e.table_name, e.row_id)]
    return f"entry {e.id} ({format_when(e.at)}, by {e.who}, {record})"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _neighbour(s: Session, entry_id: int, *, before: bool) -> ChangeLogEntry | None:
    query = select(ChangeLogEntry)
    if before:
        query = query.where(ChangeLogEntry.id < entry_id).order_by(ChangeLogEntry.id.desc())
    else:
        query = query.where(ChangeLogEntry.id > entry_id).order_by(ChangeLogEntry.id)
    return s.scalars(query.limit(1)).first()


def describe_break(s: Session, broken_id: int) -> tuple[str, int, str]:
    """Why the chain breaks at entry ``broken_id`` (what ``verify_chain`` returned): (kind, the
    entry to name, a sentence)."""
    x = s.get(ChangeLogEntry, broken_id)
    assert x is not None
    p = _neighbour(s, x.id, before=True)
    p_hash = p.hash if p is not None else GENESIS
    if x.prev_hash == p_hash:
        return ALTERED, x.id, f"{_cap(_who_what(s, x))} was altered after it was written."
    pp = _neighbour(s, p.id, before=True) if p is not None else None
    pp_hash = pp.hash if pp is not None else GENESIS
    if p is not None and x.prev_hash == pp_hash:
        return (
            INSERTED,
            p.id,
            f"{_cap(_who_what(s, p))} was inserted: the entry after it follows the one before it.",
        )
    if x.hash != hash_of(x, x.prev_hash):
        return ALTERED, x.id, f"{_cap(_who_what(s, x))} was altered after it was written."
    n = _neighbour(s, x.id, before=False)
    if n is not None and n.prev_hash == p_hash:
        return (
            INSERTED,
            x.id,
            f"{_cap(_who_what(s, x))} was inserted: the entry after it follows the one before it.",
        )
    if p is None:
        return REMOVED, x.id, f"Entries were removed before the first one left, {_who_what(s, x)}."
    return (
        REMOVED,
        x.id,
        f"An entry was removed between {_who_what(s, p)} and {_who_what(s, x)}.",
    )


def check_log_in(s: Session, db_location: str, *, anchor_path: Path | None = None) -> LogCheck:
    """Check the chain and compare it with the last anchor saved on this PC."""
    head = chain_head(s)
    anchor = last_anchor(db_location, path=anchor_path)
    broken = verify_chain(s)
    if broken is not None:
        kind, entry_id, sentence = describe_break(s, broken)
        return LogCheck(head.entries, sentence, kind, entry_id, anchor)
    if anchor is not None:
        mismatch: AnchorMismatch | None = compare_with_anchor(s, anchor)
        if mismatch is not None:
            return LogCheck(head.entries, mismatch.message(), REWRITTEN, anchor.last_id, anchor)
    return LogCheck(head.entries, anchor=anchor)


def check_log(db: Database, *, anchor_path: Path | None = None) -> LogCheck:
    """:func:`check_log_in` in one read transaction of its own."""
    with db.reading() as s:
        return check_log_in(s, db.location, anchor_path=anchor_path)


def check_at_open(db: Database, now: dt.datetime, *, anchor_path: Path | None = None) -> LogCheck:
    """The check the app runs when it opens a database; a log that is intact and has no anchor
    on this PC yet gets its first one now."""
    with db.reading() as s:
        result = check_log_in(s, db.location, anchor_path=anchor_path)
        if result.intact and result.anchor is None:
            anchor = record_anchor(db.location, chain_head(s), now, path=anchor_path)
            return LogCheck(result.entries, anchor=anchor)
    return result
