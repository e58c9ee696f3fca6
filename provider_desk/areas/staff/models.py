"""Job roles, staff members and their Schedule 3 recruitment checks (Regulations 18 and 19)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provider_desk.models.base import Archivable, Base, Tracked


class JobRole(Tracked, Archivable, Base):
    """A job role, with its ASC-WDS MAINJOBROLE code where one applies.

    ``regulated_activity``: people in this role do regulated activity with adults (personal
    care is), so their enhanced DBS check must include the adults' barred list
    (shared/reference/regulation.md 2.1 notes). Office roles that do not are set False.
    """

    __tablename__ = "job_role"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    asc_wds_code: Mapped[int | None] = mapped_column(default=None)
    description: Mapped[str] = mapped_column(Text, default="")
    regulated_activity: Mapped[bool] = mapped_column(default=True)


class StaffMember(Tracked, Archivable, Base):
    """Anyone employed: permanent, bank, agency or volunteer (all are 'persons employed')."""

    __tablename__ = "staff_member"

    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    job_role_id: Mapped[int] = mapped_column(ForeignKey("job_role.id"), index=True)
    team: Mapped[str] = mapped_column(String(100), default="")
    contract_type: Mapped[str] = mapped_column(String(20), default="permanent")
    start_date: Mapped[dt.date]
    leaving_date: Mapped[dt.date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default="active")
    line_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_member.id"), default=None, index=True
    )
    asc_wds_worker_id: Mapped[str | None] = mapped_column(String(50), unique=True, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")

    job_role: Mapped[JobRole] = relationship(lazy="raise")
    checks: Mapped[list[RecruitmentCheck]] = relationship(
        back_populates="staff", lazy="raise", order_by="RecruitmentCheck.id"
    )


class RecruitmentCheck(Tracked, Base):
    """One Schedule 3 item (or right to work) for one staff member."""

    __tablename__ = "recruitment_check"
    __table_args__ = (UniqueConstraint("staff_id", "kind"),)

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="outstanding")
    checked_on: Mapped[dt.date | None] = mapped_column(default=None)
    reference: Mapped[str] = mapped_column(String(100), default="")
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[dt.date | None] = mapped_column(default=None)
    barred_list_checked: Mapped[bool] = mapped_column(default=False)
    update_service: Mapped[bool] = mapped_column(default=False)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"), default=None)

    staff: Mapped[StaffMember] = relationship(back_populates="checks", lazy="raise")
