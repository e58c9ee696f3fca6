"""A new starter's progress through the 16 Care Certificate standards (2025)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from provider_desk.areas.training.queries import StandardRow
from provider_desk.areas.training.services import save_care_certificate
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


class CareCertificateDialog(FormDialog):
    """A date for each standard the person has completed; blank for those still to do."""

    def __init__(
        self,
        ctx: AppContext,
        staff_id: int,
        name: str,
        standards: list[StandardRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, f"Care Certificate: {name}", parent)
        self.staff_id = staff_id
        self.versions = {s.number: s.version for s in standards}  # sent back with the save
        done = sum(1 for s in standards if s.completed_on)
        intro = QLabel(
            f"{done} of 16 standards completed. Enter the date each standard was "
            "signed off; leave blank if not yet done."
        )
        intro.setWordWrap(True)
        self.dialog_layout.insertWidget(0, intro)
        self.dates: dict[int, DateField] = {}
        for s in standards:
            field = DateField()
            field.set_date(s.completed_on)
            self.form.add(f"standard_{s.number}", f"{s.number}. {s.title}", field)
            self.dates[s.number] = field
        self.assessor = self.form.add(
            "assessor", "Assessor", QLineEdit(), "Who signed off the standards entered now."
        )

    def build(self, problems: list[Problem]) -> dict[int, object]:
        return {n: self.form.read_date(f"standard_{n}", problems) for n in self.dates}

    def save(self, value: dict[int, object]) -> Callable[[], Changes]:
        return partial(
            save_care_certificate,
            self.ctx.db,
            self.staff_id,
            value,  # type: ignore[arg-type]
            self.assessor.text(),
            expected_versions=self.versions,
            today=self.ctx.today(),
        )
