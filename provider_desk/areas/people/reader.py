"""People we support as the dashboard and the evidence pack read them: no current plan, reviews
and risk assessments overdue, consent not recorded, plans needing an update; and the plans,
reviews, risk assessments and goals written in a period (by service reference only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.people.queries import (
    PersonRow,
    list_people_in,
    risk_assessments_in,
)
from provider_desk.reading import Attention, Evidence, On, Period, gather
from provider_desk.resources import evidence_link
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level

KEY = "people"

# The kinds of item the reader raises (Attention.kind): one per card line on the home page.
NO_PLAN, REVIEW, CONSENT, UPDATE, RISK = "no_plan", "review", "consent", "update", "risk"


def _about(
    p: PersonRow,
    level: Level,
    due: dt.date | None,
    sentence: str,
    *link: str,
    kind: str,
    about: str = "",
    part_id: int | None = None,
) -> Attention:
    return Attention(
        area=KEY,
        reference=f"{p.reference} {p.name}" + (f": {about}" if about else ""),
        level=level,
        due_on=due,
        responsible=p.key_worker,
        sentence=sentence,
        record_id=p.id,
        statements=evidence_link(*link).statements,
        kind=kind,
        part_id=part_id,
    )


class PeopleReader:
    """Care plans, reviews, consent and risk assessments that need doing."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        items = []
        people = {p.id: p for p in list_people_in(s, on.today)}
        for p in people.values():
            if p.plan_number is None:
                items.append(
                    _about(
                        p,
                        Level.MISSING,
                        p.start_date,
                        "No current care plan.",
                        "care_plans",
                        kind=NO_PLAN,
                    )
                )
                continue
            if p.review_status in (Level.OVERDUE, Level.DUE_SOON):
                late = p.review_status is Level.OVERDUE
                sentence = (
                    f"Care plan review {'was due' if late else 'due by'} "
                    f"{format_date(p.review_due)}."
                )
                items.append(
                    _about(
                        p, p.review_status, p.review_due, sentence, "care_plan_reviews", kind=REVIEW
                    )
                )
            if not p.consent_recorded:
                sentence = f"Consent to care not recorded on plan version {p.plan_number}."
                items.append(
                    _about(
                        p,
                        Level.MISSING,
                        p.plan_from,
                        sentence,
                        "care_plans",
                        "consent",
                        kind=CONSENT,
                    )
                )
            if p.plan_needs_update:
                sentence = (
                    f"The review on {format_date(p.last_review)} found needs had changed; "
                    "the care plan has not been updated since."
                )
                items.append(
                    _about(p, Level.OVERDUE, p.last_review, sentence, "care_plans", kind=UPDATE)
                )
        for r in risk_assessments_in(s, on.today):
            if r.person_id not in people or r.review_status not in (Level.OVERDUE, Level.DUE_SOON):
                continue
            late = r.review_status is Level.OVERDUE
            sentence = (
                f"{r.kind.capitalize()} risk assessment review "
                f"{'was due' if late else 'due by'} {format_date(r.review_due)}."
            )
            items.append(
                _about(
                    people[r.person_id],
                    r.review_status,
                    r.review_due,
                    sentence,
                    "risk_assessments",
                    kind=RISK,
                    about=f"{r.kind} risk assessment",
                    part_id=r.id,
                )
            )
        return items

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        # Only the columns and the rows of the period: whole plans (JSON sections) cost ~10x more.
        def dated(day: Any, person_id: Any, *where: Any) -> list[tuple[dt.date, str]]:
            rows = s.execute(
                select(day, Person.reference)
                .join(Person, Person.id == person_id)
                .where(day.between(period.start, period.end), *where)
            )
            return [(d, ref) for d, ref in rows]

        written = [
            (d, f"{ref} v{n}")
            for d, ref, n in s.execute(
                select(CarePlan.effective_from, Person.reference, CarePlan.number)
                .join(Person, Person.id == CarePlan.person_id)
                .where(CarePlan.effective_from.between(period.start, period.end))
            )
        ]
        consent = dated(CarePlan.consent_on, CarePlan.person_id)
        reviews = dated(
            CareReview.reviewed_on, CareReview.person_id, CareReview.archived_at.is_(None)
        )
        risks = dated(
            RiskAssessment.assessed_on,
            RiskAssessment.person_id,
            RiskAssessment.archived_at.is_(None),
        )
        goals = dated(Goal.set_on, Goal.person_id, Goal.archived_at.is_(None))
        return [
            *gather(
                KEY,
                "care_plans",
                [
                    ("Care plans written or changed", evidence_link("care_plans"), written),
                    ("Consent to care recorded", evidence_link("care_plans", "consent"), consent),
                ],
                period,
            ),
            *gather(
                KEY,
                "care_plan_reviews",
                [("Care plan reviews", evidence_link("care_plan_reviews"), reviews)],
                period,
            ),
            *gather(
                KEY,
                "risk_assessments",
                [("Risk assessments", evidence_link("risk_assessments"), risks)],
                period,
            ),
            *gather(KEY, "goals", [("Goals agreed", evidence_link("goals"), goals)], period),
        ]
