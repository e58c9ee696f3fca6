"""The change log as a spreadsheet: one row per field changed, with the entry's when, who and
record, for whatever the viewer's filters show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from provider_desk.history.queries import HistoryFilter, history_in
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.tabular.write import write_table

if TYPE_CHECKING:
    from provider_desk.db.session import Database

HEADERS = ("Entry", "When", "Who", "Record", "Kind of record", "Action", "Field", "Old", "New")
_BATCH = 2000


def export_history(
    db: Database,
    f: HistoryFilter,
    today: dt.date,
    path: Path,
    progress: Progress = no_progress,
) -> int:
    """Write every entry matching ``f`` (newest first) to ``path`` (.csv or .xlsx), read in one
    snapshot. Returns the number of entries written.

    Raises:
        Cancelled: the user cancelled (nothing is written).
    """
    rows: list[list[Any]] = []
    count = 0
    with db.reading() as s:
        page = history_in(s, f, today, limit=_BATCH)
        total = page.total
        while True:
            for e in page.entries:
                head = [e.id, e.when, e.who, e.record, e.kind, e.action_label]
                if not e.changes:
                    rows.append([*head, "", "", ""])
                for c in e.changes:
                    rows.append([*head, c.label, c.old, c.new])
            count += len(page.entries)
            if not progress(count, total, f"Reading the change log ({count:,} of {total:,})"):
                raise Cancelled
            if not page.more:
                break
            page = history_in(s, f, today, before_id=page.oldest_id, limit=_BATCH, count=False)
    write_table(path, HEADERS, rows, sheet_title="Change log")
    return count
