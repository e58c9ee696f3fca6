"""What a page shows when there is nothing to list: what this is, and what to do next."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A friendly message with up to two buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.title = QLabel(self)
        self.title.setObjectName("emptyTitle")
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (self.title, self.text):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(w)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addLayout(self.buttons)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._buttons: list[QPushButton] = []

    def show_message(
        self, title: str, text: str, buttons: list[tuple[str, object]] | None = None
    ) -> None:
        """Set the message and the buttons (label, slot)."""
        self.title.setText(title)
        self.text.setText(text)
        for b in self._buttons:
            b.deleteLater()
        self._buttons = []
        for label, slot in buttons or []:
            b = QPushButton(label, self)
            b.clicked.connect(slot)
            self.buttons.addWidget(b)
            self._buttons.append(b)
