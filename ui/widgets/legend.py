"""A legend strip under a grid: what each status's mark, colour and text mean.

One rich-text label (not a widget per entry): cheap to build and to change when settings do."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QWidget

from provider_desk.rules.due import LEVEL_STYLE, Level

MARKS = {
    Level.IN_DATE: "✓",
    Level.DUE_SOON: "◷",
    Level.OVERDUE: "✗",
    Level.MISSING: "!",
    Level.NOT_REQUIRED: "–",
}
"""The symbol of each level, the same shapes as the grid's icons (tick, clock, cross, bang)."""


class LegendStrip(QLabel):
    """Chips of each level's mark and word on its cell colour, each with what it means, then a
    note (what the dates mean)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legendStrip")
        self.setWordWrap(True)
        self.entries: dict[Level, tuple[str, str]] = {}
        self.note = ""

    def set_entries(self, entries: Sequence[tuple[Level, str, str]], note: str = "") -> None:
        """``entries``: (level, short text, what it means) in the order shown; ``note`` after."""
        self.entries = {level: (short, meaning) for level, short, meaning in entries}
        self.note = note
        chips = []
        for level, (short, meaning) in self.entries.items():
            style = LEVEL_STYLE[level]
            chips.append(
                f'<span style="background-color:{style.fill}; color:#1d2a33">&nbsp;'
                f'<b style="color:{style.colour}">{MARKS[level]}</b> {html.escape(short)}'
                f"&nbsp;</span> <small>{html.escape(meaning)}</small>"
            )
        self.setText("&nbsp;&nbsp; ".join(chips) + f"<br><small>{html.escape(note)}</small>")

    def text_plain(self) -> str:
        """Everything the strip says (each entry with its meaning, then the note), for tests."""
        parts = [f"{short}: {meaning}" for short, meaning in self.entries.values()]
        return " · ".join([*parts, self.note])
