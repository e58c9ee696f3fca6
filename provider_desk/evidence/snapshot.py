"""Everything the evidence pack prints, read in one read transaction and frozen: the cover, the
headline figures, every quality statement's evidence and gaps (the dashboard's readiness rule),
and the appendices. The renderer only lays this out; the tests check this thoroughly.

Privacy by default: people we support appear by their service reference only, complainants and
compliment writers not at all, and free text (complaint summaries, what a compliment said) is
left out, since it may name anyone; ``names=True`` puts them in (the provider's own copy).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from provider_desk.areas import AREAS
from provider_desk.areas.actions.queries import list_actions_in
from provider_desk.areas.actions.rules import ActionStatus
from provider_desk.areas.audits.queries import list_audits_in
from provider_desk.areas.complaints.queries import list_complaints_in, list_compliments_in
from provider_desk.areas.complaints.rules import ComplaintStatus
from provider_desk.areas.people.queries import list_people_in
from provider_desk.areas.staff.queries import list_staff_in
from provider_desk.areas.supervision.queries import (
    SessionCell,
    SupervisionMatrix,
    supervision_matrix_in,
)
from provider_desk.areas.training.queries import TrainingMatrix, training_matrix_in
from provider_desk.dashboard.readiness import Readiness, evidence_in, readiness_from
from provider_desk.dashboard.trends import MonthPoint, trends_in
from provider_desk.db.session import Database
from provider_desk.errors import ValidationError
from provider_desk.reading import Attention, On, Period, on_in
from provider_desk.resources import load_json_cached
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level

CATEGORIES_FILE = "cqc_framework.json"


@dataclass(frozen=True)
class Cover:
    """The cover page."""

    provider: str
    provider_id: str  # CQC provider ID ("" if not set)
    location_id: str  # CQC location ID
    manager: str  # registered manager
    address: str
    period: Period
    as_of: dt.date  # the day statuses are worked out on: the period's end (or today, if sooner)
    prepared_on: dt.date
    names: bool  # people we support named (the provider's own copy)


@dataclass(frozen=True)
class Share:
    """A compliance figure: ``done`` of ``of`` (percent None when nothing is counted)."""

    label: str
    done: int
    of: int

    @property
    def percent(self) -> float | None:
        return None if self.of == 0 else 100.0 * self.done / self.of


@dataclass(frozen=True)
class AuditLine:
    """An audit done in the period."""

    audited_on: dt.date
    reference: str
    template: str
    auditor: str
    score: float | None
    failed: int
    status: str
    open_actions: int
    finished: bool


@dataclass(frozen=True)
class Headline:
    """The summary's figures, each worked out by the rule the area's own page uses."""

    training: Share  # required training in date (due soon counts as in date)
    training_by_course: tuple[Share, ...]
    supervision: Share  # required sessions in date (people on leave left out)
    supervision_by_kind: tuple[Share, ...]
    recruitment: Share  # staff files with every check received and verified
    care_plans: Share  # people supported with a current plan whose review is not overdue
    no_current_plan: int
    consent_missing: int
    risk_reviews_overdue: int
    complaints_received: int
    complaints_acknowledged: Share  # acknowledged on time, of those acknowledged
    complaints_answered: Share  # answered on time, of those answered
    complaints_open: int  # received in the period, not closed
    compliments: int
    audits: tuple[AuditLine, ...]  # audits finished in the period, oldest first
    actions_open: int  # not done now
    actions_overdue: int
    actions_done: int  # completed in the period
    months: tuple[MonthPoint, ...]  # training and supervision in date at each month's end

    @property
    def audit_average(self) -> float | None:
        scores = [a.score for a in self.audits if a.score is not None]
        return sum(scores) / len(scores) if scores else None


@dataclass(frozen=True)
class MatrixAppendix:
    """A staff x columns matrix: each cell a word and a level (for its colour)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, str, tuple[tuple[str, Level], ...]], ...]  # name, role, cells


@dataclass(frozen=True)
class RecruitmentLine:
    name: str
    job_role: str
    start_date: dt.date
    missing: int  # checks not received
    unverified: int  # received, not verified


