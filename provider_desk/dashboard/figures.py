"""The home page's cards: per area, the counts a manager acts on, worked out from the same
attention items each area's page lists, so a card and the page it opens never disagree."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from provider_desk.areas.actions.queries import list_actions_in
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.areas.complaints.queries import list_complaints_in
from provider_desk.areas.complaints.rules import ComplaintStatus
from provider_desk.areas.people import reader as people_reader
from provider_desk.dashboard.todo import todo_in
from provider_desk.reading import Attention, On, urgency
from provider_desk.rules.due import Level

FIRST = 5
"""How many of a card's items, most urgent first, the card lists."""


@dataclass(frozen=True)
class TrainingFigures:
    """Required training only (the training matrix's cells for the courses a role requires,
    staff in post: the numbers in the matrix page's summary line)."""

    expired: int  # past its expiry date (Level.OVERDUE, "expired" in training's words)
    due_soon: int  # expires within the due-soon window (the day itself included)
    missing: int  # never done
    first: tuple[Attention, ...] = ()


@dataclass(frozen=True)
class RecruitmentFigures:
    """Staff files (staff in post) whose Schedule 3 / right-to-work checks are not all in place:
    the staff page's "with checks to chase"."""

    missing: int  # files with any check outstanding, or received but not yet verified
    outstanding: int  # of those, files with at least one check not received at all
    unverified: int  # of those, files with every check in but some not verified yet
    first: tuple[Attention, ...] = ()


@dataclass(frozen=True)
class SupervisionFigures:
    """Sessions per worker and kind (supervision, spot check, appraisal, probation review,
    competency) for workers at work; people on leave are left out, as on the supervision page."""

    overdue: int  # overdue or never done (the page's "Overdue or never done")
    due_soon: int
    never_done: int  # of ``overdue``, the ones never held at all
    first: tuple[Attention, ...] = ()


@dataclass(frozen=True)
class CarePlanFigures:
    """People supported now (ended services are archived and not counted): one count per
    person, as the people page's filters count them."""

    review_overdue: int  # care plan review past its due date ("Care plan review overdue")
    no_current_plan: int  # no care plan written yet ("No current plan")
    review_due_soon: int  # "Review due soon"
    consent_missing: int  # current plan without consent recorded ("Consent not recorded")
    needs_update: int  # a review found needs changed, plan not updated since
    first: tuple[Attention, ...] = ()


@dataclass(frozen=True)
class RiskFigures:
    """Risk assessments of people supported now."""

    review_overdue: int  # risk assessments whose review date has passed (one per assessment)
    due_soon: int  # risk assessments due for review within the window
    people_overdue: int  # people with at least one overdue ("Risk review overdue" filter)
    first: tuple[Attention, ...] = ()


@dataclass(frozen=True)
class ComplaintFigures:
    """Complaints not archived, by where each stands today (working-day deadlines)."""

    acknowledgement_overdue: int  # not acknowledged and past the acknowledgement deadline
    response_overdue: int  # acknowledged, no response, past the (extended) response deadline
    open: int  # not closed: the complaints page's "Open complaints" (responded included)
    awaiting_acknowledgement: int  # within the acknowledgement deadline
    awaiting_response: int  # being investigated within the response deadline
    first: tuple[Attention, ...] = ()


@dataclass(frozen=True)
class AuditFigures:
    """The audit programme: one line per audit template in use."""

    overdue: int  # overdue or never done (the programme's "overdue or never done")
    due_soon: int
    never_done: int  # of ``overdue``, templates never audited
    first: tuple[Attention, ...] = ()


@dataclass(frozen=True)
class ActionFigures:
    """The action plan (actions not archived)."""

    overdue: int  # not done and past the due date
    open: int  # not done (the action plan's "not done"), overdue and due soon included
    due_soon: int
    first: tuple[Attention, ...] = ()


Card = (
    TrainingFigures
    | RecruitmentFigures
    | SupervisionFigures
    | CarePlanFigures
    | RiskFigures
    | ComplaintFigures
    | AuditFigures
    | ActionFigures
)


def counts(card: Card) -> dict[str, int]:
    """A card's counts by name (everything but its items), e.g. for ``status --json``."""
    return {f.name: getattr(card, f.name) for f in dataclasses.fields(card) if f.name != "first"}


