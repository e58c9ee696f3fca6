"""People we support, their versioned care plans, reviews, risk assessments and goals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.services import ActionInput, raise_action_in, validate_action
from provider_desk.areas.people import rules
from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.staff.models import StaffMember
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import ACTIONS, PEOPLE, Changes
from provider_desk.db.references import next_free, note_used
from provider_desk.db.session import Database
from provider_desk.db.versions import changed_by_message, check_version
from provider_desk.errors import ConflictError, Problem, ValidationError
from provider_desk.models.base import utcnow
from provider_desk.resources import care_areas, care_section_fields, funding_types, risk_kinds
from provider_desk.rules import validators as v
from provider_desk.rules.dates import add_months, format_date
from provider_desk.settings.models import OrganisationSettings

MAX_WEEKLY_HOURS = 168.0


# --------------------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonInput:
    """A person as entered. A blank reference gets the next P-0001 style one."""

    first_name: str
    last_name: str
    start_date: dt.date | None
    reference: str = ""
    preferred_name: str = ""
    date_of_birth: dt.date | None = None
    nhs_number: str = ""
    address: str = ""
    postcode: str = ""
    funding: str = "local authority"
    service_type: str = "long-term"
    end_date: dt.date | None = None
    status: str = "active"
    key_worker_id: int | None = None
    next_of_kin: str = ""
    power_of_attorney: str = ""
    reablement_start_hours: float | None = None
    reablement_end_hours: float | None = None
    notes: str = ""


def validate_person(
    s: Session, data: PersonInput, today: dt.date, person_id: int | None = None
) -> list[Problem]:
    """Every problem with a person's details, including duplicates."""
    problems: list[Problem | None] = [
        v.required("first_name", data.first_name, "First name"),
        v.required("last_name", data.last_name, "Last name"),
        rules.nhs_number_problem("nhs_number", data.nhs_number),
        v.not_in_future("date_of_birth", data.date_of_birth, today, "Date of birth"),
        v.not_before("end_date", data.end_date, data.start_date, "The end date", "the start date"),
    ]
    problems += person_text_problems(data)
    if data.start_date is None:
        problems.append(Problem("start_date", "Enter the date care started."))
    if data.date_of_birth is not None and data.date_of_birth < today.replace(
        year=today.year - rules.MAX_AGE_YEARS
    ):
        problems.append(
            Problem(
                "date_of_birth",
                f"Date of birth {format_date(data.date_of_birth)} is over "
                f"{rules.MAX_AGE_YEARS} years ago: check the year.",
            )
        )
    if data.funding not in funding_types():
        problems.append(Problem("funding", f"Funding is one of: {', '.join(funding_types())}."))
    if data.service_type not in rules.SERVICE_TYPES:
        problems.append(Problem("service_type", "Service is long-term or reablement."))
    if data.status not in rules.STATUSES:
        problems.append(Problem("status", f"Status is one of: {', '.join(rules.STATUSES)}."))
    if data.status == "ended" and data.end_date is None:
        problems.append(Problem("end_date", "Enter the date the service ended."))
    if data.status == "ended" and data.end_date is not None and data.end_date > today:
        problems.append(
            Problem("status", "The end date is in the future: keep them active until then.")
        )
    if data.key_worker_id is not None and s.get(StaffMember, data.key_worker_id) is None:
        problems.append(Problem("key_worker_id", "That key worker is not on the staff register."))
    for name, hours in (
        ("reablement_start_hours", data.reablement_start_hours),
        ("reablement_end_hours", data.reablement_end_hours),
    ):
        if hours is not None and not 0 <= hours <= MAX_WEEKLY_HOURS:
            problems.append(Problem(name, "Hours a week are 0 to 168."))
    digits = rules.normalise_nhs_number(data.nhs_number)
    if digits:
        other = s.scalar(select(Person).where(Person.nhs_number == digits))
        if other is not None and other.id != person_id:
            problems.append(
                Problem(
                    "nhs_number",
                    f"NHS number {rules.format_nhs_number(digits)} is already recorded for "
                    f"{other.first_name} {other.last_name} ({other.reference}).",
                )
            )
    ref = data.reference.strip()
    if ref:
        other = s.scalar(select(Person).where(func.lower(Person.reference) == ref.lower()))
        if other is not None and other.id != person_id:
            problems.append(
                Problem(
                    "reference",
                    f"Reference {ref} is already used for {other.first_name} {other.last_name}.",
                )
            )
    if data.date_of_birth and data.first_name.strip() and data.last_name.strip():
        same = s.scalar(
            select(Person).where(
                func.lower(Person.first_name) == data.first_name.strip().lower(),
                func.lower(Person.last_name) == data.last_name.strip().lower(),
                Person.date_of_birth == data.date_of_birth,
            )
        )
        if same is not None and same.id != person_id:
            problems.append(
                Problem(
                    "last_name",
                    f"{same.first_name} {same.last_name}, born "
                    f"{format_date(data.date_of_birth)}, is already recorded ({same.reference}).",
                )
            )
    return [p for p in problems if p is not None]


