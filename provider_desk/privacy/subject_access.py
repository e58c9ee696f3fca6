"""Subject access: everything held about one person supported or one staff member (UK GDPR Art 15).

:func:`collect_in` gathers, in one read, every record that belongs to the subject (by foreign key),
complaints and compliments about them or by them, actions raised from their records, and the
change-log entries of those records, as a frozen :class:`SubjectAccess`. Records that only name a
staff member in their working role (a session they led for someone else, an audit they carried out)
are listed by date and kind only, so the export holds nothing about anyone else.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.models import Action
from provider_desk.areas.audits.models import AuditRun, AuditTemplate
from provider_desk.areas.complaints.models import Complaint, ComplaintEvent, Compliment
from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.staff.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.areas.supervision.models import SupervisionRecord
from provider_desk.areas.training.models import CareCertificateStandard, Course, TrainingRecord
from provider_desk.errors import Problem, ValidationError
from provider_desk.models.attachment import Attachment
from provider_desk.models.base import Base
from provider_desk.models.changelog import ChangeLogEntry
from provider_desk.rules.dates import format_date
from provider_desk.settings.queries import get_settings_in

_M = TypeVar("_M", bound=Base)

PERSON, STAFF = "person", "staff"
_HIDDEN = {"id", "version", "data"}
_LABELS = {
    "nhs_number": "NHS number",
    "asc_wds_worker_id": "ASC-WDS worker ID",
    "mca_needed": "MCA assessment needed",
    "mca_outcome": "MCA outcome",
    "created_at": "Recorded at (UTC)",
    "created_by": "Recorded by",
    "updated_at": "Last changed at (UTC)",
    "updated_by": "Last changed by",
    "archived_at": "Archived at (UTC)",
}


@dataclass(frozen=True)
class Section:
    """One kind of record held about the subject, as a table (one row per record)."""

    area: str  # "Care"
    title: str  # "Care plans"
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""  # what is and is not in it

    @property
    def slug(self) -> str:
        """A file name for the section: 'care-plans'."""
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


@dataclass(frozen=True)
class HeldFile:
    """A stored document in the subject's records (a certificate, a DBS scan)."""

    attachment_id: int
    filename: str
    what: str  # "Training certificate: Fire safety, 3 Mar 2025"
    size: int


@dataclass(frozen=True)
class SubjectAccess:
    """Everything held about one subject on one day."""

    kind: str  # PERSON or STAFF
    subject_id: int
    name: str
    reference: str  # "P-0012" or "staff 14"
    provider_name: str
    today: dt.date
    sections: tuple[Section, ...]
    files: tuple[HeldFile, ...]

    @property
    def label(self) -> str:
        """'Mary Jones (P-0012)'."""
        return f"{self.name} ({self.reference})"

    @property
    def table_name(self) -> str:
        """The subject's own table, for the change-log entry of the export."""
        return "person" if self.kind == PERSON else "staff_member"

    def record_count(self) -> int:
        """Rows in every section but the change log."""
        return sum(len(s.rows) for s in self.sections if s.area != "Change log")


# ------------------------------------------------------------------------- finding subjects


def find_person_in(s: Session, reference: str) -> Person:
    """The person with this reference (any case).

    Raises:
        ValidationError: nobody has it.
    """
    ref = reference.strip()
    person = s.scalar(select(Person).where(func.lower(Person.reference) == ref.lower()))
    if person is None:
        raise ValidationError.single(
            "person", f"No person supported has the reference '{ref}'. Check it on People."
        )
    return person


def find_staff_in(s: Session, who: str) -> StaffMember:
    """The staff member with this id or full name (any case).

    Raises:
        ValidationError: nobody, or several people, match.
    """
    text = who.strip()
    if text.isdigit():
        st = s.get(StaffMember, int(text))
        if st is None:
            raise ValidationError.single("staff", f"No staff member has the id {text}.")
        return st
    full = func.lower(StaffMember.first_name + " " + StaffMember.last_name)
    found = list(s.scalars(select(StaffMember).where(full == " ".join(text.lower().split()))))
    if not found:
        raise ValidationError.single(
            "staff", f"No staff member is called '{text}'. Use their id from the staff register."
        )
    if len(found) > 1:
        ids = ", ".join(str(x.id) for x in found)
        raise ValidationError.single(
            "staff", f"{len(found)} staff members are called '{text}' (ids {ids}): give the id."
        )
    return found[0]


