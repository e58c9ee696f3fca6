"""What the demo benchmarks share: the command line (--runs, --database, --today, --sizes), the
demo databases built once and kept under the temporary folder, medians, and how figures grow
from the large demo (250 staff) to the huge one (1,000 staff).

A demo database is cached as ``<tmp>/provider-desk-bench/<size>-<today>-<schema>-<demo code>``
(any change to the schema or to ``provider_desk/demo`` builds a new one); a benchmark that
writes works on a copy (:func:`copy_database`), never on the cached file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "provider-desk-bench"
SIZES = ("large", "huge")
Figures = Mapping[str, float]
"""What a benchmark's run returns: named figures (ms, or ratios) for the growth table."""


def median_ms(fn: Callable[[], object], runs: int) -> float:
    """The median wall time of ``runs`` calls of ``fn``, in milliseconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _demo_digest() -> str:
    h = hashlib.sha256()
    for source in sorted((ROOT / "provider_desk" / "demo").glob("*.py")):
        h.update(source.read_bytes())
    return h.hexdigest()[:10]


def _has_staff(path: Path) -> bool:
    """False for a cached file that is not a whole demo (e.g. an empty database created at the
    cache's name by something that opened it before it was built)."""
    try:
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return bool(raw.execute("SELECT count(*) FROM staff_member").fetchone()[0])
        finally:
            raw.close()
    except sqlite3.Error:
        return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def demo_database(size: str, today: dt.date, *, seed: int = 1) -> Path:
    """The demo database of ``size`` for ``today``: built on first use (the large demo takes
    ~15 s, the huge one about a minute), then reused from the temporary folder."""
    from provider_desk.db.schema import HEAD_REVISION

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{size}-{today}-s{seed}-{HEAD_REVISION}-{_demo_digest()}.sqlite3"
    if path.exists() and _has_staff(path):
        return path
    from provider_desk.areas.opening import open_database
    from provider_desk.demo import generate

    # Its own name while building: two benchmarks started together build side by side (each
    # file whole), and the last to finish is kept. A leftover of a build that died is removed.
    building = path.with_suffix(f".building-{os.getpid()}")
    for leftover in CACHE.glob(path.with_suffix(".building").name + "*"):
        pid = leftover.name.split("-")[-1].split(".")[0]
        if pid.isdigit() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)
    db, _ = open_database(str(building), create=True)
    t = time.perf_counter()
    counts = generate(db, today=today, size=size, seed=seed)
    db.dispose()
    raw = sqlite3.connect(building)  # one self-contained file to copy (the app sets WAL again)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.execute("PRAGMA journal_mode=DELETE")
    raw.close()
    building.replace(path)
    print(
        f"{size} demo: {counts['staff']} staff in post, {counts['training']} training records, "
        f"built in {time.perf_counter() - t:.0f} s (kept as {path})"
    )
    return path


def copy_database(source: Path, folder: Path, name: str = "copy.sqlite3") -> Path:
    """A copy of ``source`` in ``folder`` to write to (replacing an earlier copy)."""
    target = folder / name
    for old in folder.glob(name + "*"):
        old.unlink()
    shutil.copyfile(source, target)
    return target


def print_growth(figures: Mapping[str, Figures], sizes: Sequence[str] = SIZES) -> None:
    """How each figure grows from the first size to the last (e.g. large -> huge)."""
    have = [s for s in sizes if s in figures]
    if len(have) < 2:
        return
    first, last = have[0], have[-1]
    print(f"\nFrom {first} to {last}:")
    for name, before in figures[first].items():
        after = figures[last].get(name)
        if after is None:
            continue
        unit = "x" if name.endswith("ratio") else " ms" if name.endswith("ms") else ""
        grows = f"grows {after / before:.2f}x" if before else ""
        print(f"  {name:<44} {before:9.1f}{unit} -> {after:9.1f}{unit}  {grows}")


def main(
    doc: str,
    run: Callable[[Path, dt.date, int], Figures | None],
    *,
    runs: int,
    sizes: Sequence[str] = ("large",),
) -> int:
    """Parse the shared options and call ``run(database, today, runs)`` on the named database,
    or on each demo of ``--sizes`` in turn (built once and cached), then print how the figures
    ``run`` returns grow from one size to the next."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--database", type=Path, help="an existing demo database")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="default: today's date")
    parser.add_argument(
        "--sizes", nargs="+", choices=SIZES, default=list(sizes), help="demos to run on"
    )
    args = parser.parse_args()

    from provider_desk import clock

    today = args.today or clock.today()
    if args.database is not None:
        run(args.database, today, args.runs)
        return 0
    figures: dict[str, Figures] = {}
    for size in args.sizes:
        path = demo_database(size, today)
        print(f"\n== {size} demo")
        got = run(path, today, args.runs)
        if got:
            figures[size] = got
    print_growth(figures, args.sizes)
    return 0
