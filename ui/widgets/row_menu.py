"""Right-click menus on table rows: open, edit, archive, history, copy reference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QTableView

from ui.models.table import ROW_ROLE

MenuEntry = tuple[str, Callable[[], object]] | None
"""(label, what it does), or None for a separator."""


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard."""
    QApplication.clipboard().setText(text)


def build_row_menu(view: QTableView, entries: Sequence[MenuEntry]) -> QMenu:
    """A menu of ``entries`` (separators collapse at the ends)."""
    menu = QMenu(view)
    for entry in entries:
        if entry is None:
            if menu.actions() and not menu.actions()[-1].isSeparator():
                menu.addSeparator()
            continue
        label, slot = entry
        action = menu.addAction(label)
        action.triggered.connect(lambda _checked=False, s=slot: s())
    while menu.actions() and menu.actions()[-1].isSeparator():
        menu.removeAction(menu.actions()[-1])
    return menu


def row_menu_at(
    view: QTableView, pos: QPoint, entries: Callable[[Any], Sequence[MenuEntry]]
) -> QMenu | None:
    """Select the row under ``pos`` (viewport coordinates) and build its menu (None: no row)."""
    index = view.indexAt(pos)
    if not index.isValid():
        return None
    view.setCurrentIndex(index)
    view.selectRow(index.row())
    row = index.data(ROW_ROLE)
    if row is None:
        return None
    return build_row_menu(view, entries(row))


def install_row_menu(view: QTableView, entries: Callable[[Any], Sequence[MenuEntry]]) -> None:
    """Right-clicking a row of ``view`` selects it and shows ``entries(row)`` as a menu."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = row_menu_at(view, pos, entries)
        if menu is not None and menu.actions():
            menu.exec(view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    view.customContextMenuRequested.connect(show)
