"""The training matrix and the evidence pack are exported in a process of their own (the
window's thread never shares the interpreter with ReportLab): the same PDF as one written here,
the "Saved" notice, and a Cancel that leaves no file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QLabel, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from provider_desk.areas.training.exports import export_matrix_file
from provider_desk.areas.training.services import TrainingInput, record_training
from tests.conftest import TODAY, new_staff
from tests.ui.test_training_page import course_ids
from ui import tasks
from ui.areas.training.page import TrainingPage
from ui.context import AppContext
from ui.evidence.page import EvidencePage
from ui.main_window import MainWindow
from ui.widgets.exporting import SAVED_NOTICE

SPAWN_MS = 60_000  # a new Python process on a busy test machine


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def _training_page(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> TrainingPage:
    amy = new_staff(ctx.db, "Amy", "Smith")
    new_staff(ctx.db, "Bob", "Jones")
    fire = course_ids(ctx)["Fire safety"]
    record_training(ctx.db, amy, TrainingInput(fire, dt.date(2026, 6, 1)), today=TODAY)
    page = window.page("training")
    assert isinstance(page, TrainingPage)
    page.refresh()
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10_000)
    ctx.tasks.use_processes = True
    return page


def test_the_matrix_pdf_from_its_own_process_is_the_one_written_here(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    page = _training_page(qtbot, window, ctx)
    target = tmp_path / "matrix.pdf"
    page.export_matrix_to(target)
    assert ctx.tasks.exporting
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=SPAWN_MS)
    here = export_matrix_file(ctx.db.url, TODAY, tmp_path / "here.pdf", "Provider Desk")
    assert "Smith" in _text(target) and "Jones" in _text(target)
    assert _text(target) == _text(here)
    notice = window.findChild(QLabel, SAVED_NOTICE)
    assert notice is not None and "Matrix saved to matrix.pdf" in notice.text()


def test_cancel_stops_the_process_and_leaves_no_file(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _training_page(qtbot, window, ctx)
    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 0)  # the dialog shows at once
    out = tmp_path / "out"
    out.mkdir()
    page.export_matrix_to(out / "matrix.pdf")
    qtbot.waitUntil(lambda: page.findChild(QProgressDialog) is not None, timeout=5000)
    dialog = page.findChild(QProgressDialog)
    assert dialog is not None
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()  # long before the new process has even imported ReportLab
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=SPAWN_MS)
    assert list(out.iterdir()) == []  # no PDF, no temporary file
    assert window.findChild(QLabel, SAVED_NOTICE) is None


def test_the_evidence_pack_is_built_in_its_own_process(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    new_staff(ctx.db, "Amy", "Smith")
    window.show_area("evidence")
    page = window.page("evidence")
    assert isinstance(page, EvidencePage)
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10_000)
    ctx.tasks.use_processes = True
    pdf = tmp_path / "pack.pdf"
    page.build_to(pdf)
    assert ctx.tasks.exporting
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=SPAWN_MS)
    assert page.built is not None and page.built.pdf == pdf and not page.built.names
    assert f"({page.built.pages} page" in page.result_label.text()
    assert "Smith" in _text(pdf)
