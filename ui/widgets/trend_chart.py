"""A small line chart of audit scores over time, drawn with QPainter (no chart library needed)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from provider_desk.areas.audits import rules as r
from provider_desk.areas.audits.queries import TrendPoint
from provider_desk.rules.dates import format_date

BAND_COLOURS = {"good": "#2e7d32", "fair": "#b26a00", "poor": "#c62828"}


class TrendChart(QWidget):
    """Scores (0–100%) of one template's finished audits, oldest on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[TrendPoint] = []
        self.title = ""
        self.setMinimumHeight(260)
        self.setAccessibleName("Score trend chart")

    def sizeHint(self) -> QSize:
        return QSize(700, 320)

    def set_points(self, title: str, points: Sequence[TrendPoint]) -> None:
        """Show ``points`` (already in date order)."""
        self.title = title
        self.points = list(points)
        self.setToolTip(
            "\n".join(
                f"{format_date(p.audited_on)}  {p.reference}  {r.format_score(p.score)}"
                for p in self.points
            )
        )
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        left, right, top, bottom = 52, 44, 34, 46
        plot = QRectF(left, top, self.width() - left - right, self.height() - top - bottom)
        title_font = QFont(self.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(QColor("#1f3a4d"))
        p.drawText(QRectF(left, 6, plot.width(), 22), Qt.AlignmentFlag.AlignLeft, self.title)
        p.setFont(self.font())
        # Score bands behind the line, then the gridlines every 25%.
        for low, high, band_colour in (
            (r.GOOD_SCORE, 100.0, "#eaf5eb"),
            (r.FAIR_SCORE, r.GOOD_SCORE, "#fff4e0"),
            (0.0, r.FAIR_SCORE, "#fdecee"),
        ):
            y1, y2 = self._y(plot, high), self._y(plot, low)
            p.fillRect(QRectF(plot.left(), y1, plot.width(), y2 - y1), QColor(band_colour))
        p.setPen(QPen(QColor("#cfd8dc"), 1))
        for pct in (0, 25, 50, 75, 100):
            y = self._y(plot, pct)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor("#546e7a"))
            p.drawText(
                QRectF(0, y - 9, left - 6, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{pct}%",
            )
            p.setPen(QPen(QColor("#cfd8dc"), 1))
        if not self.points:
            p.setPen(QColor("#546e7a"))
            p.drawText(
                plot,
                Qt.AlignmentFlag.AlignCenter,
                "No finished audits of this kind yet: the trend appears after the first.",
            )
            return
        first, last = self.points[0].audited_on, self.points[-1].audited_on
        span = max(1, (last - first).days)

        def x_of(i: int) -> float:
            if len(self.points) == 1:
                return plot.center().x()
            return (
                plot.left()
                + 12
                + (plot.width() - 24) * ((self.points[i].audited_on - first).days / span)
            )

        xy = [QPointF(x_of(i), self._y(plot, pt.score)) for i, pt in enumerate(self.points)]
        p.setPen(QPen(QColor("#1f5f8b"), 2))
        for a, b in pairwise(xy):
            p.drawLine(a, b)
        label_every = max(1, len(self.points) // 8)
        for i, (pt, at) in enumerate(zip(self.points, xy, strict=True)):
            colour = QColor(BAND_COLOURS.get(r.score_band(pt.score), "#1f5f8b"))
            p.setPen(QPen(colour, 1))
            p.setBrush(colour)
            p.drawEllipse(at, 4.5, 4.5)
            if i % label_every == 0 or i == len(self.points) - 1:
                p.setPen(QColor("#37474f"))
                p.drawText(
                    QRectF(at.x() - 40, plot.bottom() + 6, 80, 16),
                    Qt.AlignmentFlag.AlignHCenter,
                    format_date(pt.audited_on),
                )
                p.drawText(
                    QRectF(at.x() - 30, at.y() - 22, 60, 16),
                    Qt.AlignmentFlag.AlignHCenter,
                    r.format_score(pt.score),
                )

    @staticmethod
    def _y(plot: QRectF, pct: float) -> float:
        return plot.bottom() - plot.height() * pct / 100.0
