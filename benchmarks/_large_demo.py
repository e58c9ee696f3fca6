"""What the large-demo benchmarks share: the command line (--runs, --database, --today) and
building the large demo in a temporary folder when no database is given."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def main(doc: str, run: Callable[[Path, dt.date, int], None], *, runs: int) -> int:
    """Parse the shared options and call ``run(database, today, runs)`` on the named database,
    or on a large demo built first (~20 s) in a temporary folder."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--database", type=Path, help="an existing large demo database")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="default: today's date")
    args = parser.parse_args()

    from provider_desk import clock

    today = args.today or clock.today()
    if args.database is not None:
        run(args.database, today, args.runs)
        return 0
    from provider_desk.areas.opening import open_database
    from provider_desk.demo import generate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.sqlite3"
        db, _ = open_database(str(path), create=True)
        t = time.perf_counter()
        counts = generate(db, today=today, size="large", seed=1)
        db.dispose()
        print(
            f"large demo: {counts['staff']} staff in post, {counts['training']} training "
            f"records, built in {time.perf_counter() - t:.1f} s"
        )
        run(path, today, args.runs)
    return 0
