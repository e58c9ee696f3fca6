"""The service improvement plan: every action, who owns it, and what is overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.actions import services as action_service
from provider_desk.areas.actions.queries import ActionRow, list_actions_in
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.areas.staff.queries import Choice, staff_choices_in
from provider_desk.changes import ACTIONS, SETTINGS, STAFF, Changes
from provider_desk.reading import Attention
from provider_desk.rules.dates import format_date
from ui.areas.actions.action_dialog import ActionDialog, CompleteActionDialog
from ui.context import AppContext, ask, show_failure
from ui.icons import BLUE, icon, qcolor
from ui.levels import level_icon
from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from ui.page import AUDIT_RUN, Page, staff_item
from ui.widgets.due_list import DueListSwitch
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import SPREADSHEETS, choose_save_path, export_in_background
from ui.widgets.filters import refill_combo
from ui.widgets.links import link_column
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import make_table_view, select_row
from ui.widgets.toolbar import MoreButton

NOT_DONE, ALL = "not done", "all"
FOCUS: dict[str, object] = {
    "actions:overdue": ActionStatus.OVERDUE,
    "actions:due_soon": ActionStatus.DUE_SOON,
    "actions:open": NOT_DONE,
}
"""The home card's counts, and the status filter that lists exactly their actions."""
SOURCE_COLUMN, OWNER_COLUMN = 4, 3


def source_item(row: ActionRow, staff: Sequence[Choice] = ()) -> Attention | None:
    """What raised the action, as an item the main window opens: the audit, the complaint, the
    person's care review, or (given the staff to find the name among) the worker supervised.
    None for an action raised by hand."""

    def item(area: str, record_id: int | None, reference: str, kind: str = "") -> Attention:
        return Attention(
            area=area,
            reference=reference,
            level=row.status.level,
            due_on=row.due_on,
            responsible=row.owner,
            sentence=row.description,
            record_id=record_id,
            kind=kind,
        )

    if row.source == "audit" and row.audit_run_id is not None:
        return item("audits", row.audit_run_id, row.source_ref, AUDIT_RUN)
    if row.source == "complaint" and row.source_ref:
        return item("complaints", None, row.source_ref)
    if row.source == "care review" and " review " in row.source_ref:
        return item("people", None, row.source_ref.split(" review ")[0])
    if row.source in ("supervision", "spot check") and ": " in row.source_ref:
        first_last = row.source_ref.split(": ", 1)[1].strip()
        for choice in staff:
            last, _, first = choice.label.partition(", ")
            if f"{first} {last}" == first_last:
                return item("supervision", choice.id, first_last)
        return item("supervision", None, first_last) if not staff else None
    return None


ACTION_COLUMNS: list[Column[ActionRow]] = [
    Column("Due", lambda r: format_date(r.due_on), sort=lambda r: r.due_on),
    Column(
        "Status",
        lambda r: r.status.value.capitalize(),
        sort=lambda r: (r.status.level.rank, r.due_on),
        decoration=lambda r: level_icon(r.status.level),
    ),
    Column("What needs to be done", lambda r: r.description, tooltip=lambda r: r.description),
    link_column(
        "Owner",
        lambda r: r.owner,
        lambda r: staff_item(r.owner_id, r.owner) if r.owner_id else None,
        where=" on the Staff page",
    ),
    Column(
        "Source",
        lambda r: r.source.capitalize() + (f" ({r.source_ref})" if r.source_ref else ""),
        tooltip=lambda r: "Click to open what raised it" if source_item(r) else "",
        foreground=lambda r: qcolor(BLUE) if source_item(r) else None,
    ),
    Column("Raised", lambda r: format_date(r.raised_on), sort=lambda r: r.raised_on),
    Column(
        "Completed",
        lambda r: format_date(r.completed_on),
        sort=lambda r: r.completed_on,
        tooltip=lambda r: r.completion_evidence,
    ),
]


@dataclass(frozen=True)
class _Loaded:
    actions: list[ActionRow]
    owners: list[Choice]


