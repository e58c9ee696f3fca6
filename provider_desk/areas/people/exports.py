"""People we support out: the list and every care plan version (XLSX/CSV), and a printed care
plan (PDF) for the person's home folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provider_desk.areas.people.queries import (
    CarePlanRow,
    GoalRow,
    PersonDetail,
    RiskRow,
    care_plans,
    days_text,
    list_people,
    people_details,
)
from provider_desk.db.session import Database
from provider_desk.pdf.render import (
    FONT,
    FONT_BOLD,
    build_pdf,
    markup,
    printed_on,
    register_fonts,
)
from provider_desk.resources import care_areas, care_section_fields
from provider_desk.rules.dates import format_date
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


def care_plan_pdf(
    plan: CarePlanRow,
    person: PersonDetail,
    path: Path,
    provider_name: str,
    today: dt.date,
    risks: Sequence[RiskRow] = (),
    goals: Sequence[GoalRow] = (),
) -> Path:
    """A care plan for the person's home folder: who they are, visits, each area of need, consent,
    risks and goals, with space to sign."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=16, leading=20)
    h2 = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=9)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5)
    label = ParagraphStyle("label", fontName=FONT_BOLD, fontSize=9, leading=12)
    grid = [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    head = [
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
    ]
    r = person.row

    def para(text: str) -> Paragraph:
        return Paragraph(markup(text or "—"), body)

    about: list[list[Any]] = [
        ["Name", para(r.name), "Reference", r.reference],
        ["Date of birth", format_date(r.date_of_birth, "—"), "NHS number", r.nhs_number or "—"],
        [
            "Address",
            para(f"{person.address}\n{r.postcode}".strip()),
            "Key worker",
            r.key_worker or "—",
        ],
        [
            "Next of kin",
            para(person.next_of_kin),
            "Power of attorney",
            para(person.power_of_attorney),
        ],
        [
            "Service",
            f"{r.service_type.capitalize()}, {r.funding}",
            "Care started",
            format_date(r.start_date),
        ],
    ]
    about = [
        [Paragraph(c, label) if i in (0, 2) else c for i, c in enumerate(line)] for line in about
    ]
    about_table = Table(about, colWidths=[27 * mm, 63 * mm, 30 * mm, 60 * mm])
    about_table.setStyle(
        TableStyle(
            [
                *grid,
                ("FONT", (0, 0), (0, -1), FONT_BOLD, 9),
                ("FONT", (2, 0), (2, -1), FONT_BOLD, 9),
            ]
        )
    )
    if not plan.is_current:
        status = "Superseded: not the current plan"
    elif r.status == "ended":
        status = f"Service ended {format_date(r.end_date)}"
    else:
        status = "Current plan"
    story: list[Any] = [
        Paragraph(f"Care plan — {markup(r.name)}", h1),
        Paragraph(
            markup(
                f"{provider_name} · Version {plan.number}, from {format_date(plan.effective_from)}"
                f" · {status}"
            ),
            body,
        ),
        Spacer(1, 3 * mm),
        about_table,
    ]
    if plan.change_reason:
        story.append(Paragraph(markup(f"Why this version: {plan.change_reason}"), body))
    if plan.is_current and r.review_due:
        story.append(Paragraph(markup(f"Next review due: {format_date(r.review_due)}"), body))

    story.append(Paragraph("Planned visits", h2))
    if plan.visits:
        vdata: list[list[Any]] = [["When", "Time", "Length", "Carers"]]
        for v in plan.visits:
            vdata.append([days_text(v.days), v.time, f"{v.minutes} min", str(v.carers)])
        vtable = Table(vdata, colWidths=[70 * mm, 30 * mm, 40 * mm, 40 * mm], repeatRows=1)
        vtable.setStyle(TableStyle([*grid, *head]))
        story += [vtable, Paragraph(f"{plan.planned_hours} hours of care a week.", body)]
    else:
        story.append(para("No visits planned."))

    for area in care_areas():
        texts = plan.sections.get(area.key, {})
        if not any(texts.values()):
            continue
        rows = [
            [Paragraph(title, label), para(texts.get(key, ""))]
            for key, title in care_section_fields()
            if texts.get(key)
        ]
        table = Table(rows, colWidths=[45 * mm, 135 * mm])
        table.setStyle(TableStyle(grid))
        story.append(KeepTogether([Paragraph(markup(area.title), h2), table]))

    story.append(Paragraph("Consent and capacity", h2))
    consent_rows = [
        [Paragraph("Plan agreed by", label), para(plan.consent_text)],
        [
            Paragraph("Mental capacity assessment", label),
            para(plan.mca_outcome.capitalize() if plan.mca_needed else "Not needed"),
        ],
    ]
    if plan.best_interests:
        consent_rows.append(
            [Paragraph("Best-interests decision", label), para(plan.best_interests)]
        )
    ctable = Table(consent_rows, colWidths=[45 * mm, 135 * mm])
    ctable.setStyle(TableStyle([*grid, ("FONT", (0, 0), (0, -1), FONT_BOLD, 9)]))
    story.append(ctable)

    if risks:
        story.append(Paragraph("Risk assessments", h2))
        rdata: list[list[Any]] = [["Risk", "Level", "How we reduce it", "Review due"]]
        for k in risks:
            rdata.append(
                [
                    k.kind.capitalize(),
                    f"{k.level.capitalize()} ({k.score})",
                    para(k.controls),
                    format_date(k.review_due),
                ]
            )
        rtable = Table(rdata, colWidths=[35 * mm, 25 * mm, 95 * mm, 25 * mm], repeatRows=1)
        rtable.setStyle(TableStyle([*grid, *head]))
        story.append(rtable)
    if goals:
        story.append(Paragraph("Goals", h2))
        gdata: list[list[Any]] = [["Goal", "Starting point", "Target", "Progress / outcome"]]
        for g in goals:
            gdata.append(
                [
                    para(g.goal),
                    para(g.starting_point),
                    format_date(g.target_date, "—"),
                    para(f"{g.outcome.capitalize()}\n{g.progress}".strip()),
                ]
            )
        gtable = Table(gdata, colWidths=[50 * mm, 43 * mm, 26 * mm, 61 * mm], repeatRows=1)
        gtable.setStyle(TableStyle([*grid, *head]))
        story.append(gtable)

    sign = Table(
        [
            ["Agreed by (person or representative)", "For the provider"],
            ["Name:", "Name:"],
            ["Signature:", "Signature:"],
            ["Date:", "Date:"],
        ],
        colWidths=[90 * mm, 90 * mm],
        rowHeights=[None, 10 * mm, 12 * mm, 10 * mm],
    )
    sign.setStyle(TableStyle([*grid, *head]))
    story.append(KeepTogether([Paragraph("Signatures", h2), sign]))
    return build_pdf(
        path,
        story,
        title=f"Care plan {r.reference} v{plan.number}",
        author=provider_name,
        footer=f"{r.name} ({r.reference}) — care plan version {plan.number}, printed "
        f"{printed_on(today)}. Confidential.",
    )


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
    from provider_desk.errors import ValidationError
    from provider_desk.settings.queries import get_settings

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
    name = get_settings(db).provider_name or "Provider Desk"
    risks = pq.risk_assessments(db, today, person_id=person.row.id)
    care_plan_pdf(chosen[0], person, out, name, today, risks, pq.goals(db, person.row.id))
    return [f"Wrote version {chosen[0].number} of {person.row.name}'s care plan to {out}."]
