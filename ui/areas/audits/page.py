"""Audits: the programme (what is due), audits done, the year's calendar and score trends.

Each tab is its own widget (programme_tab, audits_tab, calendar_tab, trend_tab); the page loads
their data, keeps the selection across refreshes and opens the audit window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QTableView, QTabWidget, QVBoxLayout, QWidget

from provider_desk.areas.audits.queries import (
    AuditRow,
    AuditSetup,
    CalendarRow,
    ProgrammeRow,
    audit_overview_in,
    audit_setup_in,
    draft_to_continue,
)
from provider_desk.areas.people.queries import list_people_in
from provider_desk.changes import ACTIONS, AUDITS, SETTINGS, STAFF, Changes
from provider_desk.db.session import Database
from provider_desk.reading import Attention
from provider_desk.rules.due import Level
from provider_desk.settings.queries import get_settings_in
from ui.areas.audits.audit_dialog import AuditDialog
from ui.areas.audits.audits_tab import AuditsTab
from ui.areas.audits.calendar_tab import CalendarTab
from ui.areas.audits.programme_tab import ALL, NEEDS, ProgrammeTab
from ui.areas.audits.trend_tab import TrendTab
from ui.context import AppContext, say, show_failure
from ui.icons import icon
from ui.models.table import ROW_ROLE, RowFilterProxy
from ui.page import AUDIT_RUN, Page
from ui.widgets.due_list import DueListPanel
from ui.widgets.filters import refill_combo
from ui.widgets.tables import fit_columns, select_row

FOCUS: dict[str, object] = {"audits:overdue": NEEDS, "audits:due_soon": Level.DUE_SOON}
"""The home card's counts, and the programme filter that lists exactly their audits."""

START_AUDIT_KEY = "Ctrl+Shift+A"
"""Start the audit selected in the programme (Ctrl+N is a new template, as new elsewhere)."""


@dataclass(frozen=True)
class _Loaded:
    programme: list[ProgrammeRow]
    audits: list[AuditRow]
    calendar: list[CalendarRow]
    year: int
    registered_manager: str
    starts: dt.date | None = None  # when the programme started (None: not started yet)
    settings_version: int = 0  # the settings row's version, for saving the start


def _load(db: Database, today: dt.date, year: int) -> _Loaded:
    with db.reading() as s:  # one snapshot
        overview = audit_overview_in(s, year, today)
        return _Loaded(
            overview.programme,
            overview.audits,
            overview.calendar,
            year,
            get_settings_in(s).registered_manager,
            overview.starts,
            overview.settings_version,
        )


def load_setup(
    db: Database,
    today: dt.date,
    *,
    template_id: int | None = None,
    run_id: int | None = None,
    follow_up_id: int | None = None,
) -> AuditSetup:
    """Everything the audit window needs (runs on the worker thread): the audit set up in the
    core, and for a care-file audit the people supported to sample from."""
    with db.reading() as s:  # one snapshot
        setup = audit_setup_in(
            s, today, template_id=template_id, run_id=run_id, follow_up_id=follow_up_id
        )
        if setup.scope != "care files":
            return setup
        people = tuple(
            f"{p.reference} {p.first_name} {p.last_name}" for p in list_people_in(s, today)
        )
        return replace(setup, people=people)


