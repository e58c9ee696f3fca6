"""People we support as rows, with their plan, review and risk statuses worked out for today."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.people import rules
from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.staff.models import StaffMember
from provider_desk.db.session import Database, core_rows, once_per_snapshot
from provider_desk.resources import care_areas, care_section_fields
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level, level_of
from provider_desk.settings.queries import get_settings_in


@dataclass(frozen=True)
class PersonRow:
    """One person on the list with where their care plan stands."""

    id: int
    reference: str
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: dt.date | None
    nhs_number: str
    postcode: str
    funding: str
    service_type: str
    status: str
    start_date: dt.date
    end_date: dt.date | None
    key_worker_id: int | None
    key_worker: str
    plan_number: int | None
    plan_from: dt.date | None
    planned_hours: float | None
    consent_recorded: bool
    last_review: dt.date | None
    review_due: dt.date | None
    review_status: Level  # people's words: missing is "no current plan", not required "ended"
    risks_overdue: int
    risks_due_soon: int
    high_risks: int
    open_goals: int
    reablement_outcome: str
    version: int
    plan_needs_update: bool = False  # the last review found needs changed; no new version since
    archived: bool = False  # taken off the list (ended): the dashboard no longer counts them

    @property
    def name(self) -> str:
        """The name with the preferred name, e.g. Mary Brown (Molly)."""
        known = f" ({self.preferred_name})" if self.preferred_name else ""
        return f"{self.first_name} {self.last_name}{known}"

    @property
    def needs_attention(self) -> bool:
        """No current plan, review overdue, no consent recorded, or a risk review overdue."""
        return self.status != "ended" and (
            self.review_status.needs_action
            or (self.plan_number is not None and not self.consent_recorded)
            or self.risks_overdue > 0
            or self.plan_needs_update
        )


@dataclass(frozen=True)
class PersonDetail:
    """Everything on the person form."""

    row: PersonRow
    address: str
    next_of_kin: str
    power_of_attorney: str
    reablement_start_hours: float | None
    reablement_end_hours: float | None
    notes: str


def _visits(text: str) -> tuple[rules.Visit, ...]:
    return tuple(
        rules.Visit(tuple(v["days"]), v["time"], int(v["minutes"]), int(v.get("carers", 1)))
        for v in json.loads(text or "[]")
    )


_PERSON_COLUMNS = (
    Person.id,
    Person.reference,
    Person.first_name,
    Person.last_name,
    Person.preferred_name,
    Person.date_of_birth,
    Person.nhs_number,
    Person.postcode,
    Person.funding,
    Person.service_type,
    Person.status,
    Person.start_date,
    Person.end_date,
    Person.key_worker_id,
    Person.reablement_start_hours,
    Person.reablement_end_hours,
    Person.version,
    Person.archived_at,
)
"""What a person's row needs (the form's free text is read only for :class:`PersonDetail`)."""

_DETAIL_COLUMNS = (
    Person.address,
    Person.next_of_kin,
    Person.power_of_attorney,
    Person.notes,
)


def _staff_names_in(s: Session) -> dict[int, str]:
    """Every worker's id and "First Last" (key workers, assessors)."""
    return {
        i: name
        for i, name in core_rows(
            s, select(StaffMember.id, StaffMember.first_name + " " + StaffMember.last_name)
        )
    }


