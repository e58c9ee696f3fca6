"""Audit templates (versioned), audits carried out, and the answers given."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Archivable, Base, Tracked


class AuditTemplate(Tracked, Archivable, Base):
    """An audit in the programme: how often it is done and what it samples.

    The questions live in :class:`AuditTemplateVersion`; changing them adds a version, so past
    audits keep the questions they were answered against.
    """

    __tablename__ = "audit_template"

    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(20), default="quarterly")
    scope: Mapped[str] = mapped_column(String(20), default="service")
    sample_size: Mapped[int | None] = mapped_column(default=None)
    current_version: Mapped[int] = mapped_column(default=1)


class AuditTemplateVersion(Tracked, Base):
    """One version of a template's sections and questions (JSON), never changed once used."""

    __tablename__ = "audit_template_version"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    template_id: Mapped[int] = mapped_column(ForeignKey("audit_template.id"), index=True)
    number: Mapped[int]
    sections: Mapped[str] = mapped_column(Text)
    change_reason: Mapped[str] = mapped_column(Text, default="")


class AuditRun(Tracked, Archivable, Base):
    """An audit carried out against one template version.

    Finished audits are locked: a change is a new row (``revision`` + 1, ``revision_of_id`` = the
    first revision) with a reason. A re-audit points at the first revision it follows up.
    """

    __tablename__ = "audit_run"
    __table_args__ = (UniqueConstraint("reference", "revision"),)

    reference: Mapped[str] = mapped_column(String(20))
    template_id: Mapped[int] = mapped_column(ForeignKey("audit_template.id"), index=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("audit_template_version.id"))
    audited_on: Mapped[dt.date]
    auditor_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    scope_note: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON {item id: answer}
    summary: Mapped[str] = mapped_column(Text, default="")
    finished_on: Mapped[dt.date | None] = mapped_column(default=None)
    manager_signed_by: Mapped[str] = mapped_column(String(200), default="")
    manager_signed_on: Mapped[dt.date | None] = mapped_column(default=None)
    revision: Mapped[int] = mapped_column(default=1)
    revision_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_run.id"), default=None, index=True
    )
    revision_reason: Mapped[str] = mapped_column(Text, default="")
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("audit_run.id"), default=None)
