"""Baseline for the start-up benchmark: a bare PySide6 window with a 250-row table, shown and
left to go idle, started the same way as the app (a fresh Python process). With
PROVIDER_DESK_STARTUP_MARKS set it writes "startup: painted" to stderr just after its first
paint, as the app does."""

from __future__ import annotations

import os
import sys
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QEventLoop, QModelIndex, QObject, Qt, QTimer
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


class FirstPaint(QObject):
    """Quits ``loop`` just after the watched widget's first paint (as the app marks it)."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            QTimer.singleShot(0, self.done)
        return False

    def done(self) -> None:
        if os.environ.get("PROVIDER_DESK_STARTUP_MARKS"):
            sys.stderr.write("startup: painted\n")
            sys.stderr.flush()
        self.loop.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    table = QTableView()
    table.setModel(Cells(table))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    loop = QEventLoop()
    watcher = FirstPaint(loop)
    table.viewport().installEventFilter(watcher)
    window.show()
    loop.exec()
    window.close()
    return 0 if app else 1


if __name__ == "__main__":
    sys.exit(main())