# ------------------------------------------------------------------------------ formatting


def _label(key: str) -> str:
    if key in _LABELS:
        return _LABELS[key]
    key = key.removesuffix("_id")
    return key.replace("_", " ").capitalize()


def _flat(v: Any) -> str | None:
    """A scalar, a list of scalars ('Mon, Tue') or a dict of those ('time: 08:00; minutes: 45')
    on one line; None if it nests deeper."""
    if isinstance(v, list):
        if all(not isinstance(x, dict | list) for x in v):
            return ", ".join(str(x) for x in v)
        return None
    if isinstance(v, dict):
        parts = [(k, _flat(x)) for k, x in v.items()]
        if any(
            p is None or isinstance(x, dict) for (_, p), x in zip(parts, v.values(), strict=True)
        ):
            return None
        return "; ".join(f"{k}: {p}" for k, p in parts if p)
    return "" if v is None else str(v)


def _readable_json(text: str) -> str:
    """Stored JSON (care plan sections, visits, session notes, audit answers) as indented lines."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    lines: list[str] = []

    def walk(v: Any, depth: int) -> None:
        pad = "  " * depth
        if isinstance(v, dict):
            for k, item in v.items():
                flat = None if isinstance(item, dict) else _flat(item)
                if flat is None:
                    lines.append(f"{pad}{k}:")
                    walk(item, depth + 1)
                elif flat:
                    lines.append(f"{pad}{k}: {flat}")
        elif isinstance(v, list):
            for item in v:
                if isinstance(item, list):
                    lines.append(pad + " — ".join(str(x) for x in item))
                else:
                    flat = _flat(item)
                    if flat is None:
                        walk(item, depth)
                    elif flat:
                        lines.append(pad + flat)
        elif v not in (None, ""):
            lines.append(f"{pad}{v}")

    walk(value, 0)
    return "\n".join(lines)


_JSON_COLUMNS = {"sections", "visits", "answers"}


class _Names:
    """Ids in the records shown as the names people know them by."""

    def __init__(self, s: Session) -> None:
        self.staff = {
            i: f"{f} {last}"
            for i, f, last in s.execute(
                select(StaffMember.id, StaffMember.first_name, StaffMember.last_name)
            )
        }
        self.roles = dict(s.execute(select(JobRole.id, JobRole.name)).all())
        self.courses = dict(s.execute(select(Course.id, Course.name)).all())
        self.files = dict(s.execute(select(Attachment.id, Attachment.filename)).all())
        self.templates = dict(s.execute(select(AuditTemplate.id, AuditTemplate.name)).all())

    def resolve(self, key: str, value: Any) -> Any:
        if value is None:
            return ""
        if key in ("job_role_id",):
            return self.roles.get(value, value)
        if key == "course_id":
            return self.courses.get(value, value)
        if key == "attachment_id":
            return self.files.get(value, value)
        if key == "template_id":
            return self.templates.get(value, value)
        if key.endswith("_id") and key not in ("person_id", "staff_id", "care_plan_id"):
            if key in ("audit_run_id", "revision_of_id", "follow_up_of_id", "complaint_id"):
                return value
            return self.staff.get(value, value)
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if key in _JSON_COLUMNS and isinstance(value, str):
            return _readable_json(value)
        return value


def _section(
    area: str,
    title: str,
    objs: Sequence[Base],
    names: _Names,
    *,
    model: type[Base],
    skip: Iterable[str] = (),
    note: str = "",
) -> Section:
    """Every column of ``objs`` (one model) but bookkeeping ones, ids shown as names."""
    hidden = _HIDDEN | set(skip)
    keys = [a.key for a in inspect(model).column_attrs if a.key not in hidden]
    rows = tuple(tuple(names.resolve(k, getattr(o, k)) for k in keys) for o in objs)
    return Section(area, title, tuple(_label(k) for k in keys), rows, note)


def _change_text(changes: str) -> str:
    try:
        raw = json.loads(changes)
    except ValueError:
        return changes
    out = []
    for key, pair in raw.items():
        if isinstance(pair, list) and len(pair) == 2:
            old, new = pair
            if old is None:
                out.append(f"{_label(key)}: {new}")
            elif new is None:
                out.append(f"{_label(key)}: was {old}")
            else:
                out.append(f"{_label(key)}: {old} → {new}")
        else:
            out.append(f"{_label(key)}: {pair}")
    return "\n".join(out)


_TABLE_WORDS = {
    "person": "Person",
    "care_plan": "Care plan",
    "care_review": "Care review",
    "risk_assessment": "Risk assessment",
    "goal": "Goal",
    "complaint": "Complaint",
    "complaint_event": "Complaint timeline",
    "compliment": "Compliment",
    "action": "Action",
    "staff_member": "Staff record",
    "recruitment_check": "Recruitment check",
    "training_record": "Training record",
    "care_certificate_standard": "Care Certificate standard",
    "supervision_record": "Supervision record",
}


def _change_log(s: Session, rows: dict[str, set[int]]) -> Section:
    """The change-log entries of the subject's records, oldest first."""
    conds = [
        (ChangeLogEntry.table_name == t) & ChangeLogEntry.row_id.in_(ids)
        for t, ids in rows.items()
        if ids
    ]
    entries = list(s.scalars(select(ChangeLogEntry).where(or_(*conds)).order_by(ChangeLogEntry.id)))
    return Section(
        "Change log",
        "Changes to these records",
        ("When (UTC)", "Who", "Record", "Action", "Changes"),
        tuple(
            (
                e.at,
                e.who,
                f"{_TABLE_WORDS.get(e.table_name, e.table_name)} {e.row_id}",
                e.action,
                _change_text(e.changes),
            )
            for e in entries
        ),
        "Every change recorded to the records above: when, by whom, and each field's old and "
        "new value.",
    )


