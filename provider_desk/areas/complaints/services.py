"""Complaints and compliments: log, progress with a dated timeline, letters' templates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.services import (
    ActionInput,
    AgreedAction,
    raise_action_in,
    validate_action,
)
from provider_desk.areas.complaints.models import (
    Complaint,
    ComplaintEvent,
    Compliment,
    LetterTemplate,
)
from provider_desk.areas.staff.models import StaffMember
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import ACTIONS, COMPLAINTS, Changes
from provider_desk.db.references import next_free, note_used
from provider_desk.db.session import Database
from provider_desk.db.versions import check_version
from provider_desk.errors import Problem, ValidationError
from provider_desk.models.base import utcnow
from provider_desk.resources import funding_types
from provider_desk.rules import validators as v
from provider_desk.rules.dates import format_date

CHANNELS = ("phone", "letter", "email", "in person", "via council", "via CQC", "other")
CATEGORIES = (
    "care quality",
    "missed or late visit",
    "staff conduct",
    "communication",
    "medication",
    "charges and invoices",
    "other",
)
SEVERITIES = ("low", "medium", "high")
OUTCOMES = ("upheld", "partly upheld", "not upheld", "withdrawn")
SATISFIED = ("yes", "no", "not known")


@dataclass(frozen=True)
class ComplaintInput:
    """A complaint as entered and updated over its life."""

    received_on: dt.date | None
    complainant_name: str
    summary: str
    channel: str = "phone"
    complainant_relation: str = ""
    complainant_address: str = ""
    person_concerned: str = ""
    funding: str = ""  # who funds the care: decides the Ombudsman named in the letters
    staff_concerned_id: int | None = None
    category: str = "care quality"
    severity: str = "low"
    safeguarding: bool = False
    duty_of_candour: bool = False
    investigator_id: int | None = None
    findings: str = ""
    outcome: str = ""
    apology_given: bool = False
    acknowledged_on: dt.date | None = None
    response_due_extended_to: dt.date | None = None
    extension_reason: str = ""
    responded_on: dt.date | None = None
    complainant_satisfied: str = ""
    ombudsman_referred_on: dt.date | None = None
    council_referred_on: dt.date | None = None
    lessons_learned: str = ""
    closed_on: dt.date | None = None
    actions: tuple[AgreedAction, ...] = field(default_factory=tuple)
    new_step: str = ""  # a free-text step for the timeline, dated today
    reference: str = ""  # a new complaint's own (from an older log); blank: one is generated


def validate_complaint(s: Session, data: ComplaintInput, today: dt.date) -> list[Problem]:
    """Every problem with a complaint, field by field."""
    p: list[Problem | None] = [
        v.required("complainant_name", data.complainant_name, "Who complained"),
        v.required("summary", data.summary, "What the complaint is about"),
        v.not_in_future("received_on", data.received_on, today, "The date received"),
    ]
    for name, label, most in (
        ("reference", "Reference", REFERENCE_MAX),
        ("complainant_name", "Who complained", v.SHORT_TEXT_MAX),
        ("complainant_relation", "Relationship", v.NAME_MAX),
        ("person_concerned", "Person concerned", v.SHORT_TEXT_MAX),
    ):
        p.append(v.text(name, getattr(data, name), label, max_len=most))
    for name, label in (
        ("summary", "What the complaint is about"),
        ("complainant_address", "Address"),
        ("findings", "Findings"),
        ("extension_reason", "Reason for the extension"),
        ("lessons_learned", "Lessons learned"),
        ("new_step", "The step"),
    ):
        p.append(v.text(name, getattr(data, name), label, max_len=v.LONG_TEXT_MAX, multiline=True))
    if data.received_on is None:
        p.append(Problem("received_on", "Enter the date the complaint was received."))
    for name, choices in (
        ("channel", CHANNELS),
        ("category", CATEGORIES),
        ("severity", SEVERITIES),
    ):
        if getattr(data, name) not in choices:
            p.append(Problem(name, f"Choose one of: {', '.join(choices)}."))
    if data.funding and data.funding not in funding_types():
        p.append(
            Problem(
                "funding",
                f"Funding is one of: {', '.join(funding_types())} (or leave it blank).",
            )
        )
    if data.outcome and data.outcome not in OUTCOMES:
        p.append(Problem("outcome", f"Outcome is one of: {', '.join(OUTCOMES)}."))
    if data.complainant_satisfied and data.complainant_satisfied not in SATISFIED:
        p.append(Problem("complainant_satisfied", "Choose yes, no or not known."))
    for name, label in (
        ("acknowledged_on", "Acknowledged"),
        ("responded_on", "Responded"),
        ("closed_on", "Closed"),
        ("ombudsman_referred_on", "Ombudsman referral"),
        ("council_referred_on", "Council referral"),
    ):
        p.append(v.not_in_future(name, getattr(data, name), today, f"{label} date"))
        p.append(
            v.not_before(
                name, getattr(data, name), data.received_on, f"{label} date", "the date received"
            )
        )
    p.append(
        v.not_before(
            "responded_on",
            data.responded_on,
            data.acknowledged_on,
            "The response",
            "the acknowledgement",
        )
    )
    if data.responded_on and not data.acknowledged_on:
        p.append(Problem("acknowledged_on", "Record when it was acknowledged before the response."))
    p.append(
        v.not_before("closed_on", data.closed_on, data.responded_on, "Closing", "the response")
    )
    if data.closed_on and not data.outcome:
        p.append(Problem("outcome", "Record the outcome before closing the complaint."))
    if data.response_due_extended_to is not None:
        p.append(
            v.not_before(
                "response_due_extended_to",
                data.response_due_extended_to,
                data.received_on,
                "The new response date",
                "the date received",
            )
        )
        if not data.extension_reason.strip():
            p.append(
                Problem(
                    "extension_reason",
                    "Say why the response needs longer (and that the complainant agreed).",
                )
            )
    for sid, name in (
        (data.staff_concerned_id, "staff_concerned_id"),
        (data.investigator_id, "investigator_id"),
    ):
        if sid is not None and s.get(StaffMember, sid) is None:
            p.append(Problem(name, "That person is not on the staff register."))
    for i, a in enumerate(data.actions, start=1):
        for problem in validate_action(
            s, ActionInput(a.description, a.owner_id, a.due_on, raised_on=data.received_on), today
        ):
            p.append(Problem("actions", f"Action {i}: {problem.message}"))
    return [x for x in p if x is not None]


_STEPS = (
    ("acknowledged_on", "Acknowledged"),
    ("response_due_extended_to", "Response date extended to {value}"),
    ("responded_on", "Full response sent"),
    ("ombudsman_referred_on", "Referred to the Ombudsman"),
    ("council_referred_on", "Referred to the council"),
    ("closed_on", "Closed"),
)
_COPIED = [
    f.name for f in fields(ComplaintInput) if f.name not in ("actions", "new_step", "reference")
]
REFERENCE_MAX = 20
"""The width of a complaint's reference."""


