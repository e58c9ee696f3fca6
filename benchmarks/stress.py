"""Stress: hundreds of page loads while exports run, then shutdown; the process must exit cleanly.

    python benchmarks/stress.py [--database large.sqlite3] [--loads 400] [--exports 6]

Builds the main window on a copy of the database (a small demo when none is given), then keeps
an export running in the background (the training matrix PDF, the staff register, the
supervision log, in turn) while it clicks through every page and reloads it, ``--loads`` times in
all; then it closes the window and disposes of the database while results may still be on
their way. Run it in a fresh process (it is one): a crash in Qt or in the bindings ends the
process ("Fatal Python error: none_dealloc" was one), so the exit status is the result. The
suite runs a short form (tests/ui/test_stress.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def stress(database: Path, out: Path, loads: int, exports: int) -> int:
    """Run the stress on ``database``; returns how many page loads and exports finished."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from provider_desk.db.engine import resolve_database_url
    from provider_desk.db.session import Database
    from ui.areas.staff.page import StaffPage
    from ui.areas.supervision.page import SupervisionPage
    from ui.areas.training.page import TrainingPage
    from ui.context import AppContext
    from ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    db = Database(resolve_database_url(str(database)))
    ctx = AppContext(db)
    window = MainWindow(ctx, QSettings(str(out / "settings.ini"), QSettings.Format.IniFormat))
    window.show()
    window.refresh_all()
    training = window.page("training")
    assert isinstance(training, TrainingPage)
    staff, supervision = window.page("staff"), window.page("supervision")
    assert isinstance(staff, StaffPage) and isinstance(supervision, SupervisionPage)
    while ctx.tasks.busy:
        app.processEvents()
    started = 0
    done = 0

    def export() -> None:
        nonlocal started
        kind = started % 3
        if kind == 0:
            training.export_matrix_to(out / f"matrix-{started}.pdf")
        elif kind == 1:
            staff.export_to(out / f"staff-{started}.csv")
        else:
            supervision.export_to(out / f"supervision-{started}.csv")
        started += 1

    export()
    rows = window.nav.count()
    for i in range(loads):
        if not ctx.tasks.exporting and started < exports:
            export()
        row = i % rows
        window.nav.setCurrentRow(row)
        window.pages[row].refresh()  # type: ignore[union-attr]
        done += 1
        for _ in range(3):
            app.processEvents()
    window.close()  # waits for the worker, as at exit
    db.dispose()
    del window
    return done + started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a demo database to copy (default: build a small one)")
    parser.add_argument("--loads", type=int, default=400)
    parser.add_argument("--exports", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        if args.database:
            shutil.copyfile(args.database, path)
        else:
            from provider_desk import clock
            from provider_desk.areas.opening import open_database
            from provider_desk.demo import generate

            db, _ = open_database(str(path), create=True)
            generate(db, today=clock.today(), size="small")
            db.dispose()
        n = stress(path, Path(tmp), args.loads, args.exports)
    print(f"stress: {n} page loads and exports, then shutdown: clean exit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
