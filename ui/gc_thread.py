"""Python's garbage collector runs only on the GUI thread.

Automatic collection runs in whichever thread allocates when a threshold is crossed. When that is
a worker thread and the garbage holds Qt objects (a closed dialog's wrapper in a reference cycle,
a page's lambdas), their C++ side is destroyed off the GUI thread and the process can crash with
a segmentation fault "Garbage-collecting" inside a worker (seen in the test suite, in a worker
reading the home page). As qutebrowser does, automatic collection is switched off and a timer on
the GUI thread collects instead, as Python itself would:

- the young generation when it has grown past its threshold, checked every ``INTERVAL_MS``: often
  enough that each collection stays small (a worker reading the huge demo allocates hundreds of
  thousands of objects a second; collected every 250 ms, each young collection took 20-30 ms of
  the window's time and the middle one over 100 ms);
- the middle one after ten young ones;
- the whole heap only when a quarter more objects have survived into the old generation since
  the last full collection (Python's own rule: a full collection of the huge demo's heap takes
  ~300 ms), and not while background work is running (:meth:`GuiThreadCollector.hold_while`),
  unless it has waited ``FULL_WAIT_S``.
"""

from __future__ import annotations

import gc
import time
import weakref
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 40
FULL_WAIT_S = 60.0


class _Busy(Protocol):
    @property
    def busy(self) -> bool: ...


class GuiThreadCollector(QObject):
    """Collects garbage on the GUI thread, every ``INTERVAL_MS`` when it is due."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.long_lived_total = len(gc.get_objects(generation=2))
        self.long_lived_pending = 0
        self.full_wanted_since: float | None = None
        self._holders: weakref.WeakSet[_Busy] = weakref.WeakSet()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def hold_while(self, holder: _Busy) -> None:
        """No full collection while ``holder.busy`` (a task runner's work, an export)."""
        self._holders.add(holder)

    def _full_allowed(self) -> bool:
        if self.long_lived_pending < self.long_lived_total / 4:
            return False
        now = time.monotonic()
        if self.full_wanted_since is None:
            self.full_wanted_since = now
        held = any(h.busy for h in list(self._holders))
        return not held or now - self.full_wanted_since > FULL_WAIT_S

    def check(self) -> None:
        """Collect what Python would have collected by now, here on the GUI thread."""
        young, middle, old = gc.get_count()
        if young <= self.threshold[0]:
            return
        if middle <= self.threshold[1]:
            gc.collect(0)
            return
        if old > self.threshold[2] and self._full_allowed():
            gc.collect(2)
            self.long_lived_total = len(gc.get_objects(generation=2))
            self.long_lived_pending = 0
            self.full_wanted_since = None
            return
        before = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
        found = gc.collect(1)
        self.long_lived_pending += max(0, before - found)  # what moved to the old generation


def install() -> GuiThreadCollector | None:
    """Install the collector once per application (idempotent); None without an application."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    found = app.findChild(GuiThreadCollector)
    return found if isinstance(found, GuiThreadCollector) else GuiThreadCollector(app)
