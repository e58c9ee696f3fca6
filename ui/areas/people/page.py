"""People we support: who needs a plan, a review or consent recorded, and (in the person panel
below the list) each person's care plan versions, reviews, risk assessments and goals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.people import queries as pq
from provider_desk.areas.people import reader as people_reader
from provider_desk.areas.people.queries import PersonRow, ReablementSummary
from provider_desk.areas.staff.queries import Choice, staff_choices_in
from provider_desk.changes import ACTIONS, PEOPLE, SETTINGS, STAFF, Changes
from provider_desk.privacy.subject_access import PERSON
from provider_desk.reading import Attention
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level
from ui.areas.people.person_dialog import PersonDialog
from ui.areas.people.person_panel import (
    AREA,
    GOAL_TAB,
    PLAN_TAB,
    REVIEW_TAB,
    RISK_TAB,
    PersonPanel,
)
from ui.context import AppContext, show_failure
from ui.dialogs import subject_access
from ui.icons import icon
from ui.levels import level_colour, level_icon, level_text
from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from ui.page import Page, staff_item
from ui.widgets.due_list import DueListSwitch
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import choose_save_path, export_in_background
from ui.widgets.links import install_links, link_column
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import make_table_view, select_row


def key_worker_item(p: PersonRow) -> Attention | None:
    """The person's key worker, to open on the Staff page (None: none named)."""
    return staff_item(p.key_worker_id, p.key_worker) if p.key_worker_id else None


PEOPLE_COLUMNS: list[Column[PersonRow]] = [
    Column("Ref", lambda p: p.reference),
    Column("Name", lambda p: p.name, sort=lambda p: f"{p.last_name} {p.first_name}"),
    Column(
        "Care plan review",
        lambda p: level_text(p.review_status, AREA),
        sort=lambda p: (p.review_status.rank, p.review_due),
        decoration=lambda p: level_icon(p.review_status),
    ),
    Column("Review due", lambda p: format_date(p.review_due), sort=lambda p: p.review_due),
    Column(
        "Plan",
        lambda p: (
            f"v{p.plan_number} from {format_date(p.plan_from)}"
            + (" — needs updating" if p.plan_needs_update else "")
            if p.plan_number
            else "None"
        ),
        sort=lambda p: p.plan_from,
    ),
    Column(
        "Consent",
        lambda p: ("Recorded" if p.consent_recorded else "Not recorded") if p.plan_number else "",
        foreground=lambda p: (
            None if p.consent_recorded or not p.plan_number else level_colour(Level.MISSING)
        ),
    ),
    Column(
        "Hours/wk",
        lambda p: "" if p.planned_hours is None else f"{p.planned_hours:g}",
        sort=lambda p: p.planned_hours or 0,
        align_right=True,
    ),
    Column(
        "Risks",
        lambda p: (
            (f"{p.risks_overdue} review overdue" if p.risks_overdue else "")
            + (f"{', ' if p.risks_overdue else ''}{p.high_risks} high" if p.high_risks else "")
        ),
        sort=lambda p: (p.risks_overdue, p.high_risks),
        foreground=lambda p: level_colour(Level.OVERDUE) if p.risks_overdue else None,
    ),
    Column("Status", lambda p: p.status.capitalize()),
    Column("Service", lambda p: p.service_type.capitalize()),
    link_column(
        "Key worker",
        lambda p: p.key_worker,
        lambda p: key_worker_item(p),
        where=" on the Staff page",
    ),
    Column("Funding", lambda p: p.funding),
    Column("Started", lambda p: format_date(p.start_date), sort=lambda p: p.start_date),
]

KEY_WORKER_COLUMN = [c.title for c in PEOPLE_COLUMNS].index("Key worker")

SUPPORTED, EVERYONE = "Everyone supported now", "Everyone, ended included"
REVIEW_OVERDUE, REVIEW_SOON = "Care plan review overdue", "Review due soon"
NO_PLAN, NO_CONSENT = "No current plan", "Consent not recorded"
RISK_OVERDUE, RISK_SOON = "Risk review overdue", "Risk review due soon"

