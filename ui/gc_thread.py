"""Python's garbage collector runs only on the GUI thread.

Automatic collection runs in whichever thread allocates when a threshold is crossed. When that is
a worker thread and the garbage holds Qt objects (a closed dialog's wrapper in a reference cycle,
a page's lambdas), their C++ side is destroyed off the GUI thread and the process can crash with
a segmentation fault "Garbage-collecting" inside a worker (seen in the test suite, in a worker
reading the home page). As qutebrowser does, automatic collection is switched off and a timer on
the GUI thread collects instead: the young generation when it has grown past its threshold, the
older ones as Python itself would.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Collects garbage on the GUI thread, every ``INTERVAL_MS`` when it is due."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        """Collect what Python would have collected by now, here on the GUI thread."""
        young, middle, old = gc.get_count()
        if young > self.threshold[0]:
            generation = 0
            if middle > self.threshold[1]:
                generation = 2 if old > self.threshold[2] else 1
            gc.collect(generation)


def install() -> GuiThreadCollector | None:
    """Install the collector once per application (idempotent); None without an application."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    found = app.findChild(GuiThreadCollector)
    return found if isinstance(found, GuiThreadCollector) else GuiThreadCollector(app)
