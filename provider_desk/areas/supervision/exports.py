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
from provider_desk.pdf.render import Renderer, printed_on
from provider_desk.progress import Progress, no_progress
from provider_desk.rules.dates import format_date
from provider_desk.tabular.write import write_table

CONFIDENTIAL = "Confidential: contains personal information. Do not share beyond those who need it."


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


class SessionPdf(Renderer):
    """One session for both people to sign: the facts, each section's notes, the actions agreed
    and the agreed record."""

    subject = "Record of a supervision session, for the worker and the supervisor to sign"

    def __init__(
        self,
        row: SessionRow,
        provider_name: str,
        actions: tuple[tuple[str, str, dt.date], ...],
        today: dt.date,
    ) -> None:
        super().__init__(
            author=provider_name,
            footer=f"{provider_name} — {row.kind_name.lower()}, {row.worker}, "
            f"{format_date(row.held_on)}, printed {printed_on(today)}",
            confidential=CONFIDENTIAL,
        )
        self.title = row.kind_name
        self.row, self.actions = row, actions

    def story(self) -> list[Any]:
        row = self.row
        facts = [
            ["Worker", row.worker, "Date", format_date(row.held_on)],
            ["Led by", row.supervisor, "Location", row.location or "—"],
        ]
        if row.outcome:
            facts.append(["Outcome", row.outcome.capitalize(), "", ""])
        story: list[Any] = [
            self.para(row.kind_name, "title"),
            self.para(self.author, "muted"),
            self.space(3),
            self.details(facts, [25, 60, 25, 60], labels=(0, 2)),
            self.space(2),
        ]
        for title, notes in row.sections:
            story.append(self.keep(self.heading(title, style="h2"), self.para(notes or "—")))
        if self.actions:
            story += [
                self.heading("Actions agreed", style="h2"),
                self.table(
                    ["What", "Who", "By"],
                    [[a, who, format_date(d)] for a, who, d in self.actions],
                    [110, 40, 25],
                ),
            ]
        ack = format_date(row.worker_ack_on, "")
        signed = format_date(row.supervisor_signed_on, "")
        story += [
            self.space(6),
            self.keep(
                self.heading("Agreed record", style="h2"),
                self.para(
                    "We agree this is a fair record of the session. Both keep a copy.", "small"
                ),
                self.space(2),
                self.signatures(
                    [
                        (
                            "Worker",
                            [
                                f"Name: {row.worker_ack_name or row.worker}",
                                "Signature:",
                                f"Date: {ack}",
                            ],
                        ),
                        (
                            "Supervisor",
                            [f"Name: {row.supervisor}", "Signature:", f"Date: {signed}"],
                        ),
                    ]
                ),
            ),
        ]
        return story


def export_session_pdf(
    row: SessionRow,
    path: Path,
    provider_name: str,
    actions: list[tuple[str, str, dt.date]] | None = None,
    *,
    today: dt.date,
    progress: Progress = no_progress,
) -> Path:
    """A printable record of one session with space for both signatures."""
    return SessionPdf(row, provider_name, tuple(actions or ()), today).render(path, progress)


def supervisions_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export supervisions`."""
    return [f"Wrote {export_supervisions(db, out, today)} sessions to {out}."]
