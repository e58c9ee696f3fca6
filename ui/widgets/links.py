"""Names in tables that open their own record: a staff member's name opens them on the Staff
page, a person supported's opens them on the People page. The cell looks like a link (blue,
with a tooltip saying where it goes) and a click on it asks the main window to go there through
the page's ``item_requested`` (the way an action's source opens its audit or complaint)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QTableView

from provider_desk.reading import Attention
from ui.icons import BLUE, qcolor
from ui.models.table import ROW_ROLE, Column

R = TypeVar("R")

Target = Callable[[Any], Attention | None]
"""What a row's link opens (None: this row's cell is not a link, e.g. no one named)."""


def link_column(
    title: str,
    display: Callable[[R], str],
    target: Callable[[R], Attention | None],
    *,
    where: str = "",
    sort: Callable[[R], Any] | None = None,
) -> Column[R]:
    """A column whose cells open ``target(row)`` when clicked: blue where there is somewhere to
    go, with a tooltip "Click to open Amy Smith" (plus ``where``: " on the Staff page")."""
    return Column(
        title,
        display,
        sort=sort,
        tooltip=lambda r: f"Click to open {display(r)}{where}" if target(r) is not None else "",
        foreground=lambda r: qcolor(BLUE) if target(r) is not None else None,
    )


def install_links(
    view: QTableView, targets: Mapping[int, Target], request: Callable[[Attention], object]
) -> None:
    """Clicking a cell of ``view`` in one of the ``targets`` columns asks ``request`` to open
    what that column's target gives for the row (a keyboard user has the row's menu)."""

    def clicked(index: QModelIndex) -> None:
        target = targets.get(index.column())
        row = index.data(ROW_ROLE)
        item = target(row) if target is not None and row is not None else None
        if item is not None:
            request(item)

    view.clicked.connect(clicked)
