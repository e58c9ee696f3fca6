"""Preview an import (what will be added, each field an update changes, conflicts held back, what
will not go in and why); write it only when the manager confirms that preview."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas import importers
from provider_desk.areas.training.queries import list_courses
from provider_desk.areas.training.services import CourseInput, save_course
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
from provider_desk.tabular.columns import ASK, ColumnPlan
from provider_desk.tabular.read import COLUMNS, IGNORE
from provider_desk.tabular.records import CLEAR_EMPTY_HELP
from provider_desk.tabular.report import (
    ColumnFate,
    Conflict,
    ImportReport,
    Planned,
    Skipped,
    plural,
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


def planned_columns(fields: list[tuple[str, str]]) -> list[Column[Planned]]:
    """The preview's rows: where, what happens, the name, then every mapped field as read
    (``fields``: (field name, label) in the file's order)."""
    return PLANNED_COLUMNS + [
        Column(label, partial(_cell_text, name), tooltip=partial(_cell_text, name))
        for name, label in fields
    ]


def _cell_text(name: str, planned: Planned) -> str:
    return next((text for field, text in planned.cells if field == name), "")


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


def _fate_text(c: ColumnFate) -> str:
    if c.fate == "matched":
        return f"→ {c.target} ({c.rule})"
    if c.fate == "ignored":
        return f"Ignored on purpose: {c.rule}"
    cells = f"; {plural(c.cells, 'cell')} not imported until it is mapped" if c.cells else ""
    return f"Not recognised: {c.rule}{cells}"


COLUMN_FATE_COLUMNS: list[Column[ColumnFate]] = [
    Column("Column", lambda c: c.column + (" (hidden)" if c.hidden else "")),
    Column("Heading", lambda c: c.header, tooltip=lambda c: c.header),
    Column("What happens", _fate_text, tooltip=_fate_text),
]
NEW_COURSE = "\x00new"
"""The course box's choice: create a course named like the heading."""
MAPPINGS_KEY = "import_mappings"
"""QSettings group: {importer}/{layout signature} -> the columns mapped by hand, as JSON."""
MAPPING_HEADINGS = ("Column", "Heading", "In the file", "Imported as")


def _settings_key(kind: str, layout: str) -> str:
    return f"{MAPPINGS_KEY}/{kind}/{layout}"


def remembered_mapping(settings: QSettings, kind: str, layout: str) -> dict[str, str]:
    """The mapping chosen last time for a file of this importer with this header (``layout``,
    the header's fingerprint), or {}."""
    raw = settings.value(_settings_key(kind, layout))
    try:
        saved = json.loads(str(raw)) if raw else {}
    except ValueError:
        return {}
    if not isinstance(saved, dict):
        return {}
    return {str(k): str(v) for k, v in saved.items()}


def remember_mapping(settings: QSettings, kind: str, layout: str, mapping: dict[str, str]) -> None:
    """Keep ``mapping`` for the next file of this importer with the same header."""
    settings.setValue(_settings_key(kind, layout), json.dumps(mapping, ensure_ascii=False))
    settings.sync()


def forget_mapping(settings: QSettings, kind: str, layout: str) -> None:
    """Forget a remembered mapping that no longer fits."""
    settings.remove(_settings_key(kind, layout))


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
        self,
        ctx: AppContext,
        path: Path,
        parent: QWidget | None = None,
        kind: str = "staff",
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path = path
        self.kind = kind
        self.report: ImportReport | None = None
        self._confirming = False
        self.settings = settings if settings is not None else QSettings()
        # The mapping handed to the importer as --map would be, remembered for the next file
        # with the same header. With a plan (every importer; for training, a report of
        # completions): the file's columns, each {heading: field, "ignore" or "" still to
        # choose}, with a drop-down each on the Columns tab. A training matrix: the columns
        # mapped by hand (heading -> course name or "ignore"), keyed by the report's layout.
        self.mapping: dict[str, str] = {}
        self.plan: ColumnPlan | None = None
        self.field_boxes: dict[str, QComboBox] = {}
        self._remembered_for: str | None = None
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
        self.column_fates: RowTableModel[ColumnFate] = RowTableModel(COLUMN_FATE_COLUMNS, self)
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
            if model is self.planned:
                self.planned_view = view
        self.columns_page = QWidget()
        columns_layout = QVBoxLayout(self.columns_page)
        self.mapping_help = QLabel(
            "Each column of the file, and what it is imported as. Choose another field, or "
            "“Ignore this column”; the choice is remembered for files with the same headings."
        )
        self.mapping_help.setWordWrap(True)
        self.mapping_table = QTableWidget(0, len(MAPPING_HEADINGS))
        self.mapping_table.setHorizontalHeaderLabels(list(MAPPING_HEADINGS))
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        columns_layout.addWidget(self.mapping_help)
        columns_layout.addWidget(self.mapping_table, 1)
        self.mapping_help.setVisible(False)
        self.mapping_table.setVisible(False)
        self.fates_view = make_table_view(self.column_fates)
        _wrap_long_text(self.fates_view, self.column_fates)
        columns_layout.addWidget(self.fates_view, 1)
        self.map_row = QWidget()
        map_layout = QHBoxLayout(self.map_row)
        map_layout.setContentsMargins(0, 0, 0, 0)
        self.map_column = QComboBox()
        self.map_column.currentIndexChanged.connect(self._on_map_column_changed)
        self.map_course = QComboBox()
        self.map_button = QPushButton("Map")
        self.map_button.clicked.connect(self._on_map_clicked)
        map_layout.addWidget(QLabel("Column not recognised:"))
        map_layout.addWidget(self.map_column, 1)
        map_layout.addWidget(QLabel("is"))
        map_layout.addWidget(self.map_course, 1)
        map_layout.addWidget(self.map_button)
        columns_layout.addWidget(self.map_row)
        self.map_row.setVisible(False)
        self.columns_tab = self.tabs.addTab(self.columns_page, "Columns")
        self.tabs.setTabVisible(self.columns_tab, False)
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
        if self.importer.has_mapping_step:
            self.ctx.tasks.run(
                partial(self.importer.columns, path),
                on_success=self._on_columns,
                on_failure=self._on_failed,
            )
        else:
            self._run(confirmed=None)

    def _on_columns(self, plan: ColumnPlan | None) -> None:
        """The file's columns read: take the mapping remembered for its header, or the guess;
        show it on the Columns tab, then preview. (No plan: a training matrix, whose course
        columns are mapped on the Columns tab once the preview has them.)"""
        if plan is None:
            self._run(confirmed=None)
            return
        self.plan = plan
        remembered = remembered_mapping(self.settings, self.kind, plan.layout)
        if remembered and plan.fits(remembered):
            self.mapping = remembered
            self._remembered_for = plan.layout
        else:
            if remembered:  # saved for a header it no longer fits: forget it
                forget_mapping(self.settings, self.kind, plan.layout)
            self.mapping = plan.guessed()
        self._show_mapping(plan)
        self._run(confirmed=None)

    def _show_mapping(self, plan: ColumnPlan) -> None:
        """One row per column of the file, with a drop-down of the importer's fields."""
        self.fates_view.setVisible(False)
        self.map_row.setVisible(False)
        self.mapping_help.setVisible(True)
        self.mapping_table.setVisible(True)
        self.tabs.setTabVisible(self.columns_tab, True)
        self.mapping_table.setRowCount(len(plan.columns))
        self.field_boxes = {}
        for r, column in enumerate(plan.columns):
            for c, text in enumerate((column.letter, column.header, " · ".join(column.samples))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.mapping_table.setItem(r, c, item)
            box = QComboBox()
            chosen = self.mapping.get(column.header, ASK)
            if chosen == ASK or column.ambiguous:
                could_be = " or ".join(plan.label(n) for n in column.candidates)
                box.addItem(f"Choose… ({could_be}?)" if could_be else "Choose…", ASK)
            first = list(column.candidates)
            for name in first + [f.name for f in plan.fields if f.name not in first]:
                required = any(f.required for f in plan.fields if f.name == name)
                box.addItem(plan.label(name) + (" (needed)" if required else ""), name)
            box.addItem("Ignore this column", IGNORE)
            box.setCurrentIndex(max(0, box.findData(chosen)))
            box.currentIndexChanged.connect(partial(self._on_field_chosen, column.header, box))
            self.field_boxes[column.header] = box
            self.mapping_table.setCellWidget(r, 3, box)
        self.mapping_table.resizeColumnsToContents()
        self._title_columns_tab()

    def _title_columns_tab(self) -> None:
        asked = len(self.plan.problems(self.mapping)) if self.plan is not None else 0
        self.tabs.setTabText(
            self.columns_tab, f"Columns ({asked} to choose)" if asked else "Columns"
        )

    def _on_field_chosen(self, header: str, box: QComboBox, _index: int) -> None:
        self.set_field(header, str(box.currentData()))

    def set_field(self, header: str, target: str) -> None:
        """Import the column ``header`` as the field ``target`` (or "ignore"), remember the
        mapping for files with this header, and preview again."""
        if self.plan is None:
            return
        self.mapping[header] = target
        box = self.field_boxes.get(header)
        if box is not None and box.currentData() != target:
            box.blockSignals(True)
            box.setCurrentIndex(max(0, box.findData(target)))
            box.blockSignals(False)
        remember_mapping(self.settings, self.kind, self.plan.layout, self.mapping)
        self._remembered_for = self.plan.layout
        self._title_columns_tab()
        self.report = None
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
            mapping=(
                self.plan.for_import(self.mapping)
                if self.plan is not None
                else dict(self.mapping) or None
            ),
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
        if self.plan is None and report.layout and self._remembered_for != report.layout:
            self._remembered_for = report.layout
            remembered = self._remembered(report.layout)
            if remembered and remembered != self.mapping:
                self.mapping = remembered  # the columns mapped for this layout last time
                self._run(confirmed=None)
                return
        self.report = report
        self._show_columns(report)
        self._show_planned(report)
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
        if report.column_fates:
            unmatched = report.unmatched_columns()
            columns = (
                f"{plural(len(report.column_fates) - len(unmatched), 'column')} matched or "
                "ignored on purpose"
            )
            ignored = (
                f"; {plural(len(unmatched), 'column')} not recognised (nothing imported from "
                "them: map them on the Columns tab)."
                if unmatched
                else "."
            )
            if self.mapping:
                ignored += " Columns mapped by hand: " + ", ".join(
                    f"'{k}' → {v}" for k, v in self.mapping.items()
                )
        to_choose = self.plan.problems(self.mapping) if self.plan is not None else []
        if self.plan is not None:
            plan = self.plan
            columns = ", ".join(f"'{k}' → {plan.label(v)}" for k, v in report.columns.items())
            ignored = (
                f" Columns ignored: {', '.join(report.ignored_columns)}."
                if report.ignored_columns
                else ""
            )
            if to_choose:
                ignored += "\nBefore importing, on the Columns tab: " + " ".join(to_choose)
        self.summary.setText(
            f"{report.imported:,} new, {report.updated:,} updated, {report.unchanged:,} already "
            f"up to date; {problems}.{conflicts} Columns read: {columns}."
            f"{ignored}{notices}\nNothing has been saved yet."
        )
        self.import_button.setEnabled(report.has_changes and not to_choose)
        if to_choose:
            self.tabs.setCurrentIndex(self.columns_tab)
            return
        if report.conflicts:
            self.tabs.setCurrentIndex(2)
        elif report.updates and not report.imported:
            self.tabs.setCurrentIndex(1)
        elif report.skipped and not report.planned:
            self.tabs.setCurrentIndex(3)

    def _show_planned(self, report: ImportReport) -> None:
        """The rows to be imported, with every mapped field as the file gives it."""
        plan = self.plan
        fields = [
            (f, plan.label(f) if plan is not None else f.replace("_", " ").capitalize())
            for f in report.columns.values()
            if any(f == name for p in report.planned[:1] for name, _text in p.cells)
        ]
        columns = planned_columns(fields)
        if [c.title for c in columns] != [
            str(self.planned.headerData(i, Qt.Orientation.Horizontal))
            for i in range(self.planned.columnCount())
        ]:
            self.planned = RowTableModel(columns, self)
            self.planned_view.setModel(self.planned)
        self.planned.set_rows(report.planned)
        self.planned_view.resizeColumnsToContents()

    def _show_columns(self, report: ImportReport) -> None:
        """The Columns tab: every column's fate, and the unmatched ones offered for mapping."""
        if self.plan is not None:
            return  # the mapping step (_show_mapping) is the Columns tab
        self.column_fates.set_rows(report.column_fates)
        self.tabs.setTabVisible(self.columns_tab, bool(report.column_fates))
        unmatched = [c for c in report.unmatched_columns() if c.header != "(no heading)"]
        self.tabs.setTabText(
            self.columns_tab,
            f"Columns ({len(unmatched)} not recognised)" if unmatched else "Columns",
        )
        self.map_row.setVisible(bool(unmatched))
        self.map_column.blockSignals(True)
        self.map_column.clear()
        for c in unmatched:
            self.map_column.addItem(f"{c.column}: {c.header}", c)
        self.map_column.blockSignals(False)
        self._on_map_column_changed()
        if unmatched and not report.planned:
            self.tabs.setCurrentIndex(self.columns_tab)

    def _on_map_column_changed(self, _index: int = 0) -> None:
        """The courses to choose from; for a heading that could be several, those first."""
        column = self.map_column.currentData()
        self.map_course.clear()
        self.map_course.addItem("Choose…", None)
        first = list(column.candidates) if isinstance(column, ColumnFate) else []
        names = [c.name for c in list_courses(self.ctx.db)]
        for name in first + [n for n in names if n not in first]:
            self.map_course.addItem(name, name)
        self.map_course.addItem("A new course named like the heading…", NEW_COURSE)
        self.map_course.addItem("Not a course: ignore this column", "ignore")

    def _on_map_clicked(self) -> None:
        column = self.map_column.currentData()
        target = self.map_course.currentData()
        if not isinstance(column, ColumnFate) or target is None:
            return
        if target == NEW_COURSE:
            name, ok = QInputDialog.getText(
                self, "New course", "Name of the new course:", text=column.header
            )
            if not ok or not name.strip():
                return
            if not self.create_course(name.strip()):
                return
            target = name.strip()
        self.map_to(column.header, str(target))

    def create_course(self, name: str) -> bool:
        """Add a course to the catalogue (its refresher interval is set under Courses)."""
        try:
            changes = save_course(self.ctx.db, CourseInput(name, None), expected_version=None)
        except ValidationError as exc:
            show_failure(self, exc, "Adding the course")
            return False
        self.ctx.announce(changes)
        return True

    def map_to(self, header: str, target: str) -> None:
        """Map a column (by its heading) to a course name or "ignore", remember it for this
        layout, and preview again."""
        self.mapping[header] = target
        if self.report is not None and self.report.layout:
            self._remember(self.report.layout, self.mapping)
        self.report = None
        self._run(confirmed=None)

    def _remembered(self, layout: str) -> dict[str, str]:
        return remembered_mapping(self.settings, self.kind, layout)

    def _remember(self, layout: str, mapping: dict[str, str]) -> None:
        remember_mapping(self.settings, self.kind, layout, mapping)

    def _on_failed(self, exc: BaseException) -> None:
        if (
            isinstance(exc, ValidationError)
            and self.plan is not None
            and not self._confirming
            and exc.field in (COLUMNS, "file", "map")
        ):
            # The columns as mapped do not give what the import needs: say so here, and let
            # the manager choose on the Columns tab (no message box to dismiss first).
            self.report = None
            # (While columns are still to choose, that is the thing to say: what the import
            # made of the columns left out is beside the point.)
            asked = self.plan.problems(self.mapping)
            self.summary.setText(
                (
                    "Before importing, on the Columns tab: " + " ".join(asked)
                    if asked
                    else "\n".join(p.message for p in exc.problems)
                    + "\nChoose what each column is on the Columns tab."
                )
                + " Nothing has been saved."
            )
            for model in (self.planned, self.changes, self.conflicts, self.skipped):
                model.set_rows([])
            self.import_button.setEnabled(False)
            self.tabs.setCurrentIndex(self.columns_tab)
            return
        if isinstance(exc, ValidationError) and exc.field == "map" and self.mapping:
            # A remembered mapping no longer fits (a course renamed or retired): forget it.
            if self._remembered_for:
                forget_mapping(self.settings, self.kind, self._remembered_for)
            self.mapping = {}
            show_failure(self, exc, "Importing")
            self._run(confirmed=None)
            return
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
