"""The change log viewer's queries and verify-log on a log of 100,000 entries.

Builds a small demo, then appends entries (real hashes, through ``append_entries``) until the
log holds ``--entries``, and times each query the viewer runs and the full check::

    python benchmarks/change_log.py [--entries 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from provider_desk import demo
from provider_desk.areas.opening import open_database
from provider_desk.db.changelog import append_entries
from provider_desk.history.queries import (
    HistoryFilter,
    RecordRef,
    find_records_in,
    history,
    tables_changed_since,
)
from provider_desk.history.verify import check_log
from provider_desk.models.changelog import ChangeLogEntry

TODAY = dt.date(2026, 11, 23)


def _timed(label: str, fn: object) -> object:
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    print(f"{label:<48} {1000 * (time.perf_counter() - start):8.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pd-changelog-"))
    db, _ = open_database(str(folder / "bench.sqlite3"), user="bench", create=True)
    demo.generate(db, today=TODAY)
    with db.reading() as s:
        have = s.execute(select(func.count()).select_from(ChangeLogEntry)).scalar_one()
    users = ["jane.manager", "omar.coordinator", "sam.supervisor"]
    done = have
    while done < args.entries:
        batch = min(5000, args.entries - done)
        with db.session() as s:
            s.info["user"] = users[done % 3]
            append_entries(
                s,
                [
                    ("staff_member", 1 + i % 60, "update", {"notes": [f"n{i}", f"n{i + 1}"]})
                    for i in range(batch)
                ],
            )
        done += batch
    print(f"{done:,} entries")
    everything = HistoryFilter()
    _timed("first page, no filter (with total)", lambda: history(db, everything, TODAY))
    page = history(db, everything, TODAY)
    _timed("next page", lambda: history(db, everything, TODAY, before_id=page.oldest_id))
    _timed("one user", lambda: history(db, HistoryFilter(who="bench"), TODAY))
    _timed("a rare user (scans all)", lambda: history(db, HistoryFilter(who="nobody"), TODAY))
    staff = RecordRef("staff_member", 5)
    _timed("one staff member with parts", lambda: history(db, HistoryFilter(record=staff), TODAY))
    period = HistoryFilter(start=dt.date(2020, 1, 1), end=dt.date(2020, 1, 31))
    _timed("a period with no entries", lambda: history(db, period, TODAY))
    _timed("area: complaints", lambda: history(db, HistoryFilter(area="complaints"), TODAY))
    _timed("record search 'smith'", lambda: db.read(lambda s: find_records_in(s, "smith")))
    newest = history(db, everything, TODAY, limit=1).entries[0].id
    _timed("poll: nothing new", lambda: tables_changed_since(db, newest))
    _timed("poll: the last 50 entries", lambda: tables_changed_since(db, newest - 50))
    _timed("verify-log (chain + anchor)", lambda: check_log(db, anchor_path=folder / "a.json"))
    db.dispose()


if __name__ == "__main__":
    main()
