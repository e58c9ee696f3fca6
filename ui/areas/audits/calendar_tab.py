"""The Calendar tab of the Audits page: each audit month by month through the year, with its
score when done and when it is due."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import CalendarRow, audit_calendar
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE, Level
from ui.context import AppContext, show_failure
from ui.icons import qcolor
from ui.levels import level_text
from ui.widgets.tables import fit_columns

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class CalendarTab(QWidget):
    """The year's calendar of audits; choosing another year loads it."""

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.year_box = QSpinBox()
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(self.year)
        self.year_box.setPrefix("Year ")
        self.table = QTableWidget(0, 12)
        self.table.setHorizontalHeaderLabels(list(MONTHS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        key = QLabel(
            "Each cell shows the audits done that month with their score, or when the next is "
            "due. Green 90%+, amber 75–89%, red under 75% (Provider Desk's bands, not CQC "
            "ratings). Red 'Overdue': due and not done yet."
        )
        key.setObjectName("fieldHelp")
        key.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.year_box)
        top.addStretch(1)
        v = QVBoxLayout(self)
        v.addLayout(top)
        v.addWidget(self.table, 1)
        v.addWidget(key)
        self.year_box.valueChanged.connect(self._on_year)

    def fill(self, rows: list[CalendarRow]) -> None:
        """Show each audit's month-by-month record for the year."""
        self.table.setRowCount(len(rows))
        self.table.setVerticalHeaderLabels([c.name for c in rows])
        for i, c in enumerate(rows):
            for m in range(12):
                done, due = c.done[m], c.due[m]
                text, colour, tip = "", None, ""
                if done:
                    text = "  ".join(f"✓ {r.format_score(a.score)}" for a in done)
                    worst = min((a.score for a in done if a.score is not None), default=None)
                    colour = {"good": "#dff0e0", "fair": "#ffe8c2", "poor": "#ffd3d6"}.get(
                        r.score_band(worst)
                    )
                    tip = "\n".join(
                        f"{a.reference} {format_date(a.audited_on)}: {r.format_score(a.score)}, "
                        f"{a.failed} not met"
                        for a in done
                    )
                elif due:
                    d, state = due[0]
                    if state == "due":
                        text, tip = f"Due {d.day}", f"Due {format_date(d)}"
                    elif state == "late":
                        text, tip = "Done late", f"Was due {format_date(d)}; done later"
                    else:
                        text, colour = level_text(Level.OVERDUE), LEVEL_STYLE[Level.OVERDUE].fill
                        tip = f"Due {format_date(d)}: not done yet"
                cell = QTableWidgetItem(text)
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if colour:
                    cell.setBackground(QBrush(qcolor(colour)))
                if tip:
                    cell.setToolTip(tip)
                self.table.setItem(i, m, cell)
        fit_columns(self.table)
        for m in range(12):
            self.table.setColumnWidth(m, max(74, self.table.columnWidth(m)))

    def _on_year(self, year: int) -> None:
        self.year = year
        db, today = self.ctx.db, self.ctx.today()
        self.ctx.tasks.run(
            partial(audit_calendar, db, year, today),
            on_success=self.fill,
            on_failure=lambda e: show_failure(self, e, "Loading the calendar"),
        )