class ActionsPage(Page):
    """Filter by status, source and owner; raise, edit, complete or remove actions."""

    record_table = "action"

    title = "Action plan"
    icon_name = "fa5s.tasks"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self.focused = ""  # the home card count last shown (see Page.focus)
        self.wanted: int | None = None  # an action to select once loaded (see open_item)
        self.model: RowTableModel[ActionRow] = RowTableModel(ACTION_COLUMNS, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search actions  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        for label, value in (
            ("Not done yet", NOT_DONE),
            *((s.value.capitalize(), s) for s in sorted(ActionStatus, key=lambda s: s.level.rank)),
            ("All actions", ALL),
        ):
            self.status_filter.addItem(label, value)
        self.source_filter = QComboBox()
        self.source_filter.addItem("All sources", None)
        for src in action_service.SOURCES:
            self.source_filter.addItem(src.capitalize(), src)
        self.owner_filter = QComboBox()
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for w in (self.status_filter, self.source_filter, self.owner_filter):
            filters.addWidget(w, 1)

        self.new_button = QPushButton(icon("fa5s.plus"), "New action")
        self.new_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton(icon("fa5s.edit"), "Edit…")
        self.done_button = QPushButton(icon("fa5s.check"), "Mark done…")
        self.reopen_button = QPushButton(icon("fa5s.undo"), "Reopen")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export…")
        self.more = MoreButton()
        self.archive_action = self.more.add("Archive…", self.remove_selected, "fa5s.archive")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.done_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addWidget(self.count_label, 1)
        self.due = DueListSwitch(ctx, "actions", self.open_item)
        buttons.addWidget(self.due.button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.more)

        self.table = make_table_view(self.proxy, sort_column=1, stretch=2)
        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        self.due.set_content(self.stack)
        layout.addWidget(self.due, 1)

        self.search.textChanged.connect(self.apply_filters)
        for combo in (self.status_filter, self.source_filter, self.owner_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.new_button.clicked.connect(self.new_action)
        self.edit_button.clicked.connect(self.edit_selected)
        self.done_button.clicked.connect(self.complete_selected)
        self.reopen_button.clicked.connect(self.reopen_selected)
        self.export_button.clicked.connect(self.export)
        self.table.clicked.connect(self._on_clicked)
        install_row_menu(self.table, self.menu_entries, record=lambda r: ("action", r.id))
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.activated.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_action)
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    def refresh(self) -> None:
        """Reload the plan in the background."""
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            lambda: db.read(lambda s: _Loaded(list_actions_in(s, today), staff_choices_in(s))),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading actions"),
        )

    def _on_ctx_changed(self, changes: Changes) -> None:
        # A page never opened has nothing to refresh: it loads when first shown.
        if self.loaded is not None and changes.touches(ACTIONS, STAFF, SETTINGS):
            self.refresh()

    def _on_loaded(self, loaded: _Loaded) -> None:
        self.loaded = loaded
        owners = sorted({(a.owner_id, a.owner) for a in loaded.actions}, key=lambda p: p[1].lower())
        refill_combo(
            self.owner_filter, "All owners", [o[0] for o in owners], [o[1] for o in owners]
        )
        self.model.set_rows(loaded.actions)
        self.apply_filters()
        self._select_wanted()

    def focus(self, what: str) -> None:
        """List exactly the actions a home card count stands for (see :data:`FOCUS`)."""
        if what not in FOCUS:
            return
        self.focused = what
        self._clear_filters(FOCUS[what])

    def focus_count(self) -> int | None:
        """The actions listed for the last focus (None before one, or before loading)."""
        return self.proxy.rowCount() if self.focused and self.loaded is not None else None

    def open_item(self, item: Attention) -> None:
        """Select the action a to-do item is about (among the actions not done)."""
        self.focused = ""
        self.wanted = item.record_id
        self._clear_filters(NOT_DONE)
        self._select_wanted()

    def opened(self) -> tuple[int | None, int | str | None]:
        """The action with the cursor."""
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return (row.id if isinstance(row, ActionRow) else None), None

    def _clear_filters(self, status: object) -> None:
        for combo in (self.source_filter, self.owner_filter):
            combo.setCurrentIndex(0)
        self.search.clear()
        self.status_filter.setCurrentIndex(self.status_filter.findData(status))

    def _select_wanted(self) -> None:
        if self.wanted is not None and self.loaded is not None:
            wanted, self.wanted = self.wanted, None
            select_row(self.table, lambda r: r.id == wanted)

    def apply_filters(self) -> None:
        """Show the actions that match the search and the drop-downs."""
        words = self.search.text().lower().split()
        status, source = self.status_filter.currentData(), self.source_filter.currentData()
        owner = self.owner_filter.currentData()

        def keep(r: ActionRow) -> bool:
            hay = f"{r.description} {r.owner} {r.source} {r.source_ref}".lower()
            if any(w not in hay for w in words):
                return False
            if status == NOT_DONE and r.status == ActionStatus.DONE:
                return False
            if status not in (NOT_DONE, ALL) and r.status != status:
                return False
            if source and r.source != source:
                return False
            return not owner or r.owner_id == owner

        self.proxy.set_predicate(keep)
        rows = self.model.rows()
        overdue = sum(1 for r in rows if r.status == ActionStatus.OVERDUE)
        open_ = sum(1 for r in rows if r.status != ActionStatus.DONE)
        self.count_label.setText(
            f"{open_} not done · {overdue} overdue · {self.proxy.rowCount()} shown"
        )
        if self.loaded is not None and not rows:
            self.empty.show_message(
                "No actions yet",
                "Actions are the things you have decided to put right, from audits, complaints, "
                "supervision or your own checks. Each has an owner and a due date.",
                [("New action", self.new_action)],
            )
            self.stack.setCurrentWidget(self.empty)
        elif self.proxy.rowCount() == 0 and self.loaded is not None:
            self.empty.show_message(
                "Nothing matches these filters",
                "Choose 'All actions' or clear the search.",
                [("Show all actions", self._show_all)],
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        self._update_buttons()

    def _show_all(self) -> None:
        self.search.clear()
        self.status_filter.setCurrentIndex(self.status_filter.findData(ALL))
        self.source_filter.setCurrentIndex(0)
        self.owner_filter.setCurrentIndex(0)

    def selected(self) -> ActionRow | None:
        """The selected action."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.done_button.setEnabled(row is not None and row.completed_on is None)
        self.reopen_button.setEnabled(row is not None and row.completed_on is not None)
        self.archive_action.setEnabled(row is not None)

    def _on_clicked(self, index: QModelIndex) -> None:
        if index.column() == SOURCE_COLUMN:
            self.open_source()
        elif index.column() == OWNER_COLUMN:
            self.open_owner()

    def open_source(self) -> Attention | None:
        """Open the audit, complaint, care review or supervision that raised the selected action
        (None: raised by hand, or not found)."""
        row = self.selected()
        item = source_item(row, self._owners()) if row is not None else None
        if item is not None:
            self.item_requested.emit(item)
        return item

    def open_owner(self) -> None:
        """Open the selected action's owner on the Staff page."""
        row = self.selected()
        if row is not None and row.owner_id:
            self.item_requested.emit(staff_item(row.owner_id, row.owner))

    def menu_entries(self, row: ActionRow) -> list[MenuEntry]:
        """The right-click menu of an action."""
        done: MenuEntry = (
            ("Mark done…", self.complete_selected)
            if row.completed_on is None
            else ("Reopen", self.reopen_selected)
        )
        links: list[MenuEntry] = []
        if source_item(row, self._owners()) is not None:
            links.append((f"Open the {row.source} that raised it", self.open_source))
        if row.owner_id:
            links.append((f"Open {row.owner} (owner)", self.open_owner))
        return row_entries(
            edit=("Edit…", self.edit_selected),
            commands=[done],
            links=links,
            archive=self.remove_selected,
            reference=row.source_ref or row.description,
        )

    def _owners(self) -> list[Choice]:
        return self.loaded.owners if self.loaded else []

    def new_action(self) -> ActionDialog:
        """Open the form for a new action."""
        dialog = ActionDialog(self.ctx, self._owners(), parent=self)
        dialog.open()
        return dialog

    def edit_selected(self) -> ActionDialog | None:
        """Edit the selected action."""
        row = self.selected()
        if row is None:
            return None
        dialog = ActionDialog(self.ctx, self._owners(), row=row, parent=self)
        dialog.open()
        return dialog

    def complete_selected(self) -> CompleteActionDialog | None:
        """Mark the selected action done."""
        row = self.selected()
        if row is None or row.completed_on is not None:
            return None
        dialog = CompleteActionDialog(self.ctx, row, parent=self)
        dialog.open()
        return dialog

    def _run(self, fn: partial[Changes], doing: str) -> None:
        self.ctx.tasks.run(
            fn, on_success=self.ctx.announce, on_failure=lambda e: show_failure(self, e, doing)
        )

    def reopen_selected(self) -> None:
        """Undo a completion."""
        row = self.selected()
        if row is not None and row.completed_on is not None:
            self._run(
                partial(
                    action_service.reopen_action, self.ctx.db, row.id, expected_version=row.version
                ),
                "Reopening the action",
            )

    def remove_selected(self, *, confirm: bool = True) -> None:
        """Take an action off the plan after asking; it stays in the change log."""
        row = self.selected()
        if row is None:
            return
        if confirm:
            answer = ask(
                self,
                "Archive action",
                f"Archive this action (take it off the plan)?\n\n{row.description}\n\n"
                "Use this for actions raised in error. It is kept in the change log.",
            )
            if not answer:
                return
        self._run(
            partial(
                action_service.archive_action, self.ctx.db, row.id, expected_version=row.version
            ),
            "Archiving the action",
        )

    def export(self) -> None:
        """Export the whole plan (every action, overdue first) to PDF or Excel."""
        path = choose_save_path(
            self, "Export the action plan", "action-plan.pdf", f"PDF (*.pdf);;{SPREADSHEETS}"
        )
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the plan to ``path`` in the background."""
        from provider_desk.areas.actions.exports import export_actions

        today = self.ctx.today()
        export_in_background(
            self,
            self.ctx,
            lambda p: export_actions(self.ctx.db, p, today),
            path,
            "actions",
            suffixes=(".pdf", ".xlsx", ".csv"),
            with_progress=lambda p, progress: export_actions(self.ctx.db, p, today, progress),
        )
