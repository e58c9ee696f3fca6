"""Job roles: the seeded ASC-WDS roles can be renamed, and providers add their own."""

from __future__ import annotations

from sqlalchemy import func, select

from provider_desk.areas.staff.models import JobRole
from provider_desk.auth.permissions import requires
from provider_desk.auth.roles import Permission
from provider_desk.changes import JOB_ROLES, STAFF, Changes
from provider_desk.db.session import Database
from provider_desk.db.versions import check_version
from provider_desk.errors import Problem, ValidationError


@requires(Permission.MANAGE_SETTINGS, "change job roles")
def save_job_role(
    db: Database,
    name: str,
    asc_wds_code: int | None,
    role_id: int | None = None,
    *,
    regulated_activity: bool = True,
    expected_version: int | None,
) -> Changes:
    """Add a job role, or rename / recode an existing one (``expected_version``: the version the
    user opened; required when changing one).

    ``regulated_activity``: people in the role do regulated activity (personal care is), so a
    verified DBS check needs the adults' barred list.
    """
    name = name.strip()
    if not name:
        raise ValidationError(Problem("name", "Job role name is required."))
    if asc_wds_code is not None and not 1 <= asc_wds_code <= 999:
        raise ValidationError(Problem("asc_wds_code", "ASC-WDS job role codes are 1 to 999."))
    with db.session() as s:
        clash = s.scalar(
            select(JobRole).where(
                func.lower(JobRole.name) == name.lower(), JobRole.id != (role_id or -1)
            )
        )
        if clash is not None:
            raise ValidationError(
                Problem("name", f"There is already a job role called {clash.name}.")
            )
        role = JobRole() if role_id is None else s.get(JobRole, role_id)
        if role is None:
            raise ValidationError(Problem("id", "That job role no longer exists."))
        if role_id is not None:
            check_version(role, expected_version)
        role.name = name
        role.asc_wds_code = asc_wds_code
        role.regulated_activity = regulated_activity
        s.add(role)
        s.flush()
        return Changes.of(JOB_ROLES, STAFF, ids=(role.id,))
