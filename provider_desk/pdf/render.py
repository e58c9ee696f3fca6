"""Shared ReportLab set-up: our embedded fonts, styles, and 'Page x of y' footers."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

from provider_desk.resources import RESOURCES_DIR

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def register_fonts() -> None:
    """Embed DejaVu Sans (it has every character a UK name needs, unlike Helvetica)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT, str(RESOURCES_DIR / "fonts" / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(RESOURCES_DIR / "fonts" / "DejaVuSans-Bold.ttf")))
    from reportlab.lib.fonts import addMapping

    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)


def numbered_canvas(footer_left: str) -> Any:
    """A canvas class that stamps '<footer_left>   Page x of y' once the page count is known."""
    from reportlab.pdfgen import canvas

    class NumberedCanvas(canvas.Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("initialFontName", FONT)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                width, _height = self._pagesize
                self.setFont(FONT, 7.5)
                self.setFillGray(0.35)
                self.drawString(28, 16, footer_left)
                self.drawRightString(width - 28, 16, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def printed_on(today: dt.date) -> str:
    """'22 Nov 2026'."""
    from provider_desk.rules.dates import format_date

    return format_date(today)


def markup(text: str) -> str:
    """Text made safe for a ReportLab paragraph: &, < and > escaped, line breaks kept."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    )


def build_pdf(
    path: Path,
    story: list[Any],
    *,
    title: str,
    author: str,
    footer: str,
    landscape: bool = False,
    margin_mm: float = 15.0,
) -> Path:
    """Write ``story`` to an A4 PDF with 'Page x of y' footers. Written to a temporary file and
    moved into place, so a failure or a full disk never leaves half a file."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turn
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    from provider_desk.tabular.write import atomic_path

    with atomic_path(path) as tmp:
        SimpleDocTemplate(
            str(tmp),
            pagesize=turn(A4) if landscape else A4,
            leftMargin=margin_mm * mm,
            rightMargin=margin_mm * mm,
            topMargin=(margin_mm - 3) * mm,
            bottomMargin=(margin_mm - 1) * mm,
            title=title,
            author=author,
        ).build(story, canvasmaker=numbered_canvas(footer))
    return path
