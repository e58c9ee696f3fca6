"""Right-click menus on table rows: open, edit, archive, history, copy reference."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu, QTableView, QWidget

from ui.models.table import ROW_ROLE

if TYPE_CHECKING:
    from ui.context import AppContext

MenuEntry = tuple[str, Callable[[], object]] | None
"""(label, what it does), or None for a separator."""

RecordOf = Callable[[Any], tuple[str, int] | None]
"""A row's record in the change log: (table name, row id), or None (no history to show)."""

HISTORY = "History…"


def history_entry(view: QWidget, ctx: AppContext, table: str, row_id: int) -> MenuEntry:
    """The menu entry that opens the change log on record ``(table, row_id)``."""

    def show() -> None:
        from ui.history.viewer import open_history

        open_history(view, ctx, table, row_id)

    return (HISTORY, show)


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard."""
    QApplication.clipboard().setText(text)


def build_row_menu(
    view: QTableView,
    entries: Sequence[MenuEntry],
    *,
    record: tuple[str, int] | None = None,
    ctx: AppContext | None = None,
) -> QMenu:
    """A menu of ``entries`` (separators collapse at the ends); with ``record`` (table name, row
    id) and ``ctx``, "History…" at the end opens that record's change log."""
    if record is not None and ctx is not None:
        entries = [*entries, None, history_entry(view, ctx, *record)]
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
    view: QTableView,
    pos: QPoint,
    entries: Callable[[Any], Sequence[MenuEntry]],
    *,
    record: RecordOf | None = None,
    ctx: AppContext | None = None,
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
    return build_row_menu(
        view, entries(row), record=record(row) if record is not None else None, ctx=ctx
    )


def install_row_menu(
    view: QTableView,
    entries: Callable[[Any], Sequence[MenuEntry]],
    *,
    record: RecordOf | None = None,
    ctx: AppContext | None = None,
) -> None:
    """Right-clicking a row of ``view`` selects it and shows ``entries(row)`` as a menu; with
    ``record`` (the row's (table name, id) in the change log) and ``ctx``, ending in
    "History…"."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(pos: QPoint) -> None:
        menu = row_menu_at(view, pos, entries, record=record, ctx=ctx)
        if menu is not None and menu.actions():
            menu.exec(view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    view.customContextMenuRequested.connect(show)
