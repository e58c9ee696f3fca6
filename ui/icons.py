"""Icons from qtawesome (Font Awesome), with a plain fallback so a missing font never crashes."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QIcon

GREEN, AMBER, RED, GREY, BLUE = "#2e7d32", "#b26a00", "#c62828", "#607d8b", "#1f5f8b"


@cache
def icon(name: str, color: str = "#37474f") -> QIcon:
    """A Font Awesome icon by qtawesome name, e.g. ``fa5s.users``.

    Cached: table cells ask for the same few icons thousands of times while painting.
    """
    try:
        import qtawesome as qta

        found: QIcon = qta.icon(name, color=color)  # qtawesome ships no type hints
        return found
    except Exception:  # pragma: no cover - font not available
        return QIcon()


@cache
def qcolor(hex_color: str) -> QColor:
    """A QColor from ``#rrggbb``."""
    return QColor(hex_color)
