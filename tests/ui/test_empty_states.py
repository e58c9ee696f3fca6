"""Empty pages explain themselves; a new audit programme asks when it starts."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from provider_desk.areas.audits.queries import audit_programme
from provider_desk.areas.complaints.services import ComplaintInput, save_complaint
from provider_desk.rules.due import Level
from provider_desk.settings.queries import get_settings
from tests.conftest import TODAY, new_staff
from tests.ui.conftest import wait_idle
from ui.areas.audits.page import AuditsPage
from ui.context import AppContext
from ui.main_window import MainWindow


def _show(qtbot: QtBot, window: MainWindow, ctx: AppContext, key: str) -> object:
    window.show()
    window.show_area(key)
    page = window.page(key)
    page.refresh()
    wait_idle(qtbot, ctx)
    return page


def test_training_without_staff_explains_instead_of_a_dash(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page = _show(qtbot, window, ctx, "training")
    assert page.main.currentWidget() is page.empty  # type: ignore[attr-defined]
    assert "—" not in page.summary.text() and "No staff" in page.summary.text()  # type: ignore[attr-defined]
    assert page.empty.title.text() == "No training to show yet"  # type: ignore[attr-defined]
    new_staff(ctx.db, "Amy", "Smith")
    page.refresh()  # type: ignore[attr-defined]
    wait_idle(qtbot, ctx)
    assert page.main.currentWidget() is page.splitter  # type: ignore[attr-defined]
    assert "of required training in date" in page.summary.text()  # type: ignore[attr-defined]


def test_supervision_without_staff_explains(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page = _show(qtbot, window, ctx, "supervision")
    assert page.main.currentWidget() is page.empty  # type: ignore[attr-defined]
    new_staff(ctx.db, "Amy", "Smith")
    page.refresh()  # type: ignore[attr-defined]
    wait_idle(qtbot, ctx)
    assert page.main.currentWidget() is page.splitter  # type: ignore[attr-defined]


def test_complaints_empty_then_listed(qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
    page = _show(qtbot, window, ctx, "complaints")
    assert page.list_stack.currentWidget() is page.empty  # type: ignore[attr-defined]
    assert page.empty.title.text() == "No complaints logged"  # type: ignore[attr-defined]
    save_complaint(
        ctx.db,
        ComplaintInput(dt.date(2026, 11, 20), "A B", "late"),
        today=TODAY,
        expected_version=None,
    )
    page.refresh()  # type: ignore[attr-defined]
    wait_idle(qtbot, ctx)
    assert page.list_stack.currentWidget() is page.table  # type: ignore[attr-defined]


def test_a_new_audit_programme_asks_when_it_starts(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    page = _show(qtbot, window, ctx, "audits")
    assert isinstance(page, AuditsPage)
    tab = page.programme_tab
    assert tab.start_strip.isVisible()
    rows = tab.model.rows()
    assert rows and all(not r.status.needs_action for r in rows)  # nothing overdue on day one
    tab.start_date.set_date(TODAY - dt.timedelta(days=1))
    tab.set_start_button.click()
    wait_idle(qtbot, ctx)
    assert get_settings(ctx.db).audit_programme_start == TODAY - dt.timedelta(days=1)
    assert not tab.start_strip.isVisible()
    assert {r.status for r in tab.model.rows()} == {Level.MISSING}
    assert {p.status for p in audit_programme(ctx.db, TODAY)} == {Level.MISSING}
