"""Signing in: the registered manager's account on first start, then a sign-in dialog before any
data is shown. Passwords are checked on a worker thread (Argon2 takes a fifth of a second)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from provider_desk import clock
from provider_desk.auth.passwords import MIN_PASSWORD_LENGTH
from provider_desk.auth.roles import Actor
from provider_desk.errors import Problem, StorageError, ValidationError
from ui.context import show_failure
from ui.tasks import TaskRunner
from ui.widgets.form import FieldForm

if TYPE_CHECKING:
    from provider_desk.db.session import Database

PASSWORD_HELP = (
    f"At least {MIN_PASSWORD_LENGTH} characters. Three random words are easy to remember and "
    "hard to guess (e.g. kettle-violet-harbour)."
)


def fit_height(dialog: QDialog) -> None:
    """Make ``dialog`` tall enough for its wrapped text at its width (a message shown under a
    field, a long intro), which Qt does not do by itself for a top-level window."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    wanted = layout.totalHeightForWidth(dialog.width())
    if wanted > dialog.height():
        dialog.resize(dialog.width(), wanted)


def password_field() -> QLineEdit:
    """A line edit that shows dots instead of what is typed."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _CredentialsDialog(QDialog):
    """A small form whose main button runs a core call in the background and emits
    ``signed_in`` with the Actor it returns."""

    signed_in = Signal(object)  # Actor

    def __init__(self, title: str, button: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.tasks = TaskRunner(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("dialogIntro")
        self.form = FieldForm(self)
        self.buttons = QDialogButtonBox(self)
        self.ok: QPushButton = self.buttons.addButton(
            button, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok.setDefault(True)
        self.cancel: QPushButton = self.buttons.addButton(
            "Quit", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.form.general_error)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        fit_height(self)

    def call(self, problems: list[Problem]) -> Callable[[], Actor] | None:
        """The core call for what was typed (None, with ``problems``, if it cannot be made)."""
        raise NotImplementedError

    def _on_buttons_accepted(self) -> None:
        self.form.clear_errors()
        problems: list[Problem] = []
        call = self.call(problems)
        if problems or call is None:
            self.form.show_problems(problems)
            fit_height(self)
            return
        self.buttons.setEnabled(False)
        self.tasks.run(call, on_success=self._on_done, on_failure=self._on_failed)

    def _on_done(self, actor: Actor) -> None:
        self.buttons.setEnabled(True)
        self.signed_in.emit(actor)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
            fit_height(self)
            self.after_refusal()
        elif isinstance(exc, StorageError):
            show_failure(self, exc, "Signing in")
        else:
            raise exc

    def after_refusal(self) -> None:
        """Ready the form for another try."""

    def done(self, result: int) -> None:
        self.tasks.wait()  # never leave a worker checking a password for a closed dialog
        super().done(result)


class SignInDialog(_CredentialsDialog):
    """User name and password, checked by ``sign_in``."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Sign in to Provider Desk", "Sign in", parent)
        self.db = db
        self.intro.setText(f"Sign in to work on the database at {db.location}.")
        self.username = self.form.add("username", "User name", QLineEdit())
        self.password = self.form.add("password", "Password", password_field())
        self.username.setFocus()

    def call(self, problems: list[Problem]) -> Callable[[], Actor] | None:
        from provider_desk.auth.services import sign_in

        if not self.username.text().strip():
            problems.append(Problem("username", "Type your user name."))
        if not self.password.text():
            problems.append(Problem("password", "Type your password."))
        if problems:
            return None
        return partial(sign_in, self.db, self.username.text(), self.password.text(), clock.now())

    def after_refusal(self) -> None:
        self.password.clear()
        self.password.setFocus()


class FirstManagerDialog(_CredentialsDialog):
    """The first start of a database with no users: the registered manager's account."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__("Create the registered manager's account", "Create account", parent)
        self.db = db
        self.intro.setText(
            "<b>Create the registered manager's account.</b><p>This database has no user "
            "accounts yet. From now on everyone signs in with their own name and password, and "
            "the registered manager adds the other users (Settings &gt; Users). The change log "
            "records who made each change.</p>"
        )
        self.full_name = self.form.add(
            "full_name", "Full name", QLineEdit(), "As it should appear in the change log."
        )
        self.username = self.form.add(
            "username", "User name", QLineEdit(), "What you type to sign in, e.g. jsmith."
        )
        self.password = self.form.add("password", "Password", password_field(), PASSWORD_HELP)
        self.again = self.form.add("again", "Password again", password_field())
        self.full_name.setFocus()

    def call(self, problems: list[Problem]) -> Callable[[], Actor] | None:
        from provider_desk.auth.services import create_first_manager

        if self.password.text() != self.again.text():
            problems.append(Problem("again", "The two passwords are not the same."))
            return None
        return partial(
            create_first_manager,
            self.db,
            self.username.text(),
            self.full_name.text(),
            self.password.text(),
        )


def ask_who(
    db: Database,
    parent: QWidget | None,
    on_signed_in: Callable[[Database], None],
    on_cancelled: Callable[[], object],
) -> _CredentialsDialog:
    """Show the sign-in dialog (or, on a database with no users, the registered manager's
    account) over ``parent``. Once someone has signed in, ``db`` is closed and
    ``on_signed_in`` gets the database opened again as that user."""
    from provider_desk.auth.services import has_users
    from provider_desk.db.session import Database

    dialog: _CredentialsDialog = (
        SignInDialog(db, parent) if has_users(db) else FirstManagerDialog(db, parent)
    )

    def signed_in(actor: Actor) -> None:
        db.dispose()
        on_signed_in(Database(db.url, actor=actor))

    dialog.signed_in.connect(signed_in)
    dialog.rejected.connect(on_cancelled)
    dialog.open()
    return dialog
