"""A small line chart of one figure month by month (the home page's trends), drawn with QPainter."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget


def _label(value: float, percent: bool) -> str:
    return f"{value:.0f}%" if percent else f"{value:g}"


class MonthChart(QWidget):
    """One value per month, oldest on the left; months without a value leave a gap.

    ``percent`` charts run from 0 to 100%; counts from 0 to their largest value.
    """

    def __init__(self, title: str, *, percent: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.percent = percent
        self.points: list[tuple[dt.date, float | None]] = []
        self.setMinimumSize(220, 170)
        self.setAccessibleName(f"{title} chart")

    def sizeHint(self) -> QSize:
        return QSize(300, 190)

    def set_points(self, points: Sequence[tuple[dt.date, float | None]]) -> None:
        """Show ``points``: (first day of the month, value or None), in month order."""
        self.points = list(points)
        self.setToolTip(
            "\n".join(
                f"{month:%b %Y}: {'–' if v is None else _label(v, self.percent)}"
                for month, v in self.points
            )
        )
        self.update()

    def top(self) -> float:
        """The value at the top of the chart."""
        if self.percent:
            return 100.0
        values = [v for _m, v in self.points if v is not None]
        # A multiple of 4, so the five gridlines fall on whole numbers.
        return float(max(4, math.ceil(max(values, default=0) / 4) * 4))

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        left, right, top, bottom = 40, 8, 26, 24
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        bold = QFont(self.font())
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor("#1f3a4d"))
        p.drawText(QRectF(8, 4, self.width() - 16, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        high = self.top()
        for step in range(5):
            value = high * step / 4
            y = plot.bottom() - plot.height() * step / 4
            p.setPen(QPen(QColor("#cfd8dc"), 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#546e7a"))
            p.drawText(
                QRectF(0, y - 8, left - 4, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _label(round(value, 1), self.percent),
            )
        if not self.points:
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No figures yet")
            return
        n = len(self.points)

        inset = 22.0  # room for the first and last months' labels

        def x_of(i: int) -> float:
            if n == 1:
                return plot.center().x()
            return plot.left() + inset + (plot.width() - 2 * inset) * i / (n - 1)

        xy: list[QPointF | None] = [
            None if v is None else QPointF(x_of(i), plot.bottom() - plot.height() * v / high)
            for i, (_m, v) in enumerate(self.points)
        ]
        line = QColor("#1f5f8b")
        p.setPen(QPen(line, 2))
        for a, b in pairwise(xy):
            if a is not None and b is not None:
                p.drawLine(a, b)
        p.setBrush(line)
        for at in xy:
            if at is not None:
                p.drawEllipse(at, 3, 3)
        p.setPen(QColor("#37474f"))
        for i, (month, _v) in enumerate(self.points):
            if i % 3 == (n - 1) % 3:  # the last month always labelled, then every third
                p.drawText(
                    QRectF(x_of(i) - 30, plot.bottom() + 4, 60, 16),
                    Qt.AlignmentFlag.AlignHCenter,
                    f"{month:%b %y}",
                )
        last = next((v for _m, v in reversed(self.points) if v is not None), None)
        if last is not None:
            p.setPen(QColor("#1f3a4d"))
            p.drawText(
                QRectF(8, 4, self.width() - 16, 20),
                Qt.AlignmentFlag.AlignRight,
                f"now {_label(round(last, 1), self.percent)}",
            )
