"""Complaint deadlines in working days (weekends and England & Wales bank holidays skipped), and
a complaint's status on a given day. Computed, never stored."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from provider_desk.areas.complaints.bank_holidays import bank_holidays as _bank_holidays
from provider_desk.rules.due import Level


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of receipt does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


class ComplaintStatus(StrEnum):
    """Where a complaint stands."""

    AWAITING_ACK = "awaiting acknowledgement"
    ACK_OVERDUE = "acknowledgement overdue"
    INVESTIGATING = "investigating"
    RESPONSE_OVERDUE = "response overdue"
    RESPONDED = "responded"
    CLOSED = "closed"

    @property
    def level(self) -> Level:
        """Awaiting a reply within its deadline is due soon (the deadlines are days, well inside
        any due-soon window); past it, overdue; responded is in date; closed needs nothing."""
        return _COMPLAINT_LEVEL[self]


_COMPLAINT_LEVEL = {
    ComplaintStatus.AWAITING_ACK: Level.DUE_SOON,
    ComplaintStatus.ACK_OVERDUE: Level.OVERDUE,
    ComplaintStatus.INVESTIGATING: Level.DUE_SOON,
    ComplaintStatus.RESPONSE_OVERDUE: Level.OVERDUE,
    ComplaintStatus.RESPONDED: Level.IN_DATE,
    ComplaintStatus.CLOSED: Level.NOT_REQUIRED,
}


def complaint_status(
    *,
    today: dt.date,
    ack_due: dt.date,
    response_due: dt.date,
    acknowledged_on: dt.date | None,
    responded_on: dt.date | None,
    closed_on: dt.date | None,
) -> ComplaintStatus:
    """The status from the dates recorded."""
    if closed_on is not None:
        return ComplaintStatus.CLOSED
    if responded_on is not None:
        return ComplaintStatus.RESPONDED
    if acknowledged_on is None:
        return ComplaintStatus.ACK_OVERDUE if today > ack_due else ComplaintStatus.AWAITING_ACK
    return (
        ComplaintStatus.RESPONSE_OVERDUE if today > response_due else ComplaintStatus.INVESTIGATING
    )


# Where a complainant goes when our final response does not settle it depends on who funds the
# care (regulation.md §5.3): self-funded or direct payments -> the Local Government and Social
# Care Ombudsman; council-arranged -> the council's complaints process, then the LGSCO;
# NHS-funded (e.g. continuing healthcare) -> the NHS complaints route, then the Parliamentary and
# Health Service Ombudsman (Health Service Commissioners Act 1993 s.2B). Mixed or not recorded:
# both are named, for the manager to choose.
LGSCO = (
    "If you are not satisfied with our final response, you can ask the Local Government and "
    "Social Care Ombudsman to look at your complaint. The Ombudsman is free and independent. You "
    "can contact them on 0300 061 0614 or at www.lgo.org.uk. They will usually expect you to have "
    "given us the chance to respond first."
)
COUNCIL = (
    "Your care is arranged by the council, so you can also take your complaint to the council "
    "through its own complaints procedure. If you are still not satisfied, you can then ask the "
    "Local Government and Social Care Ombudsman to look at your complaint. The Ombudsman is free "
    "and independent. You can contact them on 0300 061 0614 or at www.lgo.org.uk."
)
NHS = (
    "Your care is funded by the NHS, so your complaint follows the NHS complaints procedure: you "
    "can also complain to the NHS body that arranges your care. If you are not satisfied with the "
    "final response, you can ask the Parliamentary and Health Service Ombudsman to look at your "
    "complaint. The Ombudsman is free and independent."
)
NHS_FUNDING = frozenset({"NHS continuing healthcare"})
COUNCIL_FUNDING = frozenset({"local authority"})
SELF_FUNDING = frozenset({"self-funded", "direct payment"})


def escalation_bodies(funding: str) -> tuple[str, ...]:
    """Who the complainant can go to next, for care funded this way (``""``: not recorded)."""
    if funding in NHS_FUNDING:
        return ("Parliamentary and Health Service Ombudsman",)
    if funding in COUNCIL_FUNDING | SELF_FUNDING:
        return ("Local Government and Social Care Ombudsman",)
    return (
        "Local Government and Social Care Ombudsman",
        "Parliamentary and Health Service Ombudsman",
    )


def escalation_text(funding: str) -> str:
    """The letter's paragraph(s) on where to go next, for care funded this way."""
    if funding in NHS_FUNDING:
        return NHS
    if funding in COUNCIL_FUNDING:
        return COUNCIL
    if funding in SELF_FUNDING:
        return LGSCO
    return (
        "If your care is paid for by you or arranged by the council: "
        + LGSCO[0].lower()
        + LGSCO[1:]
        + "\n\nIf your care is funded by the NHS (for example NHS continuing healthcare): "
        + NHS[NHS.index("your complaint") :]
    )
