"""What every page and dialog shares: the open database, the task runner and the change signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from provider_desk.db.session import Database
from provider_desk.errors import StorageError, ValidationError
from provider_desk.services.common import Changes
from ui.tasks import TaskRunner


class AppContext(QObject):
    """The open database and the one worker that talks to it."""

    changed = Signal(object)  # Changes: pages refresh what they show

    def __init__(
        self,
        db: Database,
        *,
        today: Callable[[], dt.date] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.tasks = TaskRunner(self)
        self._today = today or dt.date.today

    def today(self) -> dt.date:
        """Today (fixed in tests)."""
        return self._today()

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
