"""Complaints with their deadlines and status for a given day, timelines, compliments, and the
Regulation 16(3) summary figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from provider_desk.areas.complaints.models import (
    Complaint,
    ComplaintEvent,
    Compliment,
    LetterTemplate,
)
from provider_desk.areas.complaints.rules import ComplaintStatus, add_working_days, complaint_status
from provider_desk.areas.staff.models import StaffMember
from provider_desk.db.session import Database, once_per_snapshot
from provider_desk.settings.queries import get_settings_in


@dataclass(frozen=True)
class ComplaintRow:
    """A complaint with its computed deadlines and status."""

    id: int
    reference: str
    received_on: dt.date
    channel: str
    complainant_name: str
    complainant_relation: str
    complainant_address: str
    person_concerned: str
    funding: str
    staff_concerned_id: int | None
    staff_concerned: str
    category: str
    summary: str
    severity: str
    safeguarding: bool
    duty_of_candour: bool
    investigator_id: int | None
    investigator: str
    findings: str
    outcome: str
    apology_given: bool
    acknowledged_on: dt.date | None
    acknowledgement_due: dt.date
    response_due: dt.date
    response_due_extended_to: dt.date | None
    extension_reason: str
    responded_on: dt.date | None
    complainant_satisfied: str
    ombudsman_referred_on: dt.date | None
    council_referred_on: dt.date | None
    lessons_learned: str
    closed_on: dt.date | None
    status: ComplaintStatus
    version: int

    @property
    def acknowledged_on_time(self) -> bool | None:
        """None until acknowledged."""
        return (
            None
            if self.acknowledged_on is None
            else self.acknowledged_on <= self.acknowledgement_due
        )

    @property
    def responded_on_time(self) -> bool | None:
        """None until responded (an agreed extension counts as the deadline)."""
        return None if self.responded_on is None else self.responded_on <= self.response_due


def list_complaints_in(s: Session, today: dt.date) -> list[ComplaintRow]:
    """As :func:`list_complaints`, reading inside the session ``s`` (once per read snapshot)."""
    return once_per_snapshot(s, ("complaints", today), lambda: _read_complaints(s, today))


def _read_complaints(s: Session, today: dt.date) -> list[ComplaintRow]:
    settings = get_settings_in(s)
    staff, investigator = aliased(StaffMember), aliased(StaffMember)
    stmt = (
        select(
            Complaint,
            staff.first_name,
            staff.last_name,
            investigator.first_name,
            investigator.last_name,
        )
        .outerjoin(staff, staff.id == Complaint.staff_concerned_id)
        .outerjoin(investigator, investigator.id == Complaint.investigator_id)
        .where(Complaint.archived_at.is_(None))
        .order_by(Complaint.received_on.desc(), Complaint.id.desc())
    )
    rows = []
    for c, sf, sl, inf, inl in s.execute(stmt):
        ack_due = add_working_days(c.received_on, settings.complaint_ack_working_days)
        response_due = c.response_due_extended_to or add_working_days(
            c.received_on, settings.complaint_response_working_days
        )
        rows.append(
            ComplaintRow(
                c.id,
                c.reference,
                c.received_on,
                c.channel,
                c.complainant_name,
                c.complainant_relation,
                c.complainant_address,
                c.person_concerned,
                c.funding,
                c.staff_concerned_id,
                f"{sf} {sl}" if sf else "",
                c.category,
                c.summary,
                c.severity,
                c.safeguarding,
                c.duty_of_candour,
                c.investigator_id,
                f"{inf} {inl}" if inf else "",
                c.findings,
                c.outcome,
                c.apology_given,
                c.acknowledged_on,
                ack_due,
                response_due,
                c.response_due_extended_to,
                c.extension_reason,
                c.responded_on,
                c.complainant_satisfied,
                c.ombudsman_referred_on,
                c.council_referred_on,
                c.lessons_learned,
                c.closed_on,
                complaint_status(
                    today=today,
                    ack_due=ack_due,
                    response_due=response_due,
                    acknowledged_on=c.acknowledged_on,
                    responded_on=c.responded_on,
                    closed_on=c.closed_on,
                ),
                c.version,
            )
        )
    return rows


def list_complaints(db: Database, today: dt.date) -> list[ComplaintRow]:
    """Every complaint not removed, newest first."""
    with db.reading() as s:
        return list_complaints_in(s, today)


@dataclass(frozen=True)
class EventRow:
    """A step in a complaint's timeline."""

    happened_on: dt.date
    what: str
    who: str


def complaint_timeline_in(s: Session, complaint_id: int) -> list[EventRow]:
    """As :func:`complaint_timeline`, reading inside the session ``s``."""
    return [
        EventRow(e.happened_on, e.what, e.who)
        for e in s.scalars(
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id == complaint_id)
            .order_by(ComplaintEvent.happened_on, ComplaintEvent.id)
        )
    ]


def complaint_timeline(db: Database, complaint_id: int) -> list[EventRow]:
    """A complaint's steps, oldest first."""
    with db.reading() as s:
        return complaint_timeline_in(s, complaint_id)


