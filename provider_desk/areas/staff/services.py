"""Staff register: add, edit, record a leaver, and keep each person's recruitment checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_desk import attachments
from provider_desk.areas.staff.models import JobRole, RecruitmentCheck, StaffMember
from provider_desk.areas.staff.queries import barred_list_required_in
from provider_desk.areas.staff.rules import CheckStatus, ContractType, StaffStatus
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import CHECKS, STAFF, Changes
from provider_desk.db.session import Database
from provider_desk.db.versions import check_version, conflict
from provider_desk.errors import Problem, ValidationError
from provider_desk.models.base import utcnow
from provider_desk.resources import check_kinds
from provider_desk.rules import validators as v
from provider_desk.rules.dates import format_date


class PossibleDuplicate(ValidationError):
    """Someone with the same name and start date is already on the register.

    Not always wrong (two people can share a name), so the caller may ask and try again with
    ``allow_duplicate=True``.
    """


@dataclass(frozen=True)
class StaffInput:
    """What a manager enters about a staff member."""

    first_name: str
    last_name: str
    job_role_id: int | None
    start_date: dt.date | None
    preferred_name: str = ""
    team: str = ""
    contract_type: str = ContractType.PERMANENT.value
    leaving_date: dt.date | None = None
    status: str = StaffStatus.ACTIVE.value
    line_manager_id: int | None = None
    asc_wds_worker_id: str = ""
    notes: str = ""

    def cleaned(self) -> StaffInput:
        """Trim stray spaces that come from copying out of spreadsheets."""
        return replace(
            self,
            first_name=self.first_name.strip(),
            last_name=self.last_name.strip(),
            preferred_name=self.preferred_name.strip(),
            team=self.team.strip(),
            asc_wds_worker_id=self.asc_wds_worker_id.strip(),
            notes=self.notes.strip(),
        )


def validate_staff(
    s: Session, data: StaffInput, today: dt.date, staff_id: int | None = None
) -> list[Problem]:
    """Every problem with ``data``, for showing next to each field."""
    problems: list[Problem | None] = [
        v.required("first_name", data.first_name, "First name"),
        v.required("last_name", data.last_name, "Last name"),
        v.text("first_name", data.first_name, "First name", max_len=v.NAME_MAX),
        v.text("last_name", data.last_name, "Last name", max_len=v.NAME_MAX),
        v.text("preferred_name", data.preferred_name, "Preferred name", max_len=v.NAME_MAX),
        v.text("team", data.team, "Team", max_len=v.NAME_MAX),
        v.text("notes", data.notes, "Notes", max_len=v.LONG_TEXT_MAX, multiline=True),
    ]
    if data.job_role_id is None or s.get(JobRole, data.job_role_id) is None:
        problems.append(Problem("job_role_id", "Choose a job role."))
    if data.start_date is None:
        problems.append(Problem("start_date", "Start date is required."))
    elif data.start_date > today + dt.timedelta(days=366):
        problems.append(
            Problem("start_date", "Start date is more than a year ahead. Check the year.")
        )
    if data.contract_type not in {c.value for c in ContractType}:
        problems.append(Problem("contract_type", f"Unknown contract type '{data.contract_type}'."))
    if data.status not in {st.value for st in StaffStatus}:
        problems.append(Problem("status", f"Unknown status '{data.status}'."))
    problems.append(
        v.not_before(
            "leaving_date", data.leaving_date, data.start_date, "Leaving date", "the start date"
        )
    )
    if data.status == StaffStatus.LEFT and data.leaving_date is None:
        problems.append(Problem("leaving_date", "Enter the leaving date for someone who has left."))
    if (
        data.leaving_date is not None
        and data.status != StaffStatus.LEFT
        and data.leaving_date < today
    ):
        problems.append(Problem("status", "The leaving date has passed: set the status to 'left'."))
    if data.line_manager_id is not None:
        if staff_id is not None and data.line_manager_id == staff_id:
            problems.append(
                Problem("line_manager_id", "A person cannot be their own line manager.")
            )
        elif s.get(StaffMember, data.line_manager_id) is None:
            problems.append(Problem("line_manager_id", "That line manager is not on the register."))
    if data.asc_wds_worker_id:
        problems.append(
            v.text("asc_wds_worker_id", data.asc_wds_worker_id, "ASC-WDS worker id", max_len=50)
        )
        clash = s.scalar(
            select(StaffMember).where(
                StaffMember.asc_wds_worker_id == data.asc_wds_worker_id,
                StaffMember.id != (staff_id or -1),
            )
        )
        if clash is not None:
            problems.append(
                Problem(
                    "asc_wds_worker_id",
                    f"ASC-WDS worker id {data.asc_wds_worker_id} already belongs to "
                    f"{clash.first_name} {clash.last_name}.",
                )
            )
    return [p for p in problems if p is not None]


def find_same_person(
    s: Session,
    first_name: str,
    last_name: str,
    start_date: dt.date | None,
    exclude_id: int | None = None,
) -> StaffMember | None:
    """Someone already on the register with this name and start date (case-insensitive)."""
    if start_date is None:
        return None
    return s.scalar(
        select(StaffMember).where(
            func.lower(StaffMember.first_name) == first_name.strip().lower(),
            func.lower(StaffMember.last_name) == last_name.strip().lower(),
            StaffMember.start_date == start_date,
            StaffMember.id != (exclude_id or -1),
        )
    )


def _apply(member: StaffMember, data: StaffInput) -> None:
    assert data.job_role_id is not None and data.start_date is not None
    member.first_name = data.first_name
    member.last_name = data.last_name
    member.preferred_name = data.preferred_name
    member.job_role_id = data.job_role_id
    member.team = data.team
    member.contract_type = data.contract_type
    member.start_date = data.start_date
    member.leaving_date = data.leaving_date
    member.status = data.status
    member.line_manager_id = data.line_manager_id
    member.asc_wds_worker_id = data.asc_wds_worker_id or None
    member.notes = data.notes
    # Leavers are archived, never deleted: they drop out of "due" lists but stay on record.
    if data.status == StaffStatus.LEFT and member.archived_at is None:
        member.archived_at = utcnow()
    elif data.status != StaffStatus.LEFT and member.archived_at is not None:
        member.archived_at = None


@requires(Permission.EDIT_WORKFORCE, "add staff")
def add_staff_in(
    s: Session, data: StaffInput, *, today: dt.date, allow_duplicate: bool = False
) -> StaffMember:
    """Add a staff member inside an open session (used by the importer for all-or-nothing)."""
    data = data.cleaned()
    problems = validate_staff(s, data, today)
    if problems:
        raise ValidationError(problems)
    if not allow_duplicate:
        same = find_same_person(s, data.first_name, data.last_name, data.start_date)
        if same is not None:
            raise PossibleDuplicate(
                Problem(
                    "last_name",
                    f"{same.first_name} {same.last_name}, who started on "
                    f"{format_date(same.start_date)}, is already on the register.",
                )
            )
    member = StaffMember()
    _apply(member, data)
    s.add(member)
    s.flush()
    for kind in check_kinds():
        s.add(RecruitmentCheck(staff_id=member.id, kind=kind.kind))
    s.flush()
    return member


@requires(Permission.EDIT_WORKFORCE, "add staff")
def add_staff(
    db: Database, data: StaffInput, *, today: dt.date, allow_duplicate: bool = False
) -> Changes:
    """Put a new staff member on the register, with every recruitment check outstanding.

    Raises:
        ValidationError: a field is wrong (``problems`` says which).
        PossibleDuplicate: same name and start date as someone already there.
    """
    with db.session() as s:
        member = add_staff_in(s, data, today=today, allow_duplicate=allow_duplicate)
        return Changes.of(STAFF, CHECKS, ids=(member.id,))


@requires(Permission.EDIT_WORKFORCE, "change staff details")
def update_staff_in(
    s: Session, staff_id: int, data: StaffInput, *, today: dt.date, expected_version: int
) -> StaffMember:
    """Change a staff member inside an open session."""
    member = s.get(StaffMember, staff_id)
    if member is None:
        raise ValidationError.single("id", "That staff member no longer exists.")
    check_version(member, expected_version)
    data = data.cleaned()
    problems = validate_staff(s, data, today, staff_id)
    if problems:
        raise ValidationError(problems)
    _apply(member, data)
    s.flush()
    return member


@requires(Permission.EDIT_WORKFORCE, "change staff details")
def update_staff(
    db: Database,
    staff_id: int,
    data: StaffInput,
    *,
    expected_version: int,
    today: dt.date,
) -> Changes:
    """Save changes to a staff member; ``expected_version`` stops two PCs overwriting each other."""
    with db.session() as s:
        update_staff_in(s, staff_id, data, today=today, expected_version=expected_version)
        return Changes.of(STAFF, ids=(staff_id,))


@requires(Permission.EDIT_WORKFORCE, "record leavers")
def record_leaver(
    db: Database, staff_id: int, leaving_date: dt.date, *, expected_version: int, today: dt.date
) -> Changes:
    """Mark someone as left on ``leaving_date``. They are archived, never deleted."""
    day = today
    with db.session() as s:
        member = s.get(StaffMember, staff_id)
        if member is None:
            raise ValidationError.single("id", "That staff member no longer exists.")
        check_version(member, expected_version)
        problem = v.not_before(
            "leaving_date", leaving_date, member.start_date, "Leaving date", "the start date"
        ) or v.not_in_future("leaving_date", leaving_date, day, "Leaving date")
        if problem:
            raise ValidationError(problem)
        member.leaving_date = leaving_date
        member.status = StaffStatus.LEFT.value
        member.archived_at = utcnow()
        return Changes.of(STAFF, ids=(staff_id,))


@dataclass(frozen=True)
class CheckInput:
    """What the manager records about one recruitment check."""

    status: str
    checked_on: dt.date | None = None
    reference: str = ""
    evidence_note: str = ""
    issued_on: dt.date | None = None
    barred_list_checked: bool = False
    update_service: bool = False
    attachment_path: Path | None = None


def validate_check(
    kind: str, data: CheckInput, today: dt.date, *, barred_list_required: bool = True
) -> list[Problem]:
    """Every problem with one recruitment check.

    ``barred_list_required``: the person's job role does regulated activity, so a verified DBS
    check needs the adults' barred list (:func:`queries.barred_list_required_in`).
    """
    problems: list[Problem | None] = []
    if data.status not in {c.value for c in CheckStatus}:
        problems.append(Problem("status", f"Unknown status '{data.status}'."))
    problems.append(v.not_in_future("checked_on", data.checked_on, today, "Date checked"))
    if data.status in (CheckStatus.RECEIVED, CheckStatus.VERIFIED) and data.checked_on is None:
        problems.append(
            Problem("checked_on", "Enter the date the evidence was received or checked.")
        )
    if kind == "dbs":
        problems.append(v.dbs_certificate_number("reference", data.reference))
        problems.append(v.not_in_future("issued_on", data.issued_on, today, "DBS issue date"))
        if data.status == CheckStatus.VERIFIED:
            if not v.normalise_dbs_number(data.reference):
                problems.append(Problem("reference", "Enter the 12-digit DBS certificate number."))
            if data.issued_on is None:
                problems.append(
                    Problem("issued_on", "Enter the date the DBS certificate was issued.")
                )
            if barred_list_required and not data.barred_list_checked:
                problems.append(
                    Problem(
                        "barred_list_checked",
                        "This job role does regulated activity, so the DBS check needs the "
                        "adults' barred list: tick it once seen.",
                    )
                )
        if data.issued_on and data.checked_on and data.checked_on < data.issued_on:
            problems.append(
                Problem("checked_on", "The check date is before the certificate was issued.")
            )
    return [p for p in problems if p is not None]


@requires(Permission.EDIT_WORKFORCE, "record recruitment checks")
def record_check(
    db: Database,
    staff_id: int,
    kind: str,
    data: CheckInput,
    *,
    expected_version: int | None,
    today: dt.date,
) -> Changes:
    """Save one recruitment check for a staff member, with an optional evidence file.

    ``expected_version``: the check's ``version`` as shown when the form opened (None if the
    person had no such check row yet).

    Raises:
        ValidationError: a field or the file is wrong; nothing is saved.
    """
    with db.reading() as s:
        barred = barred_list_required_in(s, staff_id)
    v.raise_if(list(validate_check(kind, data, today, barred_list_required=barred)))
    file = attachments.read_evidence_file(data.attachment_path) if data.attachment_path else None
    with db.session() as s:
        (check,) = record_checks_in(
            s,
            staff_id,
            {kind: data},
            today=today,
            files={kind: file} if file else None,
            expected_versions={kind: expected_version},
        )
        return Changes.of(CHECKS, STAFF, ids=(check.id,))


@requires(Permission.EDIT_WORKFORCE, "record recruitment checks")
def record_checks_in(
    s: Session,
    staff_id: int,
    checks: Mapping[str, CheckInput],
    *,
    today: dt.date,
    files: Mapping[str, tuple[str, str, bytes]] | None = None,
    expected_versions: Mapping[str, int | None],
) -> list[RecruitmentCheck]:
    """Save several of one person's recruitment checks (kind -> input) inside an open session,
    with evidence files already read (kind -> (name, type, bytes)).

    ``expected_versions``: kind -> the ``version`` of that check as the user (or the importer,
    reading in this same transaction) saw it; None for a check that had no row.

    Raises:
        ValidationError: a field is wrong (each message names the check); nothing is saved.
    """
    problems: list[Problem | None] = []
    barred = barred_list_required_in(s, staff_id)
    for kind, data in checks.items():
        found = validate_check(kind, data, today, barred_list_required=barred)
        problems.extend(found if len(checks) == 1 else [_named(kind, p) for p in found])
    v.raise_if(problems)
    rows = {
        c.kind: c
        for c in s.scalars(select(RecruitmentCheck).where(RecruitmentCheck.staff_id == staff_id))
    }
    if not rows and s.get(StaffMember, staff_id) is None:
        raise ValidationError.single("id", "That staff member no longer exists.")
    saved = []
    for kind, data in checks.items():
        check = rows.get(kind)
        seen = expected_versions.get(kind)
        if check is None:
            check = RecruitmentCheck(staff_id=staff_id, kind=kind)
            s.add(check)
        elif seen is None:
            raise conflict(check)
        else:
            check_version(check, seen)
        check.status = data.status
        check.checked_on = data.checked_on
        check.reference = (
            v.normalise_dbs_number(data.reference) if kind == "dbs" else data.reference.strip()
        )
        check.evidence_note = data.evidence_note.strip()
        check.issued_on = data.issued_on
        check.barred_list_checked = data.barred_list_checked
        check.update_service = data.update_service
        file = (files or {}).get(kind)
        if file is not None:
            check.attachment_id = attachments.store(s, *file).id
        saved.append(check)
    s.flush()
    return saved


def _named(kind: str, problem: Problem) -> Problem:
    return Problem(f"{kind}.{problem.field}", f"{kind}: {problem.message}")
