"""The training matrix as a PDF an inspector can read: colour and words, landscape pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from provider_desk.areas.training.exports import AREA
from provider_desk.areas.training.queries import TrainingMatrix
from provider_desk.errors import ValidationError
from provider_desk.pdf.render import Renderer, derive, printed_on
from provider_desk.progress import Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE, Level, mark, word

COURSES_PER_PAGE = 8
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
        self.centred = derive(self.small, alignment=1)

    def story(self) -> list[Any]:
        m = self.matrix
        overall = m.overall().percent
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
        for i, person in enumerate(m.people):
            row: list[Any] = [
                person.sort_name,
                " · ".join(x for x in (person.job_role, person.team) if x),
                _percent(m.person_compliance(i).percent),
            ]
            for k, j in enumerate(cols):
                c = m.cells[i][j]
                row.append(self.para(_cell_text(c.status, c.expires_on), self.centred, raw=True))
                fills.append((3 + k, i, LEVEL_STYLE[c.status].fill))
            rows.append(row)
        totals: list[Any] = ["% in date", "", _percent(m.overall().percent)]
        totals += [_percent(m.course_compliance(j).percent) for j in cols]
        rows.append(totals)
        from reportlab.lib.units import mm

        # A course column is as wide on a page of two courses as on a page of eight.
        each = (self.frame_width() / mm - NAME_MM - ROLE_MM - PERCENT_MM) / COURSES_PER_PAGE
        widths = [NAME_MM, ROLE_MM, PERCENT_MM] + [each] * len(cols)
        table = self.table(
            ["Name", "Role / team", "%"] + [m.courses[j].name for j in cols],
            rows,
            widths,
            width=sum(widths) * mm,
            centred=range(2, 3 + len(cols)),
            fills=fills,
            font_size=6.8,
            grid=True,
            total=True,
            zebra=False,
        )
        table.hAlign = "LEFT"
        return table

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
    if level is Level.NOT_REQUIRED:
        return mark(level, AREA)
    if level is Level.MISSING:
        return f"<b>{mark(level, AREA)}</b>"
    date = "no expiry" if expires is None else format_date(expires)
    return date if level is Level.IN_DATE else f"<b>{mark(level, AREA)}</b> {date}"


# What the key adds to a level's word in the matrix.
_KEY_NOTES = {
    Level.IN_DATE: " (expiry shown)",
    Level.MISSING: " (required, never done)",
    Level.NOT_REQUIRED: " for the role",
}
