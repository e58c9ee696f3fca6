"""Audits: the programme (what is due), audits done, the year's calendar and score trends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QBrush, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits import services as audit_service
from provider_desk.areas.audits.queries import (
    AWAITING_SIGN_OFF,
    DRAFT,
    SIGNED_OFF,
    AuditRow,
    CalendarRow,
    ProgrammeRow,
    TemplateDetail,
    audit_calendar,
    audit_detail,
    audit_overview,
    score_trend,
    template_detail,
)
from provider_desk.areas.people.queries import list_people
from provider_desk.areas.staff.queries import staff_choices
from provider_desk.changes import ACTIONS, AUDITS, SETTINGS, STAFF, Changes
from provider_desk.db.session import Database
from provider_desk.errors import Problem
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE, Level, word
from provider_desk.settings.queries import get_settings
from ui.areas.audits.audit_dialog import AuditDialog, AuditSetup
from ui.areas.audits.audit_template_dialog import TemplateDialog
from ui.context import AppContext, ask, say, show_failure
from ui.dialogs.base import FormDialog
from ui.icons import AMBER, BLUE, GREEN, GREY, RED, icon, qcolor
from ui.levels import level_icon, level_text
from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from ui.page import Page
from ui.widgets.date_field import DateField
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import choose_save_path, export_in_background
from ui.widgets.filters import refill_combo
from ui.widgets.tables import make_table_view
from ui.widgets.trend_chart import TrendChart

_BAND = {"good": GREEN, "fair": AMBER, "poor": RED, "": GREY}
_STATUS_ICON = {
    DRAFT: ("fa5s.pen", BLUE),
    AWAITING_SIGN_OFF: ("fa5s.user-clock", AMBER),
    SIGNED_OFF: ("fa5s.lock", GREEN),
}
AREA = "audits"  # whose words the levels take: missing reads "never done"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _score_colour(score: float | None) -> object:
    return qcolor(_BAND[r.score_band(score)])


PROGRAMME_COLUMNS: list[Column[ProgrammeRow]] = [
    Column("Audit", lambda p: p.name, tooltip=lambda p: p.description),
    Column(
        "Status",
        lambda p: level_text(p.status, AREA) + (" (draft started)" if p.drafts else ""),
        sort=lambda p: (p.status.rank, p.next_due),
        decoration=lambda p: level_icon(p.status),
    ),
    Column("Next due", lambda p: format_date(p.next_due), sort=lambda p: p.next_due),
    Column(
        "How often", lambda p: p.frequency.capitalize(), sort=lambda p: r.FREQUENCIES[p.frequency]
    ),
    Column("Last audit", lambda p: format_date(p.last_done, "never"), sort=lambda p: p.last_done),
    Column(
        "Last score",
        lambda p: r.format_score(p.last_score),
        sort=lambda p: p.last_score if p.last_score is not None else -1,
        foreground=lambda p: _score_colour(p.last_score),
        align_right=True,
    ),
    Column("Questions", lambda p: str(p.questions), sort=lambda p: p.questions, align_right=True),
    Column("Scope", lambda p: p.scope_text.capitalize()),
]

AUDIT_COLUMNS: list[Column[AuditRow]] = [
    Column("Date", lambda a: format_date(a.audited_on), sort=lambda a: a.audited_on),
    Column("Reference", lambda a: a.reference + (f" rev {a.revision}" if a.revision > 1 else "")),
    Column("Audit", lambda a: a.template),
    Column(
        "Score",
        lambda a: r.format_score(a.score),
        sort=lambda a: a.score if a.score is not None else -1,
        foreground=lambda a: _score_colour(a.score),
        align_right=True,
    ),
    Column("Not met", lambda a: str(a.failed), sort=lambda a: a.failed, align_right=True),
    Column(
        "Open actions",
        lambda a: f"{a.open_actions} of {a.actions}" if a.actions else "–",
        sort=lambda a: a.open_actions,
        align_right=True,
    ),
    Column(
        "Status",
        lambda a: a.status.capitalize(),
        decoration=lambda a: icon(*_STATUS_ICON[a.status]),
        tooltip=lambda a: (
            f"Signed off by {a.manager_signed_by} on {format_date(a.manager_signed_on)}"
            if a.manager_signed_on
            else ""
        ),
    ),
    Column("Auditor", lambda a: a.auditor),
    Column("Re-audit of", lambda a: a.follow_up_of),
    Column("Scope", lambda a: a.scope_note, tooltip=lambda a: a.scope_note),
]


@dataclass(frozen=True)
class _Loaded:
    programme: list[ProgrammeRow]
    audits: list[AuditRow]
    calendar: list[CalendarRow]
    year: int
    registered_manager: str


def _load(db: Database, today: dt.date, year: int) -> _Loaded:
    overview = audit_overview(db, year, today)
    return _Loaded(
        overview.programme,
        overview.audits,
        overview.calendar,
        year,
        get_settings(db).registered_manager,
    )


def load_setup(
    db: Database,
    today: dt.date,
    *,
    template_id: int | None = None,
    run_id: int | None = None,
    follow_up_id: int | None = None,
) -> AuditSetup:
    """Everything the audit window needs (runs on the worker thread)."""
    detail = audit_detail(db, run_id, today) if run_id is not None else None
    previous = audit_detail(db, follow_up_id, today) if follow_up_id is not None else None
    tid = detail.row.template_id if detail else template_id
    assert tid is not None
    tpl = template_detail(db, tid)
    assert tpl is not None
    return AuditSetup(
        template_id=tid,
        template_name=tpl.name,
        template=detail.template if detail else tpl.template,
        version_number=detail.version_number if detail else tpl.versions[-1].number,
        scope=tpl.scope,
        sample_size=tpl.sample_size,
        staff=tuple(staff_choices(db)),
        people=tuple(f"{p.reference} {p.first_name} {p.last_name}" for p in list_people(db, today))
        if tpl.scope == "care files"
        else (),
        detail=detail,
        previous=previous,
    )


class AuditsPage(Page):
    """What is due, what was found, what changed, and the audit report for the inspector."""

    title = "Audits"
    icon_name = "fa5s.clipboard-check"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self.year = ctx.today().year
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_programme(), icon("fa5s.list-ul"), "Programme")
        self.tabs.addTab(self._build_audits(), icon("fa5s.clipboard-list"), "Audits done")
        self.tabs.addTab(self._build_calendar(), icon("fa5s.calendar-alt"), "Calendar")
        self.tabs.addTab(self._build_trend(), icon("fa5s.chart-line"), "Score trend")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, self.start_selected)
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    # Building -------------------------------------------------------------------------------
    def _build_programme(self) -> QWidget:
        self.programme_model: RowTableModel[ProgrammeRow] = RowTableModel(PROGRAMME_COLUMNS, self)
        self.programme_proxy = RowFilterProxy(self)
        self.programme_proxy.setSourceModel(self.programme_model)
        self.programme_filter = QComboBox()
        for label, value in (
            ("All audits in the programme", None),
            (f"{level_text(Level.OVERDUE, AREA)} or {word(Level.MISSING, AREA)}", "needs"),
            (level_text(Level.DUE_SOON, AREA), Level.DUE_SOON),
            (level_text(Level.IN_DATE, AREA), Level.IN_DATE),
        ):
            self.programme_filter.addItem(label, value)
        self.start_button = QPushButton(icon("fa5s.play"), "Start audit")
        self.start_button.setToolTip("Start the selected audit (Ctrl+N)")
        self.edit_template_button = QPushButton(icon("fa5s.edit"), "Edit template…")
        self.new_template_button = QPushButton(icon("fa5s.plus"), "New template…")
        self.remove_template_button = QPushButton(icon("fa5s.archive"), "Remove…")
        self.programme_count = QLabel()
        self.programme_count.setObjectName("countLabel")
        top = QHBoxLayout()
        top.addWidget(self.programme_filter)
        for b in (
            self.start_button,
            self.edit_template_button,
            self.new_template_button,
            self.remove_template_button,
        ):
            top.addWidget(b)
        top.addStretch(1)
        top.addWidget(self.programme_count)
        self.programme_table = make_table_view(self.programme_proxy, sort_column=1)
        self.programme_table.setSortingEnabled(True)
        self.programme_table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        help_text = QLabel(
            "Regulation 17 asks for audits that find problems and actions that fix them. How "
            "often each audit is done is your choice (sector practice, not law): change it with "
            "Edit template."
        )
        help_text.setObjectName("fieldHelp")
        help_text.setWordWrap(True)
        box = QWidget()
        v = QVBoxLayout(box)
        v.addLayout(top)
        v.addWidget(self.programme_table, 1)
        v.addWidget(help_text)
        self.programme_filter.currentIndexChanged.connect(self.apply_programme_filter)
        self.start_button.clicked.connect(self.start_selected)
        self.edit_template_button.clicked.connect(self.edit_template)
        self.new_template_button.clicked.connect(self.new_template)
        self.remove_template_button.clicked.connect(self.remove_template)
        self.programme_table.doubleClicked.connect(lambda _i: self.start_selected())
        self.programme_table.selectionModel().selectionChanged.connect(self._on_selection)
        return box

    def _build_audits(self) -> QWidget:
        self.audit_model: RowTableModel[AuditRow] = RowTableModel(AUDIT_COLUMNS, self)
        self.audit_proxy = RowFilterProxy(self)
        self.audit_proxy.setSourceModel(self.audit_model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search audits  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.template_filter = QComboBox()
        self.status_filter = QComboBox()
        for label, value in (
            ("Any status", None),
            ("Drafts", DRAFT),
            ("Awaiting sign-off", AWAITING_SIGN_OFF),
            ("Signed off", SIGNED_OFF),
            ("With open actions", "open actions"),
        ):
            self.status_filter.addItem(label, value)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.template_filter, 1)
        filters.addWidget(self.status_filter, 1)
        self.open_button = QPushButton(icon("fa5s.folder-open"), "Open")
        self.reaudit_button = QPushButton(icon("fa5s.redo"), "Re-audit")
        self.reaudit_button.setToolTip("Start a follow-up audit that shows what improved")
        self.revise_button = QPushButton(icon("fa5s.pen"), "Revise…")
        self.revise_button.setToolTip("Correct a finished audit: a new revision, with a reason")
        self.sign_button = QPushButton(icon("fa5s.signature"), "Sign off…")
        self.report_button = QPushButton(icon("fa5s.file-pdf"), "Print report…")
        self.remove_audit_button = QPushButton(icon("fa5s.archive"), "Remove…")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export…")
        self.audit_count = QLabel()
        self.audit_count.setObjectName("countLabel")
        buttons = QHBoxLayout()
        for b in (
            self.open_button,
            self.reaudit_button,
            self.revise_button,
            self.sign_button,
            self.report_button,
            self.remove_audit_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.audit_count)
        buttons.addWidget(self.export_button)
        self.audit_table = make_table_view(self.audit_proxy, sort_column=0)
        self.audit_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.audit_empty = EmptyState()
        box = QWidget()
        v = QVBoxLayout(box)
        v.addLayout(filters)
        v.addLayout(buttons)
        v.addWidget(self.audit_table, 1)
        v.addWidget(self.audit_empty, 1)
        self.audit_empty.hide()
        self.search.textChanged.connect(self.apply_audit_filter)
        self.template_filter.currentIndexChanged.connect(self.apply_audit_filter)
        self.status_filter.currentIndexChanged.connect(self.apply_audit_filter)
        self.open_button.clicked.connect(self.open_selected)
        self.reaudit_button.clicked.connect(self.reaudit_selected)
        self.revise_button.clicked.connect(self.revise_selected)
        self.sign_button.clicked.connect(self.sign_off_selected)
        self.report_button.clicked.connect(self.print_report)
        self.remove_audit_button.clicked.connect(self.remove_audit)
        self.export_button.clicked.connect(self.export)
        self.audit_table.doubleClicked.connect(lambda _i: self.open_selected())
        self.audit_table.activated.connect(lambda _i: self.open_selected())
        self.audit_table.selectionModel().selectionChanged.connect(self._on_selection)
        return box

    def _build_calendar(self) -> QWidget:
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(self.year)
        self.year_box.setPrefix("Year ")
        self.calendar = QTableWidget(0, 12)
        self.calendar.setHorizontalHeaderLabels(list(MONTHS))
        self.calendar.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.calendar.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        key = QLabel(
            "Each cell shows the audits done that month with their score, or when the next is "
            "due. Green 90%+, amber 75–89%, red under 75% (Provider Desk's bands, not CQC "
            "ratings). Red 'Overdue': due and not done yet."
        )
        key.setObjectName("fieldHelp")
        key.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.year_box)
        top.addStretch(1)
        box = QWidget()
        v = QVBoxLayout(box)
        v.addLayout(top)
        v.addWidget(self.calendar, 1)
        v.addWidget(key)
        self.year_box.valueChanged.connect(self._on_year)
        return box

    def _build_trend(self) -> QWidget:
        self.trend_template = QComboBox()
        self.trend_chart = TrendChart()
        top = QHBoxLayout()
        top.addWidget(QLabel("Audit"))
        top.addWidget(self.trend_template, 1)
        top.addStretch(1)
        box = QWidget()
        v = QVBoxLayout(box)
        v.addLayout(top)
        v.addWidget(self.trend_chart, 1)
        self.trend_template.currentIndexChanged.connect(self.show_trend)
        return box

    # Loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload everything on the page in the background."""
        db, today, year = self.ctx.db, self.ctx.today(), self.year
        self.ctx.tasks.run(
            partial(_load, db, today, year),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading audits"),
        )

    def _on_ctx_changed(self, changes: Changes) -> None:
        if self.loaded is not None and changes.touches(AUDITS, ACTIONS, STAFF, SETTINGS):
            self.refresh()

    def _on_loaded(self, loaded: _Loaded) -> None:
        self.loaded = loaded
        kept_template, kept_audit = self.selected_template(), self.selected_audit()
        self.programme_model.set_rows(loaded.programme)
        self.audit_model.set_rows(loaded.audits)
        names = [(p.template_id, p.name) for p in loaded.programme]
        refill_combo(
            self.template_filter, "All audits", [n[0] for n in names], [n[1] for n in names]
        )
        current = self.trend_template.currentData()
        self.trend_template.blockSignals(True)
        self.trend_template.clear()
        for tid, name in names:
            self.trend_template.addItem(name, tid)
        if current is not None and self.trend_template.findData(current) >= 0:
            self.trend_template.setCurrentIndex(self.trend_template.findData(current))
        self.trend_template.blockSignals(False)
        self.apply_programme_filter()
        self.apply_audit_filter()
        # A refresh keeps the same template and audit selected (by id, as rows are new).
        self._reselect(
            self.programme_table,
            self.programme_proxy,
            lambda p: kept_template is not None and p.template_id == kept_template.template_id,
        )
        self._reselect(
            self.audit_table,
            self.audit_proxy,
            lambda a: kept_audit is not None and a.root_id == kept_audit.root_id,
        )
        if self.selected_template() is None and self.programme_proxy.rowCount():
            self.programme_table.selectRow(0)
        self._fill_calendar(loaded.calendar)
        self.show_trend()
        for table in (self.programme_table, self.audit_table):
            table.resizeColumnsToContents()
        self.audit_table.setColumnWidth(2, min(self.audit_table.columnWidth(2), 260))

    @staticmethod
    def _reselect(table: QTableView, proxy: RowFilterProxy, match: Callable[[Any], bool]) -> None:
        for i in range(proxy.rowCount()):
            if match(proxy.index(i, 0).data(ROW_ROLE)):
                table.selectRow(i)
                return

    def apply_programme_filter(self) -> None:
        """Show the templates matching the status filter."""
        wanted = self.programme_filter.currentData()

        def keep(p: ProgrammeRow) -> bool:
            if wanted == "needs":
                return p.status.needs_action
            return wanted is None or p.status == wanted

        self.programme_proxy.set_predicate(keep)
        rows = self.programme_model.rows()
        needs = sum(1 for p in rows if p.status.needs_action)
        soon = sum(1 for p in rows if p.status is Level.DUE_SOON)
        self.programme_count.setText(
            f"{needs} {word(Level.OVERDUE, AREA)} or {word(Level.MISSING, AREA)} · "
            f"{soon} {word(Level.DUE_SOON, AREA)}"
        )
        self._update_buttons()

    def apply_audit_filter(self) -> None:
        """Show the audits matching the search and the drop-downs."""
        words = self.search.text().lower().split()
        template, status = self.template_filter.currentData(), self.status_filter.currentData()

        def keep(a: AuditRow) -> bool:
            hay = f"{a.reference} {a.template} {a.auditor} {a.scope_note}".lower()
            if any(w not in hay for w in words):
                return False
            if template is not None and a.template_id != template:
                return False
            if status == "open actions":
                return a.open_actions > 0
            return status is None or a.status == status

        self.audit_proxy.set_predicate(keep)
        rows = self.audit_model.rows()
        open_actions = sum(a.open_actions for a in rows)
        self.audit_count.setText(
            f"{len(rows)} audits · {open_actions} open actions · "
            f"{self.audit_proxy.rowCount()} shown"
        )
        empty = self.loaded is not None and not rows
        if empty:
            self.audit_empty.show_message(
                "No audits yet",
                "Start one from the Programme tab: choose an audit and press Start audit.",
                [("Go to the programme", lambda: self.tabs.setCurrentIndex(0))],
            )
        self.audit_empty.setVisible(empty)
        self.audit_table.setVisible(not empty)
        self._update_buttons()

    def _fill_calendar(self, rows: list[CalendarRow]) -> None:
        self.calendar.setRowCount(len(rows))
        self.calendar.setVerticalHeaderLabels([c.name for c in rows])
        for i, c in enumerate(rows):
            for m in range(12):
                done, due = c.done[m], c.due[m]
                text, colour, tip = "", None, ""
                if done:
                    text = "  ".join(f"✓ {r.format_score(a.score)}" for a in done)
                    worst = min((a.score for a in done if a.score is not None), default=None)
                    colour = {"good": "#dff0e0", "fair": "#ffe8c2", "poor": "#ffd3d6"}.get(
                        r.score_band(worst)
                    )
                    tip = "\n".join(
                        f"{a.reference} {format_date(a.audited_on)}: {r.format_score(a.score)}, "
                        f"{a.failed} not met"
                        for a in done
                    )
                elif due:
                    d, state = due[0]
                    if state == "due":
                        text, tip = f"Due {d.day}", f"Due {format_date(d)}"
                    elif state == "late":
                        text, tip = "Done late", f"Was due {format_date(d)}; done later"
                    else:
                        text, colour = level_text(Level.OVERDUE), LEVEL_STYLE[Level.OVERDUE].fill
                        tip = f"Due {format_date(d)}: not done yet"
                cell = QTableWidgetItem(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if colour:
                    cell.setBackground(QBrush(qcolor(colour)))
                if tip:
                    cell.setToolTip(tip)
                self.calendar.setItem(i, m, cell)
        self.calendar.resizeColumnsToContents()
        for m in range(12):
            self.calendar.setColumnWidth(m, max(74, self.calendar.columnWidth(m)))

    def _on_year(self, year: int) -> None:
        self.year = year
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            partial(audit_calendar, db, year, today),
            on_success=self._fill_calendar,
            on_failure=lambda e: show_failure(self, e, "Loading the calendar"),
        )

    def show_trend(self) -> None:
        """Load and draw the score trend of the chosen audit."""
        tid = self.trend_template.currentData()
        if tid is None:
            self.trend_chart.set_points("", [])
            return
        name, db = self.trend_template.currentText(), self.ctx.db
        self.ctx.tasks.run(
            partial(score_trend, db, tid),
            on_success=lambda pts: self.trend_chart.set_points(f"{name}: score trend", pts),
            on_failure=lambda e: show_failure(self, e, "Loading the trend"),
        )

    # Selection ------------------------------------------------------------------------------
    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.search.setFocus()

    def selected_template(self) -> ProgrammeRow | None:
        """The template selected in the programme."""
        rows = self.programme_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def selected_audit(self) -> AuditRow | None:
        """The audit selected in the list of audits."""
        rows = self.audit_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_selection(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        tpl, audit = self.selected_template(), self.selected_audit()
        for b in (self.start_button, self.edit_template_button, self.remove_template_button):
            b.setEnabled(tpl is not None)
        self.open_button.setEnabled(audit is not None)
        self.reaudit_button.setEnabled(audit is not None and audit.locked)
        self.revise_button.setEnabled(audit is not None and audit.locked)
        self.sign_button.setEnabled(
            audit is not None and audit.locked and audit.manager_signed_on is None
        )
        self.report_button.setEnabled(audit is not None)
        self.remove_audit_button.setEnabled(audit is not None)

    # Audits ---------------------------------------------------------------------------------
    def _open_dialog(self, **kw: int | None) -> None:
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            partial(load_setup, db, today, **kw),
            on_success=self._show_dialog,
            on_failure=lambda e: show_failure(self, e, "Opening the audit"),
        )

    def _show_dialog(self, setup: AuditSetup) -> None:
        self.dialog = AuditDialog(self.ctx, setup, parent=self)
        self.dialog.open()

    def start_selected(self) -> None:
        """Start the selected audit (or carry on with a draft of it already started)."""
        tpl = self.selected_template()
        if tpl is None:
            return
        self.start(tpl.template_id)

    def start(self, template_id: int) -> None:
        """Carry on with a draft of this audit if there is one, else start a new one."""
        drafts = [
            a
            for a in (self.loaded.audits if self.loaded else [])
            if a.template_id == template_id and a.status == DRAFT
        ]
        if drafts:
            say(self, f"Carrying on with the draft {drafts[-1].reference}.")
            self._open_dialog(run_id=drafts[-1].id)
        else:
            self._open_dialog(template_id=template_id)

    def open_selected(self) -> None:
        """Open the selected audit (read-only once finished)."""
        audit = self.selected_audit()
        if audit is not None:
            self._open_dialog(run_id=audit.id)

    def reaudit_selected(self) -> None:
        """Start a follow-up of the selected audit: last time's answers show under each
        question, and the report shows what improved."""
        audit = self.selected_audit()
        if audit is not None and audit.locked:
            self._open_dialog(template_id=audit.template_id, follow_up_id=audit.id)

    def revise_selected(self, reason: str | None = None) -> None:
        """Correct a finished audit: a new draft revision, with the reason recorded."""
        audit = self.selected_audit()
        if audit is None or not audit.locked:
            return
        if reason is None:
            reason, ok = QInputDialog.getText(
                self,
                "Revise a finished audit",
                f"{audit.reference} is finished and locked. Why does it need changing?\n"
                "The finished version is kept; the change becomes revision "
                f"{audit.revision + 1}.",
            )
            if not ok:
                return
        self.ctx.tasks.run(
            partial(
                audit_service.revise_audit, self.ctx.db, audit.id, reason, today=self.ctx.today()
            ),
            on_success=self._on_revised,
            on_failure=lambda e: show_failure(self, e, "Revising the audit"),
        )

    def _on_revised(self, changes: Changes) -> None:
        self.ctx.announce(changes)
        self._open_dialog(run_id=changes.ids[0])

    def sign_off_selected(self) -> SignOffDialog | None:
        """The registered manager signs off a finished audit."""
        audit = self.selected_audit()
        if audit is None or not audit.locked:
            return None
        dialog = SignOffDialog(
            self.ctx, audit, self.loaded.registered_manager if self.loaded else "", parent=self
        )
        dialog.open()
        return dialog

    def remove_audit(self, *, confirm: bool = True) -> None:
        """Remove an audit entered by mistake (every revision; kept in the change log)."""
        audit = self.selected_audit()
        if audit is None:
            return
        if confirm and not ask(
            self,
            "Remove audit",
            f"Remove {audit.reference} ({audit.template}, {format_date(audit.audited_on)})?\n\n"
            "Use this for audits entered by mistake. Actions it raised stay on the action plan; "
            "the audit is kept in the change log.",
        ):
            return
        self.ctx.tasks.run(
            partial(audit_service.archive_audit, self.ctx.db, audit.id),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Removing the audit"),
        )

    def print_report(self) -> None:
        """Save the selected audit's report as a PDF."""
        audit = self.selected_audit()
        if audit is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the audit report", f"{audit.reference}.pdf", "PDF (*.pdf)"
        )
        if name:
            self.report_to(audit, Path(name))

    def report_to(self, audit: AuditRow, path: Path) -> None:
        """Write ``audit``'s report to ``path`` in the background."""
        from provider_desk.areas.audits.report_pdf import audit_report

        db, today = self.ctx.db, self.ctx.today()
        path = path.with_suffix(".pdf")
        self.ctx.tasks.run(
            partial(audit_report, db, audit.id, path, today),
            on_success=lambda p: say(self, f"Saved the report of {audit.reference} to {p}"),
            on_failure=lambda e: show_failure(self, e, "Printing the report"),
        )

    def export(self) -> None:
        """Export one row per audit to Excel or CSV."""
        path = choose_save_path(self, "Export audits", "audits.xlsx")
        if path:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Write the audits to ``path`` in the background."""
        from provider_desk.areas.audits.exports import export_audits

        export_in_background(self, self.ctx, partial(export_audits, self.ctx.db), path, "audits")

    # Templates ------------------------------------------------------------------------------
    def new_template(self) -> TemplateDialog:
        """Write a template of your own."""
        dialog = TemplateDialog(self.ctx, parent=self)
        dialog.open()
        self.template_dialog = dialog
        return dialog

    def edit_template(self) -> None:
        """Change the selected template's questions, frequency or scope."""
        tpl = self.selected_template()
        if tpl is None:
            return
        self.ctx.tasks.run(
            partial(template_detail, self.ctx.db, tpl.template_id),
            on_success=self._show_template,
            on_failure=lambda e: show_failure(self, e, "Opening the template"),
        )

    def _show_template(self, detail: TemplateDetail | None) -> None:
        if detail is None:
            return
        self.template_dialog = TemplateDialog(self.ctx, detail, parent=self)
        self.template_dialog.open()

    def remove_template(self, *, confirm: bool = True) -> None:
        """Take a template out of the programme (its audits stay)."""
        tpl = self.selected_template()
        if tpl is None:
            return
        if confirm and not ask(
            self,
            "Remove from the programme",
            f"Stop doing '{tpl.name}'?\n\nIts past audits stay on the Audits done tab.",
        ):
            return
        self.ctx.tasks.run(
            partial(audit_service.archive_template, self.ctx.db, tpl.template_id),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Removing the template"),
        )


class SignOffDialog(FormDialog):
    """The registered manager's name and the date they signed the audit off."""

    def __init__(
        self, ctx: AppContext, audit: AuditRow, manager: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"Sign off {audit.reference}", parent, "Sign off")
        self.audit = audit
        f = self.form
        f.layout_.addRow(
            "Audit",
            QLabel(
                f"{audit.template}, {format_date(audit.audited_on)}, scored "
                f"{r.format_score(audit.score)} ({audit.failed} not met)"
            ),
        )
        self.name = f.add("manager_signed_by", "Registered manager *", QLineEdit(manager))
        self.signed_on = f.add("manager_signed_on", "Date *", DateField(optional=False))
        self.signed_on.set_date(ctx.today())

    def build(self, problems: list[Problem]) -> tuple[str, dt.date | None]:
        return self.name.text(), self.form.read_date("manager_signed_on", problems)

    def save(self, value: tuple[str, dt.date | None]) -> partial[Changes]:
        return partial(
            audit_service.sign_off_audit,
            self.ctx.db,
            self.audit.id,
            name=value[0],
            signed_on=value[1],
            today=self.ctx.today(),
        )