def _load_people_in(
    s: Session,
    today: dt.date,
    *,
    include_ended: bool,
    person_id: int | None = None,
    details: bool = False,
) -> tuple[list[PersonRow], dict[int, Any]]:
    """The rows, and each person's columns as a plain row by id (with the form's free text
    too when ``details``: what :func:`_detail` reads). Plain rows, not ``Person`` objects: on a
    thousand people the ORM's loading cost more than everything else here."""
    settings = get_settings_in(s)
    stmt = select(*_PERSON_COLUMNS, *(_DETAIL_COLUMNS if details else ()))
    if person_id is not None:
        stmt = stmt.where(Person.id == person_id)
    elif not include_ended:
        stmt = stmt.where(Person.archived_at.is_(None))
    people = core_rows(s, stmt.order_by(Person.last_name, Person.first_name)).all()
    ids = [p.id for p in people]
    staff = _staff_names_in(s)
    # Only the columns the row needs: whole versions (their JSON sections) cost several times more.
    plans: dict[int, Any] = {}
    for version in core_rows(
        s,
        select(
            CarePlan.person_id,
            CarePlan.number,
            CarePlan.effective_from,
            CarePlan.review_due,
            CarePlan.visits,
            CarePlan.consent_by,
            CarePlan.consent_on,
        )
        .where(CarePlan.person_id.in_(ids))
        .order_by(CarePlan.number),
    ):
        plans[version.person_id] = version  # the last one wins: the current version
    reviews: dict[int, list[dt.date]] = defaultdict(list)
    changed_at: dict[int, dt.date | None] = {}
    for pid, day, changed in core_rows(
        s,
        select(CareReview.person_id, CareReview.reviewed_on, CareReview.needs_changed)
        .where(CareReview.person_id.in_(ids), CareReview.archived_at.is_(None))
        .order_by(CareReview.reviewed_on),
    ):
        reviews[pid].append(day)
        changed_at[pid] = day if changed else None
    # Each risk assessment as (review due, likelihood, severity): all the row counts.
    risks: dict[int, list[tuple[dt.date, int, int]]] = defaultdict(list)
    for pid, review_due, likelihood, severity in core_rows(
        s,
        select(
            RiskAssessment.person_id,
            RiskAssessment.review_due,
            RiskAssessment.likelihood,
            RiskAssessment.severity,
        ).where(RiskAssessment.person_id.in_(ids), RiskAssessment.archived_at.is_(None)),
    ):
        risks[pid].append((review_due, likelihood, severity))
    goals: dict[int, int] = defaultdict(int)
    for pid in core_rows(
        s,
        select(Goal.person_id).where(
            Goal.person_id.in_(ids), Goal.archived_at.is_(None), Goal.outcome == ""
        ),
    ).scalars():
        goals[pid] += 1
    window = settings.care_review_due_soon_days
    rows = []
    for p in people:
        plan = plans.get(p.id)
        due: dt.date | None = None
        if p.status == "ended":
            status = Level.NOT_REQUIRED
        elif plan is None:
            status = Level.MISSING
        else:
            # Which event restarts which clock is written on rules.plan_review_due.
            due = rules.plan_review_due(
                start_date=p.start_date,
                reviews=reviews[p.id],
                interval_months=settings.care_plan_review_months,
                plan_from=plan.effective_from,
                override=plan.review_due,
                service_type=p.service_type,
            )
            status = level_of(due, today, window)
        person_risks = risks[p.id]
        risk_levels = [level_of(due_on, today, window) for due_on, _, _ in person_risks]
        rows.append(
            PersonRow(
                id=p.id,
                reference=p.reference,
                first_name=p.first_name,
                last_name=p.last_name,
                preferred_name=p.preferred_name,
                date_of_birth=p.date_of_birth,
                nhs_number=rules.format_nhs_number(p.nhs_number),
                postcode=p.postcode,
                funding=p.funding,
                service_type=p.service_type,
                status=p.status,
                start_date=p.start_date,
                end_date=p.end_date,
                key_worker_id=p.key_worker_id,
                key_worker=staff.get(p.key_worker_id, "") if p.key_worker_id else "",
                plan_number=plan.number if plan else None,
                plan_from=plan.effective_from if plan else None,
                planned_hours=rules.planned_hours(_visits(plan.visits)) if plan else None,
                consent_recorded=bool(plan and plan.consent_by and plan.consent_on),
                last_review=reviews[p.id][-1] if reviews[p.id] else None,
                review_due=due,
                review_status=status,
                risks_overdue=sum(1 for lv in risk_levels if lv is Level.OVERDUE),
                risks_due_soon=sum(1 for lv in risk_levels if lv is Level.DUE_SOON),
                high_risks=sum(
                    1
                    for _, likelihood, severity in person_risks
                    if rules.risk_level(rules.risk_score(likelihood, severity)) == "high"
                ),
                open_goals=goals[p.id],
                reablement_outcome=rules.reablement_outcome(
                    p.reablement_start_hours, p.reablement_end_hours
                ),
                version=p.version,
                plan_needs_update=bool(
                    plan
                    and p.status != "ended"
                    and changed_at.get(p.id)
                    and plan.effective_from < changed_at[p.id]
                ),
                archived=p.archived_at is not None,
            )
        )
    return rows, {p.id: p for p in people}


