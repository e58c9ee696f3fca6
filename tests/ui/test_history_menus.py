"""Every page's row menus end in "History…" for the record on the row, and that record is one the
change log knows and can name (on the demo database)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from provider_desk.history.queries import record_ref_in
from tests.ui.conftest import wait_idle
from ui.context import AppContext
from ui.main_window import NAV, MainWindow
from ui.models.table import ROW_ROLE
from ui.widgets.row_menu import HISTORY, row_menu_for


@pytest.fixture
def db_path(demo_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(demo_file, path)
    return path


def test_every_row_menu_with_a_record_offers_its_history(
    qtbot: QtBot, ctx: AppContext, window: MainWindow
) -> None:
    checked: dict[str, str] = {}
    for key, *_ in NAV:
        window.show_area(key)
        wait_idle(qtbot, ctx)
        qtbot.wait(50)  # a selected record's details load after its page
        wait_idle(qtbot, ctx)
        page = window.page(key)
        if key == "people":  # someone with a care plan and risk assessments, so those show
            table = page.table  # type: ignore[attr-defined]
            rows = [
                table.model().index(i, 0).data(ROW_ROLE) for i in range(table.model().rowCount())
            ]
            table.selectRow(next(i for i, p in enumerate(rows) if p.plan_number and p.high_risks))
            wait_idle(qtbot, ctx)
        for view in page.findChildren(QTableView):
            menu_of = getattr(view, "row_menu", None)
            if menu_of is None or menu_of[1] is None or view.model().rowCount() == 0:
                continue
            row = view.model().index(0, 0).data(ROW_ROLE)
            record = menu_of[1](row)
            if record is None:
                continue
            menu = row_menu_for(view, 0)
            assert menu is not None
            assert menu.actions()[-1].text() == HISTORY, f"{key}: {view.objectName()}"
            ref = ctx.db.read(lambda s, r=record: record_ref_in(s, *r))
            assert "no longer held" not in ref.description, (key, record)
            checked[record[0]] = ref.description
    # The pages' main lists and their records' parts all took part.
    assert {"staff_member", "person", "complaint", "action", "audit_template"} <= set(checked)
    assert {"recruitment_check", "care_plan", "risk_assessment"} <= set(checked)
