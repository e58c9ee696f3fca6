"""Add or edit a staff member; record a leaver."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from provider_desk.areas.staff import services as staff_service
from provider_desk.areas.staff.queries import Choice, StaffRow
from provider_desk.areas.staff.rules import ContractType, StaffStatus
from provider_desk.changes import Changes
from provider_desk.errors import Problem
from ui.context import AppContext, ask
from ui.dialogs.base import FormDialog
from ui.widgets.date_field import DateField


def _fill(combo: QComboBox, choices: list[Choice], blank: str | None = None) -> None:
    if blank is not None:
        combo.addItem(blank, None)
    for c in choices:
        combo.addItem(c.label, c.id)


def _select(combo: QComboBox, data: object) -> None:
    i = combo.findData(data)
    combo.setCurrentIndex(max(i, 0))


class StaffDialog(FormDialog):
    """The staff member form. ``row`` None adds someone new."""

    history_table = "staff_member"

    def __init__(
        self,
        ctx: AppContext,
        roles: list[Choice],
        managers: list[Choice],
        teams: list[str],
        row: StaffRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Edit staff member" if row else "Add staff member", parent)
        self.row = row
        self.allow_duplicate = False
        f = self.form
        self.first_name = f.add("first_name", "First name *", QLineEdit())
        self.last_name = f.add("last_name", "Last name *", QLineEdit())
        self.preferred_name = f.add(
            "preferred_name",
            "Preferred name",
            QLineEdit(),
            "What colleagues and people we support call them.",
        )
        self.job_role = QComboBox()
        _fill(self.job_role, roles, "Choose…")
        f.add("job_role_id", "Job role *", self.job_role)
        self.team = QComboBox()
        self.team.setEditable(True)
        self.team.addItems(["", *teams])
        f.add("team", "Team", self.team, "Type a new team name or pick one already in use.")
        self.contract = QComboBox()
        for c in ContractType:
            self.contract.addItem(c.value.capitalize(), c.value)
        f.add("contract_type", "Contract type", self.contract)
        self.start_date = f.add("start_date", "Start date *", DateField(optional=False))
        self.status = QComboBox()
        for st in StaffStatus:
            self.status.addItem(st.value.capitalize(), st.value)
        f.add(
            "status",
            "Status",
            self.status,
            "Leavers are kept on record (never deleted) and drop out of due lists.",
        )
        self.leaving_date = f.add("leaving_date", "Leaving date", DateField())
        self.line_manager = QComboBox()
        _fill(self.line_manager, [m for m in managers if row is None or m.id != row.id], "(none)")
        f.add("line_manager_id", "Line manager", self.line_manager)
        self.asc_wds = f.add(
            "asc_wds_worker_id",
            "ASC-WDS worker id",
            QLineEdit(),
            "The reference you give this person in your ASC-WDS bulk-upload files (the "
            "'unique worker ID' column, UNIQUEWORKERID): for example their payroll number. "
            "Optional, up to 50 characters; needed only to send training to ASC-WDS.",
        )
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        f.add("notes", "Notes", self.notes)
        if row is not None:
            self.first_name.setText(row.first_name)
            self.last_name.setText(row.last_name)
            self.preferred_name.setText(row.preferred_name)
            _select(self.job_role, row.job_role_id)
            self.team.setCurrentText(row.team)
            _select(self.contract, row.contract_type)
            self.start_date.set_date(row.start_date)
            _select(self.status, row.status)
            self.leaving_date.set_date(row.leaving_date)
            _select(self.line_manager, row.line_manager_id)
            self.asc_wds.setText(row.asc_wds_worker_id)
            self.notes.setPlainText(row.notes)
        else:
            self.start_date.set_date(ctx.today())

    def build(self, problems: list[Problem]) -> staff_service.StaffInput:
        f = self.form
        return staff_service.StaffInput(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            preferred_name=self.preferred_name.text(),
            job_role_id=self.job_role.currentData(),
            team=self.team.currentText(),
            contract_type=self.contract.currentData(),
            start_date=f.read_date("start_date", problems),
            leaving_date=f.read_date("leaving_date", problems),
            status=self.status.currentData(),
            line_manager_id=self.line_manager.currentData(),
            asc_wds_worker_id=self.asc_wds.text(),
            notes=self.notes.toPlainText(),
        )

    def save(self, value: staff_service.StaffInput) -> Callable[[], Changes]:
        db, today = self.ctx.db, self.ctx.today()
        if self.row is None:
            return partial(
                staff_service.add_staff,
                db,
                value,
                today=today,
                allow_duplicate=self.allow_duplicate,
            )
        return partial(
            staff_service.update_staff,
            db,
            self.row.id,
            value,
            expected_version=self.row.version,
            today=today,
        )

    def on_conflict(self, exc: BaseException) -> bool:
        if not isinstance(exc, staff_service.PossibleDuplicate):
            return False
        answer = ask(
            self,
            "Possible duplicate",
            f"{exc.problems[0].message}\n\nIs this a different person with the same name? "
            "Choose Yes to add them anyway.",
        )
        if answer:
            self.allow_duplicate = True
            self._on_buttons_accepted()
        return True


class LeaverDialog(FormDialog):
    """Record that someone has left: they are archived, never deleted."""

    def __init__(self, ctx: AppContext, row: StaffRow, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, f"Record {row.full_name} as a leaver", parent, save_label="Record leaver"
        )
        self.row = row
        self.leaving_date = self.form.add(
            "leaving_date",
            "Leaving date *",
            DateField(optional=False),
            "Their record and checks stay on file for inspection; they drop out of due lists. "
            "You can undo this by editing them and setting the status back to Active.",
        )
        self.leaving_date.set_date(ctx.today())

    def build(self, problems: list[Problem]) -> date | None:
        value = self.form.read_date("leaving_date", problems)
        if value is None and not problems:
            problems.append(Problem("leaving_date", "Enter the leaving date."))
        return value

    def save(self, value: date) -> Callable[[], Changes]:
        # build() reported a problem for a missing date, so Save only gets here with one.
        return partial(
            staff_service.record_leaver,
            self.ctx.db,
            self.row.id,
            value,
            expected_version=self.row.version,
            today=self.ctx.today(),
        )
