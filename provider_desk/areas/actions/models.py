"""The one service improvement plan: actions from every source."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Archivable, Base, Tracked


class Action(Tracked, Archivable, Base):
    """Something to put right: who owns it, when it is due, and the evidence it was done."""

    __tablename__ = "action"

    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(30), default="manual")
    source_ref: Mapped[str] = mapped_column(String(100), default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    raised_on: Mapped[dt.date]
    due_on: Mapped[dt.date]
    completed_on: Mapped[dt.date | None] = mapped_column(default=None)
    completion_evidence: Mapped[str] = mapped_column(Text, default="")
    # Actions from an audit point at its first revision and the question that failed.
    audit_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_run.id"), default=None, index=True
    )
    audit_item: Mapped[str] = mapped_column(String(20), default="", server_default="")
