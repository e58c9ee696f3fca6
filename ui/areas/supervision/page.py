"""Supervision: when each worker last had each kind of session, when the next is due, and
who is overdue. People on leave are listed separately; leavers are not listed."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.staff.queries import Choice, staff_choices_in
from provider_desk.areas.supervision import queries
from provider_desk.areas.supervision.queries import SessionRow, SupervisionMatrix, SupervisionRow
from provider_desk.areas.supervision.services import archive_supervision
from provider_desk.changes import SETTINGS, STAFF, SUPERVISION, Changes
from provider_desk.progress import Progress
from provider_desk.reading import Attention
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level, mark, word
from provider_desk.settings.queries import get_settings_in
from ui.areas.supervision.kinds_dialog import KindsDialog
from ui.areas.supervision.session_dialog import SessionDialog
from ui.areas.training.matrix_model import short_date
from ui.context import AppContext, ask, show_failure
from ui.icons import icon, qcolor
from ui.levels import level_fill, level_icon
from ui.models.table import (
    ROW_ROLE,
    SORT_ROLE,
    Column,
    RowFilterProxy,
    RowTableModel,
    SortedRowsModel,
    sort_key,
)
from ui.page import Page, staff_item
from ui.widgets.due_list import DueListSwitch
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import choose_save_path, export_in_background, write_in_background
from ui.widgets.filters import refill_combo
from ui.widgets.links import install_links, link_column
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import fit_columns, make_table_view
from ui.widgets.toolbar import MoreButton, history_toggle

WORKING, PROBLEMS, DUE_SOON, ON_LEAVE = "working", "problems", "due soon", "on leave"
SHOW_LEVELS = {PROBLEMS: (Level.OVERDUE, Level.MISSING), DUE_SOON: (Level.DUE_SOON,)}
"""The "Show" choices that list workers by the level of a session (workers at work only)."""
FOCUS = {"supervision:overdue": PROBLEMS, "supervision:due_soon": DUE_SOON}
"""The supervision card's counts, and the "Show" choice that lists exactly their workers."""
FIXED = ("Name", "Job role")
CELL_ROLE = Qt.ItemDataRole.UserRole + 2
AREA = "supervision"  # whose words the levels take: missing reads "never done"


def session_text(c: queries.SessionCell) -> str:
    """'Due 3 Dec 26', 'Never done', 'n/a'… (the icon says in date, due or overdue too)."""
    if c.complete:
        return c.word.capitalize()
    if c.status in (Level.NOT_REQUIRED, Level.MISSING):
        return mark(c.status, AREA)
    return short_date(c.next_due) if c.next_due else ""