def letter_templates_in(s: Session) -> dict[str, str]:
    """As :func:`letter_templates`, reading inside the session ``s``."""
    return {t.kind: t.body for t in s.scalars(select(LetterTemplate))}


def letter_template_versions_in(s: Session) -> dict[str, int]:
    """Letter kind -> the version of its wording (what a save passes as ``expected_version``)."""
    return {t.kind: t.version for t in s.scalars(select(LetterTemplate))}


def letter_templates(db: Database) -> dict[str, str]:
    """Letter kind -> its current wording."""
    with db.reading() as s:
        return letter_templates_in(s)


@dataclass(frozen=True)
class ComplimentRow:
    """A compliment."""

    id: int
    received_on: dt.date
    from_name: str
    about_person: str
    staff_id: int | None
    staff: str
    what_was_said: str
    channel: str
    version: int = 0  # what a save passes as expected_version


def list_compliments_in(s: Session, *, staff_id: int | None = None) -> list[ComplimentRow]:
    """As :func:`list_compliments`, reading inside the session ``s``."""
    stmt = (
        select(Compliment, StaffMember.first_name, StaffMember.last_name)
        .outerjoin(StaffMember, StaffMember.id == Compliment.staff_id)
        .where(Compliment.archived_at.is_(None))
        .order_by(Compliment.received_on.desc(), Compliment.id.desc())
    )
    if staff_id is not None:
        stmt = stmt.where(Compliment.staff_id == staff_id)
    return [
        ComplimentRow(
            c.id,
            c.received_on,
            c.from_name,
            c.about_person,
            c.staff_id,
            f"{f} {la}" if f else "",
            c.what_was_said,
            c.channel,
            c.version,
        )
        for c, f, la in s.execute(stmt)
    ]


def list_compliments(db: Database, *, staff_id: int | None = None) -> list[ComplimentRow]:
    """Compliments, newest first (one worker's when ``staff_id`` is given)."""
    with db.reading() as s:
        return list_compliments_in(s, staff_id=staff_id)


@dataclass(frozen=True)
class ComplaintsSummary:
    """The figures of the Regulation 16(3) summary for a period."""

    start: dt.date
    end: dt.date
    complaints: tuple[ComplaintRow, ...]
    received: int
    upheld_percent: float | None
    acknowledged_on_time_percent: float | None
    responded_on_time_percent: float | None
    by_category: dict[str, int]
    by_outcome: dict[str, int]
    still_open: int
    compliments: int
    # Regulation 16(3) asks for the responses made and further correspondence too, not only the
    # complaints: each complaint's timeline (acknowledgement, response, referrals, every letter
    # or call logged as a step), by complaint reference, oldest first.
    correspondence: Mapping[str, tuple[EventRow, ...]] = field(default_factory=dict)


def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def complaints_summary_in(
    s: Session, start: dt.date, end: dt.date, today: dt.date
) -> ComplaintsSummary:
    """As :func:`complaints_summary`, reading inside the session ``s``."""
    rows = tuple(r for r in list_complaints_in(s, today) if start <= r.received_on <= end)
    decided = [r for r in rows if r.outcome and r.outcome != "withdrawn"]
    acked = [r for r in rows if r.acknowledged_on is not None]
    responded = [r for r in rows if r.responded_on is not None]
    compliments = sum(1 for c in list_compliments_in(s) if start <= c.received_on <= end)
    references = {r.id: r.reference for r in rows}
    correspondence: dict[str, list[EventRow]] = {r.reference: [] for r in rows}
    for e in s.scalars(
        select(ComplaintEvent)
        .where(ComplaintEvent.complaint_id.in_(references))
        .order_by(ComplaintEvent.happened_on, ComplaintEvent.id)
    ):
        correspondence[references[e.complaint_id]].append(EventRow(e.happened_on, e.what, e.who))
    return ComplaintsSummary(
        start,
        end,
        tuple(sorted(rows, key=lambda r: r.received_on)),
        len(rows),
        _percent(sum(r.outcome in ("upheld", "partly upheld") for r in decided), len(decided)),
        _percent(sum(bool(r.acknowledged_on_time) for r in acked), len(acked)),
        _percent(sum(bool(r.responded_on_time) for r in responded), len(responded)),
        dict(Counter(r.category for r in rows).most_common()),
        dict(Counter(r.outcome or "not decided yet" for r in rows).most_common()),
        sum(1 for r in rows if r.status != ComplaintStatus.CLOSED),
        compliments,
        {ref: tuple(events) for ref, events in correspondence.items()},
    )


def complaints_summary(
    db: Database, start: dt.date, end: dt.date, today: dt.date
) -> ComplaintsSummary:
    """Complaints received between ``start`` and ``end`` (inclusive) and how they were handled.

    Upheld % counts upheld and partly upheld among those with an outcome.
    """
    with db.reading() as s:
        return complaints_summary_in(s, start, end, today)
