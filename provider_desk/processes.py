"""Run a long export in a process of its own, so that the program's own threads never wait for
it: ReportLab and openpyxl are pure Python, and a thread running them shares one interpreter lock
with the window (which then stutters while a page is clicked during the export).

The child is started with the 'spawn' method (the only one Windows has, so it behaves the same
everywhere) and receives a picklable ``job``: a top-level function, usually a
``functools.partial`` over plain values (the database URL, ``today``, options, the output path)
that takes a :class:`~provider_desk.progress.Progress` last. It reports through a queue:

- ``("progress", done, total, what)`` now and then (at most every ``PROGRESS_EVERY_S``);
- then exactly one of ``("done", result)``, ``("cancelled",)`` or ``("failed", error)``.

The child runs at a lower priority than the window (:func:`lower_priority`).

Cancelling sets an event the child checks at each progress call; the export then raises
:class:`~provider_desk.progress.Cancelled` and its atomic write leaves no file. Expected errors
(:class:`~provider_desk.errors.ValidationError`, :class:`~provider_desk.errors.StorageError`)
come back as themselves; anything else as :class:`ExportCrashed` with the child's traceback.
"""

from __future__ import annotations

import os
import pickle
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

from provider_desk.progress import Cancelled

PROGRESS_EVERY_S = 0.05
BACKGROUND_NICENESS = 10


class ExportCrashed(RuntimeError):
    """An export failed in its own process with an error that is a bug (not bad input or the
    environment); it carries the child's traceback for the crash report."""

    def __init__(self, message: str, child_traceback: str = "") -> None:
        super().__init__(message)
        self.child_traceback = child_traceback


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling unchanged, else an :class:`ExportCrashed` saying what it
    was (a bug's exception may hold things that cannot cross to another process)."""
    tb = "".join(traceback.format_exception(exc))
    try:
        back = pickle.loads(pickle.dumps(exc))
        if type(back) is type(exc) and str(back) == str(exc):
            back.__dict__.setdefault("_pd_traceback", tb)
            return back
    except Exception:  # anything that cannot be pickled is reported as below
        pass
    return ExportCrashed(f"{type(exc).__name__}: {exc}", tb)


def lower_priority() -> None:
    """Make this process give way to the window: an export is background work, and on a PC
    with two cores a full-speed export left the window's thread waiting for a CPU."""
    try:
        if sys.platform == "win32":
            import ctypes

            below_normal = 0x4000
            kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - Windows only
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
        elif os.getpriority(os.PRIO_PROCESS, 0) < BACKGROUND_NICENESS:  # not lowered already
            os.nice(BACKGROUND_NICENESS)
    except (AttributeError, OSError):  # not allowed or not there: run at the usual priority
        pass


def lower_priority_of(pid: int) -> None:
    """Lower a child's priority from the parent, as soon as it is started: the child's own
    :func:`lower_priority` comes only after its interpreter has started and imported the export's
    modules (about a second of CPU at the usual priority, which on two cores the window's thread
    waited for). Not on Windows, where the child lowers its own."""
    if sys.platform == "win32":
        return
    try:
        current = os.getpriority(os.PRIO_PROCESS, pid)
        os.setpriority(os.PRIO_PROCESS, pid, min(current + BACKGROUND_NICENESS, 19))
    except (AttributeError, OSError):  # gone already, or not allowed: it lowers its own
        pass


def run_child(job: Callable[..., Any], queue: Any, cancel: Any) -> None:
    """The child process's entry: run ``job(progress)`` at a lower priority and put its
    outcome on ``queue``."""
    lower_priority()
    last = [0.0]

    def progress(done: int, total: int, what: str) -> bool:
        if cancel.is_set():
            return False
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_S or done >= total:
            last[0] = now
            queue.put(("progress", done, total, what))
        return True

    try:
        result = job(progress)
    except Cancelled:
        queue.put(("cancelled",))
    except BaseException as exc:  # reported to the parent, which decides what to show
        queue.put(("failed", _portable(exc)))
    else:
        queue.put(("done", result))
    queue.close()
    queue.join_thread()  # everything reaches the parent before the process ends
