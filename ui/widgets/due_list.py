"""Who do I chase: an area's problems first — person, item, days overdue or left, who is
responsible — most urgent first, printable and exportable; a double-click opens the record.

Every area page shows it the same way: a "Due list" toggle in its toolbar (:class:`DueListSwitch`)
or a "Due list" tab (:class:`DueListPanel` on its own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from provider_desk.changes import Changes
from provider_desk.dashboard.due_list import SUFFIXES, DueRow, due_list_in, export_due_list
from provider_desk.reading import Attention, on_in
from provider_desk.rules.dates import format_date
from ui.context import AppContext, show_failure
from ui.icons import icon
from ui.levels import level_colour, level_icon, level_text
from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import (
    SPREADSHEETS,
    choose_save_path,
    export_in_background,
)
from ui.widgets.tables import make_table_view

DUE_COLUMNS: list[Column[DueRow]] = [
    Column("Who or what", lambda r: r.person, tooltip=lambda r: r.sentence),
    Column("Item", lambda r: r.item, tooltip=lambda r: r.sentence),
    Column(
        "When",
        lambda r: r.when,
        decoration=lambda r: level_icon(r.level),
        foreground=lambda r: level_colour(r.level) if r.level.needs_action else None,
        tooltip=lambda r: level_text(r.level, r.attention.area),
    ),
    Column("Due", lambda r: format_date(r.due_on, "—")),
    Column("Responsible", lambda r: r.responsible or "—"),
]


class DueListPanel(QWidget):
    """One area's due list. Loads when shown, and again when the area changes while shown."""

    open_requested = Signal(object)  # the Attention of the row double-clicked

    def __init__(self, ctx: AppContext, area_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.area_key = ctx, area_key
        self.rows: list[DueRow] | None = None  # None: not loaded yet
        self._stale = True
        self.model: RowTableModel[DueRow] = RowTableModel(DUE_COLUMNS, self)
        self.table = make_table_view(self.model, stretch=1)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        self.print_button = QPushButton(icon("fa5s.print"), "Print…")
        self.print_button.setToolTip("Save the due list as a PDF to print or send")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export…")
        self.export_button.setToolTip("Save the due list as an Excel workbook or CSV")
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        row.addWidget(self.print_button)
        row.addWidget(self.export_button)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.stack, 1)
        self.table.doubleClicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)
        self.print_button.clicked.connect(lambda: self.export(pdf=True))
        self.export_button.clicked.connect(lambda: self.export(pdf=False))
        ctx.changed.connect(self._on_ctx_changed)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_ctx_changed(self, _changes: Changes) -> None:
        # Which change kinds an area's items read is the area's business: reload on any change,
        # now if on show, else when next shown.
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Load the area's due list in the background."""
        self._stale = False
        db, today, key = self.ctx.db, self.ctx.today(), self.area_key
        self.ctx.tasks.run(
            lambda: db.read(lambda s: due_list_in(s, on_in(s, today), key)),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading the due list"),
        )

    def _on_loaded(self, rows: list[DueRow]) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        late = sum(r.level.needs_action for r in rows)
        self.count_label.setText(
            f"{late} late · {len(rows) - late} coming up — most urgent first. "
            "Double-click a row to open the record."
        )
        if rows:
            self.stack.setCurrentWidget(self.table)
        else:
            self.empty.show_message(
                "Nothing to chase",
                "Nothing here is overdue, missing or due soon. Well done.",
            )
            self.stack.setCurrentWidget(self.empty)
        self.print_button.setEnabled(bool(rows))
        self.export_button.setEnabled(bool(rows))

    def _on_activated(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if isinstance(row, DueRow):
            self.open_requested.emit(row.attention)

    def export(self, *, pdf: bool) -> None:
        """Ask where, then save the due list as PDF (``pdf``) or a spreadsheet."""
        name = f"{self.area_key}-due-list"
        if pdf:
            path = choose_save_path(self, "Print the due list", f"{name}.pdf", "PDF (*.pdf)")
        else:
            path = choose_save_path(self, "Export the due list", f"{name}.xlsx", SPREADSHEETS)
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the due list to ``path`` (.pdf, .xlsx or .csv) in the background."""
        db, today, key = self.ctx.db, self.ctx.today(), self.area_key
        export_in_background(
            self,
            self.ctx,
            lambda p: export_due_list(db, p, key, today),
            path,
            "items",
            with_progress=lambda p, progress: export_due_list(db, p, key, today, progress),
            suffixes=SUFFIXES if path.suffix.lower() in SUFFIXES else (".xlsx",),
        )


def due_toggle() -> QToolButton:
    """The toolbar's checked "Due list" button."""
    button = QToolButton()
    button.setText("Due list")
    button.setIcon(icon("fa5s.bell"))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setCheckable(True)
    button.setToolTip("Show what needs chasing first: overdue, missing and due soon")
    return button


class DueListSwitch(QStackedWidget):
    """A page's main view, or (with :attr:`button` checked) its due list in the same place.

    Made before the page's view (its button goes in the toolbar), given the view by
    :meth:`set_content`. A double-click on the due list turns it off and calls ``open_item``
    with the item."""

    def __init__(
        self,
        ctx: AppContext,
        area_key: str,
        open_item: Callable[[Attention], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.content: QWidget | None = None
        self.panel = DueListPanel(ctx, area_key)
        self.addWidget(self.panel)
        self.button = due_toggle()
        self._open_item = open_item
        self.button.toggled.connect(self.show_due_list)
        self.panel.open_requested.connect(self._open)

    def set_content(self, content: QWidget) -> None:
        """The page's own view, shown while the due list is off."""
        self.content = content
        self.insertWidget(0, content)
        self.setCurrentWidget(content)

    def show_due_list(self, on: bool) -> None:
        """Show the due list (``on``) or the page's own view."""
        if self.button.isChecked() != on:
            self.button.setChecked(on)  # comes back here through toggled
            return
        self.setCurrentWidget(self.panel if on or self.content is None else self.content)

    def _open(self, item: Attention) -> None:
        self.show_due_list(False)
        self._open_item(item)
