"""How long each kind of record is kept, and from which event (shared/reference/regulation.md §9.3).

No period here is confirmed from the Records Management Code's own tables (§9.3 marks them
UNCONFIRMED), so every period is a setting: these are the defaults a new database starts with,
each with the source the manager sees beside it. Retention runs from the event that ends the
record's active life (care ended, the worker left, the complaint closed, the audit finished);
a record is *past retention* from the day after its retention ends, never on that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from provider_desk.rules.dates import add_months

MIN_MONTHS = 12  # a year: nothing in §9.3 suggests less, and a slip of the spin box costs records
MAX_MONTHS = 100 * 12


@dataclass(frozen=True)
class RetentionType:
    """One kind of record with its own retention period."""

    key: str  # stored in retention_setting.record_type
    label: str  # "People supported and their care records"
    event: str  # what retention runs from: "end of care"
    default_months: int
    source: str  # why this default, naming §9.3's source (shown as help text)
    covers: str  # which records go with it


PEOPLE = "people"
STAFF = "staff"
TRAINING = "training"
SUPERVISION = "supervision"
COMPLAINTS = "complaints"
COMPLIMENTS = "compliments"
AUDITS = "audits"

UNCONFIRMED = (
    "regulation.md §9.3 marks this UNCONFIRMED: check the Records Management Code (Appendix II) "
    "or the Digital Care Hub's abbreviated code for adult social care and set your policy's "
    "period here."
)

TYPES: tuple[RetentionType, ...] = (
    RetentionType(
        PEOPLE,
        "People supported and their care records",
        "end of care",
        8 * 12,
        "Default 8 years after care ends: council adult social care case records are kept "
        "6 years after the end of service (Limitation Act) or 8 years after the end of care "
        "(regulation.md §9.3, Bracknell Forest and Blackpool schedules); the longer is used. "
        + UNCONFIRMED,
        "the person, their care plans (every version), reviews, risk assessments and goals, "
        "and the actions raised at their reviews",
    ),
    RetentionType(
        STAFF,
        "Staff records after leaving",
        "leaving date",
        6 * 12,
        "Default 6 years after leaving: HR practice for most ex-employee records "
        "(regulation.md §9.3, GDPR Advisors UK); the old CQC prompt 21A said 3 years. "
        "A leaver's register entry goes only when their training and supervision records "
        "may go too, since it holds them. " + UNCONFIRMED,
        "the register entry and recruitment checks with their documents",
    ),
    RetentionType(
        TRAINING,
        "Training records of leavers",
        "leaving date",
        6 * 12,
        "Default 6 years after leaving, as staff records (regulation.md §9.3, HR practice). "
        + UNCONFIRMED,
        "training records with their certificates, and Care Certificate standards",
    ),
    RetentionType(
        SUPERVISION,
        "Supervision records of leavers",
        "leaving date",
        6 * 12,
        "Default 6 years after leaving, as staff records (regulation.md §9.3, HR practice). "
        + UNCONFIRMED,
        "supervision, spot checks, appraisals, probation reviews and competency assessments of "
        "the worker, and the actions agreed at them",
    ),
    RetentionType(
        COMPLAINTS,
        "Complaints",
        "complaint closed",
        6 * 12,
        "Default 6 years after closing: good practice is 3 years for complaint records, "
        "'consider 6 years' (regulation.md §9.3, Manchester provider handbook); 6 matches the "
        "Limitation Act. " + UNCONFIRMED,
        "the complaint, its timeline and the actions raised from it",
    ),
    RetentionType(
        COMPLIMENTS,
        "Compliments",
        "date received",
        3 * 12,
        "Default 3 years after receipt: §9.3 names no period for compliments; this follows "
        "the 3-year good practice for complaint and case records (regulation.md §9.3). "
        + UNCONFIRMED,
        "the compliment",
    ),
    RetentionType(
        AUDITS,
        "Audits",
        "audit finished",
        3 * 12,
        "Default 3 years after the audit was finished: the old CQC prompt 21A kept policies and "
        "health and safety records 3 years (regulation.md §9.3, Croner-i, historic). "
        + UNCONFIRMED,
        "the audit with every revision, its answers and files, and the actions raised from it",
    ),
)

BY_KEY: dict[str, RetentionType] = {t.key: t for t in TYPES}

CHANGE_LOG_NOTE = (
    "The change log is kept for the life of the database and is never purged here: it is the "
    "record of who changed what (each purge is written to it), and its hash chain shows that "
    "nothing was removed from it. Rows deleted by a purge stay in it as 'delete' entries."
)


def kept_until(event_on: dt.date, months: int) -> dt.date:
    """The last day a record is kept: ``months`` after the event, clamped to the month's end
    (care ended 29 Feb 2024, kept 12 months: until 28 Feb 2025)."""
    return add_months(event_on, months)


def is_past_retention(event_on: dt.date | None, months: int, today: dt.date) -> bool:
    """True when the record may be destroyed on ``today``: from the day after it is kept until.
    No event yet (still in care, still employed, complaint open) is never past retention."""
    return event_on is not None and today > kept_until(event_on, months)


def months_text(months: int) -> str:
    """'8 years', '1 year 6 months', '18 months' reads worse than '1 year 6 months'."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest or not years:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


def span_text(start: dt.date, end: dt.date) -> str:
    """How long from ``start`` to ``end`` in words: '2 years 3 months', '5 months', '12 days'."""
    if end <= start:
        return "0 days"
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    if months <= 0:
        days = (end - start).days
        return f"{days} day{'s' if days != 1 else ''}"
    return months_text(months)
