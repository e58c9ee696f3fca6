"""Every problem is one click from its record: an action's source opens the audit or session
that raised it, its owner opens them on the Staff page, and rows have a right-click menu."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.queries import ActionRow
from provider_desk.areas.actions.rules import ActionStatus
from tests.conftest import TODAY
from tests.ui.conftest import wait_idle
from ui.areas.actions.page import SOURCE_COLUMN, ActionsPage, source_item
from ui.areas.audits.page import AuditsPage
from ui.areas.complaints.page import ComplaintsPage
from ui.areas.staff.page import StaffPage
from ui.areas.supervision.page import SupervisionPage
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE
from ui.widgets.row_menu import row_menu_at


@pytest.fixture
def db_path(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(demo_file, path)
    return path


@pytest.fixture
def actions(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> tuple[MainWindow, ActionsPage]:
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.refresh_all()
    window.show()
    window.show_area("actions")
    wait_idle(qtbot, ctx)
    page = window.page("actions")
    assert isinstance(page, ActionsPage)
    page.status_filter.setCurrentIndex(page.status_filter.findData("all"))
    return window, page


def _row_of(page: ActionsPage, source: str) -> tuple[int, ActionRow]:
    for i in range(page.proxy.rowCount()):
        row = page.proxy.index(i, 0).data(ROW_ROLE)
        if row.source == source:
            return i, row
    raise AssertionError(f"the demo has no action from a {source}")


def test_clicking_an_actions_source_opens_its_audit(
    qtbot: QtBot, ctx: AppContext, actions: tuple[MainWindow, ActionsPage]
) -> None:
    window, page = actions
    i, row = _row_of(page, "audit")
    assert row.audit_run_id is not None
    page.table.scrollTo(page.proxy.index(i, SOURCE_COLUMN))
    cell = page.table.visualRect(page.proxy.index(i, SOURCE_COLUMN)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    wait_idle(qtbot, ctx)
    audits = window.page("audits")
    assert isinstance(audits, AuditsPage)
    assert window.stack.currentWidget() is audits
    assert audits.tabs.currentWidget() is audits.audits_tab
    opened = audits.audits_tab.selected_audit()
    assert opened is not None and opened.root_id == row.audit_run_id
    assert opened.reference in row.source_ref


def test_an_actions_supervision_and_owner_open_from_its_menu(
    qtbot: QtBot, ctx: AppContext, actions: tuple[MainWindow, ActionsPage]
) -> None:
    window, page = actions
    i, row = _row_of(page, "supervision")
    cell = page.table.visualRect(page.proxy.index(i, 0)).center()
    menu = row_menu_at(page.table, cell, page.menu_entries)
    assert menu is not None
    by_text = {a.text(): a for a in menu.actions() if not a.isSeparator()}
    assert {"Edit…", "Archive…", "Copy reference"} <= set(by_text)
    by_text["Copy reference"].trigger()
    assert QApplication.clipboard().text() == row.source_ref
    by_text["Open the supervision that raised it"].trigger()
    wait_idle(qtbot, ctx)
    supervision = window.page("supervision")
    assert isinstance(supervision, SupervisionPage)
    assert window.stack.currentWidget() is supervision
    worker = supervision.current_worker()
    assert worker is not None and row.source_ref.endswith(f": {worker.name}")
    # Back on the plan, the owner's name opens them on the Staff page.
    window.show_area("actions")
    menu = row_menu_at(page.table, cell, page.menu_entries)
    assert menu is not None
    owner = next(a for a in menu.actions() if a.text() == f"Open {row.owner} (owner)")
    owner.trigger()
    wait_idle(qtbot, ctx)
    staff = window.page("staff")
    assert isinstance(staff, StaffPage)
    assert window.stack.currentWidget() is staff
    chosen = staff.selected()
    assert chosen is not None and chosen.id == row.owner_id


def test_a_complaint_opens_by_its_reference(
    qtbot: QtBot, ctx: AppContext, actions: tuple[MainWindow, ActionsPage]
) -> None:
    """What an action from a complaint opens: the complaint its reference names."""
    window, _page = actions
    window.show_area("complaints")
    wait_idle(qtbot, ctx)
    complaints = window.page("complaints")
    assert isinstance(complaints, ComplaintsPage)
    last = complaints.model.rows()[-1]
    row = ActionRow(
        1,
        "Apologise",
        "complaint",
        last.reference,
        1,
        "A B",
        TODAY,
        TODAY,
        None,
        "",
        ActionStatus.OVERDUE,
        1,
    )
    item = source_item(row)
    assert item is not None and item.area == "complaints"
    window.show_area("home")
    window.open_item(item)
    wait_idle(qtbot, ctx)
    assert window.stack.currentWidget() is complaints
    selected = complaints.selected()
    assert selected is not None and selected.reference == last.reference
