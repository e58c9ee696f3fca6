"""Baseline for the start-up benchmark: a bare PySide6 window with a 250-row table, shown and
left to go idle, started the same way as the app (a fresh Python process)."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEventLoop, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView


class Cells(QAbstractTableModel):
    """250 rows x 8 columns of text."""

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 250

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"cell {index.row()},{index.column()}"
        return None


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    table = QTableView()
    table.setModel(Cells(table))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()
    window.close()
    return 0 if app else 1


if __name__ == "__main__":
    sys.exit(main())
