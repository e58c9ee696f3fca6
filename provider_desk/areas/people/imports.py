"""Import the list of people we support (CSV or XLSX), NHS numbers checked row by row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from provider_desk.areas.people import rules
from provider_desk.areas.people.models import Person
from provider_desk.areas.people.services import PersonInput, save_person_in
from provider_desk.areas.staff.index import split_name
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.resources import funding_types
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

FIELDS = (
    FieldSpec(
        "reference",
        "Reference",
        ("ref", "client ref", "service user id", "client id", "id", "su number"),
    ),
    FieldSpec("first_name", "First name", ("forename", "forenames", "given name", "firstname")),
    FieldSpec("last_name", "Last name", ("surname", "family name", "lastname")),
    FieldSpec(
        "full_name",
        "Name",
        ("full name", "client", "client name", "service user", "person", "customer"),
    ),
    FieldSpec("preferred_name", "Preferred name", ("known as", "likes to be called")),
    FieldSpec("date_of_birth", "Date of birth", ("dob", "d.o.b.", "birth date", "born")),
    FieldSpec("nhs_number", "NHS number", ("nhs no", "nhs", "nhs num")),
    FieldSpec("address", "Address", ("address line 1", "home address")),
    FieldSpec("postcode", "Postcode", ("post code", "zip")),
    FieldSpec("funding", "Funding", ("funded by", "funder", "funding type", "payment")),
    FieldSpec("service_type", "Service", ("service type", "type of service", "package type")),
    FieldSpec(
        "start_date",
        "Start date",
        ("started", "start", "care started", "package start", "start of care"),
    ),
    FieldSpec("end_date", "End date", ("ended", "end", "package end", "date ended")),
    FieldSpec("status", "Status", ("client status",)),
    FieldSpec("next_of_kin", "Next of kin", ("nok", "next of kin details", "family contact")),
    FieldSpec(
        "power_of_attorney", "Power of attorney", ("lpa", "lasting power of attorney", "attorney")
    ),
    FieldSpec("notes", "Notes", ("comments", "comment")),
)

_FUNDING = {
    "la": "local authority",
    "council": "local authority",
    "localauthority": "local authority",
    "socialservices": "local authority",
    "chc": "NHS continuing healthcare",
    "nhs": "NHS continuing healthcare",
    "continuinghealthcare": "NHS continuing healthcare",
    "private": "self-funded",
    "selffunded": "self-funded",
    "selffunder": "self-funded",
    "dp": "direct payment",
    "directpayment": "direct payment",
    "directpayments": "direct payment",
    "mixed": "mixed",
}
_STATUS = {
    "active": "active",
    "current": "active",
    "live": "active",
    "inhospital": "in hospital",
    "hospital": "in hospital",
    "suspended": "in hospital",
    "ended": "ended",
    "closed": "ended",
    "cancelled": "ended",
    "deceased": "ended",
    "died": "ended",
}


_FIELDS = (
    Field("reference", "Reference"),
    Field("first_name", "First name"),
    Field("last_name", "Last name"),
    Field("preferred_name", "Preferred name"),
    Field("date_of_birth", "Date of birth"),
    Field("nhs_number", "NHS number", lambda v: show(rules.format_nhs_number(v))),
    Field("address", "Address"),
    Field("postcode", "Postcode"),
    Field("funding", "Funding"),
    Field("service_type", "Service"),
    Field("start_date", "Start date"),
    Field("end_date", "End date"),
    Field("status", "Status"),
    Field("next_of_kin", "Next of kin"),
    Field("power_of_attorney", "Power of attorney"),
    Field("notes", "Notes"),
)
# Text fields the form lets a manager leave blank: "empty cells clear fields" may clear these.
_CLEARABLE = (
    "preferred_name", "date_of_birth", "address", "postcode", "end_date", "next_of_kin",
    "power_of_attorney", "notes",
)  # fmt: skip


def _describe(p: Person) -> str:
    born = f", born {format_date(p.date_of_birth)}" if p.date_of_birth else ""
    return f"{p.reference}: {p.first_name} {p.last_name}{born}"


def _describe_row(values: Mapping[str, Any]) -> str:
    name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip() or "(no name)"
    born = values.get("date_of_birth")
    return name + (f", born {format_date(born)}" if born else "")


def person_kind(s: Session, today: dt.date) -> RecordKind[Person]:
    """People we support: found by reference, then NHS number; the same person only if the
    name and date of birth (and the reference and NHS number, when both have one) agree. A
    blank saved reference or NHS number may be filled in; a different one is a conflict."""

    def complete(saved: Person | None, values: dict[str, Any]) -> dict[str, Any]:
        out = dict(values)
        end = out.get("end_date", saved.end_date if saved else None)
        if "status" not in out and (saved is None or "end_date" in out):
            if end is not None and end <= today:
                out["status"] = "ended"
            elif saved is None or saved.status == "ended":
                out["status"] = "active"
        if saved is None:
            out.setdefault("funding", "local authority")
            out.setdefault("service_type", "long-term")
        return out

    def save(s: Session, saved: Person | None, values: dict[str, Any]) -> Person:
        base = {f.name: getattr(saved, f.name) for f in _FIELDS} if saved else {}
        merged = base | values
        data = PersonInput(
            first_name=merged.get("first_name") or "",
            last_name=merged.get("last_name") or "",
            start_date=merged.get("start_date"),
            reference=merged.get("reference") or "",
            preferred_name=merged.get("preferred_name") or "",
            date_of_birth=merged.get("date_of_birth"),
            nhs_number=merged.get("nhs_number") or "",
            address=merged.get("address") or "",
            postcode=merged.get("postcode") or "",
            funding=merged.get("funding") or "local authority",
            service_type=merged.get("service_type") or "long-term",
            end_date=merged.get("end_date"),
            status=merged.get("status") or "active",
            key_worker_id=saved.key_worker_id if saved else None,
            next_of_kin=merged.get("next_of_kin") or "",
            power_of_attorney=merged.get("power_of_attorney") or "",
            reablement_start_hours=saved.reablement_start_hours if saved else None,
            reablement_end_hours=saved.reablement_end_hours if saved else None,
            notes=merged.get("notes") or "",
        )
        # ``saved`` was read in this same transaction: its version is the current one.
        return save_person_in(
            s,
            saved.id if saved else None,
            data,
            expected_version=saved.version if saved else None,
            today=today,
        )

    return RecordKind(
        noun="person",
        model=Person,
        fields=_FIELDS,
        keys=(("reference",), ("nhs_number",)),
        identity=("reference", "first_name", "last_name", "date_of_birth", "nhs_number"),
        describe=_describe,
        describe_row=_describe_row,
        save=save,
        complete=complete,
    )


def _values(row: Row, funding: dict[str, str], services: dict[str, str]) -> dict[str, Any]:
    """The fields this row sets, read and checked cell by cell."""
    values: dict[str, Any] = {}
    first, last = row.text("first_name"), row.text("last_name")
    if not (first and last) and row.given("full_name"):
        first, last = split_name(row.text("full_name"))
    if first or last:
        values["first_name"], values["last_name"] = first, last
    row.put(values, "reference", row.text("reference"))
    nhs = rules.nhs_number_from_cell(row.values.get("nhs_number"))
    if row.given("nhs_number"):
        # A malformed number is still passed on, so the service says what is wrong with it.
        values["nhs_number"] = nhs
    for name, label in (
        ("date_of_birth", "Date of birth"),
        ("start_date", "Start date"),
        ("end_date", "End date"),
    ):
        day = row.date(name, label)
        if day is not None or (row.clear_empty and row.has(name) and name in _CLEARABLE):
            values[name] = day
    for name in ("preferred_name", "address", "next_of_kin", "power_of_attorney", "notes"):
        row.put(values, name, row.text(name))
    row.put(values, "postcode", row.text("postcode").upper())
    for name, known, label in (
        ("funding", funding, "Funding"),
        ("service_type", services, "Service"),
        ("status", _STATUS, "Status"),
    ):
        chosen = row.choice(name, known, label)
        if chosen:
            values[name] = chosen
    return values


def import_people(
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
    """Import people we support.

    A row is matched to someone saved by reference, then NHS number. If the name or date of
    birth differ, the row is a conflict and changes nothing. Otherwise only the columns in the
    file are updated (empty cells too, with ``clear_empty``), each change listed in the report.
    Rows with problems (an invalid NHS number, a date of birth in the future …) are reported
    with their place and skipped; the rest go in together.

    Raises:
        ValidationError: the file cannot be read, has no header or no name column, or the
            records changed since the preview whose plan digest is ``confirmed``.
        Cancelled: ``progress`` asked to stop; nothing was written.
    """
    table = read_table(
        path,
        FIELDS,
        mapping,
        needs="Name (or First name and Last name) and Start date; or, to update people already "
        "saved, Reference or NHS number",
    )
    has_name = "full_name" in table.columns or {"first_name", "last_name"} <= set(table.columns)
    has_key = {"reference", "nhs_number"} & set(table.columns)
    missing = []
    if not has_name and not has_key:
        missing.append("Name (or First name and Last name)")
    if "start_date" not in table.columns and not has_key:
        missing.append("Start date")
    if missing:
        raise ValidationError.single(
            COLUMNS,
            f"No column for {', '.join(missing)}: rename it in the file or map a column to it. (To "
            "update people already saved, a Reference or NHS number column is enough.)",
        )
    report = start_report(table, dry_run=dry_run, clear_empty=clear_empty)
    funding = {normalise(f): f for f in funding_types()} | _FUNDING
    services = {normalise(t): t for t in rules.SERVICE_TYPES} | {
        "longterm": "long-term",
        "domiciliary": "long-term",
        "homecare": "long-term",
        "reablement": "reablement",
        "intermediatecare": "reablement",
    }
    with import_session(db, report, dry_run=dry_run, confirmed=confirmed) as s:
        kind = SavedRecords(s, person_kind(s, today))
        total = table.data_row_count()
        for n, (index, cells) in enumerate(table.records()):
            if n % 100 == 0 and not progress(n, total, "Importing people"):
                raise Cancelled()
            row = Row(table, index, cells, clear_empty)
            try:
                values = _values(row, funding, services)
            except ValidationError as exc:
                skip(report, row, exc)
                continue
            outcome = merge(kind, row, values, report)
            if outcome.action == "new" and outcome.record is not None:
                _namesakes(kind, row, outcome.record, report)
    return report


def _namesakes(kind: SavedRecords[Person], row: Row, added: Person, report: ImportReport) -> None:
    """Say when a row adds someone with the name of someone already there (not matched by
    reference or NHS number): perhaps a second person, more often the same one."""
    name = {"first_name": added.first_name, "last_name": added.last_name}
    for other in kind.find_by(("first_name", "last_name"), name):
        if other is not added:
            started = f", started {format_date(other.start_date)}" if other.start_date else ""
            report.notices.append(
                f"{row.where}: there is already {other.first_name} {other.last_name} "
                f"({other.reference}{started}); this row adds another. If it is the same "
                "person, put their reference or NHS number in the file."
            )
            return
