"""Audits out: one row per audit (XLSX/CSV), and the command that prints one audit's report (the
PDF itself is built in report_pdf)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from provider_desk.areas.audits.queries import list_audits
from provider_desk.db.session import Database
from provider_desk.tabular.write import write_table

HEADERS = (
    "reference",
    "revision",
    "template",
    "audited_on",
    "auditor",
    "scope",
    "score_percent",
    "items_not_met",
    "status",
    "finished_on",
    "manager_signed_by",
    "manager_signed_on",
    "actions_raised",
    "open_actions",
    "re_audit_of",
)


def export_audits(db: Database, path: Path) -> int:
    """One row per audit (its latest revision), newest first, to .xlsx or .csv."""
    rows = sorted(list_audits(db), key=lambda a: (a.audited_on, a.id), reverse=True)
    write_table(
        path,
        HEADERS,
        [
            (
                a.reference,
                a.revision,
                a.template,
                a.audited_on,
                a.auditor,
                a.scope_note,
                a.score,
                a.failed,
                a.status,
                a.finished_on,
                a.manager_signed_by,
                a.manager_signed_on,
                a.actions,
                a.open_actions,
                a.follow_up_of,
            )
            for a in rows
        ],
        sheet_title="Audits",
    )
    return len(rows)


def audits_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export audits`."""
    return [f"Wrote {export_audits(db, out)} audits to {out}."]


def audit_report_command(db: Database, out: Path, today: dt.date, *, reference: str) -> list[str]:
    """`provider-desk export audit-report AUD-2026-004`: one audit, printed.

    Raises:
        ValidationError: not a .pdf name, or no audit with that reference.
    """
    from provider_desk.areas.audits.report_pdf import audit_report
    from provider_desk.errors import ValidationError

    if out.suffix.lower() != ".pdf":
        raise ValidationError.single("out", f"Choose a .pdf file name, not '{out.name}'.")
    found = [a for a in list_audits(db) if a.reference.lower() == reference.strip().lower()]
    if not found:
        raise ValidationError.single("reference", f"No audit has the reference '{reference}'.")
    audit_report(db, found[0].id, out, today)
    return [f"Wrote the report of {found[0].reference} ({found[0].template}) to {out}."]
