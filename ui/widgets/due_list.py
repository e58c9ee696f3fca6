"""Who do I chase: an area's problems first — person, item, days overdue or left, who is
responsible — most urgent first, printable and exportable; a double-click opens the record.

Every area page shows it the same way: a "Due list" toggle in its toolbar (:class:`DueListSwitch`)
or a "Due list" tab (:class:`DueListPanel` on its own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
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

from provider_desk.areas.staff.queries import Choice, staff_choices_in
from provider_desk.changes import Changes
from provider_desk.dashboard.due_list import SUFFIXES, DueRow, due_list_in, export_due_list
from provider_desk.reading import Attention, on_in
from provider_desk.rules.dates import format_date
from ui.context import AppContext, show_failure
from ui.icons import BLUE, icon, qcolor
from ui.levels import level_colour, level_icon, level_text
from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.page import request_item, staff_item
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import (
    SPREADSHEETS,
    choose_save_path,
    export_in_background,
)
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import make_table_view

STAFF_AREAS = ("staff", "training", "supervision")
"""The areas whose due list names a member of staff in "Who or what" (the record is theirs)."""
WHO_COLUMN, RESPONSIBLE_COLUMN = 0, 4

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


def who_item(row: DueRow) -> Attention | None:
    """The member of staff a row of the staff, training or supervision due list is about."""
    a = row.attention
    if a.area in STAFF_AREAS and a.record_id is not None:
        return staff_item(a.record_id, row.person)
    return None


class DueListPanel(QWidget):
    """One area's due list. Loads when shown, and again when the area changes while shown."""

    open_requested = Signal(object)  # the Attention of the row double-clicked
    item_requested = Signal(object)  # a name clicked: open it on its own page

    def __init__(self, ctx: AppContext, area_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.area_key = ctx, area_key
        self.rows: list[DueRow] | None = None  # None: not loaded yet
        self.staff_ids: dict[str, int] = {}  # "First Last" -> id: who a "Responsible" name is
        self._stale = True
        self.model: RowTableModel[DueRow] = RowTableModel(self._columns(), self)
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
        self.table.clicked.connect(self._on_clicked)
        install_row_menu(self.table, self.menu_entries)
        self.item_requested.connect(lambda item: request_item(self, item))
        self.print_button.clicked.connect(lambda: self.export(pdf=True))
        self.export_button.clicked.connect(lambda: self.export(pdf=False))
        ctx.changed.connect(self._on_ctx_changed)

    def _columns(self) -> list[Column[DueRow]]:
        """:data:`DUE_COLUMNS`, the names that open a staff member looking like links."""
        columns = list(DUE_COLUMNS)

        def linked(column: Column[DueRow], target: Callable[[DueRow], object]) -> Column[DueRow]:
            return replace(
                column,
                foreground=lambda r: qcolor(BLUE) if target(r) is not None else None,
                tooltip=lambda r: (
                    f"Click to open {column.display(r)} on the Staff page"
                    if target(r) is not None
                    else (column.tooltip(r) if column.tooltip else "")
                ),
            )

        columns[WHO_COLUMN] = linked(columns[WHO_COLUMN], who_item)
        columns[RESPONSIBLE_COLUMN] = linked(columns[RESPONSIBLE_COLUMN], self.responsible_item)
        return columns

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
            lambda: db.read(lambda s: (due_list_in(s, on_in(s, today), key), staff_choices_in(s))),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading the due list"),
        )

    def _on_loaded(self, loaded: tuple[list[DueRow], list[Choice]]) -> None:
        rows, staff = loaded
        self.rows = rows
        self.staff_ids = {}
        for c in staff:
            last, _, first = c.label.partition(", ")
            self.staff_ids.setdefault(f"{first} {last}", c.id)
        self.model.set_rows(rows)
        late = sum(r.level.needs_action for r in rows)
        # Empty, the message below says so: no "0 late · 0 coming up" above it.
        self.count_label.setText(
            f"{late} late · {len(rows) - late} coming up — most urgent first. "
            "Double-click a row to open the record; click a blue name to open that member of "
            "staff."
            if rows
            else ""
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

    def responsible_item(self, row: DueRow) -> Attention | None:
        """The member of staff responsible for a row (None: no one, or not on the register)."""
        found = self.staff_ids.get(row.responsible)
        return staff_item(found, row.responsible) if found is not None else None

    def link_at(self, index: QModelIndex) -> Attention | None:
        """What a click on ``index`` opens elsewhere: the staff member in "Who or what" (staff,
        training, supervision) or "Responsible"; None: not a link."""
        row = index.data(ROW_ROLE)
        if not isinstance(row, DueRow):
            return None
        if index.column() == WHO_COLUMN:
            return who_item(row)
        if index.column() == RESPONSIBLE_COLUMN:
            return self.responsible_item(row)
        return None

    def _on_clicked(self, index: QModelIndex) -> None:
        item = self.link_at(index)
        if item is not None:
            self.item_requested.emit(item)

    def menu_entries(self, row: DueRow) -> list[MenuEntry]:
        """The right-click menu of a row of the due list."""
        links: list[MenuEntry] = []
        seen: set[int | None] = set()
        for item in (who_item(row), self.responsible_item(row)):
            if item is not None and item.record_id not in seen:
                seen.add(item.record_id)
                links.append(
                    (
                        f"Open {item.reference} on the Staff page",
                        partial(self.item_requested.emit, item),
                    )
                )
        return row_entries(
            open_=("Open the record", lambda: self.open_requested.emit(row.attention)),
            links=links,
            reference=" — ".join(x for x in (row.person, row.item) if x),
        )

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
