"""Signing in in the app: the registered manager's account on first start, the sign-in dialog,
the inactivity lock that keeps open forms, the Users dialog, and greyed-out actions."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from provider_desk.areas.opening import open_database
from provider_desk.auth.roles import Role
from provider_desk.auth.services import NewUser, add_user, create_first_manager
from provider_desk.db.session import Database
from tests.ui.conftest import click_save, wait_idle
from ui import app
from ui.auth.lock import UnlockDialog, _Curtain
from ui.auth.sign_in import FirstManagerDialog, SignInDialog
from ui.auth.users_dialog import UsersDialog
from ui.main_window import MainWindow

PASSWORD = "kettle-violet-harbour"
SHOTS = os.environ.get("PROVIDER_DESK_SHOTS")
"""Set to a folder to save screenshots of the dialogs (to look at them)."""


def shot(widget: object, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.fixture
def office(db_path: Path) -> Path:
    """A database with a registered manager and a read-only user."""
    db, _ = open_database(str(db_path), create=True)
    manager = create_first_manager(db, "jsmith", "Jane Smith", PASSWORD)
    add_user(
        Database(db.url, actor=manager),
        NewUser("reader", "Rita Reader", Role.READ_ONLY, "copper-lantern-meadow"),
    )
    db.dispose()
    return db_path


@pytest.fixture
def opened(qtbot: QtBot, qsettings: QSettings) -> Iterator[list[MainWindow]]:
    windows: list[MainWindow] = []
    yield windows
    for w in windows:
        if hasattr(w, "ctx"):
            wait_idle(qtbot, w.ctx)
        w.close()


def start(
    qtbot: QtBot, path: Path | None, qsettings: QSettings, windows: list[MainWindow]
) -> MainWindow:
    window = app.open_window(str(path) if path is not None else None, qsettings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    windows.append(window)
    return window


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.clear()
    qtbot.keyClicks(field, text)


def sign_in(qtbot: QtBot, window: MainWindow, name: str, password: str) -> SignInDialog:
    dialog = window.sign_in_dialog
    assert isinstance(dialog, SignInDialog)
    type_into(qtbot, dialog.username, name)
    type_into(qtbot, dialog.password, password)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    return dialog


def signed_in(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: hasattr(window, "ctx"), timeout=10000)
    wait_idle(qtbot, window.ctx)


def test_first_start_creates_the_registered_managers_account(
    qtbot: QtBot,
    db_path: Path,
    qsettings: QSettings,
    opened: list[MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The first start: no database named (here the environment points at a new file), none
    # there yet, so the app creates it.
    monkeypatch.setenv("PROVIDER_DESK_DATABASE_URL", str(db_path))
    window = start(qtbot, None, qsettings, opened)
    dialog = window.sign_in_dialog
    assert isinstance(dialog, FirstManagerDialog)
    assert dialog.windowTitle() == "Create the registered manager's account"
    assert not hasattr(window, "ctx")  # nothing is shown before someone has signed in
    type_into(qtbot, dialog.full_name, "Jane Smith")
    type_into(qtbot, dialog.username, "JSmith")
    type_into(qtbot, dialog.password, PASSWORD)
    type_into(qtbot, dialog.again, PASSWORD + "x")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.form.errors["again"].text()
    type_into(qtbot, dialog.again, PASSWORD)
    shot(dialog, "first-start")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    signed_in(qtbot, window)
    assert window.user_label.text() == "Signed in as Jane Smith (Registered manager)"
    assert window.ctx.db.actor.user_id is not None and window.users_action.isEnabled()
    shot(window, "main-window-signed-in")


def test_sign_in_refuses_a_wrong_password_then_signs_in(
    qtbot: QtBot, office: Path, qsettings: QSettings, opened: list[MainWindow]
) -> None:
    window = start(qtbot, office, qsettings, opened)
    dialog = sign_in(qtbot, window, "jsmith", "not my password")
    qtbot.waitUntil(lambda: bool(dialog.form.errors["password"].text()), timeout=10000)
    assert "user name or password is not right" in dialog.form.errors["password"].text()
    assert dialog.password.text() == "" and not hasattr(window, "ctx")
    shot(dialog, "sign-in-wrong-password")
    sign_in(qtbot, window, "JSMITH", PASSWORD)
    signed_in(qtbot, window)
    assert window.user_label.text() == "Signed in as Jane Smith (Registered manager)"


def test_the_lock_keeps_an_open_form_and_needs_the_same_password(
    qtbot: QtBot, office: Path, qsettings: QSettings, opened: list[MainWindow]
) -> None:
    window = start(qtbot, office, qsettings, opened)
    sign_in(qtbot, window, "jsmith", PASSWORD)
    signed_in(qtbot, window)
    form = window.edit_settings()
    field = form.form.fields["provider_name"]
    assert isinstance(field, QLineEdit)
    type_into(qtbot, field, "Half-typed Homecare")
    lock = window.lock
    assert lock is not None
    lock.set_timeout_ms(50)
    qtbot.waitUntil(lambda: lock.is_locked, timeout=5000)
    lock.set_timeout_ms(600_000)  # once unlocked, it must not lock again while the test looks
    assert isinstance(lock.dialog, UnlockDialog)
    assert lock.dialog.windowModality() == Qt.WindowModality.ApplicationModal
    covered = {c.parentWidget() for c in window.findChildren(_Curtain)}
    covered |= {c.parentWidget() for c in form.findChildren(_Curtain)}
    assert covered == {window, form}  # the data and the form are out of sight
    assert form.isVisible()
    shot(window, "locked-window")
    shot(lock.dialog, "unlock-dialog")
    type_into(qtbot, lock.dialog.password, "not my password")
    qtbot.mouseClick(lock.dialog.unlock_button, Qt.MouseButton.LeftButton)
    unlock = lock.dialog
    qtbot.waitUntil(lambda: bool(unlock.form.errors["password"].text()), timeout=10000)
    assert lock.is_locked
    type_into(qtbot, unlock.password, PASSWORD)
    qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=10000)
    assert form.isVisible() and field.text() == "Half-typed Homecare"
    qtbot.waitUntil(lambda: not window.findChildren(_Curtain) and not form.findChildren(_Curtain))
    form.reject()


def test_sign_out_at_the_lock_asks_and_closes_open_forms(
    qtbot: QtBot,
    office: Path,
    qsettings: QSettings,
    opened: list[MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = start(qtbot, office, qsettings, opened)
    sign_in(qtbot, window, "jsmith", PASSWORD)
    signed_in(qtbot, window)
    form = window.edit_settings()
    lock = window.lock
    assert lock is not None
    lock.lock()
    asked: list[str] = []
    monkeypatch.setattr("ui.auth.lock.ask", lambda _p, _t, text: asked.append(text) or False)
    assert lock.dialog is not None
    qtbot.mouseClick(lock.dialog.sign_out_button, Qt.MouseButton.LeftButton)
    assert "closes 1 open form" in asked[0] and form.isVisible() and lock.is_locked
    monkeypatch.setattr("ui.auth.lock.ask", lambda *_a: True)
    with qtbot.waitSignal(window.sign_out_requested):
        qtbot.mouseClick(lock.dialog.sign_out_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    new = window.replacement  # type: ignore[attr-defined]
    opened.append(new)
    qtbot.addWidget(new)
    assert isinstance(new.sign_in_dialog, SignInDialog) and not hasattr(new, "ctx")
    new.sign_in_dialog.reject()


def test_users_dialog_adds_and_deactivates_a_user(
    qtbot: QtBot,
    office: Path,
    qsettings: QSettings,
    opened: list[MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = start(qtbot, office, qsettings, opened)
    sign_in(qtbot, window, "jsmith", PASSWORD)
    signed_in(qtbot, window)
    users = window.edit_users()
    assert isinstance(users, UsersDialog)
    wait_idle(qtbot, window.ctx)
    assert [r.username for r in users.model.rows()] == ["jsmith", "reader"]
    form = users.add_user()
    type_into(qtbot, form.full_name, "Amy Jones")
    type_into(qtbot, form.username, "amy")
    form.role.setCurrentIndex(list(Role).index(Role.FIELD_SUPERVISOR))
    type_into(qtbot, form.password, "a first password here")
    type_into(qtbot, form.again, "a first password here")
    shot(form, "add-user")
    click_save(qtbot, window.ctx, form)
    wait_idle(qtbot, window.ctx)
    rows = {r.username: r for r in users.model.rows()}
    assert rows["amy"].role == Role.FIELD_SUPERVISOR and rows["amy"].active
    users.table.selectRow(users.model.rows().index(rows["amy"]))
    assert users.active_button.text() == "Deactivate"
    monkeypatch.setattr("ui.auth.users_dialog.ask", lambda *_a: True)
    qtbot.mouseClick(users.active_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.ctx)
    qtbot.waitUntil(lambda: not {r.username: r for r in users.model.rows()}["amy"].active)
    assert users.active_button.text() == "Reactivate"
    shot(users, "users-dialog")
    users.reject()


def test_the_lock_setting_is_saved_and_a_stale_one_refused(
    qtbot: QtBot,
    office: Path,
    qsettings: QSettings,
    opened: list[MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from provider_desk.auth.queries import lock_after_minutes, lock_setting
    from provider_desk.auth.roles import Actor
    from provider_desk.auth.services import set_lock_after_minutes

    window = start(qtbot, office, qsettings, opened)
    sign_in(qtbot, window, "jsmith", PASSWORD)
    signed_in(qtbot, window)
    users = window.edit_users()
    assert isinstance(users, UsersDialog)
    wait_idle(qtbot, window.ctx)
    assert users.lock_save.isEnabled()
    users.lock_minutes.setValue(20)
    qtbot.mouseClick(users.lock_save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.ctx)
    wait_idle(qtbot, window.ctx)
    assert lock_after_minutes(window.ctx.db) == 20
    other_pc = Database(window.ctx.db.url, actor=Actor(9, "Jo Manager", Role.MANAGER))
    try:  # another PC saves while this window still shows 20
        set_lock_after_minutes(other_pc, 45, expected_version=lock_setting(other_pc).version)
    finally:
        other_pc.dispose()
    boxes: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: boxes.append(f"{box.text()} | {box.informativeText()}")
    )
    users.lock_minutes.setValue(10)
    qtbot.mouseClick(users.lock_save, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window.ctx)
    (message,) = boxes
    assert "Changed by Jo Manager at " in message and "reload to see their changes" in message
    assert lock_after_minutes(window.ctx.db) == 45  # not overwritten
    users.reject()


def test_a_read_only_user_sees_what_they_cannot_do_greyed_out(
    qtbot: QtBot, office: Path, qsettings: QSettings, opened: list[MainWindow]
) -> None:
    window = start(qtbot, office, qsettings, opened)
    sign_in(qtbot, window, "reader", "copper-lantern-meadow")
    signed_in(qtbot, window)
    assert window.user_label.text() == "Signed in as Rita Reader (Read-only)"
    assert not window.users_action.isEnabled()
    assert "only the registered manager can" in window.users_action.toolTip()
    imports = [a for a in window._actions if a.text().startswith("Import ")]
    assert imports and not any(a.isEnabled() for a in imports)
    assert "registered manager or an office coordinator" in imports[0].toolTip()
    QApplication.processEvents()
