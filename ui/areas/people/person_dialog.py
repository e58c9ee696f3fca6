"""Add or change a person we support."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit, QPlainTextEdit, QWidget

from provider_desk.areas.people import rules
from provider_desk.areas.people import services as people_service
from provider_desk.areas.people.queries import PersonDetail
from provider_desk.areas.staff.queries import Choice
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.resources import funding_types
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


def hours_box() -> QDoubleSpinBox:
    """Hours a week, with 'Not recorded' for blank."""
    box = QDoubleSpinBox()
    box.setRange(-0.25, people_service.MAX_WEEKLY_HOURS)
    box.setSingleStep(0.25)
    box.setSpecialValueText("Not recorded")
    box.setSuffix(" hours a week")
    box.setValue(-0.25)
    return box


def hours_value(box: QDoubleSpinBox) -> float | None:
    """The hours entered, or None for 'Not recorded'."""
    return None if box.value() < 0 else box.value()


class PersonDialog(FormDialog):
    """Who they are, how their care is funded, when it started, who to contact."""

    history_table = "person"
    history_holder = "detail"

    def __init__(
        self,
        ctx: AppContext,
        staff: list[Choice],
        detail: PersonDetail | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = f"{detail.row.name} ({detail.row.reference})" if detail else "New person"
        super().__init__(ctx, title, parent)
        self.detail = detail
        f = self.form
        self.reference = f.add(
            "reference",
            "Reference",
            QLineEdit(),
            "Your own client reference. Leave blank to number automatically (P-0001, P-0002 …).",
        )
        self.first_name = f.add("first_name", "First name *", QLineEdit())
        self.last_name = f.add("last_name", "Last name *", QLineEdit())
        self.preferred_name = f.add("preferred_name", "Likes to be called", QLineEdit())
        self.date_of_birth = f.add("date_of_birth", "Date of birth", DateField())
        self.nhs_number = f.add(
            "nhs_number",
            "NHS number",
            QLineEdit(),
            "10 digits, as on a letter from the GP or hospital; spaces or dashes are fine. The "
            "last digit is a check digit, so most typing mistakes are caught.",
        )
        self.address = QPlainTextEdit()
        self.address.setFixedHeight(56)
        f.add("address", "Address", self.address)
        self.postcode = f.add("postcode", "Postcode", QLineEdit())
        self.funding = QComboBox()
        for t in funding_types():
            self.funding.addItem(t[0].upper() + t[1:], t)
        f.add("funding", "Funding", self.funding)
        self.service_type = QComboBox()
        self.service_type.addItem("Long-term care", "long-term")
        self.service_type.addItem("Reablement", "reablement")
        f.add(
            "service_type",
            "Service",
            self.service_type,
            "Reablement: a short programme (usually up to 6 weeks, free to the person) to regain "
            "independence.",
        )
        self.start_date = f.add("start_date", "Care started *", DateField(optional=False))
        self.status = QComboBox()
        for s in rules.STATUSES:
            self.status.addItem(s.capitalize(), s)
        f.add(
            "status",
            "Status",
            self.status,
            "Ended: the service has stopped (they move off the everyday list; nothing is deleted).",
        )
        self.end_date = f.add("end_date", "Care ended", DateField())
        self.key_worker = QComboBox()
        self.key_worker.addItem("None", None)
        for c in staff:
            self.key_worker.addItem(c.label, c.id)
        f.add("key_worker_id", "Key worker", self.key_worker)
        self.next_of_kin = QPlainTextEdit()
        self.next_of_kin.setFixedHeight(50)
        f.add("next_of_kin", "Next of kin", self.next_of_kin, "Name, relationship and phone.")
        self.power_of_attorney = QPlainTextEdit()
        self.power_of_attorney.setFixedHeight(50)
        f.add(
            "power_of_attorney",
            "Lasting power of attorney",
            self.power_of_attorney,
            "Who holds it, which kind (health and welfare / property and financial affairs), and "
            "whether you have seen the registered copy.",
        )
        self.reablement_start = f.add(
            "reablement_start_hours", "Hours at start of reablement", hours_box()
        )
        self.reablement_end = f.add(
            "reablement_end_hours",
            "Hours at end of reablement",
            hours_box(),
            "Hours of care a week needed when reablement ended (0 = no ongoing care). Gives the "
            "reablement outcome figures.",
        )
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(50)
        f.add("notes", "Notes", self.notes)
        if detail is not None:
            r = detail.row
            self.reference.setText(r.reference)
            self.first_name.setText(r.first_name)
            self.last_name.setText(r.last_name)
            self.preferred_name.setText(r.preferred_name)
            self.date_of_birth.set_date(r.date_of_birth)
            self.nhs_number.setText(r.nhs_number)
            self.address.setPlainText(detail.address)
            self.postcode.setText(r.postcode)
            self.funding.setCurrentIndex(max(0, self.funding.findData(r.funding)))
            self.service_type.setCurrentIndex(max(0, self.service_type.findData(r.service_type)))
            self.start_date.set_date(r.start_date)
            self.status.setCurrentIndex(max(0, self.status.findData(r.status)))
            self.end_date.set_date(r.end_date)
            i = self.key_worker.findData(r.key_worker_id)
            if i < 0 and r.key_worker_id is not None:
                self.key_worker.addItem(f"{r.key_worker} (left)", r.key_worker_id)
                i = self.key_worker.count() - 1
            self.key_worker.setCurrentIndex(max(0, i))
            self.next_of_kin.setPlainText(detail.next_of_kin)
            self.power_of_attorney.setPlainText(detail.power_of_attorney)
            for box, value in (
                (self.reablement_start, detail.reablement_start_hours),
                (self.reablement_end, detail.reablement_end_hours),
            ):
                box.setValue(-0.25 if value is None else value)
            self.notes.setPlainText(detail.notes)
        else:
            self.start_date.set_date(ctx.today())
        self.service_type.currentIndexChanged.connect(self._on_service)
        self._on_service()

    def _on_service(self) -> None:
        reablement = self.service_type.currentData() == "reablement"
        self.reablement_start.setEnabled(reablement)
        self.reablement_end.setEnabled(reablement)

    def build(self, problems: list[Problem]) -> people_service.PersonInput:
        reablement = self.service_type.currentData() == "reablement"
        return people_service.PersonInput(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            start_date=self.form.read_date("start_date", problems),
            reference=self.reference.text(),
            preferred_name=self.preferred_name.text(),
            date_of_birth=self.form.read_date("date_of_birth", problems),
            nhs_number=self.nhs_number.text(),
            address=self.address.toPlainText(),
            postcode=self.postcode.text(),
            funding=self.funding.currentData(),
            service_type=self.service_type.currentData(),
            end_date=self.form.read_date("end_date", problems),
            status=self.status.currentData(),
            key_worker_id=self.key_worker.currentData(),
            next_of_kin=self.next_of_kin.toPlainText(),
            power_of_attorney=self.power_of_attorney.toPlainText(),
            reablement_start_hours=hours_value(self.reablement_start) if reablement else None,
            reablement_end_hours=hours_value(self.reablement_end) if reablement else None,
            notes=self.notes.toPlainText(),
        )

    def save(self, value: people_service.PersonInput) -> partial[Changes]:
        return partial(
            people_service.save_person,
            self.ctx.db,
            self.detail.row.id if self.detail else None,
            value,
            expected_version=self.detail.row.version if self.detail else None,
            today=self.ctx.today(),
        )
