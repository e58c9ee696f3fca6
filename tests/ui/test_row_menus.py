"""Row menus on every page (open, edit, archive, names, copy reference; the Menu key and
Shift+F10), names that open the staff member or the person supported, and PDFs that leave no
file when cancelled."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu, QProgressDialog, QPushButton, QTableView
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.exports import export_actions
from provider_desk.areas.audits.queries import list_audits
from provider_desk.areas.audits.report_pdf import audit_report
from provider_desk.areas.complaints import services as complaint_service
from provider_desk.areas.complaints.exports import summary_pdf
from provider_desk.areas.complaints.queries import complaints_summary
from provider_desk.areas.people.care_plan_pdf import print_care_plan
from provider_desk.areas.people.queries import care_plans, list_people
from provider_desk.areas.supervision.exports import export_session_pdf
from provider_desk.areas.supervision.queries import supervision_records
from provider_desk.db.session import Database
from provider_desk.progress import Cancelled
from tests.conftest import TODAY
from tests.ui.conftest import wait_idle
from ui.areas.complaints.complaint_dialog import ComplaintDialog
from ui.areas.complaints.page import PERSON_LINK, ComplaintsPage
from ui.areas.staff.page import StaffPage
from ui.areas.supervision.page import LED_BY_COLUMN, SupervisionPage
from ui.areas.training.page import TrainingPage
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE
from ui.widgets.row_menu import MENU_KEYS, current_row_menu, row_menu_for


@pytest.fixture
def db_path(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(demo_file, path)
    return path


@pytest.fixture
def shown(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> MainWindow:
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.refresh_all()
    window.resize(1280, 720)
    window.show()
    wait_idle(qtbot, ctx)
    return window


def _menu_of(view: QTableView, row: int, column: int = 0) -> tuple[QMenu, dict[str, QAction]]:
    """The right-click menu of ``row`` (as a right-click at that cell builds it)."""
    menu = row_menu_for(view, row, column)
    assert menu is not None
    return menu, {a.text(): a for a in menu.actions() if not a.isSeparator()}


def _current(window: MainWindow) -> str:
    return window.keys[window.nav.currentRow()]


def test_complaint_menu_copies_its_reference_and_opens_it(
    qtbot: QtBot, ctx: AppContext, shown: MainWindow
) -> None:
    shown.show_area("complaints")
    wait_idle(qtbot, ctx)
    page = shown.page("complaints")
    assert isinstance(page, ComplaintsPage)
    menu, actions = _menu_of(page.table, 1)
    row = page.table.model().index(1, 0).data(ROW_ROLE)
    assert page.selected() == row  # a right-click selects the row it is on
    assert {"Open / update…", "Archive…", "Copy reference", "Outcome letter…"} <= set(actions)
    QGuiApplication.clipboard().clear()
    actions["Copy reference"].trigger()
    assert QGuiApplication.clipboard().text() == row.reference
    actions["Open / update…"].trigger()
    dialogs = [d for d in page.findChildren(ComplaintDialog) if d.isVisible()]
    assert [d.row.reference for d in dialogs] == [row.reference]
    dialogs[0].reject()
    menu.deleteLater()


def test_the_menu_key_and_shift_f10_open_the_row_menu(
    qtbot: QtBot, ctx: AppContext, shown: MainWindow
) -> None:
    shown.show_area("staff")
    wait_idle(qtbot, ctx)
    page = shown.page("staff")
    assert isinstance(page, StaffPage)
    keys = [a for a in page.table.actions() if a.text() == "Row menu"]
    assert [s.toString() for s in keys[0].shortcuts()] == list(MENU_KEYS)
    page.table.setCurrentIndex(page.proxy.index(2, 0))
    found = current_row_menu(page.table, *page.table.row_menu)  # type: ignore[attr-defined]
    assert found is not None
    menu, where = found
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    person = page.proxy.index(2, 0).data(ROW_ROLE)
    assert labels[0] == "Edit…" and "Copy name" in labels and "Show their training" in labels
    # The menu opens beside the row with the cursor, not at the mouse.
    rect = page.table.visualRect(page.proxy.index(2, 0))
    assert page.table.viewport().mapFromGlobal(where).y() == rect.bottom()
    QGuiApplication.clipboard().clear()
    next(a for a in menu.actions() if a.text() == "Copy name").trigger()
    assert QGuiApplication.clipboard().text() == person.full_name


def test_staff_menu_opens_them_on_the_training_matrix(
    qtbot: QtBot, ctx: AppContext, shown: MainWindow
) -> None:
    shown.show_area("staff")
    wait_idle(qtbot, ctx)
    page = shown.page("staff")
    assert isinstance(page, StaffPage)
    _menu, actions = _menu_of(page.table, 3)
    person = page.selected()
    assert person is not None
    actions["Open on the training matrix"].trigger()
    wait_idle(qtbot, ctx)
    training = shown.page("training")
    assert isinstance(training, TrainingPage)
    assert _current(shown) == "training"
    assert training.current_person_id() == person.id


def test_a_supervisors_name_opens_them_with_their_training_a_tab_away(
    qtbot: QtBot, ctx: AppContext, shown: MainWindow
) -> None:
    shown.show_area("supervision")
    wait_idle(qtbot, ctx)
    page = shown.page("supervision")
    assert isinstance(page, SupervisionPage)
    page.table.setCurrentIndex(page.proxy.index(0, 2))
    wait_idle(qtbot, ctx)
    assert page.history_model.rowCount() > 0
    session = page.history_model.rows()[0]
    cell = page.history.visualRect(page.history_model.index(0, LED_BY_COLUMN))
    qtbot.mouseClick(page.history.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    wait_idle(qtbot, ctx)
    staff = shown.page("staff")
    assert isinstance(staff, StaffPage)
    assert _current(shown) == "staff"
    chosen = staff.selected()
    assert chosen is not None and chosen.id == session.supervisor_id
    assert chosen.full_name == session.supervisor
    # Their training and supervision are tabs of their record.
    assert staff.training_model.rowCount() > 0
    assert {staff.tabs.tabText(i).split(" (")[0] for i in range(staff.tabs.count())} >= {
        "Training",
        "Supervision",
    }


def test_a_complaint_names_the_person_supported_and_opens_them(
    qtbot: QtBot, ctx: AppContext, db: Database, shown: MainWindow
) -> None:
    person = next(p for p in list_people(db, TODAY) if p.status != "ended")
    complaint_service.save_complaint(
        db,
        complaint_service.ComplaintInput(
            received_on=TODAY,
            complainant_name="Mrs Test",
            summary="Late visit",
            person_concerned=f"{person.name} ({person.reference})",
        ),
        today=TODAY,
        expected_version=None,
    )
    shown.show_area("complaints")
    page = shown.page("complaints")
    assert isinstance(page, ComplaintsPage)
    page.refresh()
    wait_idle(qtbot, ctx)
    page.search.setText("Late visit")
    page.table.selectRow(0)
    assert person.reference in page.detail.text() and f"href='{PERSON_LINK}'" in page.detail.text()
    page.detail.linkActivated.emit(PERSON_LINK)
    wait_idle(qtbot, ctx)
    assert _current(shown) == "people"
    people = shown.page("people")
    chosen = people.selected()  # type: ignore[attr-defined]
    assert chosen is not None and chosen.id == person.id
    # A name typed by hand that matches no one is shown, not linked.
    assert page.person_item("Person Q.") is None


def _refuse(done: int, total: int, what: str) -> bool:
    return False


def test_cancelling_a_pdf_leaves_no_file(db: Database, tmp_path: Path) -> None:
    """Every PDF hears the progress dialog: Cancel stops it and nothing is left behind."""
    out = tmp_path / "out"
    out.mkdir()
    audit = list_audits(db)[0]
    session = supervision_records(db)[0]
    person = next(p for p in list_people(db, TODAY) if p.plan_number)
    plan = care_plans(db, person.id)[-1]
    summary = complaints_summary(db, dt.date(TODAY.year, 1, 1), TODAY, TODAY)
    writes = {
        "actions.pdf": lambda p: export_actions(db, p, TODAY, _refuse),
        "audit.pdf": lambda p: audit_report(db, audit.id, p, TODAY, _refuse),
        "session.pdf": lambda p: export_session_pdf(
            session, p, "Provider", [], today=TODAY, progress=_refuse
        ),
        "plan.pdf": lambda p: print_care_plan(db, person.id, plan, p, TODAY, _refuse),
        "summary.pdf": lambda p: summary_pdf(summary, p, "Provider", TODAY, _refuse),
    }
    for name, write in writes.items():
        path = out / name
        with pytest.raises(Cancelled):
            write(path)
        assert not path.exists(), name
    assert list(out.iterdir()) == []  # no temporary file either


def test_a_cancelled_export_from_the_page_saves_nothing(
    qtbot: QtBot,
    ctx: AppContext,
    shown: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The action plan's PDF through the progress dialog: Cancel reaches the renderer and no
    file is left."""
    import time

    from provider_desk.areas.actions import exports
    from provider_desk.progress import Progress
    from ui import tasks

    real = exports.export_actions

    def slow(db: Database, path: Path, today: dt.date, progress: Progress) -> int:
        def slowly(done: int, total: int, what: str) -> bool:
            time.sleep(0.2)  # a long plan: time for the user to press Cancel
            return progress(done, total, what)

        return real(db, path, today, slowly)

    monkeypatch.setattr(exports, "export_actions", slow)
    monkeypatch.setattr(tasks, "PROGRESS_DELAY_MS", 0)  # the dialog shows at once
    shown.show_area("actions")
    wait_idle(qtbot, ctx)
    page = shown.page("actions")
    target = tmp_path / "out" / "plan.pdf"
    target.parent.mkdir()
    page.export_to(target)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.findChild(QProgressDialog) is not None, timeout=5000)
    dialog = page.findChild(QProgressDialog)
    assert dialog is not None
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    assert list(target.parent.iterdir()) == []