def _names_match(column: Any, names: Iterable[str]) -> Any:
    wanted = sorted({" ".join(n.lower().split()) for n in names if n.strip()})
    return func.lower(func.trim(column)).in_(wanted)


def _ids(objs: Iterable[Base]) -> set[int]:
    return {o.id for o in objs}  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- collecting


def collect_person_in(s: Session, person_id: int, today: dt.date) -> SubjectAccess:
    """Everything held about one person supported."""
    p = s.get(Person, person_id)
    if p is None:
        raise ValidationError(Problem("person", "That person is no longer in the database."))
    names = _Names(s)
    full = f"{p.first_name} {p.last_name}"
    known = {full, p.reference} | (
        {f"{p.preferred_name} {p.last_name}"} if p.preferred_name else set()
    )
    plans = _belonging(s, CarePlan, CarePlan.person_id, p.id, CarePlan.number)
    reviews = _belonging(s, CareReview, CareReview.person_id, p.id, CareReview.reviewed_on)
    risks = _belonging(
        s, RiskAssessment, RiskAssessment.person_id, p.id, RiskAssessment.assessed_on
    )
    goals = _belonging(s, Goal, Goal.person_id, p.id, Goal.set_on)
    complaints = list(
        s.scalars(
            select(Complaint)
            .where(
                or_(
                    _names_match(Complaint.person_concerned, known),
                    _names_match(Complaint.complainant_name, known),
                )
            )
            .order_by(Complaint.received_on)
        )
    )
    events = _events(s, complaints)
    compliments = list(
        s.scalars(
            select(Compliment)
            .where(
                or_(
                    _names_match(Compliment.about_person, known),
                    _names_match(Compliment.from_name, known),
                )
            )
            .order_by(Compliment.received_on)
        )
    )
    actions = list(
        s.scalars(
            select(Action)
            .where(
                or_(
                    (Action.source == "care review")
                    & Action.source_ref.like(f"{_like(p.reference)} review %", escape="\\"),
                    (Action.source == "complaint")
                    & Action.source_ref.in_([c.reference for c in complaints] or [""]),
                )
            )
            .order_by(Action.raised_on)
        )
    )
    people_note = "Their details as recorded, and who recorded and last changed them."
    sections = [
        _section(
            "Personal details", "Personal details", [p], names, model=Person, note=people_note
        ),
        _section(
            "Care",
            "Care plans",
            plans,
            names,
            model=CarePlan,
            skip={"person_id"},
            note="Every version of the care plan, the current one last.",
        ),
        _section("Care", "Care reviews", reviews, names, model=CareReview, skip={"person_id"}),
        _section(
            "Care", "Risk assessments", risks, names, model=RiskAssessment, skip={"person_id"}
        ),
        _section("Care", "Goals", goals, names, model=Goal, skip={"person_id"}),
        *_complaint_sections(complaints, events, compliments, names, full),
        _section(
            "Actions",
            "Actions raised from their records",
            actions,
            names,
            model=Action,
            note="Actions agreed at their care reviews or raised from complaints about them.",
        ),
    ]
    rows = {
        "person": {p.id},
        "care_plan": _ids(plans),
        "care_review": _ids(reviews),
        "risk_assessment": _ids(risks),
        "goal": _ids(goals),
        "complaint": _ids(complaints),
        "complaint_event": _ids(events),
        "compliment": _ids(compliments),
        "action": _ids(actions),
    }
    sections.append(_change_log(s, rows))
    return SubjectAccess(
        PERSON,
        p.id,
        full,
        p.reference,
        get_settings_in(s).provider_name,
        today,
        tuple(sections),
        (),
    )