def list_people_in(s: Session, today: dt.date, *, include_ended: bool = False) -> list[PersonRow]:
    """As :func:`list_people`, reading inside the session ``s`` (once per read snapshot: the
    evidence pack lists people for its own tables and through the people reader)."""
    return once_per_snapshot(
        s,
        ("people", today, include_ended),
        lambda: _load_people_in(s, today, include_ended=include_ended)[0],
    )


def list_people(db: Database, today: dt.date, *, include_ended: bool = False) -> list[PersonRow]:
    """People we support (ended ones only when asked), by last name."""
    with db.reading() as s:
        return list_people_in(s, today, include_ended=include_ended)


def _detail(row: PersonRow, p: Any) -> PersonDetail:
    """``p``: the person's plain row read with ``details`` (see :func:`_load_people_in`)."""
    return PersonDetail(
        row=row,
        address=p.address,
        next_of_kin=p.next_of_kin,
        power_of_attorney=p.power_of_attorney,
        reablement_start_hours=p.reablement_start_hours,
        reablement_end_hours=p.reablement_end_hours,
        notes=p.notes,
    )


def person_detail_in(s: Session, person_id: int, today: dt.date) -> PersonDetail | None:
    """As :func:`person_detail`, reading inside the session ``s``."""
    rows, people = _load_people_in(s, today, include_ended=True, person_id=person_id, details=True)
    return _detail(rows[0], people[person_id]) if rows else None


def person_detail(db: Database, person_id: int, today: dt.date) -> PersonDetail | None:
    """One person's full details."""
    with db.reading() as s:
        return person_detail_in(s, person_id, today)


def people_details_in(s: Session, today: dt.date) -> list[PersonDetail]:
    """As :func:`people_details`, reading inside the session ``s``."""
    rows, people = _load_people_in(s, today, include_ended=True, details=True)
    return [_detail(r, people[r.id]) for r in rows]


def people_details(db: Database, today: dt.date) -> list[PersonDetail]:
    """Everyone's full details (ended included), read in one go for exports."""
    with db.reading() as s:
        return people_details_in(s, today)


@dataclass(frozen=True)
class CarePlanRow:
    """One version of a care plan, complete (versions are read-only)."""

    id: int
    person_id: int
    person_reference: str
    person_name: str
    number: int
    effective_from: dt.date
    change_reason: str
    sections: dict[str, dict[str, str]]
    visits: tuple[rules.Visit, ...]
    consent_by: str
    consent_name: str
    consent_capacity: str
    consent_on: dt.date | None
    mca_needed: bool
    mca_outcome: str
    best_interests: str
    review_due: dt.date | None
    written_by: str
    written_at: dt.datetime
    is_current: bool

    @property
    def planned_hours(self) -> float:
        """Care hours a week from the planned visits."""
        return rules.planned_hours(self.visits)

    @property
    def consent_text(self) -> str:
        """Who agreed the plan, in words."""
        if not self.consent_by:
            return "Not recorded"
        if self.consent_by == "person":
            who = "The person"
        else:
            who = f"{self.consent_name} ({self.consent_capacity})"
        return f"{who}, {format_date(self.consent_on)}"


def care_plans_in(s: Session, person_id: int | None = None) -> list[CarePlanRow]:
    """As :func:`care_plans`, reading inside the session ``s``."""
    stmt = select(CarePlan, Person).join(Person, Person.id == CarePlan.person_id)
    if person_id is not None:
        stmt = stmt.where(CarePlan.person_id == person_id)
    found = list(s.execute(stmt.order_by(Person.reference, CarePlan.number)))
    latest: dict[int, int] = {}
    for plan, _ in found:
        latest[plan.person_id] = max(latest.get(plan.person_id, 0), plan.number)
    return [
        CarePlanRow(
            id=plan.id,
            person_id=plan.person_id,
            person_reference=person.reference,
            person_name=f"{person.first_name} {person.last_name}",
            number=plan.number,
            effective_from=plan.effective_from,
            change_reason=plan.change_reason,
            sections=json.loads(plan.sections or "{}"),
            visits=_visits(plan.visits),
            consent_by=plan.consent_by,
            consent_name=plan.consent_name,
            consent_capacity=plan.consent_capacity,
            consent_on=plan.consent_on,
            mca_needed=plan.mca_needed,
            mca_outcome=plan.mca_outcome,
            best_interests=plan.best_interests,
            review_due=plan.review_due,
            written_by=plan.created_by,
            written_at=plan.created_at,
            is_current=plan.number == latest[plan.person_id],
        )
        for plan, person in found
    ]


