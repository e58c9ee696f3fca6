"""The evidence pack page: in the navigation after Home, a gaps preview that is exactly the pack's
gaps for the chosen period, an inline message for a period the pack cannot be made for, and
building the PDF (and ZIP) in the background, cancellable without leaving a file behind."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from provider_desk.areas.complaints.services import ComplimentInput, save_compliment
from provider_desk.changes import COMPLAINTS, Changes
from provider_desk.db.session import Database
from provider_desk.evidence import Pack, read_pack
from provider_desk.reading import Period
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import wait_idle
from ui import tasks
from ui.context import AppContext
from ui.evidence import page as evidence_page
from ui.evidence.page import EvidencePage
from ui.main_window import MainWindow

YEAR = Period.year_to(TODAY)  # 24 Nov 2025 to 23 Nov 2026


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _expected(db: Database, period: Period = YEAR) -> list[tuple[str, str, str]]:
    return read_pack(db, period, today=TODAY, trends=False).gaps()


@pytest.fixture
def records(db: Database) -> Database:
    """Staff with required training never done (items that weaken statements) and a compliment
    early in the year (evidence for a responsive statement): a mix of gap kinds."""
    new_staff(db, "Amy", "Smith")
    new_staff(db, "Bob", "Jones")
    save_compliment(
        db,
        ComplimentInput(dt.date(2026, 1, 10), "Mrs Khan", "Lovely carers"),
        today=TODAY,
        expected_version=None,
    )
    return db


def _page(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> EvidencePage:
    window.show_area("evidence")
    wait_idle(qtbot, ctx)
    page = window.page("evidence")
    assert isinstance(page, EvidencePage)
    return page


def _choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Answer the save dialog with ``path``; returns what it suggested."""
    suggested: list[str] = []

    def dialog(parent: object, title: str, default: str, filters: str) -> tuple[str, str]:
        suggested.append(default)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    return suggested


def test_the_page_is_in_the_navigation_after_home_and_ctrl_e_opens_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.nav.item(1).text() == "Evidence pack"
    assert window.keys[:2] == ["home", "evidence"]
    file_menu = window.menuBar().actions()[0].menu()
    (entry,) = [a for a in file_menu.actions() if a.text() == "&Evidence pack for inspection…"]
    assert entry.shortcut() == QKeySequence("Ctrl+E")
    shortcuts = [
        a.shortcut().toString()
        for menu in window.menuBar().actions()
        for a in menu.menu().actions()
        if not a.shortcut().isEmpty()
    ]
    assert len(shortcuts) == len(set(shortcuts))  # Ctrl+E is nobody else's
    assert window.stack.currentWidget() is window.page("home")
    entry.trigger()
    assert window.stack.currentWidget() is window.page("evidence")


def test_the_preview_shows_exactly_the_packs_gaps_and_follows_the_period(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, records: Database
) -> None:
    page = _page(qtbot, window, ctx)
    assert page.period_dates() == (YEAR.start, YEAR.end)  # the 12 months up to today
    expected = _expected(records)
    assert page.gaps() == expected
    # The hand-built records give both kinds of gap, so the comparison means something.
    assert any(g.startswith("No evidence from") for _kq, _st, g in expected)
    assert any(g.endswith("weaken it.") for _kq, _st, g in expected)
    assert page.model.rowCount() == len(expected)
    assert page.gaps_heading.text() == f"{len(expected)} gaps to act on before the inspection"
    assert page.stack.currentWidget() is page.table
    tips = [
        page.model.data(page.model.index(row, 2), Qt.ItemDataRole.ToolTipRole)
        for row, (_kq, _st, g) in enumerate(expected)
        if g.endswith("weaken it.")
    ]
    assert any("Amy Smith: " in t and "Bob Jones: " in t for t in tips)  # the items behind it
    pack = read_pack(records, YEAR, today=TODAY, trends=False)
    from provider_desk.dashboard import Colour

    text = page.readiness_label.text()
    for colour in Colour:
        assert f"<b>{pack.readiness.count(colour)}</b> {colour.value}" in text

    # From February the compliment falls outside the period: its statement becomes a gap.
    later = Period(dt.date(2026, 2, 1), TODAY)
    assert _expected(records, later) != expected
    page.start_edit.setDate(_qdate(later.start))
    assert page.gaps() == expected  # not read on every keystroke: after a pause
    qtbot.waitUntil(lambda: page.gaps() == _expected(records, later), timeout=5000)


