"""The app's day: read once at start, moved on just after midnight, and every page follows."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.services import ActionInput, raise_action
from provider_desk.db.session import Database
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import wait_idle
from ui.context import AppContext, ms_to_midnight
from ui.main_window import MainWindow


def test_an_app_left_open_overnight_moves_to_the_new_day(
    qtbot: QtBot, db: Database, qsettings: QSettings
) -> None:
    calendar = [TODAY]
    ctx = AppContext(db, today=lambda: calendar[0])
    owner = new_staff(db, "Joanna", "Whitfield")
    raise_action(db, ActionInput("Update the lone working policy", owner, TODAY), today=TODAY)
    window = MainWindow(ctx, qsettings)
    qtbot.addWidget(window)
    page = window.page("actions")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert "0 overdue" in page.count_label.text()  # due today is not overdue yet

    assert ctx.check_day() is False  # same day: nothing reloads
    calendar[0] = TODAY + dt.timedelta(days=1)
    with qtbot.waitSignal(ctx.day_changed) as moved:
        assert ctx.check_day() is True
    assert moved.args == [TODAY + dt.timedelta(days=1)]
    assert ctx.today() == TODAY + dt.timedelta(days=1)
    wait_idle(qtbot, ctx)
    assert "1 overdue" in page.count_label.text()
    ctx.tasks.wait()


def test_the_midnight_timer_fires_just_after_midnight() -> None:
    tz = dt.timezone(dt.timedelta(hours=1))
    assert ms_to_midnight(dt.datetime(2028, 2, 28, 23, 59, 0, tzinfo=tz)) == 61_000
    assert ms_to_midnight(dt.datetime(2026, 12, 3, 0, 0, 0, tzinfo=tz)) == 86_401_000


def test_now_comes_from_the_clock_the_context_was_given(qtbot: QtBot, db: Database) -> None:
    moment = dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC)
    assert AppContext(db, today=lambda: TODAY, now=lambda: moment).now() == moment
    real = AppContext(db, today=lambda: TODAY).now()
    assert real.tzinfo is not None  # the clock's aware timestamp, not a naive local time
