"""Organisation settings: who the provider is, and how far ahead 'due soon' looks."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.settings.queries import SettingsRow
from provider_desk.settings.services import MAX_REVIEW_MONTHS, SettingsInput, update_settings
from ui.context import AppContext
from ui.dialogs.base import FormDialog


class SettingsDialog(FormDialog):
    """The provider's details (they head every report) and the due-soon window."""

    def __init__(
        self, ctx: AppContext, current: SettingsRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Organisation settings", parent)
        self.opened_version = current.version  # sent back with the save
        f = self.form
        self.provider_name = f.add(
            "provider_name", "Provider name *", QLineEdit(current.provider_name)
        )
        self.cqc_provider_id = f.add(
            "cqc_provider_id",
            "CQC provider ID",
            QLineEdit(current.cqc_provider_id),
            "As on your CQC registration certificate and CQC's website, e.g. 1-123456789.",
        )
        self.cqc_location_id = f.add(
            "cqc_location_id",
            "CQC location ID",
            QLineEdit(current.cqc_location_id),
            "The ID of this registered location (the office you provide care from).",
        )
        self.registered_manager = f.add(
            "registered_manager", "Registered manager", QLineEdit(current.registered_manager)
        )
        self.address = QPlainTextEdit(current.address)
        self.address.setFixedHeight(70)
        f.add("address", "Address", self.address)
        self.asc_wds = f.add(
            "asc_wds_workplace_id",
            "ASC-WDS workplace reference",
            QLineEdit(current.asc_wds_workplace_id),
            "The workplace reference (LOCALESTID) your workplace has in ASC-WDS bulk upload: "
            "the first column of the workplace file you download from ASC-WDS. Not the "
            "8-character Workplace ID on the ASC-WDS home page: with that, ASC-WDS refuses "
            "every row of the training file.",
        )
        self.asc_wds.setPlaceholderText("LOCALESTID, as in your ASC-WDS bulk-upload files")
        self.due_soon = QSpinBox()
        self.due_soon.setRange(1, 365)
        self.due_soon.setSuffix(" days")
        self.due_soon.setValue(current.due_soon_days)
        f.add(
            "due_soon_days",
            "Due soon window",
            self.due_soon,
            "Things due within this many days are shown as 'due soon'. ASC-WDS uses 30, 60 "
            "or 90 days; the default is 90.",
        )

        self.supervision_window = QSpinBox()
        self.supervision_window.setRange(1, 90)
        self.supervision_window.setSuffix(" days")
        self.supervision_window.setValue(current.supervision_due_soon_days)
        f.add(
            "supervision_due_soon_days",
            "Supervision due soon",
            self.supervision_window,
            "Supervision, spot checks and appraisals due within this many days show as 'due "
            "soon' (they recur every few months, so this is shorter; default 14).",
        )

        self.audit_window = QSpinBox()
        self.audit_window.setRange(1, 90)
        self.audit_window.setSuffix(" days")
        self.audit_window.setValue(current.audit_due_soon_days)
        f.add(
            "audit_due_soon_days",
            "Audits due soon",
            self.audit_window,
            "Audits in the programme due within this many days show as 'due soon' (default 14).",
        )

        self.plan_review = QSpinBox()
        self.plan_review.setRange(1, MAX_REVIEW_MONTHS)
        self.plan_review.setSuffix(" months")
        self.plan_review.setValue(current.care_plan_review_months)
        f.add(
            "care_plan_review_months",
            "Review care plans every",
            self.plan_review,
            "After the first review, which is due 6 weeks after care starts (NICE QS123). NICE "
            "says at least yearly, so 12 months is the longest; many providers review every 3 "
            "to 6 months. Reablement is reviewed at the end of its period instead.",
        )
        self.risk_review = QSpinBox()
        self.risk_review.setRange(1, 24)
        self.risk_review.setSuffix(" months")
        self.risk_review.setValue(current.risk_review_months)
        f.add(
            "risk_review_months",
            "Review risk assessments every",
            self.risk_review,
            "The review date a new risk assessment gets unless you set one.",
        )
        self.review_window = QSpinBox()
        self.review_window.setRange(1, 90)
        self.review_window.setSuffix(" days")
        self.review_window.setValue(current.care_review_due_soon_days)
        f.add(
            "care_review_due_soon_days",
            "Reviews due soon",
            self.review_window,
            "Care plan and risk reviews due within this many days show as 'due soon' (28).",
        )

        self.ack_days = QSpinBox()
        self.ack_days.setRange(1, 20)
        self.ack_days.setSuffix(" working days")
        self.ack_days.setValue(current.complaint_ack_working_days)
        f.add(
            "complaint_ack_working_days",
            "Acknowledge complaints within",
            self.ack_days,
            "Weekends and England & Wales bank holidays are not counted. 3 is the NHS and "
            "council benchmark.",
        )
        self.response_days = QSpinBox()
        self.response_days.setRange(1, 130)
        self.response_days.setSuffix(" working days")
        self.response_days.setValue(current.complaint_response_working_days)
        f.add(
            "complaint_response_working_days",
            "Respond to complaints within",
            self.response_days,
            "Your policy's target for a full response (often 20).",
        )

    def build(self, problems: list[Problem]) -> SettingsInput:
        return SettingsInput(
            provider_name=self.provider_name.text(),
            cqc_provider_id=self.cqc_provider_id.text(),
            cqc_location_id=self.cqc_location_id.text(),
            registered_manager=self.registered_manager.text(),
            address=self.address.toPlainText(),
            asc_wds_workplace_id=self.asc_wds.text(),
            due_soon_days=self.due_soon.value(),
            supervision_due_soon_days=self.supervision_window.value(),
            audit_due_soon_days=self.audit_window.value(),
            care_plan_review_months=self.plan_review.value(),
            risk_review_months=self.risk_review.value(),
            care_review_due_soon_days=self.review_window.value(),
            complaint_ack_working_days=self.ack_days.value(),
            complaint_response_working_days=self.response_days.value(),
        )

    def save(self, value: SettingsInput) -> Callable[[], Changes]:
        return partial(update_settings, self.ctx.db, value, expected_version=self.opened_version)
