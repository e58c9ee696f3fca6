"""Preview an import (what will be added, each field an update changes, conflicts held back, what
will not go in and why); write it only when the manager confirms that preview."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas import importers
from provider_desk.changes import (
    ACTIONS,
    CHECKS,
    COMPLAINTS,
    PEOPLE,
    STAFF,
    SUPERVISION,
    TRAINING,
    Changes,
)
from provider_desk.errors import ValidationError
from provider_desk.progress import Progress
from provider_desk.tabular.records import CLEAR_EMPTY_HELP
from provider_desk.tabular.report import Conflict, ImportReport, Planned, Skipped, plural
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


@dataclass(frozen=True)
class ChangeLine:
    """One field of one saved record that the import changes, as a row of the preview."""

    where: str
    record: str
    field: str
    old: str
    new: str


CHANGE_COLUMNS: list[Column[ChangeLine]] = [
    Column("Where", lambda c: c.where),
    Column("Record", lambda c: c.record),
    Column("Field", lambda c: c.field),
    Column("Now", lambda c: c.old, tooltip=lambda c: c.old),
    Column("Will be", lambda c: c.new, tooltip=lambda c: c.new),
]
CONFLICT_COLUMNS: list[Column[Conflict]] = [
    Column("Where", lambda c: c.where),
    Column("Saved", lambda c: c.saved, tooltip=lambda c: c.saved),
    Column("In the file", lambda c: c.in_file, tooltip=lambda c: c.in_file),
    Column("Why it is held back", lambda c: c.reason, tooltip=lambda c: c.reason),
]
SKIPPED_COLUMNS: list[Column[Skipped]] = [
    Column("Where", lambda s: s.where),
    Column("Why it will not be imported", lambda s: s.reason, tooltip=lambda s: s.reason),
]


def _wrap_long_text(view: QTableView, model: QAbstractItemModel) -> None:
    """Conflicts and problems are sentences: wrap them so the manager reads them whole."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    header = view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    for column in range(1, model.columnCount() - 1):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, 230)
    model.modelReset.connect(view.resizeRowsToContents)
    # Wrapped rows are as tall as their text at the column's width: measure again once the
    # dialog has its size (or the manager drags a column), not while it is still being laid out.
    again = QTimer(view)
    again.setSingleShot(True)
    again.setInterval(0)
    again.timeout.connect(view.resizeRowsToContents)
    header.sectionResized.connect(lambda *_: again.start())


