"""The Score trend tab of the Audits page: one audit's scores over time."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from provider_desk.areas.audits.queries import score_trend
from ui.context import AppContext, show_failure
from ui.widgets.trend_chart import TrendChart


class TrendTab(QWidget):
    """Choose an audit to see its score trend."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.template = QComboBox()
        self.chart = TrendChart()
        top = QHBoxLayout()
        top.addWidget(QLabel("Audit"))
        top.addWidget(self.template, 1)
        top.addStretch(1)
        v = QVBoxLayout(self)
        v.addLayout(top)
        v.addWidget(self.chart, 1)
        self.template.currentIndexChanged.connect(self.show_trend)

    def set_templates(self, names: list[tuple[int, str]]) -> None:
        """Offer these audits (template id, name), keeping the one chosen if it is still there;
        the trend is not redrawn (call :meth:`show_trend`)."""
        current = self.template.currentData()
        self.template.blockSignals(True)
        self.template.clear()
        for tid, name in names:
            self.template.addItem(name, tid)
        if current is not None and self.template.findData(current) >= 0:
            self.template.setCurrentIndex(self.template.findData(current))
        self.template.blockSignals(False)

    def show_trend(self) -> None:
        """Load and draw the score trend of the chosen audit."""
        tid = self.template.currentData()
        if tid is None:
            self.chart.set_points("", [])
            return
        name, db = self.template.currentText(), self.ctx.db
        self.ctx.tasks.run(
            partial(score_trend, db, tid),
            on_success=lambda pts: self.chart.set_points(f"{name}: score trend", pts),
            on_failure=lambda e: show_failure(self, e, "Loading the trend"),
        )
