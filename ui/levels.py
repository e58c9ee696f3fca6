"""A Level as the screen shows it: the one place the client turns ``LEVEL_STYLE`` into Qt."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon

from provider_desk.rules.due import LEVEL_STYLE, Level, word
from ui.icons import cell_icon, qcolor


def level_icon(level: Level) -> QIcon:
    """The level's icon in its colour, drawn once (table cells show it thousands of times)."""
    style = LEVEL_STYLE[level]
    return cell_icon(style.icon, style.colour)


def level_colour(level: Level) -> QColor:
    """The level's colour for text."""
    return qcolor(LEVEL_STYLE[level].colour)


def level_fill(level: Level) -> QColor:
    """The level's cell background."""
    return qcolor(LEVEL_STYLE[level].fill)


def level_text(level: Level, area: str = "") -> str:
    """The area's word for the level, as a cell or label shows it: 'Expired', 'Due soon'."""
    return word(level, area).capitalize()