@dataclass(frozen=True)
class ComplaintLine:
    reference: str
    received_on: dt.date
    category: str
    severity: str
    acknowledged_on: dt.date | None
    acknowledged_on_time: bool | None
    responded_on: dt.date | None
    responded_on_time: bool | None
    outcome: str
    status: str
    summary: str  # "" unless names


@dataclass(frozen=True)
class ComplimentLine:
    received_on: dt.date
    staff: str  # the member of staff praised ("" for the service)
    channel: str
    what_was_said: str  # "" unless names


@dataclass(frozen=True)
class ActionLine:
    description: str
    source: str
    owner: str
    raised_on: dt.date
    due_on: dt.date
    completed_on: dt.date | None
    status: str


@dataclass(frozen=True)
class CarePlanLine:
    reference: str
    name: str  # "" unless names
    plan: str  # "v3 from 2 Feb 2026" or "No current plan"
    last_review: dt.date | None
    review_due: dt.date | None
    review_status: Level
    consent: bool
    risks_overdue: int


@dataclass(frozen=True)
class Pack:
    """Everything the evidence pack prints."""

    cover: Cover
    headline: Headline
    readiness: Readiness
    categories: tuple[str, ...]  # CQC's six evidence categories, in order
    training: MatrixAppendix
    supervision: MatrixAppendix
    recruitment: tuple[RecruitmentLine, ...]
    complaints: tuple[ComplaintLine, ...]
    compliments: tuple[ComplimentLine, ...]
    audits: tuple[AuditLine, ...]
    actions: tuple[ActionLine, ...]
    care_plans: tuple[CarePlanLine, ...]

    def gaps(self) -> list[tuple[str, str, str]]:
        """The gaps list (key question, statement, what): red statements, statements weakened by
        late items, and statements whose evidence is held outside Provider Desk."""
        out = []
        for kq in self.readiness.key_questions:
            for st in kq.statements:
                if st.held_outside:
                    out.append((kq.name, st.name, f"Held outside Provider Desk: {st.held_outside}"))
                elif not st.evidence:
                    out.append((kq.name, st.name, f"No evidence from {self.cover.period.label}."))
                if st.weakening:
                    n = len(st.weakening)
                    verb = "weakens" if n == 1 else "weaken"
                    what = f"{n} overdue or missing item{'s' if n != 1 else ''} {verb} it."
                    out.append((kq.name, st.name, what))
        return out


def check_dates(start: dt.date, end: dt.date, today: dt.date) -> Period:
    """The period from ``start`` to ``end`` if the pack can be made for it: it starts before
    it ends and does not run past today. The form, the CLI and the pack share this check.

    Raises:
        ValidationError: the period ends before it starts, or runs past today.
    """
    if end < start:
        raise ValidationError.single(
            "period",
            f"The period ends ({format_date(end)}) before it starts ({format_date(start)}): "
            "choose a start before the end.",
        )
    if end > today:
        raise ValidationError.single(
            "period",
            f"The period runs past today ({format_date(today)}): end it today or earlier.",
        )
    return Period(start, end)


def check_period(period: Period, today: dt.date) -> None:
    """:func:`check_dates` for a period already made."""
    check_dates(period.start, period.end, today)


def _privacy(names: bool, people: dict[int, str]) -> Callable[[Attention], Attention]:
    """Attention items as the pack prints them: people and complainants by reference only."""
    import dataclasses

    def scrub(item: Attention) -> Attention:
        if names:
            return item
        if item.area == "people" and item.record_id in people:
            _who, sep, about = item.reference.partition(": ")
            return dataclasses.replace(item, reference=people[item.record_id] + sep + about)
        if item.area == "complaints":
            return dataclasses.replace(item, reference=item.reference.partition(": ")[0])
        return item

    return scrub


