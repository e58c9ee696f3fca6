"""Supervision out: the log as CSV/XLSX, and one session as a PDF for both people to sign."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from provider_desk.areas.supervision.queries import (
    SessionRow,
    supervision_matrix,
    supervision_records,
)
from provider_desk.db.session import Database
from provider_desk.pdf.render import (
    FONT,
    FONT_BOLD,
    markup,
    numbered_canvas,
    printed_on,
    register_fonts,
)
from provider_desk.rules.dates import format_date
from provider_desk.tabular.write import atomic_path, write_table


def export_supervisions(db: Database, path: Path, today: dt.date) -> int:
    """One row per session, with the worker's next due date and status for that kind now."""
    matrix = supervision_matrix(db, today)
    kinds = [k.kind for k in matrix.kinds]
    now = {(r.staff_id, kinds[i]): c for r in matrix.rows for i, c in enumerate(r.cells)}
    rows = []
    for s in supervision_records(db):
        cell = now.get((s.staff_id, s.kind))
        rows.append(
            (
                s.worker,
                s.kind_name,
                s.held_on,
                s.supervisor,
                s.location,
                s.outcome,
                cell.next_due if cell else None,
                cell.word if cell else "left",
                s.worker_ack_on,
                s.supervisor_signed_on,
            )
        )
    write_table(
        path,
        (
            "worker",
            "kind",
            "date",
            "supervisor",
            "location",
            "outcome",
            "next_due",
            "status",
            "acknowledged_on",
            "signed_off_on",
        ),
        rows,
        sheet_title="Supervision",
    )
    return len(rows)


def export_session_pdf(
    row: SessionRow,
    path: Path,
    provider_name: str,
    actions: list[tuple[str, str, dt.date]] | None = None,
    *,
    today: dt.date,
) -> Path:
    """A printable record of one session with space for both signatures."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19)
    h2 = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=6)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13)
    small = ParagraphStyle(
        "small", fontName=FONT, fontSize=8, leading=10, textColor=colors.HexColor("#455a64")
    )

    facts = [
        ["Worker", row.worker, "Date", format_date(row.held_on)],
        ["Led by", row.supervisor, "Location", row.location or "—"],
    ]
    if row.outcome:
        facts.append(["Outcome", row.outcome.capitalize(), "", ""])
    grid = Table(facts, colWidths=[25 * mm, 60 * mm, 25 * mm, 60 * mm])
    grid.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                ("FONT", (0, 0), (0, -1), FONT_BOLD, 9.5),
                ("FONT", (2, 0), (2, -1), FONT_BOLD, 9.5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#cfd8dc")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story: list[Any] = [
        Paragraph(markup(f"{row.kind_name} — {provider_name}"), h1),
        Spacer(1, 3 * mm),
        grid,
        Spacer(1, 2 * mm),
    ]
    for title, notes in row.sections:
        story.append(
            KeepTogether(
                [Paragraph(markup(title), h2), Paragraph(markup(notes) if notes else "—", body)]
            )
        )
    if actions:
        story.append(Paragraph("Actions agreed", h2))
        table = Table(
            [["What", "Who", "By"]]
            + [[Paragraph(markup(a), body), who, format_date(d)] for a, who, d in actions],
            colWidths=[110 * mm, 40 * mm, 25 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 9),
                    ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    ack = format_date(row.worker_ack_on, "")
    signed = format_date(row.supervisor_signed_on, "")
    signatures = Table(
        [
            ["Worker", "", "Supervisor", ""],
            [f"Name: {row.worker_ack_name or row.worker}", "", f"Name: {row.supervisor}", ""],
            ["Signature:", "", "Signature:", ""],
            [f"Date: {ack}", "", f"Date: {signed}", ""],
        ],
        colWidths=[80 * mm, 5 * mm, 80 * mm, 5 * mm],
        rowHeights=[7 * mm, 7 * mm, 14 * mm, 7 * mm],
    )
    signatures.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9.5),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 10),
                ("LINEBELOW", (0, 2), (0, 2), 0.5, colors.black),
                ("LINEBELOW", (2, 2), (2, 2), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    story += [
        Spacer(1, 6 * mm),
        KeepTogether(
            [
                Paragraph("Agreed record", h2),
                Paragraph(
                    "We agree this is a fair record of the session. Both keep a copy.", small
                ),
                Spacer(1, 2 * mm),
                signatures,
            ]
        ),
    ]
    with atomic_path(path) as tmp:
        doc = SimpleDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=16 * mm,
            title=row.kind_name,
            author=provider_name,
        )
        doc.build(
            story,
            canvasmaker=numbered_canvas(
                f"{provider_name} — {row.kind_name.lower()}, {row.worker}, "
                f"{format_date(row.held_on)} — printed {printed_on(today)}"
            ),
        )
    return path


def supervisions_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export supervisions`."""
    return [f"Wrote {export_supervisions(db, out, today)} sessions to {out}."]
