"""Import an existing complaints log, and a compliments log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from provider_desk.areas.complaints.models import Complaint, Compliment
from provider_desk.areas.complaints.services import (
    CATEGORIES,
    CHANNELS,
    OUTCOMES,
    REFERENCE_MAX,
    ComplaintInput,
    ComplimentInput,
    save_complaint_in,
    save_compliment_in,
)
from provider_desk.areas.staff.index import PeopleIndex
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.resources import funding_types
from provider_desk.rules import validators as v
from provider_desk.rules.dates import format_date
from provider_desk.tabular.read import COLUMNS, FieldSpec, normalise, read_table
from provider_desk.tabular.records import (
    Field,
    RecordKind,
    Row,
    SavedRecords,
    import_session,
    merge,
    show,
    skip,
    start_report,
)
from provider_desk.tabular.report import ImportReport

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
    FieldSpec(
        "funding",
        "Funding",
        ("funded by", "funding type", "who funds", "funder", "paid by"),
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


_COMPLAINT_FIELDS = (
    Field("reference", "Reference"),
    Field("received_on", "Received on"),
    Field("complainant_name", "Complainant"),
    Field("summary", "Summary"),
    Field("channel", "How received"),
    Field("complainant_relation", "Relationship"),
    Field("person_concerned", "Person concerned"),
    Field("funding", "Funding"),
    Field("category", "Category"),
    Field("acknowledged_on", "Acknowledged on"),
    Field("responded_on", "Responded on"),
    Field("outcome", "Outcome"),
    Field("closed_on", "Closed on"),
)


def complaint_kind(s: Session, today: dt.date, who: str) -> RecordKind[Complaint]:
    """Complaints: found by our reference, else by date received, complainant and summary; the
    same complaint only if the reference, the date received and the complainant agree. A log is
    updated as a complaint goes on (acknowledged, responded, closed), so a match updates the
    columns given. A new complaint keeps the file's reference (an older log's), or gets one."""

    def describe(c: Complaint) -> str:
        return f"{c.reference}: {c.complainant_name}, {format_date(c.received_on)}"

    def describe_row(values: Mapping[str, Any]) -> str:
        received = values.get("received_on")
        return f"{values.get('complainant_name') or '(no name)'}, " + (
            format_date(received) if received else "(no date)"
        )

    def complete(saved: Complaint | None, values: dict[str, Any]) -> dict[str, Any]:
        if saved is not None:
            return values
        return {"channel": "phone", "category": "other"} | values

    def save(s: Session, saved: Complaint | None, values: dict[str, Any]) -> Complaint:
        known = {f.name for f in fields(ComplaintInput)} - {"actions", "new_step"}
        base = {name: getattr(saved, name) for name in known} if saved else {}
        merged = {k: v for k, v in (base | values).items() if k in known}
        data = ComplaintInput(
            **{"received_on": None, "complainant_name": "", "summary": ""} | merged
        )
        # ``saved`` was read in this same transaction: its version is the current one.
        return save_complaint_in(
            s,
            data,
            today=today,
            who=who,
            complaint_id=saved.id if saved else None,
            expected_version=saved.version if saved else None,
        )

    return RecordKind(
        noun="complaint",
        model=Complaint,
        fields=_COMPLAINT_FIELDS,
        keys=(("reference",), ("received_on", "complainant_name", "summary")),
        identity=("reference", "received_on", "complainant_name"),
        describe=describe,
        describe_row=describe_row,
        save=save,
        complete=complete,
    )


def _complaint_values(row: Row) -> dict[str, Any]:
    """The complaint fields this row sets, read and checked cell by cell."""
    values: dict[str, Any] = {}
    reference = row.text("reference")
    problem = v.text("reference", reference, "Reference", max_len=REFERENCE_MAX)
    if problem is not None:  # the form's check, before the reference is used to match
        raise ValidationError(problem)
    row.put(values, "reference", reference)
    for name, label in (
        ("received_on", "Received on"),
        ("acknowledged_on", "Acknowledged on"),
        ("responded_on", "Responded on"),
        ("closed_on", "Closed on"),
    ):
        day = row.date(name, label)
        if day is not None or (name != "received_on" and row.sets(name)):
            values[name] = day
    for name in ("complainant_name", "summary"):
        if row.given(name):
            values[name] = row.text(name)
    for name in ("complainant_relation", "person_concerned"):
        row.put(values, name, row.text(name))
    if row.given("channel"):
        values["channel"] = _choice(row.text("channel"), CHANNELS) or "other"
    if row.given("category"):
        values["category"] = _choice(row.text("category"), CATEGORIES) or "other"
    if row.given("outcome"):
        outcome = _outcome(row.text("outcome"))
        if not outcome:
            raise ValidationError.single(
                "outcome",
                f"Outcome '{row.text('outcome')}' is not one of: {', '.join(OUTCOMES)}.",
            )
        values["outcome"] = outcome
    elif row.sets("outcome"):
        values["outcome"] = ""
    if row.given("funding"):
        # Who funds the care decides the Ombudsman the letters name: a known type or nothing.
        funding = _choice(row.text("funding"), funding_types())
        if not funding:
            raise ValidationError.single(
                "funding",
                f"Funding '{row.text('funding')}' is not one of: "
                f"{', '.join(funding_types())} (or leave it blank).",
            )
        values["funding"] = funding
    elif row.sets("funding"):
        values["funding"] = ""
    return values


def import_complaints(
    db: Database,
    path: Path,
    *,
    today: dt.date,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    clear_empty: bool = False,
    confirmed: str | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a complaints log. Rows with problems are reported; the rest go in together. A
    complaint already logged (same reference, or same date, complainant and summary) is updated
    from the columns the file has, each change listed; a reference that belongs to another
    complainant or date is a conflict and changes nothing.

    Raises:
        ValidationError: unreadable file, no header or required columns, or the records changed
            since the preview whose plan digest is ``confirmed``.
        Cancelled: ``progress`` asked to stop; nothing was written.
    """
    table = read_table(path, COMPLAINT_FIELDS, mapping)
    missing = [f.label for f in COMPLAINT_FIELDS if f.required and f.name not in table.columns]
    if missing and "reference" not in table.columns:
        raise ValidationError.single(
            COLUMNS,
            f"No column for {', '.join(missing)}: rename it in the file or map a column to it. (To "
            "update complaints already logged, a Reference column is enough.)",
        )
    report = start_report(table, dry_run=dry_run, clear_empty=clear_empty)
    with import_session(db, report, dry_run=dry_run, confirmed=confirmed) as s:
        kind = SavedRecords(s, complaint_kind(s, today, db.user))
        total = table.data_row_count()
        for n, (index, cells) in enumerate(table.records()):
            if n % 100 == 0 and not progress(n, total, "Importing complaints"):
                raise Cancelled()
            row = Row(table, index, cells, clear_empty)
            try:
                values = _complaint_values(row)
            except ValidationError as exc:
                skip(report, row, exc)
                continue
            merge(kind, row, values, report)
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


