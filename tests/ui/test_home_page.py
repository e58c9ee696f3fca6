"""The home page: cards equal the dashboard's figures, the to-do list filters and opens areas,
readiness explains itself, what is new since the last start, and the first-run steps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.services import ActionInput, raise_action
from provider_desk.changes import ACTIONS, Changes
from provider_desk.dashboard import read_home
from provider_desk.dashboard.figures import counts
from provider_desk.db.session import Database
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import wait_idle
from ui.areas.actions.page import ActionsPage
from ui.context import AppContext
from ui.dialogs.settings_dialog import SettingsDialog
from ui.home.page import CARDS, HomePage
from ui.main_window import MainWindow


@pytest.fixture
def built(db: Database) -> Database:
    """Two staff (with no training or checks on file) and three actions: one overdue, one due
    soon, one due later."""
    amy = new_staff(db, "Amy", "Smith")
    bob = new_staff(db, "Bob", "Jones")
    for what, owner, due in (
        ("Fix the rota gaps", amy, dt.date(2026, 11, 1)),
        ("Order more gloves", bob, TODAY + dt.timedelta(days=10)),
        ("Plan the summer audit", amy, dt.date(2027, 6, 1)),
    ):
        raise_action(db, ActionInput(what, owner, due, dt.date(2026, 10, 1)), today=TODAY)
    return db


def _home(window: MainWindow) -> HomePage:
    page = window.page("home")
    assert isinstance(page, HomePage)
    return page


def test_app_opens_on_home_and_areas_keep_their_keys(built: Database, window: MainWindow) -> None:
    assert window.nav.currentRow() == 0
    assert window.nav.item(0).text() == "Home"
    assert window.stack.currentWidget() is _home(window)
    assert isinstance(window.page("actions"), ActionsPage)


def test_cards_show_the_figures(built: Database, window: MainWindow) -> None:
    home = _home(window)
    assert not home.is_first_run()
    figures = read_home(built, TODAY).figures
    assert figures.actions.overdue == 1 and figures.actions.open == 3
    for key, card in figures.cards().items():
        values = counts(card)
        for line in CARDS[key].lines:
            text = home.cards[key].count_text(line.field)
            assert f"<b>{values[line.field]}</b> {line.words}" in text, (key, line.field)
    assert "Fix the rota gaps" in home.cards["actions"].items.text()
    # Training: two care workers with every required course never done.
    assert figures.training.missing > 0
    assert f"<b>{figures.training.missing}</b> never done" in home.cards["training"].count_text(
        "missing"
    )


def test_home_reloads_after_any_change_and_fits_a_small_screen(
    qtbot: QtBot, built: Database, window: MainWindow, ctx: AppContext
) -> None:
    home = _home(window)
    assert window.minimumSizeHint().width() <= 1280
    owner = new_staff(built, "Cara", "Lee")
    raise_action(
        built,
        ActionInput("Renew insurance", owner, dt.date(2026, 11, 2), dt.date(2026, 10, 1)),
        today=TODAY,
    )
    ctx.changed.emit(Changes.of(ACTIONS))
    wait_idle(qtbot, ctx)
    assert "<b>2</b> overdue" in home.cards["actions"].count_text("overdue")
    assert "Renew insurance" in home.cards["actions"].items.text()


def test_card_show_opens_the_area_filtered_as_counted(
    qtbot: QtBot, built: Database, window: MainWindow, ctx: AppContext
) -> None:
    home = _home(window)
    qtbot.mouseClick(home.cards["actions"].show_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, ctx)
    page = window.page("actions")
    assert window.stack.currentWidget() is page
    assert window.nav.currentRow() == window.keys.index("actions")
    assert isinstance(page, ActionsPage)
    assert page.proxy.rowCount() == read_home(built, TODAY).figures.actions.overdue == 1
    assert page.focus_count() == 1
    # Each count is a link to exactly its items.
    home.cards["actions"].count_labels["open"].linkActivated.emit("open")
    wait_idle(qtbot, ctx)
    assert page.focus_count() == read_home(built, TODAY).figures.actions.open == 3
    qtbot.mouseClick(home.cards["recruitment"].show_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.page("staff")


def test_todo_lists_everything_and_filters_by_area_and_person(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    built: Database,
    window: MainWindow,
    ctx: AppContext,
) -> None:
    home = _home(window)
    todo = read_home(built, TODAY).todo
    qtmodeltester.check(home.todo_model, force_py=True)
    assert home.todo_proxy.rowCount() == len(todo)
    first = home.todo_proxy.index(0, 0).data(Qt.ItemDataRole.UserRole)
    assert first.level.needs_action  # the most overdue first
    home.area_filter.setCurrentIndex(home.area_filter.findData("actions"))
    actions = [i for i in todo if i.area == "actions"]
    assert home.todo_proxy.rowCount() == len(actions) == 2  # overdue and due soon
    home.person_filter.setCurrentIndex(home.person_filter.findData("Amy Smith"))
    assert home.todo_proxy.rowCount() == 1
    assert home.todo_proxy.index(0, 1).data() == actions[0].reference
    assert home.todo_count.text() == f"1 of {len(todo)} shown"
    # Enter or a double-click opens the item's page.
    index = home.todo_proxy.index(0, 1)
    home.todo_table.setCurrentIndex(index)
    home.todo_table.activated.emit(index)
    wait_idle(qtbot, ctx)
    page = window.page("actions")
    assert window.stack.currentWidget() is page
    assert isinstance(page, ActionsPage)
    chosen = page.table.currentIndex().data(Qt.ItemDataRole.UserRole)
    assert chosen.id == actions[0].record_id and chosen.description == "Fix the rota gaps"


def test_readiness_shows_reasons_of_the_chosen_statement(
    built: Database, window: MainWindow
) -> None:
    home = _home(window)
    readiness = read_home(built, TODAY).readiness
    assert len(home.statement_lists) == len(readiness.key_questions) == 5
    safe = home.statement_lists[0]
    assert safe.count() == len(readiness.key_questions[0].statements)
    safe.setCurrentRow(0)
    statement = readiness.key_questions[0].statements[0]
    assert statement.name in home.reasons.toPlainText()
    assert statement.reasons[0][:30] in home.reasons.toPlainText()
    assert any(w in safe.item(0).text() for w in ("Green", "Amber", "Red"))
    assert home.training_chart.points and home.complaints_chart.points
    assert len(home.audit_chart.points) == 12


def test_since_you_last_opened_lists_newly_overdue(
    qtbot: QtBot, built: Database, ctx: AppContext, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "last.ini"), QSettings.Format.IniFormat)
    settings.setValue("home/last_opened", "2026-10-25")
    window = MainWindow(ctx, settings)
    qtbot.addWidget(window)
    window.refresh_all()
    wait_idle(qtbot, ctx)
    news = _home(window).news.text()
    assert "since 25 Oct 2026" in news and "Fix the rota gaps" in news
    # Each newly overdue item is a link to its record.
    _home(window).news.linkActivated.emit("0")
    wait_idle(qtbot, ctx)
    page = window.page("actions")
    assert window.stack.currentWidget() is page and isinstance(page, ActionsPage)
    assert page.table.currentIndex().data(Qt.ItemDataRole.UserRole).description == (
        "Fix the rota gaps"
    )
    assert settings.value("home/last_opened") == TODAY.isoformat()


def test_first_run_shows_the_steps_to_get_started(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    home = _home(window)
    assert home.is_first_run()
    settings_step, staff_step, training_step = home.step_buttons
    assert staff_step.text() == "Import staff…"
    with qtbot.waitSignal(home.import_chosen) as chosen:
        home.import_chosen.disconnect(window.choose_import)  # no file dialog in a test
        qtbot.mouseClick(training_step, Qt.MouseButton.LeftButton)
    assert chosen.args == ["training"]
    qtbot.mouseClick(settings_step, Qt.MouseButton.LeftButton)
    dialogs = [d for d in window.findChildren(SettingsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].reject()
    wait_idle(qtbot, ctx)


def test_settings_dialog_offers_care_plan_reviews_up_to_12_months(
    qtbot: QtBot, ctx: AppContext
) -> None:
    from provider_desk.settings.queries import get_settings

    dialog = SettingsDialog(ctx, get_settings(ctx.db))
    qtbot.addWidget(dialog)
    assert dialog.plan_review.maximum() == 12  # NICE QS123: at least annually
    dialog.reject()
