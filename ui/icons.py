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
def cell_icon(name: str, color: str = "#37474f") -> QIcon:
    """:func:`icon` drawn once into pixmaps, for table cells. A qtawesome icon is painted by
    Python every time it is shown: scrolling or showing a page of the huge demo painted it a
    thousand times (0.2 s of the window's thread, each paint waiting for the interpreter lock
    while a worker reads); a pixmap is drawn by Qt alone."""
    source = icon(name, color)
    if source.isNull():
        return source
    drawn = QIcon()
    for size in (16, 20, 24, 32, 48):
        drawn.addPixmap(source.pixmap(size, size))
    return drawn


@cache
def qcolor(hex_color: str) -> QColor:
    """A QColor from ``#rrggbb``."""
    return QColor(hex_color)
