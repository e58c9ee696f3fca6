"""The service improvement plan out: every action as XLSX/CSV, or as a PDF for the inspector."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from provider_desk.areas.actions.queries import ActionRow, list_actions
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.db.session import Database
from provider_desk.pdf.render import (
    FONT,
    FONT_BOLD,
    build_pdf,
    markup,
    printed_on,
    register_fonts,
)
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import LEVEL_STYLE
from provider_desk.tabular.write import write_table

HEADERS = (
    "description",
    "source",
    "source_ref",
    "owner",
    "raised_on",
    "due_on",
    "status",
    "completed_on",
    "completion_evidence",
)


def _rows(db: Database, today: dt.date) -> list[ActionRow]:
    return sorted(list_actions(db, today), key=lambda a: (a.status.level.rank, a.due_on))


def export_actions(db: Database, path: Path, today: dt.date) -> int:
    """Every action (overdue first) to .xlsx or .csv, or to .pdf for printing."""
    rows = _rows(db, today)
    if path.suffix.lower() == ".pdf":
        from provider_desk.settings.queries import get_settings

        actions_pdf(rows, path, get_settings(db).provider_name or "Provider Desk", today)
        return len(rows)
    write_table(
        path,
        HEADERS,
        [
            (
                a.description,
                a.source,
                a.source_ref,
                a.owner,
                a.raised_on,
                a.due_on,
                a.status.value,
                a.completed_on,
                a.completion_evidence,
            )
            for a in rows
        ],
        sheet_title="Action plan",
    )
    return len(rows)


def actions_pdf(rows: list[ActionRow], path: Path, provider_name: str, today: dt.date) -> Path:
    """The improvement plan as a landscape PDF: what, where from, who, when, status, evidence."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    register_fonts()
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19)
    body = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11)

    done = sum(a.status == ActionStatus.DONE for a in rows)
    overdue = sum(a.status == ActionStatus.OVERDUE for a in rows)
    data: list[list[Any]] = [
        [
            "What needs to be done",
            "From",
            "Owner",
            "Raised",
            "Due",
            "Status",
            "Evidence of completion",
        ]
    ]
    styles: list[tuple[Any, ...]] = []
    for i, a in enumerate(rows, start=1):
        source = a.source.capitalize() + (f"\n{a.source_ref}" if a.source_ref else "")
        status = a.status.value.capitalize() + (
            f"\n{format_date(a.completed_on)}" if a.completed_on else ""
        )
        data.append(
            [
                Paragraph(markup(a.description), body),
                Paragraph(markup(source), body),
                a.owner,
                format_date(a.raised_on),
                format_date(a.due_on),
                status,
                Paragraph(markup(a.completion_evidence), body),
            ]
        )
        styles.append(
            ("BACKGROUND", (5, i), (5, i), colors.HexColor(LEVEL_STYLE[a.status.level].fill))
        )
    table = Table(
        data,
        colWidths=[71 * mm, 38 * mm, 32 * mm, 24 * mm, 24 * mm, 25 * mm, 63 * mm],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5),
                ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *styles,
            ]
        )
    )
    story = [
        Paragraph(f"Service improvement plan — {markup(provider_name)}", h1),
        Paragraph(
            f"{len(rows)} actions on {printed_on(today)}: {overdue} overdue, "
            f"{len(rows) - done} not done yet, {done} done.",
            body,
        ),
        Spacer(1, 4 * mm),
        table,
    ]
    return build_pdf(
        path,
        story,
        title="Service improvement plan",
        author=provider_name,
        footer=f"{provider_name} — service improvement plan, {printed_on(today)}",
        landscape=True,
        margin_mm=11,
    )


def actions_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export actions`."""
    return [f"Wrote {export_actions(db, out, today)} actions to {out}."]
