"""The training matrix: who is in date, due, expired or missing for each course their role needs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.staff.queries import (
    Choice,
    attachment_bytes,
    job_role_choices_in,
    staff_choices_in,
)
from provider_desk.areas.training import queries as training_queries
from provider_desk.areas.training import services as training_service
from provider_desk.areas.training.queries import CourseRow, TrainingMatrix, TrainingRecordRow
from provider_desk.changes import SETTINGS, STAFF, TRAINING, Changes
from provider_desk.reading import Attention
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level, level_of
from provider_desk.settings.queries import get_settings_in
from ui.areas.training.care_certificate_dialog import CareCertificateDialog
from ui.areas.training.courses_dialog import CoursesDialog
from ui.areas.training.matrix_model import (
    CELL_ROLE,
    FIXED_COLUMNS,
    MatrixModel,
    MatrixRow,
    PreparedMatrix,
    prepare_matrix,
)
from ui.areas.training.training_dialog import TrainingDialog
from ui.context import AppContext, ask, show_failure
from ui.icons import icon
from ui.levels import level_text
from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from ui.page import Page, staff_item
from ui.widgets.due_list import DueListSwitch
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import show_saved, write_in_background
from ui.widgets.filters import refill_combo
from ui.widgets.legend import LegendStrip
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import fit_columns, make_table_view
from ui.widgets.toolbar import MoreButton, history_toggle

EVERYONE, PROBLEMS, DUE_WITHIN, ALL_IN_DATE = "everyone", "problems", "due", "in date"
EXPIRED, NEVER_DONE, DUE_SOON = "expired", "never done", "due soon"
SHOW_LEVEL = {EXPIRED: Level.OVERDUE, NEVER_DONE: Level.MISSING, DUE_SOON: Level.DUE_SOON}
"""The "Show" choices that list the staff with a required course at one level (the due-soon
window is the settings', as on the home card, not the "Anything due within…" days)."""
FOCUS = {"training:expired": EXPIRED, "training:missing": NEVER_DONE, "training:due_soon": DUE_SOON}
"""The home card's counts, and the "Show" choice that lists exactly their people."""

HISTORY_COLUMNS: list[Column[TrainingRecordRow]] = [
    Column("Completed", lambda r: format_date(r.completed_on), sort=lambda r: r.completed_on),
    Column(
        "Expires",
        lambda r: (
            format_date(r.expires_on, "no expiry")
            + (" (set by hand)" if r.expiry_overridden else "")
        ),
        sort=lambda r: r.expires_on,
    ),
    Column("Provider", lambda r: r.provider),
    Column("Delivery", lambda r: r.delivery.capitalize()),
    Column("Certificate", lambda r: r.certificate),
]


def _due_soon_label(days: int | None) -> str:
    """The "Show" choice for the settings' due-soon window (its days once known)."""
    return f"Due soon (within {days} days)" if days is not None else "Due soon"


def _level_words(show: str, days: int) -> str:
    """What the summary calls the cells of a "Show" level choice."""
    return {EXPIRED: "expired", NEVER_DONE: "never done"}.get(show, f"due within {days} days")


@dataclass(frozen=True)
class _Loaded:
    matrix: TrainingMatrix
    courses: list[CourseRow]
    people: list[Choice]
    roles: list[Choice]
    provider_name: str
    prepared: PreparedMatrix


class TrainingPage(Page):
    """The matrix, its filters, and the history of the selected cell."""

    record_table = "staff_member"

    title = "Training"
    icon_name = "fa5s.graduation-cap"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self.focused: Level | None = None  # the level of the home card count last shown
        self.wanted: tuple[int, int | None] | None = None  # (staff, course) to go to once loaded
        self.model = MatrixModel(self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.history_model: RowTableModel[TrainingRecordRow] = RowTableModel(HISTORY_COLUMNS, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.role_filter = QComboBox()
        self.team_filter = QComboBox()
        self.show_filter = QComboBox()
        for label, value in (
            ("Everyone", EVERYONE),
            ("Anything expired or missing", PROBLEMS),
            ("Anything due within…", DUE_WITHIN),
            ("Fully in date", ALL_IN_DATE),
            ("Expired", EXPIRED),
            ("Never done", NEVER_DONE),
            (_due_soon_label(None), DUE_SOON),
        ):
            self.show_filter.addItem(label, value)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(90)
        self.days.setSuffix(" days")
        self.days.setToolTip("Used by 'Anything due within…'")
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for w in (self.role_filter, self.team_filter, self.show_filter):
            filters.addWidget(w, 1)
        filters.addWidget(self.days)

        self.record_button = QPushButton(icon("fa5s.plus"), "Record training…")
        self.record_button.setToolTip("One person, or everyone at a session (Ctrl+N)")
        self.cc_button = QPushButton(icon("fa5s.certificate"), "Care Certificate…")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export matrix…")
        self.more = MoreButton()
        self.more.add("Courses and required training…", self.open_courses, "fa5s.book")
        self.more.add_separator()
        self.more.add("Import…", self.import_requested.emit, "fa5s.file-import")
        self.more.add("ASC-WDS training file…", self.export_asc_wds, "fa5s.upload")
        buttons = QHBoxLayout()
        for b in (self.record_button, self.cc_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.history_toggle = history_toggle()
        self.due = DueListSwitch(ctx, "training", self.open_item)
        buttons.addWidget(self.due.button)
        buttons.addWidget(self.history_toggle)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.more)
        self.summary = QLabel()
        self.summary.setObjectName("countLabel")
        self.summary.setWordWrap(True)

        self.table = make_table_view(
            self.proxy, sort_column=0, frozen=len(FIXED_COLUMNS), fit=False
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setTabKeyNavigation(True)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.AlignmentFlag.AlignBottom)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setDefaultSectionSize(120)
        header.setMinimumHeight(70)

        self.cell_title = QLabel("Select a cell to see the history.")
        self.cell_title.setObjectName("emptyTitle")
        self.cell_title.setWordWrap(True)
        self.cell_status = QLabel()
        self.cell_status.setWordWrap(True)
        self.history = make_table_view(self.history_model)
        self.add_button = QPushButton(icon("fa5s.plus"), "Add record…")
        self.edit_button = QPushButton(icon("fa5s.edit"), "Correct…")
        self.remove_button = QPushButton(icon("fa5s.archive"), "Archive…")
        self.cert_button = QPushButton(icon("fa5s.download"), "Save certificate…")
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.addWidget(self.cell_title)
        panel_layout.addWidget(self.cell_status)
        panel_layout.addWidget(self.history, 1)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        row1.addWidget(self.add_button)
        row1.addWidget(self.edit_button)
        row2.addWidget(self.remove_button)
        row2.addWidget(self.cert_button)
        panel_layout.addLayout(row1)
        panel_layout.addLayout(row2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(panel)
        self.history_panel = panel
        self.history_toggle.toggled.connect(panel.setVisible)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        self.legend = LegendStrip()
        self.set_legend(None)
        layout.addWidget(self.legend)
        self.empty = EmptyState()
        self.main = QStackedWidget()
        self.main.addWidget(self.splitter)
        self.main.addWidget(self.empty)
        self.due.set_content(self.main)
        layout.addWidget(self.due, 1)

        self.search.textChanged.connect(self.apply_filters)
        for combo in (self.role_filter, self.team_filter, self.show_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.days.valueChanged.connect(self.apply_filters)
        self.record_button.clicked.connect(lambda: self.record_training())
        self.cc_button.clicked.connect(self.open_care_certificate)
        self.export_button.clicked.connect(self.export_matrix)
        self.add_button.clicked.connect(self.add_for_cell)
        self.edit_button.clicked.connect(self.edit_history)
        self.remove_button.clicked.connect(self.remove_history)
        self.cert_button.clicked.connect(self.save_certificate)
        self.table.activated.connect(lambda _i: self.add_for_cell())
        self.table.doubleClicked.connect(lambda _i: self.add_for_cell())
        self.table.selectionModel().currentChanged.connect(self._on_current_changed)
        self.history.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.history.doubleClicked.connect(lambda _i: self.edit_history())
        self.history.activated.connect(lambda _i: self.edit_history())
        install_row_menu(self.table, self.cell_menu, record=lambda r: ("staff_member", r.person.id))
        install_row_menu(self.history, self.record_menu, record=lambda r: ("training_record", r.id))
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, lambda: self.record_training())
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    # Loading -------------------------------------------------------------------------------
    def set_legend(self, due_soon_days: int | None) -> None:
        """The strip under the matrix: what each mark, colour and date means."""
        within = f"within {due_soon_days} days" if due_soon_days else "soon"
        self.legend.set_entries(
            [
                (Level.IN_DATE, "In date", "done."),
                (
                    Level.DUE_SOON,
                    "Due soon (amber)",
                    f"in date, but expires {within}: book it now.",
                ),
                (Level.OVERDUE, "Expired", "past its expiry date."),
                (Level.MISSING, "Missing", "required, never recorded."),
                (Level.NOT_REQUIRED, "n/a", "not required."),
            ],
            f"A date in a cell is when the training expires (amber: expires {within}); "
            "'No expiry' means done once for good.",
        )

    def refresh(self) -> None:
        """Build the matrix in the background (it can be thousands of cells)."""
        db, today = self.ctx.db, self.ctx.today()

        def load() -> _Loaded:
            with db.reading() as s:  # one snapshot
                matrix = training_queries.training_matrix_in(s, today)
                return _Loaded(
                    matrix,
                    training_queries.list_courses_in(s),
                    staff_choices_in(s),
                    job_role_choices_in(s),
                    get_settings_in(s).provider_name,
                    prepare_matrix(matrix),  # scored here, not on the window's thread
                )

        self.ctx.tasks.run(
            load,
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading the matrix"),
        )

    def _on_ctx_changed(self, changes: Changes) -> None:
        # A page never opened has nothing to refresh: it loads when first shown.
        if self.loaded is not None and changes.touches(TRAINING, STAFF, SETTINGS):
            self.refresh()

    def _on_loaded(self, loaded: _Loaded) -> None:
        current = self.table.currentIndex()
        keep = (self.current_person_id(), current.column()) if current.isValid() else None
        first = self.loaded is None
        self.loaded = loaded
        if first:
            self.days.setValue(loaded.matrix.due_soon_days)
        self.show_filter.setItemText(
            self.show_filter.findData(DUE_SOON), _due_soon_label(loaded.matrix.due_soon_days)
        )
        self.set_legend(loaded.matrix.due_soon_days)
        refill_combo(
            self.role_filter, "All roles", sorted({p.job_role for p in loaded.matrix.people})
        )
        refill_combo(
            self.team_filter, "All teams", sorted({p.team for p in loaded.matrix.people if p.team})
        )
        self.model.set_matrix(loaded.prepared)
        self.table.setColumnWidth(0, 170)
        self.table.setColumnWidth(1, 160)
        self.table.setColumnWidth(2, 72)
        self.apply_filters()
        if keep is not None and keep[0] is not None:
            self.select_cell(keep[0], keep[1])
        self._select_wanted()
        self._show_cell()

    # Home page requests --------------------------------------------------------------------
    def focus(self, what: str) -> None:
        """List exactly the staff a home card count stands for (see :data:`FOCUS`)."""
        if what not in FOCUS:
            return
        self.focused = SHOW_LEVEL[FOCUS[what]]
        self._clear_filters(FOCUS[what])

    def focus_count(self) -> int | None:
        """The required cells of the focused level in the rows shown (the card counts cells)."""
        if self.focused is None or self.loaded is None:
            return None
        return self._cells_shown(self.focused)

    def open_item(self, item: Attention) -> None:
        """Put the cursor on the person's cell for the course a to-do item is about."""
        if item.record_id is None:
            return
        self.focused = None
        self.wanted = (item.record_id, item.part_id)
        self._clear_filters(EVERYONE)
        self._select_wanted()

    def opened(self) -> tuple[int | None, int | str | None]:
        """The person and the course with the cursor."""
        course = self.current_course()
        return self.current_person_id(), (course.id if course is not None else None)

    def _clear_filters(self, show: str) -> None:
        self.search.clear()
        for combo in (self.role_filter, self.team_filter):
            combo.setCurrentIndex(0)
        self.show_filter.setCurrentIndex(self.show_filter.findData(show))

    def _select_wanted(self) -> None:
        if self.wanted is None or self.loaded is None:
            return
        (staff_id, course_id), self.wanted = self.wanted, None
        courses = [c.id for c in self.loaded.matrix.courses]
        column = len(FIXED_COLUMNS) + courses.index(course_id) if course_id in courses else 0
        self.select_cell(staff_id, column)

    def _cells_shown(self, level: Level) -> int:
        """The required cells at ``level`` in the rows the filters show."""
        return sum(
            1
            for i in range(self.proxy.rowCount())
            for c in self.proxy.index(i, 0).data(ROW_ROLE).cells
            if c.required and c.status is level
        )

    # Filtering -----------------------------------------------------------------------------
    def apply_filters(self) -> None:
        """Show the people who match the search and drop-downs."""
        words = self.search.text().lower().split()
        role, team = self.role_filter.currentData(), self.team_filter.currentData()
        show, days = self.show_filter.currentData(), self.days.value()
        today = self.ctx.today()
        self.days.setEnabled(show == DUE_WITHIN)

        def keep(r: MatrixRow) -> bool:
            p = r.person
            if any(w not in f"{p.first_name} {p.last_name}".lower() for w in words):
                return False
            if (role and p.job_role != role) or (team and p.team != team):
                return False
            required = [c for c in r.cells if c.required]
            if show == PROBLEMS:
                return any(c.status.needs_action for c in required)
            if show == DUE_WITHIN:
                return any(
                    c.status.needs_action
                    or level_of(c.expires_on, today, days) is not Level.IN_DATE
                    for c in required
                )
            if show == ALL_IN_DATE:
                return all(not c.status.needs_action for c in required)
            if show in SHOW_LEVEL:
                return any(c.status is SHOW_LEVEL[show] for c in required)
            return True

        self.proxy.set_predicate(keep)
        self._update_summary()

    def _update_summary(self) -> None:
        if self.loaded is None:
            return
        m = self.loaded.matrix
        if not m.people:
            self.summary.setText("No staff on the register yet, so no training to show.")
            self.empty.show_message(
                "No training to show yet",
                "Training is recorded for each member of staff against the courses their role "
                "requires. Add your staff on the Staff page (or import your staff register), "
                "then record training here or import the spreadsheet you keep it in.",
                [("Import a training spreadsheet…", self.import_requested.emit)],
            )
            self.main.setCurrentWidget(self.empty)
            return
        self.main.setCurrentWidget(self.splitter)
        overall = self.loaded.prepared.overall
        count = self.loaded.prepared.required_at
        show = self.show_filter.currentData()
        level = SHOW_LEVEL.get(show)
        # With a level chosen, the people shown and their cells at that level (a home card's count).
        focused = (
            f" ({self._cells_shown(level)} {_level_words(show, m.due_soon_days)})"
            if level is not None
            else ""
        )
        self.summary.setText(
            f"Service: {'—' if overall is None else f'{overall:.0f}%'} of required training in "
            f"date · {count[Level.OVERDUE]} expired · {count[Level.MISSING]} "
            f"missing · {count[Level.DUE_SOON]} due within {m.due_soon_days} days · "
            f"showing {self.proxy.rowCount()} of {len(m.people)} staff{focused}"
        )

    # Selection -----------------------------------------------------------------------------
    def current_person_id(self) -> int | None:
        """The person whose row has the cursor."""
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row.person.id if row is not None else None

    def current_course(self) -> CourseRow | None:
        """The course whose column has the cursor."""
        index = self.table.currentIndex()
        return self.model.course_at(index.column()) if index.isValid() else None

    def select_cell(self, staff_id: int, column: int) -> bool:
        """Put the cursor on a person's cell (if the filters show them)."""
        for i in range(self.proxy.rowCount()):
            if self.proxy.index(i, 0).data(ROW_ROLE).person.id == staff_id:
                index = self.proxy.index(i, max(0, column))
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
                return True
        return False

    def _on_current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_cell()

    def _show_cell(self) -> None:
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        course = self.current_course()
        self.history_model.set_rows([])
        if row is None:
            self.cell_title.setText("Select a cell to see the history.")
            self.cell_status.setText("")
        elif course is None:
            self.cell_title.setText(row.person.full_name)
            self.cell_status.setText("Choose a course column to see this person's history.")
        else:
            cell = index.data(CELL_ROLE)
            self.cell_title.setText(f"{course.name} — {row.person.full_name}")
            needed = "Required for their role." if cell.required else "Not required for their role."
            self.cell_status.setText(
                f"{level_text(cell.status, 'training')}. {needed} {course.interval_text}."
            )
            staff_id, course_id = row.person.id, course.id
            self.ctx.tasks.run(
                partial(
                    training_queries.training_records,
                    self.ctx.db,
                    staff_id=staff_id,
                    course_id=course_id,
                ),
                on_success=lambda rows: self._on_history(staff_id, course_id, rows),
                on_failure=lambda e: show_failure(self, e, "Loading the history"),
            )
        self._update_buttons()

    def _on_history(self, staff_id: int, course_id: int, rows: list[TrainingRecordRow]) -> None:
        course = self.current_course()
        if self.current_person_id() != staff_id or course is None or course.id != course_id:
            return
        self.history_model.set_rows(rows)
        fit_columns(self.history)
        if rows:
            self.history.selectRow(0)
        self._update_buttons()

    def selected_record(self) -> TrainingRecordRow | None:
        """The completion selected in the history."""
        rows = self.history.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _update_buttons(self) -> None:
        record = self.selected_record()
        self.add_button.setEnabled(self.current_course() is not None)
        self.edit_button.setEnabled(record is not None)
        self.remove_button.setEnabled(record is not None)
        self.cert_button.setEnabled(record is not None and record.attachment_id is not None)
        self.cc_button.setEnabled(self.current_person_id() is not None)

    # Row menus -------------------------------------------------------------------------------
    def cell_menu(self, row: MatrixRow) -> list[MenuEntry]:
        """The right-click menu of a cell of the matrix (or of the person's name)."""
        person, course = row.person, self.current_course()
        record: MenuEntry = (
            (f"Record {course.name}…", self.add_for_cell)
            if course is not None
            else ("Record training…", lambda: self.record_training({person.id}))
        )
        return row_entries(
            open_=record,
            commands=[
                ("Show the history", lambda: self.history_toggle.setChecked(True)),
                ("Care Certificate…", self.open_care_certificate),
            ],
            links=[
                (
                    f"Open {person.full_name} on the Staff page",
                    lambda: self.item_requested.emit(staff_item(person.id, person.full_name)),
                )
            ],
            reference=person.full_name,
            copy_label="Copy name",
        )

    def record_menu(self, r: TrainingRecordRow) -> list[MenuEntry]:
        """The right-click menu of a completion in the history."""
        commands: list[MenuEntry] = []
        if r.attachment_id is not None:
            commands.append(("Save certificate…", self.save_certificate))
        return row_entries(
            edit=("Correct…", self.edit_history),
            commands=commands,
            links=[
                (
                    f"Open {r.staff_name} on the Staff page",
                    lambda: self.item_requested.emit(staff_item(r.staff_id, r.staff_name)),
                )
            ],
            archive=self.remove_history,
            reference=f"{r.staff_name}: {r.course} {format_date(r.completed_on)}",
        )

    # Actions -------------------------------------------------------------------------------
    def record_training(
        self, staff_ids: set[int] | None = None, course_id: int | None = None
    ) -> TrainingDialog | None:
        """Open the form to record a completion (ticks the given people)."""
        if self.loaded is None:
            return None
        dialog = TrainingDialog(
            self.ctx,
            self.loaded.people,
            self.loaded.courses,
            staff_ids=staff_ids,
            course_id=course_id,
            parent=self,
        )
        dialog.open()
        return dialog

    def add_for_cell(self) -> TrainingDialog | None:
        """Record the selected cell's course for the selected person."""
        person, course = self.current_person_id(), self.current_course()
        if person is None or course is None:
            return None
        return self.record_training({person}, course.id)

    def edit_history(self) -> TrainingDialog | None:
        """Correct the selected completion."""
        record = self.selected_record()
        if record is None or self.loaded is None:
            return None
        dialog = TrainingDialog(
            self.ctx, self.loaded.people, self.loaded.courses, record=record, parent=self
        )
        dialog.open()
        return dialog

    def remove_history(self, *, confirm: bool = True) -> None:
        """Remove a completion entered by mistake (kept in the change log)."""
        record = self.selected_record()
        if record is None:
            return
        if confirm and not ask(
            self,
            "Archive training record",
            f"Archive {record.course} completed on {format_date(record.completed_on)} by "
            f"{record.staff_name}? Use this for records entered by mistake.",
        ):
            return
        self.ctx.tasks.run(
            partial(
                training_service.archive_record,
                self.ctx.db,
                record.id,
                expected_version=record.version,
            ),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Removing the record"),
        )

    def save_certificate(self) -> None:
        """Save a copy of the selected completion's certificate."""
        record = self.selected_record()
        if record is None or record.attachment_id is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save certificate", record.certificate)
        if target:
            self.save_certificate_to(record.attachment_id, Path(target))

    def save_certificate_to(self, attachment_id: int, target: Path) -> None:
        """Write a stored certificate to ``target`` in the background."""
        from provider_desk.tabular.write import atomic_path

        def write(_progress: object) -> Path:
            _name, data = attachment_bytes(self.ctx.db, attachment_id)
            with atomic_path(target) as tmp:
                tmp.write_bytes(data)
            return target

        write_in_background(
            self, self.ctx, write, target, lambda p: f"Saved {p.name}", "Saving the file"
        )

    def open_courses(self) -> CoursesDialog:
        """The course catalogue and role requirements."""
        dialog = CoursesDialog(self.ctx, self)
        dialog.open()
        return dialog

    def open_care_certificate(self) -> None:
        """The selected person's Care Certificate standards."""
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        if row is None:
            return
        person = row.person
        self.ctx.tasks.run(
            partial(training_queries.care_certificate, self.ctx.db, person.id),
            on_success=lambda standards: self._open_cc(person.id, person.full_name, standards),
            on_failure=lambda e: show_failure(self, e, "Loading the Care Certificate"),
        )

    def _open_cc(self, staff_id: int, name: str, standards: list[object]) -> None:
        self.cc_dialog = CareCertificateDialog(
            self.ctx,
            staff_id,
            name,
            standards,  # type: ignore[arg-type]
            self,
        )
        self.cc_dialog.open()

    def export_matrix(self) -> None:
        """Export the matrix to Excel or PDF."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export training matrix",
            "training-matrix.pdf",
            "PDF (*.pdf);;Excel workbook (*.xlsx)",
        )
        if name:
            self.export_matrix_to(Path(name))

    def export_matrix_to(self, path: Path) -> None:
        """Write the matrix (everyone in post, before filtering) to ``path`` in a process of its
        own: ReportLab and openpyxl are pure Python, and in a thread they would make the window
        stutter while the user carries on (see :mod:`provider_desk.processes`)."""
        if self.loaded is None:
            return
        from provider_desk.areas.training.exports import export_matrix_file

        provider = self.loaded.provider_name or "Provider Desk"
        if path.suffix.lower() not in (".pdf", ".xlsx"):
            path = path.with_suffix(".pdf")
        target = path

        def done(result: object) -> None:
            saved = result if isinstance(result, Path) else target
            show_saved(self, saved, f"Matrix saved to {saved.name}")

        self.ctx.tasks.run_in_process(
            partial(
                export_matrix_file,
                self.ctx.db.url,
                self.ctx.today(),
                target,
                provider,
                actor=self.ctx.db.actor,
            ),
            on_success=done,
            on_failure=lambda e: show_failure(self, e, "Exporting the matrix"),
            progress_parent=self,
            progress_label=f"Saving {target.name}…",
        )

    def asc_wds_note_box(self) -> QMessageBox:
        """What to know before making the ASC-WDS file: it goes up with the workplace and staff
        files, and an upload replaces the training held there for those workers."""
        from provider_desk.areas.training.exports import ASC_WDS_UPLOAD_NOTE

        box = QMessageBox(
            QMessageBox.Icon.Information,
            "ASC-WDS training file",
            "This makes the training file for an ASC-WDS bulk upload.",
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(ASC_WDS_UPLOAD_NOTE)
        box.button(QMessageBox.StandardButton.Ok).setText("Choose where to save…")
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        return box

    def export_asc_wds(self) -> None:
        """Say what an ASC-WDS upload needs and does, then write the training file."""
        if self.asc_wds_note_box().exec() != QMessageBox.StandardButton.Ok:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "ASC-WDS training file", "asc-wds-training.csv", "CSV (*.csv)"
        )
        if name:
            self.export_asc_wds_to(Path(name))

    def export_asc_wds_to(self, path: Path) -> None:
        """Write the ASC-WDS file and say what could not go in, and what went in changed."""
        from provider_desk.areas.training.exports import AscWdsExport, export_asc_wds_training

        def done(result: AscWdsExport) -> None:
            text = f"{result.written} training records written to {path.name}."
            lines = result.problems + result.warnings
            if lines:
                parts = []
                if result.problems:
                    parts.append(f"{len(result.problems)} problem(s) left some records out")
                if result.warnings:
                    parts.append(f"{len(result.warnings)} warning(s) about what went in")
                box = QMessageBox(
                    QMessageBox.Icon.Information,
                    "ASC-WDS training file",
                    f"{text} {' and '.join(parts)}:",
                    parent=self,
                )
                box.setDetailedText("\n".join(lines))
                box.setInformativeText("\n".join(lines[:6]))
                self.asc_result_box = box
                box.open()
            show_saved(self, path, text)

        self.ctx.tasks.run(
            partial(export_asc_wds_training, self.ctx.db, path, self.ctx.today()),
            on_success=done,
            on_failure=lambda e: show_failure(self, e, "The ASC-WDS file"),
            export=True,
        )

    def fixed_columns(self) -> int:
        """How many columns come before the courses."""
        return len(FIXED_COLUMNS)
