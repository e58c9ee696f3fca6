"""The selected person's records on the People page: care plan versions, reviews, risk
assessments and goals, with what can be done to each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.people import queries as pq
from provider_desk.areas.people import services as people_service
from provider_desk.areas.people.queries import (
    CarePlanRow,
    GoalRow,
    PersonRow,
    ReablementSummary,
    ReviewRow,
    RiskRow,
)
from provider_desk.areas.staff.queries import Choice
from provider_desk.db.session import Database
from provider_desk.rules.dates import format_date
from ui.areas.people.care_plan_dialog import CarePlanDialog, CompareDialog
from ui.areas.people.people_dialogs import GoalDialog, ReviewDialog, RiskDialog
from ui.context import AppContext, ask, show_failure
from ui.icons import AMBER, GREEN, RED, icon, qcolor
from ui.levels import level_icon, level_text
from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.page import staff_item
from ui.widgets.exporting import write_in_background
from ui.widgets.links import install_links, link_column
from ui.widgets.row_menu import MenuEntry, install_row_menu, row_entries
from ui.widgets.tables import fit_columns, make_table_view, select_row

AREA = "people"  # whose words the levels take: missing reads "no current plan"
PLAN_TAB, REVIEW_TAB, RISK_TAB, GOAL_TAB = range(4)  # the person's tabs, in order
_LEVEL_COLOUR = {"high": RED, "medium": AMBER, "low": GREEN}

PLAN_COLUMNS: list[Column[CarePlanRow]] = [
    Column("Version", lambda c: f"{c.number}" + (" (current)" if c.is_current else ""),
           sort=lambda c: c.number),
    Column("From", lambda c: format_date(c.effective_from), sort=lambda c: c.effective_from),
    Column("Why it changed", lambda c: c.change_reason or "First plan",
           tooltip=lambda c: c.change_reason),
    Column("Hours/wk", lambda c: f"{c.planned_hours:g}", sort=lambda c: c.planned_hours,
           align_right=True),
    Column("Consent", lambda c: c.consent_text),
    Column("Written by", lambda c: c.written_by),
]  # fmt: skip
REVIEW_COLUMNS: list[Column[ReviewRow]] = [
    Column("Date", lambda r: format_date(r.reviewed_on), sort=lambda r: r.reviewed_on),
    Column("Who took part", lambda r: r.participants),
    Column("What was found", lambda r: r.outcome, tooltip=lambda r: r.outcome),
    Column("Changes made", lambda r: r.changes_made, tooltip=lambda r: r.changes_made),
    Column("Needs changed", lambda r: "Yes" if r.needs_changed else ""),
    Column("Plan version", lambda r: str(r.plan_number or "")),
]
RISK_COLUMNS: list[Column[RiskRow]] = [
    Column("Risk of", lambda k: k.kind.capitalize()),
    Column(
        "Level",
        lambda k: f"{k.level.capitalize()} ({k.score})",
        sort=lambda k: k.score,
        foreground=lambda k: qcolor(_LEVEL_COLOUR[k.level]),
    ),
    Column(
        "Review",
        lambda k: level_text(k.review_status, AREA),
        sort=lambda k: k.review_due,
        decoration=lambda k: level_icon(k.review_status),
    ),
    Column("Review due", lambda k: format_date(k.review_due), sort=lambda k: k.review_due),
    Column("How we reduce it", lambda k: k.controls, tooltip=lambda k: k.controls),
    Column("Assessed", lambda k: format_date(k.assessed_on), sort=lambda k: k.assessed_on),
    link_column(
        "By",
        lambda k: k.assessed_by,
        lambda k: _assessor(k),
        where=" on the Staff page",
    ),
]
RISK_BY_COLUMN = 6
GOAL_COLUMNS: list[Column[GoalRow]] = [
    Column("Goal", lambda g: g.goal, tooltip=lambda g: g.goal),
    Column("Outcome", lambda g: g.outcome.capitalize() or "Working on it"),
    Column("Target", lambda g: format_date(g.target_date), sort=lambda g: g.target_date),
    Column("Starting point", lambda g: g.starting_point),
    Column("Progress", lambda g: g.progress, tooltip=lambda g: g.progress),
    Column("Set", lambda g: format_date(g.set_on), sort=lambda g: g.set_on),
]


def _assessor(k: RiskRow) -> Any:
    """Who assessed the risk, to open on the Staff page (None: not a member of staff)."""
    return staff_item(k.assessed_by_id, k.assessed_by) if k.assessed_by_id else None


@dataclass(frozen=True)
class _Records:
    person_id: int
    plans: list[CarePlanRow]
    reviews: list[ReviewRow]
    risks: list[RiskRow]
    goals: list[GoalRow]


def _load_records(db: Database, person_id: int, today: dt.date) -> _Records:
    with db.reading() as s:  # one snapshot
        return _Records(
            person_id,
            pq.care_plans_in(s, person_id),
            pq.care_reviews_in(s, person_id),
            pq.risk_assessments_in(s, today, person_id=person_id),
            pq.goals_in(s, person_id),
        )


def _records_tab(
    model: RowTableModel[Any], buttons: list[QPushButton], extra: QWidget | None = None
) -> tuple[QWidget, QTableView]:
    box = QWidget()
    v = QVBoxLayout(box)
    row = QHBoxLayout()
    for b in buttons:
        row.addWidget(b)
    row.addStretch(1)
    if extra is not None:
        row.addWidget(extra)
    v.addLayout(row)
    # The first column whose text has a tooltip is the description: it takes the room left.
    described = [i for i, c in enumerate(model.columns) if c.tooltip is not None]
    table = make_table_view(model, stretch=described[0] if described else None)
    v.addWidget(table, 1)
    return box, table


class PersonPanel(QWidget):
    """The selected person's care plan versions, reviews, risk assessments and goals.

    ``selected`` gives the person chosen in the page's list; ``staff`` the staff to choose from.
    """

    item_requested = Signal(object)  # a name that opens its record elsewhere (Page.item_requested)

    def __init__(
        self,
        ctx: AppContext,
        selected: Callable[[], PersonRow | None],
        staff: Callable[[], list[Choice]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected = selected
        self._staff = staff
        self.records: _Records | None = None
        self.wanted_risk: int | None = None  # to select once the records are in (show_part)
        self.dialog: QDialog | None = None
        self.plan_model: RowTableModel[CarePlanRow] = RowTableModel(PLAN_COLUMNS, self)
        self.review_model: RowTableModel[ReviewRow] = RowTableModel(REVIEW_COLUMNS, self)
        self.risk_model: RowTableModel[RiskRow] = RowTableModel(RISK_COLUMNS, self)
        self.goal_model: RowTableModel[GoalRow] = RowTableModel(GOAL_COLUMNS, self)
        self.plan_button = QPushButton(icon("fa5s.file-medical"), "Write first plan…")
        self.view_plan_button = QPushButton(icon("fa5s.eye"), "Open")
        self.compare_button = QPushButton(icon("fa5s.columns"), "Compare…")
        self.compare_button.setToolTip("What changed between the selected version and another")
        self.print_button = QPushButton(icon("fa5s.print"), "Print…")
        self.review_button = QPushButton(icon("fa5s.clipboard-check"), "Record review…")
        self.remove_review_button = QPushButton(icon("fa5s.archive"), "Archive…")
        self.add_risk_button = QPushButton(icon("fa5s.plus"), "New risk assessment…")
        self.edit_risk_button = QPushButton(icon("fa5s.edit"), "Review / update…")
        self.remove_risk_button = QPushButton(icon("fa5s.archive"), "Archive…")
        self.add_goal_button = QPushButton(icon("fa5s.plus"), "New goal…")
        self.edit_goal_button = QPushButton(icon("fa5s.edit"), "Update…")
        self.remove_goal_button = QPushButton(icon("fa5s.archive"), "Archive…")
        self.reablement_label = QLabel()
        self.reablement_label.setObjectName("countLabel")
        self.person_tabs = QTabWidget()
        plan_tab, self.plan_table = _records_tab(
            self.plan_model,
            [self.plan_button, self.view_plan_button, self.compare_button, self.print_button],
        )
        review_tab, self.review_table = _records_tab(
            self.review_model, [self.review_button, self.remove_review_button]
        )
        risk_tab, self.risk_table = _records_tab(
            self.risk_model, [self.add_risk_button, self.edit_risk_button, self.remove_risk_button]
        )
        goal_tab, self.goal_table = _records_tab(
            self.goal_model,
            [self.add_goal_button, self.edit_goal_button, self.remove_goal_button],
            self.reablement_label,
        )
        self.plan_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.compare_button.setToolTip(
            "Select two versions (Ctrl+click) to compare them; one version is compared with "
            "the current plan"
        )
        self.person_tabs.addTab(plan_tab, icon("fa5s.file-medical"), "Care plan")
        self.person_tabs.addTab(review_tab, icon("fa5s.clipboard-check"), "Reviews")
        self.person_tabs.addTab(risk_tab, icon("fa5s.exclamation-triangle"), "Risk assessments")
        self.person_tabs.addTab(goal_tab, icon("fa5s.bullseye"), "Goals")
        self.person_title = QLabel("Choose a person above to see their records.")
        self.person_title.setObjectName("emptyTitle")
        lv = QVBoxLayout(self)
        lv.setContentsMargins(0, 4, 0, 0)
        lv.addWidget(self.person_title)
        lv.addWidget(self.person_tabs, 1)

        self.plan_button.clicked.connect(self.change_plan)
        self.view_plan_button.clicked.connect(self.view_plan)
        self.plan_table.doubleClicked.connect(lambda _i: self.view_plan())
        self.compare_button.clicked.connect(self.compare_selected)
        self.print_button.clicked.connect(self.print_plan)
        self.review_button.clicked.connect(self.record_review)
        self.remove_review_button.clicked.connect(lambda: self.remove("review"))
        self.add_risk_button.clicked.connect(lambda: self.edit_risk(new=True))
        self.edit_risk_button.clicked.connect(lambda: self.edit_risk(new=False))
        self.risk_table.doubleClicked.connect(lambda _i: self.edit_risk(new=False))
        self.remove_risk_button.clicked.connect(lambda: self.remove("risk"))
        self.add_goal_button.clicked.connect(lambda: self.edit_goal(new=True))
        self.edit_goal_button.clicked.connect(lambda: self.edit_goal(new=False))
        self.goal_table.doubleClicked.connect(lambda _i: self.edit_goal(new=False))
        self.remove_goal_button.clicked.connect(lambda: self.remove("goal"))
        for t in (self.plan_table, self.review_table, self.risk_table, self.goal_table):
            t.selectionModel().selectionChanged.connect(lambda *_a: self.update_buttons())
        self.plan_table.activated.connect(lambda _i: self.view_plan())
        self.risk_table.activated.connect(lambda _i: self.edit_risk(new=False))
        self.goal_table.activated.connect(lambda _i: self.edit_goal(new=False))
        install_row_menu(self.plan_table, self.plan_menu, record=lambda c: ("care_plan", c.id))
        install_row_menu(
            self.review_table, self.review_menu, record=lambda r: ("care_review", r.id)
        )
        install_row_menu(
            self.risk_table, self.risk_menu, record=lambda k: ("risk_assessment", k.id)
        )
        install_row_menu(self.goal_table, self.goal_menu, record=lambda g: ("goal", g.id))
        install_links(
            self.risk_table,
            {RISK_BY_COLUMN: _assessor},
            self.item_requested.emit,
        )

    # Row menus ------------------------------------------------------------------------------
    def _reference(self) -> str:
        person = self.selected()
        return f"{person.name} ({person.reference})" if person is not None else ""

    def plan_menu(self, c: CarePlanRow) -> list[MenuEntry]:
        """The right-click menu of a care plan version."""
        commands: list[MenuEntry] = [("Print…", self.print_plan)]
        if len(self.records.plans if self.records else []) > 1:
            commands.append(("Compare…", self.compare_selected))
        return row_entries(
            open_=("Open", self.view_plan),
            commands=commands,
            reference=f"{c.person_reference} care plan v{c.number}",
        )

    def review_menu(self, r: ReviewRow) -> list[MenuEntry]:
        """The right-click menu of a review of the person's care."""
        return row_entries(
            archive=lambda: self.remove("review"),
            reference=f"{self._reference()} review {format_date(r.reviewed_on)}",
        )

    def risk_menu(self, k: RiskRow) -> list[MenuEntry]:
        """The right-click menu of a risk assessment."""
        links: list[MenuEntry] = []
        by = _assessor(k)
        if by is not None:
            links.append(
                (f"Open {k.assessed_by} (assessed it)", lambda: self.item_requested.emit(by))
            )
        return row_entries(
            edit=("Review / update…", lambda: self.edit_risk(new=False)),
            links=links,
            archive=lambda: self.remove("risk"),
            reference=f"{k.person_reference} risk of {k.kind}",
        )

    def goal_menu(self, g: GoalRow) -> list[MenuEntry]:
        """The right-click menu of a goal."""
        return row_entries(
            edit=("Update…", lambda: self.edit_goal(new=False)),
            archive=lambda: self.remove("goal"),
            reference=g.goal,
            copy_label="Copy the goal",
        )

    def set_reablement(self, r: ReablementSummary) -> None:
        """Show the service's reablement outcomes beside the goals."""
        self.reablement_label.setText(
            f"Reablement outcomes: {r.finished} finished; {r.no_ongoing_care} no ongoing care, "
            f"{r.less_care} less care, {r.same_care} the same, {r.more_care} more "
            f"({r.hours_at_start:g} → {r.hours_at_end:g} hours a week)"
            if r.finished
            else "Reablement outcomes appear when hours at the start and end are recorded."
        )

    def load(self) -> None:
        """Show the selected person's records (loaded in the background), or none."""
        person = self.selected()
        self.update_buttons()
        if person is None:
            self.records = None
            self.person_title.setText("Choose a person above to see their records.")
            for m in (self.plan_model, self.review_model, self.risk_model, self.goal_model):
                m.set_rows([])
            return
        self.person_title.setText(f"{person.name} · {person.reference}")
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            partial(_load_records, db, person.id, today),
            on_success=self._on_records,
            on_failure=lambda e: show_failure(self, e, "Loading their records"),
        )

    def _on_records(self, records: _Records) -> None:
        person = self.selected()
        if person is None or person.id != records.person_id:
            return  # the selection moved on meanwhile
        same = self.records is not None and self.records.person_id == records.person_id
        kept = self._chosen(self.risk_table) if same else None
        self.records = records
        self.plan_model.set_rows(list(reversed(records.plans)))
        self.review_model.set_rows(records.reviews)
        self.risk_model.set_rows(records.risks)
        self.goal_model.set_rows(records.goals)
        if records.plans:
            self.plan_table.selectRow(0)
        # The risk assessment asked for (show_part), else the one selected before a reload.
        risk_id = self.wanted_risk if self.wanted_risk is not None else getattr(kept, "id", None)
        self.wanted_risk = None
        if risk_id is not None:
            select_row(self.risk_table, lambda r: r.id == risk_id)
        for t in (self.plan_table, self.review_table, self.risk_table, self.goal_table):
            fit_columns(t)
        self.update_buttons()

    def show_part(self, tab: int, risk_id: int | None = None) -> None:
        """Show the tab ``tab`` (PLAN_TAB, REVIEW_TAB, RISK_TAB, GOAL_TAB) of the person
        selected, and on the risk tab select the risk assessment ``risk_id`` (now if their records
        are in, else when they arrive)."""
        self.person_tabs.setCurrentIndex(tab)
        person = self.selected()
        loaded = person is not None and self.records is not None
        if risk_id is None:
            self.wanted_risk = None
        elif loaded and self.records.person_id == person.id:  # type: ignore[union-attr]
            self.wanted_risk = None
            select_row(self.risk_table, lambda r: r.id == risk_id)
        else:
            self.wanted_risk = risk_id

    def shown_risk(self) -> int | None:
        """The risk assessment selected when the risk tab is showing the selected person's
        records (None otherwise)."""
        person = self.selected()
        if (
            person is None
            or self.records is None
            or self.records.person_id != person.id
            or self.person_tabs.currentIndex() != RISK_TAB
        ):
            return None
        risk = self._chosen(self.risk_table)
        return risk.id if isinstance(risk, RiskRow) else None

    @staticmethod
    def _chosen(table: QTableView) -> Any:
        rows = table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def update_buttons(self) -> None:
        """Enable what the selected person, plan, review, risk and goal allow."""
        person = self.selected()
        has = person is not None
        ended = has and person.status == "ended"  # type: ignore[union-attr]
        plans = self.records.plans if self.records else []
        self.plan_button.setText("Change plan…" if plans else "Write first plan…")
        self.plan_button.setEnabled(has and not ended and self.records is not None)
        self.plan_button.setToolTip(
            "Saves a new version with the reason; earlier versions are kept unchanged."
            if plans
            else "Write the first care plan."
        )
        chosen_plan = self._chosen(self.plan_table)
        self.view_plan_button.setEnabled(chosen_plan is not None)
        self.print_button.setEnabled(chosen_plan is not None)
        self.compare_button.setEnabled(chosen_plan is not None and len(plans) > 1)
        for b in (self.review_button, self.add_risk_button, self.add_goal_button):
            b.setEnabled(has and not ended)
        self.remove_review_button.setEnabled(self._chosen(self.review_table) is not None)
        for b in (self.edit_risk_button, self.remove_risk_button):
            b.setEnabled(self._chosen(self.risk_table) is not None)
        for b in (self.edit_goal_button, self.remove_goal_button):
            b.setEnabled(self._chosen(self.goal_table) is not None)

    # Actions --------------------------------------------------------------------------------
    def _current_plan(self) -> CarePlanRow | None:
        plans = self.records.plans if self.records else []
        return plans[-1] if plans else None

    def change_plan(self) -> CarePlanDialog | None:
        """Write the first plan, or a new version starting from the current one."""
        person = self.selected()
        if person is None or self.records is None:
            return None
        dialog = CarePlanDialog(self.ctx, person, self._current_plan(), parent=self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def view_plan(self) -> CarePlanDialog | None:
        """Read the selected version (read-only: versions are never edited)."""
        person, plan = self.selected(), self._chosen(self.plan_table)
        if person is None or plan is None:
            return None
        dialog = CarePlanDialog(self.ctx, person, plan, read_only=True, parent=self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def compare_selected(self) -> CompareDialog | None:
        """Compare two versions: the two selected (Ctrl+click), or the selected one with the
        current plan (for the current one, with the version before it)."""
        chosen = sorted(
            (i.data(ROW_ROLE) for i in self.plan_table.selectionModel().selectedRows()),
            key=lambda c: c.number,
        )
        plans = self.records.plans if self.records else []
        if not chosen or len(plans) < 2:
            return None
        if len(chosen) >= 2:
            old, new = chosen[0], chosen[-1]
        elif chosen[0].is_current:
            old, new = plans[-2], chosen[0]
        else:
            old, new = chosen[0], plans[-1]
        dialog = CompareDialog(old, new, parent=self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def print_plan(self) -> None:
        """Save the selected version as a PDF for the person's home folder."""
        person, plan = self.selected(), self._chosen(self.plan_table)
        if person is None or plan is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the care plan",
            f"care-plan-{person.reference}-v{plan.number}.pdf",
            "PDF (*.pdf)",
        )
        if name:
            self.print_to(Path(name))

    def print_to(self, path: Path) -> None:
        """Write the selected version's PDF to ``path`` in the background."""
        from provider_desk.areas.people.care_plan_pdf import print_care_plan

        person, plan = self.selected(), self._chosen(self.plan_table)
        if person is None or plan is None:
            return
        db, today, path = self.ctx.db, self.ctx.today(), path.with_suffix(".pdf")
        write_in_background(
            self,
            self.ctx,
            lambda progress: print_care_plan(db, person.id, plan, path, today, progress),
            path,
            lambda p: f"Saved {person.name}'s care plan to {p.name}",
            "Printing the care plan",
        )

    def record_review(self) -> ReviewDialog | None:
        """Record a review of the selected person's care."""
        person = self.selected()
        if person is None:
            return None
        dialog = ReviewDialog(self.ctx, person, self._staff(), parent=self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def edit_risk(self, *, new: bool) -> RiskDialog | None:
        """Add a risk assessment, or review the selected one."""
        person = self.selected()
        risk = None if new else self._chosen(self.risk_table)
        if person is None or (not new and risk is None):
            return None
        dialog = RiskDialog(self.ctx, person, self._staff(), risk, parent=self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def edit_goal(self, *, new: bool) -> GoalDialog | None:
        """Add a goal, or update the selected one."""
        person = self.selected()
        goal = None if new else self._chosen(self.goal_table)
        if person is None or (not new and goal is None):
            return None
        dialog = GoalDialog(self.ctx, person, goal, parent=self)
        dialog.open()
        self.dialog = dialog
        return dialog

    def remove(self, kind: str, *, confirm: bool = True) -> None:
        """Remove a review, risk assessment or goal entered by mistake (kept in the log)."""
        table = {"review": self.review_table, "risk": self.risk_table, "goal": self.goal_table}
        row = self._chosen(table[kind])
        if row is None:
            return
        words = {"review": "review", "risk": "risk assessment", "goal": "goal"}[kind]
        if confirm and not ask(
            self,
            f"Archive {words}",
            f"Archive this {words}? Use this for records entered by mistake; it is kept in the "
            "change log.",
        ):
            return
        self.ctx.tasks.run(
            partial(
                people_service.archive_record,
                self.ctx.db,
                kind,
                row.id,
                expected_version=row.version,
            ),
            on_success=self.ctx.announce,
            on_failure=lambda e: show_failure(self, e, f"Removing the {words}"),
        )