def care_plans(db: Database, person_id: int | None = None) -> list[CarePlanRow]:
    """Every version of a person's plan (or everyone's), oldest first."""
    with db.reading() as s:
        return care_plans_in(s, person_id)


def days_text(days: tuple[str, ...]) -> str:
    """The days of a visit in words: Every day, Mon–Fri, or Sat, Sun."""
    if len(days) == 7:
        return "Every day"
    if days == ("Mon", "Tue", "Wed", "Thu", "Fri"):
        return "Mon–Fri"
    return ", ".join(days)


def visit_text(visit: rules.Visit) -> str:
    """A visit in words, e.g. Mon–Fri 08:00, 45 min, 2 carers."""
    carers = f", {visit.carers} carers" if visit.carers > 1 else ""
    return f"{days_text(visit.days)} {visit.time}, {visit.minutes} min{carers}"


@dataclass(frozen=True)
class Difference:
    """One thing that differs between two versions of a plan."""

    what: str
    before: str
    after: str


def compare_plans(old: CarePlanRow, new: CarePlanRow) -> list[Difference]:
    """What changed between two versions, section by section, then visits and consent."""
    out: list[Difference] = []
    for area in care_areas():
        for key, title in care_section_fields():
            a = old.sections.get(area.key, {}).get(key, "")
            b = new.sections.get(area.key, {}).get(key, "")
            if a != b:
                out.append(Difference(f"{area.title}: {title}", a, b))
    va = "\n".join(visit_text(v) for v in old.visits)
    vb = "\n".join(visit_text(v) for v in new.visits)
    if va != vb:
        out.append(
            Difference(
                "Planned visits",
                f"{va}\n({old.planned_hours} hours a week)",
                f"{vb}\n({new.planned_hours} hours a week)",
            )
        )
    for what, a, b in (
        ("Consent", old.consent_text, new.consent_text),
        (
            "Mental capacity",
            old.mca_outcome if old.mca_needed else "Not needed",
            new.mca_outcome if new.mca_needed else "Not needed",
        ),
        ("Best-interests decision", old.best_interests, new.best_interests),
        ("Review due (set by hand)", format_date(old.review_due), format_date(new.review_due)),
    ):
        if a != b:
            out.append(Difference(what, a, b))
    return out


@dataclass(frozen=True)
class ReviewRow:
    """A review of someone's care."""

    id: int
    reviewed_on: dt.date
    participants: str
    outcome: str
    changes_made: str
    needs_changed: bool
    plan_number: int | None
    version: int = 0  # what a save passes as expected_version


def care_reviews_in(s: Session, person_id: int) -> list[ReviewRow]:
    """As :func:`care_reviews`, reading inside the session ``s``."""
    numbers = dict(
        s.execute(select(CarePlan.id, CarePlan.number).where(CarePlan.person_id == person_id)).all()
    )
    return [
        ReviewRow(
            r.id,
            r.reviewed_on,
            r.participants,
            r.outcome,
            r.changes_made,
            r.needs_changed,
            numbers.get(r.care_plan_id) if r.care_plan_id else None,
            r.version,
        )
        for r in s.scalars(
            select(CareReview)
            .where(CareReview.person_id == person_id, CareReview.archived_at.is_(None))
            .order_by(CareReview.reviewed_on.desc())
        )
    ]


def care_reviews(db: Database, person_id: int) -> list[ReviewRow]:
    """A person's reviews, newest first."""
    with db.reading() as s:
        return care_reviews_in(s, person_id)


@dataclass(frozen=True)
class RiskRow:
    """A risk assessment with its score, level and review status."""

    id: int
    person_id: int
    person: str
    person_reference: str
    kind: str
    hazard: str
    likelihood: int
    severity: int
    score: int
    level: str
    controls: str
    assessed_on: dt.date
    assessed_by_id: int | None
    assessed_by: str
    review_due: dt.date
    review_status: Level
    version: int


