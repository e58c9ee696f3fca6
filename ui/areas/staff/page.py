"""The staff register: who works here, in which role and team, and which checks to chase."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.complaints.queries import (
    ComplimentRow,
    list_compliments_in,
)
from provider_desk.areas.staff import queries as staff_queries
from provider_desk.areas.staff.queries import CheckRow, Choice, StaffRow
from provider_desk.areas.staff.rules import check_level
from provider_desk.areas.supervision.queries import SessionRow, supervision_records_in
from provider_desk.areas.training.queries import TrainingRecordRow, training_records_in
from provider_desk.changes import (
    CHECKS,
    COMPLAINTS,
    JOB_ROLES,
    SETTINGS,
    STAFF,
    SUPERVISION,
    TRAINING,
    Changes,
)
from provider_desk.privacy.subject_access import STAFF as STAFF_SUBJECT
from provider_desk.reading import Attention
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level, level_of
from provider_desk.settings.queries import SettingsRow, get_settings_in
from ui.areas.staff.check_dialog import CheckDialog
from ui.areas.staff.staff_dialog import LeaverDialog, StaffDialog
from ui.context import AppContext, show_failure
from ui.dialogs import subject_access
from ui.icons import GREY, icon, qcolor
from ui.levels import level_icon
from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from ui.page import COMPLIMENT, Page, record_item, staff_item
from ui.widgets.due_list import DueListSwitch
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import choose_save_path, export_in_background, write_in_background
from ui.widgets.filters import refill_combo
from ui.widgets.links import install_links, link_column
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import fit_columns, make_table_view

CURRENT, ACTIVE, ON_LEAVE, LEFT, EVERYONE = "current", "active", "on leave", "left", "all"
ANY_CHECKS, TO_CHASE, NOT_RECEIVED, TO_VERIFY = "any", "to chase", "not received", "to verify"
CHECKS_LEVEL = {NOT_RECEIVED: Level.MISSING, TO_VERIFY: Level.DUE_SOON}
"""The checks choices that list one level of a staff file (as the staff reader raises them: a
check not received at all; else every check in but some not yet verified)."""
FOCUS = {"recruitment:outstanding": NOT_RECEIVED, "recruitment:unverified": TO_VERIFY}
"""The recruitment card's counts, and the checks choice that lists exactly their staff (current
staff: leavers are archived and left out, as the card leaves them out)."""


def checks_text(row: StaffRow) -> str:
    """'All in place', or what is left to chase."""
    parts = []
    if row.missing_checks:
        parts.append(f"{row.missing_checks} missing")
    if row.unverified_checks:
        parts.append(f"{row.unverified_checks} to verify")
    return ", ".join(parts) if parts else "All in place"


STAFF_COLUMNS: list[Column[StaffRow]] = [
    Column(
        "Name",
        lambda r: r.sort_name,
        tooltip=lambda r: f"Known as {r.preferred_name}" if r.preferred_name else r.full_name,
    ),
    Column("Job role", lambda r: r.job_role),
    Column("Team", lambda r: r.team),
    Column("Contract", lambda r: r.contract_type.capitalize()),
    Column("Started", lambda r: format_date(r.start_date), sort=lambda r: r.start_date),
    Column(
        "Status",
        lambda r: (
            r.status.capitalize() + (f" ({format_date(r.leaving_date)})" if r.leaving_date else "")
        ),
        foreground=lambda r: qcolor(GREY) if r.status == "left" else None,
    ),
    Column(
        "Recruitment checks",
        checks_text,
        sort=lambda r: -(r.missing_checks * 100 + r.unverified_checks),
        decoration=lambda r: level_icon(r.checks_level),
        tooltip=lambda r: "Schedule 3 items and right to work: open the person to see which.",
    ),
    Column("ASC-WDS id", lambda r: r.asc_wds_worker_id),
]


PRAISE_COLUMNS: list[Column[ComplimentRow]] = [
    Column("Received", lambda c: format_date(c.received_on), sort=lambda c: c.received_on),
    Column("From", lambda c: c.from_name),
    Column("What was said", lambda c: c.what_was_said, tooltip=lambda c: c.what_was_said),
]

CHECK_COLUMNS: list[Column[CheckRow]] = [
    Column("Check", lambda r: r.title),
    Column(
        "Status",
        lambda r: r.status.capitalize(),
        decoration=lambda r: level_icon(check_level(r.status)),
    ),
    Column("Date", lambda r: format_date(r.checked_on), sort=lambda r: r.checked_on),
    Column("Reference", lambda r: r.reference),
    Column(
        "Details",
        lambda r: "; ".join(
            x
            for x in (
                f"issued {format_date(r.issued_on)}" if r.issued_on else "",
                "barred list checked" if r.barred_list_checked else "",
                "on Update Service" if r.update_service else "",
                r.evidence_note,
            )
            if x
        ),
    ),
    Column("File", lambda r: r.attachment_name),
]


def latest_ids(records: list[TrainingRecordRow]) -> set[int]:
    """The ids of each course's latest completion (the others have been done again since)."""
    latest: dict[int, TrainingRecordRow] = {}
    for r in records:
        kept = latest.get(r.course_id)
        if kept is None or (r.completed_on, r.id) > (kept.completed_on, kept.id):
            latest[r.course_id] = r
    return {r.id for r in latest.values()}