_GENERATED = re.compile(r"^CMP-(\d{4})-(\d+)$")


def _next_reference(s: Session, received: dt.date) -> str:
    """CMP-2026-001 onwards, one series a year, from the counter every PC shares."""
    return next_free(
        s,
        f"complaint-{received.year}",
        lambda n: f"CMP-{received.year}-{n:03d}",
        lambda ref: _reference_used(s, ref),
    )


def _reference_used(s: Session, reference: str) -> bool:
    return s.scalar(select(Complaint.id).where(Complaint.reference == reference)) is not None


@requires(Permission.EDIT_RECORDS, "log or change complaints")
def save_complaint_in(
    s: Session,
    data: ComplaintInput,
    *,
    today: dt.date,
    who: str,
    complaint_id: int | None = None,
    expected_version: int | None,
) -> Complaint:
    """Add or update a complaint inside an open session; dated steps go on its timeline."""
    v.raise_if(list(validate_complaint(s, data, today)))
    if complaint_id is None:
        assert data.received_on is not None
        reference = data.reference.strip()
        if reference and _reference_used(s, reference):
            raise ValidationError.single(
                "reference", f"Reference {reference} is already used by another complaint."
            )
        if (match := _GENERATED.match(reference)) is not None:
            note_used(s, f"complaint-{match.group(1)}", int(match.group(2)))
        complaint = Complaint(reference=reference or _next_reference(s, data.received_on))
        s.add(complaint)
        before: dict[str, object] = {}
    else:
        found = s.get(Complaint, complaint_id)
        if found is None:
            raise ValidationError.single("id", "That complaint no longer exists.")
        check_version(found, expected_version)
        complaint = found
        before = {name: getattr(complaint, name) for name, _ in _STEPS}
    for name in _COPIED:
        value = getattr(data, name)
        setattr(complaint, name, value.strip() if isinstance(value, str) else value)
    s.flush()
    if complaint_id is None:
        s.add(
            ComplaintEvent(
                complaint_id=complaint.id,
                happened_on=complaint.received_on,
                what=f"Received ({complaint.channel})",
                who=who,
            )
        )
    for name, text in _STEPS:
        value = getattr(complaint, name)
        if value is not None and value != before.get(name):
            when = value if name != "response_due_extended_to" else today
            what = text.format(value=format_date(value)) if "{value}" in text else text
            if name == "response_due_extended_to" and complaint.extension_reason:
                what += f": {complaint.extension_reason}"
            s.add(ComplaintEvent(complaint_id=complaint.id, happened_on=when, what=what, who=who))
    if data.new_step.strip():
        s.add(
            ComplaintEvent(
                complaint_id=complaint.id, happened_on=today, what=data.new_step.strip(), who=who
            )
        )
    for a in data.actions:
        raise_action_in(
            s,
            ActionInput(
                a.description,
                a.owner_id,
                a.due_on,
                raised_on=complaint.received_on,
                source="complaint",
                source_ref=complaint.reference,
            ),
            today=today,
        )
    s.flush()
    return complaint


