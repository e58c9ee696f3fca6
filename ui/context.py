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

POLL_MS = 20_000
"""How often to look whether anyone (on another PC) saved something: a change appears on the open
pages within this, plus the time to reload them."""
RETRY_MS = 5_000
"""How often to try again while the database server cannot be reached."""

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
    connection_lost = Signal(str)  # why: the database server cannot be reached
    connection_restored = Signal()

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
        self.offline = False
        self.log_check: object | None = None  # the check at open (provider_desk.history.verify)
        self._seen: int | None = None  # the newest change-log entry this window knows of
        self._polling = False
        self._poll_timer = QTimer(self)
        self._poll_timer.timeout.connect(self.poll)

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

    def anchor_log(self) -> None:
        """At exit (or when switching database): move this PC's anchor of the change log to
        where the log ends now, unless the check at open found it tampered with. Only the
        entries written since the last anchor are checked, so this is quick."""
        from provider_desk.db.anchor import advance_anchor

        if getattr(self.log_check, "intact", True) is False:
            return  # keep the anchor the tampering was measured against
        try:
            with self.db.reading() as s:
                advance_anchor(s, self.db.location, self.now())
        except (StorageError, OSError):
            pass  # the server went away or the config folder is read-only: keep the old anchor

    # Other PCs' changes, and the server going away -------------------------------------------
    def start_watching(self, interval_ms: int = POLL_MS) -> None:
        """Look every ``interval_ms`` at the change log's newest entry (a cheap counter, read
        off the GUI thread); when it has moved, the pages showing what changed reload, so
        another PC's saves appear without a restart."""
        self._interval = interval_ms
        self._poll_timer.start(interval_ms)
        self.poll()

    def poll(self) -> None:
        """Look now (one look at a time)."""
        if self._polling:
            return
        from provider_desk.history.queries import tables_changed_since

        self._polling = True
        db, seen = self.db, self._seen
        self.tasks.run(
            lambda: tables_changed_since(db, seen if seen is not None else 2**62),
            on_success=self._on_polled,
            on_failure=self._on_poll_failed,
            export=True,  # reads only: never waits behind, or holds up, a save
        )

    def _on_polled(self, result: tuple[int, frozenset[str]]) -> None:
        from provider_desk.history.records import change_areas

        self._polling = False
        newest, tables = result
        first = self._seen is None
        self._seen = newest
        if self.offline:
            self.offline = False
            self._poll_timer.setInterval(getattr(self, "_interval", POLL_MS))
            self.connection_restored.emit()
            self.changed.emit(EVERY_AREA)  # whatever happened meanwhile
            return
        if not first and tables:
            self.changed.emit(Changes(change_areas(tables)))

    def _on_poll_failed(self, exc: BaseException) -> None:
        self._polling = False
        if isinstance(exc, StorageError):
            self.server_unreachable(exc)
            return
        raise exc

    def server_unreachable(self, exc: StorageError) -> None:
        """The database could not be reached: say so once, and try again every few seconds
        until it answers (then ``connection_restored`` fires and every page reloads)."""
        if not self.offline:
            self.offline = True
            self.connection_lost.emit(str(exc.args[0]) if exc.args else str(exc))
        if self._poll_timer.isActive() or hasattr(self, "_interval"):
            self._poll_timer.start(RETRY_MS)


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
