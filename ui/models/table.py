"""A table model over a list of frozen rows, with named columns and a sort role of raw values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

R = TypeVar("R")

ROW_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its title, what it shows, and how it sorts."""

    title: str
    display: Callable[[R], str]
    sort: Callable[[R], Any] | None = None  # a date, number or text (see sort_key)
    tooltip: Callable[[R], str] | None = None
    decoration: Callable[[R], Any] | None = None
    foreground: Callable[[R], Any] | None = None
    align_right: bool = False


# Blank dates sort after every real date (ascending).
_NO_DATE = dt.date.max.toordinal() + 1


def sort_key(value: Any) -> int | float | str:
    """A value Qt compares natively in C++ (a Python lessThan is far too slow for big tables)."""
    if value is None:
        return _NO_DATE
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, tuple):
        # (status order, date): each part compared as above, so dates order by day, not text.
        return tuple(sort_key(v) for v in value)  # type: ignore[return-value]
    return str(value).lower()


class SortedRowsModel(QAbstractTableModel, Generic[R]):
    """A table over a list of frozen rows that sorts the rows itself: one key per row, compared
    by Python's sort in C, instead of Qt calling back into Python for every comparison.

    Subclasses give ``sort_value(row, column)`` and ``columnCount``; rows arrive through
    ``replace_rows()`` and keep the user's chosen order.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[R] = []
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None

    def sort_value(self, row: R, column: int) -> Any:
        """What ``row`` sorts by in ``column`` (a date, number or text)."""
        raise NotImplementedError

    def replace_rows(self, rows: Sequence[R]) -> None:
        """Show ``rows`` instead of what was there (kept in the current sort order)."""
        self.beginResetModel()
        self._rows = self._ordered(list(rows))
        self.endResetModel()

    def _ordered(self, rows: list[R]) -> list[R]:
        if self._sorted_by is None:
            return rows
        column, order = self._sorted_by
        return sorted(
            rows,
            key=lambda r: sort_key(self.sort_value(r, column)),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows, keeping selections and the current cell on the same rows."""
        if not 0 <= column < self.columnCount():
            return
        self.layoutAboutToBeChanged.emit()
        self._sorted_by = (column, order)
        positions = {id(r): i for i, r in enumerate(self._rows)}
        self._rows = self._ordered(self._rows)
        moved = {positions[id(r)]: new for new, r in enumerate(self._rows)}
        for index in self.persistentIndexList():
            new_row = moved.get(index.row(), index.row())
            self.changePersistentIndex(index, self.index(new_row, index.column()))
        self.layoutChanged.emit()

    def rows(self) -> list[R]:
        """The rows shown, in model order."""
        return list(self._rows)

    def row_at(self, row: int) -> R:
        """The row object at ``row``."""
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)


class RowTableModel(SortedRowsModel[R]):
    """Rows are replaced wholesale by ``set_rows()``: the model never touches the database."""

    def __init__(self, columns: Sequence[Column[R]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show ``rows`` instead of what was there (kept in the current sort order)."""
        self.replace_rows(rows)

    def sort_value(self, row: R, column: int) -> Any:
        col = self.columns[column]
        return (col.sort or col.display)(row)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.display(row)
        if role == SORT_ROLE:
            return sort_key(col.sort(row) if col.sort else col.display(row))
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return col.tooltip(row)
        if role == Qt.ItemDataRole.DecorationRole and col.decoration:
            return col.decoration(row)
        if role == Qt.ItemDataRole.ForegroundRole and col.foreground:
            return col.foreground(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section].title
        return None


class RowFilterProxy(QSortFilterProxyModel):
    """Keeps rows for which the predicate is true. Sorting is passed to the RowTableModel, which
    orders its rows in Python once per click instead of Qt calling back per comparison."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._predicate: Callable[[Any], bool] = lambda _row: True
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the source model; the proxy keeps its order (for the header's indicator)."""
        self._sort_column, self._sort_order = column, order
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)  # every model here sorts its own rows

    def sortColumn(self) -> int:
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:
        return self._sort_order

    def shown_rows(self) -> list[Any]:
        """The row objects shown, in order: the source's rows the predicate keeps, without a
        Qt call per row (counting the huge demo's staff list through ``index().data()`` was
        a third of its fill)."""
        model = self.sourceModel()
        if isinstance(model, SortedRowsModel):
            keep = self._predicate
            return [row for row in model._rows if keep(row)]
        return [self.index(i, 0).data(ROW_ROLE) for i in range(self.rowCount())]

    def set_predicate(self, predicate: Callable[[Any], bool], *, refilter: bool = True) -> None:
        """Filter with ``predicate(row)``. ``refilter=False`` only when the source model is
        about to be reset (its new rows are filtered then, once, with this predicate)."""
        if not refilter:
            self._predicate = predicate
            return
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if isinstance(model, SortedRowsModel):  # the row itself, not through Qt's data()
            rows = model._rows  # called once per row of a big table: no Python calls to get it
            row = rows[source_row] if 0 <= source_row < len(rows) else None
        else:
            row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        return row is not None and self._predicate(row)
