"""Records past their retention on a day, and the reviewed purge of them (regulation.md §9.3).

Nothing is destroyed by reading the list: the manager reviews it, chooses, confirms, and
:func:`purge_past_retention` deletes exactly what was chosen (each record with the rows that belong
to it and files no other record uses) in one transaction. Every deleted row is written to the
change log by the usual machinery (action ``delete``, its old values), and one summary entry says
how many records went and who reviewed them. The change log itself is never purged.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.models import Action
from provider_desk.areas.audits.models import AuditRun, AuditTemplate
from provider_desk.areas.complaints.models import Complaint, ComplaintEvent, Compliment
from provider_desk.areas.people.models import CarePlan, CareReview, Goal, Person, RiskAssessment
from provider_desk.areas.staff.models import RecruitmentCheck, StaffMember
from provider_desk.areas.supervision.models import SupervisionRecord
from provider_desk.areas.training.models import CareCertificateStandard, TrainingRecord
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import (
    ACTIONS,
    AUDITS,
    CHECKS,
    COMPLAINTS,
    PEOPLE,
    STAFF,
    SUPERVISION,
    TRAINING,
    Changes,
)
from provider_desk.db.changelog import append_entries
from provider_desk.db.session import Database
from provider_desk.errors import Problem, ValidationError
from provider_desk.models.attachment import Attachment
from provider_desk.models.base import Base
from provider_desk.rules import retention as r
from provider_desk.rules.dates import format_date
from provider_desk.settings.retention import require, retention_months_in

Key = tuple[str, int]  # (record type, id of the record's main row)


@dataclass(frozen=True)
class PastRetention:
    """One record past its retention on a day: what it is, in words, and how long past."""

    record_type: str  # rules.retention key
    record_id: int
    type_label: str  # "Complaints"
    what: str  # "C-2019-004 from Jane Brown (closed)"
    event: str  # "complaint closed"
    event_on: dt.date
    months: int  # the retention applied
    kept_until: dt.date
    today: dt.date
    includes: str = ""  # "3 care plans, 2 reviews, 1 goal"
    held: str = ""  # why it cannot be purged yet (empty: it can)

    @property
    def key(self) -> Key:
        """(record type, record id): what a purge is asked to remove."""
        return (self.record_type, self.record_id)

    @property
    def retention(self) -> str:
        """'6 years after leaving date'."""
        return f"{r.months_text(self.months)} after {self.event}"

    @property
    def past_by(self) -> str:
        """How long past its retention: '1 year 2 months'."""
        return r.span_text(self.kept_until, self.today)

    @property
    def days_past(self) -> int:
        """Days since the retention ended (for sorting)."""
        return (self.today - self.kept_until).days

    @property
    def can_purge(self) -> bool:
        """False while something kept still names it (see ``held``)."""
        return not self.held

    def line(self) -> str:
        """One line for a confirmation: 'Complaints: C-2019-004 … (closed 3 Mar 2019)'."""
        extra = f"; with {self.includes}" if self.includes else ""
        return f"{self.type_label}: {self.what} ({self.event} {format_date(self.event_on)}{extra})"


@dataclass
class _Plan:
    """The rows one purge deletes, the links it clears, and the files it may free."""

    delete: dict[type[Base], set[int]] = field(default_factory=dict)
    clear: list[tuple[type[Base], int, str]] = field(default_factory=list)
    files: set[int] = field(default_factory=set)

    def add(self, model: type[Base], ids: Iterable[int]) -> None:
        self.delete.setdefault(model, set()).update(ids)

    def has(self, model: type[Base], row_id: int) -> bool:
        return row_id in self.delete.get(model, set())


def _type_label(kind: str) -> str:
    found = r.BY_KEY.get(kind)
    return found.label if found else kind


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _includes(counts: Sequence[tuple[int, str]]) -> str:
    return ", ".join(_plural(n, w) for n, w in counts if n)


# ------------------------------------------------------------------ what belongs to a record


def _person_rows(s: Session, person: Person) -> tuple[dict[type[Base], list[int]], list[int]]:
    rows: dict[type[Base], list[int]] = {}
    for model in (CarePlan, CareReview, RiskAssessment, Goal):
        rows[model] = list(s.scalars(select(model.id).where(model.person_id == person.id)))
    actions = list(
        s.scalars(
            select(Action.id).where(
                Action.source == "care review",
                Action.source_ref.like(f"{_like(person.reference)} review %", escape="\\"),
            )
        )
    )
    return rows, actions


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _session_actions(s: Session, staff: StaffMember) -> list[int]:
    """Actions agreed at this worker's supervision sessions and spot checks (their source
    reference ends with the worker's name)."""
    name = f"{staff.first_name} {staff.last_name}"
    return list(
        s.scalars(
            select(Action.id).where(
                Action.source.in_(("supervision", "spot check")),
                Action.source_ref.like(f"%: {_like(name)}", escape="\\"),
            )
        )
    )