class AuditsPage(Page):
    """What is due, what was found, what changed, and the audit report for the inspector."""

    record_table = "audit_template"

    title = "Audits"
    icon_name = "fa5s.clipboard-check"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self.focused = ""  # the home card count last shown (see Page.focus)
        self.wanted: int | None = None  # a template to select once loaded (see open_item)
        self.wanted_run: int | None = None  # an audit done to select once loaded
        self.programme_tab = ProgrammeTab(ctx, self.start_selected)
        self.audits_tab = AuditsTab(
            ctx,
            self._open_dialog,
            lambda: self.loaded.registered_manager if self.loaded else "",
            lambda: self.tabs.setCurrentIndex(0),
        )
        self.audits_tab.item_requested.connect(self.item_requested)
        self.calendar_tab = CalendarTab(ctx, ctx.today().year)
        self.trend_tab = TrendTab(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.programme_tab, icon("fa5s.list-ul"), "Programme")
        self.tabs.addTab(self.audits_tab, icon("fa5s.clipboard-list"), "Audits done")
        self.tabs.addTab(self.calendar_tab, icon("fa5s.calendar-alt"), "Calendar")
        self.tabs.addTab(self.trend_tab, icon("fa5s.chart-line"), "Score trend")
        self.due_list = DueListPanel(ctx, "audits")
        self.tabs.addTab(self.due_list, icon("fa5s.bell"), "Due list")
        self.due_list.open_requested.connect(self.open_item)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        # One meaning per shortcut: Ctrl+N is "new record" on every page (here a new template);
        # starting the selected audit has its own.
        QShortcut(QKeySequence.StandardKey.New, self, self.programme_tab.new_template)
        QShortcut(QKeySequence(START_AUDIT_KEY), self, self.start_selected)
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    @property
    def year(self) -> int:
        """The year the calendar shows."""
        return self.calendar_tab.year

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
        programme, audits = self.programme_tab, self.audits_tab
        kept_template, kept_audit = programme.selected_template(), audits.selected_audit()
        programme.model.set_rows(loaded.programme)
        programme.show_start(
            loaded.starts, bool(loaded.programme), settings_version=loaded.settings_version
        )
        audits.loaded = True
        audits.model.set_rows(loaded.audits)
        names = [(p.template_id, p.name) for p in loaded.programme]
        refill_combo(
            audits.template_filter, "All audits", [n[0] for n in names], [n[1] for n in names]
        )
        self.trend_tab.set_templates(names)
        programme.apply_filter()
        audits.apply_filter()
        # A refresh keeps the same template and audit selected (by id, as rows are new).
        self._reselect(
            programme.table,
            programme.proxy,
            lambda p: kept_template is not None and p.template_id == kept_template.template_id,
        )
        self._reselect(
            audits.table,
            audits.proxy,
            lambda a: kept_audit is not None and a.root_id == kept_audit.root_id,
        )
        if programme.selected_template() is None and programme.proxy.rowCount():
            programme.table.selectRow(0)
        self._select_wanted()
        self.calendar_tab.fill(loaded.calendar)
        self.trend_tab.show_trend()
        for table in (programme.table, audits.table):
            fit_columns(table)
        audits.table.setColumnWidth(2, min(audits.table.columnWidth(2), 260))

    # The home page's counts and to-do items --------------------------------------------------
    def focus(self, what: str) -> None:
        """Show the programme listing exactly the audits a home card count stands for."""
        if what not in FOCUS:
            return
        self.focused, self.wanted = what, None
        self._show_programme(FOCUS[what])

    def focus_count(self) -> int | None:
        """The audits listed for the last focus (None before one, or before loading)."""
        if not self.focused or self.loaded is None:
            return None
        return self.programme_tab.proxy.rowCount()

    def open_item(self, item: Attention) -> None:
        """Select, in the programme, the audit (template) a to-do item is about; an item of kind
        :data:`AUDIT_RUN` (an action's source) selects that audit on the Audits done tab."""
        self.focused = ""
        if item.kind == AUDIT_RUN:
            self.wanted_run = item.record_id
            audits = self.audits_tab
            self.tabs.setCurrentWidget(audits)
            audits.search.clear()
            audits.template_filter.setCurrentIndex(0)
            audits.status_filter.setCurrentIndex(0)
            self._select_wanted()
            return
        self.wanted = item.record_id
        self._show_programme(ALL)
        self._select_wanted()

    def history_record(self) -> tuple[str, int] | None:
        """The audit selected on the audits tab, else the template selected in the programme."""
        if self.tabs.currentWidget() is self.audits_tab:
            run = self.audits_tab.selected_audit()
            return ("audit_run", run.root_id) if run is not None else None  # every revision
        return super().history_record()

    def opened(self) -> tuple[int | None, int | str | None]:
        """The template selected in the programme."""
        tpl = self.programme_tab.selected_template()
        return (tpl.template_id if tpl else None), None

    def _show_programme(self, status: object) -> None:
        self.tabs.setCurrentWidget(self.programme_tab)
        self.programme_tab.show_status(status)

    def _select_wanted(self) -> None:
        if self.wanted_run is not None and self.loaded is not None:
            run, self.wanted_run = self.wanted_run, None
            select_row(self.audits_tab.table, lambda a: run in (a.root_id, a.id))
        if self.wanted is not None and self.loaded is not None:
            wanted, self.wanted = self.wanted, None
            select_row(self.programme_tab.table, lambda p: p.template_id == wanted)

    @staticmethod
    def _reselect(table: QTableView, proxy: RowFilterProxy, match: Callable[[Any], bool]) -> None:
        for i in range(proxy.rowCount()):
            if match(proxy.index(i, 0).data(ROW_ROLE)):
                table.selectRow(i)
                return

    def _focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.audits_tab.search.setFocus()

    def _update_buttons(self) -> None:
        self.programme_tab.update_buttons()
        self.audits_tab.update_buttons()

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
        tpl = self.programme_tab.selected_template()
        if tpl is None:
            return
        self.start(tpl.template_id)

    def start(self, template_id: int) -> None:
        """Carry on with a draft of this audit if there is one, else start a new one."""
        draft = draft_to_continue(self.loaded.audits if self.loaded else [], template_id)
        if draft is not None:
            say(self, f"Carrying on with the draft {draft.reference}.")
            self._open_dialog(run_id=draft.id)
        else:
            self._open_dialog(template_id=template_id)
