"""Staff register rows, one person's detail and checks, and the choices forms offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from provider_desk.areas.staff.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.areas.staff.rules import CheckStatus
from provider_desk.attachments import DocumentRow, document_rows
from provider_desk.db.session import Database, core_rows, once_per_snapshot
from provider_desk.models.attachment import Attachment
from provider_desk.resources import check_kinds, check_title
from provider_desk.rules.due import Level


@dataclass(frozen=True)
class StaffRow:
    """One line of the staff register."""

    id: int
    first_name: str
    last_name: str
    preferred_name: str
    job_role_id: int
    job_role: str
    team: str
    contract_type: str
    start_date: dt.date
    leaving_date: dt.date | None
    status: str
    line_manager_id: int | None
    line_manager: str
    asc_wds_worker_id: str
    notes: str
    missing_checks: int
    unverified_checks: int
    version: int

    @property
    def full_name(self) -> str:
        """First and last name, as people say it."""
        return f"{self.first_name} {self.last_name}"

    @property
    def sort_name(self) -> str:
        """Last name first, for sorted lists."""
        return f"{self.last_name}, {self.first_name}"

    @property
    def needs_attention(self) -> bool:
        """Missing or unverified recruitment checks."""
        return self.missing_checks + self.unverified_checks > 0

    @property
    def checks_level(self) -> Level:
        """The worst of the person's checks: missing, to verify (due), or all in place."""
        if self.missing_checks:
            return CheckStatus.OUTSTANDING.level
        if self.unverified_checks:
            return CheckStatus.RECEIVED.level
        return Level.IN_DATE


def staff_in_post_select(*extra: Any) -> Select[*tuple[Any, ...]]:
    """Staff in post with their role, in name order: id, first name, last name, job role id,
    role name, team and status, then the ``extra`` columns given (the training and supervision
    matrices' rows)."""
    return (
        select(
            StaffMember.id,
            StaffMember.first_name,
            StaffMember.last_name,
            StaffMember.job_role_id,
            JobRole.name,
            StaffMember.team,
            StaffMember.status,
            *extra,
        )
        .join(JobRole, JobRole.id == StaffMember.job_role_id)
        .where(StaffMember.archived_at.is_(None))
        .order_by(func.lower(StaffMember.last_name), func.lower(StaffMember.first_name))
    )


def list_staff_in(s: Session, *, include_left: bool = False) -> list[StaffRow]:
    """As :func:`list_staff`, reading inside the session ``s`` (once per read snapshot)."""
    return once_per_snapshot(
        s, ("staff", include_left), lambda: _read_staff(s, include_left=include_left)
    )


def _read_staff(s: Session, *, include_left: bool) -> list[StaffRow]:
    manager = aliased(StaffMember)
    missing = func.count(RecruitmentCheck.id).filter(
        RecruitmentCheck.status == CheckStatus.OUTSTANDING.value
    )
    unverified = func.count(RecruitmentCheck.id).filter(
        RecruitmentCheck.status == CheckStatus.RECEIVED.value
    )
    stmt = (
        select(
            StaffMember.id,
            StaffMember.first_name,
            StaffMember.last_name,
            StaffMember.preferred_name,
            StaffMember.job_role_id,
            JobRole.name,
            StaffMember.team,
            StaffMember.contract_type,
            StaffMember.start_date,
            StaffMember.leaving_date,
            StaffMember.status,
            StaffMember.line_manager_id,
            manager.first_name,
            manager.last_name,
            StaffMember.asc_wds_worker_id,
            StaffMember.notes,
            missing,
            unverified,
            StaffMember.version,
        )
        .join(JobRole, JobRole.id == StaffMember.job_role_id)
        .outerjoin(manager, manager.id == StaffMember.line_manager_id)
        .outerjoin(RecruitmentCheck, RecruitmentCheck.staff_id == StaffMember.id)
        .group_by(StaffMember.id, JobRole.name, manager.first_name, manager.last_name)
        .order_by(func.lower(StaffMember.last_name), func.lower(StaffMember.first_name))
    )
    if not include_left:
        stmt = stmt.where(StaffMember.archived_at.is_(None))
    # Plain rows of the columns the register shows: StaffMember objects cost several times more.
    return [
        StaffRow(
            id=sid,
            first_name=first,
            last_name=last,
            preferred_name=preferred,
            job_role_id=role_id,
            job_role=role,
            team=team,
            contract_type=contract,
            start_date=start,
            leaving_date=leaving,
            status=status,
            line_manager_id=manager_id,
            line_manager=f"{mf} {ml}" if mf else "",
            asc_wds_worker_id=wid or "",
            notes=notes,
            missing_checks=miss,
            unverified_checks=unver,
            version=version,
        )
        for (
            sid,
            first,
            last,
            preferred,
            role_id,
            role,
            team,
            contract,
            start,
            leaving,
            status,
            manager_id,
            mf,
            ml,
            wid,
            notes,
            miss,
            unver,
            version,
        ) in core_rows(s, stmt)
    ]


