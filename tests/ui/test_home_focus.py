"""Every count on every home card opens its page filtered to exactly those items (the page then
shows as many as the card said), and every to-do item opens its own record.

One demo database (built once, as on TODAY) is copied for each test: the demo has items of every
kind, so each count is checked against a real, non-trivial figure.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from provider_desk.dashboard import read_home
from provider_desk.dashboard.figures import counts
from provider_desk.db.session import Database
from provider_desk.reading import Attention
from tests.conftest import TODAY
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.home.page import CARDS
from ui.main_window import MainWindow


@pytest.fixture
def db_path(demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the demo database for this test (the ``db`` fixture opens it)."""
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(demo_file, path)
    return path


def _window(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> MainWindow:
    w = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(w)
    w.refresh_all()
    wait_idle(qtbot, ctx)
    return w


@pytest.mark.parametrize("card", list(CARDS))
def test_each_count_opens_exactly_its_items(
    qtbot: QtBot, db: Database, ctx: AppContext, tmp_path: Path, card: str
) -> None:
    window = _window(qtbot, ctx, tmp_path)
    spec = CARDS[card]
    values = counts(read_home(db, TODAY).figures.cards()[card])
    # The demo is built so that every card has something that needs doing.
    assert any(values[line.field] for line in spec.lines if line.level is not None), values
    home = window.page("home")
    for line in spec.lines:
        home.cards[card].count_labels[line.field].linkActivated.emit(line.field)  # type: ignore[attr-defined]
        wait_idle(qtbot, ctx)
        page = window.page(spec.page)
        assert window.stack.currentWidget() is page
        assert page.focus_count() == values[line.field], (card, line.field)


def _expected(item: Attention) -> tuple[int | None, int | str | None]:
    """What the page's cursor should be on: the record, and the part of it (the training
    course, the risk assessment) or, on the supervision matrix, the kind of session."""
    if item.part_id is not None:
        return item.record_id, item.part_id
    return item.record_id, item.kind if item.area == "supervision" else None


@pytest.mark.parametrize("area", sorted({spec.page for spec in CARDS.values()}))
def test_each_todo_item_opens_its_record(
    qtbot: QtBot, db: Database, ctx: AppContext, tmp_path: Path, area: str
) -> None:
    window = _window(qtbot, ctx, tmp_path)
    items = [i for i in read_home(db, TODAY).todo if i.area == area]
    assert items, area
    page = window.page(area)
    # The most urgent, the least urgent and one from the middle.
    for item in {items[0], items[len(items) // 2], items[-1]}:
        window.open_item(item)
        wait_idle(qtbot, ctx)
        assert window.stack.currentWidget() is page
        assert page.opened() == _expected(item), item
