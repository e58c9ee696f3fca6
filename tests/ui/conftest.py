"""GUI fixtures: an app context on the test database with a fixed today, and the main window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from provider_desk import demo
from provider_desk.areas.opening import open_database
from provider_desk.db.session import Database
from tests.conftest import TODAY
from ui.context import AppContext
from ui.dialogs.base import FormDialog
from ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _no_unexpected_message_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody expected fails the test instead of blocking it forever."""

    def unexpected(*args: object) -> None:
        texts = [a.text() if isinstance(a, QMessageBox) else a for a in args]
        raise AssertionError(f"unexpected message box: {texts}")

    for name in ("exec", "warning", "critical", "question", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


def wait_idle(qtbot: QtBot, ctx: AppContext) -> None:
    """Wait until background work has finished and its callbacks have run."""
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10000)


def click_save(qtbot: QtBot, ctx: AppContext, dialog: FormDialog) -> None:
    """Click a form dialog's Save button and wait for the save to finish."""
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    wait_idle(qtbot, ctx)


@pytest.fixture
def ctx(qtbot: QtBot, db: Database) -> Iterator[AppContext]:
    context = AppContext(db, today=lambda: TODAY)
    context.tasks.use_processes = False  # exports on the export worker: no process per test
    yield context
    context.tasks.wait()


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, qsettings: QSettings) -> MainWindow:
    w = MainWindow(ctx, qsettings)
    qtbot.addWidget(w)
    w.refresh_all()
    wait_idle(qtbot, ctx)
    return w


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database as on TODAY, built once per run (it takes seconds); a module overrides
    ``db_path`` with a copy of it (``shutil.copyfile``) for each test, so none changes it."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database, _ = open_database(str(path), user="test.manager", create=True)
    demo.generate(database, today=TODAY)
    database.dispose()
    return path
