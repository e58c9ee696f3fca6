"""What every page and dialog shares: the open database, the task runner and the change signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from provider_desk import changes as common
from provider_desk import clock
from provider_desk.changes import Changes
from provider_desk.errors import StorageError, ValidationError
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from provider_desk.db.session import Database

EVERY_AREA = Changes.of(
    common.STAFF,
    common.CHECKS,
    common.ACTIONS,
    common.SETTINGS,
    common.JOB_ROLES,
    common.TRAINING,
    common.SUPERVISION,
    common.COMPLAINTS,
    common.AUDITS,
    common.PEOPLE,
)
"""A new day changes every status, so every page that has loaded reloads."""

_LONGEST_WAIT_MS = 15 * 60 * 1000
"""Look at the calendar at least this often: a PC that slept through midnight, or whose clock was
put right, still moves to the new day within a quarter of an hour."""


def ms_to_midnight(now: dt.datetime) -> int:
    """Milliseconds from ``now`` to just after the next local midnight."""
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), now.tzinfo)
    return int((tomorrow - now).total_seconds() * 1000) + 1000


class AppContext(QObject):
    """The open database, the one worker that talks to it, and the day the app works on.

    ``today()`` is read from the clock once when the app starts and again just after each
    midnight, so an app left open overnight moves to the new day; ``day_changed`` then fires and
    every loaded page reloads. ``now()`` reads the clock each time it is asked. Tests pass their
    own ``today`` (and ``now``).
    """

    changed = Signal(object)  # Changes: pages refresh what they show
    day_changed = Signal(object)  # dt.date: the new day

    def __init__(
        self,
        db: Database,
        *,
        today: Callable[[], dt.date] | None = None,
        now: Callable[[], dt.datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.tasks = TaskRunner(self)
        self._calendar = today or clock.today
        self._clock = now or clock.now
        self._today = self._calendar()
        self._midnight = QTimer(self)
        self._midnight.setSingleShot(True)
        self._midnight.timeout.connect(self.check_day)
        self._arm()

    def today(self) -> dt.date:
        """The day every page and service works on (the same until the next midnight)."""
        return self._today

    def now(self) -> dt.datetime:
        """Now, timezone-aware (for timestamps such as a PDF's creation date)."""
        return self._clock()

    def check_day(self) -> bool:
        """Look at the calendar again; on a new day, tell every page. True if the day moved."""
        day = self._calendar()
        moved = day != self._today
        if moved:
            self._today = day
            self.day_changed.emit(day)
            self.changed.emit(EVERY_AREA)
        self._arm()
        return moved

    def _arm(self) -> None:
        self._midnight.start(min(ms_to_midnight(clock.local_now()), _LONGEST_WAIT_MS))

    def announce(self, changes: Changes) -> None:
        """Tell every page what changed."""
        self.changed.emit(changes)


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A Yes/No question whose default is No, so a stray Enter never removes anything."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def say(widget: QWidget, text: str) -> None:
    """Show ``text`` in the main window's status bar for ten seconds."""
    window = widget.window()
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        bar().showMessage(text, 10000)


def show_failure(parent: QWidget | None, exc: BaseException, doing: str = "") -> None:
    """Explain an expected failure; anything else is a bug and goes to the crash dialog."""
    if isinstance(exc, ValidationError):
        QMessageBox.warning(parent, "Provider Desk", "\n".join(p.message for p in exc.problems))
        return
    if isinstance(exc, StorageError):
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Provider Desk",
            (f"{doing} failed. " if doing else "") + exc.args[0],
            parent=parent,
        )
        if exc.advice:
            box.setInformativeText(exc.advice)
        box.exec()
        return
    raise exc
