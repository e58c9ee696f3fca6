"""Users (registered managers only): who may sign in and in which role; add, change role,
deactivate or reactivate, reset a password; and after how long the app locks. Also the form in
which anyone changes their own password."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from provider_desk import clock
from provider_desk.auth.queries import LockSetting, UserRow, list_users, lock_setting
from provider_desk.auth.roles import Role
from provider_desk.auth.services import (
    NewUser,
    add_user,
    change_own_password,
    change_role,
    deactivate_user,
    reactivate_user,
    reset_password,
    set_lock_after_minutes,
)
from provider_desk.changes import SETTINGS, USERS, Changes
from provider_desk.errors import Problem
from provider_desk.rules.dates import format_date
from provider_desk.settings.models import LOCK_AFTER_MINUTES_RANGE
from ui.auth.sign_in import PASSWORD_HELP, password_field
from ui.context import AppContext, ask, say, show_failure
from ui.dialogs.base import FormDialog
from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.widgets.tables import fit_columns, make_table_view


def when(at: dt.datetime | None, never: str = "never") -> str:
    """A timestamp in this PC's local time: ``23 Nov 2026 09:00``."""
    if at is None:
        return never
    local = at.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


def _status(row: UserRow) -> str:
    if not row.active:
        return "Deactivated"
    if row.locked_at(clock.now()):
        return f"Locked until {row.locked_until.astimezone():%H:%M}" if row.locked_until else ""
    return "Active"


USER_COLUMNS: list[Column[UserRow]] = [
    Column("Name", lambda r: r.full_name),
    Column("User name", lambda r: r.username),
    Column("Role", lambda r: r.role.label),
    Column("Status", _status),
    Column(
        "Last sign-in",
        lambda r: when(r.last_sign_in_at),
        sort=lambda r: r.last_sign_in_at.timestamp() if r.last_sign_in_at else 0,
    ),
]


def role_box(current: Role = Role.COORDINATOR) -> QComboBox:
    """The four roles by name, ``current`` chosen."""
    box = QComboBox()
    for role in Role:
        box.addItem(role.label, role)
    box.setCurrentIndex(list(Role).index(current))
    return box


ROLE_HELP = (
    "Manager: everything. Coordinator: all records, no users or settings. Field supervisor: "
    "staff, training, supervision, spot checks. Read-only: view and export."
)


class AddUserForm(FormDialog):
    """A new user: name, user name, role and a first password."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Add user", parent, save_label="Add user")
        self.full_name = self.form.add("full_name", "Full name *", QLineEdit())
        self.username = self.form.add(
            "username", "User name *", QLineEdit(), "What they type to sign in, e.g. jsmith."
        )
        self.role = self.form.add("role", "Role", role_box(), ROLE_HELP)
        self.password = self.form.add(
            "password",
            "First password *",
            password_field(),
            PASSWORD_HELP + " Tell them in person; they change it with File > Change my password.",
        )
        self.again = self.form.add("again", "Password again *", password_field())

    def build(self, problems: list[Problem]) -> NewUser:
        if self.password.text() != self.again.text():
            problems.append(Problem("again", "The two passwords are not the same."))
        return NewUser(
            self.username.text(),
            self.full_name.text(),
            self.role.currentData(),
            self.password.text(),
        )

    def save(self, value: NewUser) -> Callable[[], Changes]:
        return partial(add_user, self.ctx.db, value)


class ChangeRoleForm(FormDialog):
    """Another role for one user."""

    def __init__(self, ctx: AppContext, row: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Change {row.full_name}'s role", parent, save_label="Change role")
        self.row = row
        self.role = self.form.add("role", "Role", role_box(row.role), ROLE_HELP)

    def build(self, problems: list[Problem]) -> Role:
        role: Role = self.role.currentData()
        return role

    def save(self, value: Role) -> Callable[[], Changes]:
        return partial(change_role, self.ctx.db, self.row.id, value)


class ResetPasswordForm(FormDialog):
    """A new password for another user (also unlocks a locked account)."""

    def __init__(self, ctx: AppContext, row: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx, f"Reset {row.full_name}'s password", parent, save_label="Reset password"
        )
        self.row = row
        self.password = self.form.add(
            "password",
            "New password *",
            password_field(),
            PASSWORD_HELP + " This also unlocks the account. Tell them in person.",
        )
        self.again = self.form.add("again", "Password again *", password_field())

    def build(self, problems: list[Problem]) -> str:
        if self.password.text() != self.again.text():
            problems.append(Problem("again", "The two passwords are not the same."))
        return self.password.text()

    def save(self, value: str) -> Callable[[], Changes]:
        return partial(reset_password, self.ctx.db, self.row.id, value)


class ChangeOwnPasswordForm(FormDialog):
    """The signed-in user's own password: the current one, then the new one twice."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Change my password", parent, save_label="Change password")
        self.current = self.form.add("current", "Current password *", password_field())
        self.new = self.form.add("new", "New password *", password_field(), PASSWORD_HELP)
        self.again = self.form.add("again", "New password again *", password_field())

    def build(self, problems: list[Problem]) -> tuple[str, str]:
        if self.new.text() != self.again.text():
            problems.append(Problem("again", "The two new passwords are not the same."))
        return self.current.text(), self.new.text()

    def save(self, value: tuple[str, str]) -> Callable[[], Changes]:
        return partial(change_own_password, self.ctx.db, value[0], value[1], clock.now())


