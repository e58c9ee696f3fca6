"""The improvement plan as rows, with statuses computed for the day asked about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.models import Action
from provider_desk.areas.actions.rules import ActionStatus, action_status
from provider_desk.areas.staff.models import StaffMember
from provider_desk.db.session import Database, core_rows, once_per_snapshot
from provider_desk.settings.queries import get_settings_in


@dataclass(frozen=True)
class ActionRow:
    """One action on the plan."""

    id: int
    description: str
    source: str
    source_ref: str
    owner_id: int
    owner: str
    raised_on: dt.date
    due_on: dt.date
    completed_on: dt.date | None
    completion_evidence: str
    status: ActionStatus
    version: int
    audit_run_id: int | None = None  # an action from an audit: that audit (its first revision)


def list_actions_in(s: Session, today: dt.date) -> list[ActionRow]:
    """As :func:`list_actions`, reading inside the session ``s`` (once per read snapshot)."""
    return once_per_snapshot(s, ("actions", today), lambda: _read_actions(s, today))


def _read_actions(s: Session, today: dt.date) -> list[ActionRow]:
    window = get_settings_in(s).due_soon_days
    stmt = (
        select(
            Action.id,
            Action.description,
            Action.source,
            Action.source_ref,
            Action.owner_id,
            StaffMember.first_name,
            StaffMember.last_name,
            Action.raised_on,
            Action.due_on,
            Action.completed_on,
            Action.completion_evidence,
            Action.version,
            Action.audit_run_id,
        )
        .join(StaffMember, StaffMember.id == Action.owner_id)
        .where(Action.archived_at.is_(None))
        .order_by(Action.due_on, Action.id)
    )
    # Plain rows of the columns shown: Action objects cost several times more on a long plan.
    return [
        ActionRow(
            id=aid,
            description=description,
            source=source,
            source_ref=source_ref,
            owner_id=owner_id,
            owner=f"{first} {last}",
            raised_on=raised_on,
            due_on=due_on,
            completed_on=completed_on,
            completion_evidence=evidence,
            status=action_status(due_on, completed_on, today, window),
            version=version,
            audit_run_id=audit_run_id,
        )
        for (
            aid,
            description,
            source,
            source_ref,
            owner_id,
            first,
            last,
            raised_on,
            due_on,
            completed_on,
            evidence,
            version,
            audit_run_id,
        ) in core_rows(s, stmt)
    ]


def list_actions(db: Database, today: dt.date) -> list[ActionRow]:
    """Every action not archived, soonest due first."""
    with db.reading() as s:
        return list_actions_in(s, today)
