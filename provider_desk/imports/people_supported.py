"""Import the list of people we support (CSV or XLSX), NHS numbers checked row by row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.imports.people import split_name
from provider_desk.imports.report import ImportReport, Planned, Skipped
from provider_desk.imports.tabular import (
    FieldSpec,
    Table,
    cell_date,
    find_table,
    normalise,
    read_sheet,
)
from provider_desk.models import Person
from provider_desk.progress import Cancelled, Progress, no_progress
from provider_desk.resources import funding_types
from provider_desk.rules import people as rules
from provider_desk.rules.dates import DateParseError
from provider_desk.services.people import PersonInput, save_person_in

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
        required=True,
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(table: Table, row: int, values: dict[str, Any], name: str, label: str) -> dt.date | None:
    try:
        return cell_date(values.get(name))
    except DateParseError as exc:
        raise ValidationError.single(name, f"{table.place(row, name)}: {label}: {exc}") from None


def _choice(
    table: Table, row: int, values: dict[str, Any], name: str, known: dict[str, str], default: str
) -> str:
    text = _text(values.get(name))
    if not text:
        return default
    found = known.get(normalise(text))
    if found is None:
        choices = sorted(set(known.values()))
        raise ValidationError.single(
            name, f"{table.place(row, name)}: '{text}' is not one of: {', '.join(choices)}."
        )
    return found


def import_people(
    db: Database,
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    today: dt.date,
    progress: Progress = no_progress,
) -> ImportReport:
    """Import people we support. A row matching someone by reference or NHS number updates them;
    rows with problems (an invalid NHS number, a date of birth in the future …) are reported with
    their place and skipped; the rest go in together."""
    day = today
    table = find_table(read_sheet(path), FIELDS, mapping)
    has_name = "full_name" in table.columns or {"first_name", "last_name"} <= set(table.columns)
    missing = [f.label for f in FIELDS if f.required and f.name not in table.columns]
    if not has_name:
        missing.insert(0, "Name (or First name and Last name)")
    if missing:
        raise ValidationError.single(
            "file", f"No column for {', '.join(missing)}: rename it in the file or use --map."
        )
    report = ImportReport(dry_run=dry_run)
    report.columns = {
        str(table.sheet.rows[table.header_row][c]): f for f, c in table.columns.items()
    }
    report.ignored_columns = list(table.unmapped)
    funding = {normalise(f): f for f in funding_types()} | _FUNDING
    services = {normalise(t): t for t in rules.SERVICE_TYPES} | {
        "longterm": "long-term",
        "domiciliary": "long-term",
        "homecare": "long-term",
        "reablement": "reablement",
        "intermediatecare": "reablement",
    }
    with db.session(dry_run=dry_run) as s:
        total = table.data_row_count()
        for n, (row, values) in enumerate(table.records()):
            if n % 100 == 0 and not progress(n, total, "Importing people"):
                raise Cancelled()
            where = table.place(row)
            try:
                first, last = _text(values.get("first_name")), _text(values.get("last_name"))
                if not (first and last) and values.get("full_name"):
                    first, last = split_name(_text(values["full_name"]))
                ref = _text(values.get("reference"))
                nhs = rules.normalise_nhs_number(_text(values.get("nhs_number")))
                existing = None
                if ref:
                    existing = s.scalar(
                        select(Person).where(func.lower(Person.reference) == ref.lower())
                    )
                if existing is None and nhs and rules.nhs_number_problem("n", nhs) is None:
                    existing = s.scalar(select(Person).where(Person.nhs_number == nhs))
                end = _date(table, row, values, "end_date", "End date")
                status = _choice(table, row, values, "status", _STATUS, "")
                if not status:
                    status = "ended" if end and end <= day else "active"
                data = PersonInput(
                    first_name=first,
                    last_name=last,
                    start_date=_date(table, row, values, "start_date", "Start date"),
                    reference=ref,
                    preferred_name=_text(values.get("preferred_name")),
                    date_of_birth=_date(table, row, values, "date_of_birth", "Date of birth"),
                    nhs_number=_text(values.get("nhs_number")),
                    address=_text(values.get("address")),
                    postcode=_text(values.get("postcode")),
                    funding=_choice(table, row, values, "funding", funding, "local authority"),
                    service_type=_choice(table, row, values, "service_type", services, "long-term"),
                    end_date=end,
                    status=status,
                    key_worker_id=existing.key_worker_id if existing else None,
                    next_of_kin=_text(values.get("next_of_kin")),
                    power_of_attorney=_text(values.get("power_of_attorney")),
                    notes=_text(values.get("notes")),
                )
                if existing is not None and _same(existing, data):
                    report.unchanged += 1
                    continue
                with s.begin_nested():
                    person = save_person_in(s, existing.id if existing else None, data, today=day)
            except ValidationError as exc:
                report.skipped.append(Skipped(where, exc.message))
                continue
            if existing is None:
                report.imported += 1
            else:
                report.updated += 1
            report.planned.append(
                Planned(
                    where,
                    "update" if existing else "new",
                    f"{person.reference}: {person.first_name} {person.last_name}",
                )
            )
    return report


def _same(p: Person, d: PersonInput) -> bool:
    return (
        p.first_name, p.last_name, p.preferred_name, p.date_of_birth, p.nhs_number or "",
        p.address, p.postcode, p.funding, p.service_type, p.start_date, p.end_date, p.status,
        p.next_of_kin, p.power_of_attorney, p.notes,
    ) == (
        d.first_name, d.last_name, d.preferred_name, d.date_of_birth,
        rules.normalise_nhs_number(d.nhs_number), d.address, d.postcode.upper(), d.funding,
        d.service_type, d.start_date, d.end_date, d.status, d.next_of_kin,
        d.power_of_attorney, d.notes,
    )  # fmt: skip