class ImportDialog(QDialog):
    """Runs a dry run first and shows it; the Import button writes exactly what the preview
    showed (if the file or the records changed in between, nothing is written and the manager
    is asked to look again).

    ``kind`` names one of the areas' importers (``provider_desk.areas.importers()``).
    """

    def __init__(
        self, ctx: AppContext, path: Path, parent: QWidget | None = None, kind: str = "staff"
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.kind = kind
        self.report: ImportReport | None = None
        self._confirming = False
        self.importer = importers()[kind]
        self.setWindowTitle(f"Import {self.importer.title} from {path.name}")
        # The importer's own yes/no options (e.g. training: add people not on the register).
        self.flags: dict[str, QCheckBox] = {}
        for flag in self.importer.flags:
            box = QCheckBox(flag.label)
            box.toggled.connect(self._on_option_toggled)
            self.flags[flag.name] = box
        self.clear_empty = QCheckBox("Empty cells clear fields")
        self.clear_empty.setToolTip(CLEAR_EMPTY_HELP)
        self.clear_empty.setVisible(self.importer.updates)
        self.clear_empty.toggled.connect(self._on_option_toggled)
        self.resize(860, 560)
        self.summary = QLabel("Reading the file…")
        self.summary.setWordWrap(True)
        self.planned: RowTableModel[Planned] = RowTableModel(PLANNED_COLUMNS, self)
        self.changes: RowTableModel[ChangeLine] = RowTableModel(CHANGE_COLUMNS, self)
        self.conflicts: RowTableModel[Conflict] = RowTableModel(CONFLICT_COLUMNS, self)
        self.skipped: RowTableModel[Skipped] = RowTableModel(SKIPPED_COLUMNS, self)
        self.tabs = QTabWidget()
        for model, title in (
            (self.planned, "Will be imported"),
            (self.changes, "Changes"),
            (self.conflicts, "Conflicts"),
            (self.skipped, "Will not"),
        ):
            view = make_table_view(model)
            if model is self.conflicts or model is self.skipped:
                _wrap_long_text(view, model)
            self.tabs.addTab(view, title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        for box in self.flags.values():
            layout.addWidget(box)
        layout.addWidget(self.clear_empty)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self._run(confirmed=None)

    def _run(self, *, confirmed: str | None) -> None:
        """A preview (``confirmed`` None), or the real run of the preview with that digest."""
        self.import_button.setEnabled(False)
        fn = partial(self._call, confirmed)
        self.ctx.tasks.run(
            fn,
            on_success=self._on_finished,
            on_failure=self._on_failed,
            progress_parent=self,
            progress_label=f"Importing {self.importer.title}…",
        )

    def _call(self, confirmed: str | None, progress: Progress) -> ImportReport:
        db, path, today = self.ctx.db, self.path, self.ctx.today()
        dry_run = confirmed is None
        return self.importer.run(
            db,
            path,
            today=today,
            dry_run=dry_run,
            clear_empty=self.clear_empty.isChecked(),
            confirmed=confirmed,
            progress=progress,
            flags={name: box.isChecked() for name, box in self.flags.items()},
        )

    def _on_finished(self, report: ImportReport) -> None:
        if not report.dry_run:
            self.ctx.announce(
                Changes.of(STAFF, CHECKS, TRAINING, SUPERVISION, COMPLAINTS, ACTIONS, PEOPLE)
            )
            self.summary.setText(
                f"Imported {report.imported:,} new and updated {report.updated:,}."
            )
            self.accept()
            return
        self.report = report
        self.planned.set_rows(report.planned)
        self.changes.set_rows(
            [
                ChangeLine(u.where, u.record, c.label, c.old, c.new)
                for u in report.updates
                for c in u.changes
            ]
        )
        self.conflicts.set_rows(report.conflicts)
        self.skipped.set_rows(report.skipped)
        self.tabs.setTabText(0, f"Will be imported ({len(report.planned)})")
        self.tabs.setTabText(1, f"Changes ({self.changes.rowCount()})")
        self.tabs.setTabText(2, f"Conflicts ({len(report.conflicts)})")
        self.tabs.setTabText(3, f"Will not ({len(report.skipped)})")
        columns = ", ".join(f"'{k}' → {v.replace('_', ' ')}" for k, v in report.columns.items())
        ignored = (
            f" Columns not used: {', '.join(report.ignored_columns)}."
            if report.ignored_columns
            else ""
        )
        notices = "".join(f"\n{n}" for n in report.notices)
        conflicts = (
            f" {plural(len(report.conflicts), 'conflict')} will not be applied."
            if report.conflicts
            else ""
        )
        problems = (
            f"{plural(report.rows_not_imported, 'row')} will not be imported "
            f"({plural(len(report.skipped), 'problem')})"
            if report.skipped
            else "no problems"
        )
        self.summary.setText(
            f"{report.imported:,} new, {report.updated:,} updated, {report.unchanged:,} already "
            f"up to date; {problems}.{conflicts} Columns read: {columns}."
            f"{ignored}{notices}\nNothing has been saved yet."
        )
        self.import_button.setEnabled(report.has_changes)
        if report.conflicts:
            self.tabs.setCurrentIndex(2)
        elif report.updates and not report.imported:
            self.tabs.setCurrentIndex(1)
        elif report.skipped and not report.planned:
            self.tabs.setCurrentIndex(3)

    def _on_failed(self, exc: BaseException) -> None:
        self.summary.setText(str(exc))
        self.import_button.setEnabled(False)
        confirming, self._confirming = self._confirming, False
        show_failure(self, exc, "Importing")
        if confirming and isinstance(exc, ValidationError):
            self._run(confirmed=None)  # the file or the records changed: show the new preview

    def _on_option_toggled(self, _on: bool) -> None:
        self.report = None
        self._run(confirmed=None)

    def _on_import_clicked(self) -> None:
        if self.report is None or not self.report.has_changes:
            return
        self._confirming = True
        self._run(confirmed=self.report.plan_digest())