def test_a_change_to_the_records_reloads_the_preview(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, records: Database
) -> None:
    page = _page(qtbot, window, ctx)
    before = page.gaps()
    new_staff(records, "Cara", "Lee")
    after = _expected(records)
    assert after != before
    ctx.announce(Changes.of(COMPLAINTS))
    qtbot.waitUntil(lambda: page.gaps() == after, timeout=5000)


def test_no_gaps_shows_a_clear_empty_state(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Pack, "gaps", lambda self: [])
    page = _page(qtbot, window, ctx)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.title.text() == "No gaps"
    assert "24 Nov 2025 to 23 Nov 2026" in page.empty.text.text()
    assert page.gaps_heading.text() == "No gaps to act on"


def test_a_period_the_pack_cannot_be_made_for_is_explained_and_cannot_be_built(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page = _page(qtbot, window, ctx)
    assert page.build_button.isEnabled() and page.period_error.isHidden()
    page.end_edit.setDate(_qdate(TODAY + dt.timedelta(days=1)))
    assert "runs past today (23 Nov 2026)" in page.period_error.text()
    assert not page.period_error.isHidden()
    assert not page.build_button.isEnabled()
    page.end_edit.setDate(_qdate(dt.date(2025, 11, 1)))  # before the start
    assert "before it starts (24 Nov 2025)" in page.period_error.text()
    assert not page.build_button.isEnabled()
    assert page.period() is None
    page.year_button.click()
    assert page.period_dates() == (YEAR.start, YEAR.end)
    assert page.period_error.isHidden() and page.build_button.isEnabled()


def test_build_writes_the_pdf_where_chosen_and_offers_to_open_it(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    records: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _page(qtbot, window, ctx)
    target = tmp_path / "out" / "pack"  # no ending typed: .pdf is added
    target.parent.mkdir()
    suggested = _choose_file(monkeypatch, target)
    assert page.build_button.isDefault()
    page.build_button.click()
    wait_idle(qtbot, ctx)
    assert Path(suggested[0]).name == "Evidence pack 2025-11-24 to 2026-11-23.pdf"
    pdf = tmp_path / "out" / "pack.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["pack.pdf"]  # no ZIP unless asked
    assert page.built is not None and page.built.pages > 1
    assert f"({page.built.pages} pages) to {pdf}" in page.result_label.text()
    from PySide6.QtWidgets import QLabel

    from ui.widgets.exporting import SAVED_NOTICE

    notice = window.statusBar().findChild(QLabel, SAVED_NOTICE)
    assert notice is not None and "Evidence pack saved to pack.pdf" in notice.text()
    assert not page.open_button.isHidden() and not page.folder_button.isHidden()
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    page.open_button.click()
    assert [Path(u.toLocalFile()) for u in opened] == [pdf]
    if not evidence_page.sys.platform.startswith("win"):
        page.folder_button.click()
        assert Path(opened[-1].toLocalFile()) == pdf.parent


def test_build_with_the_zip_option_writes_the_bundle_beside_the_pdf(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    records: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _page(qtbot, window, ctx)
    page.zip_box.setChecked(True)
    page.names_box.setChecked(True)
    suggested = _choose_file(monkeypatch, tmp_path / "Evidence.pdf")
    page.build_button.click()
    wait_idle(qtbot, ctx)
    assert Path(suggested[0]).name.endswith("(with names).pdf")
    pdf, bundle = tmp_path / "Evidence.pdf", tmp_path / "Evidence.zip"
    assert pdf.exists() and bundle.exists()
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
    assert "Evidence.pdf" in names and "registers/people supported.xlsx" in names  # with names
    assert page.built is not None and page.built.bundled_files == len(names)
    assert f"holds {len(names)} files: Evidence.zip" in page.result_label.text()
    assert "names the people you support" in page.result_label.text()


@pytest.mark.parametrize("at", ["Reading the records", "Writing the registers"])
def test_cancel_says_nothing_was_written_and_leaves_no_file(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    records: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    at: str,
) -> None:
    """The user presses Cancel on the progress dialog: the job's progress callback then answers
    False, at the start or after the PDF is laid out (before the ZIP)."""
    heard: list[str] = []

    def progress(job: object, done: int, total: int, what: str) -> bool:
        heard.append(what)
        return what != at

    monkeypatch.setattr(tasks._Job, "_progress", progress)
    page = _page(qtbot, window, ctx)
    page.zip_box.setChecked(True)
    _choose_file(monkeypatch, tmp_path / "pack.pdf")
    page.build_button.click()
    wait_idle(qtbot, ctx)
    assert at in heard  # the core heard the cancel where we meant
    assert list(tmp_path.glob("pack*")) == []
    assert page.result_label.text() == "Cancelled: nothing was written."
    assert page.built is None and page.open_button.isHidden()
    assert page.build_button.isEnabled()  # and it can be built again
    monkeypatch.setattr(tasks._Job, "_progress", lambda job, d, t, w: True)
    page.build_button.click()
    wait_idle(qtbot, ctx)
    assert (tmp_path / "pack.pdf").exists() and (tmp_path / "pack.zip").exists()


def test_a_file_that_cannot_be_written_is_explained(
    qtbot: QtBot,
    window: MainWindow,
    ctx: AppContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    explained: list[tuple[BaseException, str]] = []
    monkeypatch.setattr(
        evidence_page, "show_failure", lambda parent, exc, doing="": explained.append((exc, doing))
    )
    page = _page(qtbot, window, ctx)
    folder = tmp_path / "pack.pdf"
    folder.mkdir()  # a folder where the file should go
    _choose_file(monkeypatch, folder)
    page.build_button.click()
    wait_idle(qtbot, ctx)
    from provider_desk.errors import StorageError

    assert [type(e) for e, _ in explained] == [StorageError]
    assert explained[0][1] == "Building the evidence pack"
    assert page.result_label.text() == "The evidence pack was not built."
    assert page.build_button.isEnabled()


def test_enter_builds_from_anywhere_on_the_page(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a: asked.append(str(a[2])) or ("", "")
    )
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.open_evidence_pack()
    page = window.page("evidence")
    assert isinstance(page, EvidencePage)
    wait_idle(qtbot, ctx)
    assert page.build_button.hasFocus()  # Ctrl+E leaves the keyboard on Build
    page.start_edit.setFocus()
    qtbot.keyClick(page.start_edit, Qt.Key.Key_Return)
    assert len(asked) == 1  # the save dialog, cancelled: nothing built
    page.end_edit.setDate(_qdate(TODAY + dt.timedelta(days=3)))
    qtbot.keyClick(page.end_edit, Qt.Key.Key_Return)
    assert len(asked) == 1  # a bad period: Enter does nothing


def test_the_default_twelve_months_move_on_at_midnight_but_a_chosen_period_stays(
    qtbot: QtBot, db: Database
) -> None:
    calendar = [TODAY]
    ctx = AppContext(db, today=lambda: calendar[0])
    page = EvidencePage(ctx)
    qtbot.addWidget(page)
    calendar[0] = TODAY + dt.timedelta(days=1)
    ctx.check_day()
    assert page.period_dates() == (YEAR.start + dt.timedelta(days=1), YEAR.end + dt.timedelta(1))
    chosen = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    page.start_edit.setDate(_qdate(chosen[0]))
    page.end_edit.setDate(_qdate(chosen[1]))
    calendar[0] = TODAY + dt.timedelta(days=2)
    ctx.check_day()
    assert page.period_dates() == chosen
    ctx.tasks.wait()
