"""A date box that takes what managers type (22/11/2026, 2026-11-22, 22 Nov 2026) and says back
how it read it, so nobody has to wonder whether 03/04 meant March or April."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from provider_desk.rules.dates import DateParseError, format_date, parse_date
from ui.icons import icon


class DateField(QWidget):
    """A line edit for a date, a calendar button, and a hint showing the date as understood."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, optional: bool = True) -> None:
        super().__init__(parent)
        self.optional = optional
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("dd/mm/yyyy")
        self.edit.setMaximumWidth(130)
        self.edit.setToolTip(
            "Type the date day first, e.g. 22/11/2026, or pick it from the calendar."
        )
        self.button = QToolButton(self)
        self.button.setIcon(icon("fa5s.calendar-alt"))
        self.button.setToolTip("Pick from a calendar")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.button)
        self.calendar = QCalendarWidget(menu)
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.button.setMenu(menu)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.hint = QLabel(self)
        self.hint.setObjectName("dateHint")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.button)
        layout.addWidget(self.hint, 1)
        self.edit.textChanged.connect(self._on_edit_text_changed)

    def _on_calendar_clicked(self, qdate: QDate) -> None:
        self.set_date(dt.date(qdate.year(), qdate.month(), qdate.day()))
        menu = self.button.menu()
        if menu is not None:
            menu.close()

    def _on_edit_text_changed(self, _text: str) -> None:
        try:
            value = parse_date(self.edit.text())
        except DateParseError:
            self.hint.setText("not a date yet")
        else:
            self.hint.setText(value.strftime("%A ") + format_date(value) if value else "")
            if value:
                self.calendar.setSelectedDate(QDate(value.year, value.month, value.day))
        self.changed.emit()

    def set_date(self, value: dt.date | None) -> None:
        """Show ``value`` (blank for None)."""
        self.edit.setText(value.strftime("%d/%m/%Y") if value else "")

    def date(self) -> dt.date | None:
        """The date typed.

        Raises:
            DateParseError: the text is not a date.
        """
        return parse_date(self.edit.text())
