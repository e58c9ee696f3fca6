"""A read-only database opens in the app with "Read-only" in the status bar (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from provider_desk.areas.opening import open_database
from provider_desk.db import session
from provider_desk.db.engine import Access
from provider_desk.db.session import Database
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow


def test_the_status_bar_says_read_only(
    qtbot: QtBot,
    db: Database,
    db_path: Path,
    qsettings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    new_staff(db)
    db.dispose()
    # As chmod a-w would make it for anyone but root (see tests/core/test_faults.py).
    monkeypatch.setattr(session, "sqlite_access", lambda url: Access.READ_ONLY)
    ro, _ = open_database(str(db_path))
    ctx = AppContext(ro, today=lambda: TODAY)
    window = MainWindow(ctx, qsettings)
    qtbot.addWidget(window)
    window.refresh_all()
    wait_idle(qtbot, ctx)
    assert not window.read_only_label.isHidden()
    assert window.read_only_label.text() == "Read-only"
    assert "nothing can be saved" in window.read_only_label.toolTip()
    ctx.tasks.wait()
    ro.dispose()


def test_a_writable_database_does_not(window: MainWindow) -> None:
    assert window.read_only_label.isHidden()
