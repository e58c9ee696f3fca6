"""The improvement plan as rows, with statuses computed for the day asked about."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.actions.models import Action
from provider_desk.areas.actions.rules import ActionStatus, action_status
from provider_desk.areas.staff.models import StaffMember
from provider_desk.db.session import Database, once_per_snapshot
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
        select(Action, StaffMember.first_name, StaffMember.last_name)
        .join(StaffMember, StaffMember.id == Action.owner_id)
        .where(Action.archived_at.is_(None))
        .order_by(Action.due_on, Action.id)
    )
    return [
        ActionRow(
            id=a.id,
            description=a.description,
            source=a.source,
            source_ref=a.source_ref,
            owner_id=a.owner_id,
            owner=f"{first} {last}",
            raised_on=a.raised_on,
            due_on=a.due_on,
            completed_on=a.completed_on,
            completion_evidence=a.completion_evidence,
            status=action_status(a.due_on, a.completed_on, today, window),
            version=a.version,
            audit_run_id=a.audit_run_id,
        )
        for a, first, last in s.execute(stmt)
    ]


def list_actions(db: Database, today: dt.date) -> list[ActionRow]:
    """Every action not archived, soonest due first."""
    with db.reading() as s:
        return list_actions_in(s, today)
