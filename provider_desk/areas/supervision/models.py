"""Supervision, spot checks, appraisals, probation reviews and competency assessments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Archivable, Base, Tracked


class SupervisionKind(Tracked, Base):
    """A kind of session with its default interval and its template of sections (one per line).

    Editing the sections changes future records only: each record keeps the sections it was
    written with.
    """

    __tablename__ = "supervision_kind"

    kind: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    interval_months: Mapped[int | None] = mapped_column(default=None)
    milestones_months: Mapped[str] = mapped_column(String(50), default="")  # "1,3,6": probation
    has_outcome: Mapped[bool] = mapped_column(default=False)
    sections: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class SupervisionRoleInterval(Tracked, Base):
    """A job role's own interval for a kind; None means the kind does not apply to the role."""

    __tablename__ = "supervision_role_interval"
    __table_args__ = (UniqueConstraint("kind", "job_role_id"),)

    kind: Mapped[str] = mapped_column(String(30))
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_role.id"), index=True)
    interval_months: Mapped[int | None] = mapped_column(default=None)


class SupervisionRecord(Tracked, Archivable, Base):
    """One session: who, when, what was discussed (per section), outcome, sign-off, next due."""

    __tablename__ = "supervision_record"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    held_on: Mapped[dt.date]
    location: Mapped[str] = mapped_column(String(200), default="")
    sections: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[title, notes], ...]
    outcome: Mapped[str] = mapped_column(String(30), default="")
    worker_ack_name: Mapped[str] = mapped_column(String(200), default="")
    worker_ack_on: Mapped[dt.date | None] = mapped_column(default=None)
    supervisor_signed_on: Mapped[dt.date | None] = mapped_column(default=None)
    next_due: Mapped[dt.date | None] = mapped_column(default=None)  # only when set by hand
