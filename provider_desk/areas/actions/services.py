"""The service improvement plan: raise, change, complete and archive actions from any source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from provider_desk.areas.actions.models import Action
from provider_desk.areas.staff.models import StaffMember
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import ACTIONS, Changes
from provider_desk.db.session import Database
from provider_desk.db.versions import check_version
from provider_desk.errors import Problem, ValidationError
from provider_desk.models.base import utcnow
from provider_desk.rules import validators as v

SOURCES = ("manual", "audit", "complaint", "supervision", "spot check", "care review")


@dataclass(frozen=True)
class AgreedAction:
    """An action agreed in a session, review or complaint: it goes on the action plan."""

    description: str
    owner_id: int | None
    due_on: dt.date | None


@dataclass(frozen=True)
class ActionInput:
    """What someone raising an action enters. Later areas pass their own ``source``."""

    description: str
    owner_id: int | None
    due_on: dt.date | None
    raised_on: dt.date | None = None
    source: str = "manual"
    source_ref: str = ""


def validate_action(s: Session, data: ActionInput, today: dt.date) -> list[Problem]:
    """Every problem with an action."""
    problems: list[Problem | None] = [
        v.required("description", data.description, "What needs to be done"),
        v.not_in_future("raised_on", data.raised_on, today, "Date raised"),
        v.not_before("due_on", data.due_on, data.raised_on, "Due date", "the date raised"),
    ]
    if data.source not in SOURCES:
        problems.append(Problem("source", f"Unknown source '{data.source}'."))
    if data.due_on is None:
        problems.append(Problem("due_on", "Every action needs a due date."))
    if data.owner_id is None:
        problems.append(Problem("owner_id", "Every action needs an owner."))
    else:
        owner = s.get(StaffMember, data.owner_id)
        if owner is None:
            problems.append(Problem("owner_id", "That owner is not on the staff register."))
        elif owner.archived_at is not None:
            problems.append(
                Problem(
                    "owner_id",
                    f"{owner.first_name} {owner.last_name} has left: choose someone still in post.",
                )
            )
    return [p for p in problems if p is not None]


@requires(Permission.EDIT_RECORDS, "raise actions")
def raise_action_in(s: Session, data: ActionInput, *, today: dt.date) -> Action:
    """Add an action inside an open session (audits, complaints and reviews call this)."""
    data = replace(data, description=data.description.strip(), raised_on=data.raised_on or today)
    problems = validate_action(s, data, today)
    if problems:
        raise ValidationError(problems)
    assert data.owner_id is not None and data.due_on is not None and data.raised_on is not None
    action = Action(
        description=data.description,
        owner_id=data.owner_id,
        due_on=data.due_on,
        raised_on=data.raised_on,
        source=data.source,
        source_ref=data.source_ref,
    )
    s.add(action)
    s.flush()
    return action


@requires(Permission.EDIT_RECORDS, "raise actions")
def raise_action(db: Database, data: ActionInput, *, today: dt.date) -> Changes:
    """Put a new action on the plan."""
    with db.session() as s:
        action = raise_action_in(s, data, today=today)
        return Changes.of(ACTIONS, ids=(action.id,))


def _get(s: Session, action_id: int, expected_version: int) -> Action:
    action = s.get(Action, action_id)
    if action is None:
        raise ValidationError.single("id", "That action no longer exists.")
    check_version(action, expected_version)
    return action


@requires(Permission.EDIT_RECORDS, "change actions")
def update_action(
    db: Database,
    action_id: int,
    data: ActionInput,
    *,
    expected_version: int,
    today: dt.date,
) -> Changes:
    """Change what, who or when of an action."""
    day = today
    with db.session() as s:
        action = _get(s, action_id, expected_version)
        data = replace(
            data, description=data.description.strip(), raised_on=data.raised_on or action.raised_on
        )
        problems = validate_action(s, data, day)
        if problems:
            raise ValidationError(problems)
        assert data.owner_id is not None and data.due_on is not None
        action.description = data.description
        action.owner_id = data.owner_id
        action.due_on = data.due_on
        action.raised_on = data.raised_on or action.raised_on
        return Changes.of(ACTIONS, ids=(action_id,))


@requires(Permission.EDIT_RECORDS, "complete actions")
def complete_action(
    db: Database,
    action_id: int,
    completed_on: dt.date | None,
    evidence: str,
    *,
    expected_version: int,
    today: dt.date,
) -> Changes:
    """Mark an action done, with the evidence that it was (what an inspector will ask for)."""
    with db.session() as s:
        complete_action_in(
            s, action_id, completed_on, evidence, expected_version=expected_version, today=today
        )
        return Changes.of(ACTIONS, ids=(action_id,))


@requires(Permission.EDIT_RECORDS, "complete actions")
def complete_action_in(
    s: Session,
    action_id: int,
    completed_on: dt.date | None,
    evidence: str,
    *,
    expected_version: int,
    today: dt.date,
) -> Action:
    """Mark an action done inside an open session (the demo completes many in one)."""
    action = _get(s, action_id, expected_version)
    problems: list[Problem | None] = [
        v.required("completion_evidence", evidence, "Evidence of completion"),
        v.not_in_future("completed_on", completed_on, today, "Completion date"),
        v.not_before(
            "completed_on",
            completed_on,
            action.raised_on,
            "Completion date",
            "the date it was raised",
        ),
    ]
    if completed_on is None:
        problems.append(Problem("completed_on", "Enter the date it was completed."))
    v.raise_if(problems)
    action.completed_on = completed_on
    action.completion_evidence = evidence.strip()
    return action


@requires(Permission.EDIT_RECORDS, "reopen actions")
def reopen_action(db: Database, action_id: int, *, expected_version: int) -> Changes:
    """Undo a completion recorded by mistake (the change log keeps both)."""
    with db.session() as s:
        action = _get(s, action_id, expected_version)
        action.completed_on = None
        return Changes.of(ACTIONS, ids=(action_id,))


@requires(Permission.EDIT_RECORDS, "archive actions")
def archive_action(db: Database, action_id: int, *, expected_version: int) -> Changes:
    """Take an action off the plan (raised in error). It stays in the database and the log."""
    with db.session() as s:
        action = _get(s, action_id, expected_version)
        action.archived_at = utcnow()
        return Changes.of(ACTIONS, ids=(action_id,))
