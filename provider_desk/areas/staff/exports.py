"""Export the staff register to CSV or XLSX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from provider_desk.areas.staff.queries import list_staff
from provider_desk.db.session import Database
from provider_desk.tabular.write import write_table

HEADERS = (
    "first_name",
    "last_name",
    "preferred_name",
    "job_role",
    "team",
    "contract_type",
    "start_date",
    "leaving_date",
    "status",
    "line_manager",
    "asc_wds_worker_id",
    "missing_checks",
    "unverified_checks",
    "notes",
)


def export_staff(db: Database, path: Path, *, include_left: bool = True) -> int:
    """Write the register to ``path`` (.csv or .xlsx); returns the number of people written.

    The columns use the importer's field names, so an exported file imports back unchanged.
    """
    rows = [
        (
            r.first_name,
            r.last_name,
            r.preferred_name,
            r.job_role,
            r.team,
            r.contract_type,
            r.start_date,
            r.leaving_date,
            r.status,
            r.line_manager,
            r.asc_wds_worker_id,
            r.missing_checks,
            r.unverified_checks,
            r.notes,
        )
        for r in list_staff(db, include_left=include_left)
    ]
    write_table(path, HEADERS, rows, sheet_title="Staff")
    return len(rows)


def staff_command(
    db: Database, out: Path, today: dt.date, *, current_only: bool = False
) -> list[str]:
    """`provider-desk export staff`."""
    n = export_staff(db, out, include_left=not current_only)
    return [f"Wrote {n} staff to {out}."]
