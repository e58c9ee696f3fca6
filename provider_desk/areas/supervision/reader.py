"""Supervision as the dashboard and the evidence pack read it: sessions overdue or never held now,
and the sessions held in a period for the quality statements each kind evidences."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import list_staff_in
from provider_desk.areas.supervision.models import SupervisionKind, SupervisionRecord
from provider_desk.areas.supervision.queries import supervision_matrix_in
from provider_desk.db.session import core_rows
from provider_desk.reading import Attention, Evidence, On, Period, gather
from provider_desk.resources import evidence_link
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level

KEY = "supervision"


class SupervisionReader:
    """Overdue, never-held and soon-due sessions for workers at work; sessions as evidence."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        matrix = supervision_matrix_in(s, on.today)
        managers = {r.id: r.line_manager for r in list_staff_in(s)}
        items = []
        for row in matrix.rows:
            if row.on_leave:
                continue  # listed apart on the page: nobody can supervise them while away
            for kind, cell in zip(matrix.kinds, row.cells, strict=True):
                if cell.status not in (Level.MISSING, Level.OVERDUE, Level.DUE_SOON):
                    continue
                name = kind.name.lower()
                if cell.status is Level.MISSING:
                    sentence = f"No {name} yet" + (
                        f" (due {format_date(cell.next_due)})." if cell.next_due else "."
                    )
                elif cell.status is Level.OVERDUE:
                    sentence = f"{kind.name} overdue since {format_date(cell.next_due)}."
                else:
                    sentence = f"{kind.name} due by {format_date(cell.next_due)}."
                items.append(
                    Attention(
                        area=KEY,
                        reference=f"{row.name}: {kind.name}",
                        level=cell.status,
                        due_on=cell.next_due,
                        responsible=managers.get(row.staff_id, ""),
                        sentence=sentence,
                        record_id=row.staff_id,
                        kind=kind.kind,
                        statements=evidence_link(KEY, kind=kind.kind).statements,
                    )
                )
        return items

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        # Only the columns and the sessions of the period: whole records cost ~10x more.
        held: dict[tuple[str, str], list[tuple[dt.date, str]]] = defaultdict(list)
        rows = core_rows(
            s,
            select(
                SupervisionRecord.held_on,
                SupervisionRecord.kind,
                SupervisionKind.name,
                StaffMember.first_name,
                StaffMember.last_name,
            )
            .join(StaffMember, StaffMember.id == SupervisionRecord.staff_id)
            .join(SupervisionKind, SupervisionKind.kind == SupervisionRecord.kind)
            .where(
                SupervisionRecord.archived_at.is_(None),
                SupervisionRecord.held_on.between(period.start, period.end),
            ),
        )
        for held_on, kind, name, first, last in rows:
            held[(kind, name)].append((held_on, f"{first} {last} ({name.lower()})"))
        return gather(
            KEY,
            KEY,
            (
                (f"Held: {name}", evidence_link(KEY, kind=kind), records)
                for (kind, name), records in held.items()
            ),
            period,
        )
