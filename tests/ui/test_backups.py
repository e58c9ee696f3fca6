"""Backups in the app: the status bar's age, Back up now with progress, the settings on this PC,
the restore wizard (choose -> compare -> confirm -> restore -> reopen), automatic backups."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from provider_desk import clock
from provider_desk.backup.making import backup_to_folder, good_backups
from provider_desk.backup.pc_settings import load_backup_settings
from tests.conftest import new_staff
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow


def _staff(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM staff_member").fetchone()[0])
    finally:
        conn.close()


def test_never_backed_up_then_back_up_now(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, db_path: Path
) -> None:
    label = window.backup_label
    assert label.text() == "Never backed up" and label.property("level") == "red"
    dialog = window.backup()
    assert dialog is not None
    assert dialog.folder.text() == str(db_path.parent / "backups")
    dialog.start.click()
    qtbot.waitUntil(lambda: dialog.result_made is not None, timeout=10000)
    wait_idle(qtbot, ctx)
    assert "Verified:" in dialog.report.toPlainText()
    assert dialog.progress.value() == 100 and not dialog.error.isVisibleTo(dialog)
    assert len(good_backups(db_path.parent / "backups")) == 1
    assert label.text() == "Backed up just now" and label.property("level") == "ok"
    dialog.close()


def test_a_failed_backup_says_why_in_the_dialog(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    dialog = window.backup()
    assert dialog is not None
    dialog.folder.setText(str(blocker / "backups"))
    dialog.start.click()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=10000)
    assert "No backup was made" in dialog.error.text()
    assert dialog.start.isEnabled() and dialog.start.text() == "Try again"
    assert window.backup_label.text() == "Never backed up"
    dialog.close()


def test_backup_settings_are_saved_for_this_pc(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = window.edit_backup_settings()
    dialog.folder.setText(str(tmp_path / "usb"))
    dialog.automatic.setChecked(False)
    dialog.save()
    saved = load_backup_settings()
    assert saved.folder == tmp_path / "usb" and saved.automatic is False
    assert window.backups is not None and window.backups.folder == tmp_path / "usb"


def test_restore_wizard_compares_confirms_restores_and_reopens(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, db_path: Path
) -> None:
    backup_to_folder(db_path, db_path.parent / "backups", now=clock.local_now())
    new_staff(ctx.db, "Bob", "Jones")  # saved after the backup
    wizard = window.restore()
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.choose.list.count() == 1, timeout=10000)
    assert "verified" in wizard.choose.list.item(0).text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.compare.comparison is not None, timeout=10000)
    table = wizard.compare.table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    staff = rows["Staff members"]
    assert (table.item(staff, 1).text(), table.item(staff, 2).text()) == ("0", "1")
    assert "Last change" in rows
    wizard.next()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert "before-restore" in wizard.confirm.what.text()
    wizard.confirm.sure.setChecked(True)
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    with qtbot.waitSignal(window.open_database_requested, timeout=10000) as reopened:
        wizard.accept()
    assert reopened.args == [str(db_path)]
    assert _staff(db_path) == 0
    kept = list(db_path.parent.glob("test.sqlite3.before-restore-*"))
    assert len(kept) == 1 and _staff(kept[0]) == 1


def test_a_damaged_backup_cannot_be_restored(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x02" * 4000)
    wizard = window.restore()
    assert wizard is not None
    wizard.choose.add_file(junk)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.compare.error.isVisibleTo(wizard.compare), timeout=10000)
    assert "cannot be restored" in wizard.compare.error.text()
    assert not wizard.compare.isComplete()
    wizard.reject()


def test_automatic_backup_at_start_and_on_exit(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, db_path: Path
) -> None:
    folder = db_path.parent / "backups"
    window.start_automatic_backups()  # none yet: one is made
    wait_idle(qtbot, ctx)
    first = good_backups(folder)
    assert len(first) == 1
    window.start_automatic_backups()  # less than a day old: none
    wait_idle(qtbot, ctx)
    assert good_backups(folder) == first
    new_staff(ctx.db)  # a change: closing backs up
    window.show()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    backups = good_backups(folder)
    # Rotation keeps the newest of the day: the one made on closing, with the change.
    assert len(backups) == 1 and backups[0].path != first[0].path
    assert backups[0].manifest is not None and backups[0].manifest.areas["Staff members"] == 1


def test_the_age_turns_amber_after_a_week(qtbot: QtBot, window: MainWindow) -> None:
    from dataclasses import replace

    from provider_desk.backup.manifest import Manifest

    assert window.backups is not None
    old = Manifest(
        "x.sqlite3",
        clock.local_now() - dt.timedelta(days=9),
        "s",
        "0",
        None,
        {},
        None,
        0,
        None,
        "",
        0,
        "",
    )
    window.backups.set_last(old)
    assert window.backup_label.text() == "Backed up 9 days ago"
    assert window.backup_label.property("level") == "amber"
    window.backups.set_last(replace(old, made_at=clock.local_now() - dt.timedelta(hours=2)))
    assert window.backup_label.text() == "Backed up 2 hours ago"


def test_the_app_does_not_create_a_database_at_a_mistyped_path(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ui import app

    asked: list[str] = []

    def no(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    typo = tmp_path / "provider-dsek.sqlite3"
    assert app.open_db(str(typo)) is None
    assert len(asked) == 1 and asked[0].startswith(f"No database at {typo}.")
    assert not typo.exists() and list(tmp_path.iterdir()) == []


def test_a_backup_found_after_its_status_label_is_gone_is_ignored(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """The worker finds the last backup after the window (and its status-bar label) closed: the
    answer has nowhere to go and must not raise "Internal C++ object already deleted"."""
    import shiboken6
    from PySide6.QtWidgets import QLabel

    from ui.backups import Backups

    label = QLabel()
    backups = Backups(ctx, label)
    shiboken6.delete(label)
    backups.set_last(None)  # raised RuntimeError before the label was checked
    backups.failure = "The automatic backup failed: disk full"
    backups.show_age()
    assert backups.last is None


def test_a_result_for_a_closed_window_goes_nowhere(qtbot: QtBot) -> None:
    """The task runner drops a result (or a failure) whose callback is a closure over a Qt object
    deleted while the work ran, and still delivers one whose objects are alive."""
    import shiboken6
    from PySide6.QtWidgets import QLabel

    from ui.tasks import TaskRunner

    runner = TaskRunner()
    gone, kept = QLabel(), QLabel()

    def to_gone(text: object) -> None:
        gone.setText(str(text))

    def to_kept(text: object) -> None:
        kept.setText(str(text))

    def fail() -> None:
        raise ValueError("no")

    runner.run(lambda: "late", on_success=to_gone)
    runner.run(fail, on_failure=to_gone)
    shiboken6.delete(gone)
    runner.run(lambda: "on time", on_success=to_kept)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert kept.text() == "on time"  # and neither late answer raised "already deleted"