@dataclass(frozen=True)
class Figures:
    """Every card on the home page, as on one day."""

    training: TrainingFigures
    recruitment: RecruitmentFigures
    supervision: SupervisionFigures
    care_plans: CarePlanFigures
    risk_assessments: RiskFigures
    complaints: ComplaintFigures
    audits: AuditFigures
    actions: ActionFigures

    def cards(self) -> dict[str, Card]:
        """The cards by key, in the order the home page shows them."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def as_dict(self) -> dict[str, dict[str, int]]:
        """``{"training": {"expired": 3, …}, …}``: the names scripts read from ``status``."""
        return {key: counts(card) for key, card in self.cards().items()}


# People items: the people reader's kinds (Attention.kind); a test checks every item it raises
# lands on a card and that the counts equal the people queries' own.
NO_PLAN, REVIEW, CONSENT, UPDATE, RISK = (
    people_reader.NO_PLAN,
    people_reader.REVIEW,
    people_reader.CONSENT,
    people_reader.UPDATE,
    people_reader.RISK,
)


def _first(items: Iterable[Attention]) -> tuple[Attention, ...]:
    return tuple(sorted(items, key=urgency)[:FIRST])


def _n(items: Iterable[Attention], *levels: Level) -> int:
    return sum(1 for i in items if i.level in levels)


def figures_from(
    todo: Iterable[Attention],
    *,
    complaint_status: Mapping[int, ComplaintStatus],
    open_actions: int,
) -> Figures:
    """The cards from the attention items (:func:`~provider_desk.dashboard.todo.todo_in`), the
    status of each complaint by id (to tell acknowledgements from responses, and count the open
    ones) and the number of actions not done. Pure: no database."""
    by_area: dict[str, list[Attention]] = {}
    for item in todo:
        by_area.setdefault(item.area, []).append(item)
    training = by_area.get("training", [])
    staff = by_area.get("staff", [])
    supervision = by_area.get("supervision", [])
    audits = by_area.get("audits", [])
    actions = by_area.get("actions", [])
    complaints = by_area.get("complaints", [])
    people: dict[str, list[Attention]] = {}
    plans: list[Attention] = []  # the care plans card: every people item but risk reviews
    for item in by_area.get("people", []):
        kind = item.kind
        people.setdefault(kind, []).append(item)
        if kind != RISK:
            plans.append(item)
    risks = people.get(RISK, [])
    reviews = people.get(REVIEW, [])

    def complaint_n(status: ComplaintStatus) -> int:
        return sum(
            1
            for i in complaints
            if i.record_id is not None and complaint_status.get(i.record_id) is status
        )

    return Figures(
        training=TrainingFigures(
            expired=_n(training, Level.OVERDUE),
            due_soon=_n(training, Level.DUE_SOON),
            missing=_n(training, Level.MISSING),
            first=_first(training),
        ),
        recruitment=RecruitmentFigures(
            missing=len(staff),
            outstanding=_n(staff, Level.MISSING),
            unverified=_n(staff, Level.DUE_SOON),
            first=_first(staff),
        ),
        supervision=SupervisionFigures(
            overdue=_n(supervision, Level.OVERDUE, Level.MISSING),
            due_soon=_n(supervision, Level.DUE_SOON),
            never_done=_n(supervision, Level.MISSING),
            first=_first(supervision),
        ),
        care_plans=CarePlanFigures(
            review_overdue=_n(reviews, Level.OVERDUE),
            no_current_plan=len(people.get(NO_PLAN, [])),
            review_due_soon=_n(reviews, Level.DUE_SOON),
            consent_missing=len(people.get(CONSENT, [])),
            needs_update=len(people.get(UPDATE, [])),
            first=_first(plans),
        ),
        risk_assessments=RiskFigures(
            review_overdue=_n(risks, Level.OVERDUE),
            due_soon=_n(risks, Level.DUE_SOON),
            people_overdue=len({i.record_id for i in risks if i.level is Level.OVERDUE}),
            first=_first(risks),
        ),
        complaints=ComplaintFigures(
            acknowledgement_overdue=complaint_n(ComplaintStatus.ACK_OVERDUE),
            response_overdue=complaint_n(ComplaintStatus.RESPONSE_OVERDUE),
            open=sum(1 for st in complaint_status.values() if st is not ComplaintStatus.CLOSED),
            awaiting_acknowledgement=complaint_n(ComplaintStatus.AWAITING_ACK),
            awaiting_response=complaint_n(ComplaintStatus.INVESTIGATING),
            first=_first(complaints),
        ),
        audits=AuditFigures(
            overdue=_n(audits, Level.OVERDUE, Level.MISSING),
            due_soon=_n(audits, Level.DUE_SOON),
            never_done=_n(audits, Level.MISSING),
            first=_first(audits),
        ),
        actions=ActionFigures(
            overdue=_n(actions, Level.OVERDUE),
            open=open_actions,
            due_soon=_n(actions, Level.DUE_SOON),
            first=_first(actions),
        ),
    )


def figures_in(s: Session, on: On, todo: Iterable[Attention] | None = None) -> Figures:
    """The home page's cards as on ``on``, read inside the snapshot ``s``.

    ``todo`` is :func:`~provider_desk.dashboard.todo.todo_in` if the caller already has it (so
    the readers run once per snapshot).
    """
    items = todo_in(s, on) if todo is None else todo
    return figures_from(
        items,
        complaint_status={c.id: c.status for c in list_complaints_in(s, on.today)},
        open_actions=sum(
            1 for a in list_actions_in(s, on.today) if a.status is not ActionStatus.DONE
        ),
    )
