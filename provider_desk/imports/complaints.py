"""Import an existing complaints log, and a compliments log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select

from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.imports.people import PeopleIndex
from provider_desk.imports.report import ImportReport, Planned, Skipped
from provider_desk.imports.tabular import (
    FieldSpec,
    Table,
    cell_date,
    find_table,
    normalise,
    read_sheet,
)
from provider_desk.models import Complaint, Compliment
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.rules.dates import DateParseError, format_date
from provider_desk.services.complaints import (
    CATEGORIES,
    CHANNELS,
    OUTCOMES,
    ComplaintInput,
    ComplimentInput,
    save_complaint_in,
    save_compliment_in,
)

COMPLAINT_FIELDS = (
    FieldSpec(
        "received_on",
        "Received on",
        ("received", "date received", "date", "date of complaint", "received_on"),
        required=True,
    ),
    FieldSpec(
        "complainant_name",
        "Complainant",
        ("complainant name", "from", "name", "complaint from", "raised by"),
        required=True,
    ),
    FieldSpec(
        "summary",
        "Summary",
        ("complaint", "details", "description", "nature of complaint", "issue"),
        required=True,
    ),
    FieldSpec("category", "Category", ("type", "subject", "theme")),
    FieldSpec(
        "acknowledged_on",
        "Acknowledged on",
        ("acknowledged", "date acknowledged", "acknowledgement sent", "acknowledged_on"),
    ),
    FieldSpec(
        "responded_on",
        "Responded on",
        ("responded", "response sent", "date responded", "final response", "responded_on"),
    ),
    FieldSpec("outcome", "Outcome", ("result", "upheld")),
    FieldSpec("closed_on", "Closed on", ("closed", "date closed", "closed_on")),
    FieldSpec("channel", "How received", ("channel", "method", "received by", "how")),
    FieldSpec("complainant_relation", "Relationship", ("relation", "relationship to person")),
    FieldSpec(
        "person_concerned",
        "Person concerned",
        ("about", "service user", "client", "person supported"),
    ),
    FieldSpec("reference", "Reference", ("ref", "complaint ref", "number")),
)
COMPLIMENT_FIELDS = (
    FieldSpec("received_on", "Received on", ("received", "date"), required=True),
    FieldSpec(
        "from_name", "From", ("from whom", "given by", "name", "compliment from"), required=True
    ),
    FieldSpec(
        "what_was_said",
        "What was said",
        ("compliment", "comment", "comments", "details", "feedback", "what_was_said"),
        required=True,
    ),
    FieldSpec("about_person", "About", ("about person", "person", "client", "about_person")),
    FieldSpec("staff", "Staff", ("staff member", "carer", "worker", "about staff")),
    FieldSpec("channel", "How received", ("channel", "method")),
)


def _choice(value: Any, choices: tuple[str, ...]) -> str | None:
    text = normalise(value)
    for c in choices:
        if normalise(c) == text:
            return c
    return None


def _date(table: Table, row: int, values: dict[str, Any], name: str) -> dt.date | None:
    try:
        return cell_date(values.get(name))
    except DateParseError as exc:
        raise ValidationError.single(name, f"{table.place(row, name)}: {exc}") from None


def import_complaints(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    today: dt.date,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a complaints log. Rows with problems are reported; the rest go in together. A
    complaint already logged (same date, complainant and summary) is not added twice."""
    day = today
    table = find_table(read_sheet(path), COMPLAINT_FIELDS, mapping)
    missing = [f.label for f in COMPLAINT_FIELDS if f.required and f.name not in table.columns]
    if missing:
        raise ValidationError.single(
            "file", f"No column for {', '.join(missing)}: rename it in the file or use --map."
        )
    report = ImportReport(dry_run=dry_run)
    report.columns = {
        str(table.sheet.rows[table.header_row][c]): f for f, c in table.columns.items()
    }
    report.ignored_columns = list(table.unmapped)
    with db.session(dry_run=dry_run) as s:
        existing: set[tuple[dt.date | None, str, str]] = {
            (r, normalise(n), normalise(t))
            for r, n, t in s.execute(
                select(Complaint.received_on, Complaint.complainant_name, Complaint.summary)
            )
        }
        total = table.data_row_count()
        for n, (row, values) in enumerate(table.records()):
            if n % 100 == 0 and not progress(n, total, "Importing complaints"):
                raise Cancelled()
            where = table.place(row)
            try:
                received = _date(table, row, values, "received_on")
                data = ComplaintInput(
                    received_on=received,
                    complainant_name=str(values.get("complainant_name") or "").strip(),
                    summary=str(values.get("summary") or "").strip(),
                    channel=_choice(values.get("channel"), CHANNELS) or "other"
                    if values.get("channel")
                    else "phone",
                    complainant_relation=str(values.get("complainant_relation") or "").strip(),
                    person_concerned=str(values.get("person_concerned") or "").strip(),
                    category=_choice(values.get("category"), CATEGORIES) or "other"
                    if values.get("category")
                    else "other",
                    acknowledged_on=_date(table, row, values, "acknowledged_on"),
                    responded_on=_date(table, row, values, "responded_on"),
                    closed_on=_date(table, row, values, "closed_on"),
                    outcome=_outcome(values.get("outcome")),
                )
                if values.get("outcome") and not data.outcome:
                    raise ValidationError.single(
                        "outcome",
                        f"Outcome '{values['outcome']}' is not one of: {', '.join(OUTCOMES)}.",
                    )
                key = (received, normalise(data.complainant_name), normalise(data.summary))
                if key in existing:
                    report.unchanged += 1
                    continue
                with s.begin_nested():
                    c = save_complaint_in(s, data, today=day, who=db.user)
            except ValidationError as exc:
                report.skipped.append(Skipped(where, exc.message))
                continue
            existing.add(key)
            report.imported += 1
            report.planned.append(
                Planned(
                    where, "new", f"{c.reference}: {data.complainant_name}, {format_date(received)}"
                )
            )
    return report


