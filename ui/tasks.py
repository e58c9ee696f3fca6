"""Run core work off the GUI thread: one worker for everything that may write (one SQLite writer)
and a second, read-only one for exports, so that a long export never holds up a page's data;
callbacks on the GUI thread, and a progress dialog only when work takes longer than half a
second. ``ui.qtfix`` (imported here, before any view exists) works around the PySide6 bug that
ended the app with "none_dealloc" under load."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from provider_desk.progress import Cancelled
from ui import gc_thread, qtfix

PROGRESS_DELAY_MS = 500
assert qtfix.PROTECTED in (True, False)  # imported for its effect


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], signals: _Signals, with_progress: bool) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.with_progress = with_progress
        self.cancelled = False
        self.setAutoDelete(True)

    def _progress(self, done: int, total: int, what: str) -> bool:
        self.signals.progressed.emit(done, total, what)
        return not self.cancelled

    def run(self) -> None:
        try:
            result = self.fn(self._progress) if self.with_progress else self.fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            exc.__dict__.setdefault("_pd_traceback", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


def _owner_alive(callback: Callable[..., Any] | None) -> bool:
    """False when a callback is a method of a Qt object that has since been deleted, or a
    closure over one (e.g. the window closed while its page or its last backup was still being
    read): such a result has nowhere to go."""
    owners: list[object] = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            owners.append(cell.cell_contents)
        except ValueError:  # a cell not filled yet
            continue
    return all(shiboken6.isValid(o) for o in owners if isinstance(o, QObject))


class TaskRunner(QObject):
    """Runs functions on worker threads and reports back on the GUI thread: one worker runs
    whatever may write, one at a time, in order; a second runs exports (which only read)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        gc_thread.install()  # garbage (Qt objects included) is collected on the GUI thread only
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._exports = QThreadPool(self)
        self._exports.setMaxThreadCount(1)
        self._running = 0
        self._exporting = 0
        self._keep: set[_Signals] = set()

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        progress_parent: QWidget | None = None,
        progress_label: str = "",
        export: bool = False,
    ) -> None:
        """Run ``fn`` in the background.

        With ``progress_parent``, ``fn`` receives a progress callback and a cancellable progress
        dialog appears if the work is still running after half a second. With ``export``, ``fn``
        only reads the database (and writes files): it runs on the export worker, beside page
        loads and saves.
        """
        signals = _Signals()
        self._keep.add(signals)
        job = _Job(fn, signals, with_progress=progress_parent is not None)
        dialog: list[QProgressDialog] = []
        timer: QTimer | None = None
        if progress_parent is not None:
            timer = QTimer(self)
            timer.setSingleShot(True)

            def show_dialog() -> None:
                d = QProgressDialog(progress_label or "Working…", "Cancel", 0, 0, progress_parent)
                d.setWindowTitle("Provider Desk")
                d.setMinimumDuration(0)
                d.canceled.connect(lambda: setattr(job, "cancelled", True))
                d.show()
                dialog.append(d)

            timer.timeout.connect(show_dialog)
            timer.start(PROGRESS_DELAY_MS)

            def on_progress(done: int, total: int, what: str) -> None:
                if dialog:
                    dialog[0].setMaximum(max(total, 1))
                    dialog[0].setValue(min(done, total))
                    dialog[0].setLabelText(what)

            signals.progressed.connect(on_progress)

        def finish() -> None:
            if timer is not None:
                timer.stop()
            if dialog:
                dialog[0].reset()
                dialog[0].deleteLater()
            if signals not in self._keep:
                return  # dropped by shutdown()
            self._keep.discard(signals)
            self._running -= 1
            self._exporting -= export
            if self._running == 0:
                self.busy_changed.emit(False)

        @Slot(object)
        def succeeded(result: Any) -> None:
            finish()
            if on_success is not None and _owner_alive(on_success):
                on_success(result)

        @Slot(object)
        def failed(exc: BaseException) -> None:
            finish()
            if isinstance(exc, Cancelled):
                return
            if on_failure is not None:
                if _owner_alive(on_failure):
                    on_failure(exc)
            else:
                raise exc

        signals.succeeded.connect(succeeded)
        signals.failed.connect(failed)
        self._running += 1
        self._exporting += export
        if self._running == 1:
            self.busy_changed.emit(True)
        (self._exports if export else self._pool).start(job)

    @property
    def busy(self) -> bool:
        """True while work is queued or running."""
        return self._running > 0

    @property
    def exporting(self) -> bool:
        """True while an export is queued or running."""
        return self._exporting > 0

    def shutdown(self, msecs: int = 30000) -> bool:
        """At exit: drop the work not started yet and wait for what is running (so no worker
        outlives the database or the interpreter). True if both workers stopped."""
        self._pool.clear()
        self._exports.clear()
        stopped = self.wait(msecs)
        if stopped and self._running:
            self._keep.clear()  # what was dropped never reports; what ran has nobody to tell
            self._running = self._exporting = 0
            self.busy_changed.emit(False)
        return stopped

    def wait(self, msecs: int = 30000) -> bool:
        """Block until both workers are idle (at exit and in tests)."""
        return self._pool.waitForDone(msecs) and self._exports.waitForDone(msecs)
