"""Write a care plan version, read an earlier one, and compare two versions side by side.

Versions are never edited: saving writes the next version, with the reason for the change.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.people import rules
from provider_desk.areas.people import services as people_service
from provider_desk.areas.people.queries import CarePlanRow, PersonRow, compare_plans, days_text
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.resources import care_areas, care_section_fields
from provider_desk.rules.dates import format_date
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.icons import GREEN, icon
from ui.widgets.date_field import DateField

VISIT_HEADERS = ("Days", "Time", "Minutes", "Carers")


class CarePlanDialog(FormDialog):
    """The plan: areas of need, planned visits, consent and capacity.

    With ``current`` it starts from that version and saves the next; ``read_only`` shows a
    version without saving anything (earlier versions can never be changed).
    """

    history_table = "care_plan"
    history_holder = "current"

    def __init__(
        self,
        ctx: AppContext,
        person: PersonRow,
        current: CarePlanRow | None = None,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        if read_only and current is not None:
            title = f"{person.name}: care plan version {current.number}"
        elif current is not None:
            title = f"{person.name}: change the care plan (makes version {current.number + 1})"
        else:
            title = f"{person.name}: first care plan"
        super().__init__(ctx, title, parent, "Save as new version" if current else "Save")
        self.person = person
        self.current = current
        self.read_only = read_only
        self.setMinimumWidth(900)
        f = self.form
        if read_only and current is not None:
            state = "current" if current.is_current else "superseded: read only"
            f.layout_.addRow(
                "Version",
                QLabel(
                    f"{current.number} ({state}), written by {current.written_by or 'unknown'}; "
                    f"takes effect {format_date(current.effective_from)}"
                ),
            )
        self.effective_from = f.add("effective_from", "Takes effect from *", DateField())
        self.change_reason = f.add(
            "change_reason",
            "Why it is changing" + (" *" if current and not read_only else ""),
            QLineEdit(),
            "Kept with the version, e.g. 'Back from hospital: needs two carers to transfer'.",
        )
        self.change_reason.setVisible(current is not None)
        # Areas of need: a list on the left (ticked when written), the four fields on the right.
        self.area_list = QListWidget()
        self.area_list.setFixedWidth(262)
        self.area_pages = QStackedWidget()
        self.areas = QWidget()
        area_row = QHBoxLayout(self.areas)
        area_row.setContentsMargins(0, 0, 0, 0)
        area_row.addWidget(self.area_list)
        area_row.addWidget(self.area_pages, 1)
        self.texts: dict[tuple[str, str], QPlainTextEdit] = {}
        for area in care_areas():
            page = QWidget()
            form = QFormLayout(page)
            hint = QLabel(area.help)
            hint.setObjectName("fieldHelp")
            hint.setWordWrap(True)
            form.addRow(hint)
            for key, title in care_section_fields():
                edit = QPlainTextEdit()
                edit.setFixedHeight(64)
                form.addRow(title, edit)
                self.texts[(area.key, key)] = edit
                edit.textChanged.connect(self._mark_areas)
            self.area_pages.addWidget(page)
            self.area_list.addItem(QListWidgetItem(area.title))
        self.area_list.currentRowChanged.connect(self.area_pages.setCurrentIndex)
        self.area_list.setCurrentRow(0)
        self.areas.setMinimumHeight(360)
        f.add(
            "sections",
            "The plan",
            self.areas,
            "Write in the person's words where you can: what they need, what they want to "
            "achieve, how carers help, and how they like it done.",
        )
        self.visits = QTableWidget(0, len(VISIT_HEADERS))
        self.visits.setHorizontalHeaderLabels(list(VISIT_HEADERS))
        self.visits.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.visits.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits.setMinimumHeight(140)
        self.add_visit_button = QPushButton("Add visit")
        self.remove_visit_button = QPushButton("Remove visit")
        self.hours_label = QLabel()
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.visits)
        row = QHBoxLayout()
        row.addWidget(self.add_visit_button)
        row.addWidget(self.remove_visit_button)
        row.addStretch(1)
        row.addWidget(self.hours_label)
        v.addLayout(row)
        f.add(
            "visits",
            "Planned visits",
            box,
            "Days: 'Every day', 'Mon-Fri', 'Weekends' or days like 'Mon, Wed, Fri'. Time as "
            "08:30. A two-carer visit counts twice in the hours.",
        )
        self.consent_by = QComboBox()
        self.consent_by.addItem("Not recorded yet", "")
        self.consent_by.addItem("The person", "person")
        self.consent_by.addItem("A representative", "representative")
        f.add(
            "consent_by",
            "Plan agreed by",
            self.consent_by,
            "Regulation 11: care only with consent. If someone else agreed, say in what capacity "
            "(e.g. LPA for health and welfare; a relative is not a legal representative).",
        )
        self.consent_name = f.add("consent_name", "Representative's name", QLineEdit())
        self.consent_capacity = f.add("consent_capacity", "In what capacity", QLineEdit())
        self.consent_on = f.add("consent_on", "Agreed on", DateField())
        self.mca_needed = QCheckBox("A mental capacity assessment was needed")
        f.add("mca_needed", "Capacity", self.mca_needed)
        self.mca_outcome = QComboBox()
        self.mca_outcome.addItem("Choose…", "")
        for o in rules.MCA_OUTCOMES:
            self.mca_outcome.addItem(o.capitalize(), o)
        f.add("mca_outcome", "Outcome", self.mca_outcome)
        self.best_interests = QPlainTextEdit()
        self.best_interests.setFixedHeight(56)
        f.add(
            "best_interests",
            "Best-interests decision",
            self.best_interests,
            "Needed when the person lacks capacity to agree to the plan (Mental Capacity Act "
            "2005).",
        )
        self.review_due = f.add(
            "review_due",
            "Review due (optional)",
            DateField(),
            "Leave blank for the usual: 6 weeks after care starts, then the interval in "
            "Settings. Set a date for an earlier review (e.g. after a change of needs).",
        )
        if current is not None:
            self._fill(current)
        else:
            self.effective_from.set_date(max(person.start_date, ctx.today()))
        if read_only:
            self._lock()
        self.add_visit_button.clicked.connect(lambda: self.add_visit(rules.DAYS, "08:00", 30, 1))
        self.remove_visit_button.clicked.connect(self.remove_visit)
        self.visits.itemChanged.connect(lambda _i: self._update_hours())
        self.consent_by.currentIndexChanged.connect(self._on_consent)
        self.mca_needed.toggled.connect(self._on_consent)
        self._on_consent()
        self._update_hours()
        self._mark_areas()

    def _mark_areas(self) -> None:
        """Tick the areas that have something written."""
        for i, area in enumerate(care_areas()):
            written = any(
                self.texts[(area.key, key)].toPlainText().strip()
                for key, _ in care_section_fields()
            )
            item = self.area_list.item(i)
            item.setIcon(icon("fa5s.check", GREEN) if written else icon("fa5s.circle", "#cfd8dc"))

    def _fill(self, plan: CarePlanRow) -> None:
        self.effective_from.set_date(plan.effective_from if self.read_only else self.ctx.today())
        if self.read_only:
            self.change_reason.setText(plan.change_reason)
        for (area, key), edit in self.texts.items():
            edit.setPlainText(plan.sections.get(area, {}).get(key, ""))
        for visit in plan.visits:
            self.add_visit(visit.days, visit.time, visit.minutes, visit.carers)
        self.consent_by.setCurrentIndex(max(0, self.consent_by.findData(plan.consent_by)))
        self.consent_name.setText(plan.consent_name)
        self.consent_capacity.setText(plan.consent_capacity)
        self.consent_on.set_date(plan.consent_on)
        self.mca_needed.setChecked(plan.mca_needed)
        self.mca_outcome.setCurrentIndex(max(0, self.mca_outcome.findData(plan.mca_outcome)))
        self.best_interests.setPlainText(plan.best_interests)
        if self.read_only:
            self.review_due.set_date(plan.review_due)

    def _lock(self) -> None:
        for edit in self.texts.values():
            edit.setReadOnly(True)
        for w in (self.change_reason, self.consent_name, self.consent_capacity):
            w.setReadOnly(True)
        self.best_interests.setReadOnly(True)
        for control in (
            self.effective_from,
            self.consent_by,
            self.consent_on,
            self.mca_needed,
            self.mca_outcome,
            self.review_due,
            self.add_visit_button,
            self.remove_visit_button,
        ):
            control.setEnabled(False)
        self.visits.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")

    def _on_consent(self) -> None:
        rep = self.consent_by.currentData() == "representative"
        self.consent_name.setEnabled(rep and not self.read_only)
        self.consent_capacity.setEnabled(rep and not self.read_only)
        self.mca_outcome.setEnabled(self.mca_needed.isChecked() and not self.read_only)

    def add_visit(self, days: tuple[str, ...], time: str, minutes: int, carers: int) -> None:
        """Add a row to the planned visits."""
        row = self.visits.rowCount()
        self.visits.blockSignals(True)
        self.visits.insertRow(row)
        for col, value in enumerate((days_text(days), time, str(minutes), str(carers))):
            self.visits.setItem(row, col, QTableWidgetItem(value))
        self.visits.blockSignals(False)
        self._update_hours()

    def remove_visit(self) -> None:
        """Remove the selected visit."""
        rows = sorted({i.row() for i in self.visits.selectedIndexes()}, reverse=True)
        for r in rows:
            self.visits.removeRow(r)
        self._update_hours()

    def read_visits(self, problems: list[Problem]) -> tuple[rules.Visit, ...]:
        """The visits table as visits; unreadable cells go to ``problems``."""
        out = []
        for r in range(self.visits.rowCount()):

            def cell(c: int, row: int = r) -> str:
                item = self.visits.item(row, c)
                return item.text().strip() if item else ""

            days = rules.parse_days(cell(0))
            if days is None:
                problems.append(
                    Problem("visits", f"Visit {r + 1}: '{cell(0)}' is not days of the week.")
                )
                continue
            try:
                minutes, carers = int(cell(2)), int(cell(3) or "1")
            except ValueError:
                problems.append(
                    Problem("visits", f"Visit {r + 1}: minutes and carers are whole numbers.")
                )
                continue
            out.append(rules.Visit(days, cell(1), minutes, carers))
        return tuple(out)

    def _update_hours(self) -> None:
        visits = self.read_visits([])
        self.hours_label.setText(f"{rules.planned_hours(visits)} hours of care a week")

    def build(self, problems: list[Problem]) -> people_service.CarePlanInput:
        sections: dict[str, dict[str, str]] = {}
        for (area, key), edit in self.texts.items():
            if edit.toPlainText().strip():
                sections.setdefault(area, {})[key] = edit.toPlainText()
        return people_service.CarePlanInput(
            effective_from=self.form.read_date("effective_from", problems),
            sections=sections,
            visits=self.read_visits(problems),
            change_reason=self.change_reason.text(),
            consent_by=self.consent_by.currentData(),
            consent_name=self.consent_name.text(),
            consent_capacity=self.consent_capacity.text(),
            consent_on=self.form.read_date("consent_on", problems),
            mca_needed=self.mca_needed.isChecked(),
            mca_outcome=self.mca_outcome.currentData(),
            best_interests=self.best_interests.toPlainText(),
            review_due=self.form.read_date("review_due", problems),
        )

    def save(self, value: people_service.CarePlanInput) -> partial[Changes]:
        return partial(
            people_service.save_care_plan,
            self.ctx.db,
            self.person.id,
            value,
            based_on=self.current.number if self.current else None,
            today=self.ctx.today(),
        )


class CompareDialog(QDialog):
    """Two versions side by side: only what changed, section by section."""

    def __init__(self, old: CarePlanRow, new: CarePlanRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            f"{new.person_name}: version {old.number} ({format_date(old.effective_from)}) → "
            f"version {new.number} ({format_date(new.effective_from)})"
        )
        self.resize(980, 600)
        self.differences = compare_plans(old, new)
        header = QLabel(
            f"Why version {new.number}: {new.change_reason or '—'}"
            if new.number == old.number + 1
            else f"{len(self.differences)} differences between the two versions."
        )
        header.setWordWrap(True)
        self.table = QTableWidget(len(self.differences), 3)
        self.table.setHorizontalHeaderLabels(
            ["What", f"Version {old.number}", f"Version {new.number}"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 230)
        for r, d in enumerate(self.differences):
            for c, text in enumerate((d.what, d.before or "(blank)", d.after or "(removed)")):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        empty = QLabel("The two versions say the same thing.")
        empty.setVisible(not self.differences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