@requires(Permission.EDIT_RECORDS, "log or change complaints")
def save_complaint(
    db: Database,
    data: ComplaintInput,
    complaint_id: int | None = None,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Log a new complaint (a reference is generated) or record its progress."""
    with db.session() as s:
        c = save_complaint_in(
            s,
            data,
            today=today,
            who=db.user,
            complaint_id=complaint_id,
            expected_version=expected_version,
        )
        return Changes.of(COMPLAINTS, ACTIONS, ids=(c.id,))


@requires(Permission.EDIT_RECORDS, "archive complaints")
def archive_complaint(db: Database, complaint_id: int, *, expected_version: int) -> Changes:
    """Remove a complaint logged by mistake (kept in the change log)."""
    with db.session() as s:
        c = s.get(Complaint, complaint_id)
        if c is None:
            raise ValidationError.single("id", "That complaint no longer exists.")
        check_version(c, expected_version)
        c.archived_at = utcnow()
        return Changes.of(COMPLAINTS, ids=(complaint_id,))


@requires(Permission.MANAGE_SETTINGS, "change letter templates")
def save_letter_template(db: Database, kind: str, body: str, *, expected_version: int) -> Changes:
    """Change a letter's wording (placeholders such as {complainant_name} are filled in)."""
    from provider_desk.areas.complaints.letters import PLACEHOLDERS

    if not body.strip():
        raise ValidationError.single("body", "The letter cannot be empty.")
    import string

    unknown = {f for _, f, _, _ in string.Formatter().parse(body) if f} - set(PLACEHOLDERS)
    if unknown:
        raise ValidationError.single(
            "body",
            f"Unknown placeholder(s): {', '.join(sorted(unknown))}. Use: "
            f"{', '.join('{' + p + '}' for p in PLACEHOLDERS)}.",
        )
    with db.session() as s:
        row = s.scalar(select(LetterTemplate).where(LetterTemplate.kind == kind))
        if row is None:
            raise ValidationError.single("kind", f"No letter called '{kind}'.")
        check_version(row, expected_version)
        row.body = body
        return Changes.of(COMPLAINTS)


@dataclass(frozen=True)
class ComplimentInput:
    """Praise as entered."""

    received_on: dt.date | None
    from_name: str
    what_was_said: str
    about_person: str = ""
    staff_id: int | None = None
    channel: str = ""


@requires(Permission.EDIT_RECORDS, "log or change compliments")
def save_compliment_in(
    s: Session,
    data: ComplimentInput,
    *,
    today: dt.date,
    compliment_id: int | None = None,
    expected_version: int | None,
) -> Compliment:
    """Add or change a compliment inside an open session."""
    p: list[Problem | None] = [
        v.required("from_name", data.from_name, "Who it came from"),
        v.required("what_was_said", data.what_was_said, "What was said"),
        v.not_in_future("received_on", data.received_on, today, "The date received"),
        v.text("from_name", data.from_name, "Who it came from", max_len=v.SHORT_TEXT_MAX),
        v.text("about_person", data.about_person, "About", max_len=v.SHORT_TEXT_MAX),
        v.text("channel", data.channel, "How it was received", max_len=20),
        v.text(
            "what_was_said",
            data.what_was_said,
            "What was said",
            max_len=v.LONG_TEXT_MAX,
            multiline=True,
        ),
    ]
    if data.received_on is None:
        p.append(Problem("received_on", "Enter the date it was received."))
    if data.staff_id is not None and s.get(StaffMember, data.staff_id) is None:
        p.append(Problem("staff_id", "That person is not on the staff register."))
    v.raise_if(p)
    row = Compliment() if compliment_id is None else s.get(Compliment, compliment_id)
    if row is None:
        raise ValidationError.single("id", "That compliment no longer exists.")
    if compliment_id is not None:
        check_version(row, expected_version)
    assert data.received_on is not None
    row.received_on = data.received_on
    row.from_name = data.from_name.strip()
    row.what_was_said = data.what_was_said.strip()
    row.about_person = data.about_person.strip()
    row.staff_id = data.staff_id
    row.channel = data.channel
    s.add(row)
    s.flush()
    return row


@requires(Permission.EDIT_RECORDS, "log or change compliments")
def save_compliment(
    db: Database,
    data: ComplimentInput,
    compliment_id: int | None = None,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Log a compliment, or correct one (``expected_version``: the version the user opened)."""
    with db.session() as s:
        row = save_compliment_in(
            s, data, today=today, compliment_id=compliment_id, expected_version=expected_version
        )
        return Changes.of(COMPLAINTS, ids=(row.id,))
