"""A care plan printed for the person's home folder (PDF), built section by section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from provider_desk.areas.people import queries as pq
from provider_desk.areas.people.queries import (
    CarePlanRow,
    GoalRow,
    PersonDetail,
    RiskRow,
    days_text,
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
from provider_desk.settings.queries import get_settings_in

Story = list[Any]


@dataclass(frozen=True)
class _Styles:
    """The paragraph styles and table commands every section shares."""

    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    label: ParagraphStyle
    grid: list[tuple[Any, ...]]
    head: list[tuple[Any, ...]]

    def para(self, text: str) -> Paragraph:
        """Body text; an empty value prints as a dash."""
        return Paragraph(markup(text or "—"), self.body)


def _styles() -> _Styles:
    return _Styles(
        h1=ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=16, leading=20),
        h2=ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=9),
        body=ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=12.5),
        label=ParagraphStyle("label", fontName=FONT_BOLD, fontSize=9, leading=12),
        grid=[
            ("FONT", (0, 0), (-1, -1), FONT, 9),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0bec5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ],
        head=[
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
        ],
    )


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
    register_fonts()
    st = _styles()
    story: Story = [
        *_cover(plan, person, provider_name, st),
        *_visits(plan, st),
        *_areas_of_need(plan, st),
        *_consent(plan, st),
        *_risks(risks, st),
        *_goals(goals, st),
        *_signatures(st),
    ]
    r = person.row
    return build_pdf(
        path,
        story,
        title=f"Care plan {r.reference} v{plan.number}",
        author=provider_name,
        footer=f"{r.name} ({r.reference}) — care plan version {plan.number}, printed "
        f"{printed_on(today)}. Confidential.",
    )


def print_care_plan(
    db: Database, person_id: int, plan: CarePlanRow, path: Path, today: dt.date
) -> Path:
    """Print ``plan`` for the person: their details, risks and goals and the provider's name are
    read in one read transaction, then the PDF is written to ``path``."""
    with db.reading() as s:
        person = pq.person_detail_in(s, person_id, today)
        assert person is not None
        provider = get_settings_in(s).provider_name or "Provider Desk"
        risks = pq.risk_assessments_in(s, today, person_id=person_id)
        goals = pq.goals_in(s, person_id)
    return care_plan_pdf(plan, person, path, provider, today, risks, goals)


def _about(person: PersonDetail, st: _Styles) -> Table:
    """Who the person is: names, dates, address, family, service."""
    r, para = person.row, st.para
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
        [Paragraph(c, st.label) if i in (0, 2) else c for i, c in enumerate(line)] for line in about
    ]
    about_table = Table(about, colWidths=[27 * mm, 63 * mm, 30 * mm, 60 * mm])
    about_table.setStyle(
        TableStyle(
            [
                *st.grid,
                ("FONT", (0, 0), (0, -1), FONT_BOLD, 9),
                ("FONT", (2, 0), (2, -1), FONT_BOLD, 9),
            ]
        )
    )
    return about_table


def _cover(plan: CarePlanRow, person: PersonDetail, provider_name: str, st: _Styles) -> Story:
    """The title, which version this is and whether it is current, and who the person is."""
    r = person.row
    if not plan.is_current:
        status = "Superseded: not the current plan"
    elif r.status == "ended":
        status = f"Service ended {format_date(r.end_date)}"
    else:
        status = "Current plan"
    story: Story = [
        Paragraph(f"Care plan — {markup(r.name)}", st.h1),
        Paragraph(
            markup(
                f"{provider_name} · Version {plan.number}, from {format_date(plan.effective_from)}"
                f" · {status}"
            ),
            st.body,
        ),
        Spacer(1, 3 * mm),
        _about(person, st),
    ]
    if plan.change_reason:
        story.append(Paragraph(markup(f"Why this version: {plan.change_reason}"), st.body))
    if plan.is_current and r.review_due:
        story.append(Paragraph(markup(f"Next review due: {format_date(r.review_due)}"), st.body))
    return story


def _visits(plan: CarePlanRow, st: _Styles) -> Story:
    """The planned visits and the hours a week they add up to."""
    story: Story = [Paragraph("Planned visits", st.h2)]
    if plan.visits:
        vdata: list[list[Any]] = [["When", "Time", "Length", "Carers"]]
        for v in plan.visits:
            vdata.append([days_text(v.days), v.time, f"{v.minutes} min", str(v.carers)])
        vtable = Table(vdata, colWidths=[70 * mm, 30 * mm, 40 * mm, 40 * mm], repeatRows=1)
        vtable.setStyle(TableStyle([*st.grid, *st.head]))
        story += [vtable, Paragraph(f"{plan.planned_hours} hours of care a week.", st.body)]
    else:
        story.append(st.para("No visits planned."))
    return story


def _areas_of_need(plan: CarePlanRow, st: _Styles) -> Story:
    """One table per area of need the plan writes about (needs, outcomes, support...)."""
    story: Story = []
    for area in care_areas():
        texts = plan.sections.get(area.key, {})
        if not any(texts.values()):
            continue
        rows = [
            [Paragraph(title, st.label), st.para(texts.get(key, ""))]
            for key, title in care_section_fields()
            if texts.get(key)
        ]
        table = Table(rows, colWidths=[45 * mm, 135 * mm])
        table.setStyle(TableStyle(st.grid))
        story.append(KeepTogether([Paragraph(markup(area.title), st.h2), table]))
    return story


def _consent(plan: CarePlanRow, st: _Styles) -> Story:
    """Who agreed the plan, mental capacity and any best-interests decision."""
    consent_rows = [
        [Paragraph("Plan agreed by", st.label), st.para(plan.consent_text)],
        [
            Paragraph("Mental capacity assessment", st.label),
            st.para(plan.mca_outcome.capitalize() if plan.mca_needed else "Not needed"),
        ],
    ]
    if plan.best_interests:
        consent_rows.append(
            [Paragraph("Best-interests decision", st.label), st.para(plan.best_interests)]
        )
    ctable = Table(consent_rows, colWidths=[45 * mm, 135 * mm])
    ctable.setStyle(TableStyle([*st.grid, ("FONT", (0, 0), (0, -1), FONT_BOLD, 9)]))
    return [Paragraph("Consent and capacity", st.h2), ctable]


def _risks(risks: Sequence[RiskRow], st: _Styles) -> Story:
    """The risk assessments with how each risk is reduced (nothing when there are none)."""
    if not risks:
        return []
    rdata: list[list[Any]] = [["Risk", "Level", "How we reduce it", "Review due"]]
    for k in risks:
        rdata.append(
            [
                k.kind.capitalize(),
                f"{k.level.capitalize()} ({k.score})",
                st.para(k.controls),
                format_date(k.review_due),
            ]
        )
    rtable = Table(rdata, colWidths=[35 * mm, 25 * mm, 95 * mm, 25 * mm], repeatRows=1)
    rtable.setStyle(TableStyle([*st.grid, *st.head]))
    return [Paragraph("Risk assessments", st.h2), rtable]


def _goals(goals: Sequence[GoalRow], st: _Styles) -> Story:
    """The goals with progress or outcome (nothing when there are none)."""
    if not goals:
        return []
    gdata: list[list[Any]] = [["Goal", "Starting point", "Target", "Progress / outcome"]]
    for g in goals:
        gdata.append(
            [
                st.para(g.goal),
                st.para(g.starting_point),
                format_date(g.target_date, "—"),
                st.para(f"{g.outcome.capitalize()}\n{g.progress}".strip()),
            ]
        )
    gtable = Table(gdata, colWidths=[50 * mm, 43 * mm, 26 * mm, 61 * mm], repeatRows=1)
    gtable.setStyle(TableStyle([*st.grid, *st.head]))
    return [Paragraph("Goals", st.h2), gtable]


def _signatures(st: _Styles) -> Story:
    """Space for the person (or their representative) and the provider to sign."""
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
    sign.setStyle(TableStyle([*st.grid, *st.head]))
    return [KeepTogether([Paragraph("Signatures", st.h2), sign])]
