"""The one ReportLab renderer every PDF is made with (after pretix's renderers): embedded fonts, one
set of styles, one page template (header, footer with "Page x of y" and a confidentiality line),
tables whose columns measure and wrap their text, headings that become PDF bookmarks and contents
entries, real progress with a cancel point, PDF metadata, and an atomic write.

A document is a subclass of :class:`Renderer` that says what it is (``title``, ``subject``,
``landscape``) and builds its ``story()`` from a frozen snapshot of the data; ``render(path)``
writes it. The same snapshot gives the same bytes apart from the creation date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import count
from pathlib import Path
from typing import Any

from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.resources import RESOURCES_DIR

FONT, FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"

INK = "#1f2d3d"  # body text
MUTED = "#5f6b7a"  # captions, header and footer
RULE = "#c5ccd6"  # table grid and header rule
HEAD_FILL = "#e8edf3"  # table header row
ZEBRA = "#f6f8fa"  # every other table row
ACCENT = "#1f4e79"  # headings
CELL_PADDING = 3.0  # points either side of a table cell's text
TOTAL_FORM = "pageCount"  # the form holding the page count, drawn once the count is known


@cache
def register_fonts() -> None:
    """Embed DejaVu Sans (it has every character a UK name needs, unlike Helvetica)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = RESOURCES_DIR / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)  # no italic face is embedded: <i> stays upright
    addMapping(FONT, 1, 1, FONT_BOLD)


@dataclass(frozen=True)
class Styles:
    """The one set of paragraph styles every PDF uses (by name: ``styles().h1``)."""

    title: Any  # the document's title (cover or first page)
    h1: Any  # a section (a bookmark, level 0)
    h2: Any  # a part of a section (level 1)
    h3: Any  # a part of a part (level 2)
    body: Any
    small: Any  # notes under a table, captions
    muted: Any  # secondary text
    cell: Any  # table cells
    cell_bold: Any  # table header cells
    cell_right: Any  # numbers in tables
    toc: tuple[Any, ...]  # contents entries, by level

    def heading(self, level: int) -> Any:
        """The heading style for outline ``level`` (0, 1, 2)."""
        return (self.h1, self.h2, self.h3)[min(max(level, 0), 2)]


@cache
def styles() -> Styles:
    """The styles, built once."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    ink, muted, accent = (colors.HexColor(c) for c in (INK, MUTED, ACCENT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5, textColor=ink)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    return Styles(
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=20,
            leading=25,
            textColor=accent,
            spaceAfter=6,
        ),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            textColor=accent,
            spaceBefore=4,
            spaceAfter=6,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=15,
            textColor=accent,
            spaceBefore=8,
            spaceAfter=4,
        ),
        h3=ParagraphStyle(
            "h3",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=muted),
        muted=ParagraphStyle("muted", parent=body, textColor=muted),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        toc=tuple(
            ParagraphStyle(
                f"toc{n}",
                parent=body,
                fontSize=(10.5, 9.5, 8.5)[n],
                leading=(15, 12.5, 11)[n],
                leftIndent=14 * n,
                fontName=FONT_BOLD if n == 0 else FONT,
            )
            for n in range(3)
        ),
    )


def derive(base: str | Any, name: str = "", **changes: Any) -> Any:
    """A style for one document's tweak (a smaller cell, a centred line), derived from the base
    style ``base`` (a name in :func:`styles` or a style): it keeps the base's font and colour
    unless ``changes`` say otherwise. Documents never define their own h1, h2 or body."""
    from reportlab.lib.styles import ParagraphStyle

    parent = getattr(styles(), base) if isinstance(base, str) else base
    return ParagraphStyle(name or f"{parent.name}+", parent=parent, **changes)


def printed_on(today: dt.date) -> str:
    """'22 Nov 2026'."""
    from provider_desk.rules.dates import format_date

    return format_date(today)


def markup(text: str) -> str:
    """Text made safe for a ReportLab paragraph: &, < and > escaped, line breaks kept."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
    )


Cell = Any  # a str (wrapped into a Paragraph), a number, or a ready flowable


