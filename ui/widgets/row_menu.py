"""Right-click menus on table rows: open, edit, archive, history, copy reference.

Given ``record=(table_name, row_id)`` a row's menu also offers what every record has: its change
history ("History…", see :func:`record_entries`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QTableView, QWidget

from ui.models.table import ROW_ROLE

MenuEntry = tuple[str, Callable[[], object]] | None
"""(label, what it does), or None for a separator."""

Record = tuple[str, int]
"""A record as the change log names it: (table name, row id), e.g. ``("complaint", 12)``."""

HISTORY = "History…"


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard."""
    QApplication.clipboard().setText(text)


def record_entries(widget: QWidget, record: Record) -> list[MenuEntry]:
    """What every record's menu offers beyond the page's own entries (given its table name and
    id): "History…", the change log opened on that record."""
    table, row_id = record

    def show_history() -> None:
        from ui.history.viewer import open_history

        open_history(widget, table, row_id)

    return [(HISTORY, show_history)]


def build_row_menu(
    view: QWidget, entries: Sequence[MenuEntry], *, record: Record | None = None
) -> QMenu:
    """A menu of ``entries`` (separators collapse at the ends), followed by what ``record``
    offers (see :func:`record_entries`)."""
    menu = QMenu(view)
    extra = record_entries(view, record) if record is not None else []
    for entry in [*entries, None, *extra]:
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
    view: QTableView,
    pos: QPoint,
    entries: Callable[[Any], Sequence[MenuEntry]],
    record: Callable[[Any], Record | None] | None = None,
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
    return build_row_menu(view, entries(row), record=record(row) if record else None)


def install_row_menu(
    view: QTableView,
    entries: Callable[[Any], Sequence[MenuEntry]],
    *,
    record: Callable[[Any], Record | None] | None = None,
) -> None:
    """Right-clicking a row of ``view`` selects it and shows ``entries(row)`` as a menu;
    ``record(row)`` names its record (table, id) for the entries every record has."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = row_menu_at(view, pos, entries, record)
        if menu is not None and menu.actions():
            menu.exec(view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    view.customContextMenuRequested.connect(show)