def list_staff(db: Database, *, include_left: bool = False) -> list[StaffRow]:
    """Everyone on the register (leavers only when asked), sorted by last name."""
    with db.reading() as s:
        return list_staff_in(s, include_left=include_left)


@dataclass(frozen=True)
class CheckRow:
    """One recruitment check of one person."""

    staff_id: int
    kind: str
    title: str
    status: str
    checked_on: dt.date | None
    reference: str
    evidence_note: str
    issued_on: dt.date | None
    barred_list_checked: bool
    update_service: bool
    attachment_id: int | None
    attachment_name: str
    barred_list_required: bool = True
    version: int | None = None  # what a save passes as expected_version
    id: int | None = None  # the saved check (its history in the change log)


def barred_list_required_in(s: Session, staff_id: int) -> bool:
    """Whether this person's DBS check needs the adults' barred list: their job role does
    regulated activity (True if the person is not found, the stricter answer)."""
    regulated = s.scalar(
        select(JobRole.regulated_activity)
        .join(StaffMember, StaffMember.job_role_id == JobRole.id)
        .where(StaffMember.id == staff_id)
    )
    return True if regulated is None else bool(regulated)


def staff_checks_in(s: Session, staff_id: int) -> list[CheckRow]:
    """As :func:`staff_checks`, reading inside the session ``s``."""
    order = {k.kind: i for i, k in enumerate(check_kinds())}
    barred_required = barred_list_required_in(s, staff_id)
    stmt = (
        select(RecruitmentCheck, Attachment.filename)
        .outerjoin(Attachment, Attachment.id == RecruitmentCheck.attachment_id)
        .where(RecruitmentCheck.staff_id == staff_id)
    )
    rows = [
        CheckRow(
            staff_id=c.staff_id,
            kind=c.kind,
            title=check_title(c.kind),
            status=c.status,
            checked_on=c.checked_on,
            reference=c.reference,
            evidence_note=c.evidence_note,
            issued_on=c.issued_on,
            barred_list_checked=c.barred_list_checked,
            update_service=c.update_service,
            attachment_id=c.attachment_id,
            attachment_name=fname or "",
            barred_list_required=barred_required,
            version=c.version,
            id=c.id,
        )
        for c, fname in s.execute(stmt)
    ]
    return sorted(rows, key=lambda r: order.get(r.kind, 99))


def staff_checks(db: Database, staff_id: int) -> list[CheckRow]:
    """A person's recruitment checks in the order a staff file lists them."""
    with db.reading() as s:
        return staff_checks_in(s, staff_id)


def attachment_bytes_in(s: Session, attachment_id: int) -> tuple[str, bytes]:
    """As :func:`attachment_bytes`, reading inside the session ``s``."""
    att = s.get(Attachment, attachment_id)
    if att is None:
        raise LookupError(attachment_id)
    return att.filename, att.data


def check_documents_in(s: Session, start: dt.date, end: dt.date) -> list[DocumentRow]:
    """Documents attached to recruitment checks made from ``start`` to ``end`` (staff in post
    and leavers alike), oldest first."""
    rows = s.execute(
        select(
            RecruitmentCheck.attachment_id,
            RecruitmentCheck.checked_on,
            StaffMember.first_name,
            StaffMember.last_name,
            RecruitmentCheck.kind,
            Attachment.filename,
            Attachment.size,
        )
        .join(StaffMember, StaffMember.id == RecruitmentCheck.staff_id)
        .join(Attachment, Attachment.id == RecruitmentCheck.attachment_id)
        .where(RecruitmentCheck.checked_on.between(start, end))
        .order_by(RecruitmentCheck.checked_on, RecruitmentCheck.id)
    )
    return document_rows(
        (att, day, first, last, check_title(kind), name, size)
        for att, day, first, last, kind, name, size in rows
    )


