"""Table views configured the same way everywhere: whole-row selection, read-only, sortable,
columns sized from their content (even when empty) with one chosen column taking the rest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.table import ROW_ROLE, Column, RowTableModel
from ui.widgets.frozen import FrozenTableView

STRETCH = "stretchColumn"
MAX_CONTENT_WIDTH = 240
"""A column sized from its content is no wider than this (long text is elided, with a tooltip)."""
FIT_ROWS = 60
"""Columns are sized from the rows on show and this many more, never from every row."""
ICON_ROOM = 22
"""Roughly what a cell's icon adds to its width (to pick the widest cell; Qt then sizes it)."""


def fit_columns(view: QTableView) -> None:
    """Size every column from its header and first rows (so an empty table still shows whole
    headers), no wider than :data:`MAX_CONTENT_WIDTH`; the stretching column (see
    :func:`make_table_view`) takes the room left."""
    header = view.horizontalHeader()
    stretch = view.property(STRETCH)
    if _fit_from_texts(view, stretch):
        return
    for column in range(header.count()):
        if column == stretch:
            continue
        view.resizeColumnToContents(column)
        if header.sectionSize(column) > MAX_CONTENT_WIDTH:
            header.resizeSection(column, MAX_CONTENT_WIDTH)


def _fit_from_texts(view: QTableView, stretch: object) -> bool:
    """:func:`fit_columns` for a table of :class:`RowTableModel` rows: the widest text of each
    column's first rows is found by measuring the strings alone, and only that one cell is
    sized by Qt (icon, margins and all). Qt's own resizeColumnToContents asks the model eight
    questions per cell through Python; refilling the huge demo's lists that way took up to a
    tenth of a second of the window's thread, each question waiting for the interpreter lock
    while a worker reads. False when the model is not a RowTableModel (Qt measures then)."""
    model = view.model()
    source = model.sourceModel() if isinstance(model, QAbstractProxyModel) else model
    if not isinstance(source, RowTableModel):
        return False
    header = view.horizontalHeader()
    count = min(model.rowCount(), FIT_ROWS)
    rows = [model.index(i, 0).data(ROW_ROLE) for i in range(count)]
    metrics = view.fontMetrics()
    grid = 1 if view.showGrid() else 0
    for column in range(min(header.count(), len(source.columns))):
        if column == stretch:
            continue
        width = 0
        if rows:
            col = source.columns[column]

            def room(i: int, col: Column[Any] = col) -> int:
                row = rows[i]
                icon = ICON_ROOM if col.decoration and col.decoration(row) is not None else 0
                return metrics.horizontalAdvance(col.display(row)) + icon

            widest = max(range(count), key=room)
            width = view.sizeHintForIndex(model.index(widest, column)).width() + grid
        width = max(width, header.sectionSizeHint(column))
        header.resizeSection(column, min(width, MAX_CONTENT_WIDTH))
    return True


def make_table_view(
    model: QAbstractItemModel,
    *,
    sort_column: int | None = None,
    stretch: int | None = None,
    frozen: int = 0,
    fit: bool = True,
    parent: QWidget | None = None,
) -> QTableView:
    """A read-only, single-row-selection table; sortable by header click if ``sort_column``.

    Columns are sized from their content whenever the rows are replaced; column ``stretch``
    (the description) takes the width left over instead of the last one. Without ``stretch``
    the last column stretches, as before. ``frozen``: the first columns stay on show while the
    rest scroll sideways (a matrix's names). ``fit=False``: the page sizes the columns itself.
    """
    view = FrozenTableView(frozen, parent) if frozen else QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    # Size columns from the first rows only: measuring hundreds of rows delays start-up. A
    # column's width is measured over rows, so it is the *vertical* header's precision that
    # resizeColumnToContents reads (left at Qt's 1,000 rows, sizing the staff list of the huge
    # demo called data() 125,000 times on the window's thread).
    header.setResizeContentsPrecision(FIT_ROWS)
    view.verticalHeader().setResizeContentsPrecision(FIT_ROWS)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setProperty(STRETCH, stretch)
    if fit:
        fit_columns(view)
        model.modelReset.connect(lambda: fit_columns(view))
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
