"""A dialog with a field form whose Save runs a service in the background."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFrame, QScrollArea, QVBoxLayout, QWidget

from provider_desk.changes import Changes
from provider_desk.errors import Problem, ServerUnreachable, StorageError, ValidationError
from ui.context import AppContext, show_failure
from ui.widgets.form import FieldForm


class FormDialog(QDialog):
    """Subclasses fill ``self.form`` and implement ``build()`` and ``save()``.

    A form for a record already saved gets a "History…" button (the record's change log) when
    the subclass names its table in ``history_table`` and :meth:`history_id` finds its id.
    """

    history_table = ""
    history_holder = ""  # the attribute holding the record's row (``row``, ``record``, ...)

    def __init__(
        self, ctx: AppContext, title: str, parent: QWidget | None = None, save_label: str = "Save"
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.form = FieldForm(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(save_label)
        save.setDefault(True)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        # Long forms scroll rather than squeeze their help text; the dialog opens at the form's
        # natural height (up to most of the screen).
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.form)
        # Kept typed (QWidget.layout() is Optional[QLayout]) so subclasses can add an intro.
        layout = self.dialog_layout = QVBoxLayout(self)
        layout.addWidget(self.form.general_error)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.buttons)
        self.saved_changes: Changes | None = None
        self._sized = False

    def history_id(self) -> int | None:
        """The id of the record this form edits (None: a new record, not saved yet)."""
        holder = getattr(self, self.history_holder or "row", None)
        if holder is None:
            holder = getattr(self, "record", None)
        row = getattr(holder, "row", holder)  # a detail value holds its row
        value = getattr(row, "id", None)
        return value if isinstance(value, int) else None

    def _add_history_button(self) -> None:
        row_id = self.history_id() if self.history_table else None
        if row_id is None:
            return
        from ui.history.viewer import open_history

        button = self.buttons.addButton("History…", QDialogButtonBox.ButtonRole.HelpRole)
        button.setObjectName("historyButton")
        button.setToolTip("Who changed this record, when, and what it said before")
        button.clicked.connect(lambda: open_history(self, self.history_table, row_id, self.ctx))

    def showEvent(self, event: QShowEvent) -> None:
        if not self._sized:
            self._sized = True
            self._add_history_button()
            screen = self.screen().availableGeometry() if self.screen() else None
            wanted = self.form.sizeHint().height() + self.buttons.sizeHint().height() + 60
            limit = int(screen.height() * 0.9) if screen else wanted
            self.resize(max(self.width(), self.form.sizeHint().width() + 40), min(wanted, limit))
        super().showEvent(event)

    def build(self, problems: list[Problem]) -> Any:
        """Read the fields into the service's input value, adding unreadable fields to problems."""
        raise NotImplementedError

    def save(self, value: Any) -> Callable[[], Changes]:
        """The service call to run for ``value`` (runs on the worker thread)."""
        raise NotImplementedError

    def on_conflict(self, exc: BaseException) -> bool:
        """Give a subclass a chance to handle a special failure (e.g. a possible duplicate)."""
        return False

    def _on_buttons_accepted(self) -> None:
        self.form.clear_errors()
        problems: list[Problem] = []
        value = self.build(problems)
        if problems:
            self.form.show_problems(problems)
            return
        self.submit(self.save(value))

    def submit(self, call: Callable[[], Changes]) -> None:
        """Run ``call`` in the background; close on success, show problems on failure."""
        self.buttons.setEnabled(False)
        self.ctx.tasks.run(call, on_success=self._on_saved, on_failure=self._on_failed)

    def _on_saved(self, changes: Changes) -> None:
        self.buttons.setEnabled(True)
        self.saved_changes = changes
        self.ctx.announce(changes)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if self.on_conflict(exc):
            return
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
        elif isinstance(exc, StorageError):
            if isinstance(exc, ServerUnreachable):
                self.ctx.server_unreachable(exc)  # retry, and say when the server is back
            show_failure(self, exc, "Saving")
        else:
            raise exc
