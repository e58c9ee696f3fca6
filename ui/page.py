"""What every area's page is to the main window: a widget with a title, an icon, a refresh() that
loads it in the background, and a request to import a spreadsheet."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """The base of every area's page."""

    title = ""
    icon_name = "fa5s.circle"
    import_requested = Signal()  # the page's Import button: the main window chooses the file

    def refresh(self) -> None:
        """Load (or reload) what the page shows, off the GUI thread."""
        raise NotImplementedError

    def focus(self, what: str) -> None:
        """Show the part of the page a home card counts (``what``: e.g. "overdue"); by default
        the page is shown as it is."""

    def current_importer(self) -> str | None:
        """Which of the area's importers the Import button means now (None: its only one)."""
        return None
