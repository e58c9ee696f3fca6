"""Complaints (Regulation 16) with their deadlines and timeline, and compliments."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
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

from provider_desk.areas.complaints import queries
from provider_desk.areas.complaints.queries import ComplaintRow, ComplimentRow, EventRow
from provider_desk.areas.complaints.rules import ComplaintStatus
from provider_desk.areas.complaints.services import CATEGORIES, archive_complaint
from provider_desk.areas.people.queries import list_people_in
from provider_desk.areas.staff.queries import Choice, staff_choices_in
from provider_desk.changes import COMPLAINTS, PEOPLE, SETTINGS, STAFF, Changes
from provider_desk.progress import Progress
from provider_desk.reading import Attention
from provider_desk.rules.dates import format_date
from provider_desk.settings.queries import SettingsRow, get_settings_in
from ui.areas.complaints.complaint_dialog import (
    ComplaintDialog,
    ComplimentDialog,
    LetterTemplatesDialog,
    PeriodDialog,
)
from ui.context import AppContext, ask, show_failure
from ui.icons import RED, icon, qcolor
from ui.levels import level_colour, level_icon
from ui.models.table import ROW_ROLE, Column, RowFilterProxy, RowTableModel
from ui.page import COMPLIMENT, Page, record_item, staff_item
from ui.widgets.due_list import DueListPanel
from ui.widgets.empty_state import EmptyState
from ui.widgets.exporting import choose_save_path, export_in_background, write_in_background
from ui.widgets.filters import refill_combo
from ui.widgets.links import install_links, link_column
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import fit_columns, make_table_view, select_row
from ui.widgets.toolbar import MoreButton

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

OPEN, OVERDUE, ALL = "open", "overdue", "all"
PERSON_LINK, STAFF_LINK, INVESTIGATOR_LINK = "person", "staff", "investigator"
"""The links in a complaint's details."""
FOCUS: dict[str, str] = {
    "complaints:acknowledgement_overdue": ComplaintStatus.ACK_OVERDUE.value,
    "complaints:response_overdue": ComplaintStatus.RESPONSE_OVERDUE.value,
    "complaints:open": OPEN,
}
"""The home card's counts, and the status filter that lists exactly their complaints."""


def answered(done: dt.date | None, due: dt.date) -> str:
    """A deadline cell: the date due, "Done 2 Dec 2026", or "Done late (+6 days)"."""
    if done is None:
        return format_date(due)
    late = (done - due).days
    if late > 0:
        return f"Done late (+{late} day{'s' if late != 1 else ''})"
    return f"Done {format_date(done)}"


def _late_colour(done: dt.date | None, due: dt.date) -> QColor | None:
    return qcolor(RED) if done is not None and done > due else None


def _answer_tip(what: str, done: dt.date | None, due: dt.date) -> str:
    if done is None:
        return f"{what} by {format_date(due)}"
    return f"{what} on {format_date(done)}; due by {format_date(due)}"


def person_item(label: str, known: Container[str] | None = None) -> Attention | None:
    """The person supported a complaint or compliment names ("Mary Brown (P-0001)", or a name
    typed by hand), as an item the People page opens by reference or name; None: no one named,
    or (given the ``known`` references and names, lower case) no one on the People page."""
    label = label.strip()
    if not label:
        return None
    found = re.search(r"\(([^()]+)\)\s*$", label)
    wanted = found.group(1).strip() if found else label
    if known is not None and wanted.lower() not in known:
        return None
    return record_item("people", wanted)


def concerned_item(r: ComplaintRow) -> Attention | None:
    """The member of staff a complaint is about (None: nobody named)."""
    return staff_item(r.staff_concerned_id, r.staff_concerned) if r.staff_concerned_id else None


def investigator_item(r: ComplaintRow) -> Attention | None:
    """The complaint's investigator (None: not chosen yet)."""
    return staff_item(r.investigator_id, r.investigator) if r.investigator_id else None


def compliment_staff_item(c: ComplimentRow) -> Attention | None:
    """The member of staff a compliment is about (None: nobody named)."""
    return staff_item(c.staff_id, c.staff) if c.staff_id else None


def answered_late(r: ComplaintRow) -> bool:
    """The acknowledgement or the response went out after its deadline."""
    return r.acknowledged_on_time is False or r.responded_on_time is False