def attachment_bytes(db: Database, attachment_id: int) -> tuple[str, bytes]:
    """A stored file's name and content (to save a copy or open it)."""
    with db.reading() as s:
        return attachment_bytes_in(s, attachment_id)


@dataclass(frozen=True)
class Choice:
    """An id and what to show for it in a drop-down."""

    id: int
    label: str


def job_role_choices_in(s: Session) -> list[Choice]:
    """As :func:`job_role_choices`, reading inside the session ``s``."""
    return [
        Choice(r.id, r.name)
        for r in s.scalars(
            select(JobRole).where(JobRole.archived_at.is_(None)).order_by(JobRole.name)
        )
    ]


def job_role_choices(db: Database) -> list[Choice]:
    """Job roles for drop-downs, alphabetical."""
    with db.reading() as s:
        return job_role_choices_in(s)


@dataclass(frozen=True)
class JobRoleRow:
    """A job role and how many current staff hold it."""

    id: int
    name: str
    asc_wds_code: int | None
    staff_count: int
    regulated_activity: bool = True
    version: int = 0  # what a save passes as expected_version


def list_job_roles_in(s: Session) -> list[JobRoleRow]:
    """As :func:`list_job_roles`, reading inside the session ``s``."""
    stmt = (
        select(JobRole, func.count(StaffMember.id))
        .outerjoin(
            StaffMember,
            and_(StaffMember.job_role_id == JobRole.id, StaffMember.archived_at.is_(None)),
        )
        .group_by(JobRole.id)
        .order_by(JobRole.name)
    )
    return [
        JobRoleRow(r.id, r.name, r.asc_wds_code, n, r.regulated_activity, r.version)
        for r, n in s.execute(stmt)
    ]


def list_job_roles(db: Database) -> list[JobRoleRow]:
    """Every job role with its head count."""
    with db.reading() as s:
        return list_job_roles_in(s)


def staff_choices_in(s: Session, *, exclude_id: int | None = None) -> list[Choice]:
    """As :func:`staff_choices`, reading inside the session ``s``."""
    stmt = (
        select(StaffMember.id, StaffMember.first_name, StaffMember.last_name)
        .where(StaffMember.archived_at.is_(None))
        .order_by(func.lower(StaffMember.last_name), func.lower(StaffMember.first_name))
    )
    return [Choice(i, f"{last}, {first}") for i, first, last in s.execute(stmt) if i != exclude_id]


def staff_choices(db: Database, *, exclude_id: int | None = None) -> list[Choice]:
    """Current staff for owner / line-manager drop-downs, 'Last, First'."""
    with db.reading() as s:
        return staff_choices_in(s, exclude_id=exclude_id)


def teams_in(s: Session) -> list[str]:
    """As :func:`teams`, reading inside the session ``s``."""
    return sorted(t for t in s.scalars(select(StaffMember.team).distinct()) if t)


def teams(db: Database) -> list[str]:
    """Team names in use, for the filter and the form's suggestions."""
    with db.reading() as s:
        return teams_in(s)


def staff_counts_in(s: Session) -> dict[str, int]:
    """As :func:`staff_counts`, reading inside the session ``s``."""
    active, flagged = s.execute(
        select(
            func.count(StaffMember.id),
            func.count(
                case(
                    (
                        StaffMember.id.in_(
                            select(RecruitmentCheck.staff_id).where(
                                RecruitmentCheck.status.in_(
                                    [CheckStatus.OUTSTANDING.value, CheckStatus.RECEIVED.value]
                                )
                            )
                        ),
                        1,
                    )
                )
            ),
        ).where(StaffMember.archived_at.is_(None))
    ).one()
    return {"active": active, "flagged": flagged}


def staff_counts(db: Database) -> dict[str, int]:
    """Head counts for the status bar and the About box."""
    with db.reading() as s:
        return staff_counts_in(s)
