"""Record a review, and add or update a risk assessment or a goal."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from provider_desk.areas.people import rules
from provider_desk.areas.people import services as people_service
from provider_desk.areas.people.queries import GoalRow, PersonRow, RiskRow
from provider_desk.areas.staff.queries import Choice
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.resources import risk_kinds
from provider_desk.rules.dates import add_months, format_date
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


def _text(height: int = 60) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setFixedHeight(height)
    return edit


def _staff_combo(staff: list[Choice], empty: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(empty, None)
    for c in staff:
        combo.addItem(c.label, c.id)
    return combo


class ReviewDialog(FormDialog):
    """A review: when, who took part, what was found, what changed, actions agreed."""

    def __init__(
        self, ctx: AppContext, person: PersonRow, staff: list[Choice], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"Review of {person.name}'s care", parent)
        self.person = person
        f = self.form
        self.reviewed_on = f.add("reviewed_on", "Date of review *", DateField(optional=False))
        self.reviewed_on.set_date(ctx.today())
        self.participants = f.add(
            "participants",
            "Who took part *",
            QLineEdit(),
            "The person first, then family, advocate, social worker, key worker …",
        )
        self.outcome = _text()
        f.add("outcome", "What was found *", self.outcome, "Is the plan meeting their outcomes?")
        self.changes_made = _text()
        f.add("changes_made", "Changes made", self.changes_made)
        self.needs_changed = QCheckBox("Their needs have changed: the plan needs a new version")
        f.add("needs_changed", "", self.needs_changed)
        self.action = QLineEdit()
        self.action.setPlaceholderText("Optional: something to do, e.g. Ask the OT to visit")
        f.add(
            "actions",
            "Action agreed",
            self.action,
            "Goes on the action plan (source: care review).",
        )
        self.owner = _staff_combo(staff, "Owner…")
        f.add("owner_id", "Action owner", self.owner)
        self.due_on = f.add("due_on", "Action due", DateField())
        self.due_on.set_date(add_months(ctx.today(), 1))
        due = person.review_due
        f.layout_.addRow(
            "",
            QLabel(
                "The next review is worked out from this date and the interval in Settings."
                + (f" It was due {format_date(due)}." if due else "")
            ),
        )

    def build(self, problems: list[Problem]) -> people_service.ReviewInput:
        actions: tuple[people_service.ReviewAction, ...] = ()
        if self.action.text().strip():
            actions = (
                people_service.ReviewAction(
                    self.action.text(),
                    self.owner.currentData(),
                    self.form.read_date("due_on", problems),
                ),
            )
        return people_service.ReviewInput(
            reviewed_on=self.form.read_date("reviewed_on", problems),
            participants=self.participants.text(),
            outcome=self.outcome.toPlainText(),
            changes_made=self.changes_made.toPlainText(),
            needs_changed=self.needs_changed.isChecked(),
            actions=actions,
        )

    def save(self, value: people_service.ReviewInput) -> partial[Changes]:
        return partial(
            people_service.record_review,
            self.ctx.db,
            self.person.id,
            value,
            today=self.ctx.today(),
        )


class RiskDialog(FormDialog):
    """A risk assessment: kind, likelihood x severity, controls, review date."""

    history_table = "risk_assessment"
    history_holder = "risk"

    def __init__(
        self,
        ctx: AppContext,
        person: PersonRow,
        staff: list[Choice],
        risk: RiskRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, f"{'Review' if risk else 'New'} risk assessment: {person.name}", parent
        )
        self.person = person
        self.risk = risk
        f = self.form
        self.kind = QComboBox()
        for k in risk_kinds():
            self.kind.addItem(k.capitalize(), k)
        f.add("kind", "Risk of *", self.kind)
        self.hazard = _text(50)
        f.add("hazard", "What could happen", self.hazard)
        self.likelihood = QSpinBox()
        self.likelihood.setRange(1, 5)
        f.add("likelihood", "Likelihood (1–5)", self.likelihood, "1 rare … 5 almost certain.")
        self.severity = QSpinBox()
        self.severity.setRange(1, 5)
        f.add("severity", "Severity (1–5)", self.severity, "1 negligible … 5 catastrophic.")
        self.level = QLabel()
        f.layout_.addRow("Score", self.level)
        self.controls = _text(70)
        f.add("controls", "How we reduce it *", self.controls)
        self.assessed_on = f.add("assessed_on", "Assessed on *", DateField(optional=False))
        self.assessed_by = _staff_combo(staff, "—")
        f.add("assessed_by_id", "Assessed by", self.assessed_by)
        self.review_due = f.add(
            "review_due",
            "Review due",
            DateField(),
            "Blank: the assessment date plus the interval in Settings (12 months unless changed).",
        )
        if risk is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(risk.kind)))
            self.hazard.setPlainText(risk.hazard)
            self.likelihood.setValue(risk.likelihood)
            self.severity.setValue(risk.severity)
            self.controls.setPlainText(risk.controls)
            self.assessed_by.setCurrentIndex(max(0, self.assessed_by.findData(risk.assessed_by_id)))
        self.assessed_on.set_date(ctx.today())
        self.likelihood.valueChanged.connect(self._update_level)
        self.severity.valueChanged.connect(self._update_level)
        self._update_level()

    def _update_level(self) -> None:
        score = rules.risk_score(self.likelihood.value(), self.severity.value())
        self.level.setText(f"{score}: {rules.risk_level(score)}")

    def build(self, problems: list[Problem]) -> people_service.RiskInput:
        return people_service.RiskInput(
            kind=self.kind.currentData(),
            likelihood=self.likelihood.value(),
            severity=self.severity.value(),
            controls=self.controls.toPlainText(),
            assessed_on=self.form.read_date("assessed_on", problems),
            hazard=self.hazard.toPlainText(),
            assessed_by_id=self.assessed_by.currentData(),
            review_due=self.form.read_date("review_due", problems),
        )

    def save(self, value: people_service.RiskInput) -> partial[Changes]:
        return partial(
            people_service.save_risk,
            self.ctx.db,
            self.person.id,
            self.risk.id if self.risk else None,
            value,
            expected_version=self.risk.version if self.risk else None,
            today=self.ctx.today(),
        )


class GoalDialog(FormDialog):
    """A goal: what, from where, by when, how it is going, and how it ended."""

    history_table = "goal"
    history_holder = "goal"

    def __init__(
        self,
        ctx: AppContext,
        person: PersonRow,
        goal: GoalRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, f"{'Goal' if goal else 'New goal'}: {person.name}", parent)
        self.person = person
        self.goal = goal
        f = self.form
        self.text = _text(50)
        f.add("goal", "Goal *", self.text, "In the person's words, e.g. 'Make my own breakfast'.")
        self.starting_point = _text(50)
        f.add("starting_point", "Starting point", self.starting_point)
        self.set_on = f.add("set_on", "Set on *", DateField(optional=False))
        self.target_date = f.add("target_date", "Target date", DateField())
        self.progress = _text(70)
        f.add("progress", "Progress", self.progress)
        self.outcome = QComboBox()
        self.outcome.addItem("Still working on it", "")
        for o in rules.GOAL_OUTCOMES:
            self.outcome.addItem(o.capitalize(), o)
        f.add("outcome", "Outcome", self.outcome)
        if goal is not None:
            self.text.setPlainText(goal.goal)
            self.starting_point.setPlainText(goal.starting_point)
            self.set_on.set_date(goal.set_on)
            self.target_date.set_date(goal.target_date)
            self.progress.setPlainText(goal.progress)
            self.outcome.setCurrentIndex(max(0, self.outcome.findData(goal.outcome)))
        else:
            self.set_on.set_date(ctx.today())

    def build(self, problems: list[Problem]) -> people_service.GoalInput:
        return people_service.GoalInput(
            goal=self.text.toPlainText(),
            set_on=self.form.read_date("set_on", problems),
            starting_point=self.starting_point.toPlainText(),
            target_date=self.form.read_date("target_date", problems),
            progress=self.progress.toPlainText(),
            outcome=self.outcome.currentData(),
        )

    def save(self, value: people_service.GoalInput) -> partial[Changes]:
        return partial(
            people_service.save_goal,
            self.ctx.db,
            self.person.id,
            self.goal.id if self.goal else None,
            value,
            expected_version=self.goal.version if self.goal else None,
            today=self.ctx.today(),
        )
