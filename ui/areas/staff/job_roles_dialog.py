"""Job roles: rename the seeded ASC-WDS roles or add the provider's own."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.staff.job_roles import save_job_role
from provider_desk.areas.staff.queries import JobRoleRow, list_job_roles
from provider_desk.changes import JOB_ROLES, Changes
from provider_desk.errors import Problem
from ui.context import AppContext, show_failure
from ui.dialogs.base import FormDialog
from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.widgets.tables import fit_columns, make_table_view

ROLE_COLUMNS: list[Column[JobRoleRow]] = [
    Column("Job role", lambda r: r.name),
    Column(
        "ASC-WDS code",
        lambda r: "" if r.asc_wds_code is None else str(r.asc_wds_code),
        sort=lambda r: r.asc_wds_code or 0,
        align_right=True,
    ),
    Column("Regulated activity", lambda r: "Yes" if r.regulated_activity else "No"),
    Column(
        "Staff in post",
        lambda r: str(r.staff_count),
        sort=lambda r: r.staff_count,
        align_right=True,
    ),
]


class JobRoleForm(FormDialog):
    """Name, ASC-WDS code and regulated-activity flag of one job role."""

    def __init__(self, ctx: AppContext, row: JobRoleRow | None, parent: QWidget | None = None):
        super().__init__(ctx, "Edit job role" if row else "Add job role", parent)
        self.row = row
        self.name = self.form.add("name", "Name *", QLineEdit(row.name if row else ""))
        self.code = QSpinBox()
        self.code.setRange(0, 999)
        self.code.setSpecialValueText("none")
        self.code.setValue(row.asc_wds_code or 0 if row else 0)
        self.form.add(
            "asc_wds_code",
            "ASC-WDS MAINJOBROLE",
            self.code,
            "The code ASC-WDS uses for this role (e.g. 8 = Care worker); 'none' if it "
            "has no match.",
        )
        self.regulated = QCheckBox("Does regulated activity (e.g. personal care)")
        self.regulated.setChecked(row.regulated_activity if row else True)
        self.form.add(
            "regulated_activity",
            "",
            self.regulated,
            "If ticked, a verified DBS check for people in this role needs the adults' barred "
            "list. Untick for office roles with no regulated activity.",
        )

    def build(self, problems: list[Problem]) -> tuple[str, int | None, bool]:
        return self.name.text(), self.code.value() or None, self.regulated.isChecked()

    def save(self, value: tuple[str, int | None, bool]) -> Callable[[], Changes]:
        return partial(
            save_job_role,
            self.ctx.db,
            value[0],
            value[1],
            self.row.id if self.row else None,
            regulated_activity=value[2],
            expected_version=self.row.version if self.row else None,
        )


class JobRolesDialog(QDialog):
    """The list of job roles with Add and Edit."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Job roles")
        self.resize(520, 460)
        self.model: RowTableModel[JobRoleRow] = RowTableModel(ROLE_COLUMNS, self)
        self.table = make_table_view(self.model)
        add, edit = QPushButton("Add…"), QPushButton("Edit…")
        add.clicked.connect(lambda: self._open(None))
        edit.clicked.connect(self._edit_selected)
        self.table.doubleClicked.connect(lambda _i: self._edit_selected())
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(edit)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(close)
        ctx.changed.connect(self._on_ctx_changed)
        self.refresh()

    def refresh(self) -> None:
        """Reload the roles."""
        self.ctx.tasks.run(
            partial(list_job_roles, self.ctx.db),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading job roles"),
        )

    def _on_loaded(self, rows: list[JobRoleRow]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table)

    def _on_ctx_changed(self, changes: Changes) -> None:
        if changes.touches(JOB_ROLES):
            self.refresh()

    def _edit_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._open(rows[0].data(ROW_ROLE))

    def _open(self, row: JobRoleRow | None) -> JobRoleForm:
        form = JobRoleForm(self.ctx, row, self)
        form.open()
        return form
