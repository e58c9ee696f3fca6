"""Record one recruitment check, with an evidence file kept inside the database."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from provider_desk.areas.staff import services as staff_service
from provider_desk.areas.staff.queries import CheckRow
from provider_desk.areas.staff.rules import CheckStatus
from provider_desk.attachments import EVIDENCE_TYPES
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from provider_desk.resources import check_kinds
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


class CheckDialog(FormDialog):
    """One Schedule 3 item (or right to work) for one person."""

    history_table = "recruitment_check"
    history_holder = "check"

    def __init__(
        self, ctx: AppContext, person: str, check: CheckRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"{check.title}: {person}", parent)
        self.check = check
        self.file: Path | None = None
        help_text = next((k.help for k in check_kinds() if k.kind == check.kind), "")
        intro = QLabel(help_text, self)
        intro.setWordWrap(True)
        intro.setObjectName("fieldHelp")
        self.dialog_layout.insertWidget(0, intro)
        f = self.form
        self.status = QComboBox()
        for st in CheckStatus:
            self.status.addItem(st.value.capitalize(), st.value)
        self.status.setCurrentIndex(max(0, self.status.findData(check.status)))
        f.add(
            "status",
            "Status",
            self.status,
            "Received: you have it but have not checked it. Verified: checked and satisfactory.",
        )
        self.checked_on = f.add("checked_on", "Date received or checked", DateField())
        self.checked_on.set_date(check.checked_on)
        is_dbs = check.kind == "dbs"
        self.reference = f.add(
            "reference",
            "Certificate number" if is_dbs else "Reference",
            QLineEdit(),
            "12 digits, top right of the certificate." if is_dbs else "Optional reference.",
        )
        self.reference.setText(check.reference)
        self.issued_on = DateField()
        self.barred = QCheckBox("Adults' barred list checked")
        self.update_service = QCheckBox("Worker subscribes to the DBS Update Service")
        if is_dbs:
            f.add("issued_on", "Issue date", self.issued_on)
            self.issued_on.set_date(check.issued_on)
            f.add(
                "barred_list_checked",
                "",
                self.barred,
                "Needed: this person's job role does regulated activity."
                if check.barred_list_required
                else "Not needed for this job role (no regulated activity); tick it if seen.",
            )
            self.barred.setChecked(check.barred_list_checked)
            f.add(
                "update_service",
                "",
                self.update_service,
                "If yes, you can check the certificate is still current online.",
            )
            self.update_service.setChecked(check.update_service)
        self.note = QPlainTextEdit()
        self.note.setFixedHeight(60)
        self.note.setPlainText(check.evidence_note)
        f.add(
            "evidence_note",
            "Evidence note",
            self.note,
            "What you saw, e.g. 'Passport seen and copied'.",
        )
        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.file_label = QLabel(check.attachment_name or "No file attached")
        choose = QPushButton("Attach file…")
        choose.clicked.connect(self._on_choose_clicked)
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        f.add(
            "attachment",
            "Evidence file",
            file_row,
            "PDF, picture or Word document up to 10 MB; kept inside the database.",
        )

    def _on_choose_clicked(self) -> None:
        patterns = " ".join(f"*{s}" for s in sorted(EVIDENCE_TYPES))
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach evidence", "", f"Documents and pictures ({patterns})"
        )
        if name:
            self.set_file(Path(name))

    def set_file(self, path: Path) -> None:
        """Attach ``path`` when saving."""
        self.file = path
        self.file_label.setText(path.name)

    def build(self, problems: list[Problem]) -> staff_service.CheckInput:
        return staff_service.CheckInput(
            status=self.status.currentData(),
            checked_on=self.form.read_date("checked_on", problems),
            reference=self.reference.text(),
            evidence_note=self.note.toPlainText(),
            issued_on=self.form.read_date("issued_on", problems)
            if self.check.kind == "dbs"
            else None,
            barred_list_checked=self.barred.isChecked(),
            update_service=self.update_service.isChecked(),
            attachment_path=self.file,
        )

    def save(self, value: staff_service.CheckInput) -> Callable[[], Changes]:
        return partial(
            staff_service.record_check,
            self.ctx.db,
            self.check.staff_id,
            self.check.kind,
            value,
            expected_version=self.check.version,
            today=self.ctx.today(),
        )
