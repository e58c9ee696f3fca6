"""Record supervision sessions (with the actions agreed), and set intervals and templates."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.services import (
    ActionInput,
    AgreedAction,
    raise_action_in,
    validate_action,
)
from provider_desk.areas.staff.models import JobRole, StaffMember
from provider_desk.areas.supervision.models import (
    SupervisionKind,
    SupervisionRecord,
    SupervisionRoleInterval,
)
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import ACTIONS, SUPERVISION, Changes
from provider_desk.db.session import Database
from provider_desk.db.versions import check_version, touch
from provider_desk.errors import Problem, ValidationError
from provider_desk.models.base import utcnow
from provider_desk.rules import validators as v
from provider_desk.rules.dates import format_date

OUTCOMES = ("satisfactory", "needs improvement", "retraining needed")


@dataclass(frozen=True)
class SupervisionInput:
    """A session as recorded."""

    staff_id: int | None
    supervisor_id: int | None
    kind: str
    held_on: dt.date | None
    location: str = ""
    sections: tuple[tuple[str, str], ...] = ()
    outcome: str = ""
    worker_ack_name: str = ""
    worker_ack_on: dt.date | None = None
    supervisor_signed_on: dt.date | None = None
    next_due: dt.date | None = None
    actions: tuple[AgreedAction, ...] = field(default_factory=tuple)


def validate_supervision(s: Session, data: SupervisionInput, today: dt.date) -> list[Problem]:
    """Every problem with a session, field by field."""
    problems: list[Problem | None] = [
        v.text("location", data.location, "Location", max_len=v.SHORT_TEXT_MAX),
        v.text("worker_ack_name", data.worker_ack_name, "Name", max_len=v.SHORT_TEXT_MAX),
    ]
    for title, notes in data.sections:
        problems.append(
            v.text("sections", notes, title or "Notes", max_len=v.LONG_TEXT_MAX, multiline=True)
        )
    kind = s.scalar(select(SupervisionKind).where(SupervisionKind.kind == data.kind))
    if kind is None:
        problems.append(Problem("kind", f"Unknown kind of session '{data.kind}'."))
    worker = s.get(StaffMember, data.staff_id) if data.staff_id else None
    if worker is None:
        problems.append(Problem("staff_id", "Choose the worker."))
    if data.supervisor_id is None or s.get(StaffMember, data.supervisor_id) is None:
        problems.append(Problem("supervisor_id", "Choose who led the session."))
    elif data.supervisor_id == data.staff_id:
        problems.append(
            Problem("supervisor_id", "The supervisor cannot be the worker being supervised.")
        )
    if data.held_on is None:
        problems.append(Problem("held_on", "Enter the date of the session."))
    problems.append(v.not_in_future("held_on", data.held_on, today, "The session date"))
    if worker is not None and data.held_on is not None:
        problems.append(
            v.not_before(
                "held_on",
                data.held_on,
                worker.start_date,
                "The session date",
                f"{worker.first_name}'s start date",
            )
        )
        if worker.leaving_date and data.held_on > worker.leaving_date:
            problems.append(
                Problem(
                    "held_on",
                    f"{worker.first_name} {worker.last_name} left on "
                    f"{format_date(worker.leaving_date)}.",
                )
            )
    problems.append(
        v.not_before(
            "worker_ack_on", data.worker_ack_on, data.held_on, "The acknowledgement", "the session"
        )
    )
    problems.append(
        v.not_in_future("worker_ack_on", data.worker_ack_on, today, "The acknowledgement date")
    )
    problems.append(
        v.not_before(
            "supervisor_signed_on",
            data.supervisor_signed_on,
            data.held_on,
            "The sign-off",
            "the session",
        )
    )
    problems.append(
        v.not_in_future(
            "supervisor_signed_on", data.supervisor_signed_on, today, "The sign-off date"
        )
    )
    if data.worker_ack_on and not data.worker_ack_name.strip():
        problems.append(Problem("worker_ack_name", "Enter the name of who acknowledged it."))
    if data.next_due is not None and data.held_on is not None and data.next_due <= data.held_on:
        problems.append(Problem("next_due", "The next due date must be after the session."))
    if data.outcome and data.outcome not in OUTCOMES:
        problems.append(Problem("outcome", f"Outcome is one of: {', '.join(OUTCOMES)}."))
    if kind is not None and kind.has_outcome and not data.outcome:
        problems.append(Problem("outcome", f"A {kind.name.lower()} needs an outcome."))
    for i, a in enumerate(data.actions, start=1):
        for p in validate_action(
            s, ActionInput(a.description, a.owner_id, a.due_on, raised_on=data.held_on), today
        ):
            problems.append(Problem("actions", f"Action {i}: {p.message}"))
    return [p for p in problems if p is not None]


def _apply(record: SupervisionRecord, data: SupervisionInput) -> None:
    assert data.staff_id is not None and data.supervisor_id is not None
    assert data.held_on is not None
    record.staff_id = data.staff_id
    record.supervisor_id = data.supervisor_id
    record.kind = data.kind
    record.held_on = data.held_on
    record.location = data.location.strip()
    record.sections = json.dumps([[t, n.strip()] for t, n in data.sections], ensure_ascii=False)
    record.outcome = data.outcome
    record.worker_ack_name = data.worker_ack_name.strip()
    record.worker_ack_on = data.worker_ack_on
    record.supervisor_signed_on = data.supervisor_signed_on
    record.next_due = data.next_due


def _raise_actions(
    s: Session, record: SupervisionRecord, data: SupervisionInput, today: dt.date
) -> None:
    worker = s.get(StaffMember, record.staff_id)
    assert worker is not None
    source = "spot check" if data.kind == "spot check" else "supervision"
    ref = (
        f"{data.kind.capitalize()} {format_date(record.held_on)}: {worker.first_name} "
        f"{worker.last_name}"
    )
    for a in data.actions:
        raise_action_in(
            s,
            ActionInput(
                a.description,
                a.owner_id,
                a.due_on,
                raised_on=record.held_on,
                source=source,
                source_ref=ref[:100],
            ),
            today=today,
        )


@requires(Permission.EDIT_WORKFORCE, "record supervision")
def record_supervision_in(s: Session, data: SupervisionInput, *, today: dt.date) -> int:
    """Record a session inside an open session (the importer shares this)."""
    v.raise_if(list(validate_supervision(s, data, today)))
    record = SupervisionRecord()
    _apply(record, data)
    s.add(record)
    s.flush()
    _raise_actions(s, record, data, today)
    return record.id


@requires(Permission.EDIT_WORKFORCE, "record supervision")
def record_supervision(db: Database, data: SupervisionInput, *, today: dt.date) -> Changes:
    """Record a session; its agreed actions go on the action plan in the same transaction."""
    with db.session() as s:
        rid = record_supervision_in(s, data, today=today)
        return Changes.of(SUPERVISION, ACTIONS, ids=(rid,))


@requires(Permission.EDIT_WORKFORCE, "change supervision records")
def update_supervision(
    db: Database,
    record_id: int,
    data: SupervisionInput,
    *,
    expected_version: int,
    today: dt.date,
) -> Changes:
    """Correct a session (new agreed actions are added to the plan; earlier ones stay)."""
    day = today
    with db.session() as s:
        record = s.get(SupervisionRecord, record_id)
        if record is None:
            raise ValidationError.single("id", "That record no longer exists.")
        check_version(record, expected_version)
        v.raise_if(list(validate_supervision(s, data, day)))
        _apply(record, data)
        s.flush()
        _raise_actions(s, record, data, day)
        return Changes.of(SUPERVISION, ACTIONS, ids=(record_id,))


@requires(Permission.EDIT_WORKFORCE, "archive supervision records")
def archive_supervision(db: Database, record_id: int, *, expected_version: int) -> Changes:
    """Remove a session recorded by mistake (kept in the change log)."""
    with db.session() as s:
        record = s.get(SupervisionRecord, record_id)
        if record is None:
            raise ValidationError.single("id", "That record no longer exists.")
        check_version(record, expected_version)
        record.archived_at = utcnow()
        return Changes.of(SUPERVISION, ids=(record_id,))


@requires(Permission.MANAGE_SETTINGS, "change the kinds of supervision")
def save_kind(
    db: Database,
    kind: str,
    *,
    expected_version: int,
    name: str,
    interval_months: int | None,
    sections: Sequence[str],
    role_intervals: Mapping[int, int | None] | None = None,
) -> Changes:
    """Change a kind's default interval, its template of sections, and per-role intervals.

    ``role_intervals``: job role id -> months, or None for "not required for this role"; roles
    left out use the default.
    """
    problems: list[Problem | None] = [v.required("name", name, "Name")]
    if interval_months is not None and not 1 <= interval_months <= 60:
        problems.append(Problem("interval_months", "The interval is 1 to 60 months."))
    titles = [t.strip() for t in sections if t.strip()]
    if not titles:
        problems.append(Problem("sections", "Give the template at least one section."))
    for months in (role_intervals or {}).values():
        if months is not None and not 1 <= months <= 60:
            problems.append(Problem("role_intervals", "Role intervals are 1 to 60 months."))
            break
    v.raise_if(problems)
    with db.session() as s:
        row = s.scalar(select(SupervisionKind).where(SupervisionKind.kind == kind))
        if row is None:
            raise ValidationError.single("kind", f"Unknown kind of session '{kind}'.")
        check_version(row, expected_version)
        row.name = name.strip()
        row.interval_months = interval_months
        row.sections = "\n".join(titles)
        if role_intervals is not None:
            known = set(s.scalars(select(JobRole.id)))
            current = {
                r.job_role_id: r
                for r in s.scalars(
                    select(SupervisionRoleInterval).where(SupervisionRoleInterval.kind == kind)
                )
            }
            for role_id, months in role_intervals.items():
                if role_id not in known:
                    raise ValidationError.single("role_intervals", "A job role no longer exists.")
                if role_id in current:
                    current[role_id].interval_months = months
                else:
                    s.add(
                        SupervisionRoleInterval(
                            kind=kind, job_role_id=role_id, interval_months=months
                        )
                    )
            for role_id, r in current.items():
                if role_id not in role_intervals:
                    s.delete(r)
            touch(row)  # the per-role intervals are part of the kind: a stale form is refused
        return Changes.of(SUPERVISION)
