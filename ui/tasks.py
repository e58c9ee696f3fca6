"""Run core work off the GUI thread: one worker for everything that may write (one SQLite writer)
and a second, read-only one for exports, so that a long export never holds up a page's data;
callbacks on the GUI thread, and a progress dialog only when work takes longer than half a
second. ``ui.qtfix`` (imported here, before any view exists) works around the PySide6 bug that
ended the app with "none_dealloc" under load."""

from __future__ import annotations

import multiprocessing
import sys
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from queue import Empty
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from provider_desk import processes
from provider_desk.progress import Cancelled, Progress, no_progress
from ui import gc_thread, qtfix

PROGRESS_DELAY_MS = 500
PROCESS_POLL_MS = 40
REAP_MS = 500
SWITCH_INTERVAL_S = 0.001
"""How long a worker thread may keep the interpreter lock when the GUI thread wants it (Python's
default is 5 ms, and the GUI thread waits that long again each time it gives the lock up, e.g.
around a call into Qt: with a page read on a worker, 25 ms of GUI work took 75-120 ms)."""
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


@dataclass(eq=False)
class _ChildProcess:
    """An export running in a process of its own, and how to hear from and stop it."""

    process: Any
    queue: Any
    cancel: Any
    poll: QTimer


def _reap(process: Any) -> None:
    """Collect an export process once it has ended, looking again every half second (it is
    winding down its interpreter, at a low priority, after its last word)."""
    if process.exitcode is None:
        QTimer.singleShot(REAP_MS, lambda: _reap(process))
        return
    process.join(0)


_prepared = False


def _prepare_processes() -> None:
    """Import what starting an export process needs, and start multiprocessing's resource
    tracker, on a worker thread ahead of the first export. Done on the GUI thread by the first
    export it was 8-10 ms of the window's thread, 13-46 ms of wall time on a busy machine:
    PySide6 reads the source of every module imported after it (shibokensupport's
    ``feature_imported``), and the tracker is a process of its own."""
    import multiprocessing.queues
    import multiprocessing.synchronize

    if sys.platform == "win32":
        import multiprocessing.popen_spawn_win32
    else:
        import multiprocessing.popen_spawn_posix  # noqa: F401
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()


class _Progress:
    """The cancellable progress dialog of one piece of work, shown only if the work is still
    running after ``PROGRESS_DELAY_MS``."""

    def __init__(
        self, owner: QObject, parent: QWidget, label: str, cancel: Callable[[], None]
    ) -> None:
        self.dialog: QProgressDialog | None = None
        self.timer = QTimer(owner)
        self.timer.setSingleShot(True)

        def show_dialog() -> None:
            d = QProgressDialog(label or "Working…", "Cancel", 0, 0, parent)
            d.setWindowTitle("Provider Desk")
            d.setMinimumDuration(0)
            d.canceled.connect(cancel)
            d.show()
            self.dialog = d

        self.timer.timeout.connect(show_dialog)
        self.timer.start(PROGRESS_DELAY_MS)

    def update(self, done: int, total: int, what: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 1))
            self.dialog.setValue(min(done, total))
            self.dialog.setLabelText(what)

    def close(self) -> None:
        self.timer.stop()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.deleteLater()
            self.dialog = None


