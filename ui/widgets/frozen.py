"""A table whose first columns stay put while the rest scroll sideways (Qt's "frozen column"
example): a second view over the same model and selection, laid over the left of the first,
showing only the frozen columns and scrolling up and down with it."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


class FrozenTableView(QTableView):
    """A table view with its first ``frozen`` columns always on show."""

    def __init__(self, frozen: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = frozen
        self.frozen_view = QTableView(self)
        self.frozen_view.setObjectName("frozenColumns")
        self.frozen_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen_view.verticalHeader().hide()
        self.frozen_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen_view.setFrameShape(QTableView.Shape.NoFrame)
        self.frozen_view.setStyleSheet(
            "QTableView#frozenColumns { border-right: 2px solid #b0bec5; }"
        )
        self.frozen_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen_view.setVerticalScrollMode(self.verticalScrollMode())
        self.viewport().stackUnder(self.frozen_view)
        self.horizontalHeader().sectionResized.connect(self._on_column_resized)
        self.verticalHeader().sectionResized.connect(
            lambda row, _old, new: self.frozen_view.setRowHeight(row, new)
        )
        self.frozen_view.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen_view.verticalScrollBar().setValue)
        self.frozen_view.horizontalHeader().sortIndicatorChanged.connect(self._on_frozen_sort)
        self.horizontalHeader().geometriesChanged.connect(self.update_frozen_geometry)
        self.frozen_view.doubleClicked.connect(self.doubleClicked.emit)
        self.frozen_view.clicked.connect(self.clicked.emit)
        self.frozen_view.installEventFilter(self)

    # Wiring ------------------------------------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen_view.setModel(model)
        self.frozen_view.setSelectionModel(self.selectionModel())
        if model is not None:
            for signal in (model.modelReset, model.layoutChanged, model.columnsInserted):
                signal.connect(self._hide_scrolling_columns)
        self._hide_scrolling_columns()

    def setSelectionBehavior(self, behavior: QAbstractItemView.SelectionBehavior) -> None:
        super().setSelectionBehavior(behavior)
        self.frozen_view.setSelectionBehavior(behavior)

    def setSortingEnabled(self, enable: bool) -> None:
        super().setSortingEnabled(enable)
        self.frozen_view.setSortingEnabled(enable)

    def setAlternatingRowColors(self, enable: bool) -> None:
        super().setAlternatingRowColors(enable)
        self.frozen_view.setAlternatingRowColors(enable)

    def setWordWrap(self, on: bool) -> None:
        super().setWordWrap(on)
        self.frozen_view.setWordWrap(on)

    def _on_frozen_sort(self, column: int, order: Qt.SortOrder) -> None:
        header = self.horizontalHeader()
        if (header.sortIndicatorSection(), header.sortIndicatorOrder()) != (column, order):
            header.setSortIndicator(column, order)

    def _hide_scrolling_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        for column in range(model.columnCount()):
            self.frozen_view.setColumnHidden(column, column >= self.frozen)
            if column < self.frozen:
                self.frozen_view.setColumnWidth(column, self.columnWidth(column))
        self.update_frozen_geometry()

    def _on_column_resized(self, column: int, _old: int, new: int) -> None:
        if column < self.frozen:
            self.frozen_view.setColumnWidth(column, new)
            self.update_frozen_geometry()

    def frozen_width(self) -> int:
        """How wide the frozen columns are together."""
        return sum(self.columnWidth(c) for c in range(min(self.frozen, self._columns())))

    def _columns(self) -> int:
        model = self.model()
        return model.columnCount() if model is not None else 0

    def update_frozen_geometry(self) -> None:
        """Lay the frozen columns over the left of the table, headers level with its own."""
        header_height = self.horizontalHeader().height()
        self.frozen_view.horizontalHeader().setFixedHeight(header_height)
        self.frozen_view.setGeometry(
            self.verticalHeader().width() + self.frameWidth(),
            self.frameWidth(),
            self.frozen_width(),
            self.viewport().height() + header_height,
        )
        self.frozen_view.verticalScrollBar().setValue(self.verticalScrollBar().value())

    # Keeping the cursor visible beside the frozen columns --------------------------------
    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self.update_frozen_geometry()

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if index.column() >= self.frozen:
            super().scrollTo(index, hint)
            left = self.visualRect(index).left()
            if left < self.frozen_width():
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() - (self.frozen_width() - left))
        else:
            # Only up and down: the frozen columns are always on show.
            bar = self.horizontalScrollBar()
            keep = bar.value()
            super().scrollTo(index, hint)
            bar.setValue(keep)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.frozen_view and event.type() == QEvent.Type.Wheel:
            self.wheelEvent(event)  # type: ignore[arg-type]
            return True
        return super().eventFilter(watched, event)
