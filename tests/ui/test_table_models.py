"""Every table model passes Qt's model tester, filled with real rows from the demo database."""

from __future__ import annotations

from pathlib import Path

from pytestqt.modeltest import ModelTester

from provider_desk.areas.actions.queries import list_actions
from provider_desk.areas.staff.imports import import_staff
from provider_desk.areas.staff.queries import list_job_roles, list_staff, staff_checks
from provider_desk.db.session import Database
from provider_desk.demo import generate
from provider_desk.tabular.report import Conflict
from tests.conftest import TODAY
from ui.areas.actions.page import ACTION_COLUMNS
from ui.areas.staff.job_roles_dialog import ROLE_COLUMNS
from ui.areas.staff.page import CHECK_COLUMNS, STAFF_COLUMNS
from ui.dialogs.import_dialog import (
    CHANGE_COLUMNS,
    CONFLICT_COLUMNS,
    PLANNED_COLUMNS,
    SKIPPED_COLUMNS,
    ChangeLine,
)
from ui.models.table import SORT_ROLE, RowFilterProxy, RowTableModel


def test_every_model_passes_the_model_tester(
    qtmodeltester: ModelTester, db: Database, tmp_path: Path
) -> None:
    generate(db, seed=5, today=TODAY)
    staff = list_staff(db, include_left=True)
    csv_file = tmp_path / "s.csv"
    csv_file.write_text(
        "Name,Role,Start date\nA B,Care worker,01/01/2024\nC D,Pilot,x\n", encoding="utf-8"
    )
    report = import_staff(db, csv_file, today=TODAY, dry_run=True)
    cases = [
        (STAFF_COLUMNS, staff),
        (CHECK_COLUMNS, staff_checks(db, staff[0].id)),
        (ACTION_COLUMNS, list_actions(db, TODAY)),
        (ROLE_COLUMNS, list_job_roles(db)),
        (PLANNED_COLUMNS, report.planned),
        (SKIPPED_COLUMNS, report.skipped),
        (CHANGE_COLUMNS, [ChangeLine("line 2", "Amy Smith", "Team", "North", "South")]),
        (CONFLICT_COLUMNS, [Conflict("line 3", "Worker id W1 is Amy's", "Amy Smith", "Zed Qu")]),
    ]
    for columns, rows in cases:
        assert rows, columns[0].title
        model: RowTableModel[object] = RowTableModel(columns)  # type: ignore[arg-type]
        model.set_rows(rows)
        qtmodeltester.check(model, force_py=True)
        proxy = RowFilterProxy()
        proxy.setSourceModel(model)
        qtmodeltester.check(proxy, force_py=True)


def test_sorting_uses_raw_values_and_blanks_last(db: Database) -> None:
    generate(db, seed=5, today=TODAY)
    model: RowTableModel[object] = RowTableModel(STAFF_COLUMNS)  # type: ignore[arg-type]
    model.set_rows(list_staff(db, include_left=True))
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(4)  # Started: by date, not by the text "12 Oct 2025"
    dates = [proxy.index(i, 4).data(SORT_ROLE) for i in range(proxy.rowCount())]
    assert dates == sorted(dates)
    proxy.set_predicate(lambda r: r.status == "left")
    assert 0 < proxy.rowCount() < model.rowCount()


def test_sort_keeps_selection_and_survives_reload(qtbot: object, db: Database) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    from ui.models.table import ROW_ROLE

    generate(db, seed=5, today=TODAY)
    rows = list_staff(db, include_left=True)
    model: RowTableModel[object] = RowTableModel(STAFF_COLUMNS)  # type: ignore[arg-type]
    proxy = RowFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.selectRow(7)
    chosen = view.selectionModel().selectedRows()[0].data(ROW_ROLE)
    view.sortByColumn(4, Qt.SortOrder.DescendingOrder)
    assert view.selectionModel().selectedRows()[0].data(ROW_ROLE) == chosen
    starts = [proxy.index(i, 0).data(ROW_ROLE).start_date for i in range(proxy.rowCount())]
    assert starts == sorted(starts, reverse=True)
    model.set_rows(list(reversed(rows)))  # a reload keeps the user's chosen order
    again = [proxy.index(i, 0).data(ROW_ROLE).start_date for i in range(proxy.rowCount())]
    assert again == starts
    assert proxy.sortColumn() == 4
