"""Complaints (Regulation 16), their dated timeline, letter templates, and compliments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Archivable, Base, Tracked


class Complaint(Tracked, Archivable, Base):
    """One complaint from receipt to closure. Deadlines and status are computed, never stored."""

    __tablename__ = "complaint"

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    received_on: Mapped[dt.date]
    channel: Mapped[str] = mapped_column(String(20), default="phone")
    complainant_name: Mapped[str] = mapped_column(String(200))
    complainant_relation: Mapped[str] = mapped_column(String(100), default="")
    complainant_address: Mapped[str] = mapped_column(Text, default="")
    person_concerned: Mapped[str] = mapped_column(String(200), default="")
    # Who funds the care complained about (a funding type from care_planning.json, or "" if not
    # recorded): it decides which Ombudsman the letters name (regulation.md §5.3).
    funding: Mapped[str] = mapped_column(String(30), default="", server_default="")
    staff_concerned_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id"), default=None
    )
    category: Mapped[str] = mapped_column(String(40), default="care quality")
    summary: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10), default="low")
    safeguarding: Mapped[bool] = mapped_column(default=False)
    duty_of_candour: Mapped[bool] = mapped_column(default=False)
    investigator_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), default=None)
    findings: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20), default="")
    apology_given: Mapped[bool] = mapped_column(default=False)
    acknowledged_on: Mapped[dt.date | None] = mapped_column(default=None)
    response_due_extended_to: Mapped[dt.date | None] = mapped_column(default=None)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    responded_on: Mapped[dt.date | None] = mapped_column(default=None)
    complainant_satisfied: Mapped[str] = mapped_column(String(10), default="")
    ombudsman_referred_on: Mapped[dt.date | None] = mapped_column(default=None)
    council_referred_on: Mapped[dt.date | None] = mapped_column(default=None)
    lessons_learned: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[dt.date | None] = mapped_column(default=None)


class ComplaintEvent(Tracked, Base):
    """A dated step in a complaint's timeline, and who did it."""

    __tablename__ = "complaint_event"

    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    happened_on: Mapped[dt.date]
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200), default="")


class LetterTemplate(Tracked, Base):
    """An editable letter (acknowledgement, outcome) with {placeholders}."""

    __tablename__ = "letter_template"

    kind: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)


class Compliment(Tracked, Archivable, Base):
    """Praise received: when, from whom, about whom, what was said."""

    __tablename__ = "compliment"

    received_on: Mapped[dt.date]
    from_name: Mapped[str] = mapped_column(String(200))
    about_person: Mapped[str] = mapped_column(String(200), default="")
    staff_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id"), default=None, index=True
    )
    what_was_said: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20), default="")
