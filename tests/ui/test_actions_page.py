"""Raising, completing, reopening and removing actions through the real page and dialogs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pytestqt.qtbot import QtBot

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.actions.rules import ActionStatus
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import click_save, wait_idle
from ui.context import AppContext
from ui.main_window import MainWindow


def test_raise_complete_reopen_remove(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    owner = new_staff(ctx.db, "Joanna", "Whitfield")
    page = window.page("actions")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.stack.currentWidget() is page.empty
    dialog = page.new_action()
    click_save(qtbot, ctx, dialog)
    assert dialog.form.errors["description"].text()
    assert dialog.form.errors["owner_id"].text() == "Every action needs an owner."
    dialog.description.setPlainText("Update the lone working risk assessment")
    dialog.owner.setCurrentIndex(dialog.owner.findData(owner))
    dialog.due_on.edit.setText("01/11/2026")  # already overdue
    dialog.raised_on.edit.setText("01/10/2026")
    click_save(qtbot, ctx, dialog)
    assert not dialog.isVisible()
    (row,) = list_actions(ctx.db, TODAY)
    assert row.status == ActionStatus.OVERDUE
    assert "1 overdue" in page.count_label.text()

    page.table.selectRow(0)
    done = page.complete_selected()
    assert done is not None
    click_save(qtbot, ctx, done)
    assert "Evidence of completion is required." in done.form.errors["completion_evidence"].text()
    done.evidence.setPlainText("New assessment signed 20/11; copy in the office file")
    click_save(qtbot, ctx, done)
    assert list_actions(ctx.db, TODAY)[0].completed_on == TODAY
    assert page.proxy.rowCount() == 0  # 'Not done yet' hides it
    page.status_filter.setCurrentIndex(page.status_filter.findData("all"))
    page.table.selectRow(0)
    page.reopen_selected()
    wait_idle(qtbot, ctx)
    assert list_actions(ctx.db, TODAY)[0].completed_on is None
    page.table.selectRow(0)
    page.remove_selected(confirm=False)
    wait_idle(qtbot, ctx)
    assert list_actions(ctx.db, TODAY) == []


def test_filters_by_source_and_owner(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    from provider_desk.areas.actions.services import ActionInput, raise_action

    a, b = new_staff(ctx.db, "Amy", "Smith"), new_staff(ctx.db, "Bob", "Jones")
    raise_action(ctx.db, ActionInput("One", a, TODAY + dt.timedelta(days=5)), today=TODAY)
    raise_action(
        ctx.db, ActionInput("Two", b, TODAY + dt.timedelta(days=200), source="audit"), today=TODAY
    )
    page = window.page("actions")
    page.refresh()
    wait_idle(qtbot, ctx)
    assert page.proxy.rowCount() == 2
    page.source_filter.setCurrentIndex(page.source_filter.findData("audit"))
    assert page.proxy.rowCount() == 1
    page.source_filter.setCurrentIndex(0)
    page.owner_filter.setCurrentIndex(page.owner_filter.findData(a))
    assert page.proxy.rowCount() == 1
    page.owner_filter.setCurrentIndex(0)
    page.status_filter.setCurrentIndex(page.status_filter.findData(ActionStatus.DUE_SOON))
    assert page.proxy.rowCount() == 1


def test_export_the_plan(qtbot: QtBot, window: MainWindow, ctx: AppContext, tmp_path: Path) -> None:
    from provider_desk.areas.actions.services import ActionInput, raise_action

    owner = new_staff(ctx.db, "Amy", "Smith")
    raise_action(ctx.db, ActionInput("One", owner, TODAY), today=TODAY)
    page = window.page("actions")
    page.refresh()
    wait_idle(qtbot, ctx)
    page.export_to(tmp_path / "plan.xlsx")
    page.export_to(tmp_path / "plan")  # no suffix: a PDF
    wait_idle(qtbot, ctx)
    assert (tmp_path / "plan.xlsx").stat().st_size > 0
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")
