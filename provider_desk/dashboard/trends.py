"""The home page's trends: month by month, how much required training and supervision was in date
at each month's end, complaints received, and audit scores, all worked out from the records as
they stood on each day (dates in the records, never the clock)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.audits.queries import list_audits_in
from provider_desk.areas.complaints.models import Complaint
from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.rules import StaffStatus
from provider_desk.areas.supervision.models import SupervisionRecord
from provider_desk.areas.supervision.queries import list_kinds_in
from provider_desk.areas.supervision.rules import session_due
from provider_desk.areas.training.models import TrainingRecord
from provider_desk.areas.training.queries import list_courses_in
from provider_desk.areas.training.rules import derived_expiry
from provider_desk.reading import On
from provider_desk.rules.dates import add_months
from provider_desk.rules.due import Level


@dataclass(frozen=True)
class MonthPoint:
    """One month of the trend."""

    month: dt.date  # its first day
    as_of: dt.date  # its last day, or today for the month we are in
    training_percent: float | None  # required training in date on ``as_of`` (None: none required)
    supervision_percent: float | None  # required sessions in date on ``as_of``
    complaints_received: int  # complaints received in the month (up to ``as_of``)


@dataclass(frozen=True)
class AuditScore:
    """One finished audit's score."""

    audited_on: dt.date
    template: str
    reference: str
    score: float


@dataclass(frozen=True)
class Trends:
    """The months oldest first, and the audit scores in the same span, oldest first."""

    months: tuple[MonthPoint, ...]
    audit_scores: tuple[AuditScore, ...]

    def audit_score_months(self) -> list[tuple[dt.date, float | None]]:
        """Per month (first day, oldest first): the mean score of the audits done in it, every
        template alike (None: no audit finished that month)."""
        scores: dict[dt.date, list[float]] = defaultdict(list)
        for a in self.audit_scores:
            scores[a.audited_on.replace(day=1)].append(a.score)
        return [
            (m.month, sum(scores[m.month]) / len(scores[m.month]) if scores[m.month] else None)
            for m in self.months
        ]


def month_ends(today: dt.date, months: int = 12) -> list[tuple[dt.date, dt.date]]:
    """(first day, as-of day) of the ``months`` months up to and including today's, oldest first;
    the month we are in is taken as of ``today``."""
    this_month = today.replace(day=1)
    out = []
    for back in range(months - 1, -1, -1):
        first = add_months(this_month, -back)
        last = add_months(first, 1) - dt.timedelta(days=1)
        out.append((first, min(last, today)))
    return out


@dataclass(frozen=True)
class _Worker:
    id: int
    job_role_id: int
    start_date: dt.date
    leaving_date: dt.date | None
    on_leave: bool

    def in_post(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.leaving_date is None or self.leaving_date >= day)


def _workers(s: Session) -> list[_Worker]:
    rows = s.execute(
        select(
            StaffMember.id,
            StaffMember.job_role_id,
            StaffMember.start_date,
            StaffMember.leaving_date,
            StaffMember.status,
            StaffMember.archived_at,
        )
    )
    # Leavers are archived with their leaving date and count until then; anyone archived without
    # one was removed from the register (added by mistake) and never counts.
    return [
        _Worker(i, role, start, left, status == StaffStatus.ON_LEAVE.value)
        for i, role, start, left, status, archived in rows
        if archived is None or left is not None
    ]


def _percent(compliant: int, required: int) -> float | None:
    return None if required == 0 else 100.0 * compliant / required