def _belonging(s: Session, model: type[_M], owner: Any, owner_id: int, order: Any) -> list[_M]:
    """Every ``model`` row whose ``owner`` column is ``owner_id``, in ``order``."""
    return list(s.scalars(select(model).where(owner == owner_id).order_by(order)))


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _events(s: Session, complaints: Sequence[Complaint]) -> list[ComplaintEvent]:
    if not complaints:
        return []
    return list(
        s.scalars(
            select(ComplaintEvent)
            .where(ComplaintEvent.complaint_id.in_(_ids(complaints)))
            .order_by(ComplaintEvent.complaint_id, ComplaintEvent.happened_on)
        )
    )


def _complaint_sections(
    complaints: Sequence[Complaint],
    events: Sequence[ComplaintEvent],
    compliments: Sequence[Compliment],
    names: _Names,
    full: str,
) -> list[Section]:
    refs = {c.id: c.reference for c in complaints}
    timeline = Section(
        "Complaints",
        "Complaint timelines",
        ("Complaint", "Date", "What happened", "Who"),
        tuple((refs[e.complaint_id], e.happened_on, e.what, e.who) for e in events),
    )
    how = (
        f"Complaints whose person concerned or complainant is recorded as '{full}' or by "
        "reference (complaints record these as typed text, so initials or a nickname are not "
        "found: search the complaints page as well)."
    )
    return [
        _section(
            "Complaints",
            "Complaints about them or made by them",
            complaints,
            names,
            model=Complaint,
            note=how,
        ),
        timeline,
        _section(
            "Complaints",
            "Compliments about them or from them",
            compliments,
            names,
            model=Compliment,
        ),
    ]