# The lists the home page's counts open mirror what the people reader counts: people not archived
# (ended services are archived), one line per person.
FILTERS: list[tuple[str, Callable[[PersonRow], bool]]] = [
    ("Needs attention", lambda p: p.needs_attention),
    (SUPPORTED, lambda p: p.status != "ended"),
    (REVIEW_OVERDUE, lambda p: not p.archived and p.review_status is Level.OVERDUE),
    (REVIEW_SOON, lambda p: not p.archived and p.review_status is Level.DUE_SOON),
    (NO_PLAN, lambda p: not p.archived and p.plan_number is None),
    (NO_CONSENT, lambda p: not p.archived and p.plan_number is not None
     and not p.consent_recorded),
    (RISK_OVERDUE, lambda p: not p.archived and p.risks_overdue > 0),
    (RISK_SOON, lambda p: not p.archived and p.risks_due_soon > 0),
    ("Plan needs updating after a review", lambda p: p.plan_needs_update),
    ("Reablement", lambda p: p.status != "ended" and p.service_type == "reablement"),
    ("In hospital", lambda p: p.status == "in hospital"),
    ("Ended", lambda p: p.status == "ended"),
    (EVERYONE, lambda p: True),
]  # fmt: skip

FOCUS: dict[str, tuple[str, Callable[[PersonRow], int]]] = {
    "care_plans:review_overdue": (REVIEW_OVERDUE, lambda p: 1),
    "care_plans:no_current_plan": (NO_PLAN, lambda p: 1),
    "care_plans:consent_missing": (NO_CONSENT, lambda p: 1),
    "care_plans:review_due_soon": (REVIEW_SOON, lambda p: 1),
    "risk_assessments:review_overdue": (RISK_OVERDUE, lambda p: p.risks_overdue),
    "risk_assessments:due_soon": (RISK_SOON, lambda p: p.risks_due_soon),
}
"""The home cards' counts: the list that shows their people, and how many of the card's items
each person listed stands for (risk assessments are counted one by one, not per person)."""
TABS = {
    people_reader.NO_PLAN: PLAN_TAB,
    people_reader.CONSENT: PLAN_TAB,
    people_reader.UPDATE: PLAN_TAB,
    people_reader.REVIEW: REVIEW_TAB,
    people_reader.RISK: RISK_TAB,
}
"""The person's tab a to-do item of each kind opens."""


@dataclass(frozen=True)
class _Loaded:
    people: list[PersonRow]
    staff: list[Choice]
    reablement: ReablementSummary