def _complaint_actions(s: Session, complaint: Complaint) -> list[int]:
    return list(
        s.scalars(
            select(Action.id).where(
                Action.source == "complaint", Action.source_ref == complaint.reference
            )
        )
    )


def _audit_group(s: Session, first: AuditRun) -> list[AuditRun]:
    return [first, *s.scalars(select(AuditRun).where(AuditRun.revision_of_id == first.id))]


def _staff_holds(s: Session, staff: StaffMember, own_actions: set[int]) -> str:
    """Why a leaver's register entry must stay: kept records that cannot be without them."""
    led = s.scalars(
        select(SupervisionRecord.id).where(
            SupervisionRecord.supervisor_id == staff.id, SupervisionRecord.staff_id != staff.id
        )
    ).all()
    owned = [
        a
        for a in s.scalars(select(Action.id).where(Action.owner_id == staff.id))
        if a not in own_actions
    ]
    audits = s.scalars(select(AuditRun.id).where(AuditRun.auditor_id == staff.id)).all()
    reasons = []
    if led:
        reasons.append(f"supervisor in {_plural(len(led), 'session')} of other staff")
    if audits:
        reasons.append(f"auditor of {_plural(len(audits), 'audit')}")
    if owned:
        reasons.append(f"owner of {_plural(len(owned), 'action')} on the action plan")
    if not reasons:
        return ""
    return (
        "Kept: still named as "
        + "; ".join(reasons)
        + ". Those records are kept for their own periods (reassign open actions first)."
    )


# ------------------------------------------------------------------------------- the list


