"""The service improvement plan out: every action as XLSX/CSV, or as a PDF for the inspector."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from provider_desk.areas.actions.queries import ActionRow, list_actions
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.db.session import Database
from provider_desk.pdf.render import Renderer, printed_on
from provider_desk.progress import Progress, no_progress
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


def export_actions(
    db: Database, path: Path, today: dt.date, progress: Progress = no_progress
) -> int:
    """Every action (overdue first) to .xlsx or .csv, or to .pdf for printing (``progress``
    hears how the PDF is coming on and may cancel it: nothing is written)."""
    rows = _rows(db, today)
    if path.suffix.lower() == ".pdf":
        from provider_desk.settings.queries import get_settings

        actions_pdf(rows, path, get_settings(db).provider_name or "Provider Desk", today, progress)
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


class ActionsPdf(Renderer):
    """The service improvement plan: one row per action, its status coloured by level."""

    title = "Service improvement plan"
    subject = "Every improvement action: what, where from, who, when, status and evidence"
    landscape = True
    margin_mm = 11

    def __init__(self, rows: list[ActionRow], provider_name: str, today: dt.date) -> None:
        super().__init__(
            author=provider_name,
            footer=f"{provider_name} — service improvement plan, printed {printed_on(today)}",
        )
        self.rows, self.today = tuple(rows), today

    def story(self) -> list[Any]:
        rows = self.rows
        done = sum(a.status == ActionStatus.DONE for a in rows)
        overdue = sum(a.status == ActionStatus.OVERDUE for a in rows)
        lines = []
        for a in rows:
            source = a.source.capitalize() + (f"\n{a.source_ref}" if a.source_ref else "")
            status = a.status.value.capitalize() + (
                f"\n{format_date(a.completed_on)}" if a.completed_on else ""
            )
            lines.append(
                [
                    a.description,
                    source,
                    a.owner,
                    format_date(a.raised_on),
                    format_date(a.due_on),
                    status,
                    a.completion_evidence,
                ]
            )
        table = self.table(
            [
                "What needs to be done",
                "From",
                "Owner",
                "Raised",
                "Due",
                "Status",
                "Evidence of completion",
            ],
            lines,
            [71, 38, 32, 22, 22, 25, 65],
            fills=[(5, i, LEVEL_STYLE[a.status.level].fill) for i, a in enumerate(rows)],
        )
        return [
            self.para(f"Service improvement plan — {self.author}", "title"),
            self.para(
                f"{len(rows)} actions on {printed_on(self.today)}: {overdue} overdue, "
                f"{len(rows) - done} not done yet, {done} done."
            ),
            self.space(),
            table,
        ]


def actions_pdf(
    rows: list[ActionRow],
    path: Path,
    provider_name: str,
    today: dt.date,
    progress: Progress = no_progress,
) -> Path:
    """The improvement plan as a landscape PDF: what, where from, who, when, status, evidence."""
    return ActionsPdf(rows, provider_name, today).render(path, progress)


def actions_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export actions`."""
    return [f"Wrote {export_actions(db, out, today)} actions to {out}."]