def training_compliance(
    s: Session, on: On, days: list[dt.date], workers: list[_Worker] | None = None
) -> list[float | None]:
    """Per day: the share of required (person, course) pairs in date, for the people in post
    that day, by the training matrix's rule (due soon counts as in date; courses a role requires
    now, as the course catalogue does not keep its history)."""
    workers = _workers(s) if workers is None else workers
    required: dict[int, list[int]] = defaultdict(list)  # job role -> courses it requires
    months: dict[int, int | None] = {}
    for c in list_courses_in(s):
        months[c.id] = c.refresher_months
        for role in c.required_role_ids:
            required[role].append(c.id)
    dates: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    expiries: dict[tuple[int, int], list[dt.date | None]] = defaultdict(list)
    for staff_id, course_id, completed, expires in s.execute(
        select(
            TrainingRecord.staff_id,
            TrainingRecord.course_id,
            TrainingRecord.completed_on,
            TrainingRecord.expires_on,
        )
        .where(TrainingRecord.archived_at.is_(None))
        .order_by(TrainingRecord.completed_on)
    ):
        if course_id in months:
            dates[(staff_id, course_id)].append(completed)
            expiries[(staff_id, course_id)].append(
                expires or derived_expiry(completed, months[course_id])
            )
    out = []
    for day in days:
        needed = compliant = 0
        for w in workers:
            if not w.in_post(day):
                continue
            for course_id in required.get(w.job_role_id, ()):
                needed += 1
                key = (w.id, course_id)
                n = bisect_right(dates.get(key, ()), day)
                # training_status on the latest completion by then: a completion that does not
                # expire, or expires on or after the day, is in date or due soon (compliant);
                # one that expired before it is not. Inlined: this runs for every cell of every
                # month.
                if n and ((expires := expiries[key][n - 1]) is None or expires >= day):
                    compliant += 1
        out.append(_percent(compliant, needed))
    return out


def supervision_compliance(
    s: Session, on: On, days: list[dt.date], workers: list[_Worker] | None = None
) -> list[float | None]:
    """Per day: the share of required sessions (worker x kind) in date, by the supervision
    matrix's rule, for the workers in post that day; people on leave now are left out, as on the
    supervision page (leave is not kept as history)."""
    workers = _workers(s) if workers is None else workers
    kinds = list_kinds_in(s)
    held: dict[tuple[int, str], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for staff_id, kind, when, override in s.execute(
        select(
            SupervisionRecord.staff_id,
            SupervisionRecord.kind,
            SupervisionRecord.held_on,
            SupervisionRecord.next_due,
        )
        .where(SupervisionRecord.archived_at.is_(None))
        .order_by(SupervisionRecord.held_on)
    ):
        held[(staff_id, kind)].append((when, override))
    dates = {k: [d for d, _ in v] for k, v in held.items()}
    window = on.settings.supervision_due_soon_days
    out = []
    for day in days:
        required = compliant = 0
        for w in workers:
            if w.on_leave or not w.in_post(day):
                continue
            for k in kinds:
                needed, months = k.interval_for(w.job_role_id)
                if not needed:
                    continue
                key = (w.id, k.kind)
                n = bisect_right(dates.get(key, []), day)
                level = session_due(
                    required=True,
                    start_date=w.start_date,
                    held=dates.get(key, [])[:n],
                    interval_months=months,
                    milestones_months=k.milestones_months,
                    override=held[key][n - 1][1] if n else None,
                    today=day,
                    window_days=window,
                ).level
                if level is Level.NOT_REQUIRED:
                    continue
                required += 1
                compliant += level.compliant
        out.append(_percent(compliant, required))
    return out


def trends_in(s: Session, on: On, months: int = 12) -> Trends:
    """The last ``months`` months up to ``on.today``, read inside the snapshot ``s``."""
    spans = month_ends(on.today, months)
    days = [as_of for _, as_of in spans]
    start = spans[0][0]
    workers = _workers(s)
    training = training_compliance(s, on, days, workers)
    supervision = supervision_compliance(s, on, days, workers)
    received: dict[dt.date, int] = defaultdict(int)
    for (day,) in s.execute(
        select(Complaint.received_on).where(
            Complaint.archived_at.is_(None),
            Complaint.received_on >= start,
            Complaint.received_on <= on.today,
        )
    ):
        received[day.replace(day=1)] += 1
    scores = tuple(
        AuditScore(a.audited_on, a.template, a.reference, a.score)
        for a in list_audits_in(s)
        if a.finished_on is not None and a.score is not None and start <= a.audited_on <= on.today
    )
    return Trends(
        tuple(
            MonthPoint(first, as_of, t, sv, received.get(first, 0))
            for (first, as_of), t, sv in zip(spans, training, supervision, strict=True)
        ),
        scores,
    )