def past_retention_in(s: Session, today: dt.date) -> list[PastRetention]:
    """Every record past its retention on ``today``, longest past first."""
    months = retention_months_in(s)
    out: list[PastRetention] = []

    def item(kind: str, rid: int, what: str, event_on: dt.date, m: int, **kw: Any) -> None:
        t = r.BY_KEY[kind]
        out.append(
            PastRetention(
                kind,
                rid,
                t.label,
                what,
                t.event,
                event_on,
                m,
                r.kept_until(event_on, m),
                today,
                **kw,
            )
        )

    m = months[r.PEOPLE]
    for p in s.scalars(select(Person).where(Person.end_date.is_not(None))):
        assert p.end_date is not None
        if r.is_past_retention(p.end_date, m, today):
            rows, actions = _person_rows(s, p)
            item(
                r.PEOPLE,
                p.id,
                f"{p.first_name} {p.last_name} ({p.reference})",
                p.end_date,
                m,
                includes=_includes(
                    [
                        (len(rows[CarePlan]), "care plan version"),
                        (len(rows[CareReview]), "review"),
                        (len(rows[RiskAssessment]), "risk assessment"),
                        (len(rows[Goal]), "goal"),
                        (len(actions), "action"),
                    ]
                ),
            )

    staff_m = max(months[r.STAFF], months[r.TRAINING], months[r.SUPERVISION])
    for st in s.scalars(
        select(StaffMember).where(
            StaffMember.leaving_date.is_not(None), StaffMember.status == "left"
        )
    ):
        left = st.leaving_date
        assert left is not None
        name = f"{st.first_name} {st.last_name}"
        training = s.scalars(
            select(TrainingRecord.id).where(TrainingRecord.staff_id == st.id)
        ).all()
        standards = s.scalars(
            select(CareCertificateStandard.id).where(CareCertificateStandard.staff_id == st.id)
        ).all()
        sessions = s.scalars(
            select(SupervisionRecord.id).where(SupervisionRecord.staff_id == st.id)
        ).all()
        actions = _session_actions(s, st)
        if r.is_past_retention(left, staff_m, today):
            checks = s.scalars(
                select(RecruitmentCheck.id).where(RecruitmentCheck.staff_id == st.id)
            ).all()
            item(
                r.STAFF,
                st.id,
                name,
                left,
                staff_m,
                includes=_includes(
                    [
                        (len(checks), "recruitment check"),
                        (len(training), "training record"),
                        (len(standards), "Care Certificate standard"),
                        (len(sessions), "supervision record"),
                        (len(actions), "action"),
                    ]
                ),
                held=_staff_holds(s, st, set(actions)),
            )
            continue
        if (training or standards) and r.is_past_retention(left, months[r.TRAINING], today):
            item(
                r.TRAINING,
                st.id,
                f"Training of {name}",
                left,
                months[r.TRAINING],
                includes=_includes(
                    [
                        (len(training), "training record"),
                        (len(standards), "Care Certificate standard"),
                    ]
                ),
            )
        if sessions and r.is_past_retention(left, months[r.SUPERVISION], today):
            item(
                r.SUPERVISION,
                st.id,
                f"Supervision of {name}",
                left,
                months[r.SUPERVISION],
                includes=_includes(
                    [(len(sessions), "supervision record"), (len(actions), "action")]
                ),
            )

    m = months[r.COMPLAINTS]
    for c in s.scalars(select(Complaint).where(Complaint.closed_on.is_not(None))):
        assert c.closed_on is not None
        if r.is_past_retention(c.closed_on, m, today):
            events = s.scalars(
                select(ComplaintEvent.id).where(ComplaintEvent.complaint_id == c.id)
            ).all()
            item(
                r.COMPLAINTS,
                c.id,
                f"{c.reference} from {c.complainant_name}",
                c.closed_on,
                m,
                includes=_includes(
                    [
                        (len(events), "timeline entry"),
                        (len(_complaint_actions(s, c)), "action"),
                    ]
                ),
            )

    m = months[r.COMPLIMENTS]
    for cp in s.scalars(select(Compliment)):
        if r.is_past_retention(cp.received_on, m, today):
            about = f" about {cp.about_person}" if cp.about_person else ""
            item(r.COMPLIMENTS, cp.id, f"From {cp.from_name}{about}", cp.received_on, m)

    m = months[r.AUDITS]
    names = dict(s.execute(select(AuditTemplate.id, AuditTemplate.name)).all())
    for first in s.scalars(select(AuditRun).where(AuditRun.revision_of_id.is_(None))):
        group = _audit_group(s, first)
        latest = max(group, key=lambda a: a.revision)
        if latest.finished_on is None or not r.is_past_retention(latest.finished_on, m, today):
            continue
        ids = [a.id for a in group]
        audit_actions = s.scalars(select(Action.id).where(Action.audit_run_id.in_(ids))).all()
        item(
            r.AUDITS,
            first.id,
            f"{first.reference} {names.get(first.template_id, '')}".strip(),
            latest.finished_on,
            m,
            includes=_includes([(len(group) - 1, "revision"), (len(audit_actions), "action")]),
        )

    out.sort(key=lambda p: (-p.days_past, p.type_label, p.what))
    return out


def past_retention(db: Database, today: dt.date) -> list[PastRetention]:
    """As :func:`past_retention_in`, in its own read."""
    with db.reading() as s:
        return past_retention_in(s, today)


# ------------------------------------------------------------------------------ the purge


def _plan_staff(s: Session, plan: _Plan, st: StaffMember, parts: set[str]) -> None:
    """What purging ``parts`` (training, supervision, staff) of a leaver removes."""
    if "training" in parts or "staff" in parts:
        for rec in s.scalars(select(TrainingRecord).where(TrainingRecord.staff_id == st.id)):
            plan.add(TrainingRecord, [rec.id])
            if rec.attachment_id:
                plan.files.add(rec.attachment_id)
        plan.add(
            CareCertificateStandard,
            s.scalars(
                select(CareCertificateStandard.id).where(CareCertificateStandard.staff_id == st.id)
            ),
        )
    if "supervision" in parts or "staff" in parts:
        plan.add(
            SupervisionRecord,
            s.scalars(select(SupervisionRecord.id).where(SupervisionRecord.staff_id == st.id)),
        )
        plan.add(Action, _session_actions(s, st))
    if "staff" in parts:
        for chk in s.scalars(select(RecruitmentCheck).where(RecruitmentCheck.staff_id == st.id)):
            plan.add(RecruitmentCheck, [chk.id])
            if chk.attachment_id:
                plan.files.add(chk.attachment_id)
        plan.add(StaffMember, [st.id])
        # Kept records that name them only in passing lose the link, not the record.
        for model, column in (
            (StaffMember, "line_manager_id"),
            (Person, "key_worker_id"),
            (RiskAssessment, "assessed_by_id"),
            (Complaint, "staff_concerned_id"),
            (Complaint, "investigator_id"),
            (Compliment, "staff_id"),
        ):
            col = getattr(model, column)
            for rid in s.scalars(select(model.id).where(col == st.id)):
                plan.clear.append((model, rid, column))


