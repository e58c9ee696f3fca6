"""The shell: navigation, settings, backup, import preview, remembered layout, crash reports."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from provider_desk.areas.opening import open_database
from provider_desk.areas.staff.queries import list_job_roles, list_staff
from provider_desk.settings.queries import get_settings
from tests.ui.conftest import wait_idle
from ui import crash
from ui.app import open_window
from ui.context import AppContext
from ui.main_window import MainWindow


def test_navigation_lists_only_areas_that_exist(window: MainWindow) -> None:
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [
        "Home",
        "Evidence pack",
        "Staff",
        "Training",
        "Supervision",
        "People",
        "Complaints",
        "Audits",
        "Action plan",
    ]
    assert window.stack.currentWidget() is window.page("home")  # the app opens on Home
    window.nav.setCurrentRow(8)
    assert window.stack.currentWidget() is window.page("actions")
    assert window.db_label.text().startswith("Database: ")
    assert window.user_label.text() == "User: test.manager"


def test_settings_dialog_saves_and_titles_the_window(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    dialog = window.edit_settings()
    dialog.provider_name.setText("")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, ctx)
    assert "required" in dialog.form.errors["provider_name"].text()
    dialog.provider_name.setText("Meadowbank Home Care")
    dialog.due_soon.setValue(60)
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, ctx)
    assert get_settings(ctx.db).due_soon_days == 60
    assert window.windowTitle().startswith("Meadowbank Home Care")
    assert window.provider_label.text() == "Meadowbank Home Care"


def test_job_roles_can_be_added(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    dialog = window.edit_job_roles()
    wait_idle(qtbot, ctx)
    before = dialog.model.rowCount()
    form = dialog._open(None)
    form.name.setText("Care worker")
    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, ctx)
    assert "already a job role" in form.form.errors["name"].text()
    form.name.setText("Live-in carer")
    assert form.regulated.isChecked()  # a new role does regulated activity unless unticked
    qtbot.mouseClick(
        form.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, ctx)
    assert dialog.model.rowCount() == before + 1
    admin = next(r for r in dialog.model.rows() if r.name == "Administrative")
    edit = dialog._open(admin)
    assert not edit.regulated.isChecked()
    edit.regulated.setChecked(True)
    qtbot.mouseClick(
        edit.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, ctx)
    roles = {r.name: r for r in list_job_roles(ctx.db)}
    assert roles["Administrative"].regulated_activity
    assert roles["Live-in carer"].regulated_activity


def test_backup_now_writes_a_copy(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    target = tmp_path / "backups" / "copy.sqlite3"
    window.backup_to(target)
    wait_idle(qtbot, ctx)
    assert target.exists()
    from PySide6.QtWidgets import QLabel

    from ui.widgets.exporting import SAVED_NOTICE

    notice = window.statusBar().findChild(QLabel, SAVED_NOTICE)
    assert notice is not None and not notice.isHidden()
    assert "Backed up to" in notice.text() and "Show in folder" in notice.text()


def test_import_preview_then_import(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text(
        "Name,Role,Start date\nAmy Smith,Care worker,01/02/2024\nBob Jones,Pilot,01/02/2024\n",
        encoding="utf-8",
    )
    window.show_area("staff")
    dialog = window.open_import(csv_file)
    wait_idle(qtbot, ctx)
    assert dialog.planned.rowCount() == 1 and dialog.skipped.rowCount() == 1
    assert "Nothing has been saved yet" in dialog.summary.text()
    assert list_staff(ctx.db) == []
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert not dialog.isVisible()
    assert [r.full_name for r in list_staff(ctx.db)] == ["Amy Smith"]
    wait_idle(qtbot, ctx)
    assert window.page("staff").proxy.rowCount() == 1


def test_layout_is_remembered(qtbot: QtBot, ctx: AppContext, qsettings: QSettings) -> None:
    first = MainWindow(ctx, qsettings)
    qtbot.addWidget(first)
    first.resize(720, 520)
    first.nav.setCurrentRow(7)
    first.close()
    second = MainWindow(ctx, qsettings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (720, 520)
    assert second.stack.currentWidget() is second.page("home")  # always opens on Home


def test_newer_database_is_explained_not_opened(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "newer.sqlite3"
    db, _ = open_database(str(path), create=True)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'fromthefuture'"))
    db.dispose()
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append(box.text() + " " + box.informativeText()) or 0
    )
    assert open_window(str(path)) is None
    assert "newer version" in shown[0] and "Install the latest" in shown[0]


def test_crash_handler_saves_a_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a: told.append(str(a[2])))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    crash.install(tmp_path)
    try:
        raise ValueError("boom")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    (report,) = tmp_path.glob("crash-*.txt")
    assert "ValueError: boom" in report.read_text()
    assert str(report) in told[0]


def test_navigation_follows_the_list_of_areas(window: MainWindow) -> None:
    from provider_desk.areas import AREAS
    from ui.areas import PAGES

    assert list(PAGES) == [a.key for a in AREAS]
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Home", "Evidence pack", *(window.page(a.key).title for a in AREAS)]
    imports = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    for a in AREAS:
        for importer in a.imports.values():
            assert f"Import {importer.title}…" in imports
