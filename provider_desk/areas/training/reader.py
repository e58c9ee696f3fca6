"""Training as the dashboard and the evidence pack read it: gaps in required training now, and
completions in a period for the quality statements each course evidences."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from provider_desk.areas.staff.models import StaffMember
from provider_desk.areas.staff.queries import list_staff_in
from provider_desk.areas.training.models import Course, TrainingRecord
from provider_desk.areas.training.queries import training_matrix_in
from provider_desk.db.session import core_rows
from provider_desk.reading import Attention, Evidence, On, Period, gather
from provider_desk.resources import evidence_link
from provider_desk.rules.dates import format_date
from provider_desk.rules.due import Level, word

KEY = "training"


class TrainingReader:
    """Expired, missing and soon-to-expire required training; completions as evidence."""

    def attention(self, s: Session, on: On) -> list[Attention]:
        matrix = training_matrix_in(s, on.today)
        managers = {r.id: r.line_manager for r in list_staff_in(s)}
        items = []
        for person, cells in zip(matrix.people, matrix.cells, strict=True):
            for course, cell in zip(matrix.courses, cells, strict=True):
                if not cell.required or cell.status not in (
                    Level.MISSING,
                    Level.OVERDUE,
                    Level.DUE_SOON,
                ):
                    continue
                if cell.status is Level.MISSING:
                    sentence = f"{course.name}: never done (required for {person.job_role})."
                elif cell.status is Level.OVERDUE:
                    expired = word(cell.status, KEY)
                    sentence = f"{course.name} {expired} on {format_date(cell.expires_on)}."
                else:
                    sentence = f"{course.name} expires on {format_date(cell.expires_on)}."
                items.append(
                    Attention(
                        area=KEY,
                        reference=f"{person.first_name} {person.last_name}: {course.name}",
                        level=cell.status,
                        due_on=cell.expires_on,
                        responsible=managers.get(person.id, ""),
                        sentence=sentence,
                        record_id=person.id,
                        part_id=course.id,
                        statements=evidence_link(
                            KEY, category_code=course.category_code, course=course.name
                        ).statements,
                    )
                )
        return items

    def evidence(self, s: Session, on: On, period: Period) -> list[Evidence]:
        done: dict[tuple[str, int | None], list[tuple[dt.date, str]]] = defaultdict(list)
        # Only the columns and the rows of the period: the full records would cost ~50x more.
        rows = core_rows(
            s,
            select(
                TrainingRecord.completed_on,
                Course.name,
                Course.category_code,
                StaffMember.first_name,
                StaffMember.last_name,
            )
            .join(Course, Course.id == TrainingRecord.course_id)
            .join(StaffMember, StaffMember.id == TrainingRecord.staff_id)
            .where(
                TrainingRecord.archived_at.is_(None),
                TrainingRecord.completed_on.between(period.start, period.end),
            ),
        )
        for completed_on, course, code, first, last in rows:
            done[(course, code)].append((completed_on, f"{first} {last}"))
        return gather(
            KEY,
            KEY,
            (
                (
                    f"Training completed: {course}",
                    evidence_link(KEY, category_code=code, course=course),
                    records,
                )
                for (course, code), records in done.items()
            ),
            period,
        )
