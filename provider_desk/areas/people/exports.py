"""People we support out: the list and every care plan version (XLSX/CSV), and the command that
prints one care plan (the PDF itself is built in care_plan_pdf)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from provider_desk.areas.people.queries import (
    care_plans,
    list_people,
    people_details,
)
from provider_desk.db.session import Database
from provider_desk.rules.due import word
from provider_desk.tabular.write import write_table

PEOPLE_HEADERS = (
    "reference",
    "first_name",
    "last_name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "address",
    "postcode",
    "funding",
    "service_type",
    "status",
    "start_date",
    "end_date",
    "key_worker",
    "next_of_kin",
    "power_of_attorney",
    "plan_version",
    "planned_hours_per_week",
    "consent_recorded",
    "review_due",
    "review_status",
    "risk_reviews_overdue",
    "reablement_outcome",
)
PLAN_HEADERS = (
    "person_reference",
    "person",
    "version",
    "effective_from",
    "review_due",
    "status",
    "planned_hours_per_week",
    "consent",
    "change_reason",
    "written_by",
)


def export_people(db: Database, path: Path, today: dt.date) -> int:
    """Everyone we support or supported (ended included) to .xlsx or .csv."""
    out = []
    for d in people_details(db, today):
        r = d.row
        out.append(
            (
                r.reference,
                r.first_name,
                r.last_name,
                r.preferred_name,
                r.date_of_birth,
                r.nhs_number,
                d.address,
                r.postcode,
                r.funding,
                r.service_type,
                r.status,
                r.start_date,
                r.end_date,
                r.key_worker,
                d.next_of_kin,
                d.power_of_attorney,
                r.plan_number,
                r.planned_hours,
                "yes" if r.consent_recorded else "no",
                r.review_due,
                word(r.review_status, "people"),
                r.risks_overdue,
                r.reablement_outcome,
            )
        )
    write_table(path, PEOPLE_HEADERS, out, sheet_title="People we support")
    return len(out)


def export_care_plans(db: Database, path: Path, today: dt.date) -> int:
    """One row per care plan version: the current one with its review due, earlier ones
    superseded."""
    people = {p.id: p for p in list_people(db, today, include_ended=True)}
    plans = care_plans(db)
    rows = []
    for plan in plans:
        person = people.get(plan.person_id)
        if plan.is_current:
            status = "ended" if person and person.status == "ended" else "current"
        else:
            status = "superseded"
        review_due = person.review_due if person and plan.is_current else None
        rows.append(
            (
                plan.person_reference,
                plan.person_name,
                plan.number,
                plan.effective_from,
                review_due,
                status,
                plan.planned_hours,
                plan.consent_text,
                plan.change_reason,
                plan.written_by,
            )
        )
    write_table(path, PLAN_HEADERS, rows, sheet_title="Care plans")
    return len(rows)


def people_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export people`."""
    return [f"Wrote {export_people(db, out, today)} people to {out}."]


def care_plans_command(db: Database, out: Path, today: dt.date) -> list[str]:
    """`provider-desk export care-plans`."""
    return [f"Wrote {export_care_plans(db, out, today)} plan versions to {out}."]


def care_plan_command(
    db: Database, out: Path, today: dt.date, *, reference: str, version: int | None = None
) -> list[str]:
    """`provider-desk export care-plan P-0004 [--version N]`: one plan, printed.

    Raises:
        ValidationError: not a .pdf name, no such person, or no such version.
    """
    from provider_desk.areas.people import queries as pq
    from provider_desk.areas.people.care_plan_pdf import print_care_plan
    from provider_desk.errors import ValidationError

    if out.suffix.lower() != ".pdf":
        raise ValidationError.single("out", f"Choose a .pdf file name, not '{out.name}'.")
    found = [
        p
        for p in pq.list_people(db, today, include_ended=True)
        if p.reference.lower() == reference.strip().lower()
    ]
    if not found:
        raise ValidationError.single("reference", f"Nobody has the reference '{reference}'.")
    person = pq.person_detail(db, found[0].id, today)
    assert person is not None
    plans = pq.care_plans(db, person.row.id)
    chosen = [p for p in plans if (p.number == version if version else p.is_current)]
    if not chosen:
        raise ValidationError.single(
            "version",
            f"{person.row.name} has no care plan"
            + (f" version {version}." if version else " yet."),
        )
    print_care_plan(db, person.row.id, chosen[0], out, today)
    return [f"Wrote version {chosen[0].number} of {person.row.name}'s care plan to {out}."]
