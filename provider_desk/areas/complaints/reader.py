"""Complaints as the dashboard and the evidence pack read them: complaints awaiting an
acknowledgement or a response, and complaints and compliments received in a period."""

from __future__ import annotations

from sqlalchemy.orm import Session

from provider_desk.areas.complaints.queries import list_complaints_in, list_compliments_in
from provider_desk.areas.complaints.rules import ComplaintStatus
from provider_desk.reading import Attention, Evidence, On, Period, gather
from provider_desk.resources import evidence_link
from provider_desk.rules.dates import format_date

KEY = "complaints"

_WAITING = {
    ComplaintStatus.AWAITING_ACK: "to be acknowledged by",
    ComplaintStatus.ACK_OVERDUE: "acknowledgement was due",
    ComplaintStatus.INVESTIGATING: "response due by",
    ComplaintStatus.RESPONSE_OVERDUE: "response was due",
}


class ComplaintsReader:
    """Open complaints by their next deadline; complaints and compliments as evidence."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        statements = evidence_link(KEY).statements
        items = []
        for c in list_complaints_in(s, on.today):
            if c.status not in _WAITING:
                continue
            acknowledging = c.status in (ComplaintStatus.AWAITING_ACK, ComplaintStatus.ACK_OVERDUE)
            due = (
                c.acknowledgement_due
                if acknowledging
                else (c.response_due_extended_to or c.response_due)
            )
            items.append(
                Attention(
                    area=KEY,
                    reference=f"{c.reference}: {c.complainant_name}",
                    level=c.status.level,
                    due_on=due,
                    responsible=c.investigator,
                    sentence=f"{c.reference} ({c.category or 'complaint'}): "
                    f"{_WAITING[c.status]} {format_date(due)}.",
                    record_id=c.id,
                    statements=statements,
                )
            )
        return items

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        rows = list_complaints_in(s, on.today)
        complaints = [(c.received_on, c.reference) for c in rows]
        responded = [(c.responded_on, c.reference) for c in rows if c.responded_on is not None]
        # Named by the member of staff praised, never by who wrote (a relative, a person we
        # support): the evidence pack shows these references by default.
        compliments = [
            (c.received_on, f"for {c.staff}" if c.staff else "for the service")
            for c in list_compliments_in(s)
        ]
        return gather(
            KEY,
            KEY,
            [
                ("Complaints received", evidence_link(KEY), complaints),
                ("Complaints answered", evidence_link(KEY), responded),
            ],
            period,
        ) + gather(
            KEY,
            "compliments",
            [("Compliments received", evidence_link("compliments"), compliments)],
            period,
        )