class Renderer:
    """The base of every PDF. Subclasses set the class attributes and write :meth:`story`.

    ``author`` is the provider (PDF metadata and the page header), ``footer`` the left of the
    footer ("Printed 3 Dec 2026"), ``confidential`` a line above it on every page.
    """

    title = ""
    subject = ""
    landscape = False
    margin_mm = 15.0
    contents = False  # True: headings are collected for a table of contents (two passes)

    def __init__(
        self,
        *,
        author: str,
        footer: str = "",
        confidential: str = "",
        header: str | None = None,
        created: dt.datetime | None = None,
    ) -> None:
        self.author = author
        self.footer = footer
        self.confidential = confidential
        self.header = author if header is None else header
        self.created = created  # None: ReportLab's fixed date (tests), else the PDF's date
        self.styles = styles()
        self.pages = 0  # how many pages the last render wrote
        self._keys = count(1)

    # What a subclass writes -----------------------------------------------------------------
    def story(self) -> list[Any]:
        """The flowables of the document, from the snapshot the renderer was given."""
        raise NotImplementedError

    # Building blocks ------------------------------------------------------------------------
    def heading(
        self, text: str, level: int = 0, *, contents: bool = True, style: str | None = None
    ) -> Any:
        """A heading that is also a PDF bookmark at outline ``level`` (and, if ``contents``, an
        entry in the table of contents). ``style`` (a name in :func:`styles`) gives it another
        look than its level's, e.g. an h2-sized section in a one-page record."""
        from reportlab.platypus import Paragraph

        key = f"h{next(self._keys)}"
        look = getattr(self.styles, style) if style else self.styles.heading(level)
        p = Paragraph(f'<a name="{key}"/>{markup(text)}', look)
        p._outline = (level, text, key, contents)  # read by the template's afterFlowable
        return p

    def para(self, text: str, style: str | Any = "body", *, raw: bool = False) -> Any:
        """A paragraph of ``text`` (escaped unless ``raw``: ReportLab's mini-markup) in
        ``style``: a name in :func:`styles` or a style made with :func:`derive`."""
        from reportlab.platypus import Paragraph

        look = getattr(self.styles, style) if isinstance(style, str) else style
        return Paragraph(text if raw else markup(text), look)

    def keep(self, *flowables: Any) -> Any:
        """Flowables kept on one page (a heading with its table, a signature block)."""
        from reportlab.platypus import KeepTogether

        return KeepTogether(list(flowables))

    def page_break(self) -> Any:
        """Start a new page."""
        from reportlab.platypus import PageBreak

        return PageBreak()

    def space(self, mm_: float = 4) -> Any:
        """Vertical space."""
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer

        return Spacer(1, mm_ * mm)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float] | None = None,
        *,
        numeric: Sequence[int] = (),
        fills: Sequence[tuple[int, int, str]] = (),
        width: float | None = None,
        zebra: bool = True,
        font_size: float | None = None,
        centred: Sequence[int] = (),
        grid: bool = False,
        total: bool = False,
        bold_cells: Sequence[tuple[int, int]] = (),
    ) -> Any:
        """A table whose header repeats on every page and whose cells wrap their text, so columns
        never run into each other. ``widths`` are shares of the frame (default: measured from the
        text); ``numeric`` the columns aligned right, ``centred`` those centred; ``fills``
        (column, row, colour) cell backgrounds and ``bold_cells`` (column, row) in bold, rows
        counted from 0 below the header. ``grid`` rules every cell (a matrix), ``total`` makes
        the last row a bold totals row. A header of blanks gives a plain list without a header
        row.

        Text stays a plain string, drawn in the table's font (about ten times cheaper to lay out
        than a Paragraph): on one line if it fits its column, else broken between words into
        lines that fit (widths measured once per distinct text). A heading with a word wider
        than its column is set smaller rather than broken inside the word ("Medication
        administration", never "Medication a / dministration"); other text with such a word,
        or with line breaks of its own, becomes a Paragraph. Fonts, alignment, padding and fills
        are set on the cells themselves (one style per kind of cell), not by style commands, so
        a matrix of thousands of coloured cells costs no more to style than a plain table;
        a style command given to the table afterwards still changes only its own cells."""
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.platypus import Paragraph, TableStyle

        st = self.styles
        cell, bold, right = st.cell, st.cell_bold, st.cell_right
        if font_size is not None:
            leading = font_size * 1.25
            cell, bold, right = (
                derive(x, fontSize=font_size, leading=leading) for x in (cell, bold, right)
            )
        centre, centre_bold = (derive(x, alignment=TA_CENTER) for x in (cell, bold))
        right_bold = derive(right, fontName=FONT_BOLD)
        has_header = any(header)
        first = 1 if has_header else 0  # the index of the first row of data
        last = len(rows) - 1 + first  # the index of the totals row
        total_width = width or self.frame_width()
        shares = list(widths) if widths else self._measure(header, rows)
        scale = sum(shares) or 1.0
        col_widths = [total_width * w / scale for w in shares]
        size = cell.fontSize
        widths_of: dict[tuple[str, str, float], float] = {}
        shrunk: list[tuple[int, float]] = []  # (header column, font size) set smaller

        def measure(text: str, font: str, at: float) -> float:
            key = (text, font, at)
            found = widths_of.get(key)
            if found is None:
                found = widths_of[key] = stringWidth(text, font, at)
            return found

        def lines(text: str, font: str, at: float, room: float) -> str | None:
            """``text`` broken between words into lines that fit ``room``; None if a word
            alone does not fit."""
            out: list[str] = []
            line = ""
            for word in text.split():
                if measure(word, font, at) > room:
                    return None
                joined = f"{line} {word}" if line else word
                if not line or measure(joined, font, at) <= room:
                    line = joined
                else:
                    out.append(line)
                    line = word
            return "\n".join([*out, line]) if line else ""

        def wrap(value: Cell, column: int, row: int) -> Any:
            if value is None:
                return ""
            if not isinstance(value, str | int | float):
                return value  # a ready flowable
            text = str(value)
            strong = (has_header and row == 0) or (total and row == last)
            room = col_widths[column] - 2 * CELL_PADDING if column < len(col_widths) else 0
            font = FONT_BOLD if strong else FONT
            if "\n" in text and all(measure(t, font, size) <= room for t in text.split("\n")):
                return text  # broken into lines by the caller, each fits
            if "\n" not in text:
                if measure(text, font, size) <= room:
                    return text
                broken = lines(text, font, size, room)
                if broken is not None:
                    return broken
                if has_header and row == 0 and text.split():
                    # A heading's longest word sets its size: smaller, never split mid-word.
                    widest = max(measure(w, font, size) for w in text.split())
                    smaller = max(size * room / widest * 0.98, 4.0)
                    broken = lines(text, font, smaller, room)
                    if broken is not None:
                        shrunk.append((column, smaller))
                        return broken
            if column in numeric:
                style = right_bold if strong else right
            elif column in centred:
                style = centre_bold if strong else centre
            else:
                style = bold if strong else cell
            return Paragraph(markup(text), style)

        data = [[wrap(h, i, 0) for i, h in enumerate(header)]] if has_header else []
        data += [[wrap(v, i, n) for i, v in enumerate(row)] for n, row in enumerate(rows, first)]
        # Each cell's look (font, size, alignment, padding, fill) is set up front, one shared
        # style per kind of cell, rather than by style commands: ReportLab applies a command
        # to every cell of its range, again on every page a table is split over, which for a
        # matrix of thousands of cells cost more than drawing them.
        base = {
            "valign": "MIDDLE" if grid else "TOP",
            "topPadding": 2.5,
            "bottomPadding": 2.5,
            "leftPadding": CELL_PADDING,
            "rightPadding": CELL_PADDING,
            "fontname": FONT,
            "fontsize": size,
            "leading": cell.leading,
            "color": _colour(INK),
            "fill": None,
        }
        align = {c: "RIGHT" for c in numeric} | {c: "CENTER" for c in centred}
        fill_at = {(column, row + first): colour for column, row, colour in fills}
        bold_at = {(column, row + first) for column, row in bold_cells}
        smaller_at = dict(shrunk)
        kinds: dict[tuple[Any, ...], Any] = {}

        def kind(column: int, row: int) -> Any:
            heading = has_header and row == 0
            strong = heading or (total and row == last) or (column, row) in bold_at
            at = smaller_at.get(column) if heading else None
            hex_fill = fill_at.get((column, row))
            key = (align.get(column, "LEFT"), strong, at, hex_fill)
            found = kinds.get(key)
            if found is None:
                found = kinds[key] = _cell_style(
                    base,
                    alignment=key[0],
                    fontname=FONT_BOLD if strong else FONT,
                    fontsize=size if at is None else at,
                    leading=cell.leading if at is None else at * 1.25,
                    fill=None if hex_fill is None else _colour(hex_fill),
                )
            return found

        width_cols = max((len(r) for r in data), default=0)
        t = _table_class()(
            data,
            colWidths=col_widths,
            repeatRows=first,
            hAlign="LEFT",
            cellStyles=[[kind(c, r) for c in range(width_cols)] for r in range(len(data))],
        )
        commands: list[tuple[Any, ...]] = [
            ("LINEBELOW", (0, first), (-1, -1), 0.25, colors.HexColor(RULE)),
        ]
        if has_header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEAD_FILL)))
            commands.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(ACCENT)))
        if grid:
            commands.append(("INNERGRID", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)))
            commands.append(("BOX", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)))
        body_rows = len(rows) - (1 if total else 0)
        if zebra and body_rows > 1:
            commands.append(
                (
                    "ROWBACKGROUNDS",
                    (0, first),
                    (-1, first + body_rows - 1),
                    [colors.white, colors.HexColor(ZEBRA)],
                )
            )
        if total and rows:
            commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor(HEAD_FILL)))
            commands.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.HexColor(ACCENT)))
        if fill_at:
            # One command paints every cell's own fill, in runs down each column, on each
            # page the table is split over (over the body rows: a range that includes the
            # repeated header would be drawn twice on every later page).
            commands.append(("BACKGROUND", (0, first), (-1, -1), _paint_fills))
        t.setStyle(TableStyle(commands))
        return t

    def details(
        self,
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        *,
        labels: Sequence[int] = (0,),
        fills: Sequence[tuple[int, int, str]] = (),
        width: float | None = None,
    ) -> Any:
        """A table of facts without a header row: ``labels`` are the columns that name what the
        next column holds (bold); cells wrap like :meth:`table`'s. ``fills`` as in
        :meth:`table`, rows counted from 0."""
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        st = self.styles

        def wrap(value: Cell, column: int) -> Any:
            if value is None:
                value = ""
            if isinstance(value, str | int | float):
                return Paragraph(markup(str(value)), st.cell_bold if column in labels else st.cell)
            return value

        data = [[wrap(v, i) for i, v in enumerate(row)] for row in rows]
        total_width = width or self.frame_width()
        scale = sum(widths) or 1.0
        t = Table(data, colWidths=[total_width * w / scale for w in widths])
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.HexColor(ACCENT)),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor(RULE)),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        for column in labels:
            commands.append(("BACKGROUND", (column, 0), (column, -1), colors.HexColor(ZEBRA)))
        for column, row, colour in fills:
            commands.append(("BACKGROUND", (column, row), (column, row), colors.HexColor(colour)))
        t.setStyle(TableStyle(commands))
        return t

    def signatures(self, parties: Sequence[tuple[str, Sequence[str]]]) -> Any:
        """Side-by-side blocks to sign: each party's name over its lines ("Name: …",
        "Signature:", "Date: …"); a line starting "Signature" gets room to sign and a rule."""
        from reportlab.lib import colors
        from reportlab.lib.units import mm
        from reportlab.platypus import Paragraph, Table, TableStyle

        st = self.styles
        depth = max((len(lines) for _, lines in parties), default=0)
        lines = [[ls[i] if i < len(ls) else "" for _, ls in parties] for i in range(depth)]
        gap = 8 * mm
        each = (self.frame_width() - gap * (len(parties) - 1)) / max(len(parties), 1)
        columns = [each] + [gap, each] * (len(parties) - 1)

        def spaced(cells: list[Any]) -> list[Any]:
            """The cells with an empty gap column between the parties."""
            return [x for n, c in enumerate(cells) for x in ([c] if n == 0 else ["", c])]

        data = [spaced([Paragraph(markup(who), st.cell_bold) for who, _ in parties])]
        data += [spaced([Paragraph(markup(t), st.body) for t in line]) for line in lines]
        heights = [None] + [
            14 * mm if any(t.startswith("Signature") for t in line) else 8 * mm for line in lines
        ]
        t = Table(data, colWidths=columns, rowHeights=heights)
        commands: list[tuple[Any, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
        for n in range(len(parties)):
            col = 2 * n
            commands.append(("LINEBELOW", (col, 0), (col, 0), 0.8, colors.HexColor(ACCENT)))
            for r, line in enumerate(lines, 1):
                sign = line[n].startswith("Signature")
                colour = colors.HexColor(INK if sign else RULE)
                commands.append(("LINEBELOW", (col, r), (col, r), 0.6 if sign else 0.25, colour))
        t.setStyle(TableStyle(commands))
        return t

    def figures(
        self,
        pairs: Sequence[tuple[str, str]],
        widths: Sequence[float] = (3, 1),
        *,
        header: tuple[str, str] = ("Figure", "Value"),
        width: float | None = None,
    ) -> Any:
        """A two-column table of figures: (what, value)."""
        return self.table(list(header), [list(p) for p in pairs], widths, numeric=(1,), width=width)

    def frame_width(self) -> float:
        """The width text can use on a page, in points."""
        from reportlab.lib.units import mm

        return float(self.page_size()[0] - 2 * self.margin_mm * mm)

    def page_size(self) -> tuple[float, float]:
        """A4, turned if ``landscape``."""
        from reportlab.lib.pagesizes import A4, landscape

        w, h = landscape(A4) if self.landscape else A4
        return float(w), float(h)

    @staticmethod
    def _measure(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[float]:
        """Column shares from the text: the longest word sets a floor, the typical length the
        rest, so a long summary column gets the room and a date column just enough."""
        shares = []
        for i, h in enumerate(header):
            texts = [str(r[i]) for r in rows[:200] if i < len(r) and isinstance(r[i], str | int)]
            longest_word = max((len(w) for t in [h, *texts] for w in t.split()), default=4)
            typical = sorted(len(t) for t in texts)[len(texts) * 3 // 4] if texts else len(h)
            shares.append(max(longest_word, min(typical, 60), 4))
        return [float(s) for s in shares]

    def contents_table(self) -> Any:
        """The table of contents: every heading made with ``contents=True``, with its page
        number, each a link (set ``contents = True`` on the class so it takes two passes)."""
        from reportlab.platypus.tableofcontents import TableOfContents

        toc = TableOfContents()
        toc.levelStyles = list(self.styles.toc)
        toc.dotsMinLevel = 0
        return toc

    # Writing --------------------------------------------------------------------------------
    def render(self, path: Path, progress: Progress = no_progress) -> Path:
        """Write the PDF to ``path``: to a temporary file beside it, moved into place only when
        complete. ``progress`` hears (flowables laid out, of how many, what) and may cancel.

        Raises:
            Cancelled: ``progress`` returned False; nothing was written.
            StorageError: the file could not be written (open elsewhere, read-only, disk full).
        """
        from provider_desk.tabular.write import atomic_path

        register_fonts()
        with atomic_path(path) as tmp:
            doc = _doc_class()(str(tmp), self)
            story = self.story()
            doc.watch(progress, self.title or "PDF")
            maker = _canvas_maker(self)
            if self.contents:
                doc.multiBuild(story, canvasmaker=maker)
            else:
                doc.build(story, canvasmaker=maker)
        return path


def _cell_style(base: dict[str, Any], **changes: Any) -> Any:
    """A ReportLab cell style with ``base``'s settings and ``changes``."""
    from reportlab.platypus.tables import CellStyle

    style = CellStyle("cell")
    style.__dict__.update(base)
    style.__dict__.update(changes)
    return style


def _paint_fills(table: Any, canv: Any, *_: Any) -> None:
    """Draw each cell's fill (its style's ``fill``, from :meth:`Renderer.table`) as runs of
    equal fills down each column, a colour's runs together: a table's BACKGROUND command with
    a function."""
    x = table._colpositions
    y = table._rowpositions
    styles = table._cellStyles
    runs: dict[Any, list[tuple[int, int, int]]] = {}  # colour -> (column, first row, end)
    for column in range(table._ncols):
        run, top = None, 0
        for row in range(len(styles) + 1):
            fill = styles[row][column].fill if row < len(styles) else None
            if fill is run:
                continue
            if run is not None:
                runs.setdefault(run, []).append((column, top, row))
            run, top = fill, row
    for colour, cells in runs.items():
        canv.setFillColor(colour)
        for column, top, end in cells:
            left = x[column]
            canv.rect(left, y[top], x[column + 1] - left, y[end] - y[top], stroke=0, fill=1)


@cache
def _table_class() -> type:
    """A ReportLab table whose cells may share a style object (see :meth:`Renderer.table`):
    a style command given later (by a document, or on a split) first gives every cell its own
    copy, so it changes only the cells it names."""
    from reportlab.platypus import Table

    shaped = ("BACKGROUND", "ROWBACKGROUNDS", "COLBACKGROUNDS", "SPAN", "NOSPLIT")

    class SharedStyleTable(Table):  # type: ignore[misc]
        _own_styles = False
        _cellStyles: list[list[Any]]

        def _addCommand(self, cmd: Any) -> None:
            if not self._own_styles and cmd[0] not in shaped and not _is_line(cmd):
                own = [[_cell_style(c.__dict__) for c in row] for row in self._cellStyles]
                self._cellStyles = own
                self._own_styles = True
            super()._addCommand(cmd)

    return SharedStyleTable


def _is_line(cmd: Any) -> bool:
    from reportlab.platypus.tables import LINECOMMANDS

    return cmd[0] in LINECOMMANDS or cmd[0] == "ROUNDEDCORNERS"


@cache
def _colour(hex_colour: str) -> Any:
    """A ReportLab colour, made once per hex value."""
    from reportlab.lib import colors

    return colors.HexColor(hex_colour)


@cache
def _doc_class() -> type:
    """The document template (made on first use, so importing this module is cheap)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    class Doc(BaseDocTemplate):  # type: ignore[misc]
        def __init__(self, filename: str, renderer: Renderer) -> None:
            margin = renderer.margin_mm * mm
            super().__init__(
                filename,
                pagesize=renderer.page_size(),
                leftMargin=margin,
                rightMargin=margin,
                topMargin=margin + 2 * mm,
                bottomMargin=margin,
                title=renderer.title,
                author=renderer.author,
                subject=renderer.subject,
                creator="Provider Desk",
            )
            frame = Frame(
                self.leftMargin,
                self.bottomMargin,
                self.width,
                self.height,
                id="body",
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
            self.renderer = renderer

        def watch(self, progress: Progress, what: str) -> None:
            total = [0]
            passes = [1]

            def on_progress(kind: str, value: int) -> None:
                if kind == "SIZE_EST":
                    total[0] = value
                elif kind == "PASS":
                    passes[0] = value
                elif kind == "PROGRESS":
                    label = what if passes[0] <= 1 else f"{what} (pass {passes[0]})"
                    if not progress(value, total[0], label):
                        raise Cancelled("Cancelled: nothing was written.")

            self.setProgressCallBack(on_progress)

        def afterFlowable(self, flowable: Any) -> None:
            outline = getattr(flowable, "_outline", None)
            if outline is None:
                return
            level, text, key, contents = outline
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
            if contents:
                self.notify("TOCEntry", (level, text, self.page, key))

    return Doc


def _canvas_maker(renderer: Renderer) -> Callable[..., Any]:
    """A canvas class that draws the header and, once the page count is known, the footer."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    created = renderer.created

    class PageCanvas(canvas.Canvas):  # type: ignore[misc]
        """Each page is drawn as it comes (so bookmarks and links point at the right page);
        the page count is a form drawn once at the end and shown on every page."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("initialFontName", FONT)
            kwargs["invariant"] = 1  # same data, same bytes (the date is set below)
            super().__init__(*args, **kwargs)
            if created is not None:
                stamp = self._doc._timeStamp  # where ReportLab keeps it
                utc = created.astimezone(dt.UTC)
                stamp.t = utc.timestamp()
                stamp.lt = utc.timetuple()
                stamp.YMDhms = tuple(stamp.lt)[:6]

        def showPage(self) -> None:
            self._decorate()
            super().showPage()

        def save(self) -> None:
            renderer.pages = self.getPageNumber() - 1
            self.beginForm(TOTAL_FORM, lowery=-4, uppery=12)
            self.setFont(FONT, 7)
            self.setFillColor(colors.HexColor(MUTED))
            self.drawString(0, 0, str(self.getPageNumber() - 1))
            self.endForm()
            super().save()

        def _decorate(self) -> None:
            width, height = self._pagesize
            left = right = renderer.margin_mm * mm
            self.saveState()
            self.setFillColor(colors.HexColor(MUTED))
            self.setStrokeColor(colors.HexColor(RULE))
            if renderer.header:
                top = height - renderer.margin_mm * mm + 3 * mm
                self.setFont(FONT_BOLD, 7.5)
                self.drawString(left, top, renderer.header)
                self.setFont(FONT, 7.5)
                self.drawRightString(width - right, top, renderer.title)
                self.setLineWidth(0.4)
                self.line(left, top - 2 * mm, width - right, top - 2 * mm)
            self.setFont(FONT, 7)
            bottom = 7 * mm
            if renderer.confidential:
                self.drawCentredString(width / 2, bottom + 3.2 * mm, renderer.confidential)
            if renderer.footer:
                self.drawString(left, bottom, renderer.footer)
            # "Page x of " then the count: room kept for the widest count a report can have.
            label = f"Page {self.getPageNumber()} of "
            x = width - right - stringWidth("Page 9999 of 9999", FONT, 7)
            self.drawString(x, bottom, label)
            self.translate(x + stringWidth(label, FONT, 7), bottom)
            self.doForm(TOTAL_FORM)
            self.restoreState()

    return PageCanvas
