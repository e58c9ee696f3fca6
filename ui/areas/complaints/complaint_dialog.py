"""The complaint form (its whole life, from receipt to closure), compliments, letter templates,
and the period for the Regulation 16(3) summary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.complaints import services as service
from provider_desk.areas.complaints.letters import PLACEHOLDERS
from provider_desk.areas.complaints.queries import ComplaintRow, ComplimentRow
from provider_desk.areas.staff.queries import Choice
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.resources import funding_types
from ui.areas.supervision.session_dialog import ActionRows
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


def _combo(values: tuple[str, ...], blank: bool = False) -> QComboBox:
    combo = QComboBox()
    if blank:
        combo.addItem("", "")
    for v in values:
        combo.addItem(v[0].upper() + v[1:], v)
    return combo


def _people(people: list[Choice]) -> QComboBox:
    combo = QComboBox()
    combo.addItem("(none)", None)
    for p in people:
        combo.addItem(p.label, p.id)
    return combo


def _text(height: int = 60) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setFixedHeight(height)
    return edit


class ComplaintDialog(FormDialog):
    """A complaint: fill in what you know now and come back as it progresses."""

    history_table = "complaint"

    def __init__(
        self,
        ctx: AppContext,
        people: list[Choice],
        row: ComplaintRow | None = None,
        parent: QWidget | None = None,
        supported: list[str] | None = None,
        funding_of: dict[str, str] | None = None,
    ) -> None:
        super().__init__(ctx, f"Complaint {row.reference}" if row else "New complaint", parent)
        self.setMinimumWidth(720)
        self.row = row
        f = self.form
        heading = f.layout_.addRow
        heading(QLabel("<b>Received</b>"))
        self.received_on = f.add("received_on", "Received on *", DateField(optional=False))
        self.channel = f.add("channel", "How received", _combo(service.CHANNELS))
        self.complainant = f.add("complainant_name", "Complainant *", QLineEdit())
        self.relation = f.add("complainant_relation", "Relationship to the person", QLineEdit())
        self.address = f.add(
            "complainant_address", "Complainant's address", _text(50), "Printed on the letters."
        )
        self.person = f.add(
            "person_concerned",
            "Person concerned",
            QLineEdit(),
            "Start typing a name or reference to pick someone you support; any text is fine.",
        )
        completer = QCompleter(supported or [], self.person)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.person.setCompleter(completer)
        self.funding = f.add(
            "funding",
            "Care funded by",
            _combo(funding_types(), blank=True),
            "Decides who the letters say to go to next: the Local Government and Social Care "
            "Ombudsman (self-funded, direct payments, council-arranged care) or the NHS route "
            "and the Parliamentary and Health Service Ombudsman (NHS-funded care). Filled in "
            "from the person you pick; blank names both.",
        )
        self._funding_of = funding_of or {}
        self.person.textChanged.connect(self._on_person_text_changed)
        self.staff = f.add("staff_concerned_id", "Staff concerned", _people(people))
        self.category = f.add("category", "Category", _combo(service.CATEGORIES))
        self.severity = f.add("severity", "Severity", _combo(service.SEVERITIES))
        self.safeguarding = f.add(
            "safeguarding",
            "",
            QCheckBox("Raises a safeguarding concern (refer it under your safeguarding procedure)"),
        )
        self.candour = f.add(
            "duty_of_candour",
            "",
            QCheckBox(
                "Reveals a notifiable safety incident: the duty of candour applies to that "
                "incident (record it there), not to this complaint"
            ),
        )
        self.summary = f.add("summary", "What it is about *", _text(70))
        heading(QLabel("<b>Investigation and response</b>"))
        self.acknowledged_on = f.add("acknowledged_on", "Acknowledged on", DateField())
        self.investigator = f.add("investigator_id", "Investigator", _people(people))
        self.findings = f.add("findings", "Findings", _text(70))
        self.outcome = f.add("outcome", "Outcome", _combo(service.OUTCOMES, blank=True))
        self.apology = f.add(
            "apology_given",
            "",
            QCheckBox("An apology was given in the response"),
            "Saying sorry in a complaint response is good practice; it is not the duty of "
            "candour, which follows a notifiable safety incident (regulation 20).",
        )
        self.extended_to = f.add(
            "response_due_extended_to",
            "Response date agreed as",
            DateField(),
            "Only if the complainant agreed to a later date.",
        )
        self.extension_reason = f.add("extension_reason", "Why it needs longer", QLineEdit())
        self.responded_on = f.add("responded_on", "Full response sent on", DateField())
        self.satisfied = f.add(
            "complainant_satisfied", "Complainant satisfied", _combo(service.SATISFIED, blank=True)
        )
        self.ombudsman = f.add("ombudsman_referred_on", "Referred to the Ombudsman on", DateField())
        self.council = f.add("council_referred_on", "Referred to the council on", DateField())
        self.lessons = f.add("lessons_learned", "Lessons learned", _text(60))
        self.action_rows = ActionRows(people)
        f.add("actions", "Actions", self.action_rows, "Each goes on the action plan.")
        self.closed_on = f.add("closed_on", "Closed on", DateField())
        self.new_step = f.add(
            "new_step",
            "Add to the timeline",
            QLineEdit(),
            "Anything else done today, e.g. 'Phoned Mrs Brown to explain'.",
        )
        if row is None:
            self.received_on.set_date(ctx.today())
            return
        self.received_on.set_date(row.received_on)
        for combo, value in (
            (self.channel, row.channel),
            (self.category, row.category),
            (self.severity, row.severity),
            (self.outcome, row.outcome),
            (self.satisfied, row.complainant_satisfied),
            (self.staff, row.staff_concerned_id),
            (self.investigator, row.investigator_id),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.complainant.setText(row.complainant_name)
        self.relation.setText(row.complainant_relation)
        self.address.setPlainText(row.complainant_address)
        self.person.setText(row.person_concerned)
        self.funding.setCurrentIndex(max(0, self.funding.findData(row.funding)))
        self.safeguarding.setChecked(row.safeguarding)
        self.candour.setChecked(row.duty_of_candour)
        self.summary.setPlainText(row.summary)
        self.acknowledged_on.set_date(row.acknowledged_on)
        self.findings.setPlainText(row.findings)
        self.apology.setChecked(row.apology_given)
        self.extended_to.set_date(row.response_due_extended_to)
        self.extension_reason.setText(row.extension_reason)
        self.responded_on.set_date(row.responded_on)
        self.ombudsman.set_date(row.ombudsman_referred_on)
        self.council.set_date(row.council_referred_on)
        self.lessons.setPlainText(row.lessons_learned)
        self.closed_on.set_date(row.closed_on)

    def _on_person_text_changed(self, text: str) -> None:
        """Picking someone we support fills in how their care is funded."""
        funding = self._funding_of.get(text.strip())
        if funding is not None:
            self.funding.setCurrentIndex(max(0, self.funding.findData(funding)))

    def build(self, problems: list[Problem]) -> service.ComplaintInput:
        f = self.form
        d = partial(f.read_date, problems=problems)
        return service.ComplaintInput(
            received_on=d("received_on"),
            complainant_name=self.complainant.text(),
            summary=self.summary.toPlainText(),
            channel=self.channel.currentData(),
            complainant_relation=self.relation.text(),
            complainant_address=self.address.toPlainText(),
            person_concerned=self.person.text(),
            funding=self.funding.currentData(),
            staff_concerned_id=self.staff.currentData(),
            category=self.category.currentData(),
            severity=self.severity.currentData(),
            safeguarding=self.safeguarding.isChecked(),
            duty_of_candour=self.candour.isChecked(),
            investigator_id=self.investigator.currentData(),
            findings=self.findings.toPlainText(),
            outcome=self.outcome.currentData(),
            apology_given=self.apology.isChecked(),
            acknowledged_on=d("acknowledged_on"),
            response_due_extended_to=d("response_due_extended_to"),
            extension_reason=self.extension_reason.text(),
            responded_on=d("responded_on"),
            complainant_satisfied=self.satisfied.currentData(),
            ombudsman_referred_on=d("ombudsman_referred_on"),
            council_referred_on=d("council_referred_on"),
            lessons_learned=self.lessons.toPlainText(),
            closed_on=d("closed_on"),
            actions=self.action_rows.agreed_actions(problems),
            new_step=self.new_step.text(),
        )

    def save(self, value: service.ComplaintInput) -> Callable[[], Changes]:
        return partial(
            service.save_complaint,
            self.ctx.db,
            value,
            self.row.id if self.row else None,
            expected_version=self.row.version if self.row else None,
            today=self.ctx.today(),
        )


class ComplimentDialog(FormDialog):
    """Praise: from whom, about whom, what was said."""

    history_table = "compliment"

    def __init__(
        self,
        ctx: AppContext,
        people: list[Choice],
        row: ComplimentRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Compliment", parent)
        self.row = row
        f = self.form
        self.received_on = f.add("received_on", "Received on *", DateField(optional=False))
        self.from_name = f.add("from_name", "From *", QLineEdit())
        self.about = f.add("about_person", "About (person supported)", QLineEdit())
        self.staff = f.add(
            "staff_id",
            "About (staff member)",
            _people(people),
            "The compliment then shows on their staff record.",
        )
        self.said = f.add("what_was_said", "What was said *", _text(90))
        self.channel = f.add("channel", "How received", QLineEdit())
        if row is None:
            self.received_on.set_date(ctx.today())
        else:
            self.received_on.set_date(row.received_on)
            self.from_name.setText(row.from_name)
            self.about.setText(row.about_person)
            self.staff.setCurrentIndex(max(0, self.staff.findData(row.staff_id)))
            self.said.setPlainText(row.what_was_said)
            self.channel.setText(row.channel)

    def build(self, problems: list[Problem]) -> service.ComplimentInput:
        return service.ComplimentInput(
            self.form.read_date("received_on", problems),
            self.from_name.text(),
            self.said.toPlainText(),
            about_person=self.about.text(),
            staff_id=self.staff.currentData(),
            channel=self.channel.text()[:20],
        )

    def save(self, value: service.ComplimentInput) -> Callable[[], Changes]:
        return partial(
            service.save_compliment,
            self.ctx.db,
            value,
            self.row.id if self.row else None,
            expected_version=self.row.version if self.row else None,
            today=self.ctx.today(),
        )


class LetterTemplatesDialog(FormDialog):
    """Edit the wording of the acknowledgement and outcome letters."""

    def __init__(
        self,
        ctx: AppContext,
        templates: dict[str, str],
        parent: QWidget | None = None,
        *,
        versions: dict[str, int],
    ) -> None:
        super().__init__(ctx, "Letter templates", parent)
        self.setMinimumWidth(760)
        self.templates = dict(templates)
        self.versions = dict(versions)  # kind -> the version opened, sent back with a save
        self.kind = QComboBox()
        for kind in sorted(templates):
            self.kind.addItem(f"{kind.capitalize()} letter", kind)
        self.form.add("kind", "Letter", self.kind)
        self.body = QPlainTextEdit()
        self.body.setMinimumHeight(380)
        self.form.add(
            "body",
            "Wording",
            self.body,
            "Placeholders filled in when printing: "
            + ", ".join("{" + p + "}" for p in PLACEHOLDERS),
        )
        self.kind.currentIndexChanged.connect(lambda _i: self._show())
        self._show()

    def _show(self) -> None:
        self.body.setPlainText(self.templates.get(self.kind.currentData(), ""))

    def build(self, problems: list[Problem]) -> tuple[str, str]:
        return self.kind.currentData(), self.body.toPlainText()

    def save(self, value: tuple[str, str]) -> Callable[[], Changes]:
        kind, body = value
        return partial(
            service.save_letter_template,
            self.ctx.db,
            kind,
            body,
            expected_version=self.versions.get(kind, 0),
        )


class PeriodDialog(QDialog):
    """Choose the period for the summary (default: the last 12 months)."""

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Complaints summary for CQC")
        self.start, self.end = DateField(optional=False), DateField(optional=False)
        self.start.set_date(today.replace(year=today.year - 1) + dt.timedelta(days=1))
        self.end.set_date(today)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Complaints received from"))
        layout.addWidget(self.start)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.end)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def period(self) -> tuple[dt.date, dt.date] | None:
        """The dates chosen, or None if they are not a period."""
        try:
            start, end = self.start.date(), self.end.date()
        except ValueError as exc:
            self.error.setText(str(exc))
            return None
        if start is None or end is None or end < start:
            self.error.setText("The end must be on or after the start.")
            return None
        return start, end

    def _on_ok(self) -> None:
        if self.period() is not None:
            self.accept()
