"""People we support, their care plans (versioned), reviews, risk assessments and goals
(Regulations 9, 11 and 12)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from provider_desk.models.base import Archivable, Base, Tracked


class Person(Tracked, Archivable, Base):
    """Someone who uses the service. Ended people are archived, never deleted."""

    __tablename__ = "person"

    reference: Mapped[str] = mapped_column(String(30), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[dt.date | None] = mapped_column(default=None)
    nhs_number: Mapped[str | None] = mapped_column(String(10), unique=True, default=None)
    address: Mapped[str] = mapped_column(Text, default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    funding: Mapped[str] = mapped_column(String(30), default="local authority")
    service_type: Mapped[str] = mapped_column(String(20), default="long-term")
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default="active")
    key_worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id"), default=None, index=True
    )
    next_of_kin: Mapped[str] = mapped_column(Text, default="")
    power_of_attorney: Mapped[str] = mapped_column(Text, default="")
    # Reablement outcome: weekly hours of care at the start and at the end of reablement.
    reablement_start_hours: Mapped[float | None] = mapped_column(default=None)
    reablement_end_hours: Mapped[float | None] = mapped_column(default=None)
    notes: Mapped[str] = mapped_column(Text, default="")


class CarePlan(Tracked, Base):
    """One version of a person's care plan. Never changed once written: a change is a new row
    with the next number and a reason. The highest number is the current plan."""

    __tablename__ = "care_plan"
    __table_args__ = (UniqueConstraint("person_id", "number"),)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    number: Mapped[int]
    effective_from: Mapped[dt.date]
    change_reason: Mapped[str] = mapped_column(Text, default="")
    sections: Mapped[str] = mapped_column(Text, default="{}")  # JSON {area: {field: text}}
    visits: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{days, time, minutes, carers}]
    consent_by: Mapped[str] = mapped_column(String(20), default="")  # person / representative
    consent_name: Mapped[str] = mapped_column(String(200), default="")
    consent_capacity: Mapped[str] = mapped_column(String(200), default="")
    consent_on: Mapped[dt.date | None] = mapped_column(default=None)
    mca_needed: Mapped[bool] = mapped_column(default=False)
    mca_outcome: Mapped[str] = mapped_column(String(30), default="")
    best_interests: Mapped[str] = mapped_column(Text, default="")
    review_due: Mapped[dt.date | None] = mapped_column(default=None)  # only when set by hand


class CareReview(Tracked, Archivable, Base):
    """A review of a person's care: who took part, what was found, what changed."""

    __tablename__ = "care_review"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    care_plan_id: Mapped[int | None] = mapped_column(ForeignKey("care_plan.id"), default=None)
    reviewed_on: Mapped[dt.date]
    participants: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    changes_made: Mapped[str] = mapped_column(Text, default="")
    needs_changed: Mapped[bool] = mapped_column(default=False)


class RiskAssessment(Tracked, Archivable, Base):
    """A risk to a person by kind: likelihood x severity, controls, when to review."""

    __tablename__ = "risk_assessment"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    hazard: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int] = mapped_column(default=1)
    severity: Mapped[int] = mapped_column(default=1)
    controls: Mapped[str] = mapped_column(Text, default="")
    assessed_on: Mapped[dt.date]
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), default=None)
    review_due: Mapped[dt.date]


class Goal(Tracked, Archivable, Base):
    """A reablement (or other) goal: where the person started, the target, progress, outcome."""

    __tablename__ = "goal"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    goal: Mapped[str] = mapped_column(Text)
    starting_point: Mapped[str] = mapped_column(Text, default="")
    set_on: Mapped[dt.date]
    target_date: Mapped[dt.date | None] = mapped_column(default=None)
    progress: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20), default="")  # achieved / partly / not