def risk_assessments_in(
    s: Session, today: dt.date, *, person_id: int | None = None
) -> list[RiskRow]:
    """As :func:`risk_assessments`, reading inside the session ``s``."""
    window = get_settings_in(s).care_review_due_soon_days
    staff = _staff_names_in(s)
    stmt = (
        select(
            RiskAssessment.id,
            Person.id,
            Person.first_name,
            Person.last_name,
            Person.reference,
            RiskAssessment.kind,
            RiskAssessment.hazard,
            RiskAssessment.likelihood,
            RiskAssessment.severity,
            RiskAssessment.controls,
            RiskAssessment.assessed_on,
            RiskAssessment.assessed_by_id,
            RiskAssessment.review_due,
            RiskAssessment.version,
        )
        .join(Person, Person.id == RiskAssessment.person_id)
        .where(RiskAssessment.archived_at.is_(None))
    )
    stmt = (
        stmt.where(RiskAssessment.person_id == person_id)
        if person_id is not None
        else stmt.where(Person.archived_at.is_(None))
    )
    rows = []
    for (
        rid,
        pid,
        first,
        last,
        reference,
        kind,
        hazard,
        likelihood,
        severity,
        controls,
        assessed_on,
        assessed_by_id,
        review_due,
        version,
    ) in core_rows(s, stmt.order_by(RiskAssessment.review_due)):
        score = rules.risk_score(likelihood, severity)
        rows.append(
            RiskRow(
                id=rid,
                person_id=pid,
                person=f"{first} {last}",
                person_reference=reference,
                kind=kind,
                hazard=hazard,
                likelihood=likelihood,
                severity=severity,
                score=score,
                level=rules.risk_level(score),
                controls=controls,
                assessed_on=assessed_on,
                assessed_by_id=assessed_by_id,
                assessed_by=staff.get(assessed_by_id, "") if assessed_by_id else "",
                review_due=review_due,
                review_status=level_of(review_due, today, window),
                version=version,
            )
        )
    return rows


def risk_assessments(
    db: Database, today: dt.date, *, person_id: int | None = None
) -> list[RiskRow]:
    """Risk assessments (one person's, or everyone's still supported), review due first."""
    with db.reading() as s:
        return risk_assessments_in(s, today, person_id=person_id)


@dataclass(frozen=True)
class GoalRow:
    """A goal and how it is going."""

    id: int
    goal: str
    starting_point: str
    set_on: dt.date
    target_date: dt.date | None
    progress: str
    outcome: str
    version: int


def goals_in(s: Session, person_id: int) -> list[GoalRow]:
    """As :func:`goals`, reading inside the session ``s``."""
    found = list(
        s.scalars(
            select(Goal)
            .where(Goal.person_id == person_id, Goal.archived_at.is_(None))
            .order_by(Goal.set_on)
        )
    )
    rows = [
        GoalRow(
            g.id,
            g.goal,
            g.starting_point,
            g.set_on,
            g.target_date,
            g.progress,
            g.outcome,
            g.version,
        )
        for g in found
    ]
    return sorted(rows, key=lambda g: (g.outcome != "", g.target_date or dt.date.max))


def goals(db: Database, person_id: int) -> list[GoalRow]:
    """A person's goals, open ones first."""
    with db.reading() as s:
        return goals_in(s, person_id)


@dataclass(frozen=True)
class ReablementSummary:
    """Outcome figures for people whose reablement has ended with hours recorded."""

    finished: int
    no_ongoing_care: int
    less_care: int
    same_care: int
    more_care: int
    hours_at_start: float
    hours_at_end: float


def reablement_summary_in(s: Session) -> ReablementSummary:
    """As :func:`reablement_summary`, reading inside the session ``s``."""
    found = list(
        s.execute(
            select(Person.reablement_start_hours, Person.reablement_end_hours).where(
                Person.service_type == "reablement"
            )
        )
    )
    outcomes = [rules.reablement_outcome(a, b) for a, b in found]
    done = [(a, b) for a, b in found if a is not None and b is not None]
    return ReablementSummary(
        finished=len(done),
        no_ongoing_care=outcomes.count("no ongoing care"),
        less_care=outcomes.count("less care"),
        same_care=outcomes.count("same care"),
        more_care=outcomes.count("more care"),
        hours_at_start=round(sum(a for a, _ in done), 1),
        hours_at_end=round(sum(b for _, b in done), 1),
    )


def reablement_summary(db: Database) -> ReablementSummary:
    """How many people left reablement needing no, less, the same or more care."""
    with db.reading() as s:
        return reablement_summary_in(s)
