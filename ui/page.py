"""What every area's page is to the main window: a widget with a title, an icon, a refresh() that
loads it in the background, and a request to import a spreadsheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    # Imported when first used: the main window imports this module before its first paint,
    # and the core's reading module brings SQLAlchemy with it (benchmarks/startup.py).
    from provider_desk.reading import Attention

AUDIT_RUN = "audit run"
"""The kind of an item about one audit done (``record_id``: its first revision), not the
programme's template: what an action raised by an audit opens."""
COMPLIMENT = "compliment"
"""The kind of an item about a compliment (``record_id``: its id) on the Complaints page."""


def record_item(
    area: str,
    reference: str,
    record_id: int | None = None,
    *,
    kind: str = "",
    part_id: int | None = None,
) -> Attention:
    """A request to open one record (a name or a source shown as a link), not a to-do item: no
    level, due date or sentence. With ``record_id`` None the page finds the record by
    ``reference`` where it can (a person's reference, a complaint's reference)."""
    from provider_desk.reading import Attention
    from provider_desk.rules.due import Level

    return Attention(
        area,
        reference,
        Level.IN_DATE,
        None,
        "",
        "",
        record_id=record_id,
        kind=kind,
        part_id=part_id,
    )


def staff_item(staff_id: int, name: str) -> Attention:
    """Open the staff member ``staff_id`` on the Staff page (their training and supervision
    are tabs of their record there)."""
    return record_item("staff", name, staff_id)


def request_item(widget: QWidget, item: Attention) -> bool:
    """Ask the page holding ``widget`` (a panel, a tab, a due list) to have the main window open
    ``item`` through its ``item_requested``; False if ``widget`` is on no page."""
    holder = widget.parentWidget()
    while holder is not None and not isinstance(holder, Page):
        holder = holder.parentWidget()
    if holder is None:
        return False
    holder.item_requested.emit(item)
    return True


class Page(QWidget):
    """The base of every area's page."""

    title = ""
    icon_name = "fa5s.circle"
    record_table = ""  # the change-log table of the records the page lists (see history_record)
    import_requested = Signal()  # the page's Import button: the main window chooses the file
    item_requested = Signal(object)  # an Attention whose record another page shows (open_item)

    def refresh(self) -> None:
        """Load (or reload) what the page shows, off the GUI thread."""
        raise NotImplementedError

    def focus(self, what: str) -> None:
        """Show exactly the items a home card's count stands for.

        ``what`` is ``"<card>:<field>"`` from the home page's cards (``"training:expired"``,
        ``"care_plans:consent_missing"``, ``"risk_assessments:review_overdue"``): the page sets its
        filters so that it lists those items and nothing else, and :meth:`focus_count` then equals
        the card's count. Called before or after the page has loaded; an unknown ``what`` leaves
        the page as it is.
        """

    def focus_count(self) -> int | None:
        """How many of the items the last :meth:`focus` asked for the page shows now (None: no
        focus asked, or not loaded yet). For list pages it is the rows shown; for a matrix, the
        cells of that level in the rows shown."""
        return None

    def open_item(self, item: Attention) -> None:
        """Go to the record a to-do item is about (``item.record_id``, and ``item.part_id`` /
        ``item.kind`` where the page has parts: a training cell, a risk assessment, a kind of
        session): clear filters that would hide it, select it and scroll to it. Called before or
        after the page has loaded."""

    def opened(self) -> tuple[int | None, int | str | None]:
        """Where the cursor is, as a to-do item names it: (record id, part) where the part is
        the training course or risk assessment id, the kind of session on the supervision
        matrix, or None on pages without parts. (None, None): nothing selected."""
        return None, None

    def history_record(self) -> tuple[str, int] | None:
        """The record whose history "History…" shows: (table, row id) of the selected record,
        or None (nothing selected, or a page without records of its own)."""
        record_id, _part = self.opened()
        if not self.record_table or record_id is None:
            return None
        return self.record_table, record_id

    def current_importer(self) -> str | None:
        """Which of the area's importers the Import button means now (None: its only one)."""
        return None