COMPLAINT_COLUMNS: list[Column[ComplaintRow]] = [
    Column("Reference", lambda r: r.reference),
    Column("Received", lambda r: format_date(r.received_on), sort=lambda r: r.received_on),
    Column(
        "Respond by",
        lambda r: answered(r.responded_on, r.response_due),
        sort=lambda r: r.response_due,
        foreground=lambda r: _late_colour(r.responded_on, r.response_due),
        tooltip=lambda r: _answer_tip("Responded", r.responded_on, r.response_due),
    ),
    Column(
        "Status",
        lambda r: r.status.value.capitalize(),
        decoration=lambda r: level_icon(r.status.level),
        foreground=lambda r: level_colour(r.status.level) if r.status.level.needs_action else None,
    ),
    Column(
        "Complainant",
        lambda r: (
            r.complainant_name + (f" ({r.complainant_relation})" if r.complainant_relation else "")
        ),
    ),
    Column("Category", lambda r: r.category.capitalize()),
    Column(
        "Acknowledge by",
        lambda r: answered(r.acknowledged_on, r.acknowledgement_due),
        sort=lambda r: r.acknowledgement_due,
        foreground=lambda r: _late_colour(r.acknowledged_on, r.acknowledgement_due),
        tooltip=lambda r: _answer_tip("Acknowledged", r.acknowledged_on, r.acknowledgement_due),
    ),
    Column("Outcome", lambda r: r.outcome.capitalize()),
]
COMPLIMENT_COLUMNS: list[Column[ComplimentRow]] = [
    Column("Received", lambda c: format_date(c.received_on), sort=lambda c: c.received_on),
    Column("From", lambda c: c.from_name),
    Column("Person supported", lambda c: c.about_person),
    link_column(
        "Staff member",
        lambda c: c.staff,
        compliment_staff_item,
        where=" on the Staff page",
    ),
    Column("What was said", lambda c: c.what_was_said, tooltip=lambda c: c.what_was_said),
]
COMPLIMENT_PERSON_COLUMN, COMPLIMENT_STAFF_COLUMN = 2, 3
EVENT_COLUMNS: list[Column[EventRow]] = [
    Column("When", lambda e: format_date(e.happened_on), sort=lambda e: e.happened_on),
    Column("What happened", lambda e: e.what, tooltip=lambda e: e.what),
    Column("Who", lambda e: e.who),
]


@dataclass(frozen=True)
class _Loaded:
    complaints: list[ComplaintRow]
    compliments: list[ComplimentRow]
    people: list[Choice]
    settings: SettingsRow
    templates: dict[str, str]
    template_versions: dict[str, int]
    supported: list[str]  # "Mary Brown (P-0001)": suggestions for the person concerned
    funding_of: dict[str, str]  # the same labels -> how that person's care is funded
    known_people: frozenset[str] = frozenset()  # their references and names, lower case


def _loaded_in(s: Session, today: dt.date) -> _Loaded:
    everyone = list_people_in(s, today, include_ended=True)
    people = {f"{p.name} ({p.reference})": p.funding for p in everyone}
    known = frozenset(x.lower() for p in everyone for x in (p.reference, p.name))
    return _Loaded(
        queries.list_complaints_in(s, today),
        queries.list_compliments_in(s),
        staff_choices_in(s),
        get_settings_in(s),
        queries.letter_templates_in(s),
        queries.letter_template_versions_in(s),
        list(people),
        people,
        known,
    )


