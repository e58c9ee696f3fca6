"""After an export: "Saved — Open · Show in folder"; PDFs and the backup show a progress dialog
when slow; Ctrl+N means "new record" on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.services import ActionInput, raise_action
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import wait_idle
from ui.areas.audits.audit_template_dialog import TemplateDialog
from ui.areas.audits.page import START_AUDIT_KEY, AuditsPage
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.widgets.exporting import FOLDER, OPEN, SAVED_NOTICE


def _notice(window: MainWindow) -> QLabel:
    notice = window.statusBar().findChild(QLabel, SAVED_NOTICE)
    assert isinstance(notice, QLabel)
    return notice


def test_an_export_offers_to_open_the_file_or_its_folder(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(QUrl(url).toLocalFile()) or True
    )
    raise_action(ctx.db, ActionInput("One", new_staff(ctx.db, "Amy", "Smith"), TODAY), today=TODAY)
    window.show()
    page = window.page("actions")
    page.export_to(tmp_path / "out" / "plan.csv")
    wait_idle(qtbot, ctx)
    notice = _notice(window)
    assert notice.isVisible()
    assert "Exported 1 actions to plan.csv" in notice.text()
    assert "Open</a>" in notice.text() and "Show in folder</a>" in notice.text()
    notice.linkActivated.emit(FOLDER)
    notice.linkActivated.emit(OPEN)
    assert opened == [str(tmp_path / "out"), str(tmp_path / "out" / "plan.csv")]
    # A second export points the links at the new file.
    page.export_to(tmp_path / "plan2.xlsx")
    wait_idle(qtbot, ctx)
    notice.linkActivated.emit(OPEN)
    assert opened[-1] == str(tmp_path / "plan2.xlsx")


@pytest.mark.parametrize("which", ["backup", "audit report", "due list"])
def test_pdfs_and_the_backup_run_with_a_progress_dialog(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    which: str,
) -> None:
    calls: list[dict[str, Any]] = []
    run = ctx.tasks.run

    def spy(fn: Any, **kwargs: Any) -> None:
        calls.append(kwargs)
        run(fn, **kwargs)

    if which == "backup":
        monkeypatch.setattr(ctx.tasks, "run", spy)
        window.backup_to(tmp_path / "copy.sqlite3")
    elif which == "audit report":
        from provider_desk.areas.audits.queries import AuditRow

        page = window.page("audits")
        assert isinstance(page, AuditsPage)
        monkeypatch.setattr(ctx.tasks, "run", spy)
        fake = AuditRow.__new__(AuditRow)
        object.__setattr__(fake, "id", -1)
        object.__setattr__(fake, "reference", "AUD-X")
        monkeypatch.setattr(
            "ui.widgets.exporting.show_failure", lambda *a: calls.append({"failed": True})
        )
        page.audits_tab.report_to(fake, tmp_path / "r.pdf")
    else:
        page = window.page("training")
        monkeypatch.setattr(ctx.tasks, "run", spy)
        page.due.panel.export_to(tmp_path / "due.pdf")  # type: ignore[attr-defined]
    wait_idle(qtbot, ctx)
    assert calls and calls[0]["progress_parent"] is not None
    if which == "due list":
        assert (tmp_path / "due.pdf").read_bytes().startswith(b"%PDF")


def test_ctrl_n_is_new_record_on_every_page_and_starting_an_audit_has_its_own(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in ("staff", "training", "supervision", "people", "complaints", "audits", "actions"):
        news = [
            s
            for s in window.page(key).findChildren(QShortcut)
            if s.key() == QKeySequence(QKeySequence.StandardKey.New)
        ]
        assert len(news) == 1, key
    page = window.page("audits")
    assert isinstance(page, AuditsPage)
    started: list[bool] = []
    monkeypatch.setattr(page, "start_selected", lambda: started.append(True))
    (new,) = [
        s
        for s in page.findChildren(QShortcut)
        if s.key() == QKeySequence(QKeySequence.StandardKey.New)
    ]
    new.activated.emit()
    dialogs = page.findChildren(TemplateDialog)
    assert dialogs and not started
    for d in dialogs:
        d.close()
    starts = [s for s in page.findChildren(QShortcut) if s.key() == QKeySequence(START_AUDIT_KEY)]
    assert len(starts) == 1