def _training(matrix: TrainingMatrix) -> tuple[Share, tuple[Share, ...], MatrixAppendix]:
    overall = matrix.overall()
    courses = []
    for col, course in enumerate(matrix.courses):
        c = matrix.course_compliance(col)
        if c.required:
            courses.append(Share(course.name, c.compliant, c.required))
    rows = []
    for person, cells in zip(matrix.people, matrix.cells, strict=True):
        shown = []
        for cell in cells:
            if not cell.required and cell.completed_on is None:
                shown.append(("", Level.NOT_REQUIRED))
            elif cell.status is Level.MISSING:
                shown.append(("never", Level.MISSING))
            else:
                until = cell.expires_on
                text = format_date(until) if until else "done"
                shown.append((text, cell.status if cell.required else Level.NOT_REQUIRED))
        rows.append((f"{person.first_name} {person.last_name}", person.job_role, tuple(shown)))
    appendix = MatrixAppendix(
        "Training matrix", tuple(c.name for c in matrix.courses), tuple(sorted(rows))
    )
    return (
        Share("Required training in date", overall.compliant, overall.required),
        tuple(courses),
        appendix,
    )


def _session_words(cell: SessionCell) -> str:
    """'never done', 'overdue since 3 Nov 2026', 'due 4 Jan 2027', 'complete'."""
    if cell.status is Level.MISSING:
        return cell.word
    if cell.next_due is None:
        return cell.word if cell.last_done is None else f"done {format_date(cell.last_done)}"
    if cell.status is Level.OVERDUE:
        return f"overdue since {format_date(cell.next_due)}"
    return f"due {format_date(cell.next_due)}"


def _supervision(matrix: SupervisionMatrix) -> tuple[Share, tuple[Share, ...], MatrixAppendix]:
    by_kind = {k.kind: [0, 0] for k in matrix.kinds}
    rows = []
    for row in matrix.rows:
        shown = []
        for kind, cell in zip(matrix.kinds, row.cells, strict=True):
            if cell.status is Level.NOT_REQUIRED:
                shown.append(("", Level.NOT_REQUIRED))
                continue
            if not row.on_leave:
                by_kind[kind.kind][1] += 1
                by_kind[kind.kind][0] += cell.status.compliant
            shown.append((_session_words(cell), cell.status))
        role = row.job_role + (" (on leave)" if row.on_leave else "")
        rows.append((row.name, role, tuple(shown)))
    kinds = tuple(Share(k.name, *by_kind[k.kind]) for k in matrix.kinds if by_kind[k.kind][1])
    total = Share(
        "Required supervision sessions in date",
        sum(k.done for k in kinds),
        sum(k.of for k in kinds),
    )
    appendix = MatrixAppendix(
        "Supervision, spot checks and appraisals",
        tuple(k.name for k in matrix.kinds),
        tuple(sorted(rows)),
    )
    return total, kinds, appendix


