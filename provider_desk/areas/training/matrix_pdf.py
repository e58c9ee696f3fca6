"""The training matrix as a PDF an inspector can read: colour and words, landscape pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from provider_desk.areas.training.exports import AREA
from provider_desk.areas.training.queries import TrainingMatrix
from provider_desk.errors import ValidationError
from provider_desk.pdf.render import (
    FONT,
    FONT_BOLD,
    markup,
    numbered_canvas,
    printed_on,
    register_fonts,
)
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.rules.due import LEVEL_STYLE, Level, mark, word
from provider_desk.tabular.write import atomic_path

COURSES_PER_PAGE = 8


def export_matrix_pdf(
    matrix: TrainingMatrix, path: Path, provider_name: str, progress: Progress = no_progress
) -> Path:
    """Write the matrix to ``path``. Courses are split into groups of eight per page width, the
    names repeated on each; every cell says its status in words as well as colour.

    Raises:
        Cancelled: ``progress`` asked to stop; no file is left behind.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    if path.suffix.lower() != ".pdf":
        raise ValidationError.single("out", "Choose a .pdf file name for the matrix.")
    register_fonts()
    title = ParagraphStyle("title", fontName=FONT_BOLD, fontSize=15, leading=19)
    sub = ParagraphStyle(
        "sub", fontName=FONT, fontSize=9, leading=12, textColor=colors.HexColor("#37474f")
    )
    head = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=6.8, leading=8)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=6.6, leading=8, alignment=1)
    name = ParagraphStyle("name", fontName=FONT, fontSize=7, leading=8.5)
    overall = matrix.overall().percent
    story: list[Any] = [
        Paragraph(f"Training matrix — {markup(provider_name)}", title),
        Paragraph(
            f"Staff in post on {printed_on(matrix.today)}: {len(matrix.people)}. "
            f"Required training in date: "
            f"{'—' if overall is None else f'{overall:.0f}%'}. 'Due' means expiring within "
            f"{matrix.due_soon_days} days.",
            sub,
        ),
        Spacer(1, 3 * mm),
        _key(colors, cell),
        Spacer(1, 3 * mm),
    ]
    groups = [
        list(range(i, min(i + COURSES_PER_PAGE, len(matrix.courses))))
        for i in range(0, len(matrix.courses), COURSES_PER_PAGE)
    ] or [[]]
    for g, cols in enumerate(groups):
        if g:
            story.append(PageBreak())
        header = [Paragraph("Name", head), Paragraph("Role / team", head), Paragraph("%", head)] + [
            Paragraph(markup(matrix.courses[j].name), head) for j in cols
        ]
        data: list[list[Any]] = [header]
        styles: list[tuple[Any, ...]] = []
        for i, person in enumerate(matrix.people):
            pct = matrix.person_compliance(i).percent
            row: list[Any] = [
                Paragraph(markup(person.sort_name), name),
                Paragraph(markup(" · ".join(x for x in (person.job_role, person.team) if x)), name),
                "—" if pct is None else f"{pct:.0f}%",
            ]
            for k, j in enumerate(cols):
                c = matrix.cells[i][j]
                row.append(Paragraph(_cell_text(c.status, c.expires_on), cell))
                styles.append(
                    (
                        "BACKGROUND",
                        (3 + k, i + 1),
                        (3 + k, i + 1),
                        colors.HexColor(LEVEL_STYLE[c.status].fill),
                    )
                )
            data.append(row)
        totals: list[Any] = [
            Paragraph("<b>% in date</b>", name),
            "",
            "—" if overall is None else f"{overall:.0f}%",
        ]
        for j in cols:
            pct = matrix.course_compliance(j).percent
            totals.append("—" if pct is None else f"{pct:.0f}%")
        data.append(totals)
        width = landscape(A4)[0] - 20 * mm
        fixed = [44 * mm, 40 * mm, 11 * mm]
        each = (width - sum(fixed)) / max(len(cols), 1)
        table = Table(data, colWidths=fixed + [each] * len(cols), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 7),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
                    ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#eceff1")),
                    ("FONT", (0, -1), (-1, -1), FONT_BOLD, 7),
                    ("ALIGN", (2, 0), (-1, -1), "CENTER"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    *styles,
                ]
            )
        )
        story.append(table)

    def on_progress(kind: str, value: int) -> None:
        if kind == "PROGRESS" and not progress(value, len(story), "Writing the matrix PDF"):
            raise Cancelled()

    with atomic_path(path) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=landscape(A4),
            leftMargin=10 * mm,
            rightMargin=10 * mm,
            topMargin=10 * mm,
            bottomMargin=12 * mm,
            title="Training matrix",
            author=provider_name,
        )
        doc.setProgressCallBack(on_progress)
        doc.build(
            story,
            canvasmaker=numbered_canvas(
                f"{provider_name} — training matrix, {printed_on(matrix.today)}"
            ),
        )
    return path


def _cell_text(level: Level, expires: Any) -> str:
    if level is Level.NOT_REQUIRED:
        return mark(level, AREA)
    if level is Level.MISSING:
        return f"<b>{mark(level, AREA)}</b>"
    date = "no expiry" if expires is None else expires.strftime("%d/%m/%y")
    return date if level is Level.IN_DATE else f"<b>{mark(level, AREA)}</b> {date}"


# What the key adds to a level's word in the matrix.
_KEY_NOTES = {
    Level.IN_DATE: " (expiry shown)",
    Level.MISSING: " (required, never done)",
    Level.NOT_REQUIRED: " for the role",
}


def _key(colors: Any, style: Any) -> Any:
    from reportlab.platypus import Paragraph, Table, TableStyle

    labels = {lv: word(lv, AREA).capitalize() + _KEY_NOTES.get(lv, "") for lv in Level}
    cells = [Paragraph(text, style) for text in labels.values()]
    table = Table([cells], colWidths=[48 * 2.8346] * len(cells))
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                *[
                    ("BACKGROUND", (i, 0), (i, 0), colors.HexColor(LEVEL_STYLE[s].fill))
                    for i, s in enumerate(labels)
                ],
            ]
        )
    )
    table.hAlign = "LEFT"
    return table
