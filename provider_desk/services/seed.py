"""Reference data every database needs: settings, job roles, the course catalogue."""

from __future__ import annotations

from sqlalchemy import func, select

from provider_desk.db.session import Database
from provider_desk.models import Course, JobRole, OrganisationSettings, RoleRequirement
from provider_desk.resources import load_json


def ensure_reference_data(db: Database) -> bool:
    """Create the settings row and seed job roles if missing. Returns True if anything was added."""
    added = False
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(OrganisationSettings)) == 0:
            s.add(OrganisationSettings())
            added = True
        if s.scalar(select(func.count()).select_from(JobRole)) == 0:
            for role in load_json("job_roles.json")["roles"]:
                s.add(JobRole(name=role["name"], asc_wds_code=role["asc_wds_code"]))
            added = True
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(Course)) == 0:
            roles = {r.name: r.id for r in s.scalars(select(JobRole))}
            for spec in load_json("training.json")["courses"]:
                course = Course(
                    name=spec["name"],
                    category_code=spec["category_code"],
                    refresher_months=spec["refresher_months"],
                    competency=spec["competency"],
                    interval_note=spec["interval_note"],
                    aliases="\n".join(spec["aliases"]),
                )
                s.add(course)
                s.flush()
                for role in spec["required_for"]:
                    if role in roles:
                        s.add(RoleRequirement(job_role_id=roles[role], course_id=course.id))
            added = True
    return added
