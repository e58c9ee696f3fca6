"""A short form of benchmarks/stress.py: page loads while exports run, then shutdown; and the
PySide6 None- and True-reference bugs found under load (see ui/qtfix.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QStandardItemModel
from pytestqt.qtbot import QtBot

from tests.ui.conftest import wait_idle
from ui.areas.staff.page import StaffPage
from ui.areas.training.page import TrainingPage
from ui.context import AppContext
from ui.main_window import MainWindow


def test_empty_qvariants_never_use_up_none() -> None:
    model = QStandardItemModel(1, 1)
    index = model.index(0, 0)
    # Without the workaround each call lost a reference to None: ~10,000 calls ended the process.
    for _ in range(100_000):
        assert index.data(1000) is None
    assert sys.getrefcount(None) > 100_000


def test_true_emitted_as_an_object_never_runs_out() -> None:
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        fired = Signal(object)

    emitter = Emitter()
    heard: list[object] = []
    emitter.fired.connect(heard.append)
    # Without the workaround each emission lost a reference to True, which has a few hundred:
    # the process ended with "bool_dealloc".
    for _ in range(10_000):
        emitter.fired.emit(True)
    assert heard == [True] * 10_000 and sys.getrefcount(True) > 10_000


def test_page_loads_during_exports_then_shutdown(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    training, staff = window.page("training"), window.page("staff")
    assert isinstance(training, TrainingPage) and isinstance(staff, StaffPage)
    training.refresh()  # the matrix export writes what the page has loaded
    wait_idle(qtbot, ctx)
    exports = 0
    for i in range(120):
        if not ctx.tasks.exporting and exports < 6:
            if exports % 2:
                staff.export_to(tmp_path / f"staff-{exports}.csv")
            else:
                training.export_matrix_to(tmp_path / f"matrix-{exports}.pdf")
            exports += 1
        row = i % window.nav.count()
        window.nav.setCurrentRow(row)
        page = window.pages[row]
        assert page is not None
        page.refresh()
        qtbot.wait(1)
    window.close()  # drops queued loads and waits for running work
    assert not ctx.tasks.busy or ctx.tasks.shutdown()
    assert len(list(tmp_path.glob("matrix-*.pdf"))) >= 1