class ComplaintsPage(Page):
    """Complaints with what is due or late, their timeline, letters; and compliments."""

    record_table = "complaint"

    title = "Complaints"
    icon_name = "fa5s.comment-dots"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.loaded: _Loaded | None = None
        self.focused = ""  # the home card count last shown (see Page.focus)
        self.wanted: int | None = None  # a complaint to select once loaded (see open_item)
        self.wanted_reference = ""  # or its reference (an action's source)
        self.wanted_compliment: int | None = None  # a compliment to select once loaded
        self.model: RowTableModel[ComplaintRow] = RowTableModel(COMPLAINT_COLUMNS, self)
        self.proxy = RowFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.events: RowTableModel[EventRow] = RowTableModel(EVENT_COLUMNS, self)
        compliment_columns = list(COMPLIMENT_COLUMNS)
        compliment_columns[COMPLIMENT_PERSON_COLUMN] = link_column(
            "Person supported",
            lambda c: c.about_person,
            lambda c: self.person_item(c.about_person),
            where=" on the People page",
        )
        self.compliments: RowTableModel[ComplimentRow] = RowTableModel(compliment_columns, self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search reference, complainant or summary  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        for label, value in (
            ("Open complaints", OPEN),
            ("Late (overdue)", OVERDUE),
            *((s.value.capitalize(), s.value) for s in ComplaintStatus),
            ("All complaints", ALL),
        ):
            self.status_filter.addItem(label, value)
        self.category_filter = QComboBox()
        refill_combo(
            self.category_filter,
            "All categories",
            list(CATEGORIES),
            [c.capitalize() for c in CATEGORIES],
        )
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.category_filter, 1)

        self.new_button = QPushButton(icon("fa5s.plus"), "New complaint")
        self.new_button.setToolTip("Ctrl+N")
        self.open_button = QPushButton(icon("fa5s.edit"), "Open / update…")
        self.ack_letter = QPushButton(icon("fa5s.envelope"), "Acknowledgement letter…")
        self.outcome_letter = QPushButton(icon("fa5s.envelope-open-text"), "Outcome letter…")
        self.more = MoreButton()
        self.more.add("Letter wording…", self.edit_templates, "fa5s.pen")
        self.more.add("Summary for CQC…", self.summary, "fa5s.file-pdf")
        self.more.add_separator()
        self.more.add("Import…", self.import_requested.emit, "fa5s.file-import")
        self.more.add("Export…", self.export, "fa5s.file-export")
        self.more.add_separator()
        self.archive_action = self.more.add("Archive…", self.remove_selected, "fa5s.archive")
        row1 = QHBoxLayout()
        for b in (self.new_button, self.open_button, self.ack_letter, self.outcome_letter):
            row1.addWidget(b)
        row1.addStretch(1)
        # Rarely used commands behind More: a row of nine buttons would make the window wider
        # than a 1280-pixel screen.
        row1.addWidget(self.more)
        self.counts = QLabel()
        self.counts.setObjectName("countLabel")
        self.table = make_table_view(self.proxy, sort_column=1)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.detail = QLabel("Select a complaint to see what it is about and its timeline.")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        # The person supported, the staff member concerned and the investigator are links.
        self.detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.detail.linkActivated.connect(self.open_link)
        self.timeline = make_table_view(self.events, stretch=1)
        panel = QWidget()
        pl = QVBoxLayout(panel)
        pl.addWidget(self.detail)
        pl.addWidget(QLabel("<b>Timeline</b>"))
        pl.addWidget(self.timeline, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.empty = EmptyState()
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.empty)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(panel)
        self.detail_panel = panel
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 300])
        complaints_tab = QWidget()
        cl = QVBoxLayout(complaints_tab)
        cl.addLayout(filters)
        cl.addLayout(row1)
        cl.addWidget(self.counts)
        cl.addWidget(self.splitter, 1)

        self.new_compliment = QPushButton(icon("fa5s.heart"), "New compliment")
        self.edit_compliment = QPushButton(icon("fa5s.edit"), "Edit…")
        self.compliments_table = make_table_view(self.compliments, sort_column=0)
        self.compliments_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        compliments_tab = QWidget()
        ml = QVBoxLayout(compliments_tab)
        mrow = QHBoxLayout()
        mrow.addWidget(self.new_compliment)
        mrow.addWidget(self.edit_compliment)
        mrow.addStretch(1)
        ml.addLayout(mrow)
        self.compliments_empty = EmptyState()
        self.compliments_stack = QStackedWidget()
        self.compliments_stack.addWidget(self.compliments_table)
        self.compliments_stack.addWidget(self.compliments_empty)
        ml.addWidget(self.compliments_stack, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(complaints_tab, "Complaints")
        self.tabs.addTab(compliments_tab, "Compliments")
        self.due_list = DueListPanel(ctx, "complaints")
        self.tabs.addTab(self.due_list, icon("fa5s.bell"), "Due list")
        self.due_list.open_requested.connect(self.open_item)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

        self.search.textChanged.connect(self.apply_filters)
        self.status_filter.currentIndexChanged.connect(self.apply_filters)
        self.category_filter.currentIndexChanged.connect(self.apply_filters)
        self.new_button.clicked.connect(self.new_complaint)
        self.open_button.clicked.connect(self.open_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.ack_letter.clicked.connect(lambda: self.letter("acknowledgement"))
        self.outcome_letter.clicked.connect(lambda: self.letter("outcome"))
        self.new_compliment.clicked.connect(lambda: self.open_compliment(None))
        self.edit_compliment.clicked.connect(self._edit_selected_compliment)
        self.compliments_table.doubleClicked.connect(lambda _i: self._edit_selected_compliment())
        self.compliments_table.activated.connect(lambda _i: self._edit_selected_compliment())
        install_row_menu(self.table, self.menu_entries, record=lambda c: ("complaint", c.id))
        install_row_menu(
            self.timeline,
            lambda e: row_entries(
                reference=f"{format_date(e.happened_on)}: {e.what}"
                + (f" ({e.who})" if e.who else ""),
                copy_label="Copy this step",
            ),
        )
        install_row_menu(
            self.compliments_table,
            self.compliment_menu_entries,
            record=lambda c: ("compliment", c.id),
        )
        install_links(
            self.compliments_table,
            {
                COMPLIMENT_PERSON_COLUMN: lambda c: self.person_item(c.about_person),
                COMPLIMENT_STAFF_COLUMN: compliment_staff_item,
            },
            self.item_requested.emit,
        )
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_complaint)
        ctx.changed.connect(self._on_ctx_changed)
        self._update_buttons()

    def current_importer(self) -> str | None:
        """The Import button imports the log of the tab on show."""
        return "compliments" if self.tabs.currentIndex() == 1 else "complaints"

    def refresh(self) -> None:
        """Reload complaints and compliments in the background."""
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            lambda: db.read(lambda s: _loaded_in(s, today)),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading complaints"),
        )

    def _on_ctx_changed(self, changes: Changes) -> None:
        # A page never opened has nothing to refresh: it loads when first shown.
        if self.loaded is not None and changes.touches(COMPLAINTS, STAFF, SETTINGS, PEOPLE):
            self.refresh()

    def _on_loaded(self, loaded: _Loaded) -> None:
        selected = self.selected()
        self.loaded = loaded
        self.model.set_rows(loaded.complaints)
        self.compliments.set_rows(loaded.compliments)
        self.apply_filters()
        fit_columns(self.table)
        fit_columns(self.compliments_table)
        self._show_compliments_empty(loaded.compliments)
        if selected is not None:
            for i in range(self.proxy.rowCount()):
                if self.proxy.index(i, 0).data(ROW_ROLE).id == selected.id:
                    self.table.selectRow(i)
        self._select_wanted()
        if self.selected() is None and self.proxy.rowCount():
            self.table.selectRow(0)  # its details (and who it names) show at once
        self._show_selected()

    def _show_compliments_empty(self, compliments: list[ComplimentRow]) -> None:
        if compliments:
            self.compliments_stack.setCurrentWidget(self.compliments_table)
            return
        self.compliments_empty.show_message(
            "No compliments logged",
            "Log the thanks people and families send, and say which member of staff it was "
            "about: it shows on their staff record and counts as evidence of caring "
            "(CQC's Caring key question).",
            [("New compliment", lambda: self.open_compliment(None))],
        )
        self.compliments_stack.setCurrentWidget(self.compliments_empty)

    def focus(self, what: str) -> None:
        """List exactly the complaints a home card count stands for (see :data:`FOCUS`)."""
        if what not in FOCUS:
            return
        self.focused, self.wanted = what, None
        self._clear_filters(FOCUS[what])

    def focus_count(self) -> int | None:
        """The complaints listed for the last focus (None before one, or before loading)."""
        return self.proxy.rowCount() if self.focused and self.loaded is not None else None

    def open_item(self, item: Attention) -> None:
        """Select the complaint a to-do item is about (among the open complaints), or, for an
        item of kind :data:`COMPLIMENT`, the compliment on its tab."""
        self.focused = ""
        if item.kind == COMPLIMENT:
            self.wanted_compliment = item.record_id
            self.tabs.setCurrentIndex(1)
            self._select_wanted()
            return
        self.wanted = item.record_id
        self.wanted_reference = "" if item.record_id is not None else item.reference
        self._clear_filters(OPEN)
        self._select_wanted()

    def opened(self) -> tuple[int | None, int | str | None]:
        """The complaint selected."""
        c = self.selected()
        return (c.id if c else None), None

    def _clear_filters(self, status: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.clear()
        self.category_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(self.status_filter.findData(status))

    def _select_wanted(self) -> None:
        if self.loaded is not None and self.wanted_compliment is not None:
            compliment, self.wanted_compliment = self.wanted_compliment, None
            select_row(self.compliments_table, lambda c: c.id == compliment)
        if self.loaded is None or (self.wanted is None and not self.wanted_reference):
            return
        wanted, reference = self.wanted, self.wanted_reference
        self.wanted, self.wanted_reference = None, ""

        def match(r: ComplaintRow) -> bool:
            return r.id == wanted if wanted is not None else r.reference == reference

        if not select_row(self.table, match):
            self._clear_filters(ALL)  # closed since: among all complaints
            select_row(self.table, match)

    def apply_filters(self) -> None:
        """Show the complaints that match."""
        words = self.search.text().lower().split()
        status: str = self.status_filter.currentData()  # OPEN, OVERDUE, ALL or a status value
        category = self.category_filter.currentData()

        def keep(r: ComplaintRow) -> bool:
            hay = f"{r.reference} {r.complainant_name} {r.summary} {r.person_concerned}".lower()
            if any(w not in hay for w in words) or (category and r.category != category):
                return False
            if status == OPEN:
                return r.status != ComplaintStatus.CLOSED
            if status == OVERDUE:
                return r.status.level.needs_action
            return status == ALL or r.status == status

        self.proxy.set_predicate(keep)
        rows = self.model.rows()
        late = sum(r.status.level.needs_action for r in rows)
        open_ = sum(r.status != ComplaintStatus.CLOSED for r in rows)
        answered_late_ = sum(answered_late(r) for r in rows)
        self.counts.setText(
            f"{open_} open · {late} late · {answered_late_} answered late · {len(rows)} in all"
            f" · showing {self.proxy.rowCount()}"
        )
        self._show_empty(rows)
        self.counts.setToolTip(
            "Late: past a deadline and not answered yet. Answered late: acknowledged or "
            "responded to after the deadline."
        )

    def _show_empty(self, rows: list[ComplaintRow]) -> None:
        if self.loaded is not None and not rows:
            self.empty.show_message(
                "No complaints logged",
                "Log every complaint, however small, the day it arrives: the app works out when "
                "to acknowledge it and respond, drafts the letters, and keeps the timeline CQC "
                "asks for (Regulation 16).",
                [
                    ("New complaint", self.new_complaint),
                    ("Import a complaints log…", self.import_requested.emit),
                ],
            )
            self.list_stack.setCurrentWidget(self.empty)
            self.detail_panel.hide()  # nothing to show the details of
        elif self.loaded is not None and self.proxy.rowCount() == 0:
            self.empty.show_message(
                "No complaints match these filters",
                "Choose 'All complaints' or clear the search.",
                [("Show all complaints", self._show_all)],
            )
            self.list_stack.setCurrentWidget(self.empty)
        else:
            self.list_stack.setCurrentWidget(self.table)
        if rows:
            self.detail_panel.show()

    def _show_all(self) -> None:
        self.search.clear()
        self.category_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(self.status_filter.findData(ALL))

    def selected(self) -> ComplaintRow | None:
        """The complaint selected."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _show_selected(self) -> None:
        c = self.selected()
        self.events.set_rows([])
        if c is None:
            self.detail.setText("Select a complaint to see what it is about and its timeline.")
        else:
            flags = ", ".join(
                x
                for x, on in (
                    ("safeguarding", c.safeguarding),
                    ("duty of candour", c.duty_of_candour),
                )
                if on
            )
            e = html.escape
            people = "".join(
                f"<br><b>{label}:</b> <a href='{link}'>{e(name)}</a>"
                for label, link, name, there in (
                    (
                        "Person supported",
                        PERSON_LINK,
                        c.person_concerned,
                        self.person_item(c.person_concerned),
                    ),
                    ("Staff concerned", STAFF_LINK, c.staff_concerned, concerned_item(c)),
                    ("Investigator", INVESTIGATOR_LINK, c.investigator, investigator_item(c)),
                )
                if there is not None
            )
            self.detail.setText(
                f"<b>{e(c.reference)}</b> — {e(c.status.value)}<br>{e(c.summary)}<br>{people}<br>"
                f"Acknowledge by {format_date(c.acknowledgement_due)}; respond by "
                f"{format_date(c.response_due)}." + (f"<br><b>Flags:</b> {flags}" if flags else "")
            )
            cid = c.id
            self.ctx.tasks.run(
                partial(queries.complaint_timeline, self.ctx.db, cid),
                on_success=lambda rows: self._on_timeline(cid, rows),
                on_failure=lambda e: show_failure(self, e, "Loading"),
            )
        self._update_buttons()

    def person_item(self, label: str) -> Attention | None:
        """The person supported ``label`` names, if they are on the People page (a name typed
        by hand that matches no one is not a link)."""
        return person_item(label, self.loaded.known_people if self.loaded else ())

    def open_link(self, link: str) -> Attention | None:
        """Open the person supported, the staff member concerned or the investigator of the
        selected complaint (a link in its details, or its row menu)."""
        c = self.selected()
        if c is None:
            return None
        item = {
            PERSON_LINK: self.person_item(c.person_concerned),
            STAFF_LINK: concerned_item(c),
            INVESTIGATOR_LINK: investigator_item(c),
        }.get(link)
        if item is not None:
            self.item_requested.emit(item)
        return item

    def menu_entries(self, c: ComplaintRow) -> list[MenuEntry]:
        """The right-click menu of a complaint."""
        links: list[MenuEntry] = [
            (f"Open {name} ({what})", partial(self.open_link, link))
            for link, name, what, there in (
                (
                    PERSON_LINK,
                    c.person_concerned,
                    "person supported",
                    self.person_item(c.person_concerned),
                ),
                (STAFF_LINK, c.staff_concerned, "staff concerned", concerned_item(c)),
                (INVESTIGATOR_LINK, c.investigator, "investigator", investigator_item(c)),
            )
            if there is not None
        ]
        return row_entries(
            open_=("Open / update…", self.open_selected),
            commands=[
                ("Acknowledgement letter…", lambda: self.letter("acknowledgement")),
                ("Outcome letter…", lambda: self.letter("outcome")),
            ],
            links=links,
            archive=self.remove_selected,
            reference=c.reference,
        )

    def selected_compliment(self) -> ComplimentRow | None:
        """The compliment selected on its tab."""
        rows = self.compliments_table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def compliment_menu_entries(self, c: ComplimentRow) -> list[MenuEntry]:
        """The right-click menu of a compliment."""
        links: list[MenuEntry] = []
        person, staff = self.person_item(c.about_person), compliment_staff_item(c)
        if person is not None:
            links.append(
                (
                    f"Open {c.about_person} (person supported)",
                    lambda: self.item_requested.emit(person),
                )
            )
        if staff is not None:
            links.append(
                (f"Open {c.staff} (staff member)", lambda: self.item_requested.emit(staff))
            )
        return row_entries(
            edit=("Edit…", self._edit_selected_compliment),
            links=links,
            reference=c.what_was_said,
            copy_label="Copy what was said",
        )

    def _on_timeline(self, complaint_id: int, rows: list[EventRow]) -> None:
        c = self.selected()
        if c is not None and c.id == complaint_id:
            self.events.set_rows(rows)
            fit_columns(self.timeline)

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        for b in (self.open_button, self.ack_letter, self.outcome_letter):
            b.setEnabled(has)
        self.archive_action.setEnabled(has)

    def _people(self) -> list[Choice]:
        return self.loaded.people if self.loaded else []

    def _supported(self) -> list[str]:
        return self.loaded.supported if self.loaded else []

    def new_complaint(self) -> ComplaintDialog:
        """Log a complaint."""
        dialog = ComplaintDialog(
            self.ctx,
            self._people(),
            parent=self,
            supported=self._supported(),
            funding_of=self.loaded.funding_of if self.loaded else {},
        )
        dialog.open()
        return dialog

    def open_selected(self) -> ComplaintDialog | None:
        """Update the selected complaint."""
        c = self.selected()
        if c is None:
            return None
        dialog = ComplaintDialog(
            self.ctx,
            self._people(),
            c,
            parent=self,
            supported=self._supported(),
            funding_of=self.loaded.funding_of if self.loaded else {},
        )
        dialog.open()
        return dialog

    def letter(self, kind: str) -> None:
        """Save the acknowledgement or outcome letter for the selected complaint."""
        c = self.selected()
        if c is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, "Save letter", f"{c.reference} {kind}.pdf", "PDF (*.pdf)"
        )
        if name:
            self.letter_to(kind, Path(name))

    def letter_to(self, kind: str, path: Path) -> None:
        """Write the letter PDF in the background."""
        from provider_desk.areas.complaints.letters import fill_letter, letter_pdf

        c, loaded, today = self.selected(), self.loaded, self.ctx.today()
        if c is None or loaded is None:
            return
        text = fill_letter(loaded.templates[kind], c, loaded.settings, today)
        write_in_background(
            self,
            self.ctx,
            lambda progress: letter_pdf(text, path, loaded.settings, c, today, progress),
            path,
            lambda p: f"Letter saved to {p.name}",
            "The letter",
        )

    def edit_templates(self) -> LetterTemplatesDialog | None:
        """Change the letters' wording."""
        if self.loaded is None:
            return None
        dialog = LetterTemplatesDialog(
            self.ctx, self.loaded.templates, self, versions=self.loaded.template_versions
        )
        dialog.open()
        return dialog

    def summary(self) -> None:
        """The Regulation 16(3) summary for a period, as PDF or CSV."""
        period = PeriodDialog(self.ctx.today(), self)
        if period.exec() != PeriodDialog.DialogCode.Accepted:
            return
        dates = period.period()
        name, _ = QFileDialog.getSaveFileName(
            self, "Save summary", "complaints-summary.pdf", "PDF (*.pdf);;CSV (*.csv)"
        )
        if dates and name:
            self.summary_to(*dates, Path(name))

    def summary_to(self, start: object, end: object, path: Path) -> None:
        """Write the summary in the background."""
        from provider_desk.areas.complaints.exports import summary_csv, summary_pdf

        db, today = self.ctx.db, self.ctx.today()
        provider = (self.loaded.settings.provider_name if self.loaded else "") or "Provider Desk"

        def write(progress: Progress) -> Path:
            s = queries.complaints_summary(db, start, end, today)  # type: ignore[arg-type]
            if path.suffix.lower() == ".csv":
                return summary_csv(s, path)
            return summary_pdf(s, path, provider, today, progress)

        write_in_background(
            self, self.ctx, write, path, lambda p: f"Summary saved to {p.name}", "The summary"
        )

    def export(self) -> None:
        """Export the complaints (or compliments) log."""
        which = "compliments" if self.tabs.currentIndex() == 1 else "complaints"
        path = choose_save_path(self, f"Export {which}", f"{which}.xlsx")
        if path:
            self.export_to(which, path)

    def export_to(self, which: str, path: Path) -> None:
        """Write a log in the background."""
        from provider_desk.areas.complaints import exports

        today = self.ctx.today()
        write: Callable[[Path], int] = (
            (lambda p: exports.export_complaints(self.ctx.db, p, today))
            if which == "complaints"
            else partial(exports.export_compliments, self.ctx.db)
        )
        export_in_background(self, self.ctx, write, path, which)

    def remove_selected(self, *, confirm: bool = True) -> None:
        """Archive a complaint logged by mistake."""
        c = self.selected()
        if c is None:
            return
        if confirm and not ask(
            self,
            "Archive complaint",
            f"Archive {c.reference}? Only for a complaint logged by mistake: it leaves the log "
            "and stays in the change log.",
        ):
            return
        self.ctx.tasks.run(
            partial(archive_complaint, self.ctx.db, c.id, expected_version=c.version),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, "Archiving"),
        )

    def open_compliment(self, row: ComplimentRow | None) -> ComplimentDialog:
        """Log (or edit) a compliment."""
        dialog = ComplimentDialog(self.ctx, self._people(), row, parent=self)
        dialog.open()
        return dialog

    def _edit_selected_compliment(self) -> None:
        rows = self.compliments_table.selectionModel().selectedRows()
        if rows:
            self.open_compliment(rows[0].data(ROW_ROLE))