TRAINING_COLUMNS: list[Column[TrainingRecordRow]] = [
    Column("Course", lambda r: r.course),
    Column("Completed", lambda r: format_date(r.completed_on), sort=lambda r: r.completed_on),
    Column(
        "Expires", lambda r: format_date(r.expires_on, "no expiry"), sort=lambda r: r.expires_on
    ),
    Column("Provider", lambda r: r.provider),
]
SESSION_COLUMNS: list[Column[SessionRow]] = [
    Column("Held", lambda r: format_date(r.held_on), sort=lambda r: r.held_on),
    Column("Kind", lambda r: r.kind_name),
    link_column(
        "Supervisor",
        lambda r: r.supervisor,
        lambda r: staff_item(r.supervisor_id, r.supervisor),
        where=" on the Staff page",
    ),
    Column("Outcome", lambda r: r.outcome.capitalize(), tooltip=lambda r: r.outcome),
]
SUPERVISOR_COLUMN = 2
TRAINING_TAB, SUPERVISION_TAB = 2, 3
DUE_SOON_DAYS = SettingsRow().due_soon_days  # until the settings' own window is loaded


@dataclass(frozen=True)
class _Loaded:
    staff: list[StaffRow]
    roles: list[Choice]
    managers: list[Choice]
    teams: list[str]
    due_soon_days: int = DUE_SOON_DAYS  # the settings' window: training "expires soon"


