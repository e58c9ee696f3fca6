"""Every page works on a 1280×720 office laptop: the window can be that small, and every button
a page shows lies inside the window (none pushed off the right or bottom edge)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QApplication, QWidget
from pytestqt.qtbot import QtBot

from provider_desk import demo
from provider_desk.areas.opening import open_database
from tests.conftest import TODAY
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.main_window import NAV_NARROW, NAV_WIDE, MainWindow
from ui.widgets.frozen import FrozenTableView

SMALL = (1280, 720)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database, _ = open_database(str(path), user="test.manager", create=True)
    demo.generate(database, today=TODAY)
    database.dispose()
    return path


@pytest.fixture(params=["demo", "empty"])
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The demo database (copied), or a new empty one (the ``db`` fixture opens it)."""
    path = tmp_path / "test.sqlite3"
    if request.param == "demo":
        shutil.copyfile(request.getfixturevalue("demo_file"), path)
    return path


def _inside_table(button: QWidget) -> bool:
    parent = button.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(button):
            return True
        parent = parent.parentWidget()
    return False


def _offscreen_buttons(window: QWidget, page: QWidget) -> list[str]:
    """The buttons shown on ``page`` that are not wholly inside the window."""
    bounds = window.rect()
    lost = []
    for button in page.findChildren(QAbstractButton):
        if not button.isVisibleTo(window) or _inside_table(button):
            continue
        top_left = button.mapTo(window, QPoint(0, 0))
        where = QRect(top_left, button.size())
        if not bounds.contains(where):
            lost.append(f"{button.text() or button.toolTip() or type(button).__name__} at {where}")
    return lost


def test_every_page_fits_a_1280_by_720_screen(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.refresh_all()
    window.show()
    wait_idle(qtbot, ctx)
    for key in window.keys:
        window.show_area(key)
        wait_idle(qtbot, ctx)
        window.resize(*SMALL)
        QApplication.processEvents()
        assert window.minimumSizeHint().width() <= SMALL[0], key
        assert (window.width(), window.height()) == SMALL, key
        assert _offscreen_buttons(window, window.page(key)) == [], key


def test_the_sidebar_narrows_to_icons(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    assert window.nav.width() == NAV_WIDE
    window.nav_toggle.click()
    assert window.nav.width() == NAV_NARROW
    assert window.nav.item(3).text() == "" and window.nav.item(3).toolTip() == "Training"
    assert not window.provider_label.isVisibleTo(window)
    window.save_layout()
    again = MainWindow(window.ctx, window.qsettings)
    qtbot.addWidget(again)
    assert again.nav.width() == NAV_NARROW  # remembered
    again.nav_toggle.click()
    assert again.nav.item(3).text() == "Training"


@pytest.mark.parametrize("db_path", ["demo"], indirect=True)
@pytest.mark.parametrize(("key", "frozen"), [("training", 3), ("supervision", 2)])
def test_matrix_names_stay_on_show_while_scrolling_sideways(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, key: str, frozen: int
) -> None:
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.refresh_all()
    window.show()
    window.resize(*SMALL)
    window.show_area(key)
    wait_idle(qtbot, ctx)
    table = window.page(key).table
    assert isinstance(table, FrozenTableView)
    pinned = table.frozen_view
    columns = table.model().columnCount()
    assert [pinned.isColumnHidden(c) for c in range(columns)] == [
        c >= frozen for c in range(columns)
    ]
    bar = table.horizontalScrollBar()
    assert bar.maximum() > 0  # the grid is wider than the screen
    bar.setValue(bar.maximum())
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    QApplication.processEvents()
    # The names have scrolled out of the grid itself…
    assert table.columnViewportPosition(0) < 0
    # …but the pinned columns lie over its left edge, level with the same rows.
    assert pinned.isVisible()
    assert pinned.width() == sum(table.columnWidth(c) for c in range(frozen))
    y = 5
    left_row = pinned.indexAt(QPoint(5, y))
    right_row = table.indexAt(QPoint(table.viewport().width() - 5, y))
    assert left_row.isValid() and left_row.column() == 0
    assert left_row.row() == right_row.row() > 0
    # Moving the cursor to a cell under the pinned columns scrolls it out from under them.
    cell = table.model().index(0, frozen)
    table.setCurrentIndex(cell)
    assert table.visualRect(cell).left() >= table.frozen_width()