def person_text_problems(data: PersonInput) -> list[Problem | None]:
    """Lengths and invisible characters, the same for the form and the importer."""
    name, long = v.NAME_MAX, v.LONG_TEXT_MAX
    return [
        v.text("first_name", data.first_name, "First name", max_len=name),
        v.text("last_name", data.last_name, "Last name", max_len=name),
        v.text("preferred_name", data.preferred_name, "Preferred name", max_len=name),
        v.text("reference", data.reference, "Reference", max_len=30),
        v.text("postcode", data.postcode, "Postcode", max_len=10),
        v.text("address", data.address, "Address", max_len=long, multiline=True),
        v.text("next_of_kin", data.next_of_kin, "Next of kin", max_len=long, multiline=True),
        v.text(
            "power_of_attorney",
            data.power_of_attorney,
            "Power of attorney",
            max_len=long,
            multiline=True,
        ),
        v.text("notes", data.notes, "Notes", max_len=long, multiline=True),
    ]


def next_reference(s: Session) -> str:
    """The next free reference, P-0001 onwards, from the counter every PC shares."""
    return next_free(
        s,
        "person",
        lambda n: f"P-{n:04d}",
        lambda ref: s.scalar(select(Person.id).where(Person.reference == ref)) is not None,
    )


@requires(Permission.EDIT_RECORDS, "add or change people's details")
def save_person_in(
    s: Session,
    person_id: int | None,
    data: PersonInput,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Person:
    """Add or change a person inside an open session (the importer shares this).

    ``expected_version``: the version the user opened (an importer: the one it read in this
    same transaction); required when changing someone.
    """
    v.raise_if(list(validate_person(s, data, today, person_id)))
    assert data.start_date is not None
    if person_id is None:
        typed = data.reference.strip()
        if typed[:2] == "P-" and typed[2:].isdigit():
            note_used(s, "person", int(typed[2:]))
        person = Person(reference=typed or next_reference(s))
        s.add(person)
    else:
        found = s.get(Person, person_id)
        if found is None:
            raise ValidationError.single("id", "That person is no longer on the list.")
        check_version(found, expected_version)
        person = found
        if data.reference.strip():
            person.reference = data.reference.strip()
    person.first_name = data.first_name.strip()
    person.last_name = data.last_name.strip()
    person.preferred_name = data.preferred_name.strip()
    person.date_of_birth = data.date_of_birth
    person.nhs_number = rules.normalise_nhs_number(data.nhs_number) or None
    person.address = data.address.strip()
    person.postcode = data.postcode.strip().upper()
    person.funding = data.funding
    person.service_type = data.service_type
    person.start_date = data.start_date
    person.end_date = data.end_date
    person.status = data.status
    person.key_worker_id = data.key_worker_id
    person.next_of_kin = data.next_of_kin.strip()
    person.power_of_attorney = data.power_of_attorney.strip()
    person.reablement_start_hours = data.reablement_start_hours
    person.reablement_end_hours = data.reablement_end_hours
    person.notes = data.notes.strip()
    # Ended people are archived (kept, out of the everyday lists); restarting brings them back.
    if data.status == "ended":
        person.archived_at = person.archived_at or utcnow()
    else:
        person.archived_at = None
    s.flush()
    return person


@requires(Permission.EDIT_RECORDS, "add or change people's details")
def save_person(
    db: Database,
    person_id: int | None,
    data: PersonInput,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Add a person, or change their details."""
    with db.session() as s:
        person = save_person_in(s, person_id, data, expected_version=expected_version, today=today)
        return Changes.of(PEOPLE, ids=(person.id,))


# --------------------------------------------------------------------------- care plans


@dataclass(frozen=True)
class CarePlanInput:
    """One version of a care plan as written."""

    effective_from: dt.date | None
    sections: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    visits: tuple[rules.Visit, ...] = ()
    change_reason: str = ""
    consent_by: str = ""
    consent_name: str = ""
    consent_capacity: str = ""
    consent_on: dt.date | None = None
    mca_needed: bool = False
    mca_outcome: str = ""
    best_interests: str = ""
    review_due: dt.date | None = None


def validate_care_plan(
    person: Person, data: CarePlanInput, today: dt.date, *, first: bool
) -> list[Problem]:
    """Every problem with a plan version."""
    name = f"{person.first_name} {person.last_name}"
    problems: list[Problem | None] = []
    if data.effective_from is None:
        problems.append(Problem("effective_from", "Enter the date this plan takes effect."))
    problems.append(
        v.not_before(
            "effective_from",
            data.effective_from,
            person.start_date,
            "The plan date",
            f"{name}'s start of care",
        )
    )
    if not first and not data.change_reason.strip():
        problems.append(
            Problem("change_reason", "Say why the plan is changing (it is kept with the version).")
        )
    areas = {a.key for a in care_areas()}
    fields = {k for k, _ in care_section_fields()}
    for area, texts in data.sections.items():
        if area not in areas or any(f not in fields for f in texts):
            problems.append(Problem("sections", f"Unknown care plan section '{area}'."))
    if not any(t.strip() for texts in data.sections.values() for t in texts.values()):
        problems.append(Problem("sections", "Write at least one section of the plan."))
    problems.extend(rules.visit_problems(data.visits))
    if (
        data.review_due is not None
        and data.effective_from is not None
        and data.review_due <= data.effective_from
    ):
        problems.append(
            Problem(
                "review_due",
                f"The review date ({format_date(data.review_due)}) is before the plan "
                f"({format_date(data.effective_from)}).",
            )
        )
    if data.consent_by and data.consent_by not in rules.CONSENT_BY:
        problems.append(
            Problem("consent_by", "Consent is given by the person or a representative.")
        )
    if data.consent_by and data.consent_on is None:
        problems.append(Problem("consent_on", "Enter the date consent was given."))
    if data.consent_on is not None and not data.consent_by:
        problems.append(Problem("consent_by", "Say who agreed the plan."))
    problems.append(v.not_in_future("consent_on", data.consent_on, today, "The consent date"))
    if data.consent_by == "representative":
        problems.append(v.required("consent_name", data.consent_name, "The representative's name"))
        problems.append(
            v.required(
                "consent_capacity",
                data.consent_capacity,
                "In what capacity they agreed (e.g. LPA for health and welfare)",
            )
        )
    if data.mca_needed and data.mca_outcome not in rules.MCA_OUTCOMES:
        problems.append(
            Problem("mca_outcome", "Record the outcome of the mental capacity assessment.")
        )
    if data.mca_outcome == "lacks capacity" and not data.best_interests.strip():
        problems.append(
            Problem("best_interests", "Record the best-interests decision (MCA 2005 section 4).")
        )
    return [p for p in problems if p is not None]


def _sections_json(sections: Mapping[str, Mapping[str, str]]) -> str:
    clean = {
        area: {f: t.strip() for f, t in texts.items() if t.strip()}
        for area, texts in sections.items()
    }
    return json.dumps({a: t for a, t in clean.items() if t}, ensure_ascii=False, sort_keys=True)


def visits_json(visits: tuple[rules.Visit, ...]) -> str:
    """Planned visits as stored."""
    return json.dumps(
        [
            {"days": list(x.days), "time": x.time, "minutes": x.minutes, "carers": x.carers}
            for x in visits
        ]
    )


@requires(Permission.EDIT_RECORDS, "change care plans")
def save_care_plan_in(
    s: Session,
    person_id: int,
    data: CarePlanInput,
    *,
    based_on: int | None,
    today: dt.date,
) -> CarePlan:
    """Write a new version of a person's plan (the first, or a change to version ``based_on``).

    Raises:
        ValidationError: the plan has problems, or a first plan when one already exists.
        ConflictError: someone saved a newer version since ``based_on`` was opened.
    """
    person = s.get(Person, person_id)
    if person is None:
        raise ValidationError.single("id", "That person is no longer on the list.")
    latest = s.scalar(
        select(CarePlan).where(CarePlan.person_id == person_id).order_by(CarePlan.number.desc())
    )
    if based_on is None and latest is not None:
        raise ValidationError.single(
            "id",
            f"{person.first_name} {person.last_name} already has a current plan (version "
            f"{latest.number}): change it instead, which makes version {latest.number + 1}.",
        )
    if based_on is not None and (latest is None or latest.number != based_on):
        raise ConflictError(
            changed_by_message(latest.created_by, latest.created_at)
            if latest is not None
            else "Changed by someone else — reload to see their changes.",
            f"Someone saved version {latest.number if latest else '?'} of "
            f"{person.first_name}'s plan while you were editing version {based_on}. Nothing was "
            "saved: what you typed is still in the form. Close the plan, open the current "
            "version and make your change again.",
        )
    if person.status == "ended":
        raise ValidationError.single(
            "id",
            f"{person.first_name} {person.last_name}'s service ended on "
            f"{format_date(person.end_date)}.",
        )
    problems = validate_care_plan(person, data, today, first=latest is None)
    if latest is not None and data.effective_from is not None:
        problems.append(
            v.not_before(  # type: ignore[arg-type]
                "effective_from",
                data.effective_from,
                latest.effective_from,
                "The new version's date",
                f"version {latest.number}",
            )
        )
    v.raise_if(list(problems))
    assert data.effective_from is not None
    plan = CarePlan(
        person_id=person_id,
        number=(latest.number + 1) if latest else 1,
        effective_from=data.effective_from,
        change_reason=data.change_reason.strip(),
        sections=_sections_json(data.sections),
        visits=visits_json(data.visits),
        consent_by=data.consent_by,
        consent_name=data.consent_name.strip(),
        consent_capacity=data.consent_capacity.strip(),
        consent_on=data.consent_on,
        mca_needed=data.mca_needed,
        mca_outcome=data.mca_outcome if data.mca_needed else "",
        best_interests=data.best_interests.strip(),
        review_due=data.review_due,
    )
    s.add(plan)
    s.flush()
    return plan


@requires(Permission.EDIT_RECORDS, "change care plans")
def save_care_plan(
    db: Database,
    person_id: int,
    data: CarePlanInput,
    *,
    based_on: int | None = None,
    today: dt.date,
) -> Changes:
    """Save a new version of a care plan. Earlier versions are never changed."""
    with db.session() as s:
        plan = save_care_plan_in(s, person_id, data, based_on=based_on, today=today)
        return Changes.of(PEOPLE, ids=(plan.id,))


# --------------------------------------------------------------------------- reviews


@dataclass(frozen=True)
class ReviewAction:
    """An action agreed at a review: it goes on the action plan."""

    description: str
    owner_id: int | None
    due_on: dt.date | None


@dataclass(frozen=True)
class ReviewInput:
    """A review of someone's care."""

    reviewed_on: dt.date | None
    participants: str
    outcome: str
    changes_made: str = ""
    needs_changed: bool = False
    actions: tuple[ReviewAction, ...] = ()


@requires(Permission.EDIT_RECORDS, "record care reviews")
def record_review(db: Database, person_id: int, data: ReviewInput, *, today: dt.date) -> Changes:
    """Record a review; its actions go on the action plan in the same transaction."""
    with db.session() as s:
        review = record_review_in(s, person_id, data, today=today)
        return Changes.of(PEOPLE, ACTIONS, ids=(review.id,))


@requires(Permission.EDIT_RECORDS, "record care reviews")
def record_review_in(
    s: Session, person_id: int, data: ReviewInput, *, today: dt.date
) -> CareReview:
    """Record a review inside an open session."""
    person = s.get(Person, person_id)
    if person is None:
        raise ValidationError.single("id", "That person is no longer on the list.")
    problems: list[Problem | None] = [
        v.required("participants", data.participants, "Who took part"),
        v.required("outcome", data.outcome, "The outcome of the review"),
        v.not_in_future("reviewed_on", data.reviewed_on, today, "The review date"),
        v.not_before(
            "reviewed_on",
            data.reviewed_on,
            person.start_date,
            "The review date",
            "the start of care",
        ),
    ]
    if data.reviewed_on is None:
        problems.append(Problem("reviewed_on", "Enter the date of the review."))
    for i, a in enumerate(data.actions, start=1):
        for p in validate_action(
            s, ActionInput(a.description, a.owner_id, a.due_on, raised_on=data.reviewed_on), today
        ):
            problems.append(Problem("actions", f"Action {i}: {p.message}"))
    v.raise_if(problems)
    assert data.reviewed_on is not None
    plan_id = s.scalar(
        select(CarePlan.id)
        .where(CarePlan.person_id == person_id, CarePlan.effective_from <= data.reviewed_on)
        .order_by(CarePlan.number.desc())
    )
    review = CareReview(
        person_id=person_id,
        care_plan_id=plan_id,
        reviewed_on=data.reviewed_on,
        participants=data.participants.strip(),
        outcome=data.outcome.strip(),
        changes_made=data.changes_made.strip(),
        needs_changed=data.needs_changed,
    )
    s.add(review)
    s.flush()
    ref = f"{person.reference} review {format_date(data.reviewed_on)}"
    for a in data.actions:
        raise_action_in(
            s,
            ActionInput(
                a.description,
                a.owner_id,
                a.due_on,
                raised_on=data.reviewed_on,
                source="care review",
                source_ref=ref[:100],
            ),
            today=today,
        )
    return review


# --------------------------------------------------------------------------- risks and goals


R = TypeVar("R", RiskAssessment, Goal)


def _owned(
    s: Session,
    model: type[R],
    record_id: int,
    person_id: int,
    expected_version: int | None,
    what: str,
) -> R:
    """A person's risk assessment or goal to change, refusing a stale copy."""
    found = s.get(model, record_id)
    if found is None or found.person_id != person_id:
        raise ValidationError.single("id", f"That {what} no longer exists.")
    check_version(found, expected_version)
    return found


@dataclass(frozen=True)
class RiskInput:
    """A risk assessment as entered. A blank review date is the assessment + the setting."""

    kind: str
    likelihood: int
    severity: int
    controls: str
    assessed_on: dt.date | None
    hazard: str = ""
    assessed_by_id: int | None = None
    review_due: dt.date | None = None


def _risk_months(s: Session) -> int:
    row = s.scalar(select(OrganisationSettings).limit(1))
    return row.risk_review_months if row else 12


@requires(Permission.EDIT_RECORDS, "change risk assessments")
def save_risk(
    db: Database,
    person_id: int,
    risk_id: int | None,
    data: RiskInput,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Add or update (e.g. at review) a risk assessment."""
    with db.session() as s:
        risk = save_risk_in(
            s, person_id, risk_id, data, expected_version=expected_version, today=today
        )
        return Changes.of(PEOPLE, ids=(risk.id,))


@requires(Permission.EDIT_RECORDS, "change risk assessments")
def save_risk_in(
    s: Session,
    person_id: int,
    risk_id: int | None,
    data: RiskInput,
    *,
    expected_version: int | None,
    today: dt.date,
) -> RiskAssessment:
    """Add or update a risk assessment inside an open session."""
    problems: list[Problem | None] = [
        v.required("controls", data.controls, "How the risk is reduced (controls)"),
        v.not_in_future("assessed_on", data.assessed_on, today, "The assessment date"),
    ]
    if data.kind not in risk_kinds():
        problems.append(Problem("kind", f"Kind is one of: {', '.join(risk_kinds())}."))
    for name, value in (("likelihood", data.likelihood), ("severity", data.severity)):
        if not 1 <= value <= 5:
            problems.append(Problem(name, f"{name.capitalize()} is 1 to 5."))
    if data.assessed_on is None:
        problems.append(Problem("assessed_on", "Enter the date of the assessment."))
    if data.review_due is not None and data.assessed_on and data.review_due <= data.assessed_on:
        problems.append(Problem("review_due", "The review date must be after the assessment."))
    v.raise_if(problems)
    assert data.assessed_on is not None
    months = _risk_months(s)  # read before adding the row (no autoflush half-way)
    person = s.get(Person, person_id)
    if person is None:
        raise ValidationError.single("id", "That person is no longer on the list.")
    if risk_id is None:
        risk = RiskAssessment(person_id=person_id)
        s.add(risk)
    else:
        risk = _owned(s, RiskAssessment, risk_id, person_id, expected_version, "risk assessment")
    risk.kind = data.kind
    risk.hazard = data.hazard.strip()
    risk.likelihood = data.likelihood
    risk.severity = data.severity
    risk.controls = data.controls.strip()
    risk.assessed_on = data.assessed_on
    risk.assessed_by_id = data.assessed_by_id
    risk.review_due = data.review_due or add_months(data.assessed_on, months)
    s.flush()
    return risk


@dataclass(frozen=True)
class GoalInput:
    """A goal: what, from where, by when, progress, outcome."""

    goal: str
    set_on: dt.date | None
    starting_point: str = ""
    target_date: dt.date | None = None
    progress: str = ""
    outcome: str = ""


@requires(Permission.EDIT_RECORDS, "change goals")
def save_goal(
    db: Database,
    person_id: int,
    goal_id: int | None,
    data: GoalInput,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Add or update a goal."""
    with db.session() as s:
        goal = save_goal_in(
            s, person_id, goal_id, data, expected_version=expected_version, today=today
        )
        return Changes.of(PEOPLE, ids=(goal.id,))


@requires(Permission.EDIT_RECORDS, "change goals")
def save_goal_in(
    s: Session,
    person_id: int,
    goal_id: int | None,
    data: GoalInput,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Goal:
    """Add or update a goal inside an open session."""
    problems: list[Problem | None] = [
        v.required("goal", data.goal, "The goal"),
        v.not_in_future("set_on", data.set_on, today, "The date the goal was set"),
        v.not_before("target_date", data.target_date, data.set_on, "The target date", "the goal"),
    ]
    if data.set_on is None:
        problems.append(Problem("set_on", "Enter the date the goal was set."))
    if data.outcome and data.outcome not in rules.GOAL_OUTCOMES:
        problems.append(Problem("outcome", f"Outcome is one of: {', '.join(rules.GOAL_OUTCOMES)}."))
    v.raise_if(problems)
    assert data.set_on is not None
    if s.get(Person, person_id) is None:
        raise ValidationError.single("id", "That person is no longer on the list.")
    if goal_id is None:
        goal = Goal(person_id=person_id)
        s.add(goal)
    else:
        goal = _owned(s, Goal, goal_id, person_id, expected_version, "goal")
    goal.goal = data.goal.strip()
    goal.set_on = data.set_on
    goal.starting_point = data.starting_point.strip()
    goal.target_date = data.target_date
    goal.progress = data.progress.strip()
    goal.outcome = data.outcome
    s.flush()
    return goal


@requires(Permission.EDIT_RECORDS, "archive people's records")
def archive_record(db: Database, kind: str, record_id: int, *, expected_version: int) -> Changes:
    """Remove a risk assessment, goal or review entered by mistake (kept in the change log)."""
    with db.session() as s:
        row: RiskAssessment | Goal | CareReview | None
        if kind == "risk":
            row = s.get(RiskAssessment, record_id)
        elif kind == "goal":
            row = s.get(Goal, record_id)
        else:
            row = s.get(CareReview, record_id)
        if row is None:
            raise ValidationError.single("id", "That record no longer exists.")
        check_version(row, expected_version)
        row.archived_at = utcnow()
        return Changes.of(PEOPLE, ids=(record_id,))
