"""A page's toolbar kept narrow: the everyday buttons in a row, the rest behind "More ▾"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ui.icons import icon


class MoreButton(QToolButton):
    """A "More ▾" button whose menu holds a page's rarely used commands."""

    def __init__(self, parent: QWidget | None = None, text: str = "More") -> None:
        super().__init__(parent)
        self.setText(text)
        self.setIcon(icon("fa5s.ellipsis-h"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.setToolTip("More commands")

    def add(self, text: str, slot: Callable[[], object], icon_name: str | None = None) -> QAction:
        """Add a command to the menu."""
        menu = self.menu()
        action = menu.addAction(
            icon(icon_name) if icon_name else icon("fa5s.circle", "#00000000"), text
        )
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def add_separator(self) -> None:
        """A line between groups of commands."""
        self.menu().addSeparator()

    def actions_by_text(self) -> dict[str, QAction]:
        """The menu's commands by their text (for enabling them, and for tests)."""
        return {a.text(): a for a in self.menu().actions() if not a.isSeparator()}


def history_toggle(text: str = "History") -> QToolButton:
    """A checked button that shows or hides a page's history panel (room for a wide grid)."""
    button = QToolButton()
    button.setText(text)
    button.setIcon(icon("fa5s.history"))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setCheckable(True)
    button.setChecked(True)
    button.setToolTip("Show or hide the history panel")
    return button