def compliment_kind(
    s: Session, today: dt.date, staff_names: Mapping[int, str]
) -> RecordKind[Compliment]:
    """Compliments are only ever added: one with the same date, giver and words is a duplicate."""

    def save(s: Session, saved: Compliment | None, values: dict[str, Any]) -> Compliment:
        data = ComplimentInput(
            values.get("received_on"),
            values.get("from_name", ""),
            values.get("what_was_said", ""),
            about_person=values.get("about_person", ""),
            staff_id=values.get("staff_id"),
            channel=values.get("channel", ""),
        )
        return save_compliment_in(s, data, today=today, expected_version=None)

    def describe(c: Compliment) -> str:
        return f"{c.from_name}, {format_date(c.received_on)}"

    return RecordKind(
        noun="compliment",
        model=Compliment,
        fields=(
            Field("received_on", "Received on"),
            Field("from_name", "From"),
            Field("what_was_said", "What was said"),
            Field("about_person", "About"),
            Field("staff_id", "Staff", lambda v: show(staff_names.get(v))),
            Field("channel", "How received"),
        ),
        keys=(("received_on", "from_name", "what_was_said"),),
        identity=(),
        describe=describe,
        describe_row=lambda v: f"{v.get('from_name', '')}, {show(v.get('received_on'))}",
        save=save,
        append_only=True,
    )


def import_compliments(
    db: Database,
    path: Path,
    *,
    today: dt.date,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    confirmed: str | None = None,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import a compliments log; staff are matched by name. Compliments are only added, never
    updated: one already logged (same date, giver and words) is left as it is."""
    table = read_table(path, COMPLIMENT_FIELDS, mapping)
    missing = [f.label for f in COMPLIMENT_FIELDS if f.required and f.name not in table.columns]
    if missing:
        raise ValidationError.single(
            COLUMNS,
            f"No column for {', '.join(missing)}: rename it in the file or map a column to it.",
        )
    report = start_report(table, dry_run=dry_run)
    with import_session(db, report, dry_run=dry_run, confirmed=confirmed) as s:
        people = PeopleIndex(s)
        kind = SavedRecords(s, compliment_kind(s, today, people.names))
        total = table.data_row_count()
        for n, (index, cells) in enumerate(table.records()):
            if n % 100 == 0 and not progress(n, total, "Importing compliments"):
                raise Cancelled()
            row = Row(table, index, cells)
            try:
                values: dict[str, Any] = {
                    "received_on": row.date("received_on", "Received on"),
                    "from_name": row.text("from_name"),
                    "what_was_said": row.text("what_was_said"),
                    "about_person": row.text("about_person"),
                    "channel": row.text("channel"),
                    "staff_id": None,
                }
                if row.given("staff"):
                    found = people.find({"full_name": row.text("staff")})
                    if found.conflict_with:
                        raise ValidationError.single("staff", found.why)
                    if found.staff_id is None:
                        raise ValidationError.single("staff", found.why)
                    values["staff_id"] = found.staff_id
            except ValidationError as exc:
                skip(report, row, exc)
                continue
            merge(kind, row, values, report)
    return report