class StaffPage(Page):
    """Sortable, filterable register with each person's details and checks below."""

    record_table = "staff_member"

    title = "Staff"
    icon_name = "fa5s.users"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self._pending_select: int | None = None
        self.focused = ""  # the home card count last shown (see Page.focus)
        self.wanted: int | None = None  # a to-do item's person to select once loaded
        self.model: RowTableModel[StaffRow] = RowTableModel(STAFF_COLUMNS, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.checks_model: RowTableModel[CheckRow] = RowTableModel(CHECK_COLUMNS, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, team or ASC-WDS id  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.role_filter = QComboBox()
        self.team_filter = QComboBox()
        self.status_filter = QComboBox()
        for label, value in (
            ("Current staff", CURRENT),
            ("Active", ACTIVE),
            ("On leave", ON_LEAVE),
            ("Leavers", LEFT),
            ("Everyone", EVERYONE),
        ):
            self.status_filter.addItem(label, value)
        self.checks_filter = QComboBox()
        for label, value in (
            ("Any checks", ANY_CHECKS),
            ("Checks to chase", TO_CHASE),
            ("Checks not received", NOT_RECEIVED),
            ("All in, some to verify", TO_VERIFY),
        ):
            self.checks_filter.addItem(label, value)
        self.checks_filter.setToolTip(
            "Recruitment checks: any missing or not yet verified (to chase); at least one not "
            "received at all; or every check received but some not yet verified"
        )
        clear = QPushButton("Clear filters")
        clear.clicked.connect(self.clear_filters)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for w in (self.role_filter, self.team_filter, self.status_filter, self.checks_filter):
            filters.addWidget(w, 1)
        filters.addWidget(clear)

        self.add_button = QPushButton(icon("fa5s.user-plus"), "Add staff member")
        self.add_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton(icon("fa5s.user-edit"), "Edit…")
        self.leaver_button = QPushButton(icon("fa5s.user-minus"), "Record leaver…")
        self.access_button = QPushButton(icon("fa5s.user-shield"), subject_access.BUTTON_TEXT)
        self.access_button.setToolTip(subject_access.BUTTON_TIP)
        self.import_button = QPushButton(icon("fa5s.file-import"), "Import…")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export…")
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.leaver_button, self.access_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        self.due = DueListSwitch(ctx, "staff", self.open_item)
        actions.addWidget(self.due.button)
        actions.addWidget(self.import_button)
        actions.addWidget(self.export_button)

        self.table = make_table_view(self.proxy, sort_column=0)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checks_table = make_table_view(self.checks_model)
        self.edit_check_button = QPushButton(icon("fa5s.clipboard-check"), "Record check…")
        self.save_file_button = QPushButton(icon("fa5s.download"), "Save a copy of the file…")
        checks_tab = QWidget()
        checks_layout = QVBoxLayout(checks_tab)
        checks_buttons = QHBoxLayout()
        checks_buttons.addWidget(self.edit_check_button)
        checks_buttons.addWidget(self.save_file_button)
        checks_buttons.addStretch(1)
        checks_layout.addWidget(self.checks_table)
        checks_layout.addLayout(checks_buttons)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.detail, "Details")
        self.tabs.addTab(checks_tab, "Recruitment checks")
        # Their training and supervision one tab away (the grids are on their own pages).
        self.latest_training: set[int] = set()  # each course's latest completion (see status)
        self.training_model: RowTableModel[TrainingRecordRow] = RowTableModel(
            [*TRAINING_COLUMNS[:3], self._training_status_column(), *TRAINING_COLUMNS[3:]], self
        )
        self.training_table = make_table_view(self.training_model, sort_column=0)
        self.tabs.addTab(self.training_table, "Training")
        self.sessions_model: RowTableModel[SessionRow] = RowTableModel(SESSION_COLUMNS, self)
        self.sessions_table = make_table_view(self.sessions_model, stretch=3)
        self.tabs.addTab(self.sessions_table, "Supervision")
        self.praise_model: RowTableModel[ComplimentRow] = RowTableModel(PRAISE_COLUMNS, self)
        self.praise_table = make_table_view(self.praise_model)
        self.tabs.addTab(self.praise_table, "Compliments")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.empty = EmptyState()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        self.due.set_content(self.stack)
        layout.addWidget(self.due, 1)

        self.search.textChanged.connect(self.apply_filters)
        for combo in (self.role_filter, self.team_filter, self.status_filter, self.checks_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.add_button.clicked.connect(self.add_staff)
        self.edit_button.clicked.connect(self.edit_selected)
        self.leaver_button.clicked.connect(self.record_leaver)
        self.access_button.clicked.connect(self.subject_access)
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_requested)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.activated.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.checks_table.doubleClicked.connect(lambda _i: self.edit_check())
        self.checks_table.activated.connect(lambda _i: self.edit_check())
        self.checks_table.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons()
        )
        self.edit_check_button.clicked.connect(self.edit_check)
        install_row_menu(self.table, self.menu_entries, record=lambda r: ("staff_member", r.id))
        install_row_menu(
            self.checks_table,
            self.check_menu_entries,
            record=lambda c: ("recruitment_check", c.id) if c.id else None,
        )
        install_row_menu(
            self.training_table,
            self.training_menu_entries,
            record=lambda r: ("training_record", r.id),
        )
        self.training_table.activated.connect(lambda _i: self.open_training())
        self.training_table.doubleClicked.connect(lambda _i: self.open_training())
        install_row_menu(
            self.sessions_table,
            self.session_menu_entries,
            record=lambda r: ("supervision_record", r.id),
        )
        install_links(
            self.sessions_table,
            {SUPERVISOR_COLUMN: lambda r: staff_item(r.supervisor_id, r.supervisor)},
            self.item_requested.emit,
        )
        self.sessions_table.activated.connect(lambda _i: self.open_supervision())
        install_row_menu(
            self.praise_table, self.praise_menu_entries, record=lambda c: ("compliment", c.id)
        )
        self.save_file_button.clicked.connect(self.save_file_copy)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, self.add_staff)
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    # Loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the register in the background."""
        db = self.ctx.db

        def load() -> _Loaded:
            with db.reading() as s:  # one snapshot
                return _Loaded(
                    staff_queries.list_staff_in(s, include_left=True),
                    staff_queries.job_role_choices_in(s),
                    staff_queries.staff_choices_in(s),
                    staff_queries.teams_in(s),
                    get_settings_in(s).due_soon_days,
                )

        self.ctx.tasks.run(
            load,
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading staff"),
        )

    def _on_ctx_changed(self, changes: Changes) -> None:
        # A page never opened has nothing to refresh: it loads when first shown.
        if self.loaded is not None and changes.touches(
            STAFF, CHECKS, JOB_ROLES, COMPLAINTS, TRAINING, SUPERVISION, SETTINGS
        ):
            self.refresh()

    def _on_loaded(self, loaded: _Loaded) -> None:
        selected = self.selected()
        self.loaded = loaded
        refill_combo(self.role_filter, "All roles", [r.label for r in loaded.roles])
        refill_combo(self.team_filter, "All teams", loaded.teams)
        first_load = not self.model.rows()
        self.proxy.set_predicate(self._keep(), refilter=False)  # the reset filters the rows once
        self.model.set_rows(loaded.staff)
        self._update_counts()
        if first_load:
            fit_columns(self.table)
        target = self._pending_select or (selected.id if selected else None)
        self._pending_select = None
        found = target is not None and self.select_staff(target)
        if self.wanted is not None:
            found = self._select_wanted()
        if not found and self.proxy.rowCount() and self.selected() is None:
            self.table.selectRow(0)

    # Home page requests --------------------------------------------------------------------
    def focus(self, what: str) -> None:
        """List exactly the staff files a recruitment card count stands for (:data:`FOCUS`)."""
        if what not in FOCUS:
            return
        self.focused = what
        self.clear_filters()
        self.checks_filter.setCurrentIndex(self.checks_filter.findData(FOCUS[what]))

    def focus_count(self) -> int | None:
        """The staff listed for the last focus (None before one, or before loading)."""
        return self.proxy.rowCount() if self.focused and self.loaded is not None else None

    def open_item(self, item: Attention) -> None:
        """Select the person a to-do item is about, among current staff."""
        if item.record_id is None:
            return
        self.focused = ""
        self.wanted = item.record_id
        self.clear_filters()
        self._select_wanted()

    def opened(self) -> tuple[int | None, int | str | None]:
        """The person selected (the register has no parts)."""
        row = self.selected()
        return (row.id if row is not None else None), None

    def _select_wanted(self) -> bool:
        if self.wanted is None or self.loaded is None:
            return False
        wanted, self.wanted = self.wanted, None
        if self.select_staff(wanted):
            return True
        if not any(r.id == wanted for r in self.loaded.staff):
            return False
        # Not a current member of staff (left since the item was raised): look among everyone.
        self.status_filter.setCurrentIndex(self.status_filter.findData(EVERYONE))
        return self.select_staff(wanted)

    # Filtering -----------------------------------------------------------------------------
    def apply_filters(self) -> None:
        """Show only the rows that match the search box and the drop-downs."""
        self.proxy.set_predicate(self._keep())
        self._update_counts()

    def _keep(self) -> Callable[[StaffRow], bool]:
        """Whether a row matches the search box and the drop-downs."""
        words = self.search.text().lower().split()
        role, team = self.role_filter.currentData(), self.team_filter.currentData()
        status = self.status_filter.currentData()
        checks = self.checks_filter.currentData()

        def keep(r: StaffRow) -> bool:
            hay = (
                f"{r.first_name} {r.last_name} {r.preferred_name} {r.team} "
                f"{r.asc_wds_worker_id} {r.job_role}".lower()
            )
            if any(w not in hay for w in words):
                return False
            if (role and r.job_role != role) or (team and r.team != team):
                return False
            if status == CURRENT and r.status == "left":
                return False
            if status in (ACTIVE, ON_LEAVE, LEFT) and r.status != status:
                return False
            if checks == TO_CHASE:
                return r.needs_attention
            if checks in CHECKS_LEVEL:
                return r.checks_level is CHECKS_LEVEL[checks]
            return True

        return keep

    def clear_filters(self) -> None:
        """Back to everyone currently employed."""
        self.search.clear()
        for combo in (self.role_filter, self.team_filter, self.status_filter, self.checks_filter):
            combo.setCurrentIndex(0)

    def _update_counts(self) -> None:
        shown = self.proxy.shown_rows()
        chase = sum(1 for r in shown if r.needs_attention)
        level = CHECKS_LEVEL.get(self.checks_filter.currentData())
        if level is not None and shown:  # the words of the home page's recruitment card
            what = "checks not received" if level is Level.MISSING else "checks to verify"
            self.count_label.setText(
                f"{len(shown)} staff file{'s' if len(shown) != 1 else ''} with {what}"
            )
        else:
            self.count_label.setText(
                f"{len(shown)} shown · {chase} with checks to chase" if shown else ""
            )
        if self.loaded is not None and not self.loaded.staff:
            self.empty.show_message(
                "No staff yet",
                "Add your staff one by one, or import the spreadsheet you already keep "
                "(CSV or Excel). Titles above the header row and merged cells are fine.",
                [
                    ("Add staff member", self.add_staff),
                    ("Import spreadsheet…", self.import_requested.emit),
                ],
            )
            self.stack.setCurrentWidget(self.empty)
        elif not shown and self.loaded is not None:
            self.empty.show_message(
                "No one matches these filters",
                "Try fewer words, or clear the filters.",
                [("Clear filters", self.clear_filters)],
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.splitter)
        self._update_buttons()

    # Selection -----------------------------------------------------------------------------
    def selected(self) -> StaffRow | None:
        """The person selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def select_staff(self, staff_id: int) -> bool:
        """Select someone by id (if the filters show them)."""
        for i in range(self.proxy.rowCount()):
            if self.proxy.index(i, 0).data(ROW_ROLE).id == staff_id:
                self.table.selectRow(i)
                self.table.scrollTo(self.proxy.index(i, 0))
                return True
        return False

    def selected_check(self) -> CheckRow | None:
        """The check selected in the checks tab."""
        rows = self.checks_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_table_selection_changed(self, _sel: QItemSelection, _des: QItemSelection) -> None:
        row = self.selected()
        self._show_detail(row)
        self.checks_model.set_rows([])
        if row is not None:
            staff_id = row.id
            db = self.ctx.db
            for model in (self.praise_model, self.training_model, self.sessions_model):
                model.set_rows([])
            self.ctx.tasks.run(
                lambda: db.read(
                    lambda s: (
                        staff_queries.staff_checks_in(s, staff_id),
                        list_compliments_in(s, staff_id=staff_id),
                        training_records_in(s, staff_id=staff_id),
                        supervision_records_in(s, staff_id=staff_id),
                    )
                ),
                on_success=lambda got: self._on_checks_loaded(staff_id, *got),
                on_failure=lambda e: show_failure(self, e, "Loading checks"),
            )
        self._update_buttons()

    def _on_checks_loaded(
        self,
        staff_id: int,
        checks: list[CheckRow],
        praise: list[ComplimentRow],
        training: list[TrainingRecordRow] | None = None,
        sessions: list[SessionRow] | None = None,
    ) -> None:
        current = self.selected()
        if current is None or current.id != staff_id:
            return  # the user has moved on; a later load will fill the table
        self.praise_model.set_rows(praise)
        self.tabs.setTabText(self.tabs.indexOf(self.praise_table), f"Compliments ({len(praise)})")
        self.latest_training = latest_ids(training or [])
        self.training_model.set_rows(training or [])
        self.tabs.setTabText(TRAINING_TAB, f"Training ({len(training or [])})")
        self.sessions_model.set_rows(sessions or [])
        self.tabs.setTabText(SUPERVISION_TAB, f"Supervision ({len(sessions or [])})")
        self.checks_model.set_rows(checks)
        fit_columns(self.checks_table)
        # Ready for "Record check…": the first check still to chase, else the first one.
        first = next(
            (i for i, c in enumerate(checks) if c.status in ("outstanding", "received")), 0
        )
        if checks:
            self.checks_table.selectRow(first)
        self._update_buttons()

    def _show_detail(self, r: StaffRow | None) -> None:
        if r is None:
            self.detail.setText("Select someone to see their details and recruitment checks.")
            return
        e = html.escape
        lines = [
            ("Name", r.full_name + (f" (known as {r.preferred_name})" if r.preferred_name else "")),
            ("Job role", r.job_role),
            ("Team", r.team or "—"),
            ("Contract", r.contract_type.capitalize()),
            ("Started", format_date(r.start_date)),
            ("Status", r.status.capitalize()),
            ("Left", format_date(r.leaving_date, "—")),
            ("Line manager", r.line_manager or "—"),
            ("ASC-WDS worker id", r.asc_wds_worker_id or "—"),
            ("Recruitment checks", checks_text(r)),
            ("Notes", r.notes or "—"),
        ]
        self.detail.setText(
            "<table cellpadding='3'>"
            + "".join(f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in lines)
            + "</table>"
        )

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.leaver_button.setEnabled(row is not None and row.status != "left")
        self.access_button.setEnabled(row is not None)
        check = self.selected_check()
        self.edit_check_button.setEnabled(check is not None)
        self.save_file_button.setEnabled(check is not None and check.attachment_id is not None)

    def _training_status_column(self) -> Column[TrainingRecordRow]:
        """Whether a completion is still what counts: each course's latest completion in date,
        due soon or expired on today; earlier ones "Done again since" (in grey)."""

        def level(r: TrainingRecordRow) -> Level | None:
            if r.id not in self.latest_training:
                return None
            days = self.loaded.due_soon_days if self.loaded else DUE_SOON_DAYS
            return level_of(r.expires_on, self.ctx.today(), days)

        def text(r: TrainingRecordRow) -> str:
            found = level(r)
            if found is None:
                return "Done again since"
            return {Level.OVERDUE: "Expired", Level.DUE_SOON: "Expires soon"}.get(found, "In date")

        return Column(
            "Status",
            text,
            sort=lambda r: (level(r) or Level.NOT_REQUIRED).rank,
            decoration=lambda r: level_icon(found) if (found := level(r)) is not None else None,
            foreground=lambda r: qcolor(GREY) if level(r) is None else None,
            tooltip=lambda r: (
                "The training matrix shows each course against what the role requires."
            ),
        )

    # Row menus and links -----------------------------------------------------------------
    def menu_entries(self, row: StaffRow) -> list[MenuEntry]:
        """The right-click menu of a member of staff."""
        commands: list[MenuEntry] = []
        if row.status != "left":
            commands.append(("Record leaver…", self.record_leaver))
        links: list[MenuEntry] = [
            ("Show their training", lambda: self.show_tab(TRAINING_TAB)),
            ("Show their supervision", lambda: self.show_tab(SUPERVISION_TAB)),
            ("Open on the training matrix", lambda: self.open_on("training", row)),
            ("Open on the supervision grid", lambda: self.open_on("supervision", row)),
        ]
        if row.line_manager_id is not None:
            links.append(
                (
                    f"Open {row.line_manager} (line manager)",
                    lambda: self.item_requested.emit(
                        staff_item(row.line_manager_id or 0, row.line_manager)
                    ),
                )
            )
        return row_entries(
            edit=("Edit…", self.edit_selected),
            commands=commands,
            links=links,
            reference=row.full_name,
            copy_label="Copy name",
        )

    def show_tab(self, tab: int) -> None:
        """Show one tab of the selected person's record (their training, their supervision)."""
        self.tabs.setCurrentIndex(tab)

    def open_on(self, area: str, row: StaffRow) -> None:
        """Open ``row`` on the training matrix or the supervision grid."""
        self.item_requested.emit(record_item(area, row.full_name, row.id))

    def check_menu_entries(self, check: CheckRow) -> list[MenuEntry]:
        """The right-click menu of a recruitment check."""
        commands: list[MenuEntry] = []
        if check.attachment_id is not None:
            commands.append(("Save a copy of the file…", self.save_file_copy))
        return row_entries(
            edit=("Record check…", self.edit_check),
            commands=commands,
            reference=check.reference,
        )

    def selected_training(self) -> TrainingRecordRow | None:
        """The training record selected on the Training tab."""
        rows = self.training_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def open_training(self) -> None:
        """Open the selected training record's cell on the training matrix."""
        r = self.selected_training()
        if r is not None:
            self.item_requested.emit(
                record_item("training", r.staff_name, r.staff_id, part_id=r.course_id)
            )

    def training_menu_entries(self, r: TrainingRecordRow) -> list[MenuEntry]:
        """The right-click menu of one of the person's training records."""
        return row_entries(
            open_=("Open on the training matrix", self.open_training),
            reference=f"{r.staff_name}: {r.course} {format_date(r.completed_on)}",
        )

    def selected_session(self) -> SessionRow | None:
        """The session selected on the Supervision tab."""
        rows = self.sessions_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def open_supervision(self) -> None:
        """Open the selected session's kind for the person on the supervision grid."""
        r = self.selected_session()
        if r is not None:
            self.item_requested.emit(record_item("supervision", r.worker, r.staff_id, kind=r.kind))

    def session_menu_entries(self, r: SessionRow) -> list[MenuEntry]:
        """The right-click menu of one of the person's supervision sessions."""
        return row_entries(
            open_=("Open on the supervision grid", self.open_supervision),
            links=[
                (
                    f"Open {r.supervisor} (supervisor)",
                    lambda: self.item_requested.emit(staff_item(r.supervisor_id, r.supervisor)),
                )
            ],
            reference=f"{r.kind_name} {format_date(r.held_on)}: {r.worker}",
        )

    def praise_menu_entries(self, c: ComplimentRow) -> list[MenuEntry]:
        """The right-click menu of a compliment about the person."""
        return row_entries(
            open_=(
                "Open on the Complaints page",
                lambda: self.item_requested.emit(
                    record_item("complaints", c.from_name, c.id, kind=COMPLIMENT)
                ),
            ),
            reference=c.what_was_said,
            copy_label="Copy what was said",
        )

    # Actions -------------------------------------------------------------------------------
    def _dialog_lists(self) -> tuple[list[Choice], list[Choice], list[str]]:
        loaded = self.loaded or _Loaded([], [], [], [])
        return loaded.roles, loaded.managers, loaded.teams

    def add_staff(self) -> StaffDialog:
        """Open the form for a new staff member."""
        dialog = StaffDialog(self.ctx, *self._dialog_lists(), parent=self)
        dialog.accepted.connect(lambda: self._select_after_save(dialog))
        dialog.open()
        return dialog

    def _select_after_save(self, dialog: StaffDialog) -> None:
        if dialog.saved_changes and dialog.saved_changes.ids:
            self._pending_select = dialog.saved_changes.ids[0]
            self.status_filter.setCurrentIndex(0)

    def edit_selected(self) -> StaffDialog | None:
        """Open the form for the selected person."""
        row = self.selected()
        if row is None:
            return None
        dialog = StaffDialog(self.ctx, *self._dialog_lists(), row=row, parent=self)
        dialog.open()
        return dialog

    def record_leaver(self) -> LeaverDialog | None:
        """Ask for the leaving date of the selected person."""
        row = self.selected()
        if row is None or row.status == "left":
            return None
        dialog = LeaverDialog(self.ctx, row, parent=self)
        dialog.open()
        return dialog

    def subject_access(self) -> None:
        """Export everything held about the selected staff member (asks where to save)."""
        row = self.selected()
        if row is not None:
            subject_access.ask_and_export(
                self, self.ctx, STAFF_SUBJECT, row.id, row.full_name, f"staff {row.id}"
            )

    def edit_check(self) -> CheckDialog | None:
        """Record the selected recruitment check."""
        row, check = self.selected(), self.selected_check()
        if row is None or check is None:
            return None
        dialog = CheckDialog(self.ctx, row.full_name, check, parent=self)
        dialog.open()
        return dialog

    def save_file_copy(self) -> None:
        """Save the selected check's evidence file somewhere the user chooses."""
        check = self.selected_check()
        if check is None or check.attachment_id is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save a copy", check.attachment_name)
        if not target:
            return
        attachment_id = check.attachment_id

        def write(_progress: object) -> Path:
            from provider_desk.tabular.write import atomic_path

            _name, data = staff_queries.attachment_bytes(self.ctx.db, attachment_id)
            with atomic_path(Path(target)) as tmp:
                tmp.write_bytes(data)
            return Path(target)

        write_in_background(
            self, self.ctx, write, Path(target), lambda p: f"Saved {p.name}", "Saving the file"
        )

    def export(self) -> None:
        """Export the register to CSV or Excel."""
        path = choose_save_path(self, "Export staff", "staff.xlsx")
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the whole register (leavers included) to ``path`` in the background."""
        from provider_desk.areas.staff.exports import export_staff

        export_in_background(self, self.ctx, partial(export_staff, self.ctx.db), path, "staff")

    def focus_index(self) -> QModelIndex:
        """The current index of the table (for keyboard tests)."""
        return self.table.currentIndex()