class SupervisionModel(SortedRowsModel[SupervisionRow]):
    """Workers down, kinds across; each cell shows the next due date."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.matrix: SupervisionMatrix | None = None

    def set_matrix(self, matrix: SupervisionMatrix) -> None:
        """Show ``matrix`` in the current sort order."""
        self.matrix = matrix
        self.replace_rows(list(matrix.rows))

    def kind_at(self, column: int) -> Any:
        """The KindRow of a kind column."""
        if self.matrix is None or column < len(FIXED):
            return None
        return self.matrix.kinds[column - len(FIXED)]

    def sort_value(self, r: SupervisionRow, column: int) -> Any:
        if column == 0:
            return r.sort_name
        if column == 1:
            return r.job_role
        c = r.cells[column - len(FIXED)]
        # Worst first; within a level, the soonest due first (complete after in date).
        when = c.next_due.toordinal() if c.next_due else 99_999_999
        return c.status.rank * 100_000_000 + when

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.matrix is None:
            return 0
        return len(FIXED) + len(self.matrix.kinds)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == ROW_ROLE:
            return r
        if role == SORT_ROLE:
            return sort_key(self.sort_value(r, col))
        if col < len(FIXED):
            if role == Qt.ItemDataRole.DisplayRole:
                return (
                    r.sort_name + (" (on leave)" if r.on_leave and col == 0 else "")
                    if col == 0
                    else r.job_role + (f" · {r.team}" if r.team else "")
                )
            return None
        c = r.cells[col - len(FIXED)]
        shown = c.status is not Level.NOT_REQUIRED
        if role == CELL_ROLE:
            return c
        if role == Qt.ItemDataRole.DisplayRole:
            return session_text(c)
        if role == Qt.ItemDataRole.BackgroundRole:
            return level_fill(c.status)
        if role == Qt.ItemDataRole.ForegroundRole:
            return qcolor("#1d2a33")
        if role == Qt.ItemDataRole.DecorationRole:
            return level_icon(c.status) if shown else None
        if role == Qt.ItemDataRole.TextAlignmentRole and not shown:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            kind = self.kind_at(col)
            last = f"last done {format_date(c.last_done)}" if c.last_done else "never done"
            due = f"; next due {format_date(c.next_due)}" if c.next_due else ""
            return f"{kind.name}: {c.word} ({last}{due})."
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or self.matrix is None:
            return None
        if not 0 <= section < self.columnCount():
            return None
        if section < len(FIXED):
            return FIXED[section] if role == Qt.ItemDataRole.DisplayRole else None
        kind = self.matrix.kinds[section - len(FIXED)]
        if role == Qt.ItemDataRole.DisplayRole:
            return "\n".join(textwrap.wrap(kind.name.replace(" / ", " or "), 15)[:3])
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{kind.name}: {kind.interval_text.lower()}. {kind.note}"
        return None


HISTORY: list[Column[SessionRow]] = [
    Column("Date", lambda r: format_date(r.held_on), sort=lambda r: r.held_on),
    Column("Kind", lambda r: r.kind_name),
    link_column(
        "Led by",
        lambda r: r.supervisor,
        lambda r: staff_item(r.supervisor_id, r.supervisor),
        where=" on the Staff page",
    ),
    Column("Outcome", lambda r: r.outcome.capitalize()),
    Column(
        "Signed",
        lambda r: (
            "Both"
            if r.worker_ack_on and r.supervisor_signed_on
            else (
                "Worker" if r.worker_ack_on else ("Supervisor" if r.supervisor_signed_on else "—")
            )
        ),
    ),
]

LED_BY_COLUMN = 2


@dataclass(frozen=True)
class _Loaded:
    matrix: SupervisionMatrix
    people: list[Choice]
    provider_name: str


class SupervisionPage(Page):
    """The supervision matrix, its filters, and the selected worker's history."""

    record_table = "staff_member"

    title = "Supervision"
    icon_name = "fa5s.comments"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self.focused = ""  # the "Show" choice of the home card count last shown
        self.wanted: tuple[int, str] | None = None  # (worker, kind) to go to once loaded
        self.model = SupervisionModel(self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.history_model: RowTableModel[SessionRow] = RowTableModel(HISTORY, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.team_filter = QComboBox()
        self.show_filter = QComboBox()
        for label, value in (
            ("Working (not on leave)", WORKING),
            ("Overdue or never done", PROBLEMS),
            ("Due soon", DUE_SOON),
            ("On leave", ON_LEAVE),
        ):
            self.show_filter.addItem(label, value)
        self.kind_filter = QComboBox()
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for w in (self.team_filter, self.show_filter, self.kind_filter):
            filters.addWidget(w, 1)

        self.record_button = QPushButton(icon("fa5s.plus"), "Record session…")
        self.record_button.setToolTip("Ctrl+N")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export…")
        self.more = MoreButton()
        self.more.add("Kinds and intervals…", self.open_kinds, "fa5s.sliders-h")
        self.more.add("Import…", self.import_requested.emit, "fa5s.file-import")
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        self.history_toggle = history_toggle()
        self.due = DueListSwitch(ctx, "supervision", self.open_item)
        buttons.addWidget(self.due.button)
        buttons.addWidget(self.history_toggle)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.more)
        self.summary = QLabel()
        self.summary.setObjectName("countLabel")
        self.summary.setWordWrap(True)

        self.table = make_table_view(self.proxy, sort_column=0, frozen=len(FIXED), fit=False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setMinimumHeight(62)
        self.worker_title = QLabel("Select a worker to see their history.")
        self.worker_title.setObjectName("emptyTitle")
        self.worker_title.setWordWrap(True)
        self.history = make_table_view(self.history_model)
        self.add_button = QPushButton(icon("fa5s.plus"), "Record…")
        self.open_button = QPushButton(icon("fa5s.edit"), "Open / correct…")
        self.print_button = QPushButton(icon("fa5s.print"), "Print for signing…")
        self.remove_button = QPushButton(icon("fa5s.archive"), "Archive…")
        panel = QWidget()
        pl = QVBoxLayout(panel)
        pl.addWidget(self.worker_title)
        pl.addWidget(self.history, 1)
        r1, r2 = QHBoxLayout(), QHBoxLayout()
        r1.addWidget(self.add_button)
        r1.addWidget(self.open_button)
        r2.addWidget(self.print_button)
        r2.addWidget(self.remove_button)
        pl.addLayout(r1)
        pl.addLayout(r2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(panel)
        self.history_panel = panel
        self.history_toggle.toggled.connect(panel.setVisible)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        self.empty = EmptyState()
        self.main = QStackedWidget()
        self.main.addWidget(self.splitter)
        self.main.addWidget(self.empty)
        self.due.set_content(self.main)
        layout.addWidget(self.due, 1)

        self.search.textChanged.connect(self.apply_filters)
        for combo in (self.team_filter, self.show_filter, self.kind_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.record_button.clicked.connect(lambda: self.record_session())
        self.export_button.clicked.connect(self.export)
        self.add_button.clicked.connect(self.record_for_cell)
        self.open_button.clicked.connect(self.open_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.activated.connect(lambda _i: self.record_for_cell())
        self.table.doubleClicked.connect(lambda _i: self.record_for_cell())
        self.table.selectionModel().currentChanged.connect(lambda *_: self._show_worker())
        self.history.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.history.doubleClicked.connect(lambda _i: self.open_selected())
        self.history.activated.connect(lambda _i: self.open_selected())
        install_row_menu(self.table, self.cell_menu, record=lambda w: ("staff_member", w.staff_id))
        install_row_menu(
            self.history, self.session_menu, record=lambda r: ("supervision_record", r.id)
        )
        install_links(
            self.history,
            {LED_BY_COLUMN: lambda r: staff_item(r.supervisor_id, r.supervisor)},
            self.item_requested.emit,
        )
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, lambda: self.record_session())
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    def refresh(self) -> None:
        """Build the matrix in the background."""
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            lambda: db.read(
                lambda s: _Loaded(
                    queries.supervision_matrix_in(s, today),
                    staff_choices_in(s),
                    get_settings_in(s).provider_name,
                )
            ),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading supervision"),
        )

    def _on_ctx_changed(self, changes: Changes) -> None:
        # A page never opened has nothing to refresh: it loads when first shown.
        if self.loaded is not None and changes.touches(SUPERVISION, STAFF, SETTINGS):
            self.refresh()

    def _on_loaded(self, loaded: _Loaded) -> None:
        keep = self.current_worker()
        column = self.table.currentIndex().column()
        self.loaded = loaded
        m = loaded.matrix
        refill_combo(self.team_filter, "All teams", sorted({r.team for r in m.rows if r.team}))
        refill_combo(
            self.kind_filter, "Any kind", [k.kind for k in m.kinds], [k.name for k in m.kinds]
        )
        self.model.set_matrix(m)
        self.table.setColumnWidth(0, 170)
        self.table.setColumnWidth(1, 160)
        for j in range(len(m.kinds)):
            self.table.setColumnWidth(len(FIXED) + j, 130)
        self.apply_filters()
        if keep is not None:
            self.select_cell(keep.staff_id, max(column, 0))
        self._select_wanted()
        self._show_worker()

    # Home page requests --------------------------------------------------------------------
    def focus(self, what: str) -> None:
        """List exactly the workers a home card count stands for (see :data:`FOCUS`)."""
        if what not in FOCUS:
            return
        self.focused = FOCUS[what]
        self._clear_filters(self.focused)

    def focus_count(self) -> int | None:
        """The sessions of the focused level in the rows shown (the card counts sessions)."""
        if not self.focused or self.loaded is None:
            return None
        return self._cells_shown(SHOW_LEVELS[self.focused])

    def open_item(self, item: Attention) -> None:
        """Put the cursor on the worker's cell for the kind of session a to-do item is about."""
        if item.record_id is None:
            return
        self.focused = ""
        self.wanted = (item.record_id, item.kind)
        self._clear_filters(WORKING)
        self._select_wanted()

    def opened(self) -> tuple[int | None, int | str | None]:
        """The worker and the kind of session (its key) with the cursor."""
        worker = self.current_worker()
        if worker is None:
            return None, None
        kind = self.model.kind_at(self.table.currentIndex().column())
        return worker.staff_id, (kind.kind if kind is not None else None)

    def _clear_filters(self, show: str) -> None:
        self.search.clear()
        for combo in (self.team_filter, self.kind_filter):
            combo.setCurrentIndex(0)
        self.show_filter.setCurrentIndex(self.show_filter.findData(show))

    def _select_wanted(self) -> None:
        if self.wanted is None or self.loaded is None:
            return
        (staff_id, kind), self.wanted = self.wanted, None
        kinds = [k.kind for k in self.loaded.matrix.kinds]
        column = len(FIXED) + kinds.index(kind) if kind in kinds else 0
        if self.select_cell(staff_id, column):
            return
        if any(r.staff_id == staff_id and r.on_leave for r in self.loaded.matrix.rows):
            # On leave since the item was raised: they are listed apart.
            self.show_filter.setCurrentIndex(self.show_filter.findData(ON_LEAVE))
            self.select_cell(staff_id, column)

    def _columns(self) -> list[int]:
        """The kinds (by position) the kind filter looks at: one, or all of them."""
        kinds = [k.kind for k in self.loaded.matrix.kinds] if self.loaded else []
        kind = self.kind_filter.currentData()
        return [kinds.index(kind)] if kind in kinds else list(range(len(kinds)))

    def _cells_shown(self, levels: tuple[Level, ...]) -> int:
        """The sessions at ``levels`` (of the kinds filtered) in the rows shown."""
        cols = self._columns()
        return sum(
            1
            for i in range(self.proxy.rowCount())
            for j in cols
            if self.proxy.index(i, 0).data(ROW_ROLE).cells[j].status in levels
        )

    def apply_filters(self) -> None:
        """Show the workers that match."""
        words = self.search.text().lower().split()
        team, show = self.team_filter.currentData(), self.show_filter.currentData()
        cols = self._columns()

        def keep(r: SupervisionRow) -> bool:
            if any(w not in r.name.lower() for w in words) or (team and r.team != team):
                return False
            if show == ON_LEAVE:
                return r.on_leave
            if r.on_leave:
                return False
            statuses = [r.cells[i].status for i in cols]
            if show == PROBLEMS:
                return any(s.needs_action for s in statuses)
            if show == DUE_SOON:
                return Level.DUE_SOON in statuses
            return True

        self.proxy.set_predicate(keep)
        if self.loaded is not None:
            if not self.loaded.matrix.rows:
                self.summary.setText("No staff on the register yet, so no supervision to show.")
                self.empty.show_message(
                    "No supervision to show yet",
                    "Each member of staff has supervision, spot checks and an appraisal on a "
                    "schedule you set. Add your staff on the Staff page first, then record "
                    "sessions here or import the supervision log you keep.",
                    [("Import a supervision log…", self.import_requested.emit)],
                )
                self.main.setCurrentWidget(self.empty)
                return
            self.main.setCurrentWidget(self.splitter)
            working = [r for r in self.loaded.matrix.rows if not r.on_leave]
            cells = [c for r in working for c in r.cells]
            overdue = sum(c.status is Level.OVERDUE for c in cells)
            never = sum(c.status is Level.MISSING for c in cells)
            soon = sum(c.status is Level.DUE_SOON for c in cells)
            leave = len(self.loaded.matrix.rows) - len(working)
            levels = SHOW_LEVELS.get(show)
            # With a level chosen, its sessions in the rows shown (a home card's count).
            focused = (
                f" ({self._cells_shown(levels)} "
                f"{'due soon' if show == DUE_SOON else 'overdue or never done'})"
                if levels is not None
                else ""
            )
            self.summary.setText(
                f"{overdue} {word(Level.OVERDUE, AREA)} · {never} {word(Level.MISSING, AREA)} · "
                f"{soon} due within "
                f"{self.loaded.matrix.window_days} days · {len(working)} working, {leave} on "
                f"leave · showing {self.proxy.rowCount()}{focused}"
            )

    def current_worker(self) -> SupervisionRow | None:
        """The worker with the cursor."""
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def select_cell(self, staff_id: int, column: int) -> bool:
        """Put the cursor on a worker's cell, if shown."""
        for i in range(self.proxy.rowCount()):
            if self.proxy.index(i, 0).data(ROW_ROLE).staff_id == staff_id:
                self.table.setCurrentIndex(self.proxy.index(i, column))
                return True
        return False

    def _show_worker(self) -> None:
        worker = self.current_worker()
        self.history_model.set_rows([])
        if worker is None:
            self.worker_title.setText("Select a worker to see their history.")
        else:
            self.worker_title.setText(f"{worker.name} — started {format_date(worker.start_date)}")
            staff_id = worker.staff_id
            self.ctx.tasks.run(
                partial(queries.supervision_records, self.ctx.db, staff_id=staff_id),
                on_success=lambda rows: self._on_history(staff_id, rows),
                on_failure=lambda e: show_failure(self, e, "Loading the history"),
            )
        self._update_buttons()

    def _on_history(self, staff_id: int, rows: list[SessionRow]) -> None:
        worker = self.current_worker()
        if worker is None or worker.staff_id != staff_id:
            return
        self.history_model.set_rows(rows)
        fit_columns(self.history)
        if rows:
            self.history.selectRow(0)
        self._update_buttons()

    def selected_session(self) -> SessionRow | None:
        """The session selected in the history."""
        rows = self.history.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        has = self.selected_session() is not None
        self.add_button.setEnabled(self.current_worker() is not None)
        for b in (self.open_button, self.print_button, self.remove_button):
            b.setEnabled(has)

    def cell_menu(self, worker: SupervisionRow) -> list[MenuEntry]:
        """The right-click menu of a worker's cell on the grid (or of the worker's name)."""
        kind = self.model.kind_at(self.proxy.mapToSource(self.table.currentIndex()).column())
        record: MenuEntry = (
            (f"Record {kind.name.lower()}…", self.record_for_cell)
            if kind is not None
            else ("Record session…", self.record_for_cell)
        )
        return row_entries(
            open_=record,
            commands=[
                ("Show their history", lambda: self.history_toggle.setChecked(True)),
            ],
            links=[
                (
                    f"Open {worker.name} on the Staff page",
                    lambda: self.item_requested.emit(staff_item(worker.staff_id, worker.name)),
                )
            ],
            reference=worker.name,
            copy_label="Copy name",
        )

    def session_menu(self, r: SessionRow) -> list[MenuEntry]:
        """The right-click menu of a session in the worker's history."""
        return row_entries(
            open_=("Open / correct…", self.open_selected),
            commands=[("Print for signing…", self.print_selected)],
            links=[
                (
                    f"Open {r.supervisor} (led it)",
                    lambda: self.item_requested.emit(staff_item(r.supervisor_id, r.supervisor)),
                )
            ],
            archive=self.remove_selected,
            reference=f"{r.kind_name} {format_date(r.held_on)}: {r.worker}",
        )

    def record_session(
        self, staff_id: int | None = None, kind: str | None = None
    ) -> SessionDialog | None:
        """Open the session form."""
        if self.loaded is None:
            return None
        dialog = SessionDialog(
            self.ctx,
            self.loaded.people,
            list(self.loaded.matrix.kinds),
            staff_id=staff_id,
            kind=kind,
            parent=self,
        )
        dialog.open()
        return dialog

    def record_for_cell(self) -> SessionDialog | None:
        """Record the cell's kind for the cell's worker."""
        worker = self.current_worker()
        if worker is None:
            return None
        kind = self.model.kind_at(self.proxy.mapToSource(self.table.currentIndex()).column())
        return self.record_session(worker.staff_id, kind.kind if kind else None)

    def open_selected(self) -> SessionDialog | None:
        """Open (and correct) the selected session."""
        record = self.selected_session()
        if record is None or self.loaded is None:
            return None
        dialog = SessionDialog(
            self.ctx, self.loaded.people, list(self.loaded.matrix.kinds), record=record, parent=self
        )
        dialog.open()
        return dialog

    def print_selected(self) -> None:
        """Save the selected session as a PDF to print and sign."""
        record = self.selected_session()
        if record is None:
            return
        suggested = f"{record.kind_name} {record.worker} {record.held_on:%Y-%m-%d}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Print for signing", suggested.replace("/", "-"), "PDF (*.pdf)"
        )
        if name:
            self.print_to(record, Path(name))

    def print_to(self, record: SessionRow, path: Path) -> None:
        """Write the session PDF (with the actions it raised) in the background."""
        from provider_desk.areas.supervision.exports import export_session_pdf

        db, today = self.ctx.db, self.ctx.today()
        provider = self.loaded.provider_name if self.loaded else ""
        ref_start = f"{record.kind.capitalize()} {format_date(record.held_on)}: {record.worker}"

        def write(progress: Progress) -> Path:
            raised = [
                (a.description, a.owner, a.due_on)
                for a in list_actions(db, today)
                if a.source_ref == ref_start[:100]
            ]
            return export_session_pdf(
                record, path, provider or "Provider Desk", raised, today=today, progress=progress
            )

        write_in_background(self, self.ctx, write, path, lambda p: f"Saved {p.name}", "Printing")

    def remove_selected(self, *, confirm: bool = True) -> None:
        """Remove a session recorded by mistake."""
        record = self.selected_session()
        if record is None:
            return
        if confirm and not ask(
            self,
            "Archive session",
            f"Archive the {record.kind_name.lower()} of {format_date(record.held_on)} for "
            f"{record.worker}? Use this for records made by mistake.",
        ):
            return
        self.ctx.tasks.run(
            partial(archive_supervision, self.ctx.db, record.id, expected_version=record.version),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Removing"),
        )

    def open_kinds(self) -> KindsDialog:
        """Kinds, intervals and templates."""
        dialog = KindsDialog(self.ctx, self)
        dialog.open()
        return dialog

    def export(self) -> None:
        """Export the supervision log."""
        path = choose_save_path(self, "Export supervision", "supervision.xlsx")
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the log to ``path`` in the background."""
        from provider_desk.areas.supervision.exports import export_supervisions

        today = self.ctx.today()
        export_in_background(
            self, self.ctx, lambda p: export_supervisions(self.ctx.db, p, today), path, "sessions"
        )
