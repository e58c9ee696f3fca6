"""Table views configured the same way everywhere: whole-row selection, read-only, sortable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from ui.models.table import ROW_ROLE


def make_table_view(
    model: QAbstractItemModel,
    *,
    sort_column: int | None = None,
    parent: QWidget | None = None,
) -> QTableView:
    """A read-only, single-row-selection table; sortable by header click if ``sort_column``."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    # Size columns from the first rows only: measuring hundreds of rows delays start-up.
    header.setResizeContentsPrecision(60)
    if sort_column is not None:
        view.setSortingEnabled(True)
        view.sortByColumn(sort_column, Qt.SortOrder.AscendingOrder)
    return view


def select_row(view: QTableView, matches: Callable[[Any], bool], column: int = 0) -> bool:
    """Put the cursor on the first row shown in ``view`` whose row object (``ROW_ROLE``) matches,
    select it and scroll to it; False if no row shown matches."""
    model = view.model()
    for i in range(model.rowCount()):
        index = model.index(i, column)
        if matches(index.data(ROW_ROLE)):
            view.setCurrentIndex(index)
            view.selectRow(i)
            view.scrollTo(index)
            return True
    return False
