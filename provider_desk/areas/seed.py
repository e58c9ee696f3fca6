"""Reference data every database needs: settings, job roles, courses, supervision kinds,
letters and audit templates."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from provider_desk.areas.audits.models import AuditTemplate
from provider_desk.areas.complaints.models import LetterTemplate
from provider_desk.areas.staff.models import JobRole
from provider_desk.areas.supervision.models import SupervisionKind, SupervisionRoleInterval
from provider_desk.areas.training.models import Course, RoleRequirement
from provider_desk.auth.permissions import program_write
from provider_desk.db.session import Database
from provider_desk.resources import load_json, load_text
from provider_desk.settings.models import OrganisationSettings

_SEEDED = (OrganisationSettings, JobRole, Course, SupervisionKind, AuditTemplate, LetterTemplate)


@program_write("seeds the reference data a new database needs, whoever opens it first")
def ensure_reference_data(db: Database) -> bool:
    """Create the settings row and seed job roles if missing. Returns True if anything was added.

    Checked with a read first, so opening a database that has them writes nothing (and a
    read-only file or a read-only user opens without taking the write lock).
    """

    def complete(s: Session) -> bool:
        return all(s.scalar(select(func.count()).select_from(m)) for m in _SEEDED)

    if db.read(complete):
        return False
    added = False
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(OrganisationSettings)) == 0:
            s.add(OrganisationSettings())
            added = True
        if s.scalar(select(func.count()).select_from(JobRole)) == 0:
            for role in load_json("job_roles.json")["roles"]:
                s.add(
                    JobRole(
                        name=role["name"],
                        asc_wds_code=role["asc_wds_code"],
                        regulated_activity=role["regulated_activity"],
                    )
                )
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
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(SupervisionKind)) == 0:
            roles = {r.name: r.id for r in s.scalars(select(JobRole))}
            for spec in load_json("supervision.json")["kinds"]:
                s.add(
                    SupervisionKind(
                        kind=spec["kind"],
                        name=spec["name"],
                        interval_months=spec["interval_months"],
                        milestones_months=",".join(
                            str(m) for m in spec.get("milestones_months", [])
                        ),
                        has_outcome=spec["outcomes"],
                        sections="\n".join(spec["sections"]),
                        note=spec["note"],
                    )
                )
                for role, months in spec.get("role_intervals", {}).items():
                    if role in roles:
                        s.add(
                            SupervisionRoleInterval(
                                kind=spec["kind"], job_role_id=roles[role], interval_months=months
                            )
                        )
            added = True
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(AuditTemplate)) == 0:
            from provider_desk.areas.audits.services import seed_templates

            seed_templates(s)
            added = True
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(LetterTemplate)) == 0:
            for kind, title in (
                ("acknowledgement", "Acknowledgement letter"),
                ("outcome", "Outcome letter"),
            ):
                s.add(LetterTemplate(kind=kind, title=title, body=load_text(f"letters/{kind}.txt")))
            added = True
    return added