class PeoplePage(Page):
    """The list of people with what needs doing, and the selected person's records."""

    record_table = "person"

    title = "People"
    icon_name = "fa5s.home"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self.dialog: QDialog | None = None
        self.focused = ""  # the home card count last shown (see Page.focus)
        self.wanted: Attention | None = None  # a to-do item to open once loaded (open_item)
        self.model: RowTableModel[PersonRow] = RowTableModel(PEOPLE_COLUMNS, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Search by name, reference, NHS number or postcode  (Ctrl+F)"
        )
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox()
        for label, _ in FILTERS:
            self.filter.addItem(label)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.count_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.filter, 1)
        self.new_button = QPushButton(icon("fa5s.user-plus"), "New person")
        self.new_button.setToolTip("Ctrl+N")
        self.edit_button = QPushButton(icon("fa5s.edit"), "Details…")
        self.access_button = QPushButton(icon("fa5s.user-shield"), subject_access.BUTTON_TEXT)
        self.access_button.setToolTip(subject_access.BUTTON_TIP)
        self.import_button = QPushButton(icon("fa5s.file-import"), "Import…")
        self.export_button = QPushButton(icon("fa5s.file-export"), "Export")
        menu = QMenu(self.export_button)
        menu.addAction("People we support (.xlsx / .csv)…", lambda: self.export("people"))
        menu.addAction("Every care plan version (.xlsx / .csv)…", lambda: self.export("plans"))
        self.export_button.setMenu(menu)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.access_button, self.import_button):
            buttons.addWidget(b)
        buttons.addWidget(self.count_label, 1)
        self.due = DueListSwitch(ctx, "people", self.open_item)
        buttons.addWidget(self.due.button)
        buttons.addWidget(self.export_button)
        self.table = make_table_view(self.proxy, sort_column=2)
        self.empty = EmptyState()
        self.empty.hide()

        self.person_panel = PersonPanel(ctx, self.selected, self._staff)

        upper = QWidget()
        uv = QVBoxLayout(upper)
        uv.setContentsMargins(0, 0, 0, 0)
        uv.addLayout(top)
        uv.addLayout(buttons)
        listing = QWidget()
        lv = QVBoxLayout(listing)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.empty, 1)
        self.due.set_content(listing)
        uv.addWidget(self.due, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.person_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.search.textChanged.connect(self.apply_filters)
        self.filter.currentIndexChanged.connect(self.apply_filters)
        self.new_button.clicked.connect(self.new_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.access_button.clicked.connect(self.subject_access)
        self.import_button.clicked.connect(self.import_requested)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.activated.connect(lambda _i: self.edit_selected())
        install_row_menu(self.table, self.menu_entries, record=lambda p: ("person", p.id))
        install_links(self.table, {KEY_WORKER_COLUMN: key_worker_item}, self.item_requested.emit)
        self.person_panel.item_requested.connect(self.item_requested)
        self.table.selectionModel().selectionChanged.connect(self._on_person_selected)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_person)
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    # Loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list (and the selected person's records) in the background."""
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            lambda: db.read(
                lambda s: _Loaded(
                    pq.list_people_in(s, today, include_ended=True),
                    staff_choices_in(s),
                    pq.reablement_summary_in(s),
                )
            ),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading people"),
        )

    def _on_ctx_changed(self, changes: Changes) -> None:
        if self.loaded is not None and changes.touches(PEOPLE, STAFF, SETTINGS, ACTIONS):
            self.refresh()

    def _on_loaded(self, loaded: _Loaded) -> None:
        kept = self.selected()
        self.loaded = loaded
        self.proxy.set_predicate(self._keep(), refilter=False)  # the reset filters the rows once
        self.model.set_rows(loaded.people)  # and sizes the columns (make_table_view)
        self._update_counts()
        if kept is not None:
            for i in range(self.proxy.rowCount()):
                if self.proxy.index(i, 0).data(ROW_ROLE).id == kept.id:
                    self.table.selectRow(i)
                    break
        self.person_panel.set_reablement(loaded.reablement)
        if self.wanted is None and self.selected() is None and self.proxy.rowCount():
            self.table.selectRow(0)  # their records show at once, as on the Staff page
        self._load_person()
        self._open_wanted()

    # The home page's counts and to-do items --------------------------------------------------
    def focus(self, what: str) -> None:
        """List exactly the people a home card count stands for (see :data:`FOCUS`)."""
        if what not in FOCUS:
            return
        self.focused, self.wanted = what, None
        self._clear_filters(FOCUS[what][0])

    def focus_count(self) -> int | None:
        """The card's items among the people listed: people, or for risk assessments the
        assessments of that level they have (None before a focus, or before loading)."""
        if not self.focused or self.loaded is None:
            return None
        count = FOCUS[self.focused][1]
        return sum(count(p) for p in self.shown())

    def open_item(self, item: Attention) -> None:
        """Select the person a to-do item is about, on the tab of their records it concerns
        (for a risk review, with that risk assessment selected)."""
        self.focused = ""
        self.wanted = item
        self._clear_filters(SUPPORTED)
        self._open_wanted()

    def opened(self) -> tuple[int | None, int | str | None]:
        """The person selected, and the risk assessment selected if the risk tab is showing."""
        person = self.selected()
        return (person.id if person else None), self.person_panel.shown_risk()

    def shown(self) -> list[PersonRow]:
        """The people listed now, in the list's order."""
        return [self.proxy.index(i, 0).data(ROW_ROLE) for i in range(self.proxy.rowCount())]

    def _clear_filters(self, label: str) -> None:
        self.search.clear()
        self.filter.setCurrentIndex(self.filter.findText(label))

    def _open_wanted(self) -> None:
        if self.wanted is None or self.loaded is None:
            return
        item, self.wanted = self.wanted, None

        def match(p: PersonRow) -> bool:
            if item.record_id is None:  # an action's source, a complaint: reference or name
                wanted = item.reference.strip().lower()
                return wanted in (p.reference.lower(), p.name.lower())
            return p.id == item.record_id

        if not select_row(self.table, match):
            self._clear_filters(EVERYONE)  # someone no longer supported: the full list
            if not select_row(self.table, match):
                return
        part = item.part_id if item.kind == people_reader.RISK else None
        self.person_panel.show_part(TABS.get(item.kind, PLAN_TAB), part)

    def apply_filters(self) -> None:
        """Show the people matching the search and the chosen list."""
        self.proxy.set_predicate(self._keep())
        self._update_counts()

    def _keep(self) -> Callable[[PersonRow], bool]:
        """Whether a person matches the search box and the chosen list."""
        words = self.search.text().lower().split()
        keep_filter = FILTERS[self.filter.currentIndex()][1]

        def keep(p: PersonRow) -> bool:
            hay = (
                f"{p.reference} {p.name} {p.nhs_number} {p.nhs_number.replace(' ', '')} "
                f"{p.postcode} {p.key_worker}".lower()
            )
            return all(w in hay for w in words) and keep_filter(p)

        return keep

    def _update_counts(self) -> None:
        """The counts above the list, and the empty state when nobody is shown."""
        rows = [p for p in self.model.rows() if p.status != "ended"]
        overdue = sum(1 for p in rows if p.review_status is Level.OVERDUE)
        no_plan = sum(1 for p in rows if p.review_status is Level.MISSING)
        consent = sum(1 for p in rows if p.plan_number and not p.consent_recorded)
        risks = sum(p.risks_overdue for p in rows)
        self.count_label.setText(
            f"{len(rows)} supported · {overdue} reviews overdue · {no_plan} without a plan · "
            f"{consent} without consent · {risks} risk reviews overdue · "
            f"{self.proxy.rowCount()} shown"
        )
        empty = self.loaded is not None and self.proxy.rowCount() == 0
        if empty and not self.model.rows():
            self.empty.show_message(
                "No one here yet",
                "Add the people you support one by one, or import the list you keep in Excel "
                "(name, start date, date of birth, NHS number …).",
                [
                    ("New person", self.new_person),
                    ("Import a spreadsheet", self.import_requested.emit),
                ],
            )
        elif empty:
            self.empty.show_message(
                "Nobody matches",
                "Nothing needs attention in this list, or the search finds no one.",
                [("Show everyone", self._show_all)],
            )
        self.empty.setVisible(empty)
        self.table.setVisible(not empty)
        # No one on the list at all: no empty tabs of records below the welcome.
        self.person_panel.setVisible(self.loaded is None or bool(self.model.rows()))
        self._update_buttons()

    def _show_all(self) -> None:
        self.search.clear()
        self.filter.setCurrentIndex(len(FILTERS) - 1)

    def selected(self) -> PersonRow | None:
        """The person selected in the list."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_person_selected(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._load_person()

    def _load_person(self) -> None:
        self.edit_button.setEnabled(self.selected() is not None)
        self.access_button.setEnabled(self.selected() is not None)
        self.person_panel.load()

    def _update_buttons(self) -> None:
        self.edit_button.setEnabled(self.selected() is not None)
        self.access_button.setEnabled(self.selected() is not None)
        self.person_panel.update_buttons()

    def menu_entries(self, p: PersonRow) -> list[MenuEntry]:
        """The right-click menu of a person supported."""
        panel = self.person_panel
        tabs: list[MenuEntry] = [
            (f"Show their {what}", partial(panel.show_part, tab))
            for tab, what in (
                (PLAN_TAB, "care plan"),
                (REVIEW_TAB, "reviews"),
                (RISK_TAB, "risk assessments"),
                (GOAL_TAB, "goals"),
            )
        ]
        links: list[MenuEntry] = []
        worker = key_worker_item(p)
        if worker is not None:
            links.append(
                (f"Open {p.key_worker} (key worker)", lambda: self.item_requested.emit(worker))
            )
        return row_entries(
            edit=("Details…", self.edit_selected),
            commands=tabs,
            links=links,
            reference=p.reference,
        )

    # Actions --------------------------------------------------------------------------------
    def subject_access(self) -> None:
        """Export everything held about the selected person (asks where to save)."""
        person = self.selected()
        if person is not None:
            subject_access.ask_and_export(
                self, self.ctx, PERSON, person.id, person.name, person.reference
            )

    def _staff(self) -> list[Choice]:
        return self.loaded.staff if self.loaded else []

    def new_person(self) -> PersonDialog:
        """Add someone we support."""
        dialog = PersonDialog(self.ctx, self._staff(), parent=self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def edit_selected(self) -> None:
        """Open the selected person's details (loaded fresh)."""
        person = self.selected()
        if person is None:
            return
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            partial(pq.person_detail, db, person.id, today),
            on_success=self._show_person,
            on_failure=lambda e: show_failure(self, e, "Opening their details"),
        )

    def _show_person(self, detail: pq.PersonDetail | None) -> None:
        if detail is not None:
            self.dialog = PersonDialog(self.ctx, self._staff(), detail, parent=self)
            self.dialog.open()

    def export(self, what: str) -> None:
        """Export the people list or every care plan version."""
        default = "people.xlsx" if what == "people" else "care-plans.xlsx"
        path = choose_save_path(self, "Export", default)
        if path:
            self.export_to(what, path)

    def export_to(self, what: str, path: Path) -> None:
        """Write the export to ``path`` in the background."""
        from provider_desk.areas.people import exports as pe

        fn = pe.export_people if what == "people" else pe.export_care_plans
        today = self.ctx.today()
        export_in_background(
            self,
            self.ctx,
            lambda p: fn(self.ctx.db, p, today),
            path,
            "people" if what == "people" else "care plan versions",
        )