def collect_staff_in(s: Session, staff_id: int, today: dt.date) -> SubjectAccess:
    """Everything held about one staff member."""
    st = s.get(StaffMember, staff_id)
    if st is None:
        raise ValidationError(Problem("staff", "That staff member is no longer in the database."))
    names = _Names(s)
    full = f"{st.first_name} {st.last_name}"
    known = {full} | ({f"{st.preferred_name} {st.last_name}"} if st.preferred_name else set())
    checks = _belonging(s, RecruitmentCheck, RecruitmentCheck.staff_id, st.id, RecruitmentCheck.id)
    training = _belonging(
        s, TrainingRecord, TrainingRecord.staff_id, st.id, TrainingRecord.completed_on
    )
    standards = _belonging(
        s,
        CareCertificateStandard,
        CareCertificateStandard.staff_id,
        st.id,
        CareCertificateStandard.standard,
    )
    sessions = _belonging(
        s, SupervisionRecord, SupervisionRecord.staff_id, st.id, SupervisionRecord.held_on
    )
    complaints = list(
        s.scalars(
            select(Complaint)
            .where(
                or_(
                    Complaint.staff_concerned_id == st.id,
                    _names_match(Complaint.complainant_name, known),
                )
            )
            .order_by(Complaint.received_on)
        )
    )
    events = _events(s, complaints)
    compliments = list(
        s.scalars(
            select(Compliment)
            .where(or_(Compliment.staff_id == st.id, _names_match(Compliment.from_name, known)))
            .order_by(Compliment.received_on)
        )
    )
    actions = list(
        s.scalars(
            select(Action)
            .where(
                or_(
                    Action.owner_id == st.id,
                    Action.source.in_(("supervision", "spot check"))
                    & Action.source_ref.like(f"%: {_like(full)}", escape="\\"),
                    (Action.source == "complaint")
                    & Action.source_ref.in_([c.reference for c in complaints] or [""]),
                )
            )
            .order_by(Action.raised_on)
        )
    )
    sections = [
        _section("Staff record", "Staff record", [st], names, model=StaffMember),
        _section(
            "Staff record",
            "Recruitment checks",
            checks,
            names,
            model=RecruitmentCheck,
            skip={"staff_id"},
            note="Documents attached to checks are in the attachments folder.",
        ),
        _section(
            "Training",
            "Training records",
            training,
            names,
            model=TrainingRecord,
            skip={"staff_id"},
            note="Certificates are in the attachments folder.",
        ),
        _section(
            "Training",
            "Care Certificate standards",
            standards,
            names,
            model=CareCertificateStandard,
            skip={"staff_id"},
        ),
        _section(
            "Supervision",
            "Supervision, spot checks and appraisals",
            sessions,
            names,
            model=SupervisionRecord,
            skip={"staff_id"},
        ),
        *_complaint_sections(complaints, events, compliments, names, full),
        _section(
            "Actions", "Actions they own or agreed at their sessions", actions, names, model=Action
        ),
        _named_in(s, st),
    ]
    rows = {
        "staff_member": {st.id},
        "recruitment_check": _ids(checks),
        "training_record": _ids(training),
        "care_certificate_standard": _ids(standards),
        "supervision_record": _ids(sessions),
        "complaint": _ids(complaints),
        "complaint_event": _ids(events),
        "compliment": _ids(compliments),
        "action": _ids(actions),
    }
    sections.append(_change_log(s, rows))
    files: list[HeldFile] = []
    sizes = dict(s.execute(select(Attachment.id, Attachment.size)).all())
    for c in checks:
        if c.attachment_id:
            files.append(
                HeldFile(
                    c.attachment_id,
                    names.files.get(c.attachment_id, "document"),
                    f"Recruitment check: {c.kind}"
                    + (f", {format_date(c.checked_on)}" if c.checked_on else ""),
                    sizes.get(c.attachment_id, 0),
                )
            )
    for t in training:
        if t.attachment_id:
            files.append(
                HeldFile(
                    t.attachment_id,
                    names.files.get(t.attachment_id, "certificate"),
                    f"Training certificate: {names.courses.get(t.course_id, '')}, "
                    f"{format_date(t.completed_on)}",
                    sizes.get(t.attachment_id, 0),
                )
            )
    return SubjectAccess(
        STAFF,
        st.id,
        full,
        f"staff {st.id}",
        get_settings_in(s).provider_name,
        today,
        tuple(sections),
        tuple(files),
    )


def _named_in(s: Session, st: StaffMember) -> Section:
    """Records about other people that name this staff member in their working role: the role,
    the kind of record and its date only (nothing about the other person)."""
    rows: list[tuple[Any, ...]] = []
    for kind, held in s.execute(
        select(SupervisionRecord.kind, SupervisionRecord.held_on)
        .where(SupervisionRecord.supervisor_id == st.id, SupervisionRecord.staff_id != st.id)
        .order_by(SupervisionRecord.held_on)
    ):
        rows.append(("Supervisor", f"{kind.capitalize()} of another worker", held))
    for ref, tpl, on in s.execute(
        select(AuditRun.reference, AuditTemplate.name, AuditRun.audited_on)
        .join(AuditTemplate, AuditTemplate.id == AuditRun.template_id)
        .where(AuditRun.auditor_id == st.id)
        .order_by(AuditRun.audited_on)
    ):
        rows.append(("Auditor", f"Audit {ref}: {tpl}", on))
    for ref, on in s.execute(
        select(Complaint.reference, Complaint.received_on).where(Complaint.investigator_id == st.id)
    ):
        rows.append(("Investigator", f"Complaint {ref}", on))
    for kind, on in s.execute(
        select(RiskAssessment.kind, RiskAssessment.assessed_on).where(
            RiskAssessment.assessed_by_id == st.id
        )
    ):
        rows.append(("Assessor", f"Risk assessment ({kind}) of a person supported", on))
    for (start,) in s.execute(select(Person.start_date).where(Person.key_worker_id == st.id)):
        rows.append(("Key worker", "A person supported (care started)", start))
    for (start,) in s.execute(
        select(StaffMember.start_date).where(StaffMember.line_manager_id == st.id)
    ):
        rows.append(("Line manager", "A staff member (started)", start))
    return Section(
        "Named in other records",
        "Records about others that name them in their role",
        ("Their role", "Record", "Date"),
        tuple(rows),
        "These records are about other people, so only the role, the kind of record and its "
        "date are given.",
    )


Collector = Callable[[Session, int, dt.date], SubjectAccess]
COLLECTORS: dict[str, Collector] = {PERSON: collect_person_in, STAFF: collect_staff_in}
