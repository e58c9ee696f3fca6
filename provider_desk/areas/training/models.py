"""Courses, which roles need them, training records and Care Certificate progress (Reg 18)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Archivable, Base, Tracked


class Course(Tracked, Archivable, Base):
    """A course or competency in the catalogue; refresher interval None means it never expires."""

    __tablename__ = "course"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    category_code: Mapped[int | None] = mapped_column(default=None)
    refresher_months: Mapped[int | None] = mapped_column(default=None)
    competency: Mapped[bool] = mapped_column(default=False)
    interval_note: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[str] = mapped_column(Text, default="")  # one per line, for importing


class RoleRequirement(Tracked, Base):
    """Staff in this job role must hold this course."""

    __tablename__ = "role_requirement"
    __table_args__ = (UniqueConstraint("job_role_id", "course_id"),)

    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_role.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)


class TrainingRecord(Tracked, Archivable, Base):
    """One completion of a course by one person.

    ``expires_on`` is stored only when the manager overrides it; otherwise it is derived from the
    course's interval whenever it is read, so changing an interval updates every status.
    """

    __tablename__ = "training_record"
    __table_args__ = (UniqueConstraint("staff_id", "course_id", "completed_on"),)

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    completed_on: Mapped[dt.date]
    expires_on: Mapped[dt.date | None] = mapped_column(default=None)
    provider: Mapped[str] = mapped_column(String(200), default="")
    delivery: Mapped[str] = mapped_column(String(20), default="")
    accredited: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"), default=None)


class CareCertificateStandard(Tracked, Base):
    """A new starter's completion of one of the 16 Care Certificate standards."""

    __tablename__ = "care_certificate_standard"
    __table_args__ = (UniqueConstraint("staff_id", "standard"),)

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    standard: Mapped[int]
    completed_on: Mapped[dt.date]
    assessor: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