class TaskRunner(QObject):
    """Runs functions on worker threads and reports back on the GUI thread: one worker runs
    whatever may write, one at a time, in order; a second runs exports (which only read)."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        collector = gc_thread.install()  # garbage (Qt objects too) is collected on the GUI thread
        if collector is not None:
            collector.hold_while(self)  # no full collection (~0.3 s on the huge demo) mid-work
        if sys.getswitchinterval() > SWITCH_INTERVAL_S:
            sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._exports = QThreadPool(self)
        self._exports.setMaxThreadCount(1)
        self._running = 0
        self._exporting = 0
        self._keep: set[_Signals] = set()
        self._queued: dict[QThreadPool, deque[_Job]] = {self._pool: deque(), self._exports: deque()}
        self._in_flight: dict[QThreadPool, int] = {self._pool: 0, self._exports: 0}
        """Jobs handed to a worker whose result has not been handed to its callback yet: a
        worker's next job waits for that (see :meth:`_start_pending`)."""
        self._children: set[_ChildProcess] = set()
        self._pending: list[Callable[[], None]] = []
        self._starter = QTimer(self)
        self._starter.setSingleShot(True)
        self._starter.setInterval(0)
        self._starter.timeout.connect(self._start_pending)
        self.use_processes = True
        """Exports given to :meth:`run_in_process` run in a process of their own (off in most
        tests, where starting a Python process per export costs a second)."""
        QTimer.singleShot(0, self, self._prepare_processes)

    def _prepare_processes(self) -> None:
        global _prepared
        if self.use_processes and not _prepared:
            _prepared = True
            self._exports.start(_prepare_processes)

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
        progress = (
            _Progress(
                self, progress_parent, progress_label, lambda: setattr(job, "cancelled", True)
            )
            if progress_parent is not None
            else None
        )
        if progress is not None:
            signals.progressed.connect(progress.update)

        pool = self._exports if export else self._pool

        def finish() -> None:
            if progress is not None:
                progress.close()
            if signals not in self._keep:
                return  # dropped by shutdown()
            self._keep.discard(signals)
            self._running -= 1
            self._exporting -= export
            if self._running == 0:
                self.busy_changed.emit(False)

        def delivered() -> None:
            """The result is being handed over: the worker may take its next job once this
            thread is back in an event loop, after the callback has filled its page (or inside
            a dialog the callback shows, which runs one: pages still load behind a message)."""
            self._in_flight[pool] = max(0, self._in_flight[pool] - 1)
            if self._queued[pool]:
                self._starter.start()

        @Slot(object)
        def succeeded(result: Any) -> None:
            delivered()
            finish()
            if on_success is not None and _owner_alive(on_success):
                on_success(result)

        @Slot(object)
        def failed(exc: BaseException) -> None:
            delivered()
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
        # Started once the GUI thread is back in its event loop: a worker reading a page holds
        # the interpreter lock in turns with this thread, and the rest of what this thread is
        # doing now (switching pages, showing one) would wait for those turns.
        self._queued[pool].append(job)
        self._starter.start()

    def _start_pending(self, *, flush: bool = False) -> None:
        """Start the export processes asked for since the GUI thread last returned to its event
        loop, and give each worker its next job, in the order asked for, once the result of
        its previous job has been handed to its callback.

        A worker that took its next job at once would run it while this thread fills a page's
        tables with the previous result (15-30 ms of Python on the huge demo): the two take
        turns at the interpreter lock, and the window's gap doubles (a 20 ms fill was a 40-75
        ms gap). Waiting costs the worker nothing (only one of them can run Python at a time).
        With ``flush``, every queued job is handed to its worker at once (:meth:`wait`)."""
        self._starter.stop()
        pending, self._pending = self._pending, []
        for start in pending:
            start()
        for pool, queued in self._queued.items():
            while queued and (flush or self._in_flight[pool] == 0):
                self._in_flight[pool] += 1
                pool.start(queued.popleft())

    def run_in_process(
        self,
        job: Callable[[Progress], Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        progress_parent: QWidget | None = None,
        progress_label: str = "",
    ) -> None:
        """Run the export ``job(progress)`` in a process of its own (see
        :mod:`provider_desk.processes`): the window's thread never waits for it. ``job`` must be
        picklable (a top-level function or a ``functools.partial`` over plain values: the
        database URL, ``today``, options, the output path). With ``use_processes`` off (tests)
        it runs on the export worker instead, the same way."""
        if not self.use_processes:
            self.run(
                job if progress_parent is not None else partial(job, no_progress),
                on_success=on_success,
                on_failure=on_failure,
                progress_parent=progress_parent,
                progress_label=progress_label,
                export=True,
            )
            return
        self._running += 1
        self._exporting += 1
        if self._running == 1:
            self.busy_changed.emit(True)

        def launch() -> None:
            """Start the process (1-2 ms of this thread's time once :func:`_prepare_processes`
            has run), once the GUI thread is back in its event loop rather than in the same
            turn as the click that asked for it."""
            context = multiprocessing.get_context(
                "spawn"
            )  # Windows has only spawn: same everywhere
            queue = context.Queue()
            cancel = context.Event()
            process = context.Process(
                target=processes.run_child, args=(job, queue, cancel), daemon=True
            )
            progress = (
                _Progress(self, progress_parent, progress_label, cancel.set)
                if progress_parent is not None
                else None
            )
            poll = QTimer(self)
            poll.setInterval(PROCESS_POLL_MS)
            running = _ChildProcess(process, queue, cancel, poll)
            self._children.add(running)

            def finish() -> None:
                poll.stop()
                poll.deleteLater()
                if progress is not None:
                    progress.close()
                if running not in self._children:
                    return  # dropped by shutdown()
                self._children.discard(running)
                queue.close()
                _reap(process)  # it is ending: never wait for that on the window's thread
                self._running -= 1
                self._exporting -= 1
                if self._running == 0:
                    self.busy_changed.emit(False)

            def handle(message: tuple[Any, ...]) -> bool:
                """Act on one message from the child; True once it has said how it ended."""
                kind = message[0]
                if kind == "progress":
                    if progress is not None:
                        progress.update(*message[1:])
                    return False
                finish()
                if kind == "done":
                    if on_success is not None and _owner_alive(on_success):
                        on_success(message[1])
                elif kind == "failed":
                    if on_failure is None:
                        raise message[1]
                    if _owner_alive(on_failure):
                        on_failure(message[1])
                return True  # "cancelled": nothing to say, nothing was written

            def check() -> None:
                while True:
                    try:
                        message = queue.get_nowait()
                    except Empty:
                        break
                    if handle(message):
                        return
                if process.exitcode is None:
                    return  # still working
                while True:  # it has ended: its last words may still be on their way
                    try:
                        message = queue.get(timeout=0.2)
                    except Empty:
                        message = (
                            "failed",
                            processes.ExportCrashed(
                                "The export stopped before it finished "
                                f"(exit code {process.exitcode})."
                            ),
                        )
                    if handle(message):
                        return

            poll.timeout.connect(check)
            process.start()
            if process.pid is not None:
                processes.lower_priority_of(process.pid)
            poll.start()

        self._pending.append(launch)
        self._starter.start()

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
        self._start_pending()  # what a worker would already have taken up, as if started at once
        for pool, queued in self._queued.items():
            if queued and pool.activeThreadCount() == 0:  # its last result is not handed over
                self._in_flight[pool] += 1
                pool.start(queued.popleft())
            queued.clear()
        self._pool.clear()
        self._exports.clear()
        for child in self._children:  # an export in its own process stops at its next step
            child.cancel.set()
        stopped = self.wait(msecs)
        for child in self._children:
            child.poll.stop()
            if child.process.is_alive():  # did not stop in time: its temporary file may stay
                child.process.terminate()
                child.process.join(5)
            child.queue.close()
        self._children.clear()
        if stopped and self._running:
            self._keep.clear()  # what was dropped never reports; what ran has nobody to tell
            self._running = self._exporting = 0
            self.busy_changed.emit(False)
        return stopped

    def wait(self, msecs: int = 30000) -> bool:
        """Block until both workers are idle and export processes have ended (at exit and in
        tests; a process's result is still reported only by the event loop)."""
        self._start_pending(flush=True)
        if not (self._pool.waitForDone(msecs) and self._exports.waitForDone(msecs)):
            return False
        for child in list(self._children):
            child.process.join(msecs / 1000)
            if child.process.is_alive():
                return False
        return True