class UsersDialog(QDialog):
    """Every user with role, status and last sign-in; the actions on the selected one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Users")
        self.resize(760, 480)
        self.model: RowTableModel[UserRow] = RowTableModel(USER_COLUMNS, self)
        self.table = make_table_view(self.model)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.add_button = QPushButton("Add user…")
        self.role_button = QPushButton("Change role…")
        self.active_button = QPushButton("Deactivate")
        self.reset_button = QPushButton("Reset password…")
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(lambda: self._with_selected(self.change_role))
        self.active_button.clicked.connect(lambda: self._with_selected(self.toggle_active))
        self.reset_button.clicked.connect(lambda: self._with_selected(self.reset_password))
        self.table.doubleClicked.connect(lambda _i: self._with_selected(self.change_role))
        buttons = QHBoxLayout()
        for b in (self.add_button, self.role_button, self.active_button, self.reset_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        note = QLabel(
            "Users who leave are deactivated, never deleted: their name stays in the change log "
            "and on what they recorded. The registered manager's own password, if forgotten, is "
            "reset with the database file itself (see README, 'Forgotten password')."
        )
        note.setWordWrap(True)
        note.setObjectName("fieldHelp")
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(*LOCK_AFTER_MINUTES_RANGE)
        self.lock_minutes.setSuffix(" minutes")
        self.lock_save = QPushButton("Save")
        self.lock_save.clicked.connect(self.save_lock_minutes)
        self.lock_save.setEnabled(False)  # until the setting (and its version) is read
        self._settings_version = 0
        lock_row = QHBoxLayout()
        lock_row.addWidget(QLabel("Lock Provider Desk after"))
        lock_row.addWidget(self.lock_minutes)
        lock_row.addWidget(QLabel("without use (on every PC)"))
        lock_row.addWidget(self.lock_save)
        lock_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addLayout(lock_row)
        layout.addWidget(close)
        ctx.changed.connect(self._on_ctx_changed)
        self._enable()
        self.refresh()

    def refresh(self) -> None:
        """Reload the users and the lock setting."""
        db = self.ctx.db
        self.ctx.tasks.run(
            lambda: (list_users(db), lock_setting(db)),
            on_success=self._on_loaded,
            on_failure=lambda e: show_failure(self, e, "Loading users"),
        )

    def _on_loaded(self, loaded: tuple[list[UserRow], LockSetting]) -> None:
        rows, lock = loaded
        chosen = self.selected()
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.lock_minutes.setValue(lock.minutes)
        self._settings_version = lock.version
        self.lock_save.setEnabled(True)
        if chosen is not None:
            for i, row in enumerate(self.model.rows()):
                if row.id == chosen.id:
                    self.table.selectRow(i)
        self._enable()

    def _on_ctx_changed(self, changes: Changes) -> None:
        if changes.touches(USERS, SETTINGS):
            self.refresh()

    def selected(self) -> UserRow | None:
        """The user whose row is selected."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _enable(self) -> None:
        row = self.selected()
        for b in (self.role_button, self.active_button, self.reset_button):
            b.setEnabled(row is not None)
        self.active_button.setText(
            "Reactivate" if row is not None and not row.active else "Deactivate"
        )

    def _with_selected(self, action: Callable[[UserRow], Any]) -> None:
        row = self.selected()
        if row is not None:
            action(row)

    def add_user(self) -> AddUserForm:
        """Open the Add user form."""
        form = AddUserForm(self.ctx, self)
        form.open()
        return form

    def change_role(self, row: UserRow) -> ChangeRoleForm:
        """Open the role form for ``row``."""
        form = ChangeRoleForm(self.ctx, row, self)
        form.open()
        return form

    def reset_password(self, row: UserRow) -> ResetPasswordForm:
        """Open the reset-password form for ``row``."""
        form = ResetPasswordForm(self.ctx, row, self)
        form.open()
        return form

    def toggle_active(self, row: UserRow) -> None:
        """Deactivate an active user (after asking), or reactivate a deactivated one."""
        if row.active:
            if not ask(
                self,
                "Deactivate user",
                f"Deactivate {row.full_name}? They can no longer sign in; their name stays on "
                "what they recorded, and you can reactivate them later.",
            ):
                return
            call = partial(deactivate_user, self.ctx.db, row.id)
            done = f"{row.full_name} is deactivated."
        else:
            call = partial(reactivate_user, self.ctx.db, row.id)
            done = f"{row.full_name} can sign in again."
        self._run(call, done)

    def save_lock_minutes(self) -> None:
        """Save after how many minutes without use the app locks."""
        minutes = self.lock_minutes.value()
        self._run(
            partial(
                set_lock_after_minutes,
                self.ctx.db,
                minutes,
                expected_version=self._settings_version,
            ),
            f"Provider Desk now locks after {minutes} minutes without use.",
        )

    def _run(self, call: Callable[[], Changes], done: str) -> None:
        def succeeded(changes: Changes) -> None:
            self.ctx.announce(changes)
            say(self.parentWidget() or self, done)

        self.ctx.tasks.run(
            call, on_success=succeeded, on_failure=lambda e: show_failure(self, e, "Saving")
        )
