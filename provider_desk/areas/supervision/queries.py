"""Supervision as rows: kinds and their templates, the matrix of workers x kinds, histories."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import staff_in_post_select
from provider_desk.areas.supervision.models import (
    SupervisionKind,
    SupervisionRecord,
    SupervisionRoleInterval,
)
from provider_desk.areas.supervision.rules import session_due
from provider_desk.db.session import Database, core_rows, shared_per_snapshot
from provider_desk.rules.due import Level, word
from provider_desk.settings.queries import get_settings_in


@dataclass(frozen=True)
class KindRow:
    """A kind of session, its default interval, template and per-role intervals."""

    kind: str
    name: str
    interval_months: int | None
    milestones_months: tuple[int, ...]
    has_outcome: bool
    sections: tuple[str, ...]
    note: str
    role_intervals: dict[int, int | None]
    version: int = 0  # what a save passes as expected_version

    def interval_for(self, job_role_id: int) -> tuple[bool, int | None]:
        """(required, interval) for a job role."""
        if job_role_id in self.role_intervals:
            months = self.role_intervals[job_role_id]
            return months is not None, months
        if self.milestones_months:
            return True, None
        return self.interval_months is not None, self.interval_months

    @property
    def interval_text(self) -> str:
        """'Every 3 months', 'At 1, 3 and 6 months', 'By role'."""
        if self.milestones_months:
            ms = [str(m) for m in self.milestones_months]
            return f"At {', '.join(ms[:-1])} and {ms[-1]} months after starting"
        if self.interval_months is None:
            return "Only for the roles set"
        return f"Every {self.interval_months} months"


def list_kinds_in(s: Session) -> list[KindRow]:
    """As :func:`list_kinds`, reading inside the session ``s``."""
    roles: dict[str, dict[int, int | None]] = {}
    for r in s.scalars(select(SupervisionRoleInterval)):
        roles.setdefault(r.kind, {})[r.job_role_id] = r.interval_months
    return [
        KindRow(
            k.kind,
            k.name,
            k.interval_months,
            tuple(int(m) for m in k.milestones_months.split(",") if m),
            k.has_outcome,
            tuple(t for t in k.sections.splitlines() if t),
            k.note,
            roles.get(k.kind, {}),
            k.version,
        )
        for k in s.scalars(select(SupervisionKind).order_by(SupervisionKind.id))
    ]


def list_kinds(db: Database) -> list[KindRow]:
    """Every kind of session, in template order."""
    with db.reading() as s:
        return list_kinds_in(s)


@dataclass(frozen=True)
class SessionCell:
    """One worker and kind: last done, next due, status ('never done' is Level.MISSING)."""

    status: Level
    last_done: dt.date | None
    next_due: dt.date | None
    count: int

    @property
    def complete(self) -> bool:
        """Every review done (probation): required, in date, and nothing more due."""
        return self.status is Level.IN_DATE and self.next_due is None

    @property
    def word(self) -> str:
        """'complete', else the level in supervision's words ('never done' for missing)."""
        return "complete" if self.complete else word(self.status, "supervision")


@dataclass(frozen=True)
class SupervisionRow:
    """A worker in post with a cell per kind."""

    staff_id: int
    name: str
    sort_name: str
    job_role: str
    team: str
    on_leave: bool
    start_date: dt.date
    cells: tuple[SessionCell, ...]


@dataclass(frozen=True)
class SupervisionMatrix:
    """Workers in post (leavers out; people on leave flagged) x kinds."""

    today: dt.date
    window_days: int
    kinds: tuple[KindRow, ...]
    rows: tuple[SupervisionRow, ...]


def supervision_matrix_in(s: Session, today: dt.date) -> SupervisionMatrix:
    """As :func:`supervision_matrix`, reading inside the session ``s`` (once per read snapshot:
    the matrix is frozen, so the reader and the evidence pack share it)."""
    return shared_per_snapshot(s, ("supervision matrix", today), lambda: _read_matrix(s, today))


