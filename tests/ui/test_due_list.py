"""The "Due list" on an area page: the area's problems first; a double-click opens the record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot

from provider_desk.areas.training.queries import list_courses
from provider_desk.areas.training.services import TrainingInput, record_training
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import wait_idle
from ui.areas.complaints.page import ComplaintsPage
from ui.areas.training.page import TrainingPage
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.models.table import ROW_ROLE


def _training_page(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> tuple[TrainingPage, int]:
    amy = new_staff(ctx.db, "Amy", "Smith")
    new_staff(ctx.db, "Bob", "Jones")
    fire = next(c.id for c in list_courses(ctx.db) if c.name == "Fire safety")
    record_training(ctx.db, amy, TrainingInput(fire, dt.date(2023, 6, 1)), today=TODAY)
    window.show()
    window.show_area("training")
    page = window.page("training")
    assert isinstance(page, TrainingPage)
    page.refresh()
    wait_idle(qtbot, ctx)
    return page, amy


def test_the_toggle_shows_the_areas_items_most_urgent_first(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page, _amy = _training_page(qtbot, window, ctx)
    assert page.due.currentWidget() is page.due.content
    page.due.button.click()
    wait_idle(qtbot, ctx)
    panel = page.due.panel
    assert page.due.currentWidget() is panel and panel.rows is not None
    people = {r.person for r in panel.rows}
    assert people == {"Amy Smith", "Bob Jones"}
    fire = next(r for r in panel.rows if r.person == "Amy Smith" and r.item == "Fire safety")
    assert fire.days is not None and fire.days > 0 and fire.when.endswith("days overdue")
    late = [r.level.needs_action for r in panel.rows]
    assert late == sorted(late, reverse=True)  # late first
    assert panel.model.rowCount() == len(panel.rows)


def test_double_click_opens_the_record_and_leaves_the_list(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page, amy = _training_page(qtbot, window, ctx)
    page.due.show_due_list(True)
    wait_idle(qtbot, ctx)
    panel = page.due.panel
    model = panel.table.model()
    row = next(
        i
        for i in range(model.rowCount())
        if model.index(i, 0).data(ROW_ROLE).item == "Fire safety"
        and model.index(i, 0).data(ROW_ROLE).person == "Amy Smith"
    )
    panel.table.doubleClicked.emit(model.index(row, 1))
    wait_idle(qtbot, ctx)
    assert not page.due.button.isChecked()
    assert page.due.currentWidget() is page.due.content
    fire = next(c.id for c in list_courses(ctx.db) if c.name == "Fire safety")
    assert page.opened() == (amy, fire)


def test_export_writes_the_list(
    qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path
) -> None:
    page, _ = _training_page(qtbot, window, ctx)
    page.due.show_due_list(True)
    wait_idle(qtbot, ctx)
    out = tmp_path / "due.csv"
    page.due.panel.export_to(out)
    wait_idle(qtbot, ctx)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("person,item,status") and len(lines) == 1 + len(
        page.due.panel.rows or []
    )


def test_complaints_has_a_due_list_tab(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    window.show()
    window.show_area("complaints")
    page = window.page("complaints")
    assert isinstance(page, ComplaintsPage)
    page.tabs.setCurrentWidget(page.due_list)
    wait_idle(qtbot, ctx)
    assert page.due_list.rows == [] and page.due_list.stack.currentWidget() is page.due_list.empty
