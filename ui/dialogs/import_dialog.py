"""Preview an import (what will go in, what will not and why), then run it for real."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.imports.report import ImportReport, Planned, Skipped
from provider_desk.imports.staff import import_staff
from provider_desk.progress import Progress
from provider_desk.services.common import (
    ACTIONS,
    CHECKS,
    COMPLAINTS,
    PEOPLE,
    STAFF,
    SUPERVISION,
    TRAINING,
    Changes,
)
from ui.context import AppContext, show_failure
from ui.models.table import Column, RowTableModel
from ui.widgets.tables import make_table_view

PLANNED_COLUMNS: list[Column[Planned]] = [
    Column("Where", lambda p: p.where),
    Column(
        "What happens",
        lambda p: {
            "new": "Added",
            "update": "Updated",
            "unchanged": "Already up to date",
            "new person": "Added to the staff register",
        }[p.action],
    ),
    Column("Name", lambda p: p.name),
]
SKIPPED_COLUMNS: list[Column[Skipped]] = [
    Column("Where", lambda s: s.where),
    Column("Why it will not be imported", lambda s: s.reason, tooltip=lambda s: s.reason),
]


class ImportDialog(QDialog):
    """Runs a dry run first; the Import button writes exactly what the preview showed.

    ``kind`` is "staff" or "training".
    """

    def __init__(
        self, ctx: AppContext, path: Path, parent: QWidget | None = None, kind: str = "staff"
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.kind = kind
        self.report: ImportReport | None = None
        self.setWindowTitle(f"Import {kind} from {path.name}")
        self.create_staff = QCheckBox(
            "Add people who are not on the staff register yet "
            "(as care workers; check their role and start date after)"
        )
        self.create_staff.setVisible(kind == "training")
        self.create_staff.toggled.connect(lambda _on: self._run(dry_run=True))
        self.resize(760, 520)
        self.summary = QLabel("Reading the file…")
        self.summary.setWordWrap(True)
        self.planned: RowTableModel[Planned] = RowTableModel(PLANNED_COLUMNS, self)
        self.skipped: RowTableModel[Skipped] = RowTableModel(SKIPPED_COLUMNS, self)
        self.tabs = QTabWidget()
        for model, title in ((self.planned, "Will be imported"), (self.skipped, "Will not")):
            self.tabs.addTab(make_table_view(model), title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.create_staff)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self._run(dry_run=True)

    def _run(self, *, dry_run: bool) -> None:
        fn = partial(self._call, dry_run)
        self.ctx.tasks.run(
            fn,
            on_success=self._on_finished,
            on_failure=self._on_failed,
            progress_parent=self,
            progress_label=f"Importing {self.kind}…",
        )

    def _call(self, dry_run: bool, progress: Progress) -> ImportReport:
        if self.kind == "people":
            from provider_desk.imports.people_supported import import_people

            return import_people(
                self.ctx.db, self.path, dry_run=dry_run, today=self.ctx.today(), progress=progress
            )
        if self.kind in ("complaints", "compliments"):
            from provider_desk.imports import complaints as ci

            if self.kind == "compliments":
                return ci.import_compliments(
                    self.ctx.db, self.path, dry_run=dry_run, today=self.ctx.today()
                )
            return ci.import_complaints(
                self.ctx.db, self.path, dry_run=dry_run, today=self.ctx.today(), progress=progress
            )
        if self.kind == "supervisions":
            from provider_desk.imports.supervision import import_supervisions

            return import_supervisions(
                self.ctx.db, self.path, dry_run=dry_run, today=self.ctx.today(), progress=progress
            )
        if self.kind == "training":
            from provider_desk.imports.training import import_training

            return import_training(
                self.ctx.db,
                self.path,
                dry_run=dry_run,
                today=self.ctx.today(),
                progress=progress,
                create_staff=self.create_staff.isChecked(),
            )
        return import_staff(
            self.ctx.db, self.path, dry_run=dry_run, today=self.ctx.today(), progress=progress
        )

    def _on_finished(self, report: ImportReport) -> None:
        self.report = report
        self.planned.set_rows(report.planned)
        self.skipped.set_rows(report.skipped)
        self.tabs.setTabText(0, f"Will be imported ({len(report.planned)})")
        self.tabs.setTabText(1, f"Will not ({len(report.skipped)})")
        columns = ", ".join(f"'{k}' → {v.replace('_', ' ')}" for k, v in report.columns.items())
        ignored = (
            f" Columns not used: {', '.join(report.ignored_columns)}."
            if report.ignored_columns
            else ""
        )
        if report.dry_run:
            self.summary.setText(
                f"{report.imported} new, {report.updated} updated, {report.unchanged} already up "
                f"to date; {len(report.skipped)} problems. Columns read: {columns}.{ignored}\n"
                "Nothing has been saved yet."
            )
            self.import_button.setEnabled(report.imported + report.updated > 0)
            if report.skipped and not report.planned:
                self.tabs.setCurrentIndex(1)
        else:
            self.ctx.announce(
                Changes.of(STAFF, CHECKS, TRAINING, SUPERVISION, COMPLAINTS, ACTIONS, PEOPLE)
            )
            self.summary.setText(f"Imported {report.imported} new and updated {report.updated}.")
            self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.summary.setText(str(exc))
        self.import_button.setEnabled(False)
        show_failure(self, exc, "Importing")

    def _on_import_clicked(self) -> None:
        self.import_button.setEnabled(False)
        self._run(dry_run=False)