def _read_matrix(s: Session, today: dt.date) -> SupervisionMatrix:
    window = get_settings_in(s).supervision_due_soon_days
    kinds = tuple(list_kinds_in(s))
    people = core_rows(s, staff_in_post_select(StaffMember.start_date)).all()
    held: dict[tuple[int, str], list[tuple[dt.date, dt.date | None]]] = {}
    for sid, kind, when, override in core_rows(
        s,
        select(
            SupervisionRecord.staff_id,
            SupervisionRecord.kind,
            SupervisionRecord.held_on,
            SupervisionRecord.next_due,
        )
        .where(SupervisionRecord.archived_at.is_(None))
        .order_by(SupervisionRecord.held_on),
    ):
        held.setdefault((sid, kind), []).append((when, override))
    rows = []
    for sid, first, last, role_id, role, team, status, start in people:
        cells = []
        for k in kinds:
            required, months = k.interval_for(role_id)
            done = held.get((sid, k.kind), [])
            dates = [d for d, _ in done]
            d = session_due(
                required=required,
                start_date=start,
                held=dates,
                interval_months=months,
                milestones_months=k.milestones_months,
                override=done[-1][1] if done else None,
                today=today,
                window_days=window,
            )
            cells.append(SessionCell(d.level, dates[-1] if dates else None, d.due_on, len(dates)))
        rows.append(
            SupervisionRow(
                sid,
                f"{first} {last}",
                f"{last}, {first}",
                role,
                team,
                status == "on leave",
                start,
                tuple(cells),
            )
        )
    return SupervisionMatrix(today, window, kinds, tuple(rows))


def supervision_matrix(db: Database, today: dt.date) -> SupervisionMatrix:
    """Build the matrix for every worker in post."""
    with db.reading() as s:
        return supervision_matrix_in(s, today)


@dataclass(frozen=True)
class SessionRow:
    """One recorded session."""

    id: int
    staff_id: int
    worker: str
    supervisor_id: int
    supervisor: str
    kind: str
    kind_name: str
    held_on: dt.date
    location: str
    sections: tuple[tuple[str, str], ...]
    outcome: str
    worker_ack_name: str
    worker_ack_on: dt.date | None
    supervisor_signed_on: dt.date | None
    next_due_override: dt.date | None
    version: int


def supervision_records_in(s: Session, *, staff_id: int | None = None) -> list[SessionRow]:
    """As :func:`supervision_records`, reading inside the session ``s``."""
    supervisor = aliased(StaffMember)
    stmt = (
        select(
            SupervisionRecord,
            StaffMember.first_name,
            StaffMember.last_name,
            supervisor.first_name,
            supervisor.last_name,
            SupervisionKind.name,
        )
        .join(StaffMember, StaffMember.id == SupervisionRecord.staff_id)
        .join(supervisor, supervisor.id == SupervisionRecord.supervisor_id)
        .join(SupervisionKind, SupervisionKind.kind == SupervisionRecord.kind)
        .where(SupervisionRecord.archived_at.is_(None))
        .order_by(SupervisionRecord.held_on.desc(), SupervisionRecord.id.desc())
    )
    if staff_id is not None:
        stmt = stmt.where(SupervisionRecord.staff_id == staff_id)
    return [
        SessionRow(
            r.id,
            r.staff_id,
            f"{wf} {wl}",
            r.supervisor_id,
            f"{sf} {sl}",
            r.kind,
            kname,
            r.held_on,
            r.location,
            tuple((t, n) for t, n in json.loads(r.sections)),
            r.outcome,
            r.worker_ack_name,
            r.worker_ack_on,
            r.supervisor_signed_on,
            r.next_due,
            r.version,
        )
        for r, wf, wl, sf, sl, kname in s.execute(stmt)
    ]


def supervision_records(db: Database, *, staff_id: int | None = None) -> list[SessionRow]:
    """Sessions, newest first (one worker's history when ``staff_id`` is given)."""
    with db.reading() as s:
        return supervision_records_in(s, staff_id=staff_id)
