"""The app locks itself after a period without use (an organisation setting, 15 minutes unless the
registered manager changes it): every window is covered, and only the same user's password opens
it again. Nothing is closed, so an open form keeps what was typed. Another person signs out (which
closes open forms) and signs in afresh."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from provider_desk import clock
from provider_desk.errors import Problem, StorageError, ValidationError
from ui.auth.sign_in import fit_height, password_field
from ui.context import ask, show_failure
from ui.widgets.form import FieldForm

if TYPE_CHECKING:
    from provider_desk.auth.roles import Actor
    from ui.context import AppContext

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
"""What counts as someone using the app."""


class _Curtain(QWidget):
    """An opaque cover over one window while the app is locked (what is under it stays as it
    was, out of sight)."""

    def __init__(self, window: QWidget, text: str) -> None:
        super().__init__(window)
        self.setObjectName("lockCurtain")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#lockCurtain { background: #1f3a4d; } QLabel { color: white; }")
        label = QLabel(text, self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


class UnlockDialog(QDialog):
    """The password of the user who is signed in, or Sign out."""

    sign_out_chosen = Signal()

    def __init__(self, lock: InactivityLock, parent: QWidget) -> None:
        super().__init__(parent)
        self.lock = lock
        self.setWindowTitle("Provider Desk is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(480)
        actor = lock.actor
        intro = QLabel(
            f"<b>Locked after a while without use.</b><p>Signed in as {actor.name} "
            f"({actor.role.label}). Type your password to go on: everything you had open is "
            "as you left it.</p>"
        )
        intro.setWordWrap(True)
        self.form = FieldForm(self)
        self.password = self.form.add("password", "Password", password_field())
        self.buttons = QDialogButtonBox(self)
        self.unlock_button: QPushButton = self.buttons.addButton(
            "Unlock", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.unlock_button.setDefault(True)
        self.sign_out_button: QPushButton = self.buttons.addButton(
            "Sign out…", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.sign_out_button.setToolTip(
            "For someone else to sign in: closes the open forms (what is not saved in them is "
            "lost)."
        )
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.sign_out_button.clicked.connect(self.sign_out_chosen.emit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form.general_error)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def reject(self) -> None:
        """Escape does not unlock: the dialog stays until the password or Sign out."""

    def _on_unlock_clicked(self) -> None:
        from provider_desk.auth.services import confirm_password

        self.form.clear_errors()
        if not self.password.text():
            self.form.show_problems([Problem("password", "Type your password.")])
            return
        self.buttons.setEnabled(False)
        ctx = self.lock.ctx
        ctx.tasks.run(
            partial(confirm_password, ctx.db, self.lock.actor, self.password.text(), clock.now()),
            on_success=self._on_confirmed,
            on_failure=self._on_failed,
        )

    def _on_confirmed(self, _actor: Actor) -> None:
        self.buttons.setEnabled(True)
        self.lock.unlock()

    def _on_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
            fit_height(self)
            self.password.clear()
            self.password.setFocus()
        elif isinstance(exc, StorageError):
            show_failure(self, exc, "Unlocking")
        else:
            raise exc


class InactivityLock(QObject):
    """Watches for key presses and clicks anywhere in the app; after ``minutes`` without any,
    covers every window and asks for the signed-in user's password."""

    locked = Signal()
    unlocked = Signal()
    sign_out_requested = Signal()  # the user chose Sign out and closed the open forms

    def __init__(self, window: QWidget, ctx: AppContext, minutes: int = 15) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.actor: Actor = ctx.db.actor
        self.dialog: UnlockDialog | None = None
        self._curtains: list[_Curtain] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        self.set_timeout_ms(minutes * 60_000)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def stop(self) -> None:
        """Stop watching (the window is closing)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    @property
    def is_locked(self) -> bool:
        """True while the windows are covered."""
        return self.dialog is not None

    def set_timeout_ms(self, ms: int) -> None:
        """Lock after ``ms`` milliseconds without use (counted from now)."""
        self._timer.setInterval(max(ms, 1))
        if not self.is_locked:
            self._timer.start()

    def set_minutes(self, minutes: int) -> None:
        """Lock after ``minutes`` without use (the organisation setting)."""
        self.set_timeout_ms(minutes * 60_000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self.dialog is None:
            self._timer.start()
        return False

    def open_forms(self) -> list[QWidget]:
        """The windows open besides the main window (forms and dialogs), not the lock's own."""
        return [
            w
            for w in QApplication.topLevelWidgets()
            if w.isWindow() and w.isVisible() and w is not self.window and w is not self.dialog
        ]

    def lock(self) -> None:
        """Cover every window and ask for the password (nothing is closed)."""
        if self.is_locked or not self.window.isVisible():
            return
        self._timer.stop()
        text = f"Provider Desk is locked.\n{self.actor.name} is signed in."
        for w in [self.window, *self.open_forms()]:
            self._curtains.append(_Curtain(w, text))
        self.dialog = UnlockDialog(self, self.window)
        self.dialog.sign_out_chosen.connect(self._on_sign_out_chosen)
        # show(), not open(): open() would make it modal to the main window only, and a form
        # open over the main window would still take key presses.
        self.dialog.show()
        self.dialog.activateWindow()
        self.locked.emit()

    def unlock(self) -> None:
        """Uncover the windows, as they were."""
        for curtain in self._curtains:
            parent = curtain.parentWidget()
            if parent is not None:
                parent.removeEventFilter(curtain)
            curtain.hide()
            curtain.deleteLater()
        self._curtains.clear()
        if self.dialog is not None:
            dialog, self.dialog = self.dialog, None
            dialog.hide()
            dialog.deleteLater()
        self._timer.start()
        self.unlocked.emit()

    def _on_sign_out_chosen(self) -> None:
        forms = self.open_forms()
        if forms and not ask(
            self.dialog or self.window,
            "Sign out",
            f"Signing out closes {len(forms)} open form{'s' if len(forms) != 1 else ''}; "
            "anything not saved in them is lost. Sign out?",
        ):
            return
        for form in forms:
            if isinstance(form, QDialog):
                form.reject()
            form.close()
        self.unlock()
        self._timer.stop()
        self.sign_out_requested.emit()