def _outcome(value: Any) -> str:
    found = _choice(value, OUTCOMES)
    if found:
        return found
    return {
        "yes": "upheld",
        "partly": "partly upheld",
        "partial": "partly upheld",
        "no": "not upheld",
        "notupheld": "not upheld",
    }.get(normalise(value), "")


def import_compliments(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    today: dt.date,
) -> ImportReport:
    """Import a compliments log; staff are matched by name."""
    day = today
    table = find_table(read_sheet(path), COMPLIMENT_FIELDS, mapping)
    missing = [f.label for f in COMPLIMENT_FIELDS if f.required and f.name not in table.columns]
    if missing:
        raise ValidationError.single("file", f"No column for {', '.join(missing)}.")
    report = ImportReport(dry_run=dry_run)
    report.columns = {
        str(table.sheet.rows[table.header_row][c]): f for f, c in table.columns.items()
    }
    with db.session(dry_run=dry_run) as s:
        people = PeopleIndex(s)
        existing: set[tuple[dt.date | None, str, str]] = {
            (r, normalise(n), normalise(t))
            for r, n, t in s.execute(
                select(Compliment.received_on, Compliment.from_name, Compliment.what_was_said)
            )
        }
        for row, values in table.records():
            where = table.place(row)
            try:
                staff_id = None
                if values.get("staff"):
                    staff_id, _, why = people.find({"full_name": values["staff"]})
                    if staff_id is None:
                        raise ValidationError.single("staff", why)
                data = ComplimentInput(
                    _date(table, row, values, "received_on"),
                    str(values.get("from_name") or ""),
                    str(values.get("what_was_said") or ""),
                    about_person=str(values.get("about_person") or ""),
                    staff_id=staff_id,
                    channel=str(values.get("channel") or "")[:20],
                )
                key = (data.received_on, normalise(data.from_name), normalise(data.what_was_said))
                if key in existing:
                    report.unchanged += 1
                    continue
                with s.begin_nested():
                    save_compliment_in(s, data, today=day)
            except ValidationError as exc:
                report.skipped.append(Skipped(where, exc.message))
                continue
            existing.add(key)
            report.imported += 1
            report.planned.append(Planned(where, "new", data.from_name))
    return report