def _plan(s: Session, items: Sequence[PastRetention]) -> _Plan:
    plan = _Plan()
    staff_parts: dict[int, set[str]] = {}
    for it in items:
        kind, rid = it.key
        if kind == r.PEOPLE:
            p = s.get(Person, rid)
            assert p is not None
            rows, actions = _person_rows(s, p)
            for model, ids in rows.items():
                plan.add(model, ids)
            plan.add(Action, actions)
            plan.add(Person, [rid])
        elif kind in (r.STAFF, r.TRAINING, r.SUPERVISION):
            staff_parts.setdefault(rid, set()).add(kind)
        elif kind == r.COMPLAINTS:
            c = s.get(Complaint, rid)
            assert c is not None
            plan.add(
                ComplaintEvent,
                s.scalars(select(ComplaintEvent.id).where(ComplaintEvent.complaint_id == rid)),
            )
            plan.add(Action, _complaint_actions(s, c))
            plan.add(Complaint, [rid])
        elif kind == r.COMPLIMENTS:
            plan.add(Compliment, [rid])
        elif kind == r.AUDITS:
            first = s.get(AuditRun, rid)
            assert first is not None
            group = _audit_group(s, first)
            ids = [a.id for a in group]
            plan.add(AuditRun, ids)
            plan.add(Action, s.scalars(select(Action.id).where(Action.audit_run_id.in_(ids))))
            for a in group:
                plan.files.update(_answer_files(a.answers))
            for rid2 in s.scalars(
                select(AuditRun.id).where(
                    AuditRun.follow_up_of_id.in_(ids), AuditRun.id.not_in(ids)
                )
            ):
                plan.clear.append((AuditRun, rid2, "follow_up_of_id"))
    for sid, parts in staff_parts.items():
        st = s.get(StaffMember, sid)
        assert st is not None
        _plan_staff(s, plan, st, parts)
    return plan


def _answer_files(answers: str) -> set[int]:
    try:
        raw = json.loads(answers or "{}")
    except ValueError:
        return set()
    return {
        int(v["attachment_id"])
        for v in raw.values()
        if isinstance(v, dict) and isinstance(v.get("attachment_id"), int)
    }


# Children before parents, so no foreign key ever points at a deleted row.
_DELETE_ORDER: tuple[type[Base], ...] = (
    Action,
    ComplaintEvent,
    CareReview,
    CarePlan,
    RiskAssessment,
    Goal,
    Person,
    Complaint,
    Compliment,
    SupervisionRecord,
    TrainingRecord,
    CareCertificateStandard,
    RecruitmentCheck,
    StaffMember,
)


@dataclass(frozen=True)
class PurgeResult:
    """What a purge removed."""

    records: int  # reviewed records purged
    rows: int  # rows deleted, dependents and files included
    files: int  # stored files deleted (no other record used them)
    summary: str  # the sentence written to the change log
    changes: Changes


