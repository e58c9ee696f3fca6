"""Kinds of session: default intervals, templates of sections, and intervals per job role."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.staff.queries import Choice, job_role_choices_in
from provider_desk.areas.supervision.queries import KindRow, list_kinds_in
from provider_desk.areas.supervision.services import save_kind
from provider_desk.changes import SUPERVISION, Changes
from provider_desk.errors import Problem
from ui.context import AppContext, show_failure
from ui.dialogs.base import FormDialog
from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.widgets.tables import fit_columns, make_table_view

DEFAULT, NOT_REQUIRED = "default", "not required"
KIND_COLUMNS: list[Column[KindRow]] = [
    Column("Kind", lambda k: k.name),
    Column("When", lambda k: k.interval_text, tooltip=lambda k: k.note),
    Column(
        "Roles with their own interval",
        lambda k: str(len(k.role_intervals)),
        sort=lambda k: len(k.role_intervals),
    ),
    Column("Sections", lambda k: str(len(k.sections)), sort=lambda k: len(k.sections)),
]


class KindForm(FormDialog):
    """One kind: its name, default interval, template and per-role intervals."""

    def __init__(
        self, ctx: AppContext, kind: KindRow, roles: list[Choice], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, f"{kind.name}: interval and template", parent)
        self.kind = kind
        f = self.form
        self.name = f.add("name", "Name *", QLineEdit(kind.name))
        self.months = QSpinBox()
        self.months.setRange(0, 60)
        self.months.setSpecialValueText("only for the roles below")
        self.months.setSuffix(" months")
        self.months.setValue(kind.interval_months or 0)
        self.months.setEnabled(not kind.milestones_months)
        f.add("interval_months", "Every", self.months, kind.note)
        self.sections = QPlainTextEdit("\n".join(kind.sections))
        self.sections.setFixedHeight(120)
        f.add(
            "sections",
            "Sections",
            self.sections,
            "One heading per line. Past records keep the sections they were written with.",
        )
        self.roles = QTableWidget(len(roles), 2)
        self.roles.setHorizontalHeaderLabels(["Job role", "Interval"])
        self.roles.verticalHeader().hide()
        self.roles.horizontalHeader().setStretchLastSection(True)
        self.role_combos: dict[int, QComboBox] = {}
        for i, role in enumerate(roles):
            self.roles.setCellWidget(i, 0, QLabel(role.label))
            combo = QComboBox()
            combo.addItem("Default", DEFAULT)
            combo.addItem("Not required", NOT_REQUIRED)
            for m in range(1, 25):
                combo.addItem(f"Every {m} month{'s' if m > 1 else ''}", m)
            if role.id in kind.role_intervals:
                months = kind.role_intervals[role.id]
                combo.setCurrentIndex(combo.findData(NOT_REQUIRED if months is None else months))
            self.roles.setCellWidget(i, 1, combo)
            self.role_combos[role.id] = combo
        self.roles.setFixedHeight(220)
        f.add(
            "role_intervals",
            "By job role",
            self.roles,
            "Override the interval for a role, or say the kind does not apply to it.",
        )

    def build(self, problems: list[Problem]) -> dict[str, object]:
        roles: dict[int, int | None] = {}
        for role_id, combo in self.role_combos.items():
            data = combo.currentData()
            if data == NOT_REQUIRED:
                roles[role_id] = None
            elif data != DEFAULT:
                roles[role_id] = int(data)
        return {
            "name": self.name.text(),
            "interval_months": self.months.value() or None,
            "sections": self.sections.toPlainText().splitlines(),
            "role_intervals": roles,
        }

    def save(self, value: dict[str, object]) -> Callable[[], Changes]:
        return partial(
            save_kind,
            self.ctx.db,
            self.kind.kind,
            expected_version=self.kind.version,
            **value,  # type: ignore[arg-type]
        )


class KindsDialog(QDialog):
    """The kinds of session, with Edit."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.roles: list[Choice] = []
        self.setWindowTitle("Supervision kinds and intervals")
        self.resize(760, 380)
        self.model: RowTableModel[KindRow] = RowTableModel(KIND_COLUMNS, self)
        self.table = make_table_view(self.model)
        edit = QPushButton("Edit…")
        edit.clicked.connect(self._edit_selected)
        self.table.doubleClicked.connect(lambda _i: self._edit_selected())
        self.table.activated.connect(lambda _i: self._edit_selected())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(close)
        ctx.changed.connect(lambda c: self.refresh() if c.touches(SUPERVISION) else None)
        self.refresh()

    def refresh(self) -> None:
        """Reload the kinds."""
        db = self.ctx.db
        self.ctx.tasks.run(
            lambda: db.read(lambda s: (list_kinds_in(s), job_role_choices_in(s))),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading kinds"),
        )

    def _on_loaded(self, loaded: tuple[list[KindRow], list[Choice]]) -> None:
        kinds, self.roles = loaded
        self.model.set_rows(kinds)
        fit_columns(self.table)

    def _edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_form(rows[0].data(ROW_ROLE))

    def open_form(self, kind: KindRow) -> KindForm:
        """Edit one kind."""
        form = KindForm(self.ctx, kind, self.roles, self)
        form.open()
        return form
