"""The training matrix as a PDF an inspector can read: colour and words, landscape pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from provider_desk.areas.training.exports import AREA
from provider_desk.areas.training.queries import TrainingMatrix
from provider_desk.errors import ValidationError
from provider_desk.pdf.render import CELL_PADDING, FONT, FONT_BOLD, Renderer, derive, printed_on
from provider_desk.progress import Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE, Level, mark, word

COURSES_PER_PAGE = 8
FONT_SIZE = 6.8  # the matrix's cells
NAME_MM, ROLE_MM, PERCENT_MM = 44.0, 40.0, 11.0  # the columns repeated on every page


class MatrixPdf(Renderer):
    """Staff down, courses across, eight courses to a page width; every cell says its status in
    words as well as colour (the level colours of :data:`LEVEL_STYLE`), totals at the foot."""

    title = "Training matrix"
    subject = "Required training of the staff in post: in date, due, expired or missing"
    landscape = True
    margin_mm = 10

    def __init__(self, matrix: TrainingMatrix, provider_name: str) -> None:
        super().__init__(
            author=provider_name,
            footer=f"{provider_name} — training matrix, printed {printed_on(matrix.today)}",
        )
        self.matrix = matrix
        self.small = derive("cell", fontSize=6.6, leading=8)
        self._texts: dict[tuple[Level, Any], str] = {}
        self._people_percent: list[str] = []
        self._overall_percent = ""
        from reportlab.lib.units import mm

        # A course column is as wide on a page of two courses as on a page of eight.
        self.course_mm = (
            self.frame_width() / mm - NAME_MM - ROLE_MM - PERCENT_MM
        ) / COURSES_PER_PAGE

    def story(self) -> list[Any]:
        m = self.matrix
        overall = m.overall().percent
        # Each person's score once, not once per page width.
        self._people_percent = [
            _percent(m.person_compliance(i).percent) for i in range(len(m.people))
        ]
        self._overall_percent = _percent(overall)
        story: list[Any] = [
            self.para(f"Training matrix — {self.author}", "title"),
            self.para(
                f"Staff in post on {printed_on(m.today)}: {len(m.people)}. Required training in "
                f"date: {_percent(overall)}. 'Due' means expiring within {m.due_soon_days} days.",
                "muted",
            ),
            self.space(3),
            self._key(),
            self.space(3),
        ]
        groups = [
            list(range(i, min(i + COURSES_PER_PAGE, len(m.courses))))
            for i in range(0, len(m.courses), COURSES_PER_PAGE)
        ] or [[]]
        for g, cols in enumerate(groups):
            if g:
                story.append(self.page_break())
            story.append(self._group(cols))
        return story

    def _group(self, cols: list[int]) -> Any:
        """The matrix for the courses ``cols``, with the names, roles and totals."""
        m = self.matrix
        rows: list[list[Any]] = []
        fills: list[tuple[int, int, str]] = []
        bold: list[tuple[int, int]] = []
        for i, person in enumerate(m.people):
            row: list[Any] = [
                person.sort_name,
                " · ".join(x for x in (person.job_role, person.team) if x),
                self._people_percent[i],
            ]
            for k, j in enumerate(cols):
                c = m.cells[i][j]
                row.append(self._cell(c.status, c.expires_on))
                fills.append((3 + k, i, LEVEL_STYLE[c.status].fill))
                if c.status in _BOLD:
                    bold.append((3 + k, i))
            rows.append(row)
        totals: list[Any] = ["% in date", "", self._overall_percent]
        totals += [_percent(m.course_compliance(j).percent) for j in cols]
        rows.append(totals)
        from reportlab.lib.units import mm

        widths = [NAME_MM, ROLE_MM, PERCENT_MM] + [self.course_mm] * len(cols)
        table = self.table(
            ["Name", "Role / team", "%"] + [m.courses[j].name for j in cols],
            rows,
            widths,
            width=sum(widths) * mm,
            centred=range(2, 3 + len(cols)),
            fills=fills,
            bold_cells=bold,
            font_size=FONT_SIZE,
            grid=True,
            total=True,
            zebra=False,
        )
        table.hAlign = "LEFT"
        return table

    def _cell(self, level: Level, expires: Any) -> str:
        """A cell's plain text, made and measured once per level and date: the mark and the
        date on one line if they fit the column, else on two (a date is never broken)."""
        key = (level, expires)
        text = self._texts.get(key)
        if text is None:
            from reportlab.lib.units import mm
            from reportlab.pdfbase.pdfmetrics import stringWidth

            text = _cell_text(level, expires)
            room = self.course_mm * mm - 2 * CELL_PADDING
            font = FONT_BOLD if level in _BOLD else FONT
            if " " in text and stringWidth(text, font, FONT_SIZE) > room and level in _BOLD:
                mark_text, date = text.split(" ", 1)
                text = f"{mark_text}\n{date}"
            self._texts[key] = text
        return text

    def _key(self) -> Any:
        """What each colour means, in the colours themselves."""
        from reportlab.lib.units import mm

        labels = {lv: word(lv, AREA).capitalize() + _KEY_NOTES.get(lv, "") for lv in Level}
        table = self.details(
            [[self.para(text, self.small) for text in labels.values()]],
            [1] * len(labels),
            labels=(),
            fills=[(i, 0, LEVEL_STYLE[lv].fill) for i, lv in enumerate(labels)],
            width=48 * mm * len(labels),
        )
        table.hAlign = "LEFT"
        return table


def export_matrix_pdf(
    matrix: TrainingMatrix, path: Path, provider_name: str, progress: Progress = no_progress
) -> Path:
    """Write the matrix to ``path``. Courses are split into groups of eight per page width, the
    names repeated on each; every cell says its status in words as well as colour.

    Raises:
        ValidationError: ``path`` is not a .pdf.
        Cancelled: ``progress`` asked to stop; no file is left behind.
    """
    if path.suffix.lower() != ".pdf":
        raise ValidationError.single("out", "Choose a .pdf file name for the matrix.")
    return MatrixPdf(matrix, provider_name).render(path, progress)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _cell_text(level: Level, expires: Any) -> str:
    """'n/a', 'Missing', '22 Nov 2026' (in date), or 'Due 22 Nov 2026' (the mark in bold)."""
    if level is Level.NOT_REQUIRED or level is Level.MISSING:
        return mark(level, AREA)
    date = "no expiry" if expires is None else format_date(expires)
    return date if level is Level.IN_DATE else f"{mark(level, AREA)} {date}"


# Levels whose cells are set in bold: what needs doing stands out in black and white too.
_BOLD = frozenset({Level.MISSING, Level.DUE_SOON, Level.OVERDUE})


# What the key adds to a level's word in the matrix.
_KEY_NOTES = {
    Level.IN_DATE: " (expiry shown)",
    Level.MISSING: " (required, never done)",
    Level.NOT_REQUIRED: " for the role",
}