@requires(Permission.MANAGE_SETTINGS, "purge records past their retention")
def purge_past_retention(db: Database, keys: Sequence[Key], *, today: dt.date) -> PurgeResult:
    """Delete the reviewed records ``keys`` (from :func:`past_retention`) and what belongs to
    them, in one transaction, logging every deleted row and a summary naming the reviewer.

    Raises:
        PermissionDenied: the user is not the registered manager.
        ValidationError: nothing chosen, or a chosen record is no longer past its retention
            (a period or date changed since the list was read) or is held; nothing is deleted.
    """
    require(db, Permission.MANAGE_SETTINGS, "purge records past their retention")
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        raise ValidationError.single("records", "Choose at least one record to purge.")
    reviewer = db.actor.name
    with db.session() as s:
        listed = {p.key: p for p in past_retention_in(s, today)}
        problems = []
        for key in wanted:
            found = listed.get(key)
            if found is None:
                problems.append(
                    Problem(
                        "records",
                        f"A chosen record ({_type_label(key[0])}, id {key[1]}) is no longer "
                        "past its retention: refresh the list and "
                        "review it again.",
                    )
                )
            elif found.held:
                problems.append(Problem("records", f"{found.what}: {found.held}"))
        if problems:
            raise ValidationError(problems)
        items = [listed[k] for k in wanted]
        plan = _plan(s, items)
        rows = 0
        for model, rid, column in plan.clear:
            if plan.has(model, rid):
                continue
            obj = s.get(model, rid)
            if obj is not None and getattr(obj, column) is not None:
                setattr(obj, column, None)
        s.flush()
        for model in _DELETE_ORDER:
            ids = plan.delete.get(model, set())
            if ids:
                rows += _delete(s, model, ids)
        rows += _delete_runs(s, plan.delete.get(AuditRun, set()))
        files = _delete(s, Attachment, _unused_files(s, plan.files))
        rows += files
        summary = f"purged {_plural(len(items), 'record')} past retention, reviewed by {reviewer}"
        append_entries(
            s,
            [
                (
                    "retention_purge",
                    0,
                    "purge",
                    {
                        "summary": [None, summary],
                        "on": [None, today.isoformat()],
                        "records": [None, [it.line() for it in items]],
                        "rows_deleted": [None, rows],
                    },
                )
            ],
        )
    counts = Counter(it.record_type for it in items)
    areas = {
        r.PEOPLE: (PEOPLE, ACTIONS),
        r.STAFF: (STAFF, CHECKS, TRAINING, SUPERVISION, ACTIONS, PEOPLE, COMPLAINTS),
        r.TRAINING: (TRAINING,),
        r.SUPERVISION: (SUPERVISION, ACTIONS),
        r.COMPLAINTS: (COMPLAINTS, ACTIONS),
        r.COMPLIMENTS: (COMPLAINTS,),
        r.AUDITS: (AUDITS, ACTIONS),
    }
    touched = {a for kind in counts for a in areas[kind]}
    return PurgeResult(len(items), rows, files, summary, Changes.of(*sorted(touched)))


def _delete(s: Session, model: type[Base], ids: set[int]) -> int:
    """Delete rows through the ORM (so the change log records each one) and flush."""
    if not ids:
        return 0
    objs = list(s.scalars(select(model).where(model.id.in_(ids))))  # type: ignore[attr-defined]
    for obj in objs:
        s.delete(obj)
    s.flush()
    return len(objs)


def _delete_runs(s: Session, ids: set[int]) -> int:
    """Delete audit runs so that none is deleted while another still points at it (a revision
    at its first revision, a re-audit at the audit it follows up)."""
    links = {
        rid: {x for x in (rev, follow) if x is not None}
        for rid, rev, follow in s.execute(
            select(AuditRun.id, AuditRun.revision_of_id, AuditRun.follow_up_of_id).where(
                AuditRun.id.in_(ids)
            )
        )
    }
    remaining = set(links)
    rows = 0
    while remaining:
        pointed_at = {x for rid in remaining for x in links[rid]}
        batch = remaining - pointed_at
        assert batch, "audit runs point at each other in a circle"
        rows += _delete(s, AuditRun, batch)
        remaining -= batch
    return rows


def _unused_files(s: Session, candidates: set[int]) -> set[int]:
    """The candidate files no remaining record uses (identical files are stored once and may be
    shared by several records)."""
    if not candidates:
        return set()
    used = set(
        s.scalars(
            select(TrainingRecord.attachment_id).where(TrainingRecord.attachment_id.in_(candidates))
        )
    )
    used |= set(
        s.scalars(
            select(RecruitmentCheck.attachment_id).where(
                RecruitmentCheck.attachment_id.in_(candidates)
            )
        )
    )
    for answers in s.scalars(
        select(AuditRun.answers).where(or_(AuditRun.answers.like("%attachment_id%")))
    ):
        used |= _answer_files(answers)
    return candidates - used
