"""Icons from qtawesome (Font Awesome), with a plain fallback so a missing font never crashes.

Importing qtawesome and loading its fonts takes a while (about half a second), so the app does
it once the first page shows its data (:func:`load_fonts`, called by the main window). Until
then :func:`icon` gives an icon that takes its place but paints nothing; once the fonts are in,
the same icon paints the glyph (every widget is repainted), and new icons come straight from
qtawesome.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

GREEN, AMBER, RED, GREY, BLUE = "#2e7d32", "#b26a00", "#c62828", "#607d8b", "#1f5f8b"

_qta: Any = None
"""The qtawesome module once its fonts are loaded (None before)."""

FONT_PREFIXES = ("fa5s",)
"""The icon sets the app uses (Font Awesome 5 solid): only their fonts are loaded, not the ten
qtawesome bundles (about a tenth of the time). A test checks every icon named in the code."""


def _font_icon(name: str, color: str) -> QIcon:
    try:
        found: QIcon = _qta.icon(name, color=color)  # qtawesome ships no type hints
        return found
    except Exception:  # pragma: no cover - font not available
        return QIcon()


class _LaterIcon(QIconEngine):
    """An icon asked for before the fonts are loaded: blank until then, the glyph after."""

    def __init__(self, name: str, color: str) -> None:
        super().__init__()
        self.name, self.color = name, color
        self.real: QIcon | None = None

    def _real(self) -> QIcon | None:
        if self.real is None and _qta is not None:
            self.real = _font_icon(self.name, self.color)
        return self.real

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        real = self._real()
        if real is not None:
            real.paint(painter, rect, Qt.AlignmentFlag.AlignCenter, mode, state)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        real = self._real()
        if real is not None:
            return real.pixmap(size, mode, state)
        blank = QPixmap(size)
        blank.fill(Qt.GlobalColor.transparent)
        return blank


@cache
def icon(name: str, color: str = "#37474f") -> QIcon:
    """A Font Awesome icon by qtawesome name, e.g. ``fa5s.users``.

    Cached: table cells ask for the same few icons thousands of times while painting.
    """
    if _qta is None:
        return QIcon(_LaterIcon(name, color))
    return _font_icon(name, color)


def import_qtawesome() -> None:
    """Import qtawesome's modules (no fonts, no Qt objects): may run on a worker thread, so that
    :func:`load_fonts` on the GUI thread only loads the fonts."""
    import qtawesome  # noqa: F401


def load_fonts() -> None:
    """Load qtawesome's fonts (on the GUI thread), then repaint whatever shows an icon asked for
    before. Does nothing the second time."""
    global _qta
    if _qta is not None:
        return
    try:
        import qtawesome as qta

        bundled = getattr(qta, "_BUNDLED_FONTS", None)  # (prefix, ttf, charmap) of each set
        if isinstance(bundled, tuple) and _resource_empty(qta):
            wanted = tuple(f for f in bundled if f[0] in FONT_PREFIXES)
            qta._BUNDLED_FONTS = wanted or bundled
        qta._instance()  # loads the fonts
    except Exception:  # pragma: no cover - font not available: icons stay blank
        return
    _qta = qta
    icon.cache_clear()  # from now on, straight from qtawesome
    app = QApplication.instance()
    if isinstance(app, QApplication):
        for widget in app.allWidgets():
            widget.update()


def _resource_empty(qta: Any) -> bool:
    """True while qtawesome has loaded no fonts yet (its sets can still be chosen)."""
    resource = getattr(qta, "_resource", None)
    return isinstance(resource, dict) and resource.get("iconic") is None


def fonts_loaded() -> bool:
    """True once :func:`load_fonts` has loaded qtawesome's fonts."""
    return _qta is not None


def cell_icon(name: str, color: str = "#37474f") -> QIcon:
    """:func:`icon` drawn once into pixmaps, for table cells. A qtawesome icon is painted by
    Python every time it is shown: scrolling or showing a page of the huge demo painted it a
    thousand times (0.2 s of the window's thread, each paint waiting for the interpreter lock
    while a worker reads); a pixmap is drawn by Qt alone. Before the fonts are loaded it is
    :func:`icon`'s stand-in (nothing to draw yet)."""
    if _qta is None:
        return icon(name, color)
    return _drawn(name, color)


@cache
def _drawn(name: str, color: str) -> QIcon:
    source = _font_icon(name, color)
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
