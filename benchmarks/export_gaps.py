"""Page reads during a long export: the longest gap on the GUI thread, and how long a page clicked
during the export waits for its data.

    python benchmarks/export_gaps.py [--database large.sqlite3] [--sizes large huge]

On a copy of the database (the large and the huge demo when none is given), starts the training
matrix PDF export (the longest) and, while it runs, clicks through every page every 200 ms,
reloading it. A 5 ms timer on the GUI thread records the longest gap between its ticks (goal:
under 50 ms; the floor is the same timer with nothing running, measured first in the same run).
The matrix export runs in a process of its own (ui/tasks.py ``run_in_process``), so neither
its interpreter lock nor its worker is shared with the window; page reads still run on a
worker thread of this process, and their results are put into the tables on the GUI thread.
Work (a page read, the export's process) starts once the GUI thread is back in its event loop,
not in the same turn as the click; a worker takes its next job only once the GUI thread has
handed the last result to its callback (so a page's fill, 10-25 ms of Python on the huge demo,
never takes turns at the interpreter lock with the next read: that doubled it into 40-100 ms
gaps); the modules the export's process needs are imported on a worker when the window opens
(PySide6 reads the source of each module imported after it: 8-13 ms of the GUI thread at the
first export); and a worker gives the interpreter lock up after 1 ms when the GUI thread wants
it (``ui/tasks.py``).

A gap is the GUI thread's own work plus its waiting (for the interpreter lock held by a worker
thread, or for a CPU when the machine is busy). So the benchmark also prints the longest CPU time
the GUI thread itself spent between two ticks (its own work: filling models, collecting garbage,
painting), and the load average while it ran: on a machine with more runnable work than cores
the gaps are mostly waiting for a CPU, which no change to the program can remove. What is left on
the huge demo (sampled with the threads' CPU clocks and /proc's run-queue waits): the GUI thread's
own work (a page's fill, 10-25 ms; painting a page just switched to, ~20 ms in Qt; a middle
garbage collection, 10-20 ms) stretched by waiting for a CPU on a loaded machine, and, during
the Evidence read (a second of Python on a worker), turns at the interpreter lock. With two sizes
it ends with how each figure grows.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    from benchmarks._large_demo import SIZES, demo_database, print_growth

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a demo database to copy (default: the demos)")
    parser.add_argument("--sizes", nargs="+", choices=SIZES, default=list(SIZES))
    args = parser.parse_args()
    from provider_desk import clock

    if args.database:
        measure(Path(args.database))
        return 0
    figures = {}
    for size in args.sizes:
        source = demo_database(size, clock.today())
        print(f"\n== {size} demo")
        figures[size] = measure(source)
    print_growth(figures, args.sizes)
    return 0


def measure(source: Path) -> dict[str, float]:
    """Export the matrix PDF from a copy of ``source`` while clicking through the pages."""
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from provider_desk.areas.opening import open_database
    from ui.areas.training.page import TrainingPage
    from ui.context import AppContext
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        shutil.copyfile(source, path)
        db, _ = open_database(str(path))
        ctx = AppContext(db)
        window = MainWindow(ctx, QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window.show()
        window.refresh_all()
        training = window.page("training")
        assert isinstance(training, TrainingPage)
        for key in window.keys:  # build and load every page first: building is not what is timed
            window.page(key).refresh()
        while ctx.tasks.busy:
            app.processEvents()
        clock = QElapsedTimer()
        clock.start()
        gaps: list[int] = []
        bursts: list[float] = []  # the GUI thread's own CPU time between two ticks, ms
        last = [clock.elapsed()]
        last_cpu = [time.thread_time()]

        def tick() -> None:
            now, cpu = clock.elapsed(), time.thread_time()
            gaps.append(now - last[0])
            bursts.append((cpu - last_cpu[0]) * 1000)
            last[0], last_cpu[0] = now, cpu

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)

        def run_for(ms: int) -> None:
            end = clock.elapsed() + ms
            while clock.elapsed() < end:
                app.processEvents()
                time.sleep(0.001)

        last[0], last_cpu[0] = clock.elapsed(), time.thread_time()
        timer.start()
        run_for(1000)
        idle_gap = max(gaps)
        gaps.clear()
        bursts.clear()
        load_before = _load()
        waits: list[int] = []
        t0 = clock.elapsed()
        training.export_matrix_to(Path(tmp) / "matrix.pdf")
        row = 0
        while ctx.tasks.exporting:
            row = (row + 1) % window.nav.count()
            window.nav.setCurrentRow(row)
            page = window.pages[row]
            assert page is not None
            asked = clock.elapsed()
            page.refresh()
            while ctx.tasks.busy and not _only_exporting(ctx):
                app.processEvents()
                time.sleep(0.001)
            waits.append(clock.elapsed() - asked)
            run_for(200)
        export_ms = clock.elapsed() - t0
        timer.stop()
        print(f"training matrix PDF export: {export_ms} ms, {len(waits)} page clicks meanwhile")
        print(f"GUI-thread timer, nothing running:   longest gap {idle_gap} ms (the floor)")
        print(f"GUI-thread timer, during the export: longest gap {max(gaps)} ms (goal < 50 ms)")
        print(
            f"GUI thread's own CPU time between two ticks: longest {max(bursts):.0f} ms "
            f"(the rest of a gap is waiting); load average {load_before} -> {_load()} "
            f"on {os.cpu_count()} CPUs"
        )
        waits.sort()
        print(
            f"page data during the export: median {waits[len(waits) // 2]} ms, "
            f"longest {waits[-1]} ms after the click"
        )
        window.close()
        db.dispose()
    return {
        "export ms": float(export_ms),
        "longest GUI gap ms": float(max(gaps)),
        "longest GUI CPU burst ms": max(bursts),
        "page data median wait ms": float(waits[len(waits) // 2]),
    }


def _load() -> str:
    """The one-minute load average ("n/a" where the system has none, e.g. Windows)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "n/a"


def _only_exporting(ctx: object) -> bool:
    tasks = ctx.tasks  # type: ignore[attr-defined]
    return bool(tasks.exporting and tasks._running == tasks._exporting)


if __name__ == "__main__":
    sys.exit(main())
