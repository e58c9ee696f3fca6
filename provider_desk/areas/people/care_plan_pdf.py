"""A care plan printed for the person's home folder (PDF), built section by section."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from provider_desk.areas.people import queries as pq
from provider_desk.areas.people.queries import (
    CarePlanRow,
    GoalRow,
    PersonDetail,
    RiskRow,
    days_text,
)
from provider_desk.db.session import Database
from provider_desk.pdf.render import Renderer, printed_on
from provider_desk.progress import Progress, no_progress
from provider_desk.resources import care_areas, care_section_fields
from provider_desk.rules.dates import format_date
from provider_desk.settings.queries import get_settings_in

CONFIDENTIAL = "Confidential: contains personal information. Do not share beyond those who need it."

Story = list[Any]


class CarePlanPdf(Renderer):
    """One version of a care plan: who the person is, visits, each area of need, consent and
    capacity, risks and goals, and space to sign."""

    subject = "Care plan for the person's home folder"

    def __init__(
        self,
        plan: CarePlanRow,
        person: PersonDetail,
        provider_name: str,
        today: dt.date,
        risks: Sequence[RiskRow] = (),
        goals: Sequence[GoalRow] = (),
    ) -> None:
        r = person.row
        super().__init__(
            author=provider_name,
            footer=f"{provider_name} — care plan for {r.name} ({r.reference}), version "
            f"{plan.number}, printed {printed_on(today)}",
            confidential=CONFIDENTIAL,
        )
        self.title = f"Care plan {r.reference} v{plan.number}"
        self.plan, self.person = plan, person
        self.risks, self.goals = tuple(risks), tuple(goals)

    def story(self) -> Story:
        return [
            *self._cover(),
            *self._visits(),
            *self._areas_of_need(),
            *self._consent(),
            *self._risks(),
            *self._goals(),
            *self._signatures(),
        ]

    def _about(self) -> Any:
        """Who the person is: names, dates, address, family, service."""
        person = self.person
        r = person.row
        about: list[list[Any]] = [
            ["Name", r.name, "Reference", r.reference],
            [
                "Date of birth",
                format_date(r.date_of_birth, "—"),
                "NHS number",
                r.nhs_number or "—",
            ],
            [
                "Address",
                f"{person.address}\n{r.postcode}".strip() or "—",
                "Key worker",
                r.key_worker or "—",
            ],
            [
                "Next of kin",
                person.next_of_kin or "—",
                "Power of attorney",
                person.power_of_attorney or "—",
            ],
            [
                "Service",
                f"{r.service_type.capitalize()}, {r.funding}",
                "Care started",
                format_date(r.start_date),
            ],
        ]
        return self.details(about, [27, 63, 30, 60], labels=(0, 2))

    def _cover(self) -> Story:
        """The title, which version this is and whether it is current, and who the person is."""
        plan, r = self.plan, self.person.row
        if not plan.is_current:
            status = "Superseded: not the current plan"
        elif r.status == "ended":
            status = f"Service ended {format_date(r.end_date)}"
        else:
            status = "Current plan"
        story: Story = [
            self.para(f"Care plan — {r.name}", "title"),
            self.para(
                f"{self.author} · Version {plan.number}, from "
                f"{format_date(plan.effective_from)} · {status}",
                "muted",
            ),
            self.space(3),
            self._about(),
        ]
        story.append(self.space(2))
        if plan.change_reason:
            story.append(self.para(f"Why this version: {plan.change_reason}"))
        if plan.is_current and r.review_due:
            story.append(self.para(f"Next review due: {format_date(r.review_due)}"))
        return story

    def _visits(self) -> Story:
        """The planned visits and the hours a week they add up to."""
        plan = self.plan
        story: Story = [self.heading("Planned visits")]
        if not plan.visits:
            return [*story, self.para("No visits planned.")]
        rows = [[days_text(v.days), v.time, f"{v.minutes} min", str(v.carers)] for v in plan.visits]
        return [
            *story,
            self.table(["When", "Time", "Length", "Carers"], rows, [70, 30, 40, 40]),
            self.space(2),
            self.para(f"{plan.planned_hours} hours of care a week."),
        ]

    def _areas_of_need(self) -> Story:
        """One table per area of need the plan writes about (needs, outcomes, support...)."""
        story: Story = []
        for area in care_areas():
            texts = self.plan.sections.get(area.key, {})
            if not any(texts.values()):
                continue
            rows = [[title, texts[key]] for key, title in care_section_fields() if texts.get(key)]
            story.append(self.keep(self.heading(area.title, 1), self.details(rows, [45, 135])))
        return [self.heading("Areas of need"), *story] if story else []

    def _consent(self) -> Story:
        """Who agreed the plan, mental capacity and any best-interests decision."""
        plan = self.plan
        rows = [
            ["Plan agreed by", plan.consent_text or "—"],
            [
                "Mental capacity assessment",
                plan.mca_outcome.capitalize() if plan.mca_needed else "Not needed",
            ],
        ]
        if plan.best_interests:
            rows.append(["Best-interests decision", plan.best_interests])
        return [self.heading("Consent and capacity"), self.details(rows, [45, 135])]

    def _risks(self) -> Story:
        """The risk assessments with how each risk is reduced (nothing when there are none)."""
        if not self.risks:
            return []
        rows = [
            [
                k.kind.capitalize(),
                f"{k.level.capitalize()} ({k.score})",
                k.controls or "—",
                format_date(k.review_due),
            ]
            for k in self.risks
        ]
        return [
            self.heading("Risk assessments"),
            self.table(["Risk", "Level", "How we reduce it", "Review due"], rows, [35, 25, 95, 25]),
        ]

    def _goals(self) -> Story:
        """The goals with progress or outcome (nothing when there are none)."""
        if not self.goals:
            return []
        rows = [
            [
                g.goal or "—",
                g.starting_point or "—",
                format_date(g.target_date, "—"),
                f"{g.outcome.capitalize()}\n{g.progress}".strip() or "—",
            ]
            for g in self.goals
        ]
        return [
            self.heading("Goals"),
            self.table(
                ["Goal", "Starting point", "Target", "Progress / outcome"], rows, [50, 43, 26, 61]
            ),
        ]

    def _signatures(self) -> Story:
        """Space for the person (or their representative) and the provider to sign."""
        lines = ["Name:", "Signature:", "Date:"]
        return [
            self.space(4),
            self.keep(
                self.heading("Signatures"),
                self.signatures(
                    [("Agreed by (person or representative)", lines), ("For the provider", lines)]
                ),
            ),
        ]


def care_plan_pdf(
    plan: CarePlanRow,
    person: PersonDetail,
    path: Path,
    provider_name: str,
    today: dt.date,
    risks: Sequence[RiskRow] = (),
    goals: Sequence[GoalRow] = (),
    progress: Progress = no_progress,
) -> Path:
    """A care plan for the person's home folder: who they are, visits, each area of need, consent,
    risks and goals, with space to sign."""
    return CarePlanPdf(plan, person, provider_name, today, risks, goals).render(path, progress)


def print_care_plan(
    db: Database,
    person_id: int,
    plan: CarePlanRow,
    path: Path,
    today: dt.date,
    progress: Progress = no_progress,
) -> Path:
    """Print ``plan`` for the person: their details, risks and goals and the provider's name are
    read in one read transaction, then the PDF is written to ``path``."""
    with db.reading() as s:
        person = pq.person_detail_in(s, person_id, today)
        assert person is not None
        provider = get_settings_in(s).provider_name or "Provider Desk"
        risks = pq.risk_assessments_in(s, today, person_id=person_id)
        goals = pq.goals_in(s, person_id)
    return care_plan_pdf(plan, person, path, provider, today, risks, goals, progress)
