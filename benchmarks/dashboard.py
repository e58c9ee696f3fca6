"""The home page's figures on the large demo database (~250 staff, five years of records).

    python benchmarks/dashboard.py [--runs 7] [--database large.sqlite3] [--today 2026-11-23]

Prints, each against a baseline measured in the same run, the median of ``--runs`` runs of:
1. the raw count queries: plain SQL COUNTs over the same tables (sqlite3, one connection);
2. the cards: every area's attention items and the card counts (``figures_in``, one snapshot)
   (goal: under 300 ms);
3. ``status()``: cards plus readiness (every area's evidence for the year), as
   ``provider-desk status`` reads them in one transaction;
4. the trends (12 month ends) on their own, as the home page adds them;
5. the whole home page as the client reads it off the GUI thread (``read_home``: cards,
   readiness and trends in one snapshot).

Without ``--database`` it runs on the large and the huge demo (built once and kept under the
temporary folder; ``--sizes large`` for one) and ends with how each figure grows.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COUNTS = [
    "SELECT count(*) FROM staff_member WHERE archived_at IS NULL",
    "SELECT count(*) FROM recruitment_check",
    "SELECT count(*) FROM training_record WHERE archived_at IS NULL",
    "SELECT count(*) FROM role_requirement",
    "SELECT count(*) FROM supervision_record WHERE archived_at IS NULL",
    "SELECT count(*) FROM person WHERE archived_at IS NULL",
    "SELECT count(*) FROM care_plan",
    "SELECT count(*) FROM care_review WHERE archived_at IS NULL",
    "SELECT count(*) FROM risk_assessment WHERE archived_at IS NULL",
    "SELECT count(*) FROM goal WHERE archived_at IS NULL",
    "SELECT count(*) FROM complaint WHERE archived_at IS NULL",
    "SELECT count(*) FROM compliment WHERE archived_at IS NULL",
    "SELECT count(*) FROM audit_run WHERE archived_at IS NULL",
    "SELECT count(*) FROM action WHERE archived_at IS NULL",
]


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def run(path: Path, today: dt.date, runs: int) -> dict[str, float]:
    from provider_desk.dashboard import figures_in, read_home, status, trends_in
    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.session import Database
    from provider_desk.reading import on_in

    db = Database(resolve_database_url(str(path)))
    raw = sqlite3.connect(path)

    def baseline() -> None:
        for sql in COUNTS:
            raw.execute(sql).fetchone()

    def cards() -> None:
        db.read(lambda s: figures_in(s, on_in(s, today)))

    def trends() -> None:
        db.read(lambda s: trends_in(s, on_in(s, today)))

    baseline(), cards(), status(db, today), trends()  # warm caches alike
    base_ms = median_ms(baseline, runs)
    cards_ms = median_ms(cards, runs)
    status_ms = median_ms(lambda: status(db, today), runs)
    trends_ms = median_ms(trends, runs)
    home_ms = median_ms(lambda: read_home(db, today), runs)
    data = status(db, today)
    late = data["todo"]["overdue_or_missing"]
    print(f"as on {today}: {data['todo']['items']} items need attention ({late} late)")
    print(f"raw SQL COUNTs, same tables:       median {base_ms:7.1f} ms")
    print(
        f"cards (attention + counts):        median {cards_ms:7.1f} ms  "
        f"ratio {cards_ms / base_ms:5.1f}x; under 300 ms: {'yes' if cards_ms < 300 else 'no'}"
    )
    print(
        f"status() (cards + readiness):      median {status_ms:7.1f} ms  "
        f"ratio {status_ms / base_ms:5.1f}x; under 300 ms: {'yes' if status_ms < 300 else 'no'}"
    )
    print(
        f"trends (12 month ends):            median {trends_ms:7.1f} ms  "
        f"ratio {trends_ms / base_ms:5.1f}x"
    )
    print(
        f"home page (all of it, off thread): median {home_ms:7.1f} ms  "
        f"ratio {home_ms / base_ms:5.1f}x"
    )
    raw.close()
    db.dispose()
    return {
        "raw COUNTs ms": base_ms,
        "cards ms": cards_ms,
        "status() ms": status_ms,
        "home page ms": home_ms,
        "status() ratio": status_ms / base_ms,
    }


def main() -> int:
    from benchmarks._large_demo import main as large_demo_main

    return large_demo_main(__doc__ or "", run, runs=7, sizes=("large", "huge"))


if __name__ == "__main__":
    sys.exit(main())