def pack_in(
    s: Session, period: Period, *, today: dt.date, names: bool = False, trends: bool = True
) -> Pack:
    """The evidence pack for ``period``, read inside the snapshot ``s``; statuses as on the
    period's end. ``trends`` False leaves the month-by-month figures out (the gaps preview).

    Raises:
        ValidationError: a period the pack cannot be made for (see :func:`check_period`).
    """
    check_period(period, today)
    as_of = period.end
    on: On = on_in(s, as_of)
    settings = on.settings
    people = list_people_in(s, as_of)
    refs = {p.id: p.reference for p in people}
    scrub = _privacy(names, refs)
    attention = [scrub(i) for area in AREAS for i in area.reader.attention(s, on)]
    readiness = readiness_from(evidence_in(s, on, period), attention, period)

    training, by_course, training_appendix = _training(training_matrix_in(s, as_of))
    supervision, by_kind, supervision_appendix = _supervision(supervision_matrix_in(s, as_of))

    staff = [r for r in list_staff_in(s) if r.status != "left"]
    recruitment = tuple(
        RecruitmentLine(
            r.full_name, r.job_role, r.start_date, r.missing_checks, r.unverified_checks
        )
        for r in sorted(staff, key=lambda r: r.sort_name.lower())
    )
    complete = sum(1 for r in staff if not r.missing_checks and not r.unverified_checks)

    complaint_rows = [c for c in list_complaints_in(s, as_of) if c.received_on in period]
    complaints = tuple(
        ComplaintLine(
            c.reference,
            c.received_on,
            c.category,
            c.severity,
            c.acknowledged_on,
            c.acknowledged_on_time,
            c.responded_on,
            c.responded_on_time,
            c.outcome,
            c.status.value,
            c.summary if names else "",
        )
        for c in sorted(complaint_rows, key=lambda c: (c.received_on, c.reference))
    )
    acked = [c for c in complaint_rows if c.acknowledged_on_time is not None]
    answered = [c for c in complaint_rows if c.responded_on_time is not None]
    compliments = tuple(
        ComplimentLine(c.received_on, c.staff, c.channel, c.what_was_said if names else "")
        for c in sorted(list_compliments_in(s), key=lambda c: c.received_on)
        if c.received_on in period
    )

    audits = tuple(
        AuditLine(
            a.audited_on,
            a.reference,
            a.template,
            a.auditor,
            a.score,
            a.failed,
            a.status,
            a.open_actions,
            a.finished_on is not None,
        )
        for a in sorted(list_audits_in(s), key=lambda a: (a.audited_on, a.reference))
        if a.audited_on in period
    )
    finished = tuple(a for a in audits if a.finished and a.score is not None)

    action_rows = list_actions_in(s, as_of)
    actions = tuple(
        ActionLine(
            a.description,
            a.source,
            a.owner,
            a.raised_on,
            a.due_on,
            a.completed_on,
            a.status.value,
        )
        for a in sorted(action_rows, key=lambda a: (a.status.level.rank, a.due_on))
        if a.status is not ActionStatus.DONE or (a.completed_on in period)
    )

    current = [p for p in people if p.plan_number is not None]
    care_plans = tuple(
        CarePlanLine(
            p.reference,
            p.name if names else "",
            f"v{p.plan_number} from {format_date(p.plan_from)}"
            if p.plan_number is not None
            else "No current plan",
            p.last_review,
            p.review_due,
            p.review_status,
            p.consent_recorded,
            p.risks_overdue,
        )
        for p in sorted(people, key=lambda p: p.reference)
    )
    months = trends_in(s, on).months if trends else ()
    headline = Headline(
        training=training,
        training_by_course=by_course,
        supervision=supervision,
        supervision_by_kind=by_kind,
        recruitment=Share("Staff files with every check in and verified", complete, len(staff)),
        care_plans=Share(
            "People with a current plan reviewed on time",
            sum(1 for p in current if p.review_status is not Level.OVERDUE),
            len(people),
        ),
        no_current_plan=len(people) - len(current),
        consent_missing=sum(1 for p in current if not p.consent_recorded),
        risk_reviews_overdue=sum(p.risks_overdue for p in people),
        complaints_received=len(complaint_rows),
        complaints_acknowledged=Share(
            "Acknowledged on time", sum(1 for c in acked if c.acknowledged_on_time), len(acked)
        ),
        complaints_answered=Share(
            "Answered on time", sum(1 for c in answered if c.responded_on_time), len(answered)
        ),
        complaints_open=sum(1 for c in complaint_rows if c.status is not ComplaintStatus.CLOSED),
        compliments=len(compliments),
        audits=finished,
        actions_open=sum(1 for a in action_rows if a.status is not ActionStatus.DONE),
        actions_overdue=sum(1 for a in action_rows if a.status is ActionStatus.OVERDUE),
        actions_done=sum(
            1 for a in action_rows if a.status is ActionStatus.DONE and a.completed_on in period
        ),
        months=months,
    )
    cover = Cover(
        provider=settings.provider_name,
        provider_id=settings.cqc_provider_id,
        location_id=settings.cqc_location_id,
        manager=settings.registered_manager,
        address=settings.address,
        period=period,
        as_of=as_of,
        prepared_on=today,
        names=names,
    )
    return Pack(
        cover=cover,
        headline=headline,
        readiness=readiness,
        categories=tuple(load_json_cached(CATEGORIES_FILE)["evidence_categories"]),
        training=training_appendix,
        supervision=supervision_appendix,
        recruitment=recruitment,
        complaints=complaints,
        compliments=compliments,
        audits=audits,
        actions=actions,
        care_plans=care_plans,
    )


def read_pack(
    db: Database, period: Period, *, today: dt.date, names: bool = False, trends: bool = True
) -> Pack:
    """:func:`pack_in` in one read transaction of its own (one snapshot)."""
    return db.read(lambda s: pack_in(s, period, today=today, names=names, trends=trends))
