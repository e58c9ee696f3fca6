"""Right-click menus on table rows, built the same way on every page: open, edit, archive, the
names on the row that open their own record, history and copy reference.

A page installs one with :func:`install_row_menu` and says what its rows offer in
:func:`row_entries`. Right-click, the keyboard's Menu key and Shift+F10 all open it (on the row
with the cursor for the keys). Given ``record=(table_name, row_id)`` the menu also offers what
every record has: its change history ("History…", see :func:`record_entries`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QTableView, QWidget

from ui.models.table import ROW_ROLE

MenuEntry = tuple[str, Callable[[], object]] | None
"""(label, what it does), or None for a separator."""

Record = tuple[str, int]
"""A record as the change log names it: (table name, row id), e.g. ``("complaint", 12)``."""

HISTORY = "History…"

MENU_KEYS = ("Menu", "Shift+F10")
"""The keys that open a row's menu from the keyboard."""


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard."""
    QApplication.clipboard().setText(text)


def row_entries(
    *,
    open_: tuple[str, Callable[[], object]] | None = None,
    edit: tuple[str, Callable[[], object]] | None = None,
    commands: Sequence[MenuEntry] = (),
    links: Sequence[MenuEntry] = (),
    archive: Callable[[], object] | None = None,
    archive_label: str = "Archive…",
    reference: str = "",
    copy_label: str = "Copy reference",
) -> list[MenuEntry]:
    """A row's menu in the one order every page uses: open and edit, the page's own commands,
    the names on the row that open elsewhere (``links``), archive, then copy the reference (or
    name) ``reference`` to the clipboard. Leave out what the page cannot do."""
    entries: list[MenuEntry] = []
    if open_ is not None:
        entries.append(open_)
    if edit is not None:
        entries.append(edit)
    entries.append(None)
    entries.extend(commands)
    entries.append(None)
    entries.extend(links)
    entries.append(None)
    if archive is not None:
        entries.append((archive_label, archive))
    if reference:
        entries.append((copy_label, lambda: copy_text(reference)))
    return entries


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
    """A menu of ``entries`` (separators collapse at the ends and never come two together),
    followed by what ``record`` offers (see :func:`record_entries`)."""
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


def _menu_for(
    view: QTableView,
    row: Any,
    entries: Callable[[Any], Sequence[MenuEntry]],
    record: Callable[[Any], Record | None] | None,
) -> QMenu | None:
    if row is None:
        return None
    return build_row_menu(view, entries(row), record=record(row) if record else None)


def row_menu_at(
    view: QTableView,
    pos: QPoint,
    entries: Callable[[Any], Sequence[MenuEntry]],
    record: Callable[[Any], Record | None] | None = None,
) -> QMenu | None:
    """Put the cursor on the cell under ``pos`` (viewport coordinates), select its row (or the
    cell, in a grid of cells) and build the row's menu (None: no row there)."""
    index = view.indexAt(pos)
    if not index.isValid():
        return None
    view.setCurrentIndex(index)
    if view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows:
        view.selectRow(index.row())
    return _menu_for(view, index.data(ROW_ROLE), entries, record)


def current_row_menu(
    view: QTableView,
    entries: Callable[[Any], Sequence[MenuEntry]],
    record: Callable[[Any], Record | None] | None = None,
) -> tuple[QMenu, QPoint] | None:
    """The menu of the row with the cursor and where it opens (beside that cell, in global
    coordinates), as the Menu key and Shift+F10 show it; None when no row has the cursor."""
    index = view.currentIndex()
    if not index.isValid():
        return None
    view.scrollTo(index)
    menu = _menu_for(view, index.data(ROW_ROLE), entries, record)
    if menu is None:
        return None
    rect = view.visualRect(index)
    return menu, view.viewport().mapToGlobal(rect.bottomLeft() + QPoint(8, 0))


def row_menu_for(view: QTableView, row: int, column: int = 0) -> QMenu | None:
    """The menu a right-click on the cell (``row``, ``column``) of ``view`` shows (it selects
    that row): for code that offers the same commands elsewhere, and for tests."""
    entries, record = view.row_menu  # type: ignore[attr-defined]  # set by install_row_menu
    rect = view.visualRect(view.model().index(row, column))
    return row_menu_at(view, rect.center(), entries, record)


def install_row_menu(
    view: QTableView,
    entries: Callable[[Any], Sequence[MenuEntry]],
    *,
    record: Callable[[Any], Record | None] | None = None,
) -> None:
    """Right-clicking a row of ``view`` (or pressing Menu or Shift+F10 on it) selects it and
    shows ``entries(row)`` as a menu; ``record(row)`` names its record (table, id) for the
    entries every record has. A grid with frozen columns gets the menu on those too."""

    def show(source: QTableView, pos: QPoint) -> None:
        menu = row_menu_at(source, pos, entries, record)
        if menu is not None and menu.actions():
            menu.exec(source.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def show_current() -> None:
        found = current_row_menu(view, entries, record)
        if found is not None and found[0].actions():
            found[0].exec(found[1])
            found[0].deleteLater()

    view.row_menu = (entries, record)  # type: ignore[attr-defined]  # see row_menu_for
    views = [view]
    frozen = getattr(view, "frozen_view", None)
    if isinstance(frozen, QTableView):
        views.append(frozen)
    for v in views:
        v.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        v.customContextMenuRequested.connect(lambda pos, v=v: show(v, pos))
    keys = QAction("Row menu", view)
    keys.setShortcuts([QKeySequence(k) for k in MENU_KEYS])
    keys.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    keys.triggered.connect(show_current)
    view.addAction(keys)
